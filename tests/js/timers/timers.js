// Timers (https://html.spec.whatwg.org/multipage/timers-and-user-prompts.html#timers),
// workerd's scheduler.wait and queueMicrotask.
import { eq, same, ok, throws, rejects } from './assert.js';
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

export const setTimeoutBasics = {
  async test() {
    const id = setTimeout(() => {}, 10);
    eq(typeof id, 'number');
    ok(id > 0);
    clearTimeout(id);
    same(await new Promise((r) => setTimeout((a, b) => r([a, b]), 1, 'x', 2)), ['x', 2], 'extra arguments');
    eq(await new Promise((r) => setTimeout(function () { r(this); }, 0)), globalThis, 'this is the global object');
    const log = [];
    setTimeout(() => log.push(3), 3);
    setTimeout(() => log.push(1), 0);
    setTimeout(() => log.push(2), 1);
    setTimeout(() => log.push('1b'), 0);
    await sleep(30);
    same(log, [1, '1b', 2, 3]);
    // odd delays
    let n = 0;
    setTimeout(() => n++, -5);
    setTimeout(() => n++, '2');
    setTimeout(() => n++, NaN);
    setTimeout(() => n++);
    await sleep(20);
    eq(n, 4);
    const a = setTimeout(() => {}, 1), b = setTimeout(() => {}, 1);
    ok(a !== b);
    clearTimeout(a); clearTimeout(b);
    const t0 = Date.now();
    await sleep(20);
    ok(Date.now() - t0 >= 19, 'waited');
  },
};

export const clearing = {
  async test() {
    let n = 0;
    const t = setTimeout(() => n++, 1);
    clearTimeout(t);
    await sleep(10);
    eq(n, 0);
    // bad ids are ignored, but an id is required
    same([clearTimeout(undefined), clearTimeout(null), clearTimeout('x'), clearTimeout(99999), clearInterval({})], [undefined, undefined, undefined, undefined, undefined]);
    throws(() => clearTimeout(), 'TypeError', "Failed to execute 'clearTimeout' on 'ServiceWorkerGlobalScope': parameter 1 is not of type 'Number'.");
    throws(() => clearInterval(), 'TypeError', "Failed to execute 'clearInterval' on 'ServiceWorkerGlobalScope': parameter 1 is not of type 'Number'.");
    // clearTimeout and clearInterval share ids
    const i = setInterval(() => n++, 1);
    clearTimeout(i);
    await sleep(10);
    eq(n, 0);
  },
};

export const intervals = {
  async test() {
    let n = 0;
    const t = setInterval(() => { n++; if (n === 3) clearInterval(t); }, 1);
    await sleep(50);
    eq(n, 3);
    let m = 0;
    const u = setInterval((x) => { m += x; clearInterval(u); }, 0, 5);
    await sleep(10);
    eq(m, 5);
  },
};

export const errors = {
  test() {
    for (const v of [5, null, 'code', undefined, {}]) {
      throws(() => setTimeout(v), 'TypeError', "Failed to execute 'setTimeout' on 'ServiceWorkerGlobalScope': parameter 1 is not of type 'function'.");
      throws(() => setInterval(v), 'TypeError', "Failed to execute 'setInterval' on 'ServiceWorkerGlobalScope': parameter 1 is not of type 'function'.");
    }
  },
};

export const schedulerWait = {
  async test() {
    eq(Object.prototype.toString.call(scheduler), '[object Scheduler]');
    eq(typeof Scheduler, 'undefined');
    const t0 = Date.now();
    eq(await scheduler.wait(10), undefined);
    ok(Date.now() - t0 >= 9);
    eq(await scheduler.wait(-5), undefined);
    eq(await scheduler.wait('abc'), undefined);
    // abort: the reason, or an Error made from a primitive reason
    const c = new AbortController();
    const p = scheduler.wait(1000, { signal: c.signal });
    c.abort(new RangeError('stop'));
    await rejects(p, 'RangeError', 'stop');
    const d = new AbortController();
    const q = scheduler.wait(1000, { signal: d.signal });
    d.abort('why');
    await rejects(q, 'Error', 'why');
    await rejects(scheduler.wait(10, { signal: AbortSignal.abort() }), 'AbortError', 'The operation was aborted');
    // argument errors reject
    await rejects(scheduler.wait(), 'TypeError', "Failed to execute 'wait' on 'Scheduler': parameter 1 is not of type 'number'.");
    await rejects(scheduler.wait(1, 5), 'TypeError', "Failed to execute 'wait' on 'Scheduler': parameter 2 is not of type 'WaitOptions'.");
    await rejects(scheduler.wait(1, { signal: 5 }), 'TypeError', "Incorrect type for the 'signal' field on 'WaitOptions': the provided value is not of type 'AbortSignal'.");
  },
};

export const microtasks = {
  async test() {
    const log = [];
    queueMicrotask(() => log.push('m1'));
    Promise.resolve().then(() => log.push('p'));
    queueMicrotask(() => log.push('m2'));
    setTimeout(() => log.push('t'), 0);
    log.push('sync');
    await sleep(5);
    same(log, ['sync', 'm1', 'p', 'm2', 't']);
    throws(() => queueMicrotask(5), 'TypeError', "Failed to execute 'queueMicrotask' on 'ServiceWorkerGlobalScope': parameter 1 is not of type 'function'.");
    throws(() => queueMicrotask(), 'TypeError', "Failed to execute 'queueMicrotask' on 'ServiceWorkerGlobalScope': parameter 1 is not of type 'function'.");
    // an error in a microtask is reported, not thrown at anyone
    queueMicrotask(() => { throw new Error('microtask error (expected in the log)'); });
    await sleep(1);
  },
};
