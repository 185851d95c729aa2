// core: shared helpers for the API glue. Evaluates to a function called once per context with
// (internal, host). `internal` is hidden from workers; `host` holds Python host functions.
(function (internal, host) {
  'use strict';
  const defineGlobal = (name, value, enumerable = false) => {
    Object.defineProperty(globalThis, name, { value, writable: true, configurable: true, enumerable });
  };
  internal.defineGlobal = defineGlobal;
  internal.modules = Object.create(null);
  internal.require = (name) => {
    let m = internal.modules[name];
    if (m === undefined) { host.loadModule(name); m = internal.modules[name]; }
    return m;
  };
  internal.lazyGlobals = (pairs) => {
    for (let i = 0; i < pairs.length; i += 2) {
      const g = pairs[i], mod = pairs[i + 1];
      Object.defineProperty(globalThis, g, {
        configurable: true, enumerable: false,
        get() { internal.require(mod); const d = Object.getOwnPropertyDescriptor(globalThis, g); return d && 'value' in d ? d.value : undefined; },
        set(v) { defineGlobal(g, v); },
      });
    }
  };
  // WebIDL-style conversions (https://webidl.spec.whatwg.org/#es-type-mapping)
  const toByteString = (v, what) => {
    const s = String(v);
    for (let i = 0; i < s.length; i++) {
      if (s.charCodeAt(i) > 255) throw new TypeError(`${what || 'Value'} contains a character that is not a byte: ${JSON.stringify(s)}`);
    }
    return s;
  };
  internal.toByteString = toByteString;
  internal.toUSVString = (v) => String(v).toWellFormed();
  internal.isBufferSource = (v) => v instanceof ArrayBuffer || ArrayBuffer.isView(v) || v instanceof SharedArrayBuffer;
  internal.toUint8Array = (v) => {
    if (v instanceof Uint8Array) return v;
    if (v instanceof ArrayBuffer || v instanceof SharedArrayBuffer) return new Uint8Array(v);
    if (ArrayBuffer.isView(v)) return new Uint8Array(v.buffer, v.byteOffset, v.byteLength);
    throw new TypeError('Expected an ArrayBuffer or ArrayBufferView.');
  };
  internal.copyBytes = (v) => internal.toUint8Array(v).slice();
  internal.illegal = () => { throw new TypeError('Illegal constructor'); };
  internal.defineGlobal('self', globalThis);
  internal.modules.core = internal;
})
