// Durable Objects on localDisk (see disk.capnp, test_disk.py). Expected values and messages were
// recorded from workerd 2026-11-17. The *Write/*Read pairs run in two processes over one directory.
import { DurableObject } from "cloudflare:workers";

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const fail = (msg) => { throw new Error(msg); };
const eq = (a, b, what = "") => {
  if (!Object.is(a, b)) fail(`${what}: expected ${JSON.stringify(b)}, got ${JSON.stringify(a)}`);
};
const ok = (v, what) => { if (!v) fail(`${what}: expected a truthy value`); };
const throws = (fn, message, what) => {
  try { fn(); } catch (e) {
    if (typeof message === "string") eq(e.message, message, what);
    else if (message instanceof RegExp) ok(message.test(e.message), `${what}: ${e.message}`);
    return e;
  }
  fail(`${what}: did not throw`);
};
const tag = (v) => Object.prototype.toString.call(v);
const ALARM_AT = Date.UTC(2100, 0, 1);

// values written by one runtime and read by the other: V8's serialization format both ways
const sample = () => {
  const shared = { s: 1 };
  const buf = new Uint8Array([1, 2, 3, 4]).buffer;
  return {
    int: 42, neg: -7, big: 2 ** 40, dbl: 1.5, negz: -0, nan: NaN, str: "h\u00e9llo", wide: "\u20ac \u{1F600}", empty: "",
    t: true, n: null, bi: -(2n ** 70n), date: new Date(7), re: /ab+c/gim, arr: [1, "a", null], sparse: [1, , 3],
    withProp: Object.assign([1], { x: 2 }), map: new Map([[1, "a"], ["k", { z: 1 }]]), set: new Set(["a", 2]),
    ab: buf, sub: new Uint8Array(buf, 1, 2), i16: new Int16Array([-1, 2]), f64: new Float64Array([0.5]),
    dv: new DataView(new ArrayBuffer(2)), err: new TypeError("bad"), cause: new Error("outer", { cause: 5 }),
    numobj: new Number(3), strobj: new String("s"), boolobj: new Boolean(true), refs: [shared, shared],
    obj: { b: 2, 1: 3, "x y": [{ deep: new Map() }] },
  };
};
const checkSample = (m) => {
  const v = (k) => m.get(k);
  eq(m.size, Object.keys(sample()).length, "all keys");
  eq(v("int"), 42, "int"); eq(v("neg"), -7, "neg"); eq(v("big"), 2 ** 40, "big"); eq(v("dbl"), 1.5, "dbl");
  eq(v("negz"), -0, "-0"); eq(v("nan"), NaN, "NaN"); eq(v("str"), "h\u00e9llo", "latin1"); eq(v("wide"), "\u20ac \u{1F600}", "two-byte");
  eq(v("empty"), "", "empty"); eq(v("t"), true, "true"); eq(v("n"), null, "null"); eq(v("bi"), -(2n ** 70n), "bigint");
  eq(v("date").getTime(), 7, "date"); eq(String(v("re")), "/ab+c/gim", "regexp"); eq(JSON.stringify(v("arr")), '[1,"a",null]', "array");
  eq(1 in v("sparse"), false, "hole"); eq(v("sparse")[2], 3, "sparse"); eq(v("withProp").x, 2, "array property");
  eq(JSON.stringify([...v("map")]), '[[1,"a"],["k",{"z":1}]]', "map"); eq(JSON.stringify([...v("set")]), '["a",2]', "set");
  eq(String(new Uint8Array(v("ab"))), "1,2,3,4", "ArrayBuffer"); eq(String(v("sub")), "2,3", "view"); eq(v("sub").byteOffset, 1, "offset");
  eq(String(v("i16")), "-1,2", "Int16Array"); eq(String(v("f64")), "0.5", "Float64Array"); eq(tag(v("dv")), "[object DataView]", "DataView");
  eq(v("err") instanceof TypeError, true, "TypeError"); eq(v("err").message, "bad", "error message");
  eq(v("cause").message, "outer", "cause message"); eq(v("cause").cause, 5, "cause");
  eq(tag(v("numobj")), "[object Number]", "Number object"); eq(String(v("strobj")), "s", "String object");
  eq(v("boolobj").valueOf(), true, "Boolean object"); eq(v("refs")[0] === v("refs")[1], true, "shared reference");
  eq(JSON.stringify(Object.keys(v("obj"))), '["1","b","x y"]', "keys"); eq(tag(v("obj")["x y"][0].deep), "[object Map]", "nested");
};

export class Kv extends DurableObject {
  async alarm() { await this.ctx.storage.put("fired", Date.now()); }
  async write() {
    await this.ctx.storage.put(sample());
    await this.ctx.storage.setAlarm(ALARM_AT);
  }
  async read() {
    const m = await this.ctx.storage.list();
    eq(await this.ctx.storage.getAlarm(), ALARM_AT, "alarm kept");
    checkSample(m);
  }
  async put1(v) { await this.ctx.storage.put("v", v); }
  async get1() { return this.ctx.storage.get("v"); }
  async armSoon(ms) { await this.ctx.storage.setAlarm(Date.now() + ms); }
  async fired() { return (await this.ctx.storage.get("fired")) ?? null; }
  async notSql() {
    const s = this.ctx.storage;
    throws(() => s.sql.exec("SELECT 1"), "SQL is not enabled for this Durable Object class. To enable it, change `new_classes` to `new_sqlite_classes` within the 'migrations' field in your wrangler.jsonc or wrangler.toml file. If using workerd directly,set `enableSql = true` in your workerd config for the class. Note that this change cannot be made after the class is already deployed to production.", "sql without enableSql");
    throws(() => s.sql.databaseSize, /^SQL is not enabled/, "databaseSize");
    throws(() => s.kv.get("a"), "The storage.kv (synchronous KV) API is only available for SQLite-backed Durable Objects, but this object's namespace is not declared to use SQLite. You can use the older, asyncronous interface via methods of `storage` itself (e.g. `storage.get()`). Alternatively, to enable SQLite, change `new_classes` to `new_sqlite_classes` within the 'migrations' field in your wrangler.jsonc or wrangler.toml file. If using workerd directly, set `enableSql = true` in your workerd config for the class. Note that this change cannot be made after the class is already deployed to production.", "kv without enableSql");
    eq(s.transactionSync(() => 1), 1, "transactionSync works on localDisk");
  }
}

export class Sql extends DurableObject {
  async alarm() {}
  api() {
    const sql = this.ctx.storage.sql;
    eq(tag(sql), "[object SqlStorage]", "tag");
    sql.exec("CREATE TABLE t (a INTEGER, b TEXT, c BLOB, d REAL)");
    const ins = sql.exec("INSERT INTO t VALUES (?, ?, ?, ?), (2, 'y', NULL, 1.5)", 1, "x", new Uint8Array([1, 2]), 2.5);
    eq(ins.rowsRead, 0, "insert rowsRead"); eq(ins.rowsWritten, 2, "insert rowsWritten"); eq(tag(ins), "[object Cursor]", "cursor tag");
    const c = sql.exec("SELECT * FROM t");
    eq(JSON.stringify(c.columnNames), '["a","b","c","d"]', "columnNames");
    eq(c.rowsRead, 1, "lazy rowsRead");
    const rows = c.toArray();
    eq(rows.length, 2, "rows"); eq(rows[0].a, 1, "integer"); eq(rows[0].b, "x", "text"); eq(rows[0].d, 2.5, "real");
    eq(tag(rows[0].c), "[object ArrayBuffer]", "blob"); eq(String(new Uint8Array(rows[0].c)), "1,2", "blob bytes"); eq(rows[1].c, null, "null");
    eq(c.rowsRead, 2, "rowsRead after toArray"); eq(c.rowsWritten, 0, "rowsWritten");
    eq(JSON.stringify([...sql.exec("SELECT a, b FROM t").raw()]), '[[1,"x"],[2,"y"]]', "raw");
    eq(tag(sql.exec("SELECT 1").raw()), "[object RawIterator]", "raw tag");
    eq(JSON.stringify(sql.exec("SELECT a FROM t").raw().toArray()), "[[1],[2]]", "raw().toArray()");
    eq(JSON.stringify(sql.exec("SELECT count(*) AS n FROM t").one()), '{"n":2}', "one");
    throws(() => sql.exec("SELECT * FROM t WHERE a = 99").one(), "Expected exactly one result from SQL query, but got no results.", "one() of none");
    throws(() => sql.exec("SELECT * FROM t").one(), "Expected exactly one result from SQL query, but got multiple results.", "one() of many");
    const it = sql.exec("SELECT a FROM t");
    eq(JSON.stringify([it.next(), it.next(), it.next()]), '[{"done":false,"value":{"a":1}},{"done":false,"value":{"a":2}},{"done":true}]', "next()");
    const rest = [];
    for (const r of sql.exec("SELECT b FROM t")) rest.push(r.b);
    eq(rest.join(), "x,y", "iteration");
    eq(JSON.stringify(sql.exec("SELECT 1 AS a; SELECT 2 AS a").toArray()), '[{"a":2}]', "several statements: the last one's rows");
    eq(sql.exec("SELECT 1 AS x UNION ALL SELECT 2").rowsRead, 0, "no table read");
    eq(typeof sql.exec("SELECT 9007199254740993 AS x").one().x, "number", "big integers are numbers");
    eq(JSON.stringify(sql.exec("SELECT ? AS a, ? AS b, ? AS c, ? AS d", true, null, "s", {}).toArray()), '[{"a":"true","b":null,"c":"s","d":"[object Object]"}]', "bindings");
    eq(JSON.stringify(sql.exec("SELECT ? AS a", undefined).toArray()), '[{"a":null}]', "undefined binds null");
    throws(() => sql.exec("SELECT ?", 1n), "Cannot convert a BigInt value to a number", "BigInt binding");
    throws(() => sql.exec("SELECT 1 AS a", 5), "Wrong number of parameter bindings for SQL query.", "too many bindings");
    throws(() => sql.exec("SELECT ? AS a"), "Wrong number of parameter bindings for SQL query.", "too few bindings");
    throws(() => sql.exec("SELEC"), /^near "SELEC": syntax error.*: SQLITE_ERROR$/, "syntax error");
    throws(() => sql.exec("SELECT * FROM nope"), "no such table: nope: SQLITE_ERROR", "missing table");
    throws(() => sql.exec("SELECT * FROM _cf_KV"), "no such table: _cf_KV: SQLITE_ERROR", "workerd's tables are hidden");
    throws(() => sql.exec("CREATE TABLE _cf_x (a)"), "not authorized: SQLITE_AUTH", "reserved names");
    throws(() => sql.exec("BEGIN"), "To execute a transaction, please use the state.storage.transaction() or state.storage.transactionSync() APIs instead of the SQL BEGIN TRANSACTION or SAVEPOINT statements. The JavaScript API is safer because it will automatically roll back on exceptions, and because it interacts correctly with Durable Objects' automatic atomic write coalescing.", "BEGIN");
    ok(sql.databaseSize > 0, "databaseSize");
    // transactionSync
    eq(this.ctx.storage.transactionSync(() => { sql.exec("INSERT INTO t (a) VALUES (3)"); return "r"; }), "r", "transactionSync value");
    throws(() => this.ctx.storage.transactionSync(() => { sql.exec("CREATE TABLE u (a)"); throw new Error("x"); }), "x", "transactionSync throw");
    eq(JSON.stringify(sql.exec("SELECT name FROM sqlite_master ORDER BY name").toArray()), '[{"name":"t"}]', "rolled back");
    eq(sql.exec("SELECT count(*) AS n FROM t").one().n, 3, "committed");
    return "ok";
  }
  async kvAndDeleteAll() {
    const s = this.ctx.storage;
    const kv = s.kv;
    eq(tag(kv), "[object SyncKvStorage]", "kv tag");
    eq(kv.put("z", { a: 1 }), undefined, "kv.put");
    eq(JSON.stringify(kv.get("z")), '{"a":1}', "kv.get"); eq(kv.get("nope"), undefined, "kv.get missing");
    eq(JSON.stringify([...kv.list()]), '[["z",{"a":1}]]', "kv.list");
    eq(kv.delete("z"), true, "kv.delete"); eq(kv.delete("z"), false, "kv.delete again");
    await s.put("k", 1);
    s.sql.exec("CREATE TABLE t (a)");
    eq(JSON.stringify(s.sql.exec("SELECT name FROM sqlite_master ORDER BY name").toArray()), '[{"name":"_cf_KV"},{"name":"t"}]', "KV pairs live in _cf_KV");
    await s.setAlarm(ALARM_AT);
    await s.deleteAll();
    eq(JSON.stringify(s.sql.exec("SELECT name FROM sqlite_master ORDER BY name").toArray()), '[{"name":"_cf_METADATA"}]', "deleteAll drops everything but the alarm");
    eq(await s.getAlarm(), ALARM_AT, "alarm kept");
    eq((await s.list()).size, 0, "no KV pairs");
    return "ok";
  }
}

export const sqlApi = {
  async test(ctrl, env) {
    eq(await env.SQL.getByName("api").api(), "ok", "api");
    eq(await env.SQL.getByName("kv").kvAndDeleteAll(), "ok", "kv");
    await env.KV.getByName("notsql").notSql();
  },
};

// more objects than workerd-py keeps database files open for (256): files are closed and reopened
export const manyObjects = {
  async test(ctrl, env) {
    const n = 300;
    await Promise.all(Array.from({ length: n }, (_, i) => env.KV.getByName("many" + i).put1(i)));
    const back = await Promise.all(Array.from({ length: n }, (_, i) => env.KV.getByName("many" + i).get1()));
    eq(back.join(), Array.from({ length: n }, (_, i) => i).join(), "every object kept its value");
  },
};

export const persistWrite = { async test(ctrl, env) { await env.KV.getByName("persist").write(); } };
export const persistRead = { async test(ctrl, env) { await env.KV.getByName("persist").read(); } };

export const alarmWrite = { async test(ctrl, env) { await env.KV.getByName("alarm").armSoon(1500); } };
export const alarmRead = {
  async test(ctrl, env) {
    const s = env.KV.getByName("alarm");
    for (let i = 0; i < 100 && (await s.fired()) === null; i++) await sleep(100);
    ok((await s.fired()) !== null, "an alarm set by the previous run fired");
  },
};
