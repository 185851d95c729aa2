// Fetch standard: Headers, Request, Response, the Body mixin and fetch().
// https://fetch.spec.whatwg.org/  (workerd's behaviour where it differs, e.g. header iteration order)
//
// How bodies work: a body is one of
//   NONE, STRING (a JS string, encoded by the host), BYTES (a private Uint8Array copy),
//   STREAM (a ReadableStream), HOST (an id of a host byte stream, e.g. the incoming request body).
// The host reads STRING/BYTES/HOST bodies without touching JS streams; a ReadableStream is only
// created when `body` is accessed. `internal.unpack*` hand the parts to the host in one call.
//
// Compatibility flags handled here (internal.flags):
//   http_headers_getsetcookie        Headers.getSetCookie() exists (2023-03-01)
//   upper_case_all_http_methods      every known method is case-insensitive, not only the six
//                                    standard ones (2024-10-14)
//   fetch_standard_url               Request URLs are parsed and normalized by the URL standard;
//                                    before, the string is kept as given (2024-06-03)
//   response_redirect_url_standard   Response.redirect() parses with the URL standard; before, with
//                                    workerd's legacy parser, which encodes nothing (2023-03-14)
//   fetch_refuses_unknown_protocols  fetch() of a scheme other than http(s) (or data:) is a
//                                    TypeError; before, it is sent as if it were http (2021-11-10)
//   cache_option_enabled / cache_no_cache_enabled   RequestInit.cache: 'no-store' / 'no-cache'
//   fetch_iterable_type_support      sync and async iterables are bodies (streams of chunks)
(function (internal, host) {
  'use strict';
  const NONE = 0, STRING = 1, BYTES = 2, STREAM = 3, HOST = 4;
  const flags = internal.flags;
  internal.require('url');
  const arrayIterator = internal.arrayIterator;
  // argument-count errors, worded like workerd's
  const missing = (n, method, cls, type) => new TypeError(`Failed to execute '${method}' on '${cls}': parameter ${n + 1} is not of type '${type}'.`);

  // ---- Headers (https://fetch.spec.whatwg.org/#headers-class) ----
  const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
  // https://fetch.spec.whatwg.org/#concept-header-value-normalize; workerd accepts non-Latin-1
  // values (sent as UTF-8) and refuses only NUL, CR and LF inside the value
  const normalizeValue = (v) => {
    v = String(v);
    let s = 0, e = v.length;
    while (s < e && (v.charCodeAt(s) === 32 || v.charCodeAt(s) === 9 || v.charCodeAt(s) === 10 || v.charCodeAt(s) === 13)) s++;
    while (e > s && (v.charCodeAt(e - 1) === 32 || v.charCodeAt(e - 1) === 9 || v.charCodeAt(e - 1) === 10 || v.charCodeAt(e - 1) === 13)) e--;
    v = s === 0 && e === v.length ? v : v.slice(s, e);
    if (v.includes('\0') || v.includes('\r') || v.includes('\n')) throw new TypeError('Invalid header value.');
    return v;
  };
  const normalizeName = (n) => {
    n = String(n);
    if (!TOKEN.test(n)) throw new TypeError('Invalid header name.');
    return n.toLowerCase();
  };
  const kMap = Symbol('map'), kGuard = Symbol('guard');
  const H = 'Headers';
  class Headers {
    constructor(init = undefined) {
      this[kMap] = new Map();
      this[kGuard] = 'none';
      if (init === undefined || init === null) return;
      fillHeaders(this, init);
    }
    append(name, value) {
      if (arguments.length < 2) throw missing(arguments.length, 'append', H, 'string');
      checkGuard(this); appendHeader(this[kMap], normalizeName(name), normalizeValue(value));
    }
    delete(name) {
      if (arguments.length < 1) throw missing(0, 'delete', H, 'string');
      checkGuard(this); this[kMap].delete(normalizeName(name));
    }
    get(name) {
      if (arguments.length < 1) throw missing(0, 'get', H, 'string');
      const e = this[kMap].get(normalizeName(name));
      return e === undefined ? null : e.join(', ');
    }
    getAll(name) {
      if (arguments.length < 1) throw missing(0, 'getAll', H, 'string');
      name = normalizeName(name);
      if (name !== 'set-cookie') throw new TypeError('getAll() can only be used with the header name "Set-Cookie".');
      return (this[kMap].get(name) || []).slice();
    }
    getSetCookie() { return (this[kMap].get('set-cookie') || []).slice(); }
    has(name) {
      if (arguments.length < 1) throw missing(0, 'has', H, 'string');
      return this[kMap].has(normalizeName(name));
    }
    set(name, value) {
      if (arguments.length < 2) throw missing(arguments.length, 'set', H, 'string');
      checkGuard(this); this[kMap].set(normalizeName(name), [normalizeValue(value)]);
    }
    forEach(cb, thisArg = undefined) {
      if (typeof cb !== 'function') throw missing(0, 'forEach', H, 'function');
      for (const [k, v] of sortedEntries(this)) cb.call(thisArg, v, k, this);
    }
    // iterators run over a snapshot taken when they are created (names sorted, as workerd)
    entries() { return arrayIterator('EntryIterator', sortedEntries(this)); }
    keys() { return arrayIterator('KeyIterator', sortedEntries(this).map((e) => e[0])); }
    values() { return arrayIterator('ValueIterator', sortedEntries(this).map((e) => e[1])); }
    [Symbol.iterator]() { return arrayIterator('EntryIterator', sortedEntries(this)); }
  }
  if (!flags.http_headers_getsetcookie) delete Headers.prototype.getSetCookie;
  // console.log(headers): Headers(n) { 'name' => 'value', ..., [immutable]: bool }, as workerd
  if (internal.inspectors === undefined) internal.inspectors = new Map();
  internal.inspectors.set(Headers.prototype, (h) => {
    const e = sortedEntries(h);
    return [`Headers(${e.length})`, [...e.map(([k, v]) => [k, v, true]), ['[immutable]', h[kGuard] === 'immutable', false]]];
  });
  Object.defineProperty(Headers.prototype, Symbol.toStringTag, { value: 'Headers', configurable: true });
  // [[name, value], ...] sorted by name; values are combined, except set-cookie's (separate
  // entries since http_headers_getsetcookie)
  const splitCookies = !!flags.http_headers_getsetcookie;
  const sortedEntries = (h) => {
    const map = h[kMap];
    const keys = [...map.keys()].sort();
    const out = [];
    for (const k of keys) {
      const vals = map.get(k);
      if (k === 'set-cookie' && splitCookies) { for (const v of vals) out.push([k, v]); } else out.push([k, vals.join(', ')]);
    }
    return out;
  };
  const checkGuard = (h) => { if (h[kGuard] === 'immutable') throw new TypeError("Can't modify immutable headers."); };
  const appendHeader = (map, name, value) => { const e = map.get(name); if (e === undefined) map.set(name, [value]); else e.push(value); };
  const fillHeaders = (h, init) => {
    const map = h[kMap];
    if (init instanceof Headers) { for (const [k, v] of init[kMap]) map.set(k, v.slice()); return; }
    if (typeof init !== 'object' && typeof init !== 'function') throw new TypeError("Failed to construct 'Headers': constructor parameter 1 is not of type 'Headers or Sequence or object'.");
    if (typeof init[Symbol.iterator] === 'function') {
      for (const pair of init) {
        if (pair === null || typeof pair !== 'object' || typeof pair[Symbol.iterator] !== 'function') throw new TypeError("Incorrect type: the provided value is not of type 'Sequence'.");
        const arr = [...pair];
        if (arr.length !== 2) throw new TypeError('To initialize a Headers object from a sequence, each inner sequence must have exactly two elements.');
        appendHeader(map, normalizeName(arr[0]), normalizeValue(arr[1]));
      }
    } else {
      for (const k of Object.keys(init)) appendHeader(map, normalizeName(k), normalizeValue(init[k]));
    }
  };
  // flat [name, value, ...] for the host; set-cookie values stay separate
  const flattenHeaders = (h) => {
    const out = [];
    for (const [k, vals] of h[kMap]) {
      if (k === 'set-cookie' || vals.length === 1) { for (const v of vals) out.push(k, v); } else out.push(k, vals.join(', '));
    }
    return out;
  };
  const headersFromFlat = (flat, guard) => {
    const h = new Headers();
    const map = h[kMap];
    for (let i = 0; i < flat.length; i += 2) appendHeader(map, flat[i], flat[i + 1]);
    h[kGuard] = guard;
    return h;
  };
  internal.headersFromFlat = headersFromFlat;
  internal.flattenHeaders = flattenHeaders;

  // ---- bodies ----
  const bodyUsedError = () => new TypeError('Body has already been used. It can only be used once. Use tee() first if you need to read it twice.');
  const lockedError = () => new TypeError('This ReadableStream is currently locked to a reader.');
  const streams = () => internal.require('streams');

  // Extract a body from a BodyInit: returns [kind, value, contentType|null, length|null]
  const extractBody = (init) => {
    if (init === undefined || init === null) return [NONE, null, null, 0];
    if (typeof init === 'string') return [STRING, init, 'text/plain;charset=UTF-8', null];
    if (init instanceof ArrayBuffer || ArrayBuffer.isView(init) || init instanceof SharedArrayBuffer) {
      const u8 = internal.copyBytes(init);
      return [BYTES, u8, null, u8.length];
    }
    if (internal.isURLSearchParams(init)) return [STRING, init.toString(), 'application/x-www-form-urlencoded;charset=UTF-8', null];
    if (internal.isBlob && internal.isBlob(init)) {
      const u8 = internal.blobBytes(init);
      return [BYTES, u8, init.type || null, u8.length];
    }
    if (internal.isFormData && internal.isFormData(init)) {
      const [u8, ct] = internal.serializeFormData(init);
      return [BYTES, u8, ct, u8.length];
    }
    if (typeof init === 'object' && init !== null) {
      if (internal.isReadableStream && internal.isReadableStream(init)) {
        if (internal.isDisturbed(init)) throw new TypeError('This ReadableStream is disturbed (has already been read from), and cannot be used as a body.');
        if (init.locked) throw new TypeError('This ReadableStream is locked to a reader, and cannot be used as a body.');
        let length = internal.streamLength ? internal.streamLength(init) : null;
        if (length === null || length === undefined) length = knownLengths.has(init) ? knownLengths.get(init) : null;
        return [STREAM, init, null, length];
      }
      // fetch_iterable_type_support: (async) iterables become a stream of their chunks
      if (flags.fetch_iterable_type_support && (typeof init[Symbol.asyncIterator] === 'function' || typeof init[Symbol.iterator] === 'function')) {
        return [STREAM, streams().ReadableStream.from(init), null, null];
      }
    }
    return [STRING, String(init), 'text/plain;charset=UTF-8', null];
  };
  // a zero-length body, which a null body status still accepts (workerd warns, we accept quietly)
  const isEmptyBody = (b) => b === '' || ((b instanceof ArrayBuffer || ArrayBuffer.isView(b)) && b.byteLength === 0);
  const concat = (chunks, total) => {
    if (chunks.length === 1) return chunks[0];
    const out = new Uint8Array(total);
    let o = 0;
    for (const c of chunks) { out.set(c, o); o += c.length; }
    return out;
  };
  const readStreamAll = async (stream) => {
    const reader = stream.getReader();
    const chunks = []; let total = 0;
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      if (!(value instanceof Uint8Array)) {
        if (internal.isBufferSource(value)) { const u = internal.toUint8Array(value); chunks.push(u); total += u.length; continue; }
        throw new TypeError('This ReadableStream did not return bytes.');
      }
      chunks.push(value); total += value.length;
    }
    return concat(chunks, total);
  };
  // Streams over host bodies remember the body's length (when known), so that passing
  // `request.body` on keeps its Content-Length instead of becoming chunked (as in workerd).
  const knownLengths = new WeakMap();
  // A host body belongs to the host until JS lets go of it: once the JS objects that could still
  // read it are collected (its body state, or after it became a stream, that stream's source), the
  // host drops it, so an unread request body or subrequest answer does not stay registered.
  const hostBodies = new FinalizationRegistry((id) => host.bodyCancel(id));
  // (the unregister token is a separate object kept in the state's slot B_TOKEN: quickjs-ng never
  // collects a target that is its own token)
  const newHostBody = (id, length) => {
    const st = newBody(HOST, id, length);
    const token = {};
    st.push(token);
    hostBodies.register(st, id, token);
    return st;
  };
  const hostStream = (id, length) => {
    const { ReadableStream } = streams();
    const source = {
      type: 'bytes',
      pull(controller) {
        return host.bodyRead(id).then((chunk) => {
          if (chunk === null) { controller.close(); if (controller.byobRequest) controller.byobRequest.respond(0); }
          else controller.enqueue(chunk);
        });
      },
      cancel() { host.bodyCancel(id); },
    };
    hostBodies.register(source, id); // the stream's algorithms hold it while it can still pull
    const stream = new ReadableStream(source);
    if (length !== null && length !== undefined) knownLengths.set(stream, length);
    return stream;
  };
  const bytesStream = (u8) => {
    const { ReadableStream } = streams();
    return new ReadableStream({ type: 'bytes', start(c) { if (u8.length) c.enqueue(u8); c.close(); } });
  };

  // State records are arrays, not objects: QuickJS frees a shape with its last object, so objects
  // with many properties rebuild their shapes on every request; arrays have no shapes (3x faster).
  // Keep the per-request paths (new Response(string), internal.makeRequest, internal.unpackResponse)
  // allocation-light; time them in a loop before and after a change, e.g. with an isolate from
  // runtime.isolate + registry.ApiHost and `for (...) new Response("x")` / `internal.makeRequest(...)`.
  // Body state: [kind, value, used, stream, length] (+ token, for HOST bodies: newHostBody)
  const B_KIND = 0, B_VALUE = 1, B_USED = 2, B_STREAM = 3, B_LEN = 4, B_TOKEN = 5;
  const newBody = (kind, value, length) => [kind, value, false, null, length];
  // Every Request and Response has one property, this[kS]: an array whose slot 0 is the body state.
  const kS = Symbol('state');
  // Request: [body, url, method, headers, flat, redirect, cf, signal, fetcher, cache?] (cache only when set)
  const Q_URL = 1, Q_METHOD = 2, Q_HEADERS = 3, Q_FLAT = 4, Q_REDIRECT = 5, Q_CF = 6, Q_SIGNAL = 7, Q_FETCHER = 8, Q_CACHE = 9;
  // Response: [body, status, statusText, headers, rawCt, cf, webSocket, url, redirected, type, encodeBody]
  const R_STATUS = 1, R_TEXT = 2, R_HEADERS = 3, R_RAWCT = 4, R_CF = 5, R_WS = 6, R_URL = 7, R_REDIRECTED = 8, R_TYPE = 9;


  const getStream = (st) => {
    if (st[B_STREAM] !== null) return st[B_STREAM];
    let stream = null;
    switch (st[B_KIND]) {
      case NONE: return null;
      case STRING: stream = bytesStream(st[B_USED] ? EMPTY : host.utf8Encode(st[B_VALUE])); break;
      case BYTES: stream = bytesStream(st[B_USED] ? EMPTY : st[B_VALUE]); break;
      case HOST: hostBodies.unregister(st[B_TOKEN]); stream = hostStream(st[B_VALUE], st[B_LEN]); break;
      case STREAM: stream = st[B_VALUE]; break;
    }
    // a body already consumed without a stream: its stream is locked and disturbed, as in workerd
    if (st[B_USED] && st[B_KIND] !== STREAM) stream.getReader().read();
    st[B_STREAM] = stream; st[B_KIND] = STREAM; st[B_VALUE] = stream;
    return stream;
  };
  const EMPTY = new Uint8Array(0);
  // bodyUsed is "disturbed" (https://fetch.spec.whatwg.org/#body-unusable): a locked stream that
  // was never read from is not used, but cannot be consumed either
  const isUsed = (st) => st[B_USED] || (st[B_KIND] === STREAM && internal.isDisturbed(st[B_VALUE]));
  const unusableError = (st) => (isUsed(st) ? bodyUsedError() : st[B_KIND] === STREAM && st[B_VALUE].locked ? lockedError() : null);
  // clone() of a used or locked body (workerd reports both as a locked stream)
  const cloneError = (st) => (isUsed(st) || (st[B_KIND] === STREAM && st[B_VALUE].locked) ? lockedError() : null);
  const consumeBytes = (obj) => {
    const st = obj[kS][0];
    if (st === null) return Promise.resolve(new Uint8Array(0));
    const err = unusableError(st);
    if (err !== null) return Promise.reject(err);
    st[B_USED] = true;
    switch (st[B_KIND]) {
      case NONE: return Promise.resolve(new Uint8Array(0));
      case STRING: return Promise.resolve(host.utf8Encode(st[B_VALUE]));
      case BYTES: return Promise.resolve(st[B_VALUE]);
      case HOST: return host.bodyReadAll(st[B_VALUE]);
      default: return readStreamAll(st[B_VALUE]);
    }
  };
  // text() drops a UTF-8 BOM since strip_bom_in_read_all_text; json() never does (as workerd)
  const consumeText = (obj, keepBom) => {
    const st = obj[kS][0];
    if (st !== null && st[B_KIND] === STRING && !st[B_USED]) { st[B_USED] = true; return Promise.resolve(st[B_VALUE]); }
    return consumeBytes(obj).then((u8) => host.decode('utf-8', u8, false, keepBom));
  };
  const keepBomInText = !flags.strip_bom_in_read_all_text;

  // https://mimesniff.spec.whatwg.org/#parse-a-mime-type then serialize it ('' when invalid)
  const WS = ' \t\n\r';
  const trimEnd = (v) => v.replace(/[\t\n\r ]+$/, '');
  const serializeMime = (s) => {
    s = s.replace(/^[\t\n\r ]+|[\t\n\r ]+$/g, '');
    const slash = s.indexOf('/');
    if (slash < 0 || !TOKEN.test(s.slice(0, slash))) return '';
    const semi = s.indexOf(';', slash);
    const subtype = trimEnd(semi < 0 ? s.slice(slash + 1) : s.slice(slash + 1, semi));
    if (!TOKEN.test(subtype)) return '';
    let out = s.slice(0, slash).toLowerCase() + '/' + subtype.toLowerCase();
    const seen = new Set();
    let i = semi < 0 ? s.length : semi + 1;
    while (i < s.length) {
      while (i < s.length && WS.includes(s[i])) i++;
      let j = i;
      while (j < s.length && s[j] !== ';' && s[j] !== '=') j++;
      const name = s.slice(i, j).toLowerCase();
      i = j;
      if (i >= s.length) break;
      if (s[i] === ';') { i++; continue; }
      i++;
      let value;
      if (s[i] === '"') {
        value = '';
        for (i++; i < s.length && s[i] !== '"'; i++) { if (s[i] === '\\' && i + 1 < s.length) i++; value += s[i]; }
        while (i < s.length && s[i] !== ';') i++;
        i++;
      } else {
        let k = s.indexOf(';', i);
        if (k < 0) k = s.length;
        value = trimEnd(s.slice(i, k));
        i = k + 1;
        if (value === '') continue;
      }
      if (name !== '' && TOKEN.test(name) && /^[\t\x20-\x7e\x80-\xff]*$/.test(value) && !seen.has(name)) {
        seen.add(name);
        out += ';' + name + '=' + (value !== '' && TOKEN.test(value) ? value : '"' + value.replace(/["\\]/g, '\\$&') + '"');
      }
    }
    return out;
  };

  class Body {
    get body() { const st = this[kS][0]; return st === null ? null : getStream(st); }
    get bodyUsed() { const st = this[kS][0]; return st !== null && isUsed(st); }
    arrayBuffer() { return consumeBytes(this).then((u8) => (u8.byteOffset === 0 && u8.byteLength === u8.buffer.byteLength ? u8.buffer : u8.slice().buffer)); }
    bytes() { return consumeBytes(this); }
    text() { return consumeText(this, keepBomInText); }
    json() { return consumeText(this, true).then((t) => JSON.parse(t)); }
    blob() {
      return consumeBytes(this).then((u8) => {
        const { Blob } = internal.require('blob');
        return new Blob([u8], { type: serializeMime(this.headers.get('content-type') || '') });
      });
    }
    formData() {
      const ct = this.headers.get('content-type') || '';
      return consumeBytes(this).then((u8) => internal.require('formdata') && internal.parseFormData(u8, ct));
    }
  }
  const cloneBody = (st) => {
    if (st === null) return null;
    const err = cloneError(st);
    if (err !== null) throw err;
    const kind = st[B_KIND];
    if (kind === NONE || kind === STRING || kind === BYTES) return newBody(kind, st[B_VALUE], st[B_LEN]);
    const [a, b] = getStream(st).tee();
    st[B_VALUE] = a; st[B_STREAM] = a;
    return newBody(STREAM, b, st[B_LEN]);
  };

  // ---- Request (https://fetch.spec.whatwg.org/#request-class) ----
  // Methods are the ones workerd knows (kj's list). The six standard ones are case-insensitive;
  // with upper_case_all_http_methods every known one is, otherwise the others must be uppercase.
  const STD_METHODS = new Set(['DELETE', 'GET', 'HEAD', 'OPTIONS', 'POST', 'PUT']);
  const KNOWN_METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'PATCH', 'PURGE', 'OPTIONS', 'TRACE',
    'COPY', 'LOCK', 'MKCOL', 'MOVE', 'PROPFIND', 'PROPPATCH', 'SEARCH', 'UNLOCK', 'ACL', 'REPORT', 'MKACTIVITY',
    'CHECKOUT', 'MERGE', 'MSEARCH', 'NOTIFY', 'SUBSCRIBE', 'UNSUBSCRIBE', 'QUERY', 'BAN']);
  const normalizeMethod = (m) => {
    m = String(m);
    const up = m.toUpperCase();
    if (STD_METHODS.has(up)) return up;
    if (flags.upper_case_all_http_methods) { if (KNOWN_METHODS.has(up)) return up; }
    else if (KNOWN_METHODS.has(m)) return m;
    throw new TypeError(`Invalid HTTP method string: ${m}`);
  };
  // The URL of a new Request: the URL standard's serialization, or (fetch_standard_url off) the
  // string as given, checked only when fetched
  const requestUrl = (input) => {
    const s = internal.toUSVString(input);
    if (!flags.fetch_standard_url) return s;
    const parts = host.urlParse(s, undefined);
    if (parts === null) throw new TypeError(`Invalid URL: ${s}`);
    return parts[0];
  };
  const REDIRECT_ERR = 'Invalid redirect value, must be one of "follow" or "manual" ("error" won\'t be implemented since it does not make sense at the edge; use "manual" and check the response status code).';
  // incoming requests keep the host's flat header list until `headers` is first read
  const reqHeaders = (s) => {
    if (s[Q_HEADERS] === null) { s[Q_HEADERS] = headersFromFlat(s[Q_FLAT], 'immutable'); s[Q_FLAT] = null; }
    return s[Q_HEADERS];
  };
  let AbortSignal_ = null;
  const isAbortSignal = (v) => {
    if (AbortSignal_ === null) AbortSignal_ = internal.require('events').AbortSignal;
    return v instanceof AbortSignal_;
  };
  class Request {
    constructor(input, init = undefined) {
      if (arguments.length === 0) throw new TypeError("Failed to construct 'Request': constructor parameter 1 is not of type 'Request or string'.");
      if (init === undefined || init === null) init = {};
      else if (typeof init !== 'object' && typeof init !== 'function') throw new TypeError("Failed to construct 'Request': constructor parameter 2 is not of type 'RequestInitializerDict or Request'.");
      let src = null;
      let url, method = 'GET', headers = null, redirect = 'follow', cf, signal = null, bodyState = null, fetcher = null, cache;
      if (input instanceof Request) {
        src = input; const r = input[kS];
        url = r[Q_URL]; method = r[Q_METHOD]; redirect = r[Q_REDIRECT]; cf = r[Q_CF]; signal = r[Q_SIGNAL]; fetcher = r[Q_FETCHER]; cache = r[Q_CACHE];
        headers = input.headers;
      } else {
        url = requestUrl(input);
      }
      if (init.method !== undefined) method = normalizeMethod(init.method);
      if (init.redirect !== undefined) {
        redirect = String(init.redirect);
        if (redirect !== 'follow' && redirect !== 'manual') throw new TypeError(REDIRECT_ERR);
      }
      if (init.cf !== undefined) cf = init.cf;
      if (init.signal !== undefined) {
        if (init.signal !== null && !isAbortSignal(init.signal)) throw new TypeError("Incorrect type for the 'signal' field on 'RequestInitializerDict': the provided value is not of type 'AbortSignal'.");
        signal = init.signal;
      }
      if (init.fetcher !== undefined) fetcher = init.fetcher;
      if (init.cache !== undefined) {
        if (!flags.cache_option_enabled) throw new Error("The 'cache' field on 'RequestInitializerDict' is not implemented.");
        cache = String(init.cache);
        if (cache !== 'no-store' && !(cache === 'no-cache' && flags.cache_no_cache_enabled)) throw new TypeError(`Unsupported cache mode: ${cache}`);
      }
      if (init.integrity !== undefined && String(init.integrity) !== '') throw new TypeError('Subrequest integrity checking is not implemented. The integrity option must be either undefined or an empty string.');
      const h = new Headers(init.headers !== undefined ? init.headers : headers);
      const body = init.body;
      if (body === undefined && src !== null) {
        const sst = src[kS][0];
        if (sst !== null) {
          if (src.bodyUsed) throw new TypeError('Cannot reconstruct a Request with a used body.');
          bodyState = sst;
          const moved = newBody(NONE, null, 0); moved[B_USED] = true;
          src[kS][0] = moved;
        }
      } else if (body !== undefined && body !== null) {
        const [kind, value, ct, length] = extractBody(body);
        bodyState = newBody(kind, value, length);
        if (ct !== null && !h.has('content-type')) h.append('content-type', ct);
      }
      if (bodyState !== null && (method === 'GET' || method === 'HEAD')) throw new TypeError('Request with a GET or HEAD method cannot have a body.');
      this[kS] = [bodyState, url, method, h, null, redirect, cf, signal, fetcher, cache];
    }
    get method() { return this[kS][Q_METHOD]; }
    get url() { return this[kS][Q_URL]; }
    get headers() { return reqHeaders(this[kS]); }
    get redirect() { return this[kS][Q_REDIRECT]; }
    get fetcher() { return this[kS][Q_FETCHER] || null; }
    get signal() { const s = this[kS]; if (s[Q_SIGNAL] === null) { internal.require('events'); s[Q_SIGNAL] = internal.newSignal(); } return s[Q_SIGNAL]; }
    get cf() { return this[kS][Q_CF]; }
    get integrity() { return ''; }
    get keepalive() { return false; }
    get cache() { return this[kS][Q_CACHE]; }
    clone() {
      const r = newRequest();
      const s = this[kS];
      const c = s.slice();
      c[0] = cloneBody(s[0]);
      const sh = reqHeaders(s);
      c[Q_HEADERS] = headersFromFlat(flattenHeaders(sh), sh[kGuard]);
      r[kS] = c;
      return r;
    }
  }
  Object.defineProperty(Request.prototype, Symbol.toStringTag, { value: 'Request', configurable: true });
  // internal construction skips the constructor: a bare object on the prototype (its state is set next)
  const newRequest = () => Object.create(Request.prototype);

  // ---- Response (https://fetch.spec.whatwg.org/#response-class) ----
  const NULL_BODY = new Set([101, 204, 205, 304]);
  const REDIRECT = new Set([301, 302, 303, 307, 308]);
  const NULL_BODY_ERR = 'Response with null body status (101, 204, 205, or 304) cannot have a body.';
  // WebIDL unsigned short
  const toStatus = (v) => {
    if (typeof v === 'number' && (v | 0) === v && v >= 0 && v < 65536) return v;
    let n = Number(v);
    if (!Number.isFinite(n)) return 0;
    n = Math.trunc(n) % 65536;
    return n < 0 ? n + 65536 : n;
  };
  class Response {
    constructor(body = null, init = undefined) {
      let status = 200, statusText = '', headers, cf, webSocket = null, encodeBody = 'automatic';
      if (init !== undefined && init !== null) {
        if (typeof init !== 'object' && typeof init !== 'function') throw new TypeError("Failed to construct 'Response': constructor parameter 2 is not of type 'InitializerDict or Response'.");
        if (init.status !== undefined) {
          status = toStatus(init.status);
          if (status < 200 || status > 599) {
            if (!(status === 101 && init.webSocket)) throw new RangeError('Responses may only be constructed with status codes in the range 200 to 599, inclusive.');
          }
        }
        if (init.statusText !== undefined) {
          statusText = String(init.statusText);
          if (/[\r\n]/.test(statusText)) throw new TypeError('Invalid statusText');
        }
        headers = init.headers;
        cf = init.cf;
        if (init.webSocket !== undefined) webSocket = init.webSocket;
        if (init.encodeBody !== undefined) encodeBody = String(init.encodeBody);
      }
      let bodyState = null, ct = null;
      if (body !== null && body !== undefined && status !== 200 && NULL_BODY.has(status)) {
        if (!isEmptyBody(body)) throw new TypeError(NULL_BODY_ERR);
        body = null;
      }
      if (typeof body === 'string') {
        bodyState = newBody(STRING, body, null); ct = 'text/plain;charset=UTF-8';
      } else if (body !== null && body !== undefined) {
        const ex = extractBody(body);
        bodyState = newBody(ex[0], ex[1], ex[3]); ct = ex[2];
      }
      let h = null, raw = null;
      if (headers !== undefined && headers !== null) { h = new Headers(headers); if (ct !== null && !h.has('content-type')) h.append('content-type', ct); }
      else if (ct !== null) raw = ct;
      this[kS] = [bodyState, status, statusText, h, raw, cf, webSocket, '', false, 'default', encodeBody];
    }
    static json(data, init = undefined) {
      const text = JSON.stringify(data);
      const h = new Headers(init && init.headers !== undefined ? init.headers : undefined);
      if (!h.has('content-type')) h.set('content-type', 'application/json');
      return new Response(text === undefined ? 'undefined' : text, { ...(init || {}), headers: h });
    }
    static redirect(url, status = 302) {
      const s = internal.toUSVString(url);
      let loc;
      if (flags.response_redirect_url_standard) { const parts = host.urlParse(s, undefined); loc = parts === null ? null : parts[0]; }
      else loc = internal.legacyUrl(s);
      if (loc === null) throw new TypeError(`Unable to parse URL: ${s}`);
      status = toStatus(status);
      if (!REDIRECT.has(status)) throw new RangeError(`${status} is not a redirect status code. It must be one of: 301, 302, 303, 307, or 308.`);
      const r = newResponse();
      r[kS] = [null, status, '', headersFromFlat(['location', loc], 'immutable'), null, undefined, null, '', false, 'default', 'automatic'];
      return r;
    }
    static error() {
      const r = newResponse();
      r[kS] = [null, 0, '', headersFromFlat([], 'none'), null, undefined, null, '', false, 'error', 'automatic'];
      return r;
    }
    get status() { return this[kS][R_STATUS]; }
    get statusText() { return this[kS][R_TEXT]; }
    get headers() {
      const s = this[kS];
      if (s[R_HEADERS] === null) {
        // R_RAWCT: null, a content-type string, or the host's flat list (a fetch() answer)
        const raw = s[R_RAWCT];
        let h;
        if (typeof raw === 'object' && raw !== null) h = headersFromFlat(raw, 'immutable');
        else { h = new Headers(); if (raw !== null) h.append('content-type', raw); }
        s[R_HEADERS] = h; s[R_RAWCT] = null;
      }
      return s[R_HEADERS];
    }
    get ok() { const s = this[kS][R_STATUS]; return s >= 200 && s <= 299; }
    get redirected() { return this[kS][R_REDIRECTED]; }
    get url() { return this[kS][R_URL]; }
    get webSocket() { return this[kS][R_WS]; }
    get cf() { return this[kS][R_CF]; }
    get type() { return this[kS][R_TYPE]; }
    clone() {
      const r = newResponse();
      const s = this[kS];
      const c = s.slice();
      c[0] = cloneBody(s[0]);
      if (s[R_HEADERS] !== null) c[R_HEADERS] = headersFromFlat(flattenHeaders(s[R_HEADERS]), s[R_HEADERS][kGuard]);
      r[kS] = c;
      return r;
    }
  }
  Object.defineProperty(Response.prototype, Symbol.toStringTag, { value: 'Response', configurable: true });
  // the Body mixin is the prototype of Request.prototype and Response.prototype, as in workerd
  Object.setPrototypeOf(Request.prototype, Body.prototype);
  Object.setPrototypeOf(Response.prototype, Body.prototype);
  const newResponse = () => Object.create(Response.prototype);
  // ---- host interface ----
  // Request from the host: (method, url, flatHeaders, bodyId|null, cf, length)
  internal.makeRequest = (method, url, flat, bodyId, cf, length) => {
    const r = newRequest();
    r[kS] = [bodyId === null ? null : newHostBody(bodyId, length), url, method, null, flat, 'follow', cf, null, null];
    return r;
  };
  // Response from the host (fetch result): [status, statusText, flat, bodyKind, bodyValue] where
  // the body is NONE, STRING (a string), BYTES (a Uint8Array of its own) or HOST (a host body id)
  internal.makeResponse = (parts, url, redirected) => {
    const r = newResponse();
    const kind = parts[3];
    // headers stay the host's flat list until read: a proxied answer never builds a Headers
    // parts[5], when present: the host id of a WebSocket connection (a 101 answer)
    const ws = parts.length > 5 && parts[5] !== null ? wsFromHost(parts[5]) : null;
    r[kS] = [kind === NONE ? null : kind === HOST ? newHostBody(parts[4], null) : newBody(kind, parts[4], kind === BYTES ? parts[4].length : null), parts[0], parts[1], null,
      parts[2], undefined, ws, url, redirected, 'default', 'automatic'];
    return r;
  };
  const wsFromHost = (id) => { internal.require('websocket'); return internal.wsFromHost(id); };
  const unpackBody = (st, out) => {
    if (st === null || st[B_KIND] === NONE) { out.push(NONE, null); return; }
    if (isUsed(st)) throw bodyUsedError();
    st[B_USED] = true;
    out.push(st[B_KIND], st[B_VALUE]);
  };
  // [status, statusText, flatHeaders, bodyKind, bodyValue, webSocket, length] or null when not a Response
  internal.unpackResponse = (r) => {
    if (!(r instanceof Response)) return null;
    const s = r[kS];
    const raw = s[R_RAWCT];
    const out = [s[R_STATUS], s[R_TEXT], s[R_HEADERS] !== null ? flattenHeaders(s[R_HEADERS])
      : raw === null ? [] : typeof raw === 'string' ? ['content-type', raw] : raw];
    unpackBody(s[0], out);
    out.push(s[R_WS], s[0] === null ? null : s[0][B_LEN]);
    return out;
  };
  // [method, url, flatHeaders, bodyKind, bodyValue, redirect, cf, signal, bodyLength]
  internal.unpackRequest = (r) => {
    const s = r[kS];
    const out = [s[Q_METHOD], s[Q_URL], s[Q_HEADERS] === null ? s[Q_FLAT] : flattenHeaders(s[Q_HEADERS])];
    unpackBody(s[0], out);
    out.push(s[Q_REDIRECT], s[Q_CF], s[Q_SIGNAL], s[0] === null ? null : s[0][B_LEN]);
    return out;
  };
  internal.isResponse = (r) => r instanceof Response;
  internal.isRequest = (r) => r instanceof Request;
  // read one chunk of a ReadableStream body for the host: resolves to a Uint8Array or null at end
  internal.streamReader = (stream) => stream.getReader();
  internal.readChunk = (reader) => reader.read().then(({ done, value }) => {
    if (done) return null;
    if (typeof value === 'string') return host.utf8Encode(value);
    if (!internal.isBufferSource(value)) throw new TypeError('This ReadableStream did not return bytes.');
    return internal.toUint8Array(value);
  });
  internal.cancelReader = (reader, reason) => { try { reader.cancel(reason); } catch (e) {} };

  // ---- fetch() and Fetcher (service bindings) ----
  const MAX_REDIRECTS = 20;
  // settles like `p`, or rejects with the signal's reason when it aborts first
  const withSignal = (p, signal) => new Promise((resolve, reject) => {
    internal.onAbort(signal, () => reject(signal.reason));
    p.then(resolve, reject);
  });
  const hasHeader = (flat, name) => { for (let i = 0; i < flat.length; i += 2) if (flat[i] === name) return true; return false; };
  const origin = (parts) => parts[1];
  // one request to the host: [response parts or a promise of them, bodyKind, bodyValue, length]
  const send = (target, req) => {
    const s = req[kS];
    if (s[0] === null) {
      // no body (e.g. a proxied GET): the parts go to the host as they are, no unpacking
      const cf = s[Q_CF];
      return [host.fetch(target, s[Q_METHOD], s[Q_URL], s[Q_HEADERS] === null ? s[Q_FLAT] : flattenHeaders(s[Q_HEADERS]),
        NONE, null, cf === undefined ? null : cf, null), NONE, null, null];
    }
    const parts = internal.unpackRequest(req);
    let flat = parts[2], kind = parts[3], value = parts[4], length = parts[8] === undefined ? null : parts[8];
    // a body of known length is sent with its Content-Length, as workerd does
    if (kind === STRING) { value = host.utf8Encode(value); kind = BYTES; length = value.length; }
    if (typeof length === 'number' && !hasHeader(flat, 'content-length')) flat = flat.concat(['content-length', String(length)]);
    return [host.fetch(target, parts[0], parts[1], flat, kind, value, parts[6] === undefined ? null : parts[6], length), kind, value, length];
  };
  // A worker answering through a service binding answers on this turn (the host returns its parts,
  // not a promise): the Response is made here and no async function runs, unless it redirects.
  const doFetch = (target, request) => {
    const s = request[kS];
    if (s[Q_SIGNAL] !== null) return fetchLoop(target, request, null, null);
    const sent = send(target, request);
    if (!Array.isArray(sent[0])) return fetchLoop(target, request, sent, null);
    const res = internal.makeResponse(sent[0], s[Q_URL], false);
    if (s[Q_REDIRECT] !== 'follow' || !REDIRECT.has(res[kS][R_STATUS])) return Promise.resolve(res);
    return fetchLoop(target, request, sent, res);
  };
  // `sent` and `first`: the first request already sent, and its response when it has arrived
  const fetchLoop = async (target, request, sent, first) => {
    let req = request;
    for (let i = 0; ; i++) {
      const signal = req[kS][Q_SIGNAL];
      let res = first;
      first = null;
      if (res === null) {
        if (signal && signal.aborted) throw signal.reason;
        if (sent === null) sent = send(target, req);
        let pending = sent[0];
        if (signal) pending = withSignal(Promise.resolve(pending), signal);
        res = internal.makeResponse(await pending, req[kS][Q_URL], i > 0);
      }
      const kind = sent[1], value = sent[2], length = sent[3];
      sent = null;
      if (!REDIRECT.has(res.status) || req[kS][Q_REDIRECT] !== 'follow') return res;
      const loc = res.headers.get('location');
      if (loc === null) return res;
      if (i >= MAX_REDIRECTS) throw new TypeError('Too many redirects.');
      const next = host.urlParse(loc, req[kS][Q_URL]);
      if (next === null) throw new TypeError(`Invalid redirect location: ${loc}`);
      let method = req[kS][Q_METHOD], bodyState = null;
      if (res.status === 303 && method !== 'GET' && method !== 'HEAD') method = 'GET';
      else if ((res.status === 301 || res.status === 302) && method === 'POST') method = 'GET';
      else if (kind === BYTES) bodyState = newBody(BYTES, value, length);
      else if (kind !== NONE) throw new TypeError('A request with a one-time-use body (it was initialized from a stream, not a buffer) encountered a redirect requiring the body to be retransmitted. To avoid this error in the future, construct this request from a buffer-like body initializer.');
      const rb = res[kS][0]; if (rb !== null && rb[B_KIND] === HOST) host.bodyCancel(rb[B_VALUE]);
      const nh = headersFromFlat(flattenHeaders(reqHeaders(req[kS])), 'none');
      if (bodyState === null) { nh.delete('content-type'); nh.delete('content-length'); }
      if (flags.strip_authorization_on_cross_origin_redirect) {
        const cur = host.urlParse(req[kS][Q_URL], undefined);
        if (cur === null || origin(cur) !== origin(next)) nh.delete('authorization');
      }
      const nr = newRequest();
      const ns = req[kS].slice();
      ns[0] = bodyState; ns[Q_URL] = next[0]; ns[Q_METHOD] = method; ns[Q_HEADERS] = nh; ns[Q_FLAT] = null;
      nr[kS] = ns;
      req = nr;
    }
  };

  // fetch() of a data: URL (https://fetch.spec.whatwg.org/#data-url-processor), answered here.
  // As in workerd: the response's url is empty and undecodable base64 gives an empty body.
  const HEX = (c) => (c >= 48 && c <= 57 ? c - 48 : c >= 65 && c <= 70 ? c - 55 : c >= 97 && c <= 102 ? c - 87 : -1);
  const percentDecode = (u8) => {
    const out = new Uint8Array(u8.length);
    let n = 0;
    for (let i = 0; i < u8.length; i++) {
      const c = u8[i];
      if (c === 37 && i + 2 < u8.length) {
        const a = HEX(u8[i + 1]), b = HEX(u8[i + 2]);
        if (a >= 0 && b >= 0) { out[n++] = (a << 4) | b; i += 2; continue; }
      }
      out[n++] = c;
    }
    return out.subarray(0, n);
  };
  const BASE64_SUFFIX = /;[\x20]*base64$/i;
  const fetchData = (url, method) => {
    let s = url.slice(5);
    const hash = s.indexOf('#');
    if (hash >= 0) s = s.slice(0, hash);
    const comma = s.indexOf(',');
    if (comma < 0) throw new TypeError(`Fetch API cannot load: ${url}`);
    let mime = s.slice(0, comma).replace(/^[\t\n\f\r ]+|[\t\n\f\r ]+$/g, '');
    let body = percentDecode(host.utf8Encode(s.slice(comma + 1)));
    if (BASE64_SUFFIX.test(mime)) {
      mime = mime.replace(BASE64_SUFFIX, '');
      let bin = '';
      for (let i = 0; i < body.length; i++) bin += String.fromCharCode(body[i]);
      try {
        const dec = atob(bin);
        body = new Uint8Array(dec.length);
        for (let i = 0; i < dec.length; i++) body[i] = dec.charCodeAt(i);
      } catch (e) { body = EMPTY; }
    }
    if (method !== 'GET') body = EMPTY; // (workerd answers other methods with an empty body)
    if (mime.startsWith(';')) mime = 'text/plain' + mime;
    if (!/^[!#$%&'*+\-.^_`|~0-9A-Za-z]+\/[!#$%&'*+\-.^_`|~0-9A-Za-z]+/.test(mime)) mime = 'text/plain;charset=US-ASCII';
    const r = newResponse();
    r[kS] = [newBody(BYTES, body, body.length), 200, 'OK', headersFromFlat(['content-type', mime], 'immutable'), null, undefined, null, '', false, 'default', 'automatic'];
    return Promise.resolve(r);
  };
  const SCHEME = /^([A-Za-z][A-Za-z0-9+.-]*):/;
  const fetchWith = (target, input, init) => {
    try {
      const req = (input instanceof Request && init === undefined) ? input : new Request(input, init);
      const url = req[kS][Q_URL];
      if (!flags.fetch_standard_url && host.urlParse(url, undefined) === null && internal.legacyUrl(url) === null) throw new TypeError(`Fetch API cannot load: ${url}`);
      if (target === 0) {
        const m = SCHEME.exec(url);
        const scheme = m === null ? '' : m[1].toLowerCase();
        if (scheme === 'data') return fetchData(url, req[kS][Q_METHOD]);
        if (scheme !== 'http' && scheme !== 'https' && flags.fetch_refuses_unknown_protocols) throw new TypeError(`Fetch API cannot load: ${url}`);
      }
      return doFetch(target, req);
    } catch (e) { return Promise.reject(e); }
  };
  const fetch = function fetch(input, init = undefined) {
    if (arguments.length === 0) return Promise.reject(new TypeError("Failed to execute 'fetch' on 'ServiceWorkerGlobalScope': parameter 1 is not of type 'Request or string'."));
    return fetchWith(0, input, init);
  };
  const kTarget = Symbol('target');
  class Fetcher {
    constructor() { internal.illegal(); }
    fetch(input, init = undefined) {
      if (typeof input === 'string' || internal.isURL(input)) {
        const p = host.urlParse(String(input), undefined);
        if (p === null) return Promise.reject(new TypeError(`Fetch API cannot load: ${input}`));
      }
      return fetchWith(this[kTarget], input, init);
    }
    connect() { throw new Error('connect() is not supported by this runtime yet.'); }
  }
  const RESERVED = new Set(['fetch', 'connect', 'then', 'constructor', 'toJSON']);
  internal.makeFetcher = (target, rpc) => {
    if (!rpc) {
      const f = Object.create(Fetcher.prototype);
      f[kTarget] = target;
      return f;
    }
    // A service binding: `fetch` is an own property, so env.X.fetch (on every hop's path) is a
    // plain lookup; any other name falls through to a Proxy in the prototype chain, which turns
    // it into an RPC method. The chain still reaches Fetcher.prototype (instanceof holds).
    const rpcProto = new Proxy(Object.create(Fetcher.prototype), {
      get(t, prop, recv) {
        if (typeof prop !== 'string' || RESERVED.has(prop) || prop in t) { const v = Reflect.get(t, prop, recv); return typeof v === 'function' ? v.bind(recv) : v; }
        // an RPC property (workerd's JsRpcProperty): call it to call the method, or await it
        // to read the property's value
        const f = (...args) => host.rpcCall(target, prop, args, false);
        f.then = (ok, fail) => host.rpcCall(target, prop, [], true).then(ok, fail);
        return f;
      },
    });
    const f = Object.create(rpcProto);
    f[kTarget] = target;
    const protoFetch = Fetcher.prototype.fetch;
    const standardUrl = !!flags.fetch_standard_url;
    Object.defineProperty(f, 'fetch', {
      configurable: true, writable: true, enumerable: false,
      value: function fetch(input, init = undefined) {
        if (init === undefined && standardUrl && input instanceof Request) {
          try { return doFetch(target, input); } catch (e) { return Promise.reject(e); }
        }
        return protoFetch.call(f, input, init);
      },
    });
    return f;
  };

  const ex = { Headers, Request, Response, fetch, Fetcher };
  for (const k in ex) internal.defineGlobal(k, ex[k]);
  internal.modules.fetch = ex;

})
