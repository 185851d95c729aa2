// pipeTo: data flow, close/error/abort propagation both ways, prevent* options, AbortSignal.
import { eq, ok } from './assert.js';
const rejects = async (p, name, m) => {
  try { await p; } catch (e) { if (name && e.name !== name) throw new Error(`${m || 'rejects'}: expected ${name}, got ${e.name}: ${e.message}`); return e; }
  throw new Error(`${m || 'rejects'}: did not reject`);
};
const tick = () => new Promise((r) => setTimeout(r, 0));
const source = (chunks, close = true, extra = {}) => new ReadableStream({ start(c) { for (const x of chunks) c.enqueue(x); if (close) c.close(); }, ...extra });
const sink = (log, extra = {}) => new WritableStream({ write(c) { log.push(c); }, close() { log.push('close'); }, abort(r) { log.push('abort:' + r); }, ...extra });

export const basic = {
  async test() {
    const log = [];
    const rs = source([1, 2, 3]);
    const ws = sink(log);
    const p = rs.pipeTo(ws);
    ok(rs.locked && ws.locked, 'both locked while piping');
    await p;
    eq(log.join(), '1,2,3,close');
    eq(rs.locked, false); eq(ws.locked, false);
  },
};

export const preventClose = {
  async test() {
    const log = [];
    const ws = sink(log);
    await source(['a']).pipeTo(ws, { preventClose: true });
    eq(log.join(), 'a');
    const w = ws.getWriter();
    await w.write('b');
    eq(log.join(), 'a,b');
  },
};

export const sourceErrorAbortsDest = {
  async test() {
    const e = new Error('src');
    const log = [];
    const rs = new ReadableStream({ start(c) { c.enqueue(1); setTimeout(() => c.error(e), 5); } });
    eq(await rejects(rs.pipeTo(sink(log))), e);
    eq(log.join(), '1,abort:Error: src');
    // preventAbort leaves the destination writable
    const log2 = [];
    const ws2 = sink(log2);
    const rs2 = new ReadableStream({ start(c) { c.error(e); } });
    eq(await rejects(rs2.pipeTo(ws2, { preventAbort: true })), e);
    eq(log2.join(), '');
    await ws2.getWriter().write('still');
    eq(log2.join(), 'still');
  },
};

export const destErrorCancelsSource = {
  async test() {
    const e = new Error('dest');
    let cancelReason;
    const rs = new ReadableStream({ pull(c) { c.enqueue('x'); }, cancel(r) { cancelReason = r; } });
    const ws = new WritableStream({ write() { throw e; } });
    eq(await rejects(rs.pipeTo(ws)), e);
    eq(cancelReason, e);
    // preventCancel
    let cancelled = false;
    const rs2 = new ReadableStream({ pull(c) { c.enqueue('x'); }, cancel() { cancelled = true; } });
    eq(await rejects(rs2.pipeTo(new WritableStream({ write() { throw e; } }), { preventCancel: true })), e);
    eq(cancelled, false);
    eq(rs2.locked, false);
  },
};

export const destClosed = {
  async test() {
    const ws = new WritableStream();
    await ws.close();
    let cancelled = false;
    const rs = new ReadableStream({ cancel() { cancelled = true; } });
    await rejects(rs.pipeTo(ws), 'TypeError');
    ok(cancelled, 'source cancelled when the destination is closed');
  },
};

export const abortSignal = {
  async test() {
    const ac = new AbortController();
    const log = [];
    let cancelReason;
    const rs = new ReadableStream({ pull(c) { return tick().then(() => c.enqueue('x')); }, cancel(r) { cancelReason = r; } });
    const p = rs.pipeTo(sink(log), { signal: ac.signal });
    await tick(); await tick();
    ac.abort();
    const err = await rejects(p, 'AbortError');
    eq(cancelReason, err, 'source cancelled with the abort reason');
    ok(log.at(-1).startsWith('abort:'), 'destination aborted');
    // an already-aborted signal
    const log2 = [];
    const rs2 = source([1]);
    const reason = new Error('custom');
    eq(await rejects(rs2.pipeTo(sink(log2), { signal: AbortSignal.abort(reason) })), reason);
    eq(log2.join(), 'abort:Error: custom');
    await rejects(new ReadableStream().pipeTo(new WritableStream(), { signal: 'nope' }), 'TypeError');
  },
};

export const backpressureRespected = {
  async test() {
    let pulls = 0;
    const rs = new ReadableStream({ pull(c) { pulls++; c.enqueue(pulls); } }, { highWaterMark: 0 });
    const resolvers = [];
    const ws = new WritableStream({ write() { return new Promise((r) => resolvers.push(r)); } }, { highWaterMark: 1 });
    rs.pipeTo(ws).catch(() => {});
    for (let i = 0; i < 5; i++) await tick();
    ok(pulls <= 3, `pipe stops reading under backpressure (pulled ${pulls})`);
    const before = pulls;
    resolvers.shift()();
    for (let i = 0; i < 5; i++) await tick();
    ok(pulls > before, 'reading resumes when the writer is ready');
  },
};

export const lockedErrors = {
  async test() {
    const rs = new ReadableStream();
    rs.getReader();
    await rejects(rs.pipeTo(new WritableStream()), 'TypeError');
    const ws = new WritableStream();
    ws.getWriter();
    await rejects(new ReadableStream().pipeTo(ws), 'TypeError');
    await rejects(new ReadableStream().pipeTo({}), 'TypeError');
  },
};

export const pendingWritesFinishBeforeClose = {
  async test() {
    const log = [];
    const rs = source([1, 2]);
    const ws = new WritableStream({ async write(c) { await tick(); log.push(c); }, close() { log.push('close'); } });
    await rs.pipeTo(ws);
    eq(log.join(), '1,2,close');
  },
};
