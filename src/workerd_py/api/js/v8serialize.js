// V8's ValueSerializer format (version 15): the bytes workerd itself stores in a Durable Object's
// `_cf_KV` table (checked against workerd 2026-11-17), and the structured clone that carries JS RPC
// arguments, results and thrown errors between isolates (Durable Object stubs and service bindings).
//
// Values: undefined, null, booleans, numbers, BigInt, strings, Boolean/Number/String/BigInt objects,
// Date, RegExp, plain objects and class instances (own enumerable properties), arrays (dense and
// sparse, with extra properties), Map, Set, ArrayBuffer, typed arrays, DataView, Error and its
// standard subclasses (message, stack, cause; the subclass is chosen by `name`, as V8 does), and
// shared or circular references. Functions, symbols, promises, weak collections and host objects
// (Request, streams, ...) are a DataCloneError.
//
// `mode` (a bit set) adapts both directions to what workerd's RPC serializer does:
// - RPC: class instances and null-prototype objects are a DataCloneError ('Could not serialize
//   object of type "Foo"'), as are functions and RpcTarget objects (workerd passes those as stubs,
//   which this runtime does not do yet: the message says so); a DOMException keeps its class and
//   name (a host object, tag 0x5c, that only our own isolates read).
// - ENHANCED (compatibility flag enhanced_error_serialization): a writer sends an error's own
//   enumerable properties (a custom `name`, `code`, ...; an AggregateError's `errors`) in an extra
//   field (0x70, and 0x67 for AggregateError) and only the first line of its stack; a reader
//   applies them (a reader without ENHANCED skips them, as workerd does when only one side has
//   the flag), makes `cause` enumerable and a missing message "".
// Storage (Durable Objects) uses mode 0: the bytes stay workerd's.
(function (internal, host) {
  'use strict';

  const RPC = 1, ENHANCED = 2; // modes, see above
  // V8's name for an object in messages: its constructor's name ("#<WeakMap>", "Foo")
  const ctorName = (v) => {
    for (let p = Object.getPrototypeOf(v); p !== null; p = Object.getPrototypeOf(p)) {
      const d = Object.getOwnPropertyDescriptor(p, 'constructor');
      if (d !== undefined && typeof d.value === 'function' && typeof d.value.name === 'string' && d.value.name !== '') return d.value.name;
    }
    return 'Object';
  };
  const dataCloneError = (v) => {
    let what;
    try { what = typeof v === 'symbol' ? v.toString() : typeof v === 'function' ? String(v) : `#<${ctorName(v)}>`; } catch (e) { what = Object.prototype.toString.call(v); }
    return new DOMException(`${what} could not be cloned.`, 'DataCloneError');
  };
  const unsupported = (v) => new DOMException(`Could not serialize object of type "${ctorName(v)}". This type does not support serialization.`, 'DataCloneError');
  const noStubs = (what) => new DOMException(`${what} cannot be sent over RPC by this runtime: workerd passes them as stubs, which are not supported here yet.`, 'DataCloneError');
  // "Name: message" as Error.prototype.toString writes it: the first line of a V8 stack
  const errorHead = (e) => {
    const name = e.name === undefined ? 'Error' : String(e.name);
    const msg = e.message === undefined ? '' : String(e.message);
    return name === '' ? msg : msg === '' ? name : `${name}: ${msg}`;
  };
  const scratch = new DataView(new ArrayBuffer(8));
  const ONE_BYTE = /^[\x00-\xff]*$/;
  const INDEX_KEY = /^(?:0|[1-9][0-9]*)$/;
  const SMI_MIN = -(2 ** 30), SMI_MAX = 2 ** 30 - 1; // V8 with pointer compression (31-bit Smis)
  // V8 picks an error's prototype tag by its `name` (a TypeError renamed "MyType" is a plain Error)
  const ERROR_TAGS = { EvalError: 0x45, RangeError: 0x52, ReferenceError: 0x46, SyntaxError: 0x53, TypeError: 0x54, URIError: 0x55 };
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
  let W = null, wn = 0, wids = null, wnext = 0, wMode = 0;
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
      const r = host.v8EncodeString(s);
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
  // V8 stacks start with "Name: message"; QuickJS's hold only the frames ("    at ..." lines): add
  // the head to those (a stack that already has one, e.g. from another isolate, stays as it is)
  const withHead = (v, stack) => {
    if (stack !== '' && !stack.startsWith('    at ')) return stack;
    const frames = stack.replace(/\n$/, '');
    return frames === '' ? errorHead(v) : errorHead(v) + '\n' + frames;
  };
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
      case 'symbol': throw dataCloneError(v);
      case 'function': throw (wMode & RPC) ? noStubs('Functions') : dataCloneError(v);
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
    if ((wMode & RPC) && v instanceof DOMException) { // our own host object: name, message, stack
      wByte(0x5c); wByte(0x01); wString(String(v.name)); wString(String(v.message));
      wString(typeof v.stack === 'string' ? withHead(v, v.stack) : '');
      return;
    }
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
      const name = v.name;
      if (typeof name === 'string' && Object.hasOwn(ERROR_TAGS, name)) wByte(ERROR_TAGS[name]);
      const md = Object.getOwnPropertyDescriptor(v, 'message');
      if (md !== undefined && 'value' in md) { wByte(0x6d); wString(String(md.value)); }
      const stack = v.stack;
      // ENHANCED writes the stack's first line only: the frames stay in this isolate
      if (typeof stack === 'string') { wByte(0x73); wString((wMode & ENHANCED) ? errorHead(v) : withHead(v, stack)); }
      if (wMode & ENHANCED) {
        if (name === 'AggregateError') wByte(0x67);
        const props = {};
        for (const k of Object.keys(v)) if (k !== 'message' && k !== 'stack' && k !== 'cause') props[k] = v[k];
        if (name === 'AggregateError' && Object.hasOwn(v, 'errors') && !Object.prototype.propertyIsEnumerable.call(v, 'errors')) props.errors = v.errors;
        wByte(0x70); write(props);
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
    if (wMode & RPC) { // workerd's RPC serializer refuses class instances (and null prototypes)
      const RpcTarget = internal.cloudflareWorkers !== undefined ? internal.cloudflareWorkers.RpcTarget : undefined;
      throw RpcTarget !== undefined && v instanceof RpcTarget ? noStubs('RpcTarget objects') : unsupported(v);
    }
    wByte(0x6f);
    const count = wProps(v, Object.keys(v));
    wByte(0x7b); wVarint(count);
  };
  let wDepth = 0;
  const wShared = new Uint8Array(4096);
  const serialize = (value, mode = 0) => {
    if (wDepth > 0) { // re-entered from a getter: keep the outer state
      const sW = W, sn = wn, sids = wids, snext = wnext, smode = wMode;
      try { return serializeTop(value, new Uint8Array(64), mode); } finally { W = sW; wn = sn; wids = sids; wnext = snext; wMode = smode; }
    }
    return serializeTop(value, wShared, mode);
  };
  const serializeTop = (value, buf, mode) => {
    W = buf; wn = 0; wids = null; wnext = 0; wMode = mode;
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
  let R = null, rp = 0, rend = 0, robjs = null, rnext = 0, rKeepStack = true, rMode = 0;
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
    if (len > LONG_STRING) s = host.v8DecodeString(R.subarray(rp, rp + len), false);
    else { s = ''; for (let i = rp, e = rp + len; i < e; i++) s += String.fromCharCode(R[i]); }
    rp += len;
    return s;
  };
  const rTwoByte = () => {
    const len = rVarint(); need(len);
    if (len & 1) throw badData();
    let s = len > 2 * LONG_STRING ? host.v8DecodeString(R.subarray(rp, rp + len), true) : null;
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
        // the error exists before its cause and extra properties are read: they may refer to it
        const id = rnext++;
        let C = Error, message, stack, e = null;
        const make = () => {
          if (message === undefined && (rMode & ENHANCED)) message = '';
          if (e === null) robjs[id] = e = C === AggregateError ? new C([], message) : new C(message);
          return e;
        };
        const def = (k, v, enumerable) => Object.defineProperty(make(), k, { value: v, writable: true, configurable: true, enumerable });
        for (;;) {
          const s = rTag();
          if (s === 0x2e) break;
          if (ERROR_CTORS[s] !== undefined) C = ERROR_CTORS[s];
          else if (s === 0x6d) message = rString();
          else if (s === 0x73) stack = rString();
          else if (s === 0x63) { make(); def('cause', read(), (rMode & ENHANCED) !== 0); }
          else if (s === 0x67) { if ((rMode & ENHANCED) && typeof AggregateError === 'function') C = AggregateError; }
          else if (s === 0x70) { // ENHANCED: own enumerable properties (a reader without it drops them)
            make();
            const props = read();
            if ((rMode & ENHANCED) && props !== null && typeof props === 'object') for (const k of Object.keys(props)) def(k, props[k], true);
          } else throw badData();
        }
        make();
        if (rKeepStack && stack !== undefined) {
          try { Object.defineProperty(e, 'stack', { value: stack, writable: true, configurable: true, enumerable: false }); } catch (x) { /* keep ours */ }
        } else if (rMode & ENHANCED) {
          try { Object.defineProperty(e, 'stack', { value: errorHead(e), writable: true, configurable: true, enumerable: false }); } catch (x) { /* keep ours */ }
        }
        return e;
      }
      case 0x5c: { // RPC: a DOMException (see the writer)
        if (!(rMode & RPC)) throw badData();
        const id = rnext++;
        need(1);
        if (R[rp++] !== 0x01) throw badData();
        const name = rString(), message = rString(), stack = rString();
        const d = new DOMException(message, name);
        const st = rKeepStack && stack !== '' ? stack : (rMode & ENHANCED) ? errorHead(d) : null;
        if (st !== null) { try { Object.defineProperty(d, 'stack', { value: st, writable: true, configurable: true, enumerable: false }); } catch (x) { /* keep ours */ } }
        robjs[id] = d;
        return d;
      }
      default: throw badData();
    }
  };
  // keepStack: an error keeps its recorded stack (V8's default: storage, RPC values without
  // ENHANCED); otherwise an ENHANCED read leaves only its first line, and any other a local stack.
  let rDepth = 0;
  const deserialize = (input, keepStack = true, mode = 0) => {
    if (rDepth > 0) {
      const sR = R, sp = rp, send = rend, sobjs = robjs, snext = rnext, sk = rKeepStack, smode = rMode;
      try { return deserializeTop(input, keepStack, mode); } finally { R = sR; rp = sp; rend = send; robjs = sobjs; rnext = snext; rKeepStack = sk; rMode = smode; }
    }
    return deserializeTop(input, keepStack, mode);
  };
  const deserializeTop = (input, keepStack, mode) => {
    R = input instanceof Uint8Array ? input : new Uint8Array(input);
    rp = 0; rend = R.length; robjs = []; rnext = 0; rKeepStack = keepStack; rMode = mode;
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
  internal.kNoClone = kNoClone;
  internal.modules.v8serialize = { serialize, deserialize, ctorName, RPC, ENHANCED };
})
