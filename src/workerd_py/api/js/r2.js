// R2 binding (`r2Bucket = "service"` in the config): R2Bucket, R2Object (workerd's HeadResult),
// R2ObjectBody (GetResult), R2MultipartUpload and the checksums object.
// https://developers.cloudflare.com/r2/api/workers/workers-api-reference/
//
// Wire protocol (workerd's public-beta R2 binding; checked against workerd 2026-11-17):
//   head, get, list   GET https://fake-host with `CF-R2-Request: <json request>`; the answer has
//                     `CF-R2-Metadata-Size: N` and its body is N bytes of JSON metadata followed
//                     by the object's bytes.
//   put, delete, multipart
//                     PUT https://fake-host with `CF-R2-Metadata-Size: N`; the body is N bytes of
//                     JSON request followed by the payload; the answer's body is the JSON result.
//   errors            status >= 400 with `CF-R2-Error: {"version","v4code","message"}`; 404 with
//                     v4code 10007 means "no such key", 412 with 10031/10032 "precondition failed".
// The JSON request is what workerd's capnp JSON codec writes for R2BindingRequest: fields in
// ordinal order, only those set, 64-bit integers as strings, md5 in base64, sha* in hex.
// Non-ASCII characters in the CF-R2-Request header are written as \u escapes (same JSON value;
// header values must be byte strings here).
(function (internal, host) {
  'use strict';
  const { Headers, Response } = internal.require('fetch');
  const { ReadableStream } = internal.require('streams');
  const util = internal.bindingUtil || (internal.require('kv'), internal.bindingUtil);
  const FAKE = 'https://fake-host';
  const MAX_METADATA = 1024 * 1024;
  const kFetcher = Symbol('fetcher'), kBody = Symbol('body'), kBucket = Symbol('bucket');

  const asciiJson = util.asciiJson;
  const utf8 = (s) => host.utf8Encode(s);
  const decodeUtf8 = (u8) => host.decode('utf-8', u8, false, false);
  const concat = (a, b) => { const out = new Uint8Array(a.length + b.length); out.set(a); out.set(b, a.length); return out; };
  const HEXCHARS = '0123456789abcdef';
  const toHex = (u8) => { let s = ''; for (const b of u8) s += HEXCHARS[b >> 4] + HEXCHARS[b & 15]; return s; };
  const fromHex = (s) => {
    if (s.length % 2 !== 0 || /[^0-9a-fA-F]/.test(s)) return null;
    const out = new Uint8Array(s.length / 2);
    for (let i = 0; i < out.length; i++) out[i] = parseInt(s.substr(i * 2, 2), 16);
    return out;
  };
  const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
  const toBase64 = (u8) => {
    let s = '';
    for (let i = 0; i < u8.length; i += 3) {
      const n = (u8[i] << 16) | ((u8[i + 1] || 0) << 8) | (u8[i + 2] || 0);
      s += B64[n >> 18] + B64[(n >> 12) & 63] + (i + 1 < u8.length ? B64[(n >> 6) & 63] : '=') + (i + 2 < u8.length ? B64[n & 63] : '=');
    }
    return s;
  };
  const isBufferLike = (v) => v instanceof ArrayBuffer || v instanceof SharedArrayBuffer || ArrayBuffer.isView(v);
  const isObject = (v) => v !== null && (typeof v === 'object' || typeof v === 'function');
  const fieldError = (field, struct, type) => new TypeError(`Incorrect type for the '${field}' field on '${struct}': the provided value is not of type '${type}'.`);
  const argError = (method, n, type) => new TypeError(`Failed to execute '${method}' on 'R2Bucket': parameter ${n} is not of type '${type}'.`);
  const keyArg = (method, key) => { if (key === undefined) throw argError(method, 1, 'string'); return String(key); };
  const dateMs = (v) => { const t = v instanceof Date ? v.getTime() : Number(v); return Number.isFinite(t) ? Math.trunc(t) : 0; };
  const parseDateHeader = (s) => { const t = Date.parse(s); return Number.isFinite(t) ? t : 0; };

  // ---- requests ----
  // [status, error|null, metadata object|null, reader|null, leftover bytes|null] for GET-style ops
  const r2Get = async (bucket, payload) => {
    const res = await bucket[kFetcher].fetch(FAKE, { method: 'GET', headers: { 'cf-r2-request': asciiJson(payload) }, redirect: 'manual' });
    const error = res.status >= 400 ? parseError(res) : null;
    const sizeHeader = res.headers.get('cf-r2-metadata-size');
    if (sizeHeader === null) {
      await discard(res);
      return { status: res.status, error, metadata: null, body: null };
    }
    const n = parseInt(sizeHeader, 10) || 0;
    if (n > MAX_METADATA) { await discard(res); throw new Error('internal error: R2 metadata size seems way too large'); }
    const [metaBytes, reader, rest] = await readPrefix(res, n);
    const r = { status: res.status, error, metadata: JSON.parse(decodeUtf8(metaBytes)), body: reader === null ? null : [reader, rest] };
    if (error !== null) cancelBody(r); // an error answer's payload is never read
    return r;
  };

  const r2Put = async (bucket, payload, value) => {
    const meta = utf8(JSON.stringify(payload));
    let body;
    if (value === null) body = meta;
    else if (value instanceof Uint8Array) body = concat(meta, value);
    else body = prefixStream(meta, value);
    const res = await bucket[kFetcher].fetch(FAKE, { method: 'PUT', headers: { 'cf-r2-metadata-size': String(meta.length) }, body, redirect: 'manual' });
    if (res.status >= 400) {
      await discard(res);
      return { status: res.status, error: parseError(res), metadata: null };
    }
    const text = await res.text();
    return { status: res.status, error: null, metadata: text === '' ? null : JSON.parse(text) };
  };

  const discard = (res) => (res.body === null ? undefined : res.arrayBuffer().then(() => undefined, () => undefined));

  const parseError = (res) => {
    const h = res.headers.get('cf-r2-error');
    let e = { version: 0, v4code: 0, message: 'Unspecified error' };
    if (h !== null) { try { e = JSON.parse(h); } catch (err) { /* keep the generic error */ } }
    return { code: Number(e.v4code) || 0, message: e.message === undefined ? '' : String(e.message) };
  };
  const notFound = (r) => r.status === 404 && r.error !== null && r.error.code === 10007;
  const preconditionFailed = (r) => r.status === 412 && r.error !== null && (r.error.code === 10031 || r.error.code === 10032);
  const throwIfError = (action, r) => {
    if (r.error !== null) throw new Error(`${action}: ${r.error.message} (${r.error.code})`);
  };
  const cancelBody = (r) => { if (r.body !== null) { r.body[0].cancel().catch(() => {}); r.body = null; } };

  // Read exactly n bytes from the response body: [bytes, reader of the rest | null, leftover | null]
  const readPrefix = async (res, n) => {
    const stream = res.body;
    if (stream === null) {
      if (n === 0) return [new Uint8Array(0), null, null];
      throw new Error('internal error: R2 metadata buffer not read fully/overflow?');
    }
    const reader = stream.getReader();
    const chunks = [];
    let got = 0, rest = null;
    while (got < n) {
      const { done, value } = await reader.read();
      if (done) throw new Error('internal error: R2 metadata buffer not read fully/overflow?');
      const u8 = internal.toUint8Array(value);
      if (got + u8.length > n) {
        chunks.push(u8.slice(0, n - got));
        rest = u8.slice(n - got);
        got = n;
      } else { chunks.push(u8); got += u8.length; }
    }
    let meta;
    if (chunks.length === 1) meta = chunks[0];
    else { meta = new Uint8Array(n); let o = 0; for (const c of chunks) { meta.set(c, o); o += c.length; } }
    return [meta, reader, rest];
  };

  const bodyStream = (reader, rest, length) => new ReadableStream({
    type: 'bytes',
    expectedLength: length === null ? undefined : length,
    pull(c) {
      if (rest !== null) { const r = rest; rest = null; if (r.length) { c.enqueue(r); return; } }
      return reader.read().then(({ done, value }) => {
        if (done) { c.close(); if (c.byobRequest) c.byobRequest.respond(0); return; }
        c.enqueue(internal.toUint8Array(value));
      });
    },
    cancel(reason) { return reader.cancel(reason); },
  });

  const emptyStream = () => new ReadableStream({ type: 'bytes', expectedLength: 0, start(c) { c.close(); } });

  // A stream of `prefix` followed by the bytes of `stream`.
  const prefixStream = (prefix, stream) => {
    const reader = stream.getReader();
    let first = true;
    return new ReadableStream({
      type: 'bytes',
      pull(c) {
        if (first) { first = false; c.enqueue(prefix.slice()); return; }
        return reader.read().then(({ done, value }) => {
          if (done) { c.close(); if (c.byobRequest) c.byobRequest.respond(0); return; }
          if (typeof value === 'string') c.enqueue(utf8(value));
          else if (isBufferLike(value)) c.enqueue(internal.copyBytes(value));
          else throw new TypeError('This ReadableStream did not return bytes.');
        });
      },
      cancel(reason) { return reader.cancel(reason); },
    });
  };

  // ---- request fields ----
  // https://developers.cloudflare.com/r2/api/workers/workers-api-reference/#conditional-operations
  const parseEtagHeader = (h) => {
    const out = [];
    let s = h, needComma = false;
    for (;;) {
      const w = s.indexOf('*'), q = s.indexOf('"'), wk = s.indexOf('W'), cm = s.indexOf(',');
      const inf = (i) => (i < 0 ? Infinity : i);
      const [nw, nq, nwk, nc] = [inf(w), inf(q), inf(wk), inf(cm)];
      if (nq === Infinity && nw === Infinity) return out;
      if (nc < nw && nc < nq && nc < nwk) { s = s.slice(nc + 1); needComma = false; continue; }
      if (needComma) {
        const first = Math.min(nw, nq, nwk);
        let why;
        if (first === nw) why = "Encountered a wildcard character '*' instead.";
        else if (first === nq) why = "Encountered a double quote character '\"' instead. This would otherwise indicate the start of a new strong etag.";
        else why = "Encountered a weak quotation character 'W' instead. This would otherwise indicate the start of a new weak etag.";
        throw new Error('Comma was expected to separate etags. ' + why);
      }
      if (nw < nq) return [{ type: 'wildcard' }];
      const close = s.indexOf('"', nq + 1);
      if (close < 0) throw new Error('Unclosed double quote for Etag');
      const value = s.slice(nq + 1, close);
      if (nwk < nq) {
        if (!(s.length > nwk + 2 && s[nwk + 1] === '/' && nwk + 2 === nq)) throw new Error('Weak etags must start with W/ and their value must be quoted');
        out.push({ value, type: 'weak' });
      } else out.push({ value, type: 'strong' });
      s = s.slice(close + 1);
      needComma = true;
    }
  };
  const singleEtag = (v) => {
    if (typeof v !== 'string') throw fieldError(v === undefined ? '' : 'etag', 'Conditional', 'string');
    if (v.length >= 2 && v.startsWith('"') && v.endsWith('"')) throw new TypeError(`Conditional ETag should not be wrapped in quotes (${v}).`);
    return v === '*' ? [{ type: 'wildcard' }] : [{ value: v, type: 'strong' }];
  };
  const onlyIfJson = (onlyIf) => {
    const out = {};
    let c;
    if (onlyIf instanceof Headers) {
      c = { secondsGranularity: true };
      const m = onlyIf.get('if-match'), nm = onlyIf.get('if-none-match');
      const ms = onlyIf.get('if-modified-since'), us = onlyIf.get('if-unmodified-since');
      if (m !== null) c.etagMatches = parseEtagHeader(m);
      if (nm !== null) c.etagDoesNotMatch = parseEtagHeader(nm);
      if (ms !== null) c.uploadedAfter = parseDateHeader(ms);
      if (us !== null) c.uploadedBefore = parseDateHeader(us);
    } else {
      if (!isObject(onlyIf)) throw fieldError('onlyIf', 'Options', 'Conditional or Headers');
      c = { secondsGranularity: !!onlyIf.secondsGranularity };
      const check = (name) => { const v = onlyIf[name]; if (v !== undefined && typeof v !== 'string') throw fieldError(name, 'Conditional', 'string'); return v; };
      const em = check('etagMatches'), en = check('etagDoesNotMatch');
      if (em !== undefined) c.etagMatches = singleEtag(em);
      if (en !== undefined) c.etagDoesNotMatch = singleEtag(en);
      if (onlyIf.uploadedAfter !== undefined) c.uploadedAfter = dateMs(onlyIf.uploadedAfter);
      if (onlyIf.uploadedBefore !== undefined) c.uploadedBefore = dateMs(onlyIf.uploadedBefore);
    }
    if (c.etagMatches !== undefined) out.etagMatches = c.etagMatches;
    if (c.etagDoesNotMatch !== undefined) out.etagDoesNotMatch = c.etagDoesNotMatch;
    let dated = false;
    if (c.uploadedBefore !== undefined) { out.uploadedBefore = String(c.uploadedBefore); dated = true; }
    if (c.uploadedAfter !== undefined) { out.uploadedAfter = String(c.uploadedAfter); dated = true; }
    if (dated && c.secondsGranularity) out.secondsGranularity = true;
    return out;
  };

  const rangeJson = (range, out) => {
    if (range instanceof Headers) {
      const h = range.get('range');
      if (h !== null) out.rangeHeader = h;
      return;
    }
    if (!isObject(range)) throw fieldError('range', 'GetOptions', 'Range or Headers');
    const r = {};
    const whole = (x) => Number.isInteger(x);
    let offset, length, suffix;
    if (range.offset !== undefined) {
      offset = Number(range.offset);
      if (!(offset >= 0)) throw new RangeError(`Invalid range. Starting offset (${offset}) must be greater than or equal to 0.`);
      if (!whole(offset)) throw new RangeError(`Invalid range. Starting offset (${offset}) must be an integer, not floating point.`);
      r.offset = String(offset);
    }
    if (range.length !== undefined) {
      length = Number(range.length);
      if (!(length >= 0)) throw new RangeError(`Invalid range. Length (${length}) must be greater than or equal to 0.`);
      if (!whole(length)) throw new RangeError(`Invalid range. Length (${length}) must be an integer, not floating point.`);
      r.length = String(length);
    }
    if (range.suffix !== undefined) {
      suffix = Number(range.suffix);
      if (offset !== undefined) throw new TypeError('Suffix is incompatible with offset.');
      if (length !== undefined) throw new TypeError('Suffix is incompatible with length.');
      if (!(suffix >= 0)) throw new RangeError(`Invalid suffix. Suffix (${suffix}) must be greater than or equal to 0.`);
      if (!whole(suffix)) throw new RangeError(`Invalid range. Suffix (${suffix}) must be an integer, not floating point.`);
      r.suffix = String(suffix);
    }
    out.range = r;
  };

  const ssecJson = (key) => {
    if (typeof key === 'string') {
      if (!/^[0-9a-f]+$/.test(key)) throw new Error('SSE-C Key has invalid format');
      if (key.length !== 64) throw new Error('SSE-C Key must be 32 bytes in length');
      return { key };
    }
    const u8 = internal.toUint8Array(key);
    if (u8.length !== 32) throw new Error('SSE-C Key must be 32 bytes in length');
    return { key: toHex(u8) };
  };

  const HTTP_FIELDS = ['contentType', 'contentLanguage', 'contentDisposition', 'contentEncoding', 'cacheControl'];
  // HttpMetadata from an object or Headers -> [metadata as the user sees it, httpFields JSON]
  const httpMetadataOf = (m) => {
    const meta = {};
    if (m instanceof Headers) {
      const pairs = [['contentType', 'content-type'], ['contentEncoding', 'content-encoding'], ['contentDisposition', 'content-disposition'],
        ['contentLanguage', 'content-language'], ['cacheControl', 'cache-control']];
      for (const [k, h] of pairs) { const v = m.get(h); if (v !== null) meta[k] = v; }
      const exp = m.get('expires');
      if (exp !== null) meta.cacheExpiry = new Date(parseDateHeader(exp));
    } else {
      if (!isObject(m)) throw fieldError('httpMetadata', 'PutOptions', 'HttpMetadata or Headers');
      for (const k of HTTP_FIELDS) if (m[k] !== undefined) meta[k] = String(m[k]);
      if (m.cacheExpiry !== undefined) meta.cacheExpiry = new Date(dateMs(m.cacheExpiry));
    }
    const fields = {};
    for (const k of HTTP_FIELDS) if (meta[k] !== undefined) fields[k] = meta[k];
    if (meta.cacheExpiry !== undefined) fields.cacheExpiry = String(meta.cacheExpiry.getTime());
    return [meta, fields];
  };
  const customMetadataOf = (m, struct) => {
    if (!isObject(m)) throw fieldError('customMetadata', struct, 'object');
    const out = {};
    for (const k of Object.keys(m)) out[k] = String(m[k]);
    return out;
  };
  const customFields = (m) => Object.keys(m).map((k) => ({ k, v: m[k] }));

  const HASHES = [['md5', 'MD5', 16], ['sha1', 'SHA-1', 20], ['sha256', 'SHA-256', 32], ['sha384', 'SHA-384', 48], ['sha512', 'SHA-512', 64]];

  // The bytes (or a known-length stream) of a put() / uploadPart() value; null for no body.
  const putValue = async (method, value, what) => {
    if (value === null && method === 'put') return null;
    if (typeof value === 'string') return utf8(value);
    if (isBufferLike(value)) return internal.copyBytes(value);
    if (internal.isBlob && internal.isBlob(value)) return internal.blobBytes(value);
    if (internal.isReadableStream && internal.isReadableStream(value)) {
      // workerd requires a known length here; a stream of unknown length is read into memory
      // (request and response bodies of this runtime do not carry their length on the stream).
      if (internal.streamLength(value) !== null) return value;
      return new Uint8Array(await new Response(value).arrayBuffer());
    }
    throw new TypeError(`Failed to execute '${method}' on '${what}': parameter 2 is not of type 'JsReadableStream or ArrayBuffer or ArrayBufferView or string or Blob'.`);
  };

  // ---- results ----
  const numberOf = (v) => (v === undefined || v === null ? 0 : Number(v));
  const NO_EXPIRY = '18446744073709551615';
  const parseHttpFields = (f) => {
    const m = {};
    for (const k of HTTP_FIELDS) if (f[k] !== undefined && f[k] !== null) m[k] = String(f[k]);
    if (f.cacheExpiry !== undefined && f.cacheExpiry !== null && String(f.cacheExpiry) !== NO_EXPIRY) m.cacheExpiry = new Date(Number(f.cacheExpiry));
    return m;
  };
  // wantHttp/wantCustom: the object gets {} for metadata it lacks (all non-list operations)
  const objectInit = (r, wantHttp, wantCustom) => {
    const init = {
      key: r.name === undefined ? '' : String(r.name),
      version: r.version === undefined ? '' : String(r.version),
      size: numberOf(r.size),
      etag: r.etag === undefined ? '' : String(r.etag),
      uploaded: new Date(numberOf(r.uploaded)),
      storageClass: r.storageClass === undefined ? '' : String(r.storageClass),
      httpMetadata: undefined, customMetadata: undefined, range: undefined, ssecKeyMd5: undefined,
      checksums: newChecksums(r.checksums || {}),
    };
    if (r.httpFields) init.httpMetadata = parseHttpFields(r.httpFields);
    else if (wantHttp) init.httpMetadata = {};
    if (Array.isArray(r.customFields)) { const c = {}; for (const f of r.customFields) c[String(f.k)] = String(f.v); init.customMetadata = c; }
    else if (wantCustom) init.customMetadata = {};
    if (r.range) init.range = { offset: numberOf(r.range.offset), length: numberOf(r.range.length) };
    if (r.ssec && r.ssec.keyMd5 !== undefined) init.ssecKeyMd5 = String(r.ssec.keyMd5);
    return init;
  };

  class Checksums {
    constructor() { internal.illegal(); }
    toJSON() {
      const out = {};
      for (const [k] of HASHES) if (this[k] !== undefined) out[k] = toHex(new Uint8Array(this[k]));
      return out;
    }
  }
  Object.defineProperty(Checksums.prototype, 'toJSON', { enumerable: true });
  Object.defineProperty(Checksums.prototype, Symbol.toStringTag, { value: 'Checksums', configurable: true });
  const newChecksums = (c) => {
    const o = Object.create(Checksums.prototype);
    const names = { md5: '0', sha1: '1', sha256: '2', sha384: '3', sha512: '4' };
    for (const [k] of HASHES.slice().reverse()) {
      const hex = c[names[k]];
      const u8 = typeof hex === 'string' ? fromHex(hex) : null;
      Object.defineProperty(o, k, { value: u8 === null ? undefined : u8.buffer, enumerable: true, configurable: true, writable: false });
    }
    return o;
  };

  const PROPS = ['ssecKeyMd5', 'storageClass', 'range', 'customMetadata', 'httpMetadata', 'uploaded', 'checksums', 'httpEtag', 'etag', 'size', 'version', 'key'];
  const fill = (o, init) => {
    init.httpEtag = `"${init.etag}"`;
    for (const p of PROPS) Object.defineProperty(o, p, { value: init[p], enumerable: true, configurable: true, writable: false });
    return o;
  };

  // R2Object (workerd's class name: HeadResult)
  class HeadResult {
    constructor() { internal.illegal(); }
    writeHttpMetadata(headers) {
      const m = this.httpMetadata;
      if (m === undefined) throw new TypeError(`HTTP metadata unknown for key \`${this.key}\`. Did you forget to add 'httpMetadata' to \`include\` when listing?`);
      if (!(headers instanceof Headers)) throw new TypeError("Failed to execute 'writeHttpMetadata' on 'HeadResult': parameter 1 is not of type 'Headers'.");
      if (m.contentType !== undefined) headers.set('content-type', m.contentType);
      if (m.contentLanguage !== undefined) headers.set('content-language', m.contentLanguage);
      if (m.contentDisposition !== undefined) headers.set('content-disposition', m.contentDisposition);
      if (m.contentEncoding !== undefined) headers.set('content-encoding', m.contentEncoding);
      if (m.cacheControl !== undefined) headers.set('cache-control', m.cacheControl);
      if (m.cacheExpiry !== undefined) headers.set('expires', m.cacheExpiry.toUTCString());
    }
  }
  Object.defineProperty(HeadResult.prototype, 'writeHttpMetadata', { enumerable: true });
  Object.defineProperty(HeadResult.prototype, Symbol.toStringTag, { value: 'HeadResult', configurable: true });

  const usedError = () => new TypeError('Body has already been used. It can only be used once. Use tee() first if you need to read it twice.');
  // R2ObjectBody (workerd's class name: GetResult)
  class GetResult extends HeadResult {
    get body() { return this[kBody]; }
    get bodyUsed() { return internal.isDisturbed(this[kBody]); }
    arrayBuffer() { return this.bytes().then((u8) => (u8.byteOffset === 0 && u8.byteLength === u8.buffer.byteLength ? u8.buffer : u8.slice().buffer)); }
    bytes() {
      const b = this[kBody];
      if (internal.isDisturbed(b) || b.locked) return Promise.reject(usedError());
      return new Response(b).bytes();
    }
    text() { return this.bytes().then((u8) => decodeUtf8(u8)); }
    json() { return this.text().then((t) => JSON.parse(t)); }
    blob() {
      return this.bytes().then((u8) => {
        const { Blob } = internal.require('blob');
        const ct = this.httpMetadata && this.httpMetadata.contentType;
        return new Blob([u8], { type: ct === undefined ? '' : ct });
      });
    }
  }
  for (const m of ['body', 'bodyUsed', 'arrayBuffer', 'bytes', 'text', 'json', 'blob']) Object.defineProperty(GetResult.prototype, m, { enumerable: true });
  Object.defineProperty(GetResult.prototype, Symbol.toStringTag, { value: 'GetResult', configurable: true });

  const newHead = (init) => fill(Object.create(HeadResult.prototype), init);
  const newGet = (init, body) => {
    const o = Object.create(GetResult.prototype);
    Object.defineProperty(o, kBody, { value: body, enumerable: false });
    return fill(o, init);
  };
  // parseObjectMetadata(): null when not found, a HeadResult on precondition failure, else throws
  const metadataOf = (action, r) => {
    if (notFound(r)) return null;
    if (!preconditionFailed(r)) throwIfError(action, r);
    if (r.metadata === null) throw new Error(`internal error: ${action}: R2 response without metadata`);
    return objectInit(r.metadata, true, true);
  };

  class R2MultipartUpload {
    constructor() { internal.illegal(); }
    uploadPart(partNumber, value, options = undefined) {
      return (async () => {
        const n = util.toInt(partNumber);
        if (!(n >= 1 && n <= 10000)) throw new TypeError(`Part number must be between 1 and 10000 (inclusive). Actual value was: ${n}`);
        if (value === undefined || value === null) throw new TypeError("Failed to execute 'uploadPart' on 'R2MultipartUpload': parameter 2 is not of type 'JsReadableStream or ArrayBuffer or ArrayBufferView or string or Blob'.");
        const payload = { version: 1, method: 'uploadPart', object: this.key, uploadId: this.uploadId, partNumber: n };
        if (isObject(options) && options.ssecKey !== undefined) payload.ssec = ssecJson(options.ssecKey);
        const body = await putValue('uploadPart', value, 'R2MultipartUpload');
        const r = await r2Put(this[kBucket], payload, body);
        throwIfError('uploadPart', r);
        return { partNumber: n, etag: r.metadata && r.metadata.etag !== undefined ? String(r.metadata.etag) : '' };
      })();
    }
    abort() {
      return (async () => {
        const r = await r2Put(this[kBucket], { version: 1, method: 'abortMultipartUpload', object: this.key, uploadId: this.uploadId }, null);
        if (notFound(r)) return;
        throwIfError('abortMultipartUpload', r);
      })();
    }
    complete(uploadedParts) {
      return (async () => {
        if (uploadedParts === null || typeof uploadedParts !== 'object' || typeof uploadedParts[Symbol.iterator] !== 'function') {
          throw new TypeError("Failed to execute 'complete' on 'R2MultipartUpload': parameter 1 is not of type 'Array'.");
        }
        const parts = [];
        for (const p of uploadedParts) {
          const n = util.toInt(p && p.partNumber);
          if (!(n >= 1 && n <= 10000)) throw new TypeError(`Part number must be between 1 and 10000 (inclusive). Actual value was: ${n}`);
          parts.push({ etag: String(p.etag), part: n });
        }
        const r = await r2Put(this[kBucket], { version: 1, method: 'completeMultipartUpload', object: this.key, uploadId: this.uploadId, parts }, null);
        throwIfError('completeMultipartUpload', r);
        if (r.metadata === null) throw new Error('internal error: completeMultipartUpload: R2 response without metadata');
        return newHead(objectInit(r.metadata, true, true));
      })();
    }
  }
  for (const m of ['uploadPart', 'abort', 'complete']) Object.defineProperty(R2MultipartUpload.prototype, m, { enumerable: true });
  Object.defineProperty(R2MultipartUpload.prototype, Symbol.toStringTag, { value: 'R2MultipartUpload', configurable: true });
  const newUpload = (bucket, key, uploadId) => {
    const u = Object.create(R2MultipartUpload.prototype);
    Object.defineProperty(u, kBucket, { value: bucket });
    Object.defineProperty(u, 'uploadId', { value: uploadId, enumerable: true, configurable: true });
    Object.defineProperty(u, 'key', { value: key, enumerable: true, configurable: true });
    return u;
  };

  class R2Bucket {
    constructor() { internal.illegal(); }

    head(key) {
      return (async () => {
        const name = keyArg('head', key);
        const r = await r2Get(this, { version: 1, method: 'head', object: name });
        cancelBody(r);
        const init = metadataOf('head', r);
        return init === null ? null : newHead(init);
      })();
    }

    get(key, options = undefined) {
      return (async () => {
        const name = keyArg('get', key);
        const payload = { version: 1, method: 'get', object: name };
        if (options !== undefined && options !== null) {
          if (!isObject(options)) throw argError('get', 2, 'GetOptions');
          const tail = {};
          if (options.range !== undefined) rangeJson(options.range, tail);
          if (tail.range !== undefined) payload.range = tail.range;
          if (options.onlyIf !== undefined) payload.onlyIf = onlyIfJson(options.onlyIf);
          if (tail.rangeHeader !== undefined) payload.rangeHeader = tail.rangeHeader;
          if (options.ssecKey !== undefined) payload.ssec = ssecJson(options.ssecKey);
        }
        const r = await r2Get(this, payload);
        if (preconditionFailed(r)) {
          cancelBody(r);
          return newHead(metadataOf('get', r));
        }
        const init = metadataOf('get', r);
        if (init === null) { cancelBody(r); return null; }
        const length = init.range !== undefined ? init.range.length : init.size;
        const body = r.body === null ? emptyStream() : bodyStream(r.body[0], r.body[1], length);
        return newGet(init, body);
      })();
    }

    put(key, value, options = undefined) {
      return (async () => {
        const name = keyArg('put', key);
        if (value === undefined || (value !== null && typeof value !== 'string' && !isObject(value))) throw argError('put', 2, 'JsReadableStream or ArrayBuffer or ArrayBufferView or string or Blob');
        const payload = { version: 1, method: 'put', object: name };
        let sentHttp = {}, sentCustom = {};
        if (options !== undefined && options !== null) {
          if (!isObject(options)) throw argError('put', 3, 'PutOptions');
          let onlyIf;
          if (options.onlyIf !== undefined) onlyIf = onlyIfJson(options.onlyIf);
          if (options.customMetadata !== undefined) { sentCustom = customMetadataOf(options.customMetadata, 'PutOptions'); payload.customFields = customFields(sentCustom); }
          if (options.httpMetadata !== undefined) { const [m, f] = httpMetadataOf(options.httpMetadata); sentHttp = m; payload.httpFields = f; }
          if (onlyIf !== undefined) payload.onlyIf = onlyIf;
          let hashed = false;
          for (const [k, label, size] of HASHES) {
            const v = options[k];
            if (v === undefined) continue;
            if (hashed) throw new TypeError('You cannot specify multiple hashing algorithms.');
            hashed = true;
            let bytes;
            if (typeof v === 'string') {
              if (v.length !== size * 2) throw new TypeError(`${label} is ${size * 2} hex characters, not ${v.length}`);
              bytes = fromHex(v);
              if (bytes === null) throw new TypeError(`Provided ${label} wasn't a valid hex string`);
            } else if (isBufferLike(v)) {
              bytes = internal.toUint8Array(v);
              if (bytes.length !== size) throw new TypeError(`${label} is ${size} bytes, not ${bytes.length}`);
            } else throw fieldError(k, 'PutOptions', 'ArrayBuffer or string');
            payload[k] = k === 'md5' ? toBase64(bytes) : toHex(bytes);
          }
          if (options.storageClass !== undefined) payload.storageClass = String(options.storageClass);
          if (options.ssecKey !== undefined) payload.ssec = ssecJson(options.ssecKey);
        }
        const body = await putValue('put', value, 'R2Bucket');
        const r = await r2Put(this, payload, body);
        if (preconditionFailed(r)) return null;
        throwIfError('put', r);
        if (r.metadata === null) throw new Error('internal error: put: R2 response without metadata');
        const init = objectInit(r.metadata, true, true);
        init.httpMetadata = sentHttp;
        init.customMetadata = sentCustom;
        return newHead(init);
      })();
    }

    createMultipartUpload(key, options = undefined) {
      return (async () => {
        const name = keyArg('createMultipartUpload', key);
        const payload = { version: 1, method: 'createMultipartUpload', object: name };
        if (options !== undefined && options !== null) {
          if (!isObject(options)) throw argError('createMultipartUpload', 2, 'MultipartOptions');
          if (options.customMetadata !== undefined) payload.customFields = customFields(customMetadataOf(options.customMetadata, 'MultipartOptions'));
          if (options.httpMetadata !== undefined) payload.httpFields = httpMetadataOf(options.httpMetadata)[1];
          if (options.storageClass !== undefined) payload.storageClass = String(options.storageClass);
          if (options.ssecKey !== undefined) payload.ssec = ssecJson(options.ssecKey);
        }
        const r = await r2Put(this, payload, null);
        throwIfError('createMultipartUpload', r);
        const uploadId = r.metadata && r.metadata.uploadId !== undefined ? String(r.metadata.uploadId) : '';
        return newUpload(this, name, uploadId);
      })();
    }

    resumeMultipartUpload(key, uploadId) {
      const name = keyArg('resumeMultipartUpload', key);
      if (uploadId === undefined) throw argError('resumeMultipartUpload', 2, 'string');
      return newUpload(this, name, String(uploadId));
    }

    delete(keys) {
      return (async () => {
        if (keys === undefined) throw argError('delete', 1, 'string or Array');
        const payload = { version: 1, method: 'delete' };
        if (Array.isArray(keys)) payload.objects = keys.map((k) => String(k));
        else payload.object = String(keys);
        const r = await r2Put(this, payload, null);
        if (notFound(r)) return;
        throwIfError('delete', r);
      })();
    }

    list(options = undefined) {
      return (async () => {
        const payload = { version: 1, method: 'list' };
        const honor = !!internal.flags.r2_list_honor_include;
        let wantHttp = !honor, wantCustom = !honor;
        if (options !== undefined && options !== null) {
          if (!isObject(options)) throw argError('list', 1, 'ListOptions');
          if (options.limit !== undefined) payload.limit = util.toInt(options.limit) >>> 0;
          for (const f of ['prefix', 'cursor', 'delimiter', 'startAfter']) {
            const v = options[f];
            if (v === undefined) continue;
            if (typeof v !== 'string') throw fieldError(f, 'ListOptions', 'string');
            payload[f] = v;
          }
          if (options.include !== undefined) {
            const inc = [];
            wantHttp = false; wantCustom = false;
            for (const v of options.include) {
              const s = String(v);
              if (s === 'httpMetadata') { inc.push(0); wantHttp = true; }
              else if (s === 'customMetadata') { inc.push(1); wantCustom = true; }
              else throw new RangeError(`Unsupported include value ${s}`);
            }
            payload.include = inc;
          } else if (honor) payload.include = [];
        }
        payload.newRuntime = true;
        if (!honor) { payload.include = [0, 1]; wantHttp = true; wantCustom = true; }
        const r = await r2Get(this, payload);
        cancelBody(r);
        throwIfError('list', r);
        const m = r.metadata || {};
        const result = { objects: [], truncated: !!m.truncated };
        if (Array.isArray(m.objects)) for (const o of m.objects) result.objects.push(newHead(objectInit(o, wantHttp, wantCustom)));
        if (m.cursor !== undefined && m.cursor !== null) result.cursor = String(m.cursor);
        result.delimitedPrefixes = Array.isArray(m.delimitedPrefixes) ? m.delimitedPrefixes.map(String) : [];
        return result;
      })();
    }
  }
  for (const m of ['head', 'get', 'put', 'createMultipartUpload', 'resumeMultipartUpload', 'delete', 'list']) {
    Object.defineProperty(R2Bucket.prototype, m, { enumerable: true });
  }
  Object.defineProperty(R2Bucket.prototype, Symbol.toStringTag, { value: 'R2Bucket', configurable: true });

  internal.makeR2 = (fetcher, name) => {
    const b = Object.create(R2Bucket.prototype);
    Object.defineProperty(b, kFetcher, { value: fetcher });
    return b;
  };
  internal.modules.r2 = { R2Bucket, HeadResult, GetResult, R2MultipartUpload, Checksums };
})
