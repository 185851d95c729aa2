// WritableStream: writer, controller, backpressure, close/abort/error state machine.
import { eq, ok } from './assert.js';
const rejects = async (p, name, m) => {
  try { await p; } catch (e) { if (name && e.name !== name) throw new Error(`${m || 'rejects'}: expected ${name}, got ${e.name}: ${e.message}`); return e; }
  throw new Error(`${m || 'rejects'}: did not reject`);
};
const throws = (f, name, m) => {
  try { f(); } catch (e) { if (name && e.name !== name) throw new Error(`${m || 'throws'}: expected ${name}, got ${e.name}: ${e.message}`); return e; }
  throw new Error(`${m || 'throws'}: did not throw`);
};
const tick = () => new Promise((r) => setTimeout(r, 0));

export const basics = {
  async test() {
    const chunks = [];
    let closed = false;
    const ws = new WritableStream({ write(c, ctrl) { ok(ctrl instanceof WritableStreamDefaultController); chunks.push(c); }, close() { closed = true; } });
    eq(Object.prototype.toString.call(ws), '[object WritableStream]');
    const w = ws.getWriter();
    ok(ws.locked);
    ok(w instanceof WritableStreamDefaultWriter);
    eq(w.desiredSize, 1);
    await w.write('a');
    await w.write('b');
    await w.close();
    await w.closed;
    eq(chunks.join(), 'a,b');
    ok(closed);
    eq(w.desiredSize, 0);
    await rejects(w.write('c'), 'TypeError', 'write after close');
    await rejects(w.close(), 'TypeError', 'close twice');
    w.releaseLock();
    eq(ws.locked, false);
    throws(() => w.desiredSize, 'TypeError', 'desiredSize after release');
    await rejects(w.write('x'), 'TypeError');
  },
};

export const argumentErrors = {
  async test() {
    throws(() => new WritableStream({ write: 1 }), 'TypeError');
    throws(() => new WritableStream({}, { highWaterMark: -5 }), 'TypeError');
    throws(() => new WritableStreamDefaultWriter({}), 'TypeError');
    throws(() => new WritableStreamDefaultController(), 'TypeError');
    const ws = new WritableStream();
    ws.getWriter();
    throws(() => ws.getWriter(), 'TypeError', 'locked');
    await rejects(ws.abort(), 'TypeError', 'abort locked');
    await rejects(ws.close(), 'TypeError', 'close locked');
  },
};

export const backpressure = {
  async test() {
    const pending = [];
    const ws = new WritableStream({ write() { return new Promise((r) => pending.push(r)); } }, { highWaterMark: 2 });
    const w = ws.getWriter();
    await w.ready;
    eq(w.desiredSize, 2);
    const p1 = w.write(1);
    eq(w.desiredSize, 1);
    const p2 = w.write(2);
    eq(w.desiredSize, 0);
    let ready = false;
    w.ready.then(() => { ready = true; });
    await tick();
    eq(ready, false, 'ready pending under backpressure');
    eq(pending.length, 1, 'one write in flight');
    pending.shift()();
    await p1;
    await tick();
    ok(ready, 'ready resolves when the queue drains below the mark');
    eq(w.desiredSize, 1);
    pending.shift()();
    await p2;
    // hwm 0: ready is pending until a write finishes
    const ws0 = new WritableStream({}, { highWaterMark: 0 });
    const w0 = ws0.getWriter();
    eq(w0.desiredSize, 0);
    // custom size
    const wss = new WritableStream({ write: () => new Promise(() => {}) }, { highWaterMark: 10, size: (c) => c.length });
    const ws2 = wss.getWriter();
    ws2.write('abcd');
    await tick();
    ws2.write('efg');
    eq(ws2.desiredSize, 3);
  },
};

export const sinkErrors = {
  async test() {
    const e = new Error('sink');
    const ws = new WritableStream({ write() { throw e; } });
    const w = ws.getWriter();
    eq(await rejects(w.write(1)), e);
    eq(await rejects(w.closed), e);
    eq(await rejects(w.ready), e);
    eq(w.desiredSize, null);
    eq(await rejects(w.write(2)), e);
    // start rejecting errors the stream
    const ws2 = new WritableStream({ start() { return Promise.reject(e); } });
    eq(await rejects(ws2.getWriter().write(1)), e);
    // close rejecting
    const ws3 = new WritableStream({ close() { throw e; } });
    const w3 = ws3.getWriter();
    eq(await rejects(w3.close()), e);
    eq(await rejects(w3.closed), e);
    // controller.error()
    let ctrl;
    const ws4 = new WritableStream({ start(c) { ctrl = c; } });
    const w4 = ws4.getWriter();
    ctrl.error(e);
    eq(await rejects(w4.closed), e);
    eq(await rejects(w4.write(1)), e);
  },
};

export const abort = {
  async test() {
    const log = [];
    let resolveWrite;
    const ws = new WritableStream({
      write(c) { log.push('write:' + c); return new Promise((r) => { resolveWrite = r; }); },
      abort(reason) { log.push('abort:' + reason); },
      close() { log.push('close'); },
    });
    const w = ws.getWriter();
    const p1 = w.write(1);
    const p2 = w.write(2);
    await tick();
    const pa = w.abort('stop');
    // the in-flight write completes before the sink's abort runs
    await tick();
    eq(log.join(), 'write:1');
    resolveWrite();
    await p1;
    await pa;
    eq(log.join(), 'write:1,abort:stop');
    eq(await rejects(p2), 'stop', 'queued write rejected with the reason');
    eq(await rejects(w.closed), 'stop');
    // abort of a closed stream resolves
    const ws2 = new WritableStream();
    await ws2.close();
    await ws2.abort('x');
    // controller.signal is aborted with the reason
    let signal;
    const ws3 = new WritableStream({ start(c) { signal = c.signal; } });
    ok(signal instanceof AbortSignal);
    eq(signal.aborted, false);
    await ws3.abort('why');
    ok(signal.aborted);
    eq(signal.reason, 'why');
  },
};

export const closeWaitsForWrites = {
  async test() {
    const log = [];
    const ws = new WritableStream({
      async write(c) { await tick(); log.push(c); },
      close() { log.push('close'); },
    });
    const w = ws.getWriter();
    w.write(1); w.write(2);
    await w.close();
    eq(log.join(), '1,2,close');
  },
};

export const writerReleaseAndReacquire = {
  async test() {
    const ws = new WritableStream();
    const w1 = ws.getWriter();
    w1.releaseLock();
    await rejects(w1.write('x'), 'TypeError', 'write after release');
    const w2 = ws.getWriter();
    await w2.write('x');
    await w2.close();
    // a writer on a closed stream
    w2.releaseLock();
    const w3 = ws.getWriter();
    await w3.closed;
    eq(w3.desiredSize, 0);
  },
};
