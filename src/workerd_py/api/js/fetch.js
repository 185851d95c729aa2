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
      return [STREAM, init, null, internal.streamLength ? internal.streamLength(init) : null];
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
  const hostStream = (id) => {
    const { ReadableStream } = streams();
    return new ReadableStream({
      type: 'bytes',
      pull(controller) {
        return host.bodyRead(id).then((chunk) => {
          if (chunk === null) { controller.close(); if (controller.byobRequest) controller.byobRequest.respond(0); }
          else controller.enqueue(chunk);
        });
      },
      cancel() { host.bodyCancel(id); },
    });
  };
  const bytesStream = (u8) => {
    const { ReadableStream } = streams();
    return new ReadableStream({ type: 'bytes', start(c) { if (u8.length) c.enqueue(u8); c.close(); } });
  };

  const kBody = Symbol('body');
  class BodyState {
    constructor(kind, value, length) { this.kind = kind; this.value = value; this.used = false; this.stream = null; this.length = length; }
  }
  const getStream = (st) => {
    if (st.stream !== null) return st.stream;
    switch (st.kind) {
      case NONE: return null;
      case STRING: st.stream = bytesStream(host.utf8Encode(st.value)); break;
      case BYTES: st.stream = bytesStream(st.value); break;
      case HOST: st.stream = hostStream(st.value); break;
      case STREAM: st.stream = st.value; break;
    }
    st.kind = STREAM; st.value = st.stream;
    return st.stream;
  };
  const consumeBytes = (obj) => {
    const st = obj[kBody];
    if (st === null) return Promise.resolve(new Uint8Array(0));
    if (st.used || (st.kind === STREAM && (st.value.locked || internal.isDisturbed(st.value)))) return Promise.reject(bodyUsedError());
    st.used = true;
    switch (st.kind) {
      case NONE: return Promise.resolve(new Uint8Array(0));
      case STRING: return Promise.resolve(host.utf8Encode(st.value));
      case BYTES: return Promise.resolve(st.value);
      case HOST: return host.bodyReadAll(st.value);
      default: return readStreamAll(st.value);
    }
  };
  const consumeText = (obj) => {
    const st = obj[kBody];
    if (st !== null && st.kind === STRING && !st.used) { st.used = true; return Promise.resolve(st.value); }
    return consumeBytes(obj).then((u8) => host.decode('utf-8', u8, false, false));
  };

  class Body {
    get body() { const st = this[kBody]; return st === null ? null : getStream(st); }
    get bodyUsed() { const st = this[kBody]; return st !== null && (st.used || (st.kind === STREAM && internal.isDisturbed(st.value))); }
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
    if (st.used) throw new TypeError('Body has already been used. It can only be used once. Use tee() first if you need to read it twice.');
    if (st.kind === NONE || st.kind === STRING || st.kind === BYTES) return new BodyState(st.kind, st.value, st.length);
    const [a, b] = getStream(st).tee();
    st.kind = STREAM; st.value = a; st.stream = a;
    return new BodyState(STREAM, b, st.length);
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
  const kReq = Symbol('req');
  // incoming requests keep the host's flat header list until `headers` is first read
  const reqHeaders = (s) => {
    if (s.headers === null) { s.headers = headersFromFlat(s.flat, 'immutable'); s.flat = null; }
    return s.headers;
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
        src = input; const r = input[kReq];
        url = r.url; method = r.method; redirect = r.redirect; cf = r.cf; signal = r.signal; fetcher = r.fetcher;
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
      let body = init.body;
      if (body === undefined && src !== null) {
        if (src[kBody] !== null) { if (src.bodyUsed) throw new TypeError('Cannot reconstruct a Request with a used body.'); bodyState = src[kBody]; src[kBody] = new BodyState(NONE, null, 0); bodyState.length = bodyState.length; src[kBody].used = true; }
      } else if (body !== undefined && body !== null) {
        const [kind, value, ct, length] = extractBody(body);
        bodyState = new BodyState(kind, value, length);
        if (ct !== null && !h.has('content-type')) h.append('content-type', ct);
      }
      if (bodyState !== null && (method === 'GET' || method === 'HEAD')) throw new TypeError('Request with a GET or HEAD method cannot have a body.');
      this[kReq] = { url, method, headers: h, flat: null, redirect, cf, signal, fetcher };
      this[kBody] = bodyState;
    }
    get method() { return this[kReq].method; }
    get url() { return this[kReq].url; }
    get headers() { return reqHeaders(this[kReq]); }
    get redirect() { return this[kReq].redirect; }
    get signal() { let s = this[kReq].signal; if (s === null) { s = internal.newSignal(); this[kReq].signal = s; } return s; }
    get cf() { return this[kReq].cf; }
    get fetcher() { return this[kReq].fetcher || null; }
    get integrity() { return ''; }
    get keepalive() { return false; }
    get cache() { return undefined; }
    clone() {
      if (this.bodyUsed) throw new TypeError('Body has already been used. It can only be used once. Use tee() first if you need to read it twice.');
      const r = newRequest();
      const s = this[kReq];
      const sh = reqHeaders(s);
      r[kReq] = { ...s, headers: headersFromFlat(flattenHeaders(sh), sh[kGuard]), flat: null };
      r[kBody] = cloneBody(this[kBody]);
      return r;
    }
  }
  Object.defineProperty(Request.prototype, Symbol.toStringTag, { value: 'Request', configurable: true });
  const newRequest = () => { constructingInternal = true; try { return new Request(); } finally { constructingInternal = false; } };

  // ---- Response (https://fetch.spec.whatwg.org/#response-class) ----
  const NULL_BODY = new Set([101, 204, 205, 304]);
  const REDIRECT = new Set([301, 302, 303, 307, 308]);
  const kRes = Symbol('res');
  class ResState {
    constructor(status, statusText, headers, rawCt, cf, webSocket, encodeBody) {
      this.status = status; this.statusText = statusText; this.headers = headers; this.rawCt = rawCt;
      this.cf = cf; this.webSocket = webSocket; this.url = ''; this.redirected = false; this.type = 'default';
      this.encodeBody = encodeBody;
    }
  }
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
        bodyState = new BodyState(STRING, body, null); ct = 'text/plain;charset=UTF-8';
      } else if (body !== null && body !== undefined) {
        if (NULL_BODY.has(status)) throw new TypeError(`Response with null body status (${status}) cannot have a body.`);
        const ex = extractBody(body);
        bodyState = new BodyState(ex[0], ex[1], ex[3]); ct = ex[2];
      }
      let h = null, raw = null;
      if (headers !== undefined && headers !== null) { h = new Headers(headers); if (ct !== null && !h.has('content-type')) h.append('content-type', ct); }
      else if (ct !== null) raw = ct;
      this[kRes] = new ResState(status, statusText, h, raw, cf, webSocket, encodeBody);
      this[kBody] = bodyState;
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
      const r = new Response(null, { status, headers: { location: parts[0] } });
      return r;
    }
    static error() {
      const r = newResponse();
      r[kRes] = { status: 0, statusText: '', headers: headersFromFlat([], 'immutable'), rawCt: null, cf: undefined, webSocket: null, url: '', redirected: false, type: 'error', encodeBody: 'automatic' };
      r[kBody] = null;
      return r;
    }
    get status() { return this[kRes].status; }
    get statusText() { return this[kRes].statusText; }
    get ok() { const s = this[kRes].status; return s >= 200 && s <= 299; }
    get headers() {
      const s = this[kRes];
      if (s.headers === null) { s.headers = new Headers(); if (s.rawCt !== null) s.headers.append('content-type', s.rawCt); s.rawCt = null; }
      return s.headers;
    }
    get url() { return this[kRes].url; }
    get redirected() { return this[kRes].redirected; }
    get type() { return this[kRes].type; }
    get webSocket() { return this[kRes].webSocket; }
    get cf() { return this[kRes].cf; }
    get encodeBody() { return this[kRes].encodeBody; }
    clone() {
      if (this.bodyUsed) throw new TypeError('Body has already been used. It can only be used once. Use tee() first if you need to read it twice.');
      const r = newResponse();
      const s = this[kRes];
      r[kRes] = { ...s, headers: s.headers === null ? null : headersFromFlat(flattenHeaders(s.headers), s.headers[kGuard]) };
      r[kBody] = cloneBody(this[kBody]);
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
  // Request from the host: (method, url, flatHeaders, bodyId|null, cf)
  internal.makeRequest = (method, url, flat, bodyId, cf, length) => {
    const r = newRequest();
    r[kReq] = { url, method, headers: null, flat, redirect: 'follow', cf, signal: null, fetcher: null };
    r[kBody] = bodyId === null ? null : new BodyState(HOST, bodyId, length);
    return r;
  };
  // Response from the host (fetch result): body is a host id or null
  internal.makeResponse = (status, statusText, flat, bodyId, url, redirected) => {
    const r = newResponse();
    r[kRes] = { status, statusText, headers: headersFromFlat(flat, 'immutable'), rawCt: null, cf: undefined, webSocket: null, url, redirected: !!redirected, type: 'default', encodeBody: 'automatic' };
    r[kBody] = bodyId === null ? null : new BodyState(HOST, bodyId, null);
    return r;
  };
  const unpackBody = (st, out) => {
    if (st === null || st.kind === NONE) { out.push(NONE, null); return; }
    if (st.used) throw bodyUsedError();
    if (st.kind === STREAM && (st.value.locked || internal.isDisturbed(st.value))) throw bodyUsedError();
    st.used = true;
    out.push(st.kind, st.value);
  };
  // [status, statusText, flatHeaders, bodyKind, bodyValue, webSocket] or null when not a Response
  internal.unpackResponse = (r) => {
    if (!(r instanceof Response)) return null;
    const s = r[kRes];
    const out = [s.status, s.statusText, s.headers === null ? (s.rawCt === null ? [] : ['content-type', s.rawCt]) : flattenHeaders(s.headers)];
    unpackBody(r[kBody], out);
    out.push(s.webSocket);
    return out;
  };
  // [method, url, flatHeaders, bodyKind, bodyValue, redirect, cf, signal]
  internal.unpackRequest = (r) => {
    const s = r[kReq];
    const out = [s.method, s.url, s.headers === null ? s.flat : flattenHeaders(s.headers)];
    unpackBody(r[kBody], out);
    out.push(s.redirect, s.cf, s.signal);
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
      const signal = req[kReq].signal;
      if (signal && signal.aborted) throw signal.reason;
      const parts = internal.unpackRequest(req);
      const resParts = await host.fetch(target, parts[0], parts[1], parts[2], parts[3], parts[4], parts[6] === undefined ? null : parts[6]);
      const res = internal.makeResponse(resParts[0], resParts[1], resParts[2], resParts[3], req[kReq].url, i > 0);
      if (!REDIRECT.has(res.status) || req[kReq].redirect !== 'follow') return res;
      const loc = res.headers.get('location');
      if (loc === null) return res;
      if (i >= MAX_REDIRECTS) throw new TypeError('Too many redirects.');
      const next = host.urlParse(loc, req[kReq].url);
      if (next === null) throw new TypeError(`Invalid redirect location: ${loc}`);
      let method = req[kReq].method, bodyState = null;
      if (res.status === 303 && method !== 'GET' && method !== 'HEAD') method = 'GET';
      else if ((res.status === 301 || res.status === 302) && method === 'POST') method = 'GET';
      else if (parts[3] === STRING || parts[3] === BYTES) bodyState = new BodyState(parts[3], parts[4], null);
      else if (parts[3] !== NONE) throw new TypeError('A request with a one-time-use body (it was initialized from a stream, not a buffer) encountered a redirect requiring the body to be retransmitted. To avoid this error in the future, construct this request from a buffer-like body initializer.');
      if (res[kBody] !== null && res[kBody].kind === HOST) host.bodyCancel(res[kBody].value);
      const flat = flattenHeaders(reqHeaders(req[kReq]));
      const nh = headersFromFlat(flat, 'none');
      if (bodyState === null) { nh.delete('content-type'); nh.delete('content-length'); }
      const nr = newRequest();
      nr[kReq] = { ...req[kReq], url: next[0], method, headers: nh, flat: null };
      nr[kBody] = bodyState;
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
