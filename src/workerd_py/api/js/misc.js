// Small globals: structuredClone, reportError, navigator, queueMicrotask checks.
// https://html.spec.whatwg.org/multipage/structured-data.html#structured-cloning
(function (internal, host) {
  'use strict';
  const cloneErr = (what) => new DOMException(`${what} could not be cloned.`, 'DataCloneError');
  const ERRORS = { Error, EvalError, RangeError, ReferenceError, SyntaxError, TypeError, URIError };
  const structuredClone = (value, options = undefined) => {
    const memo = new Map();
    const clone = (v) => {
      if (v === null || (typeof v !== 'object' && typeof v !== 'function')) {
        if (typeof v === 'symbol') throw cloneErr(String(v));
        return v;
      }
      if (typeof v === 'function') throw cloneErr(`${v.name ? 'function ' + v.name : 'function'}`);
      if (memo.has(v)) return memo.get(v);
      let out;
      if (Array.isArray(v)) { out = new Array(v.length); memo.set(v, out); for (const k of Object.keys(v)) out[k] = clone(v[k]); return out; }
      if (v instanceof Date) { out = new Date(v.getTime()); memo.set(v, out); return out; }
      if (v instanceof RegExp) { out = new RegExp(v.source, v.flags); memo.set(v, out); return out; }
      if (v instanceof ArrayBuffer) { out = v.slice(0); memo.set(v, out); return out; }
      if (ArrayBuffer.isView(v)) {
        const buf = clone(v.buffer);
        out = v instanceof DataView ? new DataView(buf, v.byteOffset, v.byteLength) : new v.constructor(buf, v.byteOffset, v.length);
        memo.set(v, out); return out;
      }
      if (v instanceof Map) { out = new Map(); memo.set(v, out); for (const [k, x] of v) out.set(clone(k), clone(x)); return out; }
      if (v instanceof Set) { out = new Set(); memo.set(v, out); for (const x of v) out.add(clone(x)); return out; }
      if (v instanceof Error) {
        const C = ERRORS[v.name] || Error;
        out = new C(v.message); memo.set(v, out);
        if (v.stack !== undefined) out.stack = v.stack;
        if ('cause' in v) out.cause = clone(v.cause);
        return out;
      }
      if (v instanceof Boolean) return new Boolean(v.valueOf());
      if (v instanceof Number) return new Number(v.valueOf());
      if (v instanceof String) return new String(v.valueOf());
      if (v instanceof BigInt) return Object(v.valueOf());
      if (v instanceof Promise || v instanceof WeakMap || v instanceof WeakSet || v instanceof WeakRef) throw cloneErr(`#<${v.constructor.name}>`);
      if (internal.isBlob && internal.isBlob(v)) return v;
      const proto = Object.getPrototypeOf(v);
      if (proto !== Object.prototype && proto !== null) {
        const name = v.constructor && v.constructor.name;
        if (name && name !== 'Object') throw cloneErr(`#<${name}>`);
      }
      out = {}; memo.set(v, out);
      for (const k of Object.keys(v)) out[k] = clone(v[k]);
      return out;
    };
    return clone(value);
  };
  internal.structuredClone = structuredClone;
  const reportError = (e) => internal.reportError(e);
  const navigator = Object.freeze({ userAgent: 'Cloudflare-Workers', hardwareConcurrency: 1, language: 'en' });
  internal.defineGlobal('structuredClone', function structuredClone_(v, o) { if (arguments.length === 0) throw new TypeError("Failed to execute 'structuredClone': 1 argument required, but only 0 present."); return structuredClone(v, o); });
  internal.defineGlobal('reportError', reportError);
  if (internal.flags.global_navigator) internal.defineGlobal('navigator', navigator);
  internal.modules.misc = { structuredClone };
})
