// Timers: setTimeout/setInterval/clear*, scheduler.wait. The host schedules on the event loop
// and calls internal.fireTimer(id) when one is due.
// https://html.spec.whatwg.org/multipage/timers-and-user-prompts.html#timers
//
// With enable_nodejs_global_timers (implied by nodejs_compat from 2026-02-10) the global
// setTimeout/setInterval return Node's Timeout objects (ref/unref/refresh/close, a number via
// Symbol.toPrimitive) and word their errors like Node; otherwise they return numbers.
(function (internal, host) {
  'use strict';
  const timers = new Map();
  let nextId = 1;
  const nodeTimers = !!internal.flags.enable_nodejs_global_timers;
  // Node's description of a received value, for its ERR_INVALID_ARG_TYPE messages
  const received = (v) => {
    if (v === null || v === undefined) return `Received ${v}`;
    if (typeof v === 'function') return `Received function ${v.name}`;
    if (typeof v === 'object') return v.constructor && v.constructor.name ? `Received an instance of ${v.constructor.name}` : `Received ${String(v)}`;
    let s = typeof v === 'string' ? `'${v.length > 25 ? v.slice(0, 25) + '...' : v}'` : typeof v === 'bigint' ? `${v}n` : String(v);
    return `Received type ${typeof v} (${s})`;
  };
  const notCallback = (fn, method) => new TypeError(nodeTimers
    ? `The "callback" argument must be of type function. ${received(fn)}`
    : `Failed to execute '${method}' on 'ServiceWorkerGlobalScope': parameter 1 is not of type 'function'.`);
  const schedule = (fn, ms, args, repeat) => {
    ms = Number(ms); if (!(ms > 0)) ms = 0;
    const id = nextId++;
    timers.set(id, [fn, args, repeat, ms]);
    host.setTimer(id, ms, repeat);
    return id;
  };
  internal.fireTimer = (id) => {
    const t = timers.get(id);
    if (t === undefined) return;
    if (!t[2]) timers.delete(id);
    t[0].apply(globalThis, t[1]);
  };
  const clear = (id) => {
    if (typeof id === 'object' && id !== null && typeof id[Symbol.toPrimitive] === 'function') id = id[Symbol.toPrimitive]();
    id = Number(id);
    if (timers.delete(id)) host.clearTimer(id);
  };

  // https://nodejs.org/api/timers.html#class-timeout
  const kId = Symbol('id'), kRef = Symbol('ref');
  class Timeout {
    constructor() { internal.illegal(); }
    refresh() {
      const id = this[kId], t = timers.get(id);
      if (t !== undefined) { host.clearTimer(id); host.setTimer(id, t[3], t[2]); }
      return this;
    }
    ref() { this[kRef] = true; return this; }
    unref() { this[kRef] = false; return this; }
    hasRef() { return this[kRef]; }
    close() { clear(this[kId]); return this; }
    [Symbol.toPrimitive]() { return this[kId]; }
    [Symbol.dispose]() { clear(this[kId]); }
  }
  const wrap = (id) => {
    if (!nodeTimers) return id;
    const t = Object.create(Timeout.prototype);
    t[kId] = id; t[kRef] = true;
    return t;
  };

  const setTimeout = function setTimeout(fn, ms = 0, ...args) {
    if (typeof fn !== 'function') throw notCallback(fn, 'setTimeout');
    return wrap(schedule(fn, ms, args, false));
  };
  const setInterval = function setInterval(fn, ms = 0, ...args) {
    if (typeof fn !== 'function') throw notCallback(fn, 'setInterval');
    return wrap(schedule(fn, ms, args, true));
  };
  // (workerd without Node's timers wants an argument, even undefined)
  const clearTimeout = function clearTimeout(id) {
    if (arguments.length === 0 && !nodeTimers) throw new TypeError("Failed to execute 'clearTimeout' on 'ServiceWorkerGlobalScope': parameter 1 is not of type 'Number'.");
    clear(id);
  };
  const clearInterval = function clearInterval(id) {
    if (arguments.length === 0 && !nodeTimers) throw new TypeError("Failed to execute 'clearInterval' on 'ServiceWorkerGlobalScope': parameter 1 is not of type 'Number'.");
    clear(id);
  };

  // workerd's Scheduler (https://github.com/WICG/scheduling-apis): wait() only
  let isAbortSignal = null;
  class Scheduler {
    constructor() { internal.illegal(); }
    // (argument errors reject the promise)
    wait(ms, options = undefined) {
      try { return wait(arguments.length, ms, options); } catch (e) { return Promise.reject(e); }
    }
  }
  const wait = (argc, ms, options) => {
    if (argc === 0) throw new TypeError("Failed to execute 'wait' on 'Scheduler': parameter 1 is not of type 'number'.");
    let signal;
    if (options !== undefined && options !== null) {
      if (typeof options !== 'object' && typeof options !== 'function') throw new TypeError("Failed to execute 'wait' on 'Scheduler': parameter 2 is not of type 'WaitOptions'.");
      signal = options.signal;
      if (signal !== undefined) {
        if (isAbortSignal === null) { const { AbortSignal } = internal.require('events'); isAbortSignal = (v) => v instanceof AbortSignal; }
        if (!isAbortSignal(signal)) throw new TypeError("Incorrect type for the 'signal' field on 'WaitOptions': the provided value is not of type 'AbortSignal'.");
      }
    }
    // an abort rejects with the reason; a primitive reason becomes an Error (as workerd's does)
    const abortError = () => { const r = signal.reason; return r !== null && (typeof r === 'object' || typeof r === 'function') ? r : new Error(String(r)); };
    return new Promise((resolve, reject) => {
      if (signal && signal.aborted) { reject(abortError()); return; }
      const id = schedule(() => resolve(undefined), ms, [], false);
      if (signal) internal.onAbort(signal, () => { clear(id); reject(abortError()); });
    });
  };
  Object.defineProperty(Scheduler.prototype, Symbol.toStringTag, { value: 'Scheduler', configurable: true });
  const scheduler = Object.create(Scheduler.prototype);

  const ex = { setTimeout, setInterval, clearTimeout, clearInterval, scheduler };
  for (const k in ex) internal.defineGlobal(k, ex[k]);
  internal.modules.timers = { ...ex, setTimeoutInternal: (fn, ms) => schedule(fn, ms, [], false) };
})
