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
// 2024-03-18), else V8-serialized (the structured-clone wire format, version 15, v8serialize.js).
(function (internal, host) {
  'use strict';
  const util = internal.bindingUtil || (internal.require('kv'), internal.bindingUtil);
  const FAKE = 'https://fake-host';
  const kFetcher = Symbol('fetcher');
  const FORMATS = new Set(['text', 'bytes', 'json', 'v8']);

  // V8-serialized bodies: the structured-clone wire format of v8serialize.js (shared with RPC and
  // Durable Objects)
  const serializeV8 = (v) => internal.require('v8serialize').serialize(v);
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
