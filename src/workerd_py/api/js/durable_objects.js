// Durable Objects glue: DurableObjectNamespace, DurableObjectId, the stub, DurableObjectState,
// DurableObjectStorage (+ transactions, alarms, storage.sql, storage.kv). The Python side is server/durable_objects.py; see its docstring for the whole design.
//
// Two roles, one module:
// - caller: a worker with a `durableObjectNamespace` binding builds ids and stubs here. A stub's
//   fetch() goes through a Fetcher whose target routes to the object; its RPC calls serialize the
//   arguments (V8 format) and call host.doCall, which delivers them to the object's isolate.
// - owner: the worker that exports the class. The host calls internal.doConstruct / doFetch /
//   doRpc / doAlarm on it; storage operations are synchronous host calls on the object's SQLite
//   database, wrapped in already-settled promises (so no other event runs in between: the input
//   gate of workerd holds without any bookkeeping).
//
// Values (storage values, RPC arguments, results and errors) use V8's ValueSerializer format,
// version 15, the bytes workerd itself stores in `_cf_KV`: see v8serialize.js.
(function (internal, host) {
  'use strict';

  // V8 serialization (storage values, RPC arguments, results and errors): v8serialize.js, loaded
  // before this module (registry._DEPENDS)
  const serialize = internal.v8Serialize, deserialize = internal.v8Deserialize, kNoClone = internal.kNoClone;
  const toStr = Object.prototype.toString;

  // ======================================================================== ids, namespaces, stubs
  const kHex = Symbol('id'), kNs = Symbol('namespace'), kEph = Symbol('ephemeral');
  const makeId = (hex, name) => {
    const id = Object.create(DurableObjectId.prototype);
    Object.defineProperty(id, kHex, { value: hex });
    Object.defineProperty(id, 'name', { value: name, enumerable: true });
    return id;
  };
  class DurableObjectId {
    constructor() { internal.illegal(); }
    toString() { return this[kHex]; }
    equals(other) {
      if (!(other instanceof DurableObjectId)) throw new TypeError("Failed to execute 'equals' on 'DurableObjectId': parameter 1 is not of type 'DurableObjectId'.");
      return other[kHex] === this[kHex];
    }
  }

  const argError = (method, n, type) => new TypeError(`Failed to execute '${method}' on 'DurableObjectNamespace': parameter ${n} is not of type '${type}'.`);
  const noJurisdiction = () => new Error('Jurisdiction restrictions are not implemented in workerd.');
  const HEX64 = /^[0-9a-fA-F]{64}$/;
  class DurableObjectNamespace {
    constructor() { internal.illegal(); }
    newUniqueId(options = undefined) {
      if (options !== undefined && options !== null && options.jurisdiction !== undefined) throw noJurisdiction();
      return makeId(host.doNewUniqueId(this[kNs]), undefined);
    }
    idFromName(name) {
      if (name === undefined && arguments.length === 0) throw argError('idFromName', 1, 'string');
      name = String(name);
      return makeId(host.doIdFromName(this[kNs], name), name);
    }
    idFromString(id) {
      const s = String(id);
      if (!HEX64.test(s)) throw new TypeError('Invalid Durable Object ID: must be 64 hex digits');
      const hex = s.toLowerCase();
      if (!host.doCheckId(this[kNs], hex)) throw new TypeError('Durable Object ID is not valid for this namespace.');
      return makeId(hex, undefined);
    }
    get(id, options = undefined) {
      if (!(id instanceof DurableObjectId)) throw argError('get', 1, 'DurableObjectId');
      return makeStub(this[kNs], id[kHex], id.name, id);
    }
    getByName(name, options = undefined) {
      if (name === undefined && arguments.length === 0) throw argError('getByName', 1, 'string');
      return this.get(this.idFromName(name), options);
    }
    jurisdiction(j) { throw noJurisdiction(); }
  }
  internal.makeDurableObjectNamespace = (ns) => {
    const o = Object.create(DurableObjectNamespace.prototype);
    Object.defineProperty(o, kNs, { value: ns });
    return o;
  };
  // ephemeralLocal namespaces (experimental in workerd): get(name) only, no storage
  class ColoLocalActorNamespace {
    constructor() { internal.illegal(); }
    get(name) { name = String(name); return makeStub(this[kNs], null, name, undefined, true); }
  }
  internal.makeEphemeralNamespace = (ns) => {
    const o = Object.create(ColoLocalActorNamespace.prototype);
    Object.defineProperty(o, kNs, { value: ns });
    return o;
  };

  // The stub: `id`, `name` and `fetch()` are its own; any other property is an RPC method
  // (callable) that is also thenable (`await stub.prop` reads a property of the object).
  const kStub = Symbol('stub');
  // stub classes are plain functions: `stub.constructor()` throws "Illegal constructor" as in workerd
  const DurableObject = function DurableObject() { internal.illegal(); };
  const ServiceStub = function ServiceStub() { internal.illegal(); };
  const REMOTE = '\u0000remote:'; // marks errors the object threw (server/durable_objects.py)
  const fixRemote = (e) => {
    if (e instanceof Error && typeof e.message === 'string' && e.message.startsWith(REMOTE)) {
      e.message = e.message.slice(REMOTE.length);
      e.remote = true;
    }
    throw e;
  };
  const remoteError = (v) => {
    const e = v instanceof Error ? v : new Error(String(v));
    e.remote = true;
    return e;
  };
  const settleCall = (r) => {
    const v = deserialize(r[1], false);
    if (r[0]) return v;
    throw remoteError(v);
  };
  // a stub binds to the object's current instance on first use (a reset instance stays failed)
  const gen = (s) => (s.gen === null ? (s.gen = host.doStubGen(s.ns, s.hex, s.name)) : s.gen);
  const call = (s, method, mode, args) => {
    let bytes;
    try { bytes = serialize(args); } catch (e) { return Promise.reject(e); }
    return host.doCall(s.ns, s.hex, s.name, gen(s), method, mode, bytes).then(settleCall);
  };
  const stubFetch = (s) => function fetch(input, init = undefined) {
    if (typeof input === 'string' || (internal.isURL !== undefined && internal.isURL(input))) {
      if (host.urlParse(String(input), undefined) === null) return Promise.reject(new TypeError(`Invalid URL: ${input}`));
    }
    if (s.fetcher === null) s.fetcher = internal.makeFetcher(host.doTarget(s.ns, s.hex, s.name, gen(s)), false);
    return s.fetcher.fetch(input, init).catch(fixRemote);
  };
  const rpcProperty = (s, name) => {
    const f = (...args) => call(s, name, 'call', args);
    f.then = (ok, fail) => call(s, name, 'get', []).then(ok, fail);
    f[Symbol.toStringTag] = 'JsRpcProperty';
    f.toString = toStr; // String(stub.x) is "[object JsRpcProperty]", as in workerd
    return f;
  };
  const makeStub = (ns, hex, name, id, ephemeral = false) => {
    const s = { ns, hex, name, gen: null, fetcher: null };
    const t = Object.create((ephemeral ? ServiceStub : DurableObject).prototype);
    Object.defineProperty(t, kStub, { value: s });
    if (!ephemeral) {
      Object.defineProperty(t, 'name', { value: name, enumerable: true });
      Object.defineProperty(t, 'id', { value: id, enumerable: true });
    }
    const fetch = stubFetch(s);
    return new Proxy(t, {
      get(target, prop, recv) {
        if (typeof prop !== 'string') return Reflect.get(target, prop, recv);
        switch (prop) {
          case 'fetch': return fetch;
          case 'then': case 'toJSON': return undefined;
          case 'connect': return () => { throw new Error('connect() is not supported by this runtime yet.'); };
        }
        // the stub's own properties (id, name) and inherited ones (constructor, toString...) win
        if (prop in target) return Reflect.get(target, prop, recv);
        return rpcProperty(s, prop);
      },
      set() { return false; },
    });
  };

  // ======================================================================== owner: the object
  // Everything below runs in the isolate of the worker that exports the class. `oid` is the
  // Python handle of the object (storage, input gate, alarms).
  const notSqlite = () => new Error('This Durable Object is not backed by SQLite storage, so the SQL API is not available. SQL can be enabled on a new Durable Object class by using the `new_sqlite_classes` instead of `new_classes` under `[[migrations]]` in your wrangler.toml, but an already-deployed class cannot be converted to SQLite (except by deleting the existing data).');
  // the messages differ between inMemory storage (no SQLite at all) and localDisk without enableSql
  const KV_ONLY = "The storage.kv (synchronous KV) API is only available for SQLite-backed Durable Objects, but this object's namespace is not declared to use SQLite. You can use the older, asyncronous interface via methods of `storage` itself (e.g. `storage.get()`). ";
  const notSqlKv = (backed) => new Error(KV_ONLY + (backed
    ? 'Alternatively, to enable SQLite, change `new_classes` to `new_sqlite_classes` within the \'migrations\' field in your wrangler.jsonc or wrangler.toml file. If using workerd directly, set `enableSql = true` in your workerd config for the class. Note that this change cannot be made after the class is already deployed to production.'
    : 'SQLite can be enabled on a new Durable Object class by using the `new_sqlite_classes` instead of `new_classes` under `migrations` in your wrangler.jsonc or wrangler.toml, but an already-deployed class cannot be converted to SQLite (except by deleting the existing data).'));
  const sqlDisabled = () => new Error("SQL is not enabled for this Durable Object class. To enable it, change `new_classes` to `new_sqlite_classes` within the 'migrations' field in your wrangler.jsonc or wrangler.toml file. If using workerd directly,set `enableSql = true` in your workerd config for the class. Note that this change cannot be made after the class is already deployed to production.");
  const notSql = (st) => (st.backed ? sqlDisabled() : notSqlite());
  const MAX_KEY = 2048;
  const MAX_GET = 128;
  const MAX_VALUE = 128 * 1024;
  const ENFORCED_MAX_VALUE = MAX_VALUE + 34; // workerd allows for the serialization overhead
  const value = (v) => {
    const b = serialize(v);
    if (b.length > ENFORCED_MAX_VALUE) throw new RangeError(`Values cannot be larger than ${MAX_VALUE} bytes. A value of size ${b.length} was provided.`);
    return b;
  };
  const utf8Len = (s) => {
    let k = 0;
    for (let i = 0; i < s.length; i++) {
      const c = s.charCodeAt(i);
      if (c < 0x80) k += 1; else if (c < 0x800) k += 2;
      else if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length && (s.charCodeAt(i + 1) & 0xfc00) === 0xdc00) { k += 4; i++; } else k += 3;
    }
    return k;
  };
  const checkKey = (k) => {
    k = String(k);
    const len = utf8Len(k);
    if (len > MAX_KEY) throw new RangeError(`Keys cannot be larger than ${MAX_KEY} bytes. A key of size ${len} was provided.`);
    return k;
  };
  const promised = (fn) => { try { return Promise.resolve(fn()); } catch (e) { return Promise.reject(e); } };

  // synchronous operations shared by storage, transactions and storage.kv
  const ops = (oid) => ({
    getOne(key) { const r = host.doGet1(oid, checkKey(key)); return r === null ? undefined : deserialize(r); },
    getMany(keys) {
      if (keys.length > MAX_GET) throw new RangeError(`Maximum number of key value pairs is ${MAX_GET}. ${keys.length} pairs were provided.`);
      const ks = Array.from(keys, checkKey);
      const flat = host.doGetSorted(oid, ks);
      const m = new Map();
      for (let i = 0; i < flat.length; i += 2) m.set(flat[i], deserialize(flat[i + 1]));
      return m;
    },
    put(key, v) {
      if (v === undefined) throw new TypeError('put() called with undefined value.');
      const k = checkKey(key);
      host.doPut1(oid, k, value(v));
    },
    putMany(entries) {
      const ks = [], vs = [];
      for (const k of Object.keys(entries)) {
        const v = entries[k];
        if (v === undefined) continue;
        ks.push(checkKey(k)); vs.push(value(v));
      }
      host.doPut(oid, ks, vs);
    },
    deleteOne(key) { return host.doDelete(oid, [checkKey(key)]) > 0; },
    deleteMany(keys) { return host.doDelete(oid, Array.from(keys, checkKey)); },
    list(options) {
      let start, startAfter, end, prefix, reverse = false, limit;
      if (options !== undefined && options !== null) {
        if (options.start !== undefined) start = String(options.start);
        if (options.startAfter !== undefined) startAfter = String(options.startAfter);
        if (options.end !== undefined) end = String(options.end);
        if (options.prefix !== undefined) prefix = String(options.prefix);
        if (options.reverse !== undefined) reverse = Boolean(options.reverse);
        if (options.limit !== undefined) {
          limit = Math.trunc(Number(options.limit));
          if (!(limit > 0)) throw new TypeError('List limit must be positive.');
        }
      }
      if (start !== undefined && startAfter !== undefined) throw new TypeError('list() cannot be called with both start and startAfter values.');
      return host.doList(oid, start ?? null, startAfter ?? null, end ?? null, prefix ?? null, reverse, limit ?? null);
    },
    deleteAll() { host.doDeleteAll(oid); },
    getAlarm() { return host.doGetAlarm(oid); },
    setAlarm(time, hasAlarm) {
      let ms;
      if (time instanceof Date) ms = time.getTime();
      else if (typeof time === 'number') ms = time;
      else throw new TypeError("Failed to execute 'setAlarm' on 'DurableObjectStorage': parameter 1 is not of type 'date'.");
      if (!Number.isFinite(ms)) throw new TypeError('The value cannot be converted because it is not a valid Date.');
      if (ms <= 0) throw new TypeError('setAlarm() cannot be called with an alarm time <= 0');
      if (!hasAlarm()) throw new TypeError('Your Durable Object class must have an alarm() handler in order to call setAlarm()');
      host.doSetAlarm(oid, Math.trunc(ms));
    },
    deleteAlarm() { host.doSetAlarm(oid, null); },
  });

  // list() results: values are deserialized in chunks, each in its own job, so that a long list
  // does not run into the per-job CPU slice; storage.kv.list() deserializes as it is iterated
  const LIST_CHUNK = 256;
  const listMap = async (flat) => {
    const m = new Map();
    for (let i = 0, k = 0; i < flat.length; i += 2, k++) {
      if (k === LIST_CHUNK) { k = 0; await undefined; }
      m.set(flat[i], deserialize(flat[i + 1]));
    }
    return m;
  };
  function* listIterator(flat) {
    for (let i = 0; i < flat.length; i += 2) yield [flat[i], deserialize(flat[i + 1])];
  }

  const kOps = Symbol('ops');
  class DurableObjectTransaction {
    constructor() { internal.illegal(); }
    get(keys, options = undefined) { return promised(() => Array.isArray(keys) ? this[kOps].getMany(keys) : this[kOps].getOne(keys)); }
    list(options = undefined) { return promised(() => listMap(this[kOps].list(options))); }
    put(key, value, options = undefined) {
      return promised(() => (key !== null && typeof key === 'object') ? this[kOps].putMany(key) : this[kOps].put(key, value));
    }
    delete(keys, options = undefined) { return promised(() => Array.isArray(keys) ? this[kOps].deleteMany(keys) : this[kOps].deleteOne(keys)); }
    deleteAll(options = undefined) { return promised(() => this[kOps].deleteAll()); }
    rollback() { this[kTxn].rolledBack = true; }
    getAlarm(options = undefined) { return promised(() => this[kOps].getAlarm()); }
    setAlarm(time, options = undefined) { return promised(() => this[kOps].setAlarm(time, this[kTxn].hasAlarm)); }
    deleteAlarm(options = undefined) { return promised(() => this[kOps].deleteAlarm()); }
  }
  const kTxn = Symbol('txn');

  class SqlStorageCursor {
    constructor() { internal.illegal(); }
    next() {
      const c = this[kTxn];
      if (c.i >= c.rows.length) return { done: true };
      return { done: false, value: rowObject(c.names, c.rows[c.i++]) };
    }
    toArray() { const out = []; for (const r of this) out.push(r); return out; }
    one() {
      const c = this[kTxn];
      const left = c.rows.length - c.i;
      if (left === 0) throw new Error('Expected exactly one result from SQL query, but got no results.');
      if (left > 1) throw new Error('Expected exactly one result from SQL query, but got multiple results.');
      return this.next().value;
    }
    raw() {
      const c = this[kTxn];
      const it = {
        [Symbol.toStringTag]: 'RawIterator',
        next() { return c.i >= c.rows.length ? { done: true } : { done: false, value: c.rows[c.i++] }; },
        toArray() { const out = []; while (c.i < c.rows.length) out.push(c.rows[c.i++]); return out; },
        [Symbol.iterator]() { return this; },
      };
      return it;
    }
    get columnNames() { return this[kTxn].names.slice(); }
    get rowsRead() { const c = this[kTxn]; return c.readsTable ? (c.rows.length ? Math.min(c.i + 1, c.rows.length) : c.written) : 0; }
    get rowsWritten() { return this[kTxn].written; }
    [Symbol.iterator]() { return this; }
  }
  const rowObject = (names, row) => { const o = {}; for (let i = 0; i < names.length; i++) o[names[i]] = row[i]; return o; };
  const toBlob = (v) => (v instanceof Uint8Array ? (v.byteOffset === 0 && v.byteLength === v.buffer.byteLength ? v.buffer : v.slice().buffer) : v);
  const sqlParam = (v) => {
    if (v === null || v === undefined) return null;
    switch (typeof v) {
      case 'number': case 'string': return v;
      case 'boolean': return String(v);
      case 'bigint': throw new TypeError('Cannot convert a BigInt value to a number');
    }
    if (v instanceof ArrayBuffer) return new Uint8Array(v);
    if (ArrayBuffer.isView(v)) return new Uint8Array(v.buffer, v.byteOffset, v.byteLength);
    return String(v);
  };
  class SqlStorageStatement { constructor() { internal.illegal(); } }
  class SqlStorage {
    constructor() { internal.illegal(); }
    exec(query, ...bindings) {
      const st = this[kTxn];
      if (!st.enabled) throw notSql(st);
      const r = host.doSql(st.oid, String(query), bindings.map(sqlParam));
      const rows = r[1];
      for (const row of rows) for (let i = 0; i < row.length; i++) row[i] = toBlob(row[i]);
      const c = Object.create(SqlStorageCursor.prototype);
      Object.defineProperty(c, kTxn, { value: { names: r[0], rows, i: 0, readsTable: r[2], written: r[3] } });
      return c;
    }
    get databaseSize() { const st = this[kTxn]; if (!st.enabled) throw notSql(st); return host.doDbSize(st.oid); }
    get Cursor() { return SqlStorageCursor; }
    get Statement() { return SqlStorageStatement; }
  }
  class SyncKvStorage {
    constructor() { internal.illegal(); }
    get(key) { this[kTxn].check(); return this[kOps].getOne(key); }
    list(options = undefined) { this[kTxn].check(); return listIterator(this[kOps].list(options)); }
    put(key, value) { this[kTxn].check(); this[kOps].put(key, value); }
    delete(key) { this[kTxn].check(); return this[kOps].deleteOne(key); }
  }

  class DurableObjectStorage {
    constructor() { internal.illegal(); }
    get(keys, options = undefined) { return promised(() => Array.isArray(keys) ? this[kOps].getMany(keys) : this[kOps].getOne(keys)); }
    list(options = undefined) { return promised(() => listMap(this[kOps].list(options))); }
    put(key, value, options = undefined) {
      return promised(() => (key !== null && typeof key === 'object') ? this[kOps].putMany(key) : this[kOps].put(key, value));
    }
    delete(keys, options = undefined) { return promised(() => Array.isArray(keys) ? this[kOps].deleteMany(keys) : this[kOps].deleteOne(keys)); }
    deleteAll(options = undefined) { return promised(() => this[kOps].deleteAll()); }
    // The closure runs with other events held back (as workerd does); a throw or rollback()
    // undoes its writes (an SQLite savepoint).
    transaction(closure) {
      const st = this[kTxn];
      return (async () => {
        host.doTxn(st.oid, 'begin', true);
        const txn = Object.create(DurableObjectTransaction.prototype);
        const t = { rolledBack: false, hasAlarm: st.hasAlarm };
        Object.defineProperty(txn, kOps, { value: this[kOps] });
        Object.defineProperty(txn, kTxn, { value: t });
        let result;
        try { result = await closure(txn); } catch (e) { host.doTxn(st.oid, 'rollback', true); throw e; }
        host.doTxn(st.oid, t.rolledBack ? 'rollback' : 'commit', true);
        return result;
      })();
    }
    transactionSync(closure) {
      const st = this[kTxn];
      if (!st.backed) throw new Error('Durable Object is not backed by SQL.');
      host.doTxn(st.oid, 'begin', false);
      let result;
      try { result = closure(); } catch (e) { host.doTxn(st.oid, 'rollback', false); throw e; }
      host.doTxn(st.oid, 'commit', false);
      return result;
    }
    getAlarm(options = undefined) { return promised(() => this[kOps].getAlarm()); }
    setAlarm(time, options = undefined) { return promised(() => this[kOps].setAlarm(time, this[kTxn].hasAlarm)); }
    deleteAlarm(options = undefined) { return promised(() => this[kOps].deleteAlarm()); }
    sync() { return Promise.resolve(); }
    getCurrentBookmark() { return Promise.reject(new Error("This Durable Object's storage back-end does not implement point-in-time recovery.")); }
    getBookmarkForTime(t) { return this.getCurrentBookmark(); }
    onNextSessionRestoreBookmark(b) { return this.getCurrentBookmark(); }
  }

  class DurableObjectState {
    constructor() { internal.illegal(); }
    waitUntil(p) { Promise.resolve(p).catch(() => {}); } // an object lives on: nothing to extend
    blockConcurrencyWhile(callback) {
      const oid = this[kTxn].oid;
      host.doGate(oid, 1);
      let p;
      try { p = Promise.resolve(callback()); } catch (e) { p = Promise.reject(e); }
      // a failing callback resets the object (workerd breaks its input gate): the events in
      // flight fail with its message
      return p.then((v) => { host.doGate(oid, 0); return v; }, (e) => {
        host.doGate(oid, -1, e instanceof Error ? e.message : String(e));
        throw e;
      });
    }
    abort(reason = undefined) {
      const why = reason === undefined ? 'Application called abort() to reset Durable Object.' : String(reason);
      host.doAbort(this[kTxn].oid, why);
      throw new Error(why);
    }
    acceptWebSocket(ws, tags = undefined) { throw new Error('WebSocket hibernation is not supported by this runtime yet.'); }
    getWebSockets(tag = undefined) { return []; }
    setWebSocketAutoResponse(pair = undefined) {}
    getWebSocketAutoResponse() { return null; }
    getWebSocketAutoResponseTimestamp(ws) { return null; }
    setHibernatableWebSocketEventTimeout(ms = undefined) {}
    getHibernatableWebSocketEventTimeout() { return null; }
    getTags(ws) { return []; }
  }

  // new Class(state, env) for the object `oid`; `features` = [enableSql, ephemeral]
  internal.doConstruct = (cls, oid, hex, name, env, enableSql, ephemeral, backed) => {
    if (typeof cls !== 'function') throw new TypeError('Durable Object class is not a constructor.');
    const hasAlarm = () => typeof cls.prototype.alarm === 'function';
    // backed: SQLite storage (localDisk); enabled: ...and enableSql (storage.sql, storage.kv)
    const st = { oid, hasAlarm, enabled: enableSql, backed, sql: null, kv: null };
    const state = Object.create(DurableObjectState.prototype);
    Object.defineProperty(state, kTxn, { value: st });
    if (ephemeral) {
      Object.defineProperty(state, 'id', { value: name, enumerable: true });
      Object.defineProperty(state, 'storage', { value: undefined, enumerable: true });
    } else {
      const o = ops(oid);
      const storage = Object.create(DurableObjectStorage.prototype);
      Object.defineProperty(storage, kOps, { value: o });
      Object.defineProperty(storage, kTxn, { value: st });
      st.sql = Object.create(SqlStorage.prototype);
      Object.defineProperty(st.sql, kTxn, { value: st });
      st.kv = Object.create(SyncKvStorage.prototype);
      Object.defineProperty(st.kv, kOps, { value: o });
      Object.defineProperty(st.kv, kTxn, { value: { check() { if (!enableSql) throw notSqlKv(backed); } } });
      Object.defineProperty(storage, 'sql', { value: st.sql, enumerable: true });
      Object.defineProperty(storage, 'kv', { value: st.kv, enumerable: true });
      Object.defineProperty(state, 'id', { value: makeId(hex, name === null ? undefined : name), enumerable: true });
      Object.defineProperty(state, 'storage', { value: storage, enumerable: true });
    }
    return new cls(state, env);
  };

  // a fetch event: the Request is built here, the object's fetch() gets it (workerd passes
  // (request, undefined, undefined)); returns the response parts or a promise of them
  const notResponse = () => new TypeError("Incorrect type for Promise: the Promise did not resolve to 'Response'.");
  internal.doFetch = (obj, method, url, flat, bodyId, cf, length) => {
    const req = internal.makeRequest(method, url, flat, bodyId, cf, length);
    if (obj === null || typeof obj !== 'object' || typeof obj.fetch !== 'function') throw new Error('Handler does not export a fetch() function.');
    const r = obj.fetch(req, undefined, undefined);
    const parts = internal.unpackResponse(r);
    if (parts !== null) return parts;
    if (!(r instanceof Promise)) throw notResponse();
    return r.then((v) => { const p = internal.unpackResponse(v); if (p === null) throw notResponse(); return p; });
  };

  // an RPC call: [true, serialized result] or [false, serialized error]; never rejects
  const RESERVED = new Set(['alarm', 'webSocketMessage', 'webSocketClose', 'webSocketError']);
  const lookup = (obj, name, base) => {
    let p = Object.getPrototypeOf(obj);
    while (p !== null && p !== Object.prototype && p !== base) {
      const d = Object.getOwnPropertyDescriptor(p, name);
      if (d !== undefined) return d;
      p = Object.getPrototypeOf(p);
    }
    return undefined;
  };
  const asError = (e) => (e instanceof Error ? e : new Error(String(e)));
  const failure = (e) => {
    try { return [false, serialize(asError(e))]; } catch (x) { return [false, serialize(new Error(String(e)))]; }
  };
  internal.doRpc = async (obj, method, mode, argBytes, ephemeral) => {
    try {
      const base = internal.cloudflareWorkers.DurableObject;
      if (!(obj instanceof base)) {
        throw new TypeError('The receiving Durable Object does not support RPC, because its class was not declared with `extends DurableObject`. In order to enable RPC, make sure your class extends the special class `DurableObject`, which can be imported from the module "cloudflare:workers".');
      }
      if (RESERVED.has(method)) throw new TypeError(`'${method}' is a reserved method and cannot be called over RPC.`);
      const args = deserialize(argBytes);
      const d = lookup(obj, method, base.prototype);
      if (d === undefined) throw new TypeError(`The RPC receiver does not implement the method "${method}".`);
      const v = d.get !== undefined ? d.get.call(obj) : d.value;
      let result;
      if (mode === 'get') result = await v;
      else {
        if (typeof v !== 'function') throw new TypeError(`"${method}" is not a function.`);
        result = await v.apply(obj, Array.isArray(args) ? args : []);
      }
      return [true, serialize(result)];
    } catch (e) {
      return failure(e);
    }
  };

  class AlarmInvocationInfo { constructor() { internal.illegal(); } }
  Object.defineProperty(AlarmInvocationInfo.prototype, kNoClone, { value: 'AlarmInvocationInfo' });
  internal.doAlarm = (obj, scheduledTime, retryCount) => {
    try {
      if (typeof obj.alarm !== 'function') return Promise.resolve();
      const info = Object.create(AlarmInvocationInfo.prototype);
      for (const [k, v] of [['scheduledTime', scheduledTime], ['retryCount', retryCount], ['isRetry', retryCount > 0]]) {
        Object.defineProperty(info, k, { value: v, enumerable: true });
      }
      return Promise.resolve(obj.alarm(info));
    } catch (e) { return Promise.reject(e); }
  };

  // WebIDL-style tags: Object.prototype.toString gives "[object DurableObjectId]" and so on
  const tags = [[DurableObjectId, 'DurableObjectId'], [DurableObjectNamespace, 'DurableObjectNamespace'],
    [ColoLocalActorNamespace, 'ColoLocalActorNamespace'], [DurableObject, 'DurableObject'], [ServiceStub, 'ServiceStub'],
    [DurableObjectState, 'DurableObjectState'], [DurableObjectStorage, 'DurableObjectStorage'],
    [DurableObjectTransaction, 'DurableObjectTransaction'], [SqlStorage, 'SqlStorage'], [SqlStorageCursor, 'Cursor'],
    [SqlStorageStatement, 'Statement'], [SyncKvStorage, 'SyncKvStorage'], [AlarmInvocationInfo, 'AlarmInvocationInfo']];
  for (const [C, tag] of tags) Object.defineProperty(C.prototype, Symbol.toStringTag, { value: tag, configurable: true });
  for (const C of [DurableObjectNamespace, ColoLocalActorNamespace, DurableObject, ServiceStub, DurableObjectState, DurableObjectStorage,
    DurableObjectTransaction, SqlStorage, SqlStorageCursor, SyncKvStorage]) {
    Object.defineProperty(C.prototype, kNoClone, { value: C.prototype[Symbol.toStringTag] });
  }

  internal.modules.durable_objects = { DurableObjectNamespace, DurableObjectId, DurableObjectState, DurableObjectStorage };
})
