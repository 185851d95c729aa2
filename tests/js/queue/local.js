// The local queue backend (a queue binding naming a writable disk service). The Python test
// (tests/bindings/test_js_bindings.py) then reads the stored messages with QueueLocal.receive().
import { eq, ok } from './assert.js';
const rejects = async (p, name, message, m) => {
  try { await p; } catch (e) {
    if (name && e.name !== name) throw new Error(`${m || 'rejects'}: expected ${name}, got ${e.name}: ${e.message}`);
    if (message !== undefined && e.message !== message) throw new Error(`${m || 'rejects'}: expected message ${JSON.stringify(message)}, got ${JSON.stringify(e.message)}`);
    return e;
  }
  throw new Error(`${m || 'rejects'}: did not reject`);
};

export default {
  async test(ctrl, { Q }) {
    const start = await Q.metrics();
    eq(typeof start.backlogCount, 'number');
    const before = Date.now();
    const r = await Q.send({ hello: 'world' });
    eq(r.metadata.metrics.backlogCount, start.backlogCount + 1);
    ok(r.metadata.metrics.backlogBytes >= 17, 'bytes counted');
    const oldest = r.metadata.metrics.oldestMessageTimestamp;
    ok(oldest instanceof Date && oldest.getTime() <= Date.now(), 'oldest message timestamp');
    await Q.send('plain text', { contentType: 'text' });
    await Q.send(new Uint8Array([1, 2, 3]), { contentType: 'bytes', delaySeconds: 60 });
    await Q.send(new Map([['k', 1]]), { contentType: 'v8' });
    const b = await Q.sendBatch([{ body: 'one' }, { body: 'two', contentType: 'text', delaySeconds: 5 }], { delaySeconds: 1 });
    eq(b.metadata.metrics.backlogCount, start.backlogCount + 6);
    const m = await Q.metrics();
    eq(m.backlogCount, start.backlogCount + 6);
    ok(m.oldestMessageTimestamp.getTime() >= before - 1000 || start.backlogCount > 0, 'metrics timestamp');
    // Cloudflare's limits
    await rejects(Q.send('x', { delaySeconds: 43201 }), 'Error', 'Queue send failed: Bad Request');
    await rejects(Q.send('x'.repeat(128001), { contentType: 'text' }), 'Error', 'Queue send failed: Payload Too Large');
    const many = []; for (let i = 0; i < 101; i++) many.push({ body: i });
    await rejects(Q.sendBatch(many), 'Error', 'Queue sendBatch failed: Payload Too Large');
    eq((await Q.metrics()).backlogCount, start.backlogCount + 6, 'refused messages are not stored');
  },
};
