// Durable Objects: the worker that exports the classes, and tests run from it. Expected values
// (ids, messages, orders) were recorded from workerd 2026-11-17.
import { DurableObject } from "cloudflare:workers";

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const fail = (msg) => { throw new Error(msg); };
const eq = (a, b, what = "") => {
  if (!Object.is(a, b)) fail(`${what}: expected ${JSON.stringify(b)}, got ${JSON.stringify(a)}`);
};
const ok = (v, what) => { if (!v) fail(`${what}: expected a truthy value`); };
const throws = (fn, Type, message, what) => {
  try { fn(); } catch (e) {
    if (Type && !(e instanceof Type)) fail(`${what}: expected ${Type.name}, got ${e && e.name}: ${e && e.message}`);
    if (message !== undefined) eq(e.message, message, what);
    return e;
  }
  fail(`${what}: did not throw`);
};
const rejects = async (p, Type, message, what) => {
  try { await p; } catch (e) {
    if (Type && !(e instanceof Type)) fail(`${what}: expected ${Type.name}, got ${e && e.name}: ${e && e.message}`);
    if (message !== undefined) eq(e.message, message, what);
    return e;
  }
  fail(`${what}: did not reject`);
};
const tag = (v) => Object.prototype.toString.call(v);
const entries = (m) => JSON.stringify([...m]);

let constructed = 0;

// ------------------------------------------------------------------------------------------ Counter
export class Counter extends DurableObject {
  field = 7;
  constructor(ctx, env) {
    super(ctx, env);
    this.count = 0;
    constructed++;
  }
  async fetch(request) {
    const url = new URL(request.url);
    if (url.pathname === "/throw") throw new RangeError("boom");
    if (url.pathname === "/id") return new Response(`${this.ctx.id} ${this.ctx.id.name}`);
    const body = await request.text();
    return new Response(`${request.method} ${request.url} ${request.headers.get("x-h")} ${body} ${arguments.length}`,
      { status: 201, headers: { "x-from": "object" } });
  }
  bump() { return ++this.count; }
  get prop() { return 5; }
  echo(...args) { return args; }
  async fail() { const e = new RangeError("bad thing"); e.code = 42; throw e; }
  async throwString() { throw "just a string"; }
  async alarm(info) { (this.alarms ??= []).push({ info, during: await this.ctx.storage.getAlarm() }); }
  whoAmI() { return [String(this.ctx.id), this.ctx.id.name, tag(this.ctx), tag(this.ctx.storage), tag(this.ctx.id)]; }

  async storageSuite() {
    const s = this.ctx.storage;
    eq(await s.put("a", 1), undefined, "put returns undefined");
    eq(await s.put({ b: 2, c: 3, "a/x": 4, "\u00e4": 5, "": 6, "\uffff": 7, "\u{1F600}": 8, A: 9, skipped: undefined }), undefined, "put(entries)");
    eq(await s.get("zz"), undefined, "get missing");
    eq(await s.get("a"), 1, "get");
    eq(await s.get("skipped"), undefined, "undefined entries are skipped");
    eq(entries(await s.get(["c", "a", "zz", "b"])), '[["a",1],["b",2],["c",3]]', "get(keys) is sorted, missing keys left out");
    eq(entries(await s.get([])), "[]", "get([])");
    // keys sort by UTF-8 bytes (SQLite), not UTF-16: U+FFFF before U+1F600
    eq(JSON.stringify([...(await s.list()).keys()]), '["","A","a","a/x","b","c","\u00e4","\uffff","\u{1F600}"]', "list order");
    eq(entries(await s.list({ prefix: "a" })), '[["a",1],["a/x",4]]', "prefix");
    eq(entries(await s.list({ start: "a/x", end: "c" })), '[["a/x",4],["b",2]]', "start/end");
    eq(entries(await s.list({ startAfter: "b" })).slice(0, 13), '[["c",3],["\u00e4"', "startAfter");
    eq(entries(await s.list({ reverse: true, limit: 2 })), '[["\u{1F600}",8],["\uffff",7]]', "reverse+limit");
    eq(entries(await s.list({ prefix: "a", reverse: true })), '[["a/x",4],["a",1]]', "prefix reverse");
    eq((await s.list({ limit: 1.5 })).size, 1, "fractional limit");
    eq((await s.list(undefined)).size, 9, "list(undefined)");
    await rejects(s.list({ limit: 0 }), TypeError, "List limit must be positive.", "limit 0");
    await rejects(s.list({ start: "a", startAfter: "b" }), TypeError, "list() cannot be called with both start and startAfter values.", "start+startAfter");
    eq(await s.delete("a"), true, "delete existing");
    eq(await s.delete("a"), false, "delete missing");
    eq(await s.delete(["b", "c", "nope"]), 2, "delete(keys)");
    await s.put("a\ud800b", "lone");
    eq(await s.get("a\ud800b"), "lone", "a key with a lone surrogate");
    ok([...(await s.list()).keys()].includes("a\ufffd\ufffd\ufffdb"), "...is stored as its WTF-8 bytes, listed as U+FFFDs");
    eq(await s.delete("a\ud800b"), true, "...and deleted by its name");
    await s.put(5, "five");
    eq(await s.get("5"), "five", "keys are strings");
    await rejects(s.put("x"), TypeError, "put() called with undefined value.", "put undefined");
    await rejects(s.put("f", () => 1), DOMException, "() => 1 could not be cloned.", "put function");
    await rejects(s.put("k".repeat(2049), 1), RangeError, "Keys cannot be larger than 2048 bytes. A key of size 2049 was provided.", "long key");
    await s.put("k".repeat(2048), 1);
    await rejects(s.get(Array.from({ length: 129 }, (_, i) => "k" + i)), RangeError, "Maximum number of key value pairs is 128. 129 pairs were provided.", "129 keys");
    await rejects(s.getCurrentBookmark(), Error, "This Durable Object's storage back-end does not implement point-in-time recovery.", "bookmarks");
    eq(await s.sync(), undefined, "sync");
    eq(await s.deleteAll(), undefined, "deleteAll");
    eq((await s.list()).size, 0, "empty after deleteAll");
    eq(tag(s.sql), "[object SqlStorage]", "sql is there");
    throws(() => s.sql.exec("SELECT 1"), Error, "This Durable Object is not backed by SQLite storage, so the SQL API is not available. SQL can be enabled on a new Durable Object class by using the `new_sqlite_classes` instead of `new_classes` under `[[migrations]]` in your wrangler.toml, but an already-deployed class cannot be converted to SQLite (except by deleting the existing data).", "sql on inMemory");
    throws(() => s.kv.get("a"), Error, undefined, "storage.kv on inMemory");
    throws(() => s.transactionSync(() => 1), Error, "Durable Object is not backed by SQL.", "transactionSync on inMemory");
    return "ok";
  }

  async valuesSuite() {
    const s = this.ctx.storage;
    const shared = { s: 1 };
    const cyc = { n: 1 }; cyc.self = cyc;
    const buf = new Uint8Array([1, 2, 3, 4]).buffer;
    const values = {
      int: 42, neg: -7, big32: 2 ** 31, dbl: 1.5, negz: -0, nan: NaN, inf: -Infinity, str: "h\u00e9llo", wide: "h\u20acllo \u{1F600}",
      lone: "a\ud800b", loneLong: "\u20ac".repeat(60) + "\udc00", empty: "", t: true, f: false, n: null, bi: 10n, bineg: -(2n ** 70n), date: new Date(7), re: /ab+c/gi,
      arr: [1, "a", null], sparse: [1, , 3], map: new Map([[1, "a"], ["k", { z: 1 }]]), set: new Set(["a", 2]),
      ab: buf, u8: new Uint8Array([4, 5]), i16: new Int16Array([-1, 2]), f64: new Float64Array([0.5]),
      sub: new Uint8Array(buf, 1, 2), dv: new DataView(new ArrayBuffer(2)), err: new RangeError("bad"),
      numobj: new Number(3), strobj: new String("s"), boolobj: new Boolean(false),
      nested: { deep: { deeper: [new Map(), new Set()] } }, refs: [shared, shared], cyc, obj: { b: 2, 1: 3, "x y": [1] },
    };
    await s.put(values);
    const got = await s.get(Object.keys(values));
    const v = (k) => got.get(k);
    eq(v("int"), 42, "int"); eq(v("neg"), -7, "neg"); eq(v("big32"), 2 ** 31, "2^31"); eq(v("dbl"), 1.5, "double");
    eq(v("negz"), -0, "-0"); eq(v("nan"), NaN, "NaN"); eq(v("inf"), -Infinity, "-Infinity");
    eq(v("str"), "h\u00e9llo", "latin1"); eq(v("wide"), "h\u20acllo \u{1F600}", "two-byte"); eq(v("lone"), "a\ud800b", "lone surrogate"); eq(v("loneLong"), "\u20ac".repeat(60) + "\udc00", "long string with a lone surrogate");
    eq(v("empty"), "", "empty string"); eq(v("t"), true, "true"); eq(v("f"), false, "false"); eq(v("n"), null, "null");
    eq(v("bi"), 10n, "bigint"); eq(v("bineg"), -(2n ** 70n), "big negative bigint");
    eq(tag(v("date")), "[object Date]", "Date"); eq(v("date").getTime(), 7, "Date value");
    eq(String(v("re")), "/ab+c/gi", "RegExp");
    eq(JSON.stringify(v("arr")), '[1,"a",null]', "array");
    eq(v("sparse").length, 3, "sparse length"); eq(1 in v("sparse"), false, "hole kept"); eq(v("sparse")[2], 3, "sparse value");
    eq(entries(v("map")), '[[1,"a"],["k",{"z":1}]]', "Map"); eq(JSON.stringify([...v("set")]), '["a",2]', "Set");
    eq(tag(v("ab")), "[object ArrayBuffer]", "ArrayBuffer"); eq(String(new Uint8Array(v("ab"))), "1,2,3,4", "ArrayBuffer bytes");
    eq(tag(v("u8")), "[object Uint8Array]", "Uint8Array"); eq(String(v("u8")), "4,5", "Uint8Array bytes");
    eq(String(v("i16")), "-1,2", "Int16Array"); eq(String(v("f64")), "0.5", "Float64Array");
    eq(String(v("sub")), "2,3", "view with offset"); eq(v("sub").byteOffset, 1, "view offset kept"); eq(v("sub").buffer.byteLength, 4, "whole buffer kept");
    eq(tag(v("dv")), "[object DataView]", "DataView");
    eq(v("err") instanceof RangeError, true, "RangeError"); eq(v("err").message, "bad", "error message");
    eq(tag(v("numobj")), "[object Number]", "Number object"); eq(typeof v("numobj"), "object", "Number object is an object");
    eq(String(v("strobj")), "s", "String object"); eq(v("boolobj").valueOf(), false, "Boolean object");
    eq(tag(v("nested").deep.deeper[0]), "[object Map]", "nested Map");
    eq(v("refs")[0] === v("refs")[1], true, "shared references stay shared");
    eq(v("cyc").self === v("cyc"), true, "cycles");
    eq(JSON.stringify(v("obj")), '{"1":3,"b":2,"x y":[1]}', "object keys");
    await rejects(s.put("sym", Symbol("x")), DOMException, "Symbol(x) could not be cloned.", "symbol");
    await rejects(s.put("p", Promise.resolve(1)), DOMException, undefined, "promise");
    return "ok";
  }

  async txnSuite() {
    const s = this.ctx.storage;
    await s.deleteAll();
    const r = await s.transaction(async (txn) => {
      eq(tag(txn), "[object DurableObjectTransaction]", "txn tag");
      await txn.put("t", 1);
      eq(await txn.get("t"), 1, "read own write");
      return "result";
    });
    eq(r, "result", "transaction returns the closure's value");
    eq(await s.get("t"), 1, "committed");
    await rejects(s.transaction(async (txn) => { await txn.put("t2", 1); await txn.delete("t"); throw new Error("abort!"); }), Error, "abort!", "throwing closure");
    eq(await s.get("t2"), undefined, "rolled back (put)");
    eq(await s.get("t"), 1, "rolled back (delete)");
    await s.transaction(async (txn) => { await txn.put("t3", 1); txn.rollback(); });
    eq(await s.get("t3"), undefined, "rollback()");
    return "ok";
  }
  async slowTxn() {
    return this.ctx.storage.transaction(async (txn) => { await txn.put("x", 1); await sleep(50); await txn.put("y", 1); return "done"; });
  }
  async keys() { return [...(await this.ctx.storage.list()).keys()]; }

  async alarmSuite() {
    const s = this.ctx.storage;
    eq(await s.getAlarm(), null, "no alarm");
    const t = Date.now() + 100000;
    eq(await s.setAlarm(t), undefined, "setAlarm");
    eq(await s.getAlarm(), t, "getAlarm");
    await s.setAlarm(new Date(t + 1));
    eq(await s.getAlarm(), t + 1, "setAlarm(Date)");
    await s.put("k", 1);
    await s.deleteAll();
    eq(await s.getAlarm(), t + 1, "deleteAll keeps the alarm");
    eq(await s.deleteAlarm(), undefined, "deleteAlarm");
    eq(await s.getAlarm(), null, "deleted");
    await rejects(s.setAlarm("x"), TypeError, "Failed to execute 'setAlarm' on 'DurableObjectStorage': parameter 1 is not of type 'date'.", "string");
    await rejects(s.setAlarm(NaN), TypeError, "The value cannot be converted because it is not a valid Date.", "NaN");
    await rejects(s.setAlarm(-5), TypeError, "setAlarm() cannot be called with an alarm time <= 0", "negative");
    // a past time runs at once; getAlarm() is null inside alarm()
    this.alarms = [];
    const before = Date.now();
    await s.setAlarm(before - 5000);
    const clamped = await s.getAlarm();
    ok(clamped >= before && clamped < before + 1000, `a past alarm time is now (${clamped - before})`);
    await sleep(200);
    eq(this.alarms.length, 1, "alarm ran");
    eq(this.alarms[0].during, null, "getAlarm() inside alarm()");
    eq(this.alarms[0].info.retryCount, 0, "retryCount"); eq(this.alarms[0].info.isRetry, false, "isRetry");
    eq(await s.getAlarm(), null, "cleared after running");
    await s.setAlarm(Date.now() + 50);
    await sleep(300);
    eq(this.alarms.length, 2, "future alarm ran");
    return "ok";
  }
}

// ------------------------------------------------------------------------------------------ Plain
// not `extends DurableObject`: fetch works, RPC is refused
export class Plain {
  constructor(state, env) { this.state = state; }
  async fetch() { return new Response(`plain ${this.state.id}`); }
  hello() { return "hi"; }
}

// ------------------------------------------------------------------------------------------ Gate
const gateLog = [];
export class Gate extends DurableObject {
  constructor(ctx, env) {
    super(ctx, env);
    this.n = ++constructed;
    gateLog.push("ctor");
    ctx.blockConcurrencyWhile(async () => { await sleep(30); gateLog.push("bcw done"); });
  }
  ping(x) { gateLog.push("ping " + x); return x; }
  async sleepy(ms) { await sleep(ms); gateLog.push("sleepy " + ms); return ms; }
  log() { return gateLog; }
  instance() { return this.n; }
  bcw() { return this.ctx.blockConcurrencyWhile(async () => { await sleep(20); return 42; }); }
  async bcwThrow() {
    try { return await this.ctx.blockConcurrencyWhile(async () => { throw new Error("bcw err"); }); } catch (e) { return "caught"; }
  }
  async abortMe(reason) { this.ctx.abort(reason); return "not reached"; }
  async setAlarm() { await this.ctx.storage.setAlarm(Date.now() + 1000); }
  // `workerd test` runs entrypoints only: a Durable Object class's test() is never called
  test() { throw new Error("a Durable Object class was run as a test"); }
}

// ------------------------------------------------------------------------------------------ Retry
const retryLog = [];
export class Retry extends DurableObject {
  async alarm(info) {
    eq(tag(info), "[object AlarmInvocationInfo]", "alarm info tag");
    retryLog.push({ retryCount: info.retryCount, isRetry: info.isRetry, scheduledTime: info.scheduledTime });
    if (info.retryCount === 0) throw new Error("first attempt fails");
  }
  async arm() { await this.ctx.storage.setAlarm(Date.now()); }
  log() { return retryLog; }
}

// ------------------------------------------------------------------------------------------ tests
export const ids = {
  async test(ctrl, env) {
    const ns = env.COUNTER;
    eq(tag(ns), "[object DurableObjectNamespace]", "namespace tag");
    eq(Object.getOwnPropertyNames(Object.getPrototypeOf(ns)).sort().join(), "constructor,get,getByName,idFromName,idFromString,jurisdiction,newUniqueId", "namespace methods");
    const id = ns.idFromName("foo");
    eq(id.toString(), "1cf6edffe08a747ace2c6219cb305178399ab858e09fdc3b71ab8e53f43f9f6c", "idFromName hex");
    eq(ns.idFromName("").toString(), "52a3be25fec9fb8abd032219c65ed1236df17e8a52966c238151f6e2e013e385", "empty name");
    eq(ns.idFromName("a\ud800b").toString(), "bff4b1180013587c10620d0177f3d9d45bc1deaad98fe4c99e9e5ed02c187108", "lone surrogate (WTF-8)");
    eq(ns.idFromName("\u{1F600}\u00e9").toString(), "fbbb29302191d4d849eaade855c29b478bedd4c718a3e438ed4800a668928778", "non-ASCII name");
    eq(env.PLAIN.idFromName("foo").toString(), "8677f32017464f78b5da7555f1a5b4b81d5fb7947be539e3ba25b72362d94d98", "another unique key");
    ok(env.PLAIN.idFromName("foo").toString() !== id.toString(), "another unique key, another id");
    eq(String(id), id.toString(), "String(id)");
    eq(id.name, "foo", "name"); eq(tag(id), "[object DurableObjectId]", "id tag");
    eq(Object.getOwnPropertyNames(Object.getPrototypeOf(id)).sort().join(), "constructor,equals,toString", "id methods");
    eq(JSON.stringify(id), '{"name":"foo"}', "JSON of a named id");
    eq(ns.idFromName(5).name, "5", "names are strings"); eq(ns.idFromName(null).name, "null", "null name");
    eq(ns.idFromName(undefined).name, "undefined", "explicit undefined");
    ok(id.equals(ns.idFromName("foo")), "equals"); ok(!id.equals(ns.idFromName("bar")), "not equals"); throws(() => id.equals("x"), TypeError, "Failed to execute 'equals' on 'DurableObjectId': parameter 1 is not of type 'DurableObjectId'.", "equals(non-id)");
    const u = ns.newUniqueId();
    ok(/^[0-9a-f]{64}$/.test(u.toString()), "unique id format"); eq(u.name, undefined, "unique id has no name");
    eq(JSON.stringify(u), "{}", "JSON of a unique id");
    ok(u.toString() !== ns.newUniqueId().toString(), "unique ids differ");
    const back = ns.idFromString(u.toString());
    ok(back.equals(u), "idFromString round trip"); eq(back.name, undefined, "idFromString has no name");
    eq(ns.idFromString(id.toString().toUpperCase()).toString(), id.toString(), "upper case hex");
    throws(() => ns.idFromString("abc"), TypeError, "Invalid Durable Object ID: must be 64 hex digits", "short");
    throws(() => ns.idFromString("z".repeat(64)), TypeError, "Invalid Durable Object ID: must be 64 hex digits", "not hex");
    throws(() => ns.idFromString(5), TypeError, "Invalid Durable Object ID: must be 64 hex digits", "number");
    const s = u.toString();
    throws(() => ns.idFromString(s.slice(0, 63) + (s[63] === "0" ? "1" : "0")), TypeError, "Durable Object ID is not valid for this namespace.", "bad MAC");
    throws(() => env.PLAIN.idFromString(id.toString()), TypeError, "Durable Object ID is not valid for this namespace.", "other namespace");
    throws(() => ns.idFromName(), TypeError, "Failed to execute 'idFromName' on 'DurableObjectNamespace': parameter 1 is not of type 'string'.", "no name");
    throws(() => ns.get("x"), TypeError, "Failed to execute 'get' on 'DurableObjectNamespace': parameter 1 is not of type 'DurableObjectId'.", "get(string)");
    throws(() => ns.get({}), TypeError, undefined, "get(object)");
    throws(() => ns.jurisdiction("eu"), Error, "Jurisdiction restrictions are not implemented in workerd.", "jurisdiction");
    throws(() => ns.newUniqueId({ jurisdiction: "eu" }), Error, "Jurisdiction restrictions are not implemented in workerd.", "newUniqueId jurisdiction");
    throws(() => new (id.constructor)(), TypeError, "Illegal constructor", "new DurableObjectId");
  },
};

export const stubs = {
  async test(ctrl, env) {
    const id = env.COUNTER.idFromName("stubs");
    const s = env.COUNTER.get(id);
    ok(s.id === id, "stub.id is the id"); eq(s.name, "stubs", "stub.name");
    eq(tag(s), "[object DurableObject]", "stub tag"); eq(s.constructor.name, "DurableObject", "stub class");
    eq(typeof s.then, "undefined", "a stub is not thenable"); eq(typeof s.anything, "function", "any property is an RPC method");
    eq(Object.keys(s).join(), "name,id", "own keys"); eq(JSON.stringify(s), '{"name":"stubs","id":{"name":"stubs"}}', "JSON");
    throws(() => s.constructor(), TypeError, "Illegal constructor", "stub constructor");
    eq(env.COUNTER.get(env.COUNTER.idFromString(id.toString())).name, undefined, "stub from idFromString");
    const s2 = env.COUNTER.getByName("stubs");
    eq(s2.id.toString(), id.toString(), "getByName id"); eq(s2.name, "stubs", "getByName name");
    // one instance per id
    eq(await s.bump(), 1, "first call"); eq(await s2.bump(), 2, "same object through another stub");
    eq(await env.COUNTER.getByName("stubs-other").bump(), 1, "another id, another object");
    eq(JSON.stringify(await s.whoAmI()), JSON.stringify([id.toString(), "stubs", "[object DurableObjectState]", "[object DurableObjectStorage]", "[object DurableObjectId]"]), "ctx");
    // fetch
    const r = await s.fetch("http://do/echo?x=1", { method: "POST", body: "payload", headers: { "x-h": "v" } });
    eq(r.status, 201, "status"); eq(r.headers.get("x-from"), "object", "headers");
    eq(await r.text(), "POST http://do/echo?x=1 v payload 3", "request seen by the object (fetch gets 3 arguments)");
    eq(await (await s.fetch(new Request("http://do/id"))).text(), `${id} stubs`, "fetch(Request)");
    const e = await rejects(s.fetch("http://do/throw"), RangeError, "boom", "exception in fetch()");
    eq(e.remote, true, "remote");
    await rejects(s.fetch("/relative"), TypeError, "Invalid URL: /relative", "relative URL");
    await rejects(env.GATE.getByName("nofetch").fetch("http://x/"), Error, "Handler does not export a fetch() function.", "no fetch()");
    // RPC values (V8 serialization both ways)
    const v = await s.echo(1, "a", null, undefined, 5n, new Date(3), new Map([[1, { a: [1] }]]), new Set(["x"]), new Uint8Array([1, 2]), /x/g, [1, , 3], { nested: { deep: true } });
    eq(v.map(tag).join(), "[object Number],[object String],[object Null],[object Undefined],[object BigInt],[object Date],[object Map],[object Set],[object Uint8Array],[object RegExp],[object Array],[object Object]", "RPC value types");
    eq(entries(v[6]), '[[1,{"a":[1]}]]', "Map content"); eq(String(v[8]), "1,2", "bytes"); eq(1 in v[10], false, "hole");
    eq(await s.prop, 5, "await stub.prop reads a getter");
    await rejects(s.prop(), TypeError, '"prop" is not a function.', "calling a getter");
    // errors
    const err = await rejects(s.fail(), RangeError, "bad thing", "thrown error");
    eq(err.remote, true, "remote"); eq(err.code, undefined, "extra properties are not kept");
    eq(JSON.stringify(Object.keys(err)), '["remote"]', "own keys of a remote error");
    const err2 = await rejects(s.throwString(), Error, "just a string", "thrown string");
    eq(err2.remote, true, "remote string");
    await rejects(s.nope(), TypeError, 'The RPC receiver does not implement the method "nope".', "unknown method");
    await rejects(s.field(), TypeError, 'The RPC receiver does not implement the method "field".', "class fields are not exposed");
    eq(s.toString(), "[object DurableObject]", "Object.prototype methods are the stub's own");
    await rejects(s.alarm(), TypeError, "'alarm' is a reserved method and cannot be called over RPC.", "alarm");
    await rejects(s.echo(Symbol("x")), DOMException, "Symbol(x) could not be cloned.", "symbol argument");
    // a class that does not extend DurableObject
    const p = env.PLAIN.getByName("p");
    eq(await (await p.fetch("http://x/")).text(), `plain ${env.PLAIN.idFromName("p")}`, "plain fetch");
    await rejects(p.hello(), TypeError, 'The receiving Durable Object does not support RPC, because its class was not declared with `extends DurableObject`. In order to enable RPC, make sure your class extends the special class `DurableObject`, which can be imported from the module "cloudflare:workers".', "plain RPC");
  },
};

export const storage = {
  async test(ctrl, env) {
    eq(await env.COUNTER.getByName("storage").storageSuite(), "ok", "storage");
    eq(await env.COUNTER.getByName("values").valuesSuite(), "ok", "values");
  },
};

export const transactions = {
  async test(ctrl, env) {
    const s = env.COUNTER.getByName("txn");
    eq(await s.txnSuite(), "ok", "transactions");
    // other events wait while a transaction runs
    const p = s.slowTxn();
    await sleep(10);
    eq(JSON.stringify(await s.keys()), '["t","x","y"]', "an event during a transaction waits for it");
    eq(await p, "done", "slow transaction");
  },
};

export const gate = {
  async test(ctrl, env) {
    const g = env.GATE.getByName("order");
    const calls = [g.ping(1), g.ping(2), g.sleepy(30), g.ping(3), g.sleepy(5), g.ping(4)];
    await Promise.all(calls);
    eq(JSON.stringify(await g.log()), '["ctor","bcw done","ping 1","ping 2","ping 3","ping 4","sleepy 5","sleepy 30"]', "constructor's blockConcurrencyWhile, then events in order");
    eq(await g.bcw(), 42, "blockConcurrencyWhile returns the callback's value");
    // a failing blockConcurrencyWhile resets the object: events in flight fail, the stub stays broken
    const b = env.GATE.getByName("broken");
    const first = await b.instance();
    const slow = b.sleepy(50);
    const e = await rejects(b.bcwThrow(), Error, "bcw err", "bcw failure");
    eq(e.remote, undefined, "not remote");
    await rejects(slow, Error, "bcw err", "in-flight event");
    await rejects(b.instance(), Error, "bcw err", "same stub");
    const fresh = await env.GATE.getByName("broken").instance();
    ok(fresh !== first, "a new stub gets a new instance");
    // ctx.abort()
    await rejects(env.GATE.getByName("a1").abortMe(), Error, "Application called abort() to reset Durable Object.", "abort()");
    await rejects(env.GATE.getByName("a2").abortMe("why"), Error, "why", "abort(reason)");
    const a3 = env.GATE.getByName("a3");
    await rejects(a3.abortMe(new RangeError("rr")), Error, "RangeError: rr", "abort(error)");
    await rejects(a3.instance(), Error, "RangeError: rr", "aborted stub");
    await rejects(env.GATE.getByName("x").setAlarm(), TypeError, "Your Durable Object class must have an alarm() handler in order to call setAlarm()", "setAlarm without alarm()");
  },
};

export const alarms = {
  async test(ctrl, env) {
    eq(await env.COUNTER.getByName("alarm").alarmSuite(), "ok", "alarms");
  },
};

export const alarmRetry = {
  async test(ctrl, env) {
    const r = env.RETRY.getByName("r");
    await r.arm();
    for (let i = 0; i < 80 && (await r.log()).length < 2; i++) await sleep(100);
    const log = await r.log();
    eq(log.length, 2, "a failed alarm is retried");
    eq(log[0].retryCount, 0, "first"); eq(log[1].retryCount, 1, "retry"); eq(log[1].isRetry, true, "isRetry");
    eq(log[1].scheduledTime, log[0].scheduledTime, "same scheduledTime");
  },
};
