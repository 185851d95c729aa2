// Small globals: structuredClone, reportError, navigator, performance, atob/btoa, queueMicrotask.
// The engine has its own performance, atob, btoa and queueMicrotask; the ones here replace them
// where workerd differs (performance.now() is the wall clock and timeOrigin is 0, errors are
// worded like workerd's). Flags: global_navigator (2022-03-21) defines `navigator`;
// enable_navigator_language (2025-05-19) adds navigator.language(s); enhanced_error_serialization
// (2026-04-21) makes structuredClone keep an error's own properties;
// enable_global_performance_classes adds the Performance class and performance.toJSON().
(function (internal, host) {
  'use strict';
  const flags = internal.flags;
  const G = 'ServiceWorkerGlobalScope';
  const missing = (n, method, type) => new TypeError(`Failed to execute '${method}' on '${G}': parameter ${n + 1} is not of type '${type}'.`);

  // ---- structuredClone (https://html.spec.whatwg.org/multipage/structured-data.html#structured-cloning),
  // behaving like workerd's V8 serializer: plain copies of ordinary objects (prototype dropped, own
  // enumerable string keys read through getters), errors by their name, DataCloneError otherwise ----
  const cloneErr = (msg) => new DOMException(msg, 'DataCloneError');
  const unsupported = (type) => cloneErr(`Could not serialize object of type "${type}". This type does not support serialization.`);
  const ERRORS = { Error, EvalError, RangeError, ReferenceError, SyntaxError, TypeError, URIError };
  // platform objects workerd refuses to serialize, by their toStringTag; special messages first
  const SPECIAL = {
    ReadableStream: 'ReadableStream can only be serialized for RPC.',
    WritableStream: 'WritableStream can only be serialized for RPC.',
    Response: 'ReadableStream can only be serialized for RPC.',
    AbortSignal: 'AbortSignal serialization is not enabled.',
  };
  const PLATFORM = new Set(['URL', 'URLSearchParams', 'FormData', 'File', 'TextEncoder', 'TextDecoder', 'AbortController',
    'EventTarget', 'Event', 'CustomEvent', 'TransformStream', 'IdentityTransformStream', 'FixedLengthStream',
    'TextEncoderStream', 'TextDecoderStream', 'CompressionStream', 'DecompressionStream', 'Scheduler', 'Navigator',
    'Performance', 'Crypto', 'SubtleCrypto', 'CryptoKey', 'URLPattern', 'WebSocket', 'HTMLRewriter', 'Cache',
    'CacheStorage', 'ReadableStreamDefaultReader', 'ReadableStreamBYOBReader', 'WritableStreamDefaultWriter',
    'ByteLengthQueuingStrategy', 'CountQueuingStrategy', 'Fetcher', 'ExecutionContext', 'FetchEvent', 'ScheduledEvent']);
  const objectToString = Object.prototype.toString;
  const cloneValue = (value, transfer) => {
    const memo = new Map();
    if (transfer !== undefined) {
      for (const b of transfer) {
        if (!(b instanceof ArrayBuffer)) throw cloneErr('Value not transferable');
        if (memo.has(b)) throw cloneErr('ArrayBuffer at index 1 is a duplicate of an earlier ArrayBuffer.');
        memo.set(b, null);
      }
      for (const b of memo.keys()) memo.set(b, b.transfer());
    }
    const copyProps = (v, out, skip) => {
      for (const k of Object.keys(v)) if (skip === undefined || !skip.includes(k)) out[k] = clone(v[k]);
      return out;
    };
    const cloneError = (v) => {
      const enhanced = flags.enhanced_error_serialization;
      let name = v.name;
      let C = typeof name === 'string' && Object.hasOwn(ERRORS, name) ? ERRORS[name] : Error;
      if (enhanced && name === 'AggregateError') C = AggregateError;
      const out = Object.create(C.prototype);
      memo.set(v, out);
      const def = (k, x) => Object.defineProperty(out, k, { value: x, writable: true, configurable: true, enumerable: false });
      if (typeof v.stack === 'string') Object.defineProperty(out, 'stack', { value: v.stack, writable: true, configurable: true, enumerable: !!enhanced });
      const msgDesc = Object.getOwnPropertyDescriptor(v, 'message');
      if (msgDesc !== undefined && 'value' in msgDesc) def('message', String(msgDesc.value));
      else if (enhanced) def('message', '');
      if ('cause' in v) def('cause', clone(v.cause));
      if (enhanced) {
        if (C === AggregateError && Array.isArray(v.errors)) def('errors', clone(v.errors));
        copyProps(v, out, ['message', 'stack', 'cause', 'errors']);
        if (Object.hasOwn(v, 'name') && name !== C.prototype.name) out.name = clone(name);
      }
      return out;
    };
    const cloneBuffer = (v) => {
      const out = v.resizable ? new ArrayBuffer(v.byteLength, { maxByteLength: v.maxByteLength }) : new ArrayBuffer(v.byteLength);
      new Uint8Array(out).set(new Uint8Array(v));
      return out;
    };
    const clone = (v) => {
      switch (typeof v) {
        case 'object': if (v === null) return v; break;
        case 'function': throw cloneErr(`${String(v)} could not be cloned.`);
        case 'symbol': throw cloneErr(`${String(v)} could not be cloned.`);
        default: return v;
      }
      if (memo.has(v)) return memo.get(v);
      let out;
      if (Array.isArray(v)) { out = new Array(v.length); memo.set(v, out); return copyProps(v, out); }
      if (v instanceof Date) { out = new Date(v.getTime()); memo.set(v, out); return out; }
      if (v instanceof RegExp) { out = new RegExp(v.source, v.flags); memo.set(v, out); return out; }
      if (v instanceof ArrayBuffer) { out = cloneBuffer(v); memo.set(v, out); return out; }
      if (ArrayBuffer.isView(v)) {
        const buf = clone(v.buffer);
        out = v instanceof DataView ? new DataView(buf, v.byteOffset, v.byteLength) : new v.constructor(buf, v.byteOffset, v.length);
        memo.set(v, out); return out;
      }
      if (v instanceof Map) { out = new Map(); memo.set(v, out); for (const [k, x] of v) out.set(clone(k), clone(x)); return out; }
      if (v instanceof Set) { out = new Set(); memo.set(v, out); for (const x of v) out.add(clone(x)); return out; }
      if (v instanceof DOMException) {
        out = new DOMException(v.message, v.name); memo.set(v, out);
        if (typeof v.stack === 'string') Object.defineProperty(out, 'stack', { value: v.stack, writable: true, configurable: true });
        return out;
      }
      if (v instanceof Error) return cloneError(v);
      if (v instanceof Boolean) return new Boolean(v.valueOf());
      if (v instanceof Number) return new Number(v.valueOf());
      if (v instanceof String) return new String(v.valueOf());
      if (v instanceof BigInt) return Object(v.valueOf());
      if (v instanceof Symbol) throw cloneErr(`${objectToString.call(v)} could not be cloned.`);
      if (internal.isBlob && internal.isBlob(v) && !(internal.isFile && internal.isFile(v))) {
        out = internal.newBlob(internal.blobBytes(v), v.type); memo.set(v, out); return out;
      }
      const proto = Object.getPrototypeOf(v);
      if (proto !== Object.prototype && proto !== null) {
        const tag = objectToString.call(v).slice(8, -1);
        if (Object.hasOwn(SPECIAL, tag)) throw cloneErr(SPECIAL[tag]);
        if (PLATFORM.has(tag)) throw unsupported(tag);
        if (v instanceof Promise || v instanceof WeakMap || v instanceof WeakSet || (typeof WeakRef === 'function' && v instanceof WeakRef)) throw cloneErr(`#<${tag}> could not be cloned.`);
        if (tag !== 'Object' && tag !== 'Headers' && tag !== 'Request') throw cloneErr(`[object ${tag}] could not be cloned.`);
      }
      out = {}; memo.set(v, out);
      return copyProps(v, out);
    };
    return clone(value);
  };
  internal.structuredClone = (v) => cloneValue(v, undefined);
  const structuredClone_ = function structuredClone(value, options = undefined) {
    if (arguments.length === 0) throw missing(0, 'structuredClone', 'Value');
    let transfer;
    if (options !== undefined && options !== null) {
      if (typeof options !== 'object' && typeof options !== 'function') throw missing(1, 'structuredClone', 'StructuredCloneOptions');
      transfer = options.transfer;
      if (transfer !== undefined && !Array.isArray(transfer)) throw new TypeError("Incorrect type for the 'transfer' field on 'StructuredCloneOptions': the provided value is not of type 'Array'.");
    }
    return cloneValue(value, transfer);
  };

  // ---- reportError, queueMicrotask ----
  const report = (e) => { try { host.reportError(e); } catch (_) {} };
  const reportError = function reportError(e) {
    if (arguments.length === 0) throw missing(0, 'reportError', 'Value');
    report(e);
  };
  const resolved = Promise.resolve();
  const queueMicrotask = function queueMicrotask(fn) {
    if (typeof fn !== 'function') throw missing(0, 'queueMicrotask', 'function');
    resolved.then(() => { try { fn(); } catch (e) { report(e); } });
  };

  // ---- atob, btoa (https://html.spec.whatwg.org/multipage/webappapis.html#atob) ----
  const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
  const B64_INDEX = new Int16Array(128).fill(-1);
  for (let i = 0; i < 64; i++) B64_INDEX[B64.charCodeAt(i)] = i;
  const badBase64 = () => new DOMException("atob() called with invalid base64-encoded data. (Only whitespace, '+', '/', alphanumeric ASCII, and up to two terminal '=' signs when the input data length is divisible by 4 are allowed.)", 'InvalidCharacterError');
  const atob = function atob(data) {
    if (arguments.length === 0) throw missing(0, 'atob', 'string');
    // https://infra.spec.whatwg.org/#forgiving-base64-decode
    let s = String(data).replace(/[\t\n\f\r ]+/g, '');
    if (s.length % 4 === 0) s = s.endsWith('==') ? s.slice(0, -2) : s.endsWith('=') ? s.slice(0, -1) : s;
    if (s.length % 4 === 1) throw badBase64();
    let out = '', buf = 0, bits = 0;
    for (let i = 0; i < s.length; i++) {
      const c = s.charCodeAt(i);
      const v = c < 128 ? B64_INDEX[c] : -1;
      if (v < 0) throw badBase64();
      buf = (buf << 6) | v; bits += 6;
      if (bits >= 8) { bits -= 8; out += String.fromCharCode((buf >> bits) & 0xff); }
    }
    return out;
  };
  const btoa = function btoa(data) {
    if (arguments.length === 0) throw missing(0, 'btoa', 'String');
    const s = String(data);
    let out = '';
    for (let i = 0; i < s.length; i += 3) {
      const a = s.charCodeAt(i), b = s.charCodeAt(i + 1), c = s.charCodeAt(i + 2);
      if (a > 255 || b > 255 || c > 255) throw new DOMException('btoa() can only operate on characters in the Latin1 (ISO/IEC 8859-1) range.', 'InvalidCharacterError');
      out += B64[a >> 2] + B64[((a & 3) << 4) | (b >> 4 & 15)];
      out += i + 1 < s.length ? B64[((b & 15) << 2) | (c >> 6 & 3)] : '=';
      out += i + 2 < s.length ? B64[c & 63] : '=';
    }
    return out;
  };

  // ---- navigator (https://developers.cloudflare.com/workers/runtime-apis/web-standards/#navigatoruseragent) ----
  class Navigator {
    constructor() { internal.illegal(); }
    sendBeacon(url, body = undefined) {
      const p = globalThis.fetch(url, { method: 'POST', body });
      if (host.waitUntil) host.waitUntil(p.then(() => {}, () => {}));
      return true;
    }
  }
  Object.defineProperty(Navigator.prototype, Symbol.toStringTag, { value: 'Navigator', configurable: true });
  const navigator = Object.create(Navigator.prototype);
  const own = (o, k, v) => Object.defineProperty(o, k, { value: v, enumerable: true, configurable: true, writable: false });
  if (flags.enable_navigator_language) { own(navigator, 'languages', Object.freeze(['en'])); own(navigator, 'language', 'en'); }
  own(navigator, 'platform', '');
  own(navigator, 'hardwareConcurrency', 1);
  own(navigator, 'userAgent', 'Cloudflare-Workers');

  // ---- performance: workerd's clock is Date.now() (it only advances with I/O there) ----
  class Performance {
    constructor() { internal.illegal(); }
    get timeOrigin() { return 0; }
    now() { return Date.now(); }
  }
  if (flags.enable_global_performance_classes) Performance.prototype.toJSON = function toJSON() { return { timeOrigin: 0 }; };
  Object.defineProperty(Performance.prototype, Symbol.toStringTag, { value: 'Performance', configurable: true });
  const performance = Object.create(Performance.prototype);

  const ex = { structuredClone: structuredClone_, reportError, queueMicrotask, atob, btoa, performance };
  for (const k in ex) internal.defineGlobal(k, ex[k]);
  if (flags.enable_global_performance_classes) internal.defineGlobal('Performance', Performance);
  if (flags.global_navigator) { internal.defineGlobal('navigator', navigator); internal.defineGlobal('Navigator', Navigator); }
  internal.modules.misc = { structuredClone: internal.structuredClone, Navigator, Performance };
})
