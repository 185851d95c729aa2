// WebCrypto: crypto, Crypto, SubtleCrypto, CryptoKey, crypto.DigestStream
// (https://w3c.github.io/webcrypto/). This file is the WebIDL layer: it converts arguments the way
// workerd's bindings do (same TypeErrors), builds plain algorithm dictionaries and calls the Python
// host (api/crypto/), which holds all key material. A CryptoKey keeps only an id into the
// isolate's key table; a FinalizationRegistry frees the entry when the CryptoKey is collected.
// Every SubtleCrypto method is async, so any failure rejects its promise.
(function (internal, host) {
  'use strict';
  const illegal = () => { throw new TypeError('Illegal constructor'); };
  const kToken = Symbol('CryptoKey');
  const release = typeof FinalizationRegistry === 'function'
    ? new FinalizationRegistry((id) => host.cryptoRelease(id)) : { register() {} };
  const flags = internal.flags || {};
  const preserveExponent = !!flags.crypto_preserve_public_exponent;
  // Symbol.toStringTag on the API classes (workerd's set_tostring_tag compatibility flag)
  const tag = (C, name) => {
    if (flags.set_tostring_tag) Object.defineProperty(C.prototype, Symbol.toStringTag, { value: name, configurable: true });
  };

  const isBuffer = (v) => v instanceof ArrayBuffer || ArrayBuffer.isView(v) ||
    (typeof SharedArrayBuffer === 'function' && v instanceof SharedArrayBuffer);
  const toBytes = (v) => {
    if (v instanceof Uint8Array) return v;
    if (ArrayBuffer.isView(v)) return new Uint8Array(v.buffer, v.byteOffset, v.byteLength);
    return new Uint8Array(v);
  };
  const toArrayBuffer = (u8) => (u8.byteOffset === 0 && u8.byteLength === u8.buffer.byteLength)
    ? u8.buffer : u8.slice().buffer;
  const paramError = (method, owner, n, type) =>
    new TypeError(`Failed to execute '${method}' on '${owner}': parameter ${n} is not of type '${type}'.`);
  const bufferParam = (v, method, n) => {
    if (!isBuffer(v)) throw paramError(method, 'SubtleCrypto', n, 'BufferSource');
    return toBytes(v);
  };
  // WebIDL DOMString: ToString (which throws for a Symbol, unlike String())
  const toStr = (v) => `${v}`;
  // WebIDL long: ToNumber, then modulo 2^32 into the signed range (what V8's Int32Value does)
  const toInt = (v) => Number(v) | 0;

  // --- algorithm dictionaries, as workerd's JSG structs convert them ----------------------------
  // Member conversions of each SubtleCrypto dictionary (`name` is first and always present).
  const STRUCTS = {
    HashAlgorithm: {},
    EncryptAlgorithm: { iv: 'buf', additionalData: 'buf', tagLength: 'int', counter: 'buf', length: 'int', label: 'buf' },
    SignAlgorithm: { hash: 'hash', dataLength: 'int', saltLength: 'int' },
    GenerateKeyAlgorithm: { hash: 'hash', modulusLength: 'int', publicExponent: 'buf', length: 'int', namedCurve: 'str' },
    ImportKeyAlgorithm: { hash: 'hash', length: 'int', namedCurve: 'str', compressed: 'bool' },
    DeriveKeyAlgorithm: { salt: 'buf', iterations: 'int', hash: 'hash', public: 'key', info: 'buf' },
  };
  const nullStruct = (struct) => new TypeError(
    `Cannot initialize N7workerd3api12SubtleCrypto${struct.length}${struct}E with required members from an undefined or null value.`);
  const isObject = (v) => (typeof v === 'object' && v !== null) || typeof v === 'function';
  const hashName = (v) => {
    if (v === undefined || v === null) throw nullStruct('HashAlgorithm');
    return isObject(v) ? toStr(v.name) : toStr(v);
  };
  const normalize = (v, struct) => {
    if (!isObject(v)) {
      if (v === undefined || v === null) throw nullStruct(struct);
      return { name: toStr(v) };
    }
    const out = { name: toStr(v.name) };
    const members = STRUCTS[struct];
    for (const k in members) {
      const x = v[k];
      if (x === undefined) continue;
      switch (members[k]) {
        case 'buf':
          if (!isBuffer(x)) throw new TypeError(`Incorrect type for the '${k}' field on '${struct}': the provided value is not of type 'BufferSource'.`);
          out[k] = toBytes(x);
          break;
        case 'int': out[k] = toInt(x); break;
        case 'str': out[k] = toStr(x); break;
        case 'bool': out[k] = !!x; break;
        case 'hash': out[k] = hashName(x); break;
        case 'key':
          if (!isKey(x)) throw new TypeError(`Incorrect type for the '${k}' field on '${struct}': the provided value is not of type 'CryptoKey'.`);
          out[k] = keyId(x);
          break;
      }
    }
    return out;
  };

  // --- JsonWebKey (https://w3c.github.io/webcrypto/#JsonWebKey-dictionary) -------------------------
  const JWK_STRINGS = ['use', 'alg', 'crv', 'x', 'y', 'd', 'n', 'e', 'p', 'q', 'dp', 'dq', 'qi', 'k'];
  const jwkJson = (v) => {
    const out = { kty: toStr(v.kty) };
    for (const k of JWK_STRINGS) if (v[k] !== undefined) out[k] = toStr(v[k]);
    if (v.key_ops !== undefined) out.key_ops = stringList(v.key_ops, () =>
      new TypeError("Incorrect type for the 'key_ops' field on 'JsonWebKey': the provided value is not of type 'Array'."));
    if (v.ext !== undefined) out.ext = !!v.ext;
    if (v.oth !== undefined) {
      if (!Array.isArray(v.oth)) throw new TypeError("Incorrect type for the 'oth' field on 'JsonWebKey': the provided value is not of type 'Array'.");
      out.oth = v.oth.map((o) => ({ r: toStr(o.r), d: toStr(o.d), t: toStr(o.t) }));
    }
    return JSON.stringify(out);
  };
  const stringList = (v, err) => {
    if (!Array.isArray(v)) throw err();
    return Array.from(v, toStr);
  };
  const usagesJson = (v, method, n) =>
    JSON.stringify(stringList(v, () => paramError(method, 'SubtleCrypto', n, 'Array')));

  // --- CryptoKey (https://w3c.github.io/webcrypto/#cryptokey-interface) -----------------------------
  const ids = new WeakMap();
  const isKey = (v) => isObject(v) && ids.has(v);
  const keyId = (k) => ids.get(k);
  const keyParam = (v, method, n) => {
    if (!isKey(v)) throw paramError(method, 'SubtleCrypto', n, 'CryptoKey');
    return ids.get(v);
  };
  const ro = (o, k, value) => Object.defineProperty(o, k, { value, writable: false, enumerable: true, configurable: true });

  class CryptoKey {
    constructor(token, info) {
      if (token !== kToken) illegal();
      const [id, type, extractable, algorithm, usages] = info;
      if (algorithm.publicExponent !== undefined && !preserveExponent) {
        algorithm.publicExponent = toArrayBuffer(algorithm.publicExponent);
      }
      ids.set(this, id);
      release.register(this, id);
      // own read-only properties, in the order workerd lists them
      ro(this, 'usages', usages);
      ro(this, 'algorithm', algorithm);
      ro(this, 'extractable', extractable);
      ro(this, 'type', type);
    }
  }
  tag(CryptoKey, 'CryptoKey');
  const makeKey = (info) => new CryptoKey(kToken, info);
  // generateKey answers one key, or [publicKey, privateKey] for an asymmetric algorithm
  const makeKeyOrPair = (info) => (Array.isArray(info[0])
    ? { publicKey: makeKey(info[0]), privateKey: makeKey(info[1]) } : makeKey(info));

  // --- SubtleCrypto (https://w3c.github.io/webcrypto/#subtlecrypto-interface) ---------------------
  let constructing = false;
  class SubtleCrypto {
    constructor() { if (!constructing) illegal(); }

    async encrypt(algorithm, key, data) {
      const a = normalize(algorithm, 'EncryptAlgorithm');
      const id = keyParam(key, 'encrypt', 2);
      return toArrayBuffer(host.cryptoEncrypt(a, id, bufferParam(data, 'encrypt', 3)));
    }

    async decrypt(algorithm, key, data) {
      const a = normalize(algorithm, 'EncryptAlgorithm');
      const id = keyParam(key, 'decrypt', 2);
      return toArrayBuffer(host.cryptoDecrypt(a, id, bufferParam(data, 'decrypt', 3)));
    }

    async sign(algorithm, key, data) {
      const a = normalize(algorithm, 'SignAlgorithm');
      const id = keyParam(key, 'sign', 2);
      return toArrayBuffer(host.cryptoSign(a, id, bufferParam(data, 'sign', 3)));
    }

    async verify(algorithm, key, signature, data) {
      const a = normalize(algorithm, 'SignAlgorithm');
      const id = keyParam(key, 'verify', 2);
      const sig = bufferParam(signature, 'verify', 3);
      return host.cryptoVerify(a, id, sig, bufferParam(data, 'verify', 4));
    }

    async digest(algorithm, data) {
      const a = normalize(algorithm, 'HashAlgorithm');
      return toArrayBuffer(host.cryptoDigest(a.name, bufferParam(data, 'digest', 2)));
    }

    async generateKey(algorithm, extractable, keyUsages) {
      const a = normalize(algorithm, 'GenerateKeyAlgorithm');
      return makeKeyOrPair(host.cryptoGenerateKey(a, !!extractable, usagesJson(keyUsages, 'generateKey', 3)));
    }

    async deriveKey(algorithm, baseKey, derivedKeyAlgorithm, extractable, keyUsages) {
      const a = normalize(algorithm, 'DeriveKeyAlgorithm');
      const id = keyParam(baseKey, 'deriveKey', 2);
      const d = normalize(derivedKeyAlgorithm, 'ImportKeyAlgorithm');
      return makeKey(host.cryptoDeriveKey(a, id, d, !!extractable, usagesJson(keyUsages, 'deriveKey', 5)));
    }

    async deriveBits(algorithm, baseKey, length = null) {
      const a = normalize(algorithm, 'DeriveKeyAlgorithm');
      const id = keyParam(baseKey, 'deriveBits', 2);
      const n = length === null || length === undefined ? null : toInt(length);
      if (n !== null && n < 0) throw new TypeError('deriveBits length must be an unsigned long integer.');
      return toArrayBuffer(host.cryptoDeriveBits(a, id, n));
    }

    async importKey(format, keyData, algorithm, extractable, keyUsages) {
      format = toStr(format);
      const data = importData(keyData);
      const a = normalize(algorithm, 'ImportKeyAlgorithm');
      return makeKey(host.cryptoImportKey(format, data, a, !!extractable, usagesJson(keyUsages, 'importKey', 5)));
    }

    async exportKey(format, key) {
      format = toStr(format);
      const out = host.cryptoExportKey(format, keyParam(key, 'exportKey', 2));
      return typeof out === 'string' ? JSON.parse(out) : toArrayBuffer(out);
    }

    async wrapKey(format, key, wrappingKey, wrapAlgorithm) {
      format = toStr(format);
      const id = keyParam(key, 'wrapKey', 2);
      const wid = keyParam(wrappingKey, 'wrapKey', 3);
      const a = normalize(wrapAlgorithm, 'EncryptAlgorithm');
      return toArrayBuffer(host.cryptoWrapKey(format, id, wid, a));
    }

    async unwrapKey(format, wrappedKey, unwrappingKey, unwrapAlgorithm, unwrappedKeyAlgorithm, extractable, keyUsages) {
      format = toStr(format);
      const wrapped = bufferParam(wrappedKey, 'unwrapKey', 2);
      const id = keyParam(unwrappingKey, 'unwrapKey', 3);
      const a = normalize(unwrapAlgorithm, 'EncryptAlgorithm');
      const u = normalize(unwrappedKeyAlgorithm, 'ImportKeyAlgorithm');
      const usages = usagesJson(keyUsages, 'unwrapKey', 7);
      const bytes = host.cryptoUnwrapBytes(a, id, wrapped);
      let data = bytes;
      if (format === 'jwk') {
        const jwk = JSON.parse(host.decode('utf-8', bytes, false, false));
        if (!isObject(jwk)) throw new DOMException('Missing "kty" field or corrupt JSON unwrapping key?', 'DataError');
        data = jwkJson(jwk);
      }
      return makeKey(host.cryptoImportKey(format, data, u, !!extractable, usages));
    }

    // workerd's extension, after Node's crypto.timingSafeEqual
    timingSafeEqual(a, b) {
      if (!isBuffer(a)) throw paramError('timingSafeEqual', 'SubtleCrypto', 1, 'BufferSource');
      if (!isBuffer(b)) throw paramError('timingSafeEqual', 'SubtleCrypto', 2, 'BufferSource');
      a = toBytes(a); b = toBytes(b);
      if (a.byteLength !== b.byteLength) throw new TypeError('Input buffers must have the same byte length.');
      return host.cryptoTimingSafeEqual(a, b);
    }
  }
  tag(SubtleCrypto, 'SubtleCrypto');

  // importKey's keyData: BufferSource or JsonWebKey (sent to the host as JSON text)
  const importData = (v) => {
    if (isBuffer(v)) return toBytes(v);
    if (isObject(v)) return jwkJson(v);
    throw paramError('importKey', 'SubtleCrypto', 2, 'BufferSource or JsonWebKey');
  };

  // --- Crypto (https://w3c.github.io/webcrypto/#crypto-interface) ---------------------------------
  const INTEGER_VIEWS = [Int8Array, Uint8Array, Uint8ClampedArray, Int16Array, Uint16Array, Int32Array,
    Uint32Array, BigInt64Array, BigUint64Array];
  let subtle;
  let DigestStream;

  class Crypto {
    constructor() { if (!constructing) illegal(); }
    get subtle() { return subtle; }

    getRandomValues(array) {
      if (!ArrayBuffer.isView(array)) {
        throw new TypeError("Failed to execute 'getRandomValues' on 'Crypto': parameter 1 is not of type 'ArrayBufferView'.");
      }
      if (!INTEGER_VIEWS.some((C) => array instanceof C)) {
        throw new DOMException('ArrayBufferView argument to getRandomValues() must be an integer-typed view.', 'TypeMismatchError');
      }
      const n = array.byteLength;
      if (n > 65536) {
        throw new DOMException(`getRandomValues() only accepts buffers of size <= 64K but provided ${n} bytes.`, 'QuotaExceededError');
      }
      if (n) new Uint8Array(array.buffer, array.byteOffset, n).set(host.cryptoRandom(n));
      return array;
    }

    randomUUID() { return host.cryptoRandomUUID(); }

    // workerd's nested type; built on first use since it needs the streams API
    get DigestStream() { return DigestStream || (DigestStream = makeDigestStream()); }
  }
  tag(Crypto, 'Crypto');

  // --- crypto.DigestStream: a WritableStream whose `digest` promise resolves to the hash ------------
  // States: ready (writes hash their bytes) -> closed (digest resolved) | errored (digest rejected).
  const makeDigestStream = () => {
    const { WritableStream } = internal.require('streams');
    const state = new WeakMap();
    class DigestStream extends WritableStream {
      constructor(algorithm) {
        if (algorithm === undefined || algorithm === null) {
          throw new TypeError("Failed to construct 'DigestStream': constructor parameter 1 is not of type 'string or HashAlgorithm'.");
        }
        const name = normalize(algorithm, 'HashAlgorithm').name;
        const id = host.cryptoDigestStreamNew(name);
        const s = { id, phase: 'ready', bytes: 0, resolve: null, reject: null, promise: null };
        s.promise = new Promise((resolve, reject) => { s.resolve = resolve; s.reject = reject; });
        s.promise.catch(() => {});
        super({
          write(chunk) {
            let bytes;
            if (isBuffer(chunk)) bytes = toBytes(chunk);
            else if (typeof chunk === 'string') bytes = host.utf8Encode(chunk);
            else throw new TypeError('DigestStream is a byte stream but received an object of non-ArrayBuffer/ArrayBufferView/string type on its writable side.');
            if (s.phase !== 'ready' || bytes.byteLength === 0) return;
            host.cryptoDigestStreamWrite(s.id, bytes);
            s.bytes += bytes.byteLength;
          },
          close() {
            if (s.phase !== 'ready') return;
            s.phase = 'closed';
            s.resolve(toArrayBuffer(host.cryptoDigestStreamClose(s.id)));
          },
          abort(reason) {
            if (s.phase !== 'ready') return;
            s.phase = 'errored';
            host.cryptoRelease(s.id);
            s.reject(reason);
          },
        });
        state.set(this, s);
        release.register(this, id);
      }
      get digest() { return state.get(this).promise; }
      get bytesWritten() { return BigInt(state.get(this).bytes); }  // a uint64 in workerd
    }
    tag(DigestStream, 'DigestStream');
    return DigestStream;
  };

  // workerd lists `constructor` last among a prototype's own properties
  const constructorLast = (C) => {
    const d = Object.getOwnPropertyDescriptor(C.prototype, 'constructor');
    delete C.prototype.constructor;
    Object.defineProperty(C.prototype, 'constructor', d);
  };
  constructorLast(Crypto);
  constructorLast(SubtleCrypto);
  // workerd's methods report length 0 (its bindings take any number of arguments)
  for (const C of [Crypto, SubtleCrypto]) {
    for (const k of Object.getOwnPropertyNames(C.prototype)) {
      const d = Object.getOwnPropertyDescriptor(C.prototype, k);
      if (k !== 'constructor' && typeof d.value === 'function') Object.defineProperty(d.value, 'length', { value: 0 });
    }
  }

  constructing = true;
  subtle = new SubtleCrypto();
  const crypto = new Crypto();
  constructing = false;

  const ex = { crypto, Crypto, SubtleCrypto, CryptoKey };
  internal.defineGlobal('crypto', crypto);
  for (const k of ['Crypto', 'SubtleCrypto', 'CryptoKey']) internal.defineGlobal(k, ex[k]);
  // for the host: a CryptoKey from key info (cryptoKey bindings), and a test for CryptoKeys
  ex.keyFromHost = makeKey;
  ex.isCryptoKey = isKey;
  internal.modules.crypto = ex;
})
