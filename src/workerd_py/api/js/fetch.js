// Fetch standard: Headers, Request, Response, the Body mixin and fetch().
// https://fetch.spec.whatwg.org/  (workerd's behaviour where it differs, e.g. header iteration order)
//
// How bodies work: a body is one of
//   NONE, STRING (a JS string, encoded by the host), BYTES (a private Uint8Array copy),
//   STREAM (a ReadableStream), HOST (an id of a host byte stream, e.g. the incoming request body).
// The host reads STRING/BYTES/HOST bodies without touching JS streams; a ReadableStream is only
// created when `body` is accessed. `internal.unpack*` hand the parts to the host in one call.
(function (internal, host) {
  'use strict';
  const NONE = 0, STRING = 1, BYTES = 2, STREAM = 3, HOST = 4;

  // ---- Headers (https://fetch.spec.whatwg.org/#headers-class) ----
  const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
  const normalizeValue = (v) => {
    v = internal.toByteString(v, 'Header value');
    let s = 0, e = v.length;
    while (s < e && (v.charCodeAt(s) === 32 || v.charCodeAt(s) === 9 || v.charCodeAt(s) === 10 || v.charCodeAt(s) === 13)) s++;
    while (e > s && (v.charCodeAt(e - 1) === 32 || v.charCodeAt(e - 1) === 9 || v.charCodeAt(e - 1) === 10 || v.charCodeAt(e - 1) === 13)) e--;
    v = s === 0 && e === v.length ? v : v.slice(s, e);
    if (v.includes('\0') || v.includes('\r') || v.includes('\n')) throw new TypeError('Invalid header value.');
    return v;
  };
  const normalizeName = (n) => {
    n = internal.toByteString(n, 'Header name');
    if (!TOKEN.test(n)) throw new TypeError(`Invalid header name.`);
    return n.toLowerCase();
  };
  const kMap = Symbol('map'), kGuard = Symbol('guard');
  class Headers {
    constructor(init = undefined) {
      this[kMap] = new Map();
      this[kGuard] = 'none';
      if (init === undefined || init === null) return;
      fillHeaders(this, init);
    }
    append(name, value) { checkGuard(this); appendHeader(this[kMap], normalizeName(name), normalizeValue(value)); }
    delete(name) { checkGuard(this); this[kMap].delete(normalizeName(name)); }
    get(name) {
      const e = this[kMap].get(normalizeName(name));
      return e === undefined ? null : e.join(', ');
    }
    getAll(name) {
      name = normalizeName(name);
      if (name !== 'set-cookie') throw new TypeError('getAll() can only be used with the header name "Set-Cookie".');
      return (this[kMap].get(name) || []).slice();
    }
    getSetCookie() { return (this[kMap].get('set-cookie') || []).slice(); }
    has(name) { return this[kMap].has(normalizeName(name)); }
    set(name, value) { checkGuard(this); this[kMap].set(normalizeName(name), [normalizeValue(value)]); }
    forEach(cb, thisArg = undefined) {
      if (typeof cb !== 'function') throw new TypeError("The 'callback' argument must be a function.");
      for (const [k, v] of this) cb.call(thisArg, v, k, this);
    }
    *entries() {
      const keys = [...this[kMap].keys()].sort();
      for (const k of keys) {
        const vals = this[kMap].get(k);
        if (vals === undefined) continue;
        if (k === 'set-cookie') { for (const v of vals) yield [k, v]; } else yield [k, vals.join(', ')];
      }
    }
    *keys() { for (const [k] of this.entries()) yield k; }
    *values() { for (const [, v] of this.entries()) yield v; }
    [Symbol.iterator]() { return this.entries(); }
  }
  Object.defineProperty(Headers.prototype, Symbol.toStringTag, { value: 'Headers', configurable: true });
  const checkGuard = (h) => { if (h[kGuard] === 'immutable') throw new TypeError("Can't modify immutable headers."); };
  const appendHeader = (map, name, value) => { const e = map.get(name); if (e === undefined) map.set(name, [value]); else e.push(value); };
  const fillHeaders = (h, init) => {
    const map = h[kMap];
    if (init instanceof Headers) { for (const [k, v] of init[kMap]) map.set(k, v.slice()); return; }
    if (typeof init !== 'object' && typeof init !== 'function') throw new TypeError("Failed to construct 'Headers': The provided value is not of type '(record<ByteString, ByteString> or sequence<sequence<ByteString>>)'.");
    if (typeof init[Symbol.iterator] === 'function') {
      for (const pair of init) {
        const arr = typeof pair === 'string' ? null : [...pair];
        if (arr === null || arr.length !== 2) throw new TypeError('Header pairs must contain exactly two items.');
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
  const streams = () => internal.require('streams');

  // Extract a body from a BodyInit: returns [kind, value, contentType|null, length|null]
  const extractBody = (init) => {
    if (init === undefined || init === null) return [NONE, null, null, 0];
    if (typeof init === 'string') return [STRING, init, 'text/plain;charset=UTF-8', null];
    if (init instanceof ArrayBuffer || ArrayBuffer.isView(init) || init instanceof SharedArrayBuffer) {
      const u8 = internal.copyBytes(init);
      return [BYTES, u8, null, u8.length];
    }
    if (internal.isURLSearchParams && internal.isURLSearchParams(init)) return [STRING, init.toString(), 'application/x-www-form-urlencoded;charset=UTF-8', null];
    if (internal.isBlob && internal.isBlob(init)) {
      const u8 = internal.blobBytes(init);
      return [BYTES, u8, init.type || null, u8.length];
    }
    if (internal.isFormData && internal.isFormData(init)) {
      const [u8, ct] = internal.serializeFormData(init);
      return [BYTES, u8, ct, u8.length];
    }
    if (internal.isReadableStream && internal.isReadableStream(init)) {
      if (init.locked || internal.isDisturbed(init)) throw new TypeError('This ReadableStream is disturbed (has already been read from), and cannot be used as a body.');
      let length = internal.streamLength ? internal.streamLength(init) : null;
      if (length === null || length === undefined) length = knownLengths.has(init) ? knownLengths.get(init) : null;
      return [STREAM, init, null, length];
    }
    if (typeof init === 'object' && typeof init[Symbol.asyncIterator] === 'function' && internal.isReadableStream) {
      return [STREAM, streams().ReadableStream.from(init), null, null];
    }
    return [STRING, String(init), 'text/plain;charset=UTF-8', null];
  };

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
        throw new TypeError('This TransformStream is being used as a byte stream, but received a value that is not a BufferSource.');
      }
      chunks.push(value); total += value.length;
    }
    return concat(chunks, total);
  };
  // Streams over host bodies remember the body's length (when known), so that passing
  // `request.body` on keeps its Content-Length instead of becoming chunked (as in workerd).
  const knownLengths = new WeakMap();
  const hostStream = (id, length) => {
    const { ReadableStream } = streams();
    const stream = new ReadableStream({
      type: 'bytes',
      pull(controller) {
        return host.bodyRead(id).then((chunk) => {
          if (chunk === null) { controller.close(); if (controller.byobRequest) controller.byobRequest.respond(0); }
          else controller.enqueue(chunk);
        });
      },
      cancel() { host.bodyCancel(id); },
    });
    if (length !== null && length !== undefined) knownLengths.set(stream, length);
    return stream;
  };
  const bytesStream = (u8) => {
    const { ReadableStream } = streams();
    return new ReadableStream({ type: 'bytes', start(c) { if (u8.length) c.enqueue(u8); c.close(); } });
  };

  // State records are arrays, not objects: QuickJS frees a shape with its last object, so objects
  // with many properties rebuild their shapes on every request; arrays have no shapes (3x faster).
  // Body state: [kind, value, used, stream, length]
  const B_KIND = 0, B_VALUE = 1, B_USED = 2, B_STREAM = 3, B_LEN = 4;
  const newBody = (kind, value, length) => [kind, value, false, null, length];
  // Every Request and Response has one property, this[kS]: an array whose slot 0 is the body state.
  const kS = Symbol('state');
  // Request: [body, url, method, headers, flat, redirect, cf, signal, fetcher]
  const Q_URL = 1, Q_METHOD = 2, Q_HEADERS = 3, Q_FLAT = 4, Q_REDIRECT = 5, Q_CF = 6, Q_SIGNAL = 7, Q_FETCHER = 8;
  // Response: [body, status, statusText, headers, rawCt, cf, webSocket, url, redirected, type, encodeBody]
  const R_STATUS = 1, R_TEXT = 2, R_HEADERS = 3, R_RAWCT = 4, R_CF = 5, R_WS = 6, R_URL = 7, R_REDIRECTED = 8, R_TYPE = 9, R_ENCODE = 10;

  const getStream = (st) => {
    if (st[B_STREAM] !== null) return st[B_STREAM];
    let stream = null;
    switch (st[B_KIND]) {
      case NONE: return null;
      case STRING: stream = bytesStream(host.utf8Encode(st[B_VALUE])); break;
      case BYTES: stream = bytesStream(st[B_VALUE]); break;
      case HOST: stream = hostStream(st[B_VALUE], st[B_LEN]); break;
      case STREAM: stream = st[B_VALUE]; break;
    }
    st[B_STREAM] = stream; st[B_KIND] = STREAM; st[B_VALUE] = stream;
    return stream;
  };
  const isUsed = (st) => st[B_USED] || (st[B_KIND] === STREAM && (st[B_VALUE].locked || internal.isDisturbed(st[B_VALUE])));
  const consumeBytes = (obj) => {
    const st = obj[kS][0];
    if (st === null) return Promise.resolve(new Uint8Array(0));
    if (isUsed(st)) return Promise.reject(bodyUsedError());
    st[B_USED] = true;
    switch (st[B_KIND]) {
      case NONE: return Promise.resolve(new Uint8Array(0));
      case STRING: return Promise.resolve(host.utf8Encode(st[B_VALUE]));
      case BYTES: return Promise.resolve(st[B_VALUE]);
      case HOST: return host.bodyReadAll(st[B_VALUE]);
      default: return readStreamAll(st[B_VALUE]);
    }
  };
  const consumeText = (obj) => {
    const st = obj[kS][0];
    if (st !== null && st[B_KIND] === STRING && !st[B_USED]) { st[B_USED] = true; return Promise.resolve(st[B_VALUE]); }
    return consumeBytes(obj).then((u8) => host.decode('utf-8', u8, false, false));
  };

  class Body {
    get body() { const st = this[kS][0]; return st === null ? null : getStream(st); }
    get bodyUsed() { const st = this[kS][0]; return st !== null && isUsed(st); }
    arrayBuffer() { return consumeBytes(this).then((u8) => (u8.byteOffset === 0 && u8.byteLength === u8.buffer.byteLength ? u8.buffer : u8.slice().buffer)); }
    bytes() { return consumeBytes(this); }
    text() { return consumeText(this); }
    json() { return consumeText(this).then((t) => JSON.parse(t)); }
    blob() {
      return consumeBytes(this).then((u8) => {
        const { Blob } = internal.require('blob');
        return new Blob([u8], { type: this.headers.get('content-type') || '' });
      });
    }
    formData() {
      const ct = this.headers.get('content-type') || '';
      return consumeBytes(this).then((u8) => internal.require('formdata') && internal.parseFormData(u8, ct));
    }
  }
  const cloneBody = (st) => {
    if (st === null) return null;
    if (st[B_USED]) throw bodyUsedError();
    const kind = st[B_KIND];
    if (kind === NONE || kind === STRING || kind === BYTES) return newBody(kind, st[B_VALUE], st[B_LEN]);
    const [a, b] = getStream(st).tee();
    st[B_VALUE] = a; st[B_STREAM] = a;
    return newBody(STREAM, b, st[B_LEN]);
  };

  // ---- Request (https://fetch.spec.whatwg.org/#request-class) ----
  const STD_METHODS = new Set(['DELETE', 'GET', 'HEAD', 'OPTIONS', 'POST', 'PUT']);
  const METHOD_TOKEN = TOKEN;
  const normalizeMethod = (m) => {
    m = internal.toByteString(m, 'Method');
    if (!METHOD_TOKEN.test(m)) throw new TypeError(`Invalid HTTP method string: ${m}`);
    const up = m.toUpperCase();
    if (STD_METHODS.has(up) || internal.flags.upper_case_all_http_methods) return up;
    if (up === 'PATCH') return up;
    return m;
  };
  // incoming requests keep the host's flat header list until `headers` is first read
  const reqHeaders = (s) => {
    if (s[Q_HEADERS] === null) { s[Q_HEADERS] = headersFromFlat(s[Q_FLAT], 'immutable'); s[Q_FLAT] = null; }
    return s[Q_HEADERS];
  };
  let constructingInternal = false;
  class Request {
    constructor(input, init = undefined) {
      if (constructingInternal) return;
      if (arguments.length === 0) throw new TypeError("Failed to construct 'Request': 1 argument required, but only 0 present.");
      init = init == null ? {} : init;
      let src = null;
      let url, method = 'GET', headers = null, redirect = 'follow', cf, signal = null, bodyState = null, fetcher = null;
      if (input instanceof Request) {
        src = input; const r = input[kS];
        url = r[Q_URL]; method = r[Q_METHOD]; redirect = r[Q_REDIRECT]; cf = r[Q_CF]; signal = r[Q_SIGNAL]; fetcher = r[Q_FETCHER];
        headers = input.headers;
      } else {
        const s = internal.toUSVString(input);
        const parts = host.urlParse(s, undefined);
        if (parts === null) throw new TypeError(`Fetch API cannot load: ${s}`);
        url = parts[0];
      }
      if (init.method !== undefined) method = normalizeMethod(init.method);
      if (init.redirect !== undefined) {
        redirect = String(init.redirect);
        if (redirect !== 'follow' && redirect !== 'manual' && redirect !== 'error') throw new TypeError(`Invalid redirect value, must be one of "follow" or "manual" ("error" won't be implemented since it does not make sense at the edge; use "manual" and check the response status code).`);
      }
      if (init.cf !== undefined) cf = init.cf;
      if (init.signal !== undefined) signal = init.signal;
      if (init.fetcher !== undefined) fetcher = init.fetcher;
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
      this[kS] = [bodyState, url, method, h, null, redirect, cf, signal, fetcher];
    }
    get method() { return this[kS][Q_METHOD]; }
    get url() { return this[kS][Q_URL]; }
    get headers() { return reqHeaders(this[kS]); }
    get redirect() { return this[kS][Q_REDIRECT]; }
    get signal() { const s = this[kS]; if (s[Q_SIGNAL] === null) s[Q_SIGNAL] = internal.newSignal(); return s[Q_SIGNAL]; }
    get cf() { return this[kS][Q_CF]; }
    get fetcher() { return this[kS][Q_FETCHER] || null; }
    get integrity() { return ''; }
    get keepalive() { return false; }
    get cache() { return undefined; }
    clone() {
      if (this.bodyUsed) throw bodyUsedError();
      const r = newRequest();
      const s = this[kS];
      const sh = reqHeaders(s);
      const c = s.slice();
      c[Q_HEADERS] = headersFromFlat(flattenHeaders(sh), sh[kGuard]);
      c[0] = cloneBody(s[0]);
      r[kS] = c;
      return r;
    }
  }
  Object.defineProperty(Request.prototype, Symbol.toStringTag, { value: 'Request', configurable: true });
  const newRequest = () => { constructingInternal = true; try { return new Request(); } finally { constructingInternal = false; } };

  // ---- Response (https://fetch.spec.whatwg.org/#response-class) ----
  const NULL_BODY = new Set([101, 204, 205, 304]);
  const REDIRECT = new Set([301, 302, 303, 307, 308]);
  class Response {
    constructor(body = null, init = undefined) {
      if (constructingInternal) return;
      let status = 200, statusText = '', headers, cf, webSocket = null, encodeBody = 'automatic';
      if (init !== undefined && init !== null) {
        if (typeof init !== 'object') throw new TypeError("Failed to construct 'Response': cannot convert init to dictionary.");
        if (init.status !== undefined) {
          status = Number(init.status);
          if (!Number.isInteger(status) || status < 200 || status > 599) {
            if (!(status === 101 && init.webSocket)) throw new RangeError(`Responses may only be constructed with status codes in the range 200 to 599, inclusive.`);
          }
        }
        if (init.statusText !== undefined) {
          statusText = internal.toByteString(init.statusText, 'statusText');
          if (/[\r\n]/.test(statusText)) throw new TypeError('Invalid statusText.');
        }
        headers = init.headers;
        cf = init.cf;
        if (init.webSocket !== undefined) webSocket = init.webSocket;
        if (init.encodeBody !== undefined) encodeBody = String(init.encodeBody);
      }
      let bodyState = null, ct = null;
      if (typeof body === 'string') {
        if (status === 204 || status === 205 || status === 304 || status === 101) throw new TypeError(`Response with null body status (${status}) cannot have a body.`);
        bodyState = newBody(STRING, body, null); ct = 'text/plain;charset=UTF-8';
      } else if (body !== null && body !== undefined) {
        if (NULL_BODY.has(status)) throw new TypeError(`Response with null body status (${status}) cannot have a body.`);
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
      if (text === undefined) throw new TypeError('Value is not JSON serializable.');
      const h = new Headers(init && init.headers !== undefined ? init.headers : undefined);
      if (!h.has('content-type')) h.set('content-type', 'application/json');
      return new Response(text, { ...(init || {}), headers: h });
    }
    static redirect(url, status = 302) {
      const parts = host.urlParse(internal.toUSVString(url), undefined);
      if (parts === null) throw new TypeError(`Invalid URL string.`);
      status = Number(status);
      if (!REDIRECT.has(status)) throw new RangeError(`Invalid status code for redirect: ${status}`);
      return new Response(null, { status, headers: { location: parts[0] } });
    }
    static error() {
      const r = newResponse();
      r[kS] = [null, 0, '', headersFromFlat([], 'immutable'), null, undefined, null, '', false, 'error', 'automatic'];
      return r;
    }
    get status() { return this[kS][R_STATUS]; }
    get statusText() { return this[kS][R_TEXT]; }
    get ok() { const s = this[kS][R_STATUS]; return s >= 200 && s <= 299; }
    get headers() {
      const s = this[kS];
      if (s[R_HEADERS] === null) {
        const h = new Headers();
        if (s[R_RAWCT] !== null) h.append('content-type', s[R_RAWCT]);
        s[R_HEADERS] = h; s[R_RAWCT] = null;
      }
      return s[R_HEADERS];
    }
    get url() { return this[kS][R_URL]; }
    get redirected() { return this[kS][R_REDIRECTED]; }
    get type() { return this[kS][R_TYPE]; }
    get webSocket() { return this[kS][R_WS]; }
    get cf() { return this[kS][R_CF]; }
    get encodeBody() { return this[kS][R_ENCODE]; }
    clone() {
      if (this.bodyUsed) throw bodyUsedError();
      const r = newResponse();
      const s = this[kS];
      const c = s.slice();
      if (s[R_HEADERS] !== null) c[R_HEADERS] = headersFromFlat(flattenHeaders(s[R_HEADERS]), s[R_HEADERS][kGuard]);
      c[0] = cloneBody(s[0]);
      r[kS] = c;
      return r;
    }
  }
  Object.defineProperty(Response.prototype, Symbol.toStringTag, { value: 'Response', configurable: true });
  for (const C of [Request, Response]) {
    for (const k of Object.getOwnPropertyNames(Body.prototype)) {
      if (k !== 'constructor') Object.defineProperty(C.prototype, k, Object.getOwnPropertyDescriptor(Body.prototype, k));
    }
  }
  const newResponse = () => { constructingInternal = true; try { return new Response(); } finally { constructingInternal = false; } };

  // ---- host interface ----
  // Request from the host: (method, url, flatHeaders, bodyId|null, cf, length)
  internal.makeRequest = (method, url, flat, bodyId, cf, length) => {
    const r = newRequest();
    r[kS] = [bodyId === null ? null : newBody(HOST, bodyId, length), url, method, null, flat, 'follow', cf, null, null];
    return r;
  };
  // Response from the host (fetch result): body is a host id or null
  internal.makeResponse = (status, statusText, flat, bodyId, url, redirected) => {
    const r = newResponse();
    r[kS] = [bodyId === null ? null : newBody(HOST, bodyId, null), status, statusText, headersFromFlat(flat, 'immutable'),
      null, undefined, null, url, !!redirected, 'default', 'automatic'];
    return r;
  };
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
    const out = [s[R_STATUS], s[R_TEXT], s[R_HEADERS] === null ? (s[R_RAWCT] === null ? [] : ['content-type', s[R_RAWCT]]) : flattenHeaders(s[R_HEADERS])];
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
  const doFetch = async (target, request) => {
    let req = request;
    for (let i = 0; ; i++) {
      const signal = req[kS][Q_SIGNAL];
      if (signal && signal.aborted) throw signal.reason;
      const parts = internal.unpackRequest(req);
      const resParts = await host.fetch(target, parts[0], parts[1], parts[2], parts[3], parts[4], parts[6] === undefined ? null : parts[6], parts[8] === undefined ? null : parts[8]);
      const res = internal.makeResponse(resParts[0], resParts[1], resParts[2], resParts[3], req[kS][Q_URL], i > 0);
      if (!REDIRECT.has(res.status) || req[kS][Q_REDIRECT] !== 'follow') return res;
      const loc = res.headers.get('location');
      if (loc === null) return res;
      if (i >= MAX_REDIRECTS) throw new TypeError('Too many redirects.');
      const next = host.urlParse(loc, req[kS][Q_URL]);
      if (next === null) throw new TypeError(`Invalid redirect location: ${loc}`);
      let method = req[kS][Q_METHOD], bodyState = null;
      if (res.status === 303 && method !== 'GET' && method !== 'HEAD') method = 'GET';
      else if ((res.status === 301 || res.status === 302) && method === 'POST') method = 'GET';
      else if (parts[3] === STRING || parts[3] === BYTES) bodyState = newBody(parts[3], parts[4], null);
      else if (parts[3] !== NONE) throw new TypeError('A request with a one-time-use body (it was initialized from a stream, not a buffer) encountered a redirect requiring the body to be retransmitted. To avoid this error in the future, construct this request from a buffer-like body initializer.');
      const rb = res[kS][0]; if (rb !== null && rb[B_KIND] === HOST) host.bodyCancel(rb[B_VALUE]);
      const flat = flattenHeaders(reqHeaders(req[kS]));
      const nh = headersFromFlat(flat, 'none');
      if (bodyState === null) { nh.delete('content-type'); nh.delete('content-length'); }
      const nr = newRequest();
      const ns = req[kS].slice();
      ns[0] = bodyState; ns[Q_URL] = next[0]; ns[Q_METHOD] = method; ns[Q_HEADERS] = nh; ns[Q_FLAT] = null;
      nr[kS] = ns;
      req = nr;
    }
  };
  const fetchWith = (target, input, init) => {
    try {
      const req = (input instanceof Request && init === undefined) ? input : new Request(input, init);
      const proto = host.urlParse(req.url, undefined)[2];
      if (target === 0 && proto !== 'http:' && proto !== 'https:') {
        if (internal.flags.fetch_refuses_unknown_protocols) throw new TypeError(`Fetch API cannot load: ${req.url}`);
      }
      return doFetch(target, req);
    } catch (e) { return Promise.reject(e); }
  };
  const fetch = function fetch(input, init = undefined) {
    if (arguments.length === 0) return Promise.reject(new TypeError("Failed to execute 'fetch' on 'Window': 1 argument required, but only 0 present."));
    return fetchWith(0, input, init);
  };
  const kTarget = Symbol('target');
  class Fetcher {
    constructor() { internal.illegal(); }
    fetch(input, init = undefined) {
      if (typeof input === 'string' || input instanceof URL) {
        const p = host.urlParse(String(input), undefined);
        if (p === null) return Promise.reject(new TypeError(`Fetch API cannot load: ${input}`));
      }
      return fetchWith(this[kTarget], input, init);
    }
    connect() { throw new Error('connect() is not supported by this runtime yet.'); }
  }
  const URL = globalThis.URL;
  const RESERVED = new Set(['fetch', 'connect', 'then', 'constructor', 'toJSON']);
  internal.makeFetcher = (target, rpc) => {
    const f = Object.create(Fetcher.prototype);
    f[kTarget] = target;
    if (!rpc) return f;
    return new Proxy(f, {
      get(t, prop, recv) {
        if (typeof prop !== 'string' || RESERVED.has(prop) || prop in t) { const v = Reflect.get(t, prop, recv); return typeof v === 'function' ? v.bind(t) : v; }
        return (...args) => host.rpcCall(target, prop, args);
      },
    });
  };

  internal.flags = internal.flags || {};
  const ex = { Headers, Request, Response, fetch, Fetcher };
  for (const k in ex) internal.defineGlobal(k, ex[k]);
  internal.modules.fetch = ex;
})
