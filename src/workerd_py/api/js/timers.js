// Timers: setTimeout/setInterval/clear*, scheduler.wait. The host schedules on the event loop
// and calls internal.fireTimer(id) when one is due.
// https://html.spec.whatwg.org/multipage/timers-and-user-prompts.html#timers
(function (internal, host) {
  'use strict';
  const timers = new Map();
  let nextId = 1;
  const schedule = (fn, ms, args, repeat) => {
    if (typeof fn !== 'function') throw new TypeError('The "callback" argument must be of type function.');
    ms = Number(ms); if (!(ms > 0)) ms = 0;
    const id = nextId++;
    timers.set(id, { fn, args, repeat });
    host.setTimer(id, ms, repeat);
    return id;
  };
  internal.fireTimer = (id) => {
    const t = timers.get(id);
    if (t === undefined) return;
    if (!t.repeat) timers.delete(id);
    t.fn.apply(globalThis, t.args);
  };
  const clear = (id) => {
    if (typeof id === 'object' && id !== null && typeof id[Symbol.toPrimitive] === 'function') id = id[Symbol.toPrimitive]();
    id = Number(id);
    if (timers.delete(id)) host.clearTimer(id);
  };
  const setTimeout = (fn, ms = 0, ...args) => schedule(fn, ms, args, false);
  const setInterval = (fn, ms = 0, ...args) => schedule(fn, ms, args, true);
  const scheduler = {
    wait(ms, options = undefined) {
      return new Promise((resolve, reject) => {
        const signal = options && options.signal;
        if (signal && signal.aborted) { reject(signal.reason); return; }
        const id = setTimeout(resolve, ms);
        if (signal) internal.onAbort(signal, () => { clear(id); reject(signal.reason); });
      });
    },
  };
  const ex = { setTimeout, setInterval, clearTimeout: clear, clearInterval: clear, scheduler };
  for (const k in ex) internal.defineGlobal(k, ex[k]);
  internal.modules.timers = { ...ex, setTimeoutInternal: (fn, ms) => schedule(fn, ms, [], false) };
})
