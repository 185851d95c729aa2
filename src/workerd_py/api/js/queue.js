// Queue producer binding (`queue = "service"` in the config): workerd's WorkerQueue class.
// https://developers.cloudflare.com/queues/configuration/javascript-apis/#producer
//
// Wire protocol (checked against workerd 2026-11-17):
//   send       POST https://fake-host/message, Content-Type: application/octet-stream,
//              X-Msg-Fmt: text|bytes|json|v8, X-Msg-Delay-Secs: N; body = the serialized message.
//   sendBatch  POST https://fake-host/batch, Content-Type: application/json,
//              CF-Queue-Batch-Count / CF-Queue-Batch-Bytes / CF-Queue-Largest-Msg, X-Msg-Delay-Secs;
//              body {"messages":[{"body":"<base64>","contentType":"json","delaySecs": N},...]}
//   metrics    GET  https://fake-host/metrics
// The answer must be 200 with JSON {"metadata":{"metrics":{backlogCount, backlogBytes,
// oldestMessageTimestamp}}} (metrics: the inner object); 0 as timestamp means none.
// Without a contentType a message is JSON when `queues_json_messages` is on (compatibility date
// 2024-03-18), else V8-serialized (the structured-clone wire format, version 15, written below).
(function (internal, host) {
  'use strict';
  const util = internal.bindingUtil || (internal.require('kv'), internal.bindingUtil);
  const FAKE = 'https://fake-host';
  const kFetcher = Symbol('fetcher');
  const FORMATS = new Set(['text', 'bytes', 'json', 'v8']);

  // ---- V8 ValueSerializer, format version 15 (v8/src/objects/value-serializer.cc) ----
  const TYPED_TAGS = new Map([
    [Int8Array, 'b'], [Uint8Array, 'B'], [Uint8ClampedArray, 'C'], [Int16Array, 'w'], [Uint16Array, 'W'],
    [Int32Array, 'd'], [Uint32Array, 'D'], [Float32Array, 'f'], [Float64Array, 'F'],
    [BigInt64Array, 'q'], [BigUint64Array, 'Q'],
  ]);
  if (typeof Float16Array === 'function') TYPED_TAGS.set(Float16Array, 'h');
  const ERROR_TAGS = new Map([[EvalError.prototype, 'E'], [RangeError.prototype, 'R'], [ReferenceError.prototype, 'F'],
    [SyntaxError.prototype, 'S'], [TypeError.prototype, 'T'], [URIError.prototype, 'U']]);
  const isIndex = (k) => String(k >>> 0) === k && k !== '4294967295';
  const cloneError = (v) => {
    let s;
    try { s = typeof v === 'symbol' ? v.toString() : typeof v === 'function' ? String(v) : Object.prototype.toString.call(v).replace(/^\[object (.*)\]$/, '#<$1>'); } catch (e) { s = 'value'; }
    return new DOMException(`${s} could not be cloned.`, 'DataCloneError');
  };
  class V8Writer {
    constructor() { this.buf = new Uint8Array(64); this.len = 0; this.ids = new Map(); this.next = 0; }
    grow(n) {
      if (this.len + n <= this.buf.length) return;
      let size = this.buf.length * 2;
      while (size < this.len + n) size *= 2;
      const b = new Uint8Array(size); b.set(this.buf.subarray(0, this.len)); this.buf = b;
    }
    byte(b) { this.grow(1); this.buf[this.len++] = b; }
    tag(c) { this.byte(c.charCodeAt(0)); }
    varint(n) { // unsigned, up to 2^53
      do {
        let b = n % 128; n = Math.floor(n / 128);
        if (n > 0) b |= 0x80;
        this.byte(b);
      } while (n > 0);
    }
    bytes(u8) { this.grow(u8.length); this.buf.set(u8, this.len); this.len += u8.length; }
    double(d) { const b = new Uint8Array(8); new DataView(b.buffer).setFloat64(0, d, true); this.bytes(b); }
    number(v) {
      if (Number.isInteger(v) && v >= -0x40000000 && v <= 0x3fffffff && !Object.is(v, -0)) { this.tag('I'); this.varint(((v << 1) ^ (v >> 31)) >>> 0); }
      else { this.tag('N'); this.double(v); }
    }
    bigintDigits(v) {
      const neg = v < 0n;
      let m = neg ? -v : v;
      const words = [];
      while (m > 0n) { words.push(m & 0xffffffffffffffffn); m >>= 64n; }
      this.varint(words.length * 8 * 2 + (neg ? 1 : 0));
      const b = new Uint8Array(words.length * 8);
      const dv = new DataView(b.buffer);
      words.forEach((w, i) => dv.setBigUint64(i * 8, w, true));
      this.bytes(b);
    }
    string(s) {
      let oneByte = true;
      for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) > 0xff) { oneByte = false; break; }
      if (oneByte) {
        this.tag('"'); this.varint(s.length);
        this.grow(s.length);
        for (let i = 0; i < s.length; i++) this.buf[this.len++] = s.charCodeAt(i);
        return;
      }
      const n = s.length * 2;
      let vl = 1; for (let x = n; x >= 128; x = Math.floor(x / 128)) vl++;
      if ((this.len + 1 + vl) & 1) this.byte(0); // padding: two-byte data is 2-aligned
      this.tag('c'); this.varint(n);
      this.grow(n);
      for (let i = 0; i < s.length; i++) { const c = s.charCodeAt(i); this.buf[this.len++] = c & 0xff; this.buf[this.len++] = c >> 8; }
    }
    key(k) { if (isIndex(k)) this.number(Number(k)); else this.string(k); }
    properties(o, keys) {
      let n = 0;
      for (const k of keys) { this.key(k); this.value(o[k]); n++; }
      return n;
    }
    value(v) {
      switch (typeof v) {
        case 'undefined': return this.tag('_');
        case 'boolean': return this.tag(v ? 'T' : 'F');
        case 'number': return this.number(v);
        case 'bigint': this.tag('Z'); return this.bigintDigits(v);
        case 'string': return this.string(v);
        case 'symbol': case 'function': throw cloneError(v);
      }
      if (v === null) return this.tag('0');
      const seen = this.ids.get(v);
      if (seen !== undefined) { this.tag('^'); return this.varint(seen); }
      if (ArrayBuffer.isView(v)) {
        // the buffer is written (and numbered) before the view
        if (v.buffer instanceof SharedArrayBuffer) throw cloneError(v);
        this.value(v.buffer);
        this.ids.set(v, this.next++);
        const sub = v instanceof DataView ? '?' : TYPED_TAGS.get(v.constructor) || TYPED_TAGS.get(Object.getPrototypeOf(Object.getPrototypeOf(v)).constructor);
        if (sub === undefined) throw cloneError(v);
        this.tag('V'); this.tag(sub); this.varint(v.byteOffset); this.varint(v.byteLength); this.varint(0);
        return;
      }
      this.ids.set(v, this.next++);
      if (Array.isArray(v)) {
        const len = v.length;
        const keys = Object.keys(v);
        let dense = keys.length >= len;
        for (let i = 0; dense && i < len; i++) if (!Object.prototype.hasOwnProperty.call(v, i)) dense = false;
        if (dense) {
          this.tag('A'); this.varint(len);
          for (let i = 0; i < len; i++) this.value(v[i]);
          const n = this.properties(v, keys.filter((k) => !isIndex(k)));
          this.tag('$'); this.varint(n); this.varint(len);
        } else {
          this.tag('a'); this.varint(len);
          const n = this.properties(v, keys);
          this.tag('@'); this.varint(n); this.varint(len);
        }
        return;
      }
      if (v instanceof Date) { this.tag('D'); return this.double(v.getTime()); }
      if (v instanceof RegExp) {
        this.tag('R'); this.string(v.source);
        const f = v.flags;
        const bits = (f.includes('g') ? 1 : 0) | (f.includes('i') ? 2 : 0) | (f.includes('m') ? 4 : 0) | (f.includes('y') ? 8 : 0) |
          (f.includes('u') ? 16 : 0) | (f.includes('s') ? 32 : 0) | (f.includes('d') ? 128 : 0) | (f.includes('v') ? 256 : 0);
        return this.varint(bits);
      }
      if (v instanceof Map) {
        this.tag(';');
        let n = 0;
        for (const [k, x] of v) { this.value(k); this.value(x); n += 2; }
        this.tag(':'); return this.varint(n);
      }
      if (v instanceof Set) {
        this.tag("'");
        let n = 0;
        for (const x of v) { this.value(x); n++; }
        this.tag(','); return this.varint(n);
      }
      if (v instanceof ArrayBuffer) { this.tag('B'); this.varint(v.byteLength); return this.bytes(new Uint8Array(v)); }
      if (v instanceof Boolean) return this.tag(v.valueOf() ? 'y' : 'x');
      if (v instanceof Number) { this.tag('n'); return this.double(v.valueOf()); }
      if (v instanceof String) { this.tag('s'); return this.string(v.valueOf()); }
      if (typeof BigInt === 'function' && Object.prototype.toString.call(v) === '[object BigInt]') { this.tag('z'); return this.bigintDigits(v.valueOf()); }
      if (v instanceof Error) {
        this.tag('r');
        let p = Object.getPrototypeOf(v);
        while (p !== null && !ERROR_TAGS.has(p) && p !== Error.prototype) p = Object.getPrototypeOf(p);
        if (p !== null && ERROR_TAGS.has(p)) this.tag(ERROR_TAGS.get(p));
        const md = Object.getOwnPropertyDescriptor(v, 'message');
        if (md !== undefined && 'value' in md) { this.tag('m'); this.string(String(md.value)); }
        const stack = v.stack;
        if (typeof stack === 'string') { this.tag('s'); this.string(stack); }
        return this.tag('.');
      }
      if (v instanceof Promise || v instanceof WeakMap || v instanceof WeakSet || v instanceof SharedArrayBuffer) throw cloneError(v);
      this.tag('o');
      const n = this.properties(v, Object.keys(v));
      this.tag('{'); this.varint(n);
    }
    result() { return this.buf.slice(0, this.len); }
  }
  const serializeV8 = (v) => {
    const w = new V8Writer();
    w.byte(0xff); w.byte(15);
    w.value(v);
    return w.result();
  };
  internal.serializeV8 = serializeV8;

  const validateContentType = (t) => {
    const s = String(t);
    const lower = s.toLowerCase();
    if (!FORMATS.has(lower)) throw new TypeError(`Unsupported queue message content type: ${s}`);
    return lower;
  };
  const serialize = (body, type) => {
    switch (type) {
      case 'text':
        if (typeof body !== 'string') throw new TypeError(`Content Type "text" requires a value of type string, but received: ${typeof body}`);
        return host.utf8Encode(body);
      case 'bytes':
        if (!ArrayBuffer.isView(body)) throw new TypeError(`Content Type "bytes" requires a value of type ArrayBufferView, but received: ${typeof body}`);
        return internal.copyBytes(body);
      case 'json': {
        let s;
        try { s = JSON.stringify(body); } catch (e) {
          if (e instanceof TypeError && /bigint/i.test(e.message)) throw new TypeError('Do not know how to serialize a BigInt');
          throw e;
        }
        return host.utf8Encode(s === undefined ? 'undefined' : s);
      }
      default: return serializeV8(body);
    }
  };
  // [bytes, format|null] of one message: format null = V8 without an X-Msg-Fmt header
  const encodeMessage = (body, contentType) => {
    if (contentType !== undefined) { const t = validateContentType(contentType); return [serialize(body, t), t]; }
    if (internal.flags.queues_json_messages) return [serialize(body, 'json'), 'json'];
    return [serializeV8(body), null];
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

  const errorMessage = (res, what, always) => {
    if (always || internal.flags.queue_expose_error_codes) {
      const cause = res.headers.get('cf-queues-error-cause'), code = res.headers.get('cf-queues-error-code');
      return `${cause === null ? 'Unknown Internal Error' : cause} (${code === null ? '15000' : code})`;
    }
    return `Queue ${what} failed: ${res.statusText}`;
  };
  const checkOk = async (res, what, always) => {
    if (res.status !== 200) {
      if (res.body !== null) await res.arrayBuffer().catch(() => {});
      throw new Error(errorMessage(res, what, always));
    }
  };

  // JSG struct conversion of the JSON answer
  const missing = (name) => new TypeError(`Cannot initialize N7workerd3api11WorkerQueue${name.length}${name}E with required members from an undefined or null value.`);
  const metrics = (m, name) => {
    if (m === undefined || m === null) throw missing(name);
    const out = { backlogCount: Number(m.backlogCount), backlogBytes: Number(m.backlogBytes) };
    const ts = m.oldestMessageTimestamp;
    if (ts !== undefined) {
      if (typeof ts !== 'number' && !(ts instanceof Date)) throw new TypeError(`Incorrect type for the 'oldestMessageTimestamp' field on '${name}': the provided value is not of type 'date'.`);
      const d = new Date(ts);
      if (d.getTime() !== 0) out.oldestMessageTimestamp = d;
    }
    return out;
  };
  const response = (v, prefix) => {
    if (v === undefined || v === null || typeof v !== 'object') throw missing(`${prefix}Response`);
    const md = v.metadata;
    if (md === undefined || md === null || typeof md !== 'object') throw missing(`${prefix}Metadata`);
    return { metadata: { metrics: metrics(md.metrics, `${prefix}Metrics`) } };
  };

  const post = (q, path, headers, body) => q[kFetcher].fetch(FAKE + path, { method: 'POST', headers, body, redirect: 'manual' });

  class WorkerQueue {
    constructor() { internal.illegal(); }

    async metrics() {
      const res = await this[kFetcher].fetch(FAKE + '/metrics', { method: 'GET', redirect: 'manual' });
      await checkOk(res, 'metrics', true);
      const v = JSON.parse(await res.text());
      return metrics(v, 'Metrics');
    }

    async send(body, options = undefined) {
      if (arguments.length === 0) throw new TypeError("Failed to execute 'send' on 'WorkerQueue': parameter 1 is not of type 'Value'.");
      if (body === undefined) throw new TypeError('Message body cannot be undefined');
      const headers = { 'content-type': 'application/octet-stream' };
      let contentType, delay;
      if (options !== undefined && options !== null) {
        if (typeof options !== 'object') throw new TypeError("Failed to execute 'send' on 'WorkerQueue': parameter 2 is not of type 'SendOptions'.");
        if (options.contentType !== undefined) contentType = options.contentType;
        if (options.delaySeconds !== undefined) delay = util.toInt(options.delaySeconds);
      }
      const [bytes, format] = encodeMessage(body, contentType);
      if (format !== null) headers['x-msg-fmt'] = format;
      if (delay !== undefined) headers['x-msg-delay-secs'] = String(delay);
      const res = await post(this, '/message', headers, bytes);
      await checkOk(res, 'send', false);
      return response(JSON.parse(await res.text()), 'Send');
    }

    async sendBatch(messages, options = undefined) {
      if (messages === null || typeof messages !== 'object' || typeof messages[Symbol.iterator] !== 'function') {
        throw new TypeError("Failed to execute 'sendBatch' on 'WorkerQueue': parameter 1 is not of type 'Sequence'.");
      }
      const items = [];
      for (const m of messages) {
        if (m === null || typeof m !== 'object') throw new TypeError("Incorrect type: the provided value is not of type 'MessageSendRequest'.");
        items.push(m);
      }
      if (items.length === 0) throw new TypeError('sendBatch() requires at least one message');
      let total = 0, largest = 0;
      const parts = [];
      for (const m of items) {
        if (m.body === undefined) throw new TypeError('Message body cannot be undefined');
        const delay = m.delaySeconds === undefined ? undefined : util.toInt(m.delaySeconds);
        const [bytes, format] = encodeMessage(m.body, m.contentType);
        total += bytes.length;
        if (bytes.length > largest) largest = bytes.length;
        let s = `{"body":"${toBase64(bytes)}"`;
        if (format !== null) s += `,"contentType":"${format}"`;
        if (delay !== undefined) s += `,"delaySecs": ${delay}`;
        parts.push(s + '}');
      }
      const headers = {
        'cf-queue-batch-count': String(items.length),
        'cf-queue-batch-bytes': String(total),
        'cf-queue-largest-msg': String(largest),
        'content-type': 'application/json',
      };
      if (options !== undefined && options !== null && typeof options === 'object' && options.delaySeconds !== undefined) {
        headers['x-msg-delay-secs'] = String(util.toInt(options.delaySeconds));
      }
      const res = await post(this, '/batch', headers, `{"messages":[${parts.join(',')}]}`);
      await checkOk(res, 'sendBatch', false);
      return response(JSON.parse(await res.text()), 'SendBatch');
    }
  }
  for (const m of ['metrics', 'send', 'sendBatch']) Object.defineProperty(WorkerQueue.prototype, m, { enumerable: true });
  Object.defineProperty(WorkerQueue.prototype, Symbol.toStringTag, { value: 'WorkerQueue', configurable: true });

  internal.makeQueue = (fetcher, name) => {
    const q = Object.create(WorkerQueue.prototype);
    Object.defineProperty(q, kFetcher, { value: fetcher });
    return q;
  };
  internal.modules.queue = { WorkerQueue };
})
