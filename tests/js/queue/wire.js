// Queue producer binding: the exact requests send()/sendBatch()/metrics() make and how the
// answers are read. https://developers.cloudflare.com/queues/configuration/javascript-apis/
// Expected bytes recorded from workerd 2026-11-17.
import { eq, deq, ok, rejects, respond, takeLog, one, METRICS, OK } from 'common.js';

const sendReq = (r, fmt, delay) => {
  eq(r.method, 'POST');
  eq(r.url, 'https://fake-host/message');
  const h = [['content-type', 'application/octet-stream']];
  if (delay !== undefined) h.push(['x-msg-delay-secs', delay]);
  if (fmt !== undefined) h.push(['x-msg-fmt', fmt]);
  deq(r.headers, h, 'headers');
  return r.body;
};

export const send = {
  async test(ctrl, env) {
    await takeLog(env);
    await respond(env, OK);
    const res = await env.Q.send('hello');
    eq(sendReq(await one(env), 'json'), '"hello"', 'JSON by default');
    deq(res, { metadata: { metrics: { backlogCount: 3, backlogBytes: 10, oldestMessageTimestamp: '2023-11-14T22:13:20.000Z' } } });
    ok(res.metadata.metrics.oldestMessageTimestamp instanceof Date, 'a Date');
    await respond(env, OK);
    await env.Q.send({ a: 1 }, { contentType: 'json', delaySeconds: 5 });
    eq(sendReq(await one(env), 'json', '5'), '{"a":1}');
    await respond(env, OK);
    await env.Q.send('t\u00e9', { contentType: 'TEXT' });
    eq(sendReq(await one(env), 'text'), 't\xc3\xa9', 'UTF-8 text, content type lowercased');
    await respond(env, OK);
    await env.Q.send(new Uint16Array([1, 2]).subarray(1), { contentType: 'bytes', delaySeconds: 1.5 });
    eq(sendReq(await one(env), 'bytes', '1'), '\x02\x00');
    await respond(env, OK);
    await env.Q.send('x', { contentType: 'v8' });
    eq(sendReq(await one(env), 'v8'), '\xff\x0f"\x01x');
    await respond(env, OK);
    await env.Q.send(() => 1);
    eq(sendReq(await one(env), 'json'), 'undefined', 'what JSON.stringify gives, as a string');
    await respond(env, OK);
    await env.Q.send('x', { delaySeconds: -1 });
    eq(sendReq(await one(env), 'json', '-1'), '"x"');
  },
};

export const sendRefused = {
  async test(ctrl, env) {
    await takeLog(env);
    await rejects(env.Q.send(undefined), 'TypeError', 'Message body cannot be undefined');
    await rejects(env.Q.send(), 'TypeError', "Failed to execute 'send' on 'WorkerQueue': parameter 1 is not of type 'Value'.");
    await rejects(env.Q.send(1, { contentType: 'text' }), 'TypeError', 'Content Type "text" requires a value of type string, but received: number');
    await rejects(env.Q.send(new ArrayBuffer(2), { contentType: 'bytes' }), 'TypeError', 'Content Type "bytes" requires a value of type ArrayBufferView, but received: object');
    await rejects(env.Q.send('x', { contentType: 'bad' }), 'TypeError', 'Unsupported queue message content type: bad');
    await rejects(env.Q.send('x', 5), 'TypeError', "Failed to execute 'send' on 'WorkerQueue': parameter 2 is not of type 'SendOptions'.");
    await rejects(env.Q.send(1n), 'TypeError', 'Do not know how to serialize a BigInt');
    await rejects(env.Q.send(() => 1, { contentType: 'v8' }), 'DataCloneError', '() => 1 could not be cloned.');
    await rejects(env.Q.send(Symbol('x'), { contentType: 'v8' }), 'DataCloneError', 'Symbol(x) could not be cloned.');
    eq((await takeLog(env)).length, 0);
  },
};

export const answers = {
  async test(ctrl, env) {
    await takeLog(env);
    await respond(env, { status: 500, statusText: 'Oops', headers: { 'cf-queues-error-cause': 'Bad thing', 'cf-queues-error-code': '123' } });
    await rejects(env.Q.send('x'), 'Error', 'Queue send failed: Oops');
    await respond(env, { status: 201, statusText: 'Created', body: JSON.stringify({ metadata: { metrics: METRICS } }) });
    await rejects(env.Q.send('x'), 'Error', 'Queue send failed: Created', 'only 200 is success');
    await respond(env, { body: '' });
    await rejects(env.Q.send('x'), 'SyntaxError');
    await respond(env, { body: '{}' });
    await rejects(env.Q.send('x'), 'TypeError', 'Cannot initialize N7workerd3api11WorkerQueue12SendMetadataE with required members from an undefined or null value.');
    await respond(env, { body: '{"metadata":{}}' });
    await rejects(env.Q.send('x'), 'TypeError', 'Cannot initialize N7workerd3api11WorkerQueue11SendMetricsE with required members from an undefined or null value.');
    await respond(env, { body: 'null' });
    await rejects(env.Q.send('x'), 'TypeError', 'Cannot initialize N7workerd3api11WorkerQueue12SendResponseE with required members from an undefined or null value.');
    await respond(env, { body: '{"metadata":{"metrics":{"backlogCount":1,"backlogBytes":2,"oldestMessageTimestamp":"2020-01-01"}}}' });
    await rejects(env.Q.send('x'), 'TypeError', "Incorrect type for the 'oldestMessageTimestamp' field on 'SendMetrics': the provided value is not of type 'date'.");
    await respond(env, { body: '{"metadata":{"metrics":{"backlogCount":1}}}' });
    const r = await env.Q.send('x');
    ok(Number.isNaN(r.metadata.metrics.backlogBytes), 'a missing number is NaN');
    await respond(env, { body: '{"metadata":{"metrics":{"backlogCount":"5","backlogBytes":2,"oldestMessageTimestamp":0}}}' });
    deq(await env.Q.send('x'), { metadata: { metrics: { backlogCount: 5, backlogBytes: 2 } } }, '0 means no timestamp');
    eq((await takeLog(env)).length, 9);
  },
};

export const sendBatch = {
  async test(ctrl, env) {
    await takeLog(env);
    await respond(env, OK);
    const res = await env.Q.sendBatch([{ body: 'x' }, { body: { y: 2 }, contentType: 'json', delaySeconds: 3 }, { body: new Uint8Array([1]), contentType: 'bytes' }], { delaySeconds: 7 });
    const r = await one(env);
    eq(r.method, 'POST');
    eq(r.url, 'https://fake-host/batch');
    deq(r.headers, [['cf-queue-batch-bytes', '11'], ['cf-queue-batch-count', '3'], ['cf-queue-largest-msg', '7'], ['content-type', 'application/json'], ['x-msg-delay-secs', '7']]);
    eq(r.body, '{"messages":[{"body":"Ingi","contentType":"json"},{"body":"eyJ5IjoyfQ==","contentType":"json","delaySecs": 3},{"body":"AQ==","contentType":"bytes"}]}');
    eq(res.metadata.metrics.backlogCount, 3);
    await respond(env, OK);
    await env.Q.sendBatch(new Set([{ body: 'a', contentType: 'text' }]));
    const r2 = await one(env);
    deq(r2.headers, [['cf-queue-batch-bytes', '1'], ['cf-queue-batch-count', '1'], ['cf-queue-largest-msg', '1'], ['content-type', 'application/json']]);
    eq(r2.body, '{"messages":[{"body":"YQ==","contentType":"text"}]}');
    await respond(env, { status: 500, statusText: 'Oops' });
    await rejects(env.Q.sendBatch([{ body: 'x' }]), 'Error', 'Queue sendBatch failed: Oops');
    await respond(env, { body: '{}' });
    await rejects(env.Q.sendBatch([{ body: 'x' }]), 'TypeError', 'Cannot initialize N7workerd3api11WorkerQueue17SendBatchMetadataE with required members from an undefined or null value.');
    await takeLog(env);
    await rejects(env.Q.sendBatch([]), 'TypeError', 'sendBatch() requires at least one message');
    await rejects(env.Q.sendBatch(5), 'TypeError', "Failed to execute 'sendBatch' on 'WorkerQueue': parameter 1 is not of type 'Sequence'.");
    await rejects(env.Q.sendBatch([5]), 'TypeError', "Incorrect type: the provided value is not of type 'MessageSendRequest'.");
    await rejects(env.Q.sendBatch([{}]), 'TypeError', 'Message body cannot be undefined');
    await rejects(env.Q.sendBatch([{ body: 1, contentType: 'text' }]), 'TypeError', 'Content Type "text" requires a value of type string, but received: number');
    eq((await takeLog(env)).length, 0);
  },
};

export const metrics = {
  async test(ctrl, env) {
    await takeLog(env);
    await respond(env, { body: JSON.stringify(METRICS) });
    const m = await env.Q.metrics();
    const r = await one(env);
    eq(r.method, 'GET'); eq(r.url, 'https://fake-host/metrics'); deq(r.headers, []); eq(r.body, '');
    deq(m, { backlogCount: 3, backlogBytes: 10, oldestMessageTimestamp: '2023-11-14T22:13:20.000Z' });
    await respond(env, { body: '{}' });
    deq(await env.Q.metrics(), { backlogCount: null, backlogBytes: null }, 'NaN when missing');
    await respond(env, { status: 500, statusText: 'Oops', headers: { 'cf-queues-error-cause': 'Bad thing', 'cf-queues-error-code': '123' } });
    await rejects(env.Q.metrics(), 'Error', 'Bad thing (123)', 'metrics always shows the error code');
    await respond(env, { status: 503 });
    await rejects(env.Q.metrics(), 'Error', 'Unknown Internal Error (15000)');
  },
};

export const shape = {
  async test(ctrl, env) {
    eq(Object.prototype.toString.call(env.Q), '[object WorkerQueue]');
    deq(Object.keys(Object.getPrototypeOf(env.Q)), ['metrics', 'send', 'sendBatch']);
    eq(JSON.stringify(env.Q), '{}');
    eq(typeof globalThis.WorkerQueue, 'undefined');
  },
};
