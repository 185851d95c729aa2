// Workers KV binding (`kvNamespace = "service"` in the config): the KvNamespace class.
// https://developers.cloudflare.com/kv/api/
//
// Every operation is one HTTP request to the bound service, byte for byte what workerd sends
// (checked against workerd 2026-11-17 with a recording worker, see tests/js/kv):
//   get     GET    https://fake-host/<key>?urlencoded=true[&cache_ttl=N]
//           404/410 -> null; other non-2xx -> Error "KV GET failed: <status> <statusText>";
//           metadata in the CF-KV-Metadata response header (JSON), CF-Cache-Status -> cacheStatus.
//   bulk    POST   https://fake-host/bulk/get  {"keys":[...],"type"?,"withMetadata"?,"cacheTtl"?}
//           -> a JSON object {key: value | {value, metadata}} turned into a Map.
//   list    GET    https://fake-host[?key_count_limit=N&prefix=P&cursor=C]
//           -> {keys:[{name, expiration?, metadata?}], list_complete, cursor?}; string metadata is
//              JSON-parsed and `cacheStatus` is added.
//   put     PUT    https://fake-host/<key>?urlencoded=true[&expiration=N][&expiration_ttl=N]
//           CF-KV-Metadata: <json>; body = the value (strings as text/plain;charset=UTF-8).
//   delete  DELETE https://fake-host/<key, encodeURIComponent>?urlencoded=true
// and every request carries `CF-KV-FLPROD-405: <the url>`.
// The key is one path segment encoded like KJ's URL writer (kj::Url, path context) for get/put
// and like encodeURIComponent for delete; query values are www-form encoded. Strings are
// converted to UTF-8 the way V8 does (lone surrogates as 3-byte WTF-8 sequences).
(function (internal, host) {
  'use strict';
  const { Response } = internal.require('fetch');
  const MAX_KEY_LENGTH = 512;
  const FAKE = 'https://fake-host';
  const kFetcher = Symbol('fetcher');

  // ---- encoding helpers (shared with r2.js and queue.js through internal.bindingUtil) ----
  // WTF-8 bytes of a JS string (V8's String::WriteUtf8 without replacement).
  const wtf8 = (s) => {
    const out = [];
    for (let i = 0; i < s.length; i++) {
      let c = s.charCodeAt(i);
      if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
        const d = s.charCodeAt(i + 1);
        if (d >= 0xdc00 && d <= 0xdfff) { c = 0x10000 + ((c - 0xd800) << 10) + (d - 0xdc00); i++; }
      }
      if (c < 0x80) out.push(c);
      else if (c < 0x800) out.push(0xc0 | (c >> 6), 0x80 | (c & 63));
      else if (c < 0x10000) out.push(0xe0 | (c >> 12), 0x80 | ((c >> 6) & 63), 0x80 | (c & 63));
      else out.push(0xf0 | (c >> 18), 0x80 | ((c >> 12) & 63), 0x80 | ((c >> 6) & 63), 0x80 | (c & 63));
    }
    return out;
  };
  const utf8Length = (s) => {
    let n = 0;
    for (let i = 0; i < s.length; i++) {
      const c = s.charCodeAt(i);
      if (c < 0x80) n += 1;
      else if (c < 0x800) n += 2;
      else if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length && (s.charCodeAt(i + 1) & 0xfc00) === 0xdc00) { n += 4; i++; }
      else n += 3;
    }
    return n;
  };
  const HEX = '0123456789ABCDEF';
  const makeEncoder = (keep, spacePlus) => {
    const table = new Uint8Array(128);
    for (let i = 0; i < keep.length; i++) table[keep.charCodeAt(i)] = 1;
    for (let c = 48; c <= 57; c++) table[c] = 1;
    for (let c = 65; c <= 90; c++) table[c] = 1;
    for (let c = 97; c <= 122; c++) table[c] = 1;
    return (s) => {
      let out = '';
      for (const b of wtf8(s)) {
        if (b < 128 && table[b]) out += String.fromCharCode(b);
        else if (b === 32 && spacePlus) out += '+';
        else out += '%' + HEX[b >> 4] + HEX[b & 15];
      }
      return out;
    };
  };
  // kj::encodeUriPath (one path segment), kj::encodeUriComponent, kj::encodeWwwForm
  const encodePathSegment = makeEncoder("-_.~!$&'()*+,;=:@[]^|", false);
  const encodeComponent = makeEncoder("-_.~!*'()", false);
  const encodeForm = makeEncoder('-_.*', true);
  const toInt = (v) => Number(v) | 0; // WebIDL long (what JSG does for `int`)
  // JSON for a header value: non-ASCII characters as \u escapes (header values are byte strings
  // here; workerd sends raw UTF-8, which its JS side decodes to the same JSON value).
  const asciiJson = (v) => {
    const s = JSON.stringify(v);
    return s === undefined ? s : s.replace(/[\u007f-\uffff]/g, (c) => '\\u' + c.charCodeAt(0).toString(16).padStart(4, '0'));
  };
  internal.bindingUtil = { wtf8, utf8Length, encodePathSegment, encodeComponent, encodeForm, toInt, asciiJson };

  // Drain a response body we do not need (host bodies must be released).
  const discard = (res) => (res.body === null ? undefined : res.arrayBuffer().then(() => undefined, () => undefined));

  const checkStatus = async (method, res) => {
    if (res.status < 200 || res.status >= 300) {
      await discard(res);
      throw new Error(`KV ${method} failed: ${res.status} ${res.statusText}`);
    }
  };

  // https://developers.cloudflare.com/kv/platform/limits/ (workerd's validateKeyName)
  const validateKey = (method, name) => {
    if (name === '') throw new TypeError('Key name cannot be empty.');
    if (name === '.') throw new TypeError('"." is not allowed as a key name.');
    if (name === '..') throw new TypeError('".." is not allowed as a key name.');
    const n = utf8Length(name);
    if (n > MAX_KEY_LENGTH) throw new Error(`KV ${method} failed: 414 UTF-8 encoded length of ${n} exceeds key length limit of ${MAX_KEY_LENGTH}.`);
  };

  const argError = (method, n, type) => new TypeError(`Failed to execute '${method}' on 'KvNamespace': parameter ${n} is not of type '${type}'.`);

  const request = (kv, method, url, headers, body) => {
    headers['cf-kv-flprod-405'] = url;
    const init = { method, headers, redirect: 'manual' };
    if (body !== undefined) init.body = body;
    return kv[kFetcher].fetch(url, init);
  };

  // options of get(): a type string or {type, cacheTtl}
  const getOptions = (options) => {
    let type, cacheTtl;
    if (typeof options === 'string') type = options;
    else if (options !== undefined && options !== null) {
      if (typeof options !== 'object' && typeof options !== 'function') type = String(options);
      else {
        if (options.type !== undefined) type = String(options.type);
        if (options.cacheTtl !== undefined) cacheTtl = toInt(options.cacheTtl);
      }
    }
    return { type, cacheTtl };
  };

  const readValue = async (res, type) => {
    switch (type === undefined ? 'text' : type) {
      case 'text': return res.text();
      case 'json': return JSON.parse(await res.text());
      case 'arrayBuffer': return res.arrayBuffer();
      case 'stream': {
        if (res.body !== null) return res.body;
        const { ReadableStream } = internal.require('streams');
        return new ReadableStream({ type: 'bytes', start(c) { c.close(); } });
      }
      default:
        await discard(res);
        throw new TypeError('Unknown response type. Possible types are "text", "arrayBuffer", "json", and "stream".');
    }
  };

  const getOne = async (kv, name, options) => {
    validateKey('GET', name);
    const { type, cacheTtl } = getOptions(options);
    let url = `${FAKE}/${encodePathSegment(name)}?urlencoded=true`;
    if (cacheTtl !== undefined) url += `&cache_ttl=${cacheTtl}`;
    const res = await request(kv, 'GET', url, {});
    const cs = res.headers.get('cf-cache-status');
    const cacheStatus = cs === null ? null : cs;
    if (res.status === 404 || res.status === 410) {
      await discard(res);
      return { value: null, metadata: null, cacheStatus };
    }
    await checkStatus('GET', res);
    const meta = res.headers.get('cf-kv-metadata');
    const value = await readValue(res, type);
    return { value, metadata: meta === null ? null : JSON.parse(meta), cacheStatus };
  };

  const getBulk = async (kv, names, options, withMetadata) => {
    const keys = [];
    for (const k of names) keys.push(String(k));
    const { type, cacheTtl } = getOptions(options);
    const body = { keys };
    if (type !== undefined && type !== '') body.type = type;
    if (withMetadata) body.withMetadata = true;
    if (cacheTtl !== undefined) body.cacheTtl = String(cacheTtl);
    const url = `${FAKE}/bulk/get`;
    const res = await request(kv, 'POST', url, { 'content-type': 'application/json' }, JSON.stringify(body));
    if (res.status < 200 || res.status >= 300) {
      await discard(res);
      throw new Error(`KV GET_BULK failed: ${res.status} ${res.statusText}`);
    }
    const obj = JSON.parse(await res.text());
    const map = new Map();
    if (obj !== null && typeof obj === 'object') {
      for (const k of Object.keys(obj)) {
        if (String(k >>> 0) === k && k !== '4294967295') continue; // V8 skips index keys here
        map.set(k, obj[k]);
      }
    }
    return map;
  };

  // What put() sends for a value: [body, contentType|null]
  const putBody = (value) => {
    if (typeof value === 'string') return [value, 'text/plain;charset=UTF-8'];
    if (value === null || (typeof value !== 'object' && typeof value !== 'function')) {
      if (typeof value === 'symbol') throw new TypeError('Cannot convert a Symbol value to a string');
      return [String(value), 'text/plain;charset=UTF-8'];
    }
    if (value instanceof ArrayBuffer || value instanceof SharedArrayBuffer || ArrayBuffer.isView(value)) return [internal.copyBytes(value), null];
    if (internal.isReadableStream && internal.isReadableStream(value)) return [value, null];
    throw new TypeError('KV put() accepts only strings, ArrayBuffers, ArrayBufferViews, and ReadableStreams as values.');
  };

  const isArray = (v) => Array.isArray(v);
  const keyArg = (method, name, type) => {
    if (name === undefined) throw argError(method, 1, type);
    if (isArray(name)) return name;
    return String(name);
  };

  class KvNamespace {
    constructor() { internal.illegal(); }

    // get() and getWithMetadata() return "a promise of a value or of a Map" in workerd, so their
    // argument errors (and getWithMetadata's key checks) are thrown, not rejections.
    get(name, options = undefined) {
      const key = keyArg('get', name, 'string or Array');
      try {
        if (isArray(key)) return getBulk(this, key, options, false);
        return getOne(this, key, options).then((r) => r.value);
      } catch (e) { return Promise.reject(e); }
    }

    getWithMetadata(name, options = undefined) {
      const key = keyArg('getWithMetadata', name, 'Array or string');
      try {
        if (isArray(key)) return getBulk(this, key, options, true);
      } catch (e) { return Promise.reject(e); }
      validateKey('GET', key);
      return getOne(this, key, options);
    }

    async list(options = undefined) {
      let query = '';
      const add = (k, v) => { query += (query === '' ? '?' : '&') + k + '=' + encodeForm(v); };
      if (options !== undefined && options !== null) {
        if (typeof options !== 'object' && typeof options !== 'function') throw new TypeError("Failed to execute 'list' on 'KvNamespace': parameter 1 is not of type 'ListOptions'.");
        if (options.limit !== undefined) { const limit = toInt(options.limit); if (limit > 0) add('key_count_limit', String(limit)); }
        if (options.prefix !== undefined && options.prefix !== null) add('prefix', String(options.prefix));
        if (options.cursor !== undefined && options.cursor !== null) add('cursor', String(options.cursor));
      }
      const url = FAKE + query;
      const res = await request(this, 'GET', url, {});
      await checkStatus('GET', res);
      const cs = res.headers.get('cf-cache-status');
      const result = JSON.parse(await res.text());
      if (result !== null && typeof result === 'object') {
        if (Array.isArray(result.keys)) {
          for (const key of result.keys) {
            if (key !== null && typeof key === 'object' && typeof key.metadata === 'string') key.metadata = JSON.parse(key.metadata);
          }
        }
        result.cacheStatus = cs === null ? null : cs;
      }
      return result;
    }

    put(name, value, options = undefined) {
      try {
        if (name === undefined) throw argError('put', 1, 'string');
        if (value === undefined) throw argError('put', 2, 'string or Object');
        const key = String(name);
        validateKey('PUT', key);
        let url = `${FAKE}/${encodePathSegment(key)}?urlencoded=true`;
        const headers = {};
        if (options !== undefined && options !== null) {
          if (typeof options !== 'object' && typeof options !== 'function') throw argError('put', 3, 'PutOptions');
          if (options.expiration !== undefined) url += `&expiration=${toInt(options.expiration)}`;
          if (options.expirationTtl !== undefined) url += `&expiration_ttl=${toInt(options.expirationTtl)}`;
          if (options.metadata !== undefined && options.metadata !== null) {
            const json = asciiJson(options.metadata);
            if (json !== undefined) headers['cf-kv-metadata'] = json;
          }
        }
        const [body, contentType] = putBody(value);
        if (contentType !== null) headers['content-type'] = contentType;
        return request(this, 'PUT', url, headers, body).then(async (res) => {
          await checkStatus('PUT', res);
          await discard(res);
        });
      } catch (e) { return Promise.reject(e); }
    }

    delete(name) {
      try {
        if (name === undefined) throw argError('delete', 1, 'string');
        const key = String(name);
        validateKey('DELETE', key);
        const url = `${FAKE}/${encodeComponent(key)}?urlencoded=true`;
        return request(this, 'DELETE', url, {}).then(async (res) => {
          await checkStatus('DELETE', res);
          await discard(res);
        });
      } catch (e) { return Promise.reject(e); }
    }
  }
  for (const m of ['get', 'getWithMetadata', 'list', 'put', 'delete']) {
    Object.defineProperty(KvNamespace.prototype, m, { enumerable: true });
  }
  Object.defineProperty(KvNamespace.prototype, Symbol.toStringTag, { value: 'KvNamespace', configurable: true });

  internal.makeKv = (fetcher, name) => {
    const kv = Object.create(KvNamespace.prototype);
    Object.defineProperty(kv, kFetcher, { value: fetcher });
    return kv;
  };
  internal.modules.kv = { KvNamespace };
})
