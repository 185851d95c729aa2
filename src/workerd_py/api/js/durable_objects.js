// Durable Objects glue: DurableObjectNamespace, DurableObjectId, the stub, DurableObjectState,
// DurableObjectStorage (+ transactions, alarms, storage.sql, storage.kv) and V8's serialization
// format. The Python side is server/durable_objects.py; see its docstring for the whole design.
//
// Two roles, one module:
// - caller: a worker with a `durableObjectNamespace` binding builds ids and stubs here. A stub's
//   fetch() goes through a Fetcher whose target routes to the object; its RPC calls serialize the
//   arguments (V8 format, below) and call host.doCall, which delivers them to the object's isolate.
// - owner: the worker that exports the class. The host calls internal.doConstruct / doFetch /
//   doRpc / doAlarm on it; storage operations are synchronous host calls on the object's SQLite
//   database, wrapped in already-settled promises (so no other event runs in between: the input
//   gate of workerd holds without any bookkeeping).
//
// Values (storage values, RPC arguments, results and errors) use V8's ValueSerializer format,
// version 15, the bytes workerd itself stores in `_cf_KV` (checked against workerd 2026-11-17):
// undefined, null, booleans, numbers, BigInt, strings, Boolean/Number/String/BigInt objects, Date,
// RegExp, plain objects and class instances (own enumerable properties), arrays (dense and sparse,
// with extra properties), Map, Set, ArrayBuffer, typed arrays, DataView, Error and its standard
// subclasses (message, stack, cause), and shared or circular references. Functions, symbols,
// promises, weak collections and host objects (Request, streams, ...) are a DataCloneError.
(function (internal, host) {
  'use strict';

  // ======================================================================== V8 serialization
  const dataCloneError = (v) => {
    let what;
    try { what = typeof v === 'symbol' ? v.toString() : String(v); } catch (e) { what = Object.prototype.toString.call(v); }
    return new DOMException(`${what} could not be cloned.`, 'DataCloneError');
  };
  const scratch = new DataView(new ArrayBuffer(8));
  const ONE_BYTE = /^[\x00-\xff]*$/;
  const INDEX_KEY = /^(?:0|[1-9][0-9]*)$/;
  const SMI_MIN = -(2 ** 30), SMI_MAX = 2 ** 30 - 1; // V8 with pointer compression (31-bit Smis)
  const ERROR_TAGS = new Map([[EvalError.prototype, 0x45], [RangeError.prototype, 0x52], [ReferenceError.prototype, 0x46],
    [SyntaxError.prototype, 0x53], [TypeError.prototype, 0x54], [URIError.prototype, 0x55]]);
  const ERROR_CTORS = { 0x45: EvalError, 0x52: RangeError, 0x46: ReferenceError, 0x53: SyntaxError, 0x54: TypeError, 0x55: URIError };
  const VIEW_TAGS = [['Int8Array', 0x62], ['Uint8Array', 0x42], ['Uint8ClampedArray', 0x43], ['Int16Array', 0x77],
    ['Uint16Array', 0x57], ['Int32Array', 0x64], ['Uint32Array', 0x44], ['Float16Array', 0x68], ['Float32Array', 0x66],
    ['Float64Array', 0x46], ['BigInt64Array', 0x71], ['BigUint64Array', 0x51]];
  const VIEW_CTORS = Object.create(null);
  const VIEW_TAG_OF = new Map();
  for (const [name, tag] of VIEW_TAGS) {
    const C = globalThis[name];
    if (typeof C === 'function') { VIEW_CTORS[tag] = C; VIEW_TAG_OF.set(C.prototype, tag); }
  }
  const REGEXP_FLAGS = [['g', 1], ['i', 2], ['m', 4], ['y', 8], ['u', 16], ['s', 32], ['d', 128], ['v', 256]];
  const UNCLONEABLE = new Set(['[object Promise]', '[object WeakMap]', '[object WeakSet]', '[object WeakRef]',
    '[object Generator]', '[object AsyncGenerator]', '[object FinalizationRegistry]', '[object SharedArrayBuffer]']);
  const toStr = Object.prototype.toString;
  const kNoClone = Symbol('noClone'); // on prototypes of host types V8 cannot serialize

  // Writer and reader keep their state in module variables (creating a dozen closures per value
  // cost more than the work itself); serialize()/deserialize() save and restore it, since getters
  // of the value being written may store values themselves. Strings longer than LONG_STRING are
  // converted by the host in one call (Latin-1 or UTF-16LE bytes, lone surrogates kept).
  const LONG_STRING = 48;
  const scratchBytes = new Uint8Array(scratch.buffer);
  let W = null, wn = 0, wids = null, wnext = 0;
  const wGrow = (k) => {
    let c = W.length * 2;
    while (c < wn + k) c *= 2;
    const b = new Uint8Array(c); b.set(W.subarray(0, wn)); W = b;
  };
  const wByte = (b) => { if (wn >= W.length) wGrow(1); W[wn++] = b; };
  const wVarint = (v) => {
    if (wn + 10 > W.length) wGrow(10);
    while (v >= 0x80) { W[wn++] = (v % 0x80) | 0x80; v = Math.floor(v / 0x80); }
    W[wn++] = v;
  };
  const varintSize = (v) => { let k = 1; while (v >= 0x80) { v = Math.floor(v / 0x80); k++; } return k; };
  const wDouble = (d) => { if (wn + 8 > W.length) wGrow(8); scratch.setFloat64(0, d, true); W.set(scratchBytes, wn); wn += 8; };
  const wRaw = (u8) => { if (wn + u8.length > W.length) wGrow(u8.length); W.set(u8, wn); wn += u8.length; };
  const wTwoByteHeader = (len) => {
    if ((wn + 1 + varintSize(len)) & 1) wByte(0x00); // V8 aligns two-byte string data
    wByte(0x63); wVarint(len);
  };
  const wString = (s) => {
    const n = s.length;
    if (n > LONG_STRING) {
      const r = host.doEncodeString(s);
      if (r[0]) { wByte(0x22); wVarint(r[1].length); } else wTwoByteHeader(r[1].length);
      wRaw(r[1]);
      return;
    }
    const start = wn;
    wByte(0x22); wVarint(n);
    if (wn + n > W.length) wGrow(n);
    let i = 0;
    for (; i < n; i++) { const c = s.charCodeAt(i); if (c > 0xff) break; W[wn++] = c; }
    if (i < n) { // not Latin-1 after all: start again as a two-byte string
      wn = start;
      wTwoByteHeader(n * 2);
      if (wn + 2 * n > W.length) wGrow(2 * n);
      for (let i = 0; i < n; i++) { const c = s.charCodeAt(i); W[wn++] = c & 0xff; W[wn++] = c >> 8; }
    }
  };
  const wBigint = (v) => {
    const neg = v < 0n;
    let m = neg ? -v : v;
    const words = [];
    while (m > 0n) { words.push(m & 0xffffffffffffffffn); m >>= 64n; }
    wVarint(words.length * 16 + (neg ? 1 : 0)); // bitfield: byte length << 1 | sign
    for (const w of words) { let x = w; for (let i = 0; i < 8; i++) { wByte(Number(x & 0xffn)); x >>= 8n; } }
  };
  const wKey = (k) => {
    const c = k.charCodeAt(0);
    if (c >= 0x30 && c <= 0x39 && INDEX_KEY.test(k)) {
      const i = Number(k);
      if (i <= SMI_MAX) { wByte(0x49); wVarint(i * 2); return; }
      if (i < 2 ** 32 - 1) { wByte(0x4e); wDouble(i); return; }
    }
    wString(k);
  };
  const wProps = (o, keys) => { for (const k of keys) { wKey(k); write(o[k]); } return keys.length; };
  const findViewProto = (v) => {
    let p = Object.getPrototypeOf(v);
    while (p !== null && !VIEW_TAG_OF.has(p)) p = Object.getPrototypeOf(p);
    return p;
  };
  const write = (v) => {
    switch (typeof v) {
      case 'undefined': wByte(0x5f); return;
      case 'boolean': wByte(v ? 0x54 : 0x46); return;
      case 'number':
        if (Number.isInteger(v) && v >= SMI_MIN && v <= SMI_MAX && !Object.is(v, -0)) { wByte(0x49); wVarint(v >= 0 ? v * 2 : -v * 2 - 1); }
        else { wByte(0x4e); wDouble(v); }
        return;
      case 'bigint': wByte(0x5a); wBigint(v); return;
      case 'string': wString(v); return;
      case 'symbol': case 'function': throw dataCloneError(v);
    }
    if (v === null) { wByte(0x30); return; }
    if (wids === null) wids = new Map();
    else {
      const seen = wids.get(v);
      if (seen !== undefined) { wByte(0x5e); wVarint(seen); return; }
    }
    if (Object.getPrototypeOf(v) === Object.prototype && v[kNoClone] === undefined) { // plain objects first
      wids.set(v, wnext++);
      wByte(0x6f);
      const count = wProps(v, Object.keys(v));
      wByte(0x7b); wVarint(count);
      return;
    }
    if (ArrayBuffer.isView(v)) {
      const b = v.buffer;
      if (!(b instanceof ArrayBuffer)) throw dataCloneError(v);
      write(b); // the buffer comes first (and gets its id first), as in V8
      wids.set(v, wnext++);
      const tag = v instanceof DataView ? 0x3f : VIEW_TAG_OF.get(findViewProto(v));
      if (tag === undefined) throw dataCloneError(v);
      wByte(0x56); wByte(tag); wVarint(v.byteOffset); wVarint(v.byteLength); wVarint(0);
      return;
    }
    const tagName = toStr.call(v);
    if (UNCLONEABLE.has(tagName)) throw dataCloneError(v);
    if (v[kNoClone] !== undefined) throw new DOMException(`Could not serialize object of type "${v[kNoClone]}". This type does not support serialization.`, 'DataCloneError');
    wids.set(v, wnext++);
    if (Array.isArray(v)) {
      const len = v.length;
      let dense = true;
      for (let i = 0; i < len; i++) if (!(i in v)) { dense = false; break; }
      if (dense) {
        wByte(0x41); wVarint(len);
        for (let i = 0; i < len; i++) write(v[i]);
        const keys = Object.keys(v);
        const count = keys.length === len ? 0 : wProps(v, keys.filter((k) => !(INDEX_KEY.test(k) && Number(k) < len)));
        wByte(0x24); wVarint(count); wVarint(len);
      } else {
        wByte(0x61); wVarint(len);
        const count = wProps(v, Object.keys(v));
        wByte(0x40); wVarint(count); wVarint(len);
      }
      return;
    }
    if (v instanceof ArrayBuffer) { const u8 = new Uint8Array(v); wByte(0x42); wVarint(u8.length); wRaw(u8); return; }
    if (v instanceof Date) { wByte(0x44); wDouble(v.getTime()); return; }
    if (v instanceof RegExp) {
      wByte(0x52); wString(v.source);
      let f = 0;
      for (const [c, bit] of REGEXP_FLAGS) if (v.flags.includes(c)) f |= bit;
      wVarint(f);
      return;
    }
    if (v instanceof Map) {
      wByte(0x3b);
      let k = 0;
      for (const [a, b] of v) { write(a); write(b); k += 2; }
      wByte(0x3a); wVarint(k);
      return;
    }
    if (v instanceof Set) {
      wByte(0x27);
      let k = 0;
      for (const a of v) { write(a); k++; }
      wByte(0x2c); wVarint(k);
      return;
    }
    if (v instanceof Error) {
      wByte(0x72);
      let p = Object.getPrototypeOf(v);
      while (p !== null && !ERROR_TAGS.has(p) && p !== Error.prototype) p = Object.getPrototypeOf(p);
      if (p !== null && ERROR_TAGS.has(p)) wByte(ERROR_TAGS.get(p));
      const md = Object.getOwnPropertyDescriptor(v, 'message');
      if (md !== undefined && 'value' in md) { wByte(0x6d); wString(String(md.value)); }
      const stack = v.stack;
      if (typeof stack === 'string') {
        // V8 stacks start with "Name: message"; QuickJS keeps only the frames
        const head = `${v.name}: ${v.message}`;
        wByte(0x73); wString(stack.startsWith(head) ? stack : head + '\n' + stack.replace(/\n$/, ''));
      }
      if (Object.prototype.hasOwnProperty.call(v, 'cause')) { wByte(0x63); write(v.cause); }
      wByte(0x2e);
      return;
    }
    switch (tagName) {
      case '[object Boolean]': wByte(Boolean.prototype.valueOf.call(v) ? 0x79 : 0x78); return;
      case '[object Number]': wByte(0x6e); wDouble(Number.prototype.valueOf.call(v)); return;
      case '[object String]': wByte(0x73); wString(String.prototype.toString.call(v)); return;
      case '[object BigInt]': wByte(0x7a); wBigint(BigInt.prototype.valueOf.call(v)); return;
    }
    wByte(0x6f);
    const count = wProps(v, Object.keys(v));
    wByte(0x7b); wVarint(count);
  };
  let wDepth = 0;
  const wShared = new Uint8Array(4096);
  const serialize = (value) => {
    if (wDepth > 0) { // re-entered from a getter: keep the outer state
      const sW = W, sn = wn, sids = wids, snext = wnext;
      try { return serializeTop(value, new Uint8Array(64)); } finally { W = sW; wn = sn; wids = sids; wnext = snext; }
    }
    return serializeTop(value, wShared);
  };
  const serializeTop = (value, buf) => {
    W = buf; wn = 0; wids = null; wnext = 0;
    wDepth++;
    try {
      W[wn++] = 0xff; W[wn++] = 15;
      write(value);
      return W.slice(0, wn);
    } finally {
      wDepth--;
      if (W.length > 65536) W = null; // do not keep a large buffer around
      wids = null;
    }
  };

  const badData = () => new DOMException('Unable to deserialize cloned data.', 'DataCloneError');
  let R = null, rp = 0, rend = 0, robjs = null, rnext = 0, rKeepStack = true;
  const need = (k) => { if (rp + k > rend) throw badData(); };
  const rVarint = () => {
    let v = 0, mul = 1, b;
    do { if (rp >= rend) throw badData(); b = R[rp++]; v += (b & 0x7f) * mul; mul *= 0x80; } while (b & 0x80);
    return v;
  };
  const rDouble = () => { need(8); scratchBytes.set(R.subarray(rp, rp + 8)); rp += 8; return scratch.getFloat64(0, true); };
  const rTag = () => { for (;;) { if (rp >= rend) throw badData(); const t = R[rp++]; if (t !== 0x00) return t; } };
  const rPeek = () => { let q = rp; while (q < rend && R[q] === 0x00) q++; return q < rend ? R[q] : -1; };
  const chars = (codes) => {
    let s = '';
    for (let i = 0; i < codes.length; i += 8192) s += String.fromCharCode.apply(null, codes.subarray(i, i + 8192));
    return s;
  };
  const rOneByte = () => {
    const len = rVarint(); need(len);
    let s;
    if (len > LONG_STRING) s = host.doDecodeString(R.subarray(rp, rp + len), false);
    else { s = ''; for (let i = rp, e = rp + len; i < e; i++) s += String.fromCharCode(R[i]); }
    rp += len;
    return s;
  };
  const rTwoByte = () => {
    const len = rVarint(); need(len);
    if (len & 1) throw badData();
    let s = len > 2 * LONG_STRING ? host.doDecodeString(R.subarray(rp, rp + len), true) : null;
    if (s === null) { // short, or with lone surrogates (the host returns null)
      const codes = new Uint16Array(len / 2);
      for (let i = 0; i < codes.length; i++) codes[i] = R[rp + 2 * i] | (R[rp + 2 * i + 1] << 8);
      s = chars(codes);
    }
    rp += len;
    return s;
  };
  const rUtf8 = () => {
    const len = rVarint(); need(len);
    const s = host.decode('utf-8', R.subarray(rp, rp + len), false, true);
    rp += len;
    return s;
  };
  const rBigint = () => {
    const bits = rVarint();
    const len = Math.floor(bits / 2);
    need(len);
    let v = 0n;
    for (let i = len - 1; i >= 0; i--) v = (v << 8n) | BigInt(R[rp + i]);
    rp += len;
    return (bits & 1) ? -v : v;
  };
  const rString = () => {
    const t = rTag();
    if (t === 0x22) return rOneByte();
    if (t === 0x63) return rTwoByte();
    if (t === 0x53) return rUtf8();
    throw badData();
  };
  const rProps = (o, endTag) => {
    let count = 0;
    for (;;) {
      if (rPeek() === endTag) { rTag(); return count; }
      const k = read();
      if (typeof k !== 'string' && typeof k !== 'number') throw badData();
      const v = read();
      if (k === '__proto__') Object.defineProperty(o, k, { value: v, writable: true, enumerable: true, configurable: true });
      else o[k] = v;
      count++;
    }
  };
  const rView = (buffer) => {
    need(1);
    const sub = R[rp++];
    const offset = rVarint(), length = rVarint();
    rVarint(); // flags (format version >= 14)
    const id = rnext++;
    let v;
    try {
      if (sub === 0x3f) v = new DataView(buffer, offset, length);
      else {
        const C = VIEW_CTORS[sub];
        if (C === undefined || length % C.BYTES_PER_ELEMENT) throw badData();
        v = new C(buffer, offset, length / C.BYTES_PER_ELEMENT);
      }
    } catch (e) { throw badData(); }
    robjs[id] = v;
    return v;
  };
  const read = () => {
    const v = readInner();
    if (v instanceof ArrayBuffer && rPeek() === 0x56) { rTag(); return rView(v); }
    return v;
  };
  const readInner = () => {
    const t = rTag();
    switch (t) {
      case 0x5f: return undefined;
      case 0x30: return null;
      case 0x54: return true;
      case 0x46: return false;
      case 0x49: { const z = rVarint(); return (z % 2) ? -(z + 1) / 2 : z / 2; }
      case 0x55: return rVarint();
      case 0x4e: return rDouble();
      case 0x5a: return rBigint();
      case 0x22: return rOneByte();
      case 0x63: return rTwoByte();
      case 0x53: return rUtf8();
      case 0x5e: { const id = rVarint(); if (!(id in robjs)) throw badData(); return robjs[id]; }
      case 0x3f: rVarint(); return read(); // verify object count (old writers)
      case 0x6f: { const o = {}; robjs[rnext++] = o; rProps(o, 0x7b); rVarint(); return o; }
      case 0x41: {
        const len = rVarint(); const a = new Array(len); robjs[rnext++] = a;
        for (let i = 0; i < len; i++) { if (rPeek() === 0x2d) { rTag(); continue; } a[i] = read(); }
        rProps(a, 0x24); rVarint(); rVarint();
        return a;
      }
      case 0x61: { const len = rVarint(); const a = new Array(len); robjs[rnext++] = a; rProps(a, 0x40); rVarint(); rVarint(); return a; }
      case 0x44: { const d = new Date(rDouble()); robjs[rnext++] = d; return d; }
      case 0x79: case 0x78: { const o = Object(t === 0x79); robjs[rnext++] = o; return o; }
      case 0x6e: { const o = Object(rDouble()); robjs[rnext++] = o; return o; }
      case 0x7a: { const o = Object(rBigint()); robjs[rnext++] = o; return o; }
      case 0x73: { const o = Object(rString()); robjs[rnext++] = o; return o; }
      case 0x52: {
        const id = rnext++;
        const source = rString(); const bits = rVarint();
        let f = '';
        for (const [c, bit] of REGEXP_FLAGS) if (bits & bit) f += c;
        let r;
        try { r = new RegExp(source, f); } catch (e) { throw badData(); }
        robjs[id] = r;
        return r;
      }
      case 0x3b: {
        const m = new Map(); robjs[rnext++] = m;
        while (rPeek() !== 0x3a) { const k = read(); m.set(k, read()); }
        rTag(); rVarint();
        return m;
      }
      case 0x27: {
        const s = new Set(); robjs[rnext++] = s;
        while (rPeek() !== 0x2c) s.add(read());
        rTag(); rVarint();
        return s;
      }
      case 0x42: {
        const len = rVarint(); need(len);
        const b = R.slice(rp, rp + len).buffer; rp += len;
        robjs[rnext++] = b;
        return b;
      }
      case 0x7e: {
        const len = rVarint(), max = rVarint(); need(len);
        let b;
        try { b = new ArrayBuffer(len, { maxByteLength: max }); } catch (e) { b = new ArrayBuffer(len); }
        new Uint8Array(b).set(R.subarray(rp, rp + len)); rp += len;
        robjs[rnext++] = b;
        return b;
      }
      case 0x72: {
        const id = rnext++;
        let C = Error, message, stack, cause, hasCause = false;
        for (;;) {
          const s = rTag();
          if (s === 0x2e) break;
          if (ERROR_CTORS[s] !== undefined) C = ERROR_CTORS[s];
          else if (s === 0x6d) message = rString();
          else if (s === 0x73) stack = rString();
          else if (s === 0x63) { cause = read(); hasCause = true; }
          else throw badData();
        }
        const e = hasCause ? new C(message, { cause }) : new C(message);
        if (rKeepStack && stack !== undefined) {
          try { Object.defineProperty(e, 'stack', { value: stack, writable: true, configurable: true, enumerable: false }); } catch (x) { /* keep ours */ }
        }
        robjs[id] = e;
        return e;
      }
      default: throw badData();
    }
  };
  // keepStack: storage values keep their recorded stack (as V8 does); RPC errors get a local one.
  let rDepth = 0;
  const deserialize = (input, keepStack = true) => {
    if (rDepth > 0) {
      const sR = R, sp = rp, send = rend, sobjs = robjs, snext = rnext, sk = rKeepStack;
      try { return deserializeTop(input, keepStack); } finally { R = sR; rp = sp; rend = send; robjs = sobjs; rnext = snext; rKeepStack = sk; }
    }
    return deserializeTop(input, keepStack);
  };
  const deserializeTop = (input, keepStack) => {
    R = input instanceof Uint8Array ? input : new Uint8Array(input);
    rp = 0; rend = R.length; robjs = []; rnext = 0; rKeepStack = keepStack;
    rDepth++;
    try {
      if (rTag() !== 0xff) throw badData();
      const version = rVarint();
      if (version > 15 || version < 13) throw badData();
      return read();
    } finally {
      rDepth--;
      R = null; robjs = null;
    }
  };

  internal.v8Serialize = serialize;
  internal.v8Deserialize = deserialize;

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
