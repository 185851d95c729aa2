// With enable_nodejs_global_timers (implied by nodejs_compat from 2026-02-10): setTimeout and
// setInterval return Node's Timeout objects; errors are worded like Node's.
import { eq, same, ok, throws, rejects } from './assert.js';
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

export default {
  async test() {
    const t = setTimeout(() => {}, 1000);
    eq(typeof t, 'object');
    eq(Object.getPrototypeOf(t).constructor.name, 'Timeout');
    same(Object.getOwnPropertyNames(Object.getPrototypeOf(t)).sort(), ['close', 'constructor', 'hasRef', 'ref', 'refresh', 'unref']);
    ok(Number(t) > 0, 'a number through Symbol.toPrimitive');
    same([t.hasRef(), t.unref() === t, t.hasRef(), t.ref() === t, t.hasRef(), t.refresh() === t], [true, true, false, true, true, true]);
    t.close();
    let n = 0;
    const u = setTimeout(() => n++, 1);
    clearTimeout(u);
    const v = setTimeout(() => n++, 1);
    clearTimeout(+v);
    const w = setInterval(() => n++, 1);
    w[Symbol.dispose]();
    await sleep(10);
    eq(n, 0);
    eq(await new Promise((r) => setTimeout(r, 1, 'arg')), 'arg');
    clearTimeout();
    clearInterval();
    throws(() => setTimeout(5), 'TypeError', 'The "callback" argument must be of type function. Received type number (5)');
    throws(() => setTimeout('code'), 'TypeError', "The \"callback\" argument must be of type function. Received type string ('code')");
    throws(() => setTimeout(), 'TypeError', 'The "callback" argument must be of type function. Received undefined');
    throws(() => setInterval(null), 'TypeError', 'The "callback" argument must be of type function. Received null');
  },
};
