// ReadableStream (default streams): readers, controllers, queuing, tee, from, async iteration.
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
const readAll = async (rs) => { const out = []; for await (const c of rs) out.push(c); return out; };

export const basics = {
  async test() {
    const rs = new ReadableStream({ start(c) { c.enqueue('a'); c.enqueue('b'); c.close(); } });
    eq(Object.prototype.toString.call(rs), '[object ReadableStream]');
    eq(rs.locked, false);
    const r = rs.getReader();
    eq(rs.locked, true);
    ok(r instanceof ReadableStreamDefaultReader);
    let x = await r.read(); eq(x.value, 'a'); eq(x.done, false);
    x = await r.read(); eq(x.value, 'b');
    x = await r.read(); eq(x.done, true); eq(x.value, undefined);
    await r.closed;
    r.releaseLock();
    eq(rs.locked, false);
    await rejects(r.read(), 'TypeError', 'read after release');
    const open = new ReadableStream();
    const r2 = open.getReader();
    r2.releaseLock();
    await rejects(r2.closed, 'TypeError', 'closed after release');
  },
};

export const argumentErrors = {
  async test() {
    throws(() => new ReadableStream({ type: 'nope' }), 'TypeError', 'bad type');
    throws(() => new ReadableStream({ start: 5 }), 'TypeError', 'bad start');
    // workerd: TypeError (the spec says RangeError)
    throws(() => new ReadableStream({}, { highWaterMark: -1 }), 'TypeError', 'negative hwm');
    throws(() => new ReadableStream({}, { highWaterMark: NaN }), 'TypeError', 'NaN hwm');
    throws(() => new ReadableStreamDefaultController(), 'TypeError', 'illegal ctor');
    throws(() => new ReadableStreamDefaultReader({}), 'TypeError', 'reader of non-stream');
    const rs = new ReadableStream();
    rs.getReader();
    throws(() => rs.getReader(), 'TypeError', 'locked');
    throws(() => new ReadableStreamDefaultReader(rs), 'TypeError', 'locked ctor');
    await rejects(rs.cancel(), 'TypeError', 'cancel locked');
    throws(() => new ReadableStream().getReader({ mode: 'byob' }), 'TypeError', 'byob on default stream');
    throws(() => new ReadableStream().getReader({ mode: 'other' }), 'TypeError', 'bad mode');
    await rejects((async () => ReadableStream.prototype.cancel.call({}))(), 'TypeError', 'illegal invocation');
  },
};

export const startPullCancel = {
  async test() {
    const log = [];
    let n = 0;
    const rs = new ReadableStream({
      start(c) { log.push('start'); eq(c.desiredSize, 2); ok(c instanceof ReadableStreamDefaultController); },
      pull(c) { log.push('pull'); c.enqueue(n++); },
      cancel(reason) { log.push('cancel:' + reason); },
    }, { highWaterMark: 2 });
    await tick();
    // pull fills the queue up to the high-water mark
    eq(log.join(), 'start,pull,pull');
    const r = rs.getReader();
    eq((await r.read()).value, 0);
    eq((await r.read()).value, 1);
    eq((await r.read()).value, 2);
    await r.cancel('why');
    eq(log.at(-1), 'cancel:why');
    eq((await r.read()).done, true);
  },
};

export const pullWaitsForPromise = {
  async test() {
    let pulls = 0, resolvePull;
    const rs = new ReadableStream({
      pull(c) { pulls++; return new Promise((r) => { resolvePull = () => { c.enqueue(pulls); r(); }; }); },
    }, { highWaterMark: 0 });
    await tick();
    eq(pulls, 0, 'no pull with hwm 0 and no read');
    const r = rs.getReader();
    const p1 = r.read(), p2 = r.read();
    await tick();
    eq(pulls, 1, 'one pull at a time');
    resolvePull();
    eq((await p1).value, 1);
    await tick();
    eq(pulls, 2);
    resolvePull();
    eq((await p2).value, 2);
  },
};

export const sizeAndDesiredSize = {
  async test() {
    let ctrl;
    const rs = new ReadableStream({ start(c) { ctrl = c; } }, { highWaterMark: 10, size: (ch) => ch.length });
    eq(ctrl.desiredSize, 10);
    ctrl.enqueue('abcd');
    eq(ctrl.desiredSize, 6);
    ctrl.enqueue('abcdefghij');
    eq(ctrl.desiredSize, -4);
    const r = rs.getReader();
    await r.read();
    eq(ctrl.desiredSize, 0);
    ctrl.close();
    eq(ctrl.desiredSize, 0);
    throws(() => ctrl.enqueue('x'), 'TypeError', 'enqueue after close');
    throws(() => ctrl.close(), 'TypeError', 'close twice');
    eq((await r.read()).value, 'abcdefghij');
    eq((await r.read()).done, true);
    eq(ctrl.desiredSize, 0);
    // a size() that throws errors the stream (workerd: enqueue() itself does not throw)
    let c2;
    const rs2 = new ReadableStream({ start(c) { c2 = c; } }, { size() { throw new RangeError('boom'); } });
    try { c2.enqueue(1); } catch (e) { eq(e.name, 'RangeError'); }
    await rejects(rs2.getReader().closed, 'RangeError');
    // an invalid size errors the stream (workerd: TypeError; the spec says RangeError)
    let c3;
    const rs3 = new ReadableStream({ start(c) { c3 = c; } }, { size() { return -1; } });
    try { c3.enqueue(1); } catch (e) { eq(e.name, 'TypeError'); }
    await rejects(rs3.getReader().read(), 'TypeError');
  },
};

export const errors = {
  async test() {
    const err = new Error('bad');
    let ctrl;
    const rs = new ReadableStream({ start(c) { ctrl = c; c.enqueue(1); } });
    const r = rs.getReader();
    ctrl.error(err);
    eq(ctrl.desiredSize, null);
    eq(await rejects(r.read()), err);
    eq(await rejects(r.closed), err);
    eq(await rejects(r.cancel()), err, 'cancel of errored rejects with stored error');
    // start rejecting errors the stream
    const rs2 = new ReadableStream({ start() { return Promise.reject(err); } });
    eq(await rejects(rs2.getReader().read()), err);
    // start throwing errors the stream (workerd does not throw from the constructor)
    await rejects(new ReadableStream({ start() { throw new SyntaxError('x'); } }).getReader().read(), 'SyntaxError');
    // pull throwing errors the stream
    const rs3 = new ReadableStream({ pull() { throw err; } });
    eq(await rejects(rs3.getReader().read()), err);
    // pending reads are rejected when the stream errors
    let c4;
    const rs4 = new ReadableStream({ start(c) { c4 = c; } });
    const r4 = rs4.getReader();
    const p = r4.read();
    c4.error(err);
    eq(await rejects(p), err);
  },
};

export const releaseWithPendingRead = {
  async test() {
    const rs = new ReadableStream();
    const r = rs.getReader();
    const p = r.read();
    r.releaseLock();
    await rejects(p, 'TypeError');
    const r2 = rs.getReader();
    r2.releaseLock();
    eq(rs.locked, false);
  },
};

export const cancelBehaviour = {
  async test() {
    let reason;
    const rs = new ReadableStream({ start(c) { c.enqueue(1); }, cancel(r) { reason = r; return new Promise((res) => setTimeout(res, 5)); } });
    const r = rs.getReader();
    const pending = rs.getReader === undefined ? null : r.closed;
    const v = await r.cancel('stop');
    eq(v, undefined);
    eq(reason, 'stop');
    await pending;
    // cancel rejects when the source's cancel throws
    const rs2 = new ReadableStream({ cancel() { throw new TypeError('nope'); } });
    await rejects(rs2.cancel(), 'TypeError');
    // cancel of a closed stream resolves
    const rs3 = new ReadableStream({ start(c) { c.close(); } });
    await rs3.cancel();
  },
};

export const tee = {
  async test() {
    const rs = new ReadableStream({ start(c) { c.enqueue('a'); c.enqueue('b'); c.close(); } });
    const [a, b] = rs.tee();
    ok(rs.locked);
    eq((await readAll(a)).join(), 'a,b');
    eq((await readAll(b)).join(), 'a,b');
    // cancelling both branches cancels the source with both reasons
    let reason;
    const src = new ReadableStream({ cancel(r) { reason = r; } });
    const [x, y] = src.tee();
    const px = x.cancel('r1');
    await tick();
    eq(reason, undefined, 'source not cancelled after one branch');
    await y.cancel('r2');
    await px;
    // (the spec passes [r1, r2]; workerd passes the last reason)
    ok(reason !== undefined);
    // errors propagate to both branches
    let ctrl;
    const e = new Error('tee-err');
    const s2 = new ReadableStream({ start(c) { ctrl = c; } });
    const [m, n] = s2.tee();
    ctrl.error(e);
    eq(await rejects(m.getReader().read()), e);
    eq(await rejects(n.getReader().closed), e);
  },
};

export const asyncIteration = {
  async test() {
    const mk = (cancelLog, close = true) => new ReadableStream({
      start(c) { c.enqueue(1); c.enqueue(2); c.enqueue(3); if (close) c.close(); },
      cancel(r) { cancelLog.push(r); },
    });
    const log = [];
    const out = [];
    for await (const v of mk(log)) out.push(v);
    eq(out.join(), '1,2,3');
    eq(log.length, 0);
    // breaking out cancels the stream
    const s = mk(log, false);
    for await (const v of s) { if (v === 1) break; }
    eq(log.length, 1);
    eq(s.locked, false);
    // preventCancel keeps the stream alive
    const s2 = mk(log, false);
    for await (const v of s2.values({ preventCancel: true })) { if (v === 1) break; }
    eq(log.length, 1);
    eq(s2.locked, false);
    eq((await s2.getReader().read()).value, 2);
    // iterator protocol details
    const it = mk([])[Symbol.asyncIterator]();
    const AsyncIteratorPrototype = Object.getPrototypeOf(Object.getPrototypeOf(async function* () {}).prototype);
    ok(Object.getPrototypeOf(Object.getPrototypeOf(it)) === AsyncIteratorPrototype, 'proto chain');
    const [r1, r2] = await Promise.all([it.next(), it.next()]);
    eq(r1.value, 1); eq(r2.value, 2);
    const ret = await it.return('x');
    eq(ret.done, true); eq(ret.value, 'x');
    eq((await it.next()).done, true);
    // iterating an errored stream rejects
    const e = new Error('iter');
    const s3 = new ReadableStream({ start(c) { c.error(e); } });
    eq(await rejects((async () => { for await (const _ of s3); })()), e);
    // a locked stream cannot be iterated
    const s4 = new ReadableStream();
    s4.getReader();
    throws(() => s4.values(), 'TypeError');
  },
};

export const from = {
  async test() {
    eq((await readAll(ReadableStream.from([1, 2, 3]))).join(), '1,2,3');
    async function* gen() { yield 'x'; yield 'y'; }
    eq((await readAll(ReadableStream.from(gen()))).join(), 'x,y');
    // sync iterables of promises are awaited
    eq((await readAll(ReadableStream.from([Promise.resolve(7)]))).join(), '7');
    // cancel calls the iterator's return()
    let returned = false;
    const iterable = { [Symbol.asyncIterator]() { return { next: () => Promise.resolve({ value: 1, done: false }), return: () => { returned = true; return Promise.resolve({ done: true }); } }; } };
    const s = ReadableStream.from(iterable);
    const r = s.getReader();
    eq((await r.read()).value, 1);
    await r.cancel();
    ok(returned, 'return() called');
    throws(() => ReadableStream.from(5), 'TypeError');
    throws(() => ReadableStream.from({}), 'TypeError');
    // an iterator that throws errors the stream
    const bad = { [Symbol.iterator]() { return { next() { throw new RangeError('it'); } }; } };
    await rejects(ReadableStream.from(bad).getReader().read(), 'RangeError');
  },
};

export const strategies = {
  async test() {
    const b = new ByteLengthQueuingStrategy({ highWaterMark: 16 });
    eq(b.highWaterMark, 16);
    eq(b.size(new Uint8Array(5)), 5);
    const c = new CountQueuingStrategy({ highWaterMark: 3 });
    eq(c.highWaterMark, 3);
    eq(c.size('anything'), 1);
    throws(() => new CountQueuingStrategy(), 'TypeError');
    let ctrl;
    new ReadableStream({ start(x) { ctrl = x; } }, new ByteLengthQueuingStrategy({ highWaterMark: 8 }));
    ctrl.enqueue(new Uint8Array(3));
    eq(ctrl.desiredSize, 5);
  },
};

export const readerClosedAndLocked = {
  async test() {
    let ctrl;
    const rs = new ReadableStream({ start(c) { ctrl = c; } });
    const r = rs.getReader();
    let closed = false;
    r.closed.then(() => { closed = true; });
    ctrl.enqueue('x');
    ctrl.close();
    await tick();
    eq(closed, false, 'not closed while chunks are queued');
    await r.read();
    await tick();
    eq(closed, true, 'closed once the queue drains');
    // a reader acquired on a closed stream has a resolved closed promise
    const r2 = (r.releaseLock(), rs.getReader());
    await r2.closed;
    eq((await r2.read()).done, true);
  },
};
