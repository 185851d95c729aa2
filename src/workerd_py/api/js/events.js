// DOM events: Event, EventTarget, CustomEvent, AbortController, AbortSignal.
// https://dom.spec.whatwg.org/#events  https://dom.spec.whatwg.org/#aborting-ongoing-activities
//
// As in workerd: targets have no parents (no capture or bubbling phase, so `capture: true` is a
// TypeError), `currentTarget` keeps its value after dispatch, listeners run with `this` being the
// target (set_event_target_this, 2025-08-01; before, the global object). An error thrown by a
// listener propagates out of dispatchEvent() and ends the dispatch; with
// spec_compliant_dispatch_exceptions (2026-09-15) it is reported and the dispatch goes on.
(function (internal, host) {
  'use strict';
  const kStop = Symbol('stop'), kStopImm = Symbol('stopImmediate'), kCanceled = Symbol('canceled');
  const kTarget = Symbol('target'), kDispatching = Symbol('dispatching'), kTrusted = Symbol('trusted');
  const kPassive = Symbol('passive'), kPrevented = Symbol('prevented');
  const missing = (n, method, cls, type) => new TypeError(`Failed to execute '${method}' on '${cls}': parameter ${n + 1} is not of type '${type}'.`);
  const tag = (C, name) => Object.defineProperty(C.prototype, Symbol.toStringTag, { value: name, configurable: true });

  class Event {
    #type; #bubbles; #cancelable; #composed;
    constructor(type, init = undefined) {
      if (arguments.length === 0) throw new TypeError("Failed to construct 'Event': constructor parameter 1 is not of type 'string'.");
      if (init === undefined || init === null) init = {};
      else if (typeof init !== 'object' && typeof init !== 'function') throw new TypeError(`Failed to construct '${new.target.name === 'CustomEvent' ? 'CustomEvent' : 'Event'}': constructor parameter 2 is not of type '${new.target.name === 'CustomEvent' ? 'CustomEventInit' : 'Init'}'.`);
      this.#type = String(type);
      this.#bubbles = !!init.bubbles; this.#cancelable = !!init.cancelable; this.#composed = !!init.composed;
      this[kCanceled] = false; this[kStop] = false; this[kStopImm] = false; this[kTarget] = null; this[kDispatching] = false;
      this[kTrusted] = false; this[kPassive] = false; this[kPrevented] = false;
    }
    // (in workerd's order; the targets are undefined until the event is dispatched)
    get type() { return this.#type; }
    get eventPhase() { return this[kDispatching] ? 2 : 0; }
    get composed() { return this.#composed; }
    get bubbles() { return this.#bubbles; }
    get cancelable() { return this.#cancelable; }
    get defaultPrevented() { return this[kCanceled]; }
    get returnValue() { return !this[kCanceled]; }
    get currentTarget() { return this[kTarget] === null ? undefined : this[kTarget]; }
    get target() { return this[kTarget] === null ? undefined : this[kTarget]; }
    get srcElement() { return this[kTarget] === null ? undefined : this[kTarget]; }
    get timeStamp() { return 0; }
    get isTrusted() { return this[kTrusted]; }
    get cancelBubble() { return this[kStop]; }
    set cancelBubble(v) { if (v) this[kStop] = true; }
    composedPath() { return this[kDispatching] ? [this[kTarget]] : []; }
    // (workerd: dispatchEvent() reports any preventDefault() call, even on a non-cancelable event)
    preventDefault() { if (!this[kPassive]) { this[kPrevented] = true; if (this.#cancelable) this[kCanceled] = true; } }
    stopPropagation() { this[kStop] = true; }
    stopImmediatePropagation() { this[kStop] = true; this[kStopImm] = true; }
  }
  for (const [k, v] of [['NONE', 0], ['CAPTURING_PHASE', 1], ['AT_TARGET', 2], ['BUBBLING_PHASE', 3]]) {
    Object.defineProperty(Event, k, { value: v, enumerable: true });
    Object.defineProperty(Event.prototype, k, { value: v, enumerable: true });
  }
  tag(Event, 'Event');

  class CustomEvent extends Event {
    #detail;
    constructor(type, init = undefined) {
      super(...arguments);
      this.#detail = init === undefined || init === null ? undefined : init.detail;
    }
    get detail() { return this.#detail; }
  }
  tag(CustomEvent, 'CustomEvent');

  // listener entries: [callback, once, passive, removed]
  const L_FN = 0, L_ONCE = 1, L_PASSIVE = 2, L_REMOVED = 3;
  const kListeners = Symbol('listeners');
  const isAbortSignal = (v) => v instanceof AbortSignal;
  const captureOf = (options, method) => {
    if (options === undefined || options === null) return;
    if (typeof options === 'object' || typeof options === 'function') {
      if (options.capture) throw new TypeError(`${method}(): options.capture must be false.`);
    } else if (options) throw new TypeError(`${method}(): useCapture must be false.`);
  };
  const ET = 'EventTarget';
  class EventTarget {
    constructor() { this[kListeners] = new Map(); }
    addEventListener(type, listener, options = undefined) {
      if (arguments.length < 2) throw missing(arguments.length, 'addEventListener', ET, arguments.length === 0 ? 'string' : 'function or HandlerObject');
      type = String(type);
      if (listener === null) return;
      if (typeof listener !== 'function') {
        if (typeof listener !== 'object') throw missing(1, 'addEventListener', ET, 'function or HandlerObject');
        if (typeof listener.handleEvent !== 'function') throw new TypeError("Incorrect type for the 'handleEvent' field on 'HandlerObject': the provided value is not of type 'function'.");
      }
      captureOf(options, 'addEventListener');
      let once = false, passive = false, signal;
      if (typeof options === 'object' && options !== null) {
        once = !!options.once; passive = !!options.passive; signal = options.signal;
        if (signal !== undefined && !isAbortSignal(signal)) throw new TypeError("Incorrect type for the 'signal' field on 'AddEventListenerOptions': the provided value is not of type 'AbortSignal'.");
        if (signal !== undefined && signal[kAborted]) return;
      }
      let list = this[kListeners].get(type);
      if (list === undefined) { list = []; this[kListeners].set(type, list); }
      for (const l of list) if (l[L_FN] === listener) return;
      list.push([listener, once, passive, false]);
      if (signal !== undefined) onAbort(signal, () => this.removeEventListener(type, listener));
    }
    removeEventListener(type, listener, options = undefined) {
      if (arguments.length < 2) throw missing(arguments.length, 'removeEventListener', ET, arguments.length === 0 ? 'string' : 'Object');
      captureOf(options, 'removeEventListener');
      removeListener(this, String(type), listener);
    }
    dispatchEvent(event) {
      if (!(event instanceof Event)) throw missing(0, 'dispatchEvent', ET, 'Event');
      return dispatch(this, event);
    }
  }
  tag(EventTarget, 'EventTarget');
  const removeListener = (target, type, listener) => {
    const list = target[kListeners].get(type);
    if (list === undefined) return;
    for (let i = 0; i < list.length; i++) {
      if (list[i][L_FN] === listener) { list[i][L_REMOVED] = true; list.splice(i, 1); return; }
    }
  };
  const reportListenerErrors = !!internal.flags.spec_compliant_dispatch_exceptions;
  const dispatch = (target, event) => {
    if (event[kDispatching]) throw new DOMException('The event is already being dispatched.', 'InvalidStateError');
    event[kTarget] = target; event[kDispatching] = true;
    const self = internal.flags.set_event_target_this ? target : globalThis;
    try {
      const list = target[kListeners].get(event.type);
      if (list !== undefined) {
        for (const entry of list.slice()) {
          if (entry[L_REMOVED]) continue;
          if (entry[L_ONCE]) removeListener(target, event.type, entry[L_FN]);
          const l = entry[L_FN];
          event[kPassive] = entry[L_PASSIVE];
          try {
            if (typeof l === 'function') l.call(self, event);
            else l.handleEvent(event);
          } catch (e) {
            if (!reportListenerErrors) throw e;
            internal.reportError(e);
          }
          event[kPassive] = false;
          if (event[kStopImm]) break;
        }
      }
    } finally { event[kDispatching] = false; }
    return !(event[kCanceled] || event[kPrevented]);
  };
  internal.getListeners = (target, type) => (target[kListeners].get(type) || []).map((l) => l[L_FN]);
  internal.reportError = (e) => { try { host.reportError(e); } catch (_) {} };
  // an event the platform dispatches (isTrusted)
  internal.dispatchTrusted = (target, event) => { event[kTrusted] = true; return dispatch(target, event); };

  // https://dom.spec.whatwg.org/#interface-AbortSignal
  const kAborted = Symbol('aborted'), kReason = Symbol('reason'), kAlgos = Symbol('algos');
  const kDependents = Symbol('dependents'), kOnAbort = Symbol('onabort');
  let constructingSignal = false;
  const defaultReason = () => new DOMException('The operation was aborted', 'AbortError');
  const AS = 'AbortSignal';
  class AbortSignal extends EventTarget {
    constructor() {
      if (!constructingSignal) throw new TypeError('Illegal constructor');
      super();
      this[kAborted] = false; this[kReason] = undefined; this[kAlgos] = []; this[kDependents] = []; this[kOnAbort] = null;
    }
    get aborted() { return this[kAborted]; }
    get reason() { return this[kReason]; }
    // an event handler attribute: the handler keeps the position of its first assignment
    // among the listeners, until it is set to null
    get onabort() { const h = this[kOnAbort]; return h === null ? null : h.handler; }
    set onabort(v) {
      const h = this[kOnAbort];
      if (typeof v !== 'function' && (typeof v !== 'object' || v === null)) {
        if (h !== null) { removeListener(this, 'abort', h.listener); this[kOnAbort] = null; }
        return;
      }
      if (h !== null) { h.handler = v; return; }
      const rec = { handler: v, listener: null };
      rec.listener = function (e) { const fn = rec.handler; if (typeof fn === 'function') return fn.call(this, e); };
      this[kOnAbort] = rec;
      this.addEventListener('abort', rec.listener);
    }
    throwIfAborted() { if (this[kAborted]) throw this[kReason]; }
    static abort(reason = undefined) { const s = newSignal(); s[kAborted] = true; s[kReason] = reason === undefined ? defaultReason() : reason; return s; }
    static timeout(ms) {
      if (arguments.length === 0) throw missing(0, 'timeout', AS, 'number');
      ms = Number(ms);
      const s = newSignal();
      internal.require('timers').setTimeoutInternal(() => signalAbort(s, new DOMException('The operation was aborted due to timeout', 'TimeoutError')), ms > 0 ? ms : 0);
      return s;
    }
    static any(signals) {
      if (signals === null || typeof signals !== 'object' || typeof signals[Symbol.iterator] !== 'function') throw missing(0, 'any', AS, 'Array');
      const list = [...signals];
      for (let i = 0; i < list.length; i++) {
        if (!isAbortSignal(list[i])) throw new TypeError(`Incorrect type for array element ${i}: the provided value is not of type 'AbortSignal'.`);
      }
      const s = newSignal();
      for (const o of list) {
        if (o[kAborted]) { s[kAborted] = true; s[kReason] = o[kReason]; return s; }
      }
      for (const o of list) o[kDependents].push(s);
      return s;
    }
  }
  tag(AbortSignal, 'AbortSignal');
  const newSignal = () => { constructingSignal = true; try { return new AbortSignal(); } finally { constructingSignal = false; } };
  // https://dom.spec.whatwg.org/#abortsignal-signal-abort: dependents take the reason at once,
  // their events fire after the signal's own
  const signalAbort = (signal, reason) => {
    if (signal[kAborted]) return;
    signal[kAborted] = true;
    signal[kReason] = reason === undefined ? defaultReason() : reason;
    const deps = [];
    collectDependents(signal, signal[kReason], deps);
    runAbortSteps(signal);
    for (const d of deps) runAbortSteps(d);
  };
  const collectDependents = (signal, reason, out) => {
    const ds = signal[kDependents];
    signal[kDependents] = [];
    for (const d of ds) {
      if (!d[kAborted]) { d[kAborted] = true; d[kReason] = reason; out.push(d); collectDependents(d, reason, out); }
    }
  };
  const runAbortSteps = (signal) => {
    const algos = signal[kAlgos]; signal[kAlgos] = [];
    for (const a of algos) { try { a(); } catch (e) { internal.reportError(e); } }
    internal.dispatchTrusted(signal, new Event('abort'));
  };
  const onAbort = (signal, fn) => { if (signal[kAborted]) fn(); else signal[kAlgos].push(fn); };
  internal.newSignal = newSignal;
  internal.signalAbort = signalAbort;
  internal.onAbort = onAbort;

  class AbortController {
    #signal = newSignal();
    get signal() { return this.#signal; }
    abort(reason = undefined) { signalAbort(this.#signal, reason); }
  }
  tag(AbortController, 'AbortController');

  const ex = { Event, EventTarget, CustomEvent, AbortController, AbortSignal };
  for (const k in ex) internal.defineGlobal(k, ex[k]);
  internal.modules.events = ex;
})
