// DOM events: Event, EventTarget, CustomEvent, AbortController, AbortSignal.
// https://dom.spec.whatwg.org/#events  https://dom.spec.whatwg.org/#aborting-ongoing-activities
(function (internal, host) {
  'use strict';
  const kStop = Symbol('stop'), kStopImm = Symbol('stopImmediate'), kCanceled = Symbol('canceled');
  const kTarget = Symbol('target'), kDispatching = Symbol('dispatching');

  class Event {
    #type; #bubbles; #cancelable; #composed; #timeStamp;
    constructor(type, init = undefined) {
      if (arguments.length === 0) throw new TypeError("Failed to construct 'Event': 1 argument required, but only 0 present.");
      this.#type = String(type);
      init = init == null ? {} : init;
      this.#bubbles = !!init.bubbles; this.#cancelable = !!init.cancelable; this.#composed = !!init.composed;
      this.#timeStamp = 0;
      this[kCanceled] = false; this[kStop] = false; this[kStopImm] = false; this[kTarget] = null; this[kDispatching] = false;
    }
    get type() { return this.#type; }
    get bubbles() { return this.#bubbles; }
    get cancelable() { return this.#cancelable; }
    get composed() { return this.#composed; }
    get timeStamp() { return this.#timeStamp; }
    get target() { return this[kTarget]; }
    get currentTarget() { return this[kDispatching] ? this[kTarget] : null; }
    get srcElement() { return this[kTarget]; }
    get eventPhase() { return this[kDispatching] ? 2 : 0; }
    get defaultPrevented() { return this[kCanceled]; }
    get returnValue() { return !this[kCanceled]; }
    get isTrusted() { return false; }
    get cancelBubble() { return this[kStop]; }
    set cancelBubble(v) { if (v) this[kStop] = true; }
    composedPath() { return this[kDispatching] ? [this[kTarget]] : []; }
    preventDefault() { if (this.#cancelable) this[kCanceled] = true; }
    stopPropagation() { this[kStop] = true; }
    stopImmediatePropagation() { this[kStop] = true; this[kStopImm] = true; }
  }
  for (const [k, v] of [['NONE', 0], ['CAPTURING_PHASE', 1], ['AT_TARGET', 2], ['BUBBLING_PHASE', 3]]) {
    Object.defineProperty(Event, k, { value: v, enumerable: true });
    Object.defineProperty(Event.prototype, k, { value: v, enumerable: true });
  }

  class CustomEvent extends Event {
    #detail;
    constructor(type, init = undefined) { super(type, init); this.#detail = init && init.detail !== undefined ? init.detail : null; }
    get detail() { return this.#detail; }
  }

  const kListeners = Symbol('listeners');
  class EventTarget {
    constructor() { this[kListeners] = new Map(); }
    addEventListener(type, listener, options = undefined) {
      if (listener == null) return;
      if (typeof listener !== 'function' && typeof listener !== 'object') throw new TypeError('The "listener" argument must be a function or an object with a handleEvent method.');
      type = String(type);
      const opts = typeof options === 'boolean' ? { capture: options } : (options || {});
      if (opts.signal && opts.signal.aborted) return;
      let list = this[kListeners].get(type);
      if (!list) { list = []; this[kListeners].set(type, list); }
      const capture = !!opts.capture;
      if (list.some((l) => l.listener === listener && l.capture === capture)) return;
      const entry = { listener, capture, once: !!opts.once, removed: false };
      list.push(entry);
      if (opts.signal) opts.signal.addEventListener('abort', () => this.removeEventListener(type, listener, options));
    }
    removeEventListener(type, listener, options = undefined) {
      const list = this[kListeners].get(String(type));
      if (!list) return;
      const capture = typeof options === 'boolean' ? options : !!(options && options.capture);
      const i = list.findIndex((l) => l.listener === listener && l.capture === capture);
      if (i >= 0) { list[i].removed = true; list.splice(i, 1); }
    }
    dispatchEvent(event) {
      if (!(event instanceof Event)) throw new TypeError('The "event" argument must be an instance of Event.');
      if (event[kDispatching]) throw new DOMException('The event is already being dispatched.', 'InvalidStateError');
      event[kTarget] = this; event[kDispatching] = true;
      try {
        const list = this[kListeners].get(event.type);
        if (list) {
          for (const entry of list.slice()) {
            if (entry.removed) continue;
            if (entry.once) this.removeEventListener(event.type, entry.listener, { capture: entry.capture });
            const l = entry.listener;
            try {
              if (typeof l === 'function') l.call(this, event);
              else if (l && typeof l.handleEvent === 'function') l.handleEvent(event);
            } catch (e) { internal.reportError(e); }
            if (event[kStopImm]) break;
          }
        }
      } finally { event[kDispatching] = false; }
      return !event[kCanceled];
    }
  }
  internal.getListeners = (target, type) => (target[kListeners].get(type) || []).map((l) => l.listener);
  internal.reportError = (e) => { try { host.reportError(e); } catch (_) {} };

  // https://dom.spec.whatwg.org/#interface-AbortSignal
  const kAborted = Symbol('aborted'), kReason = Symbol('reason'), kAlgos = Symbol('algos');
  let constructingSignal = false;
  class AbortSignal extends EventTarget {
    constructor() {
      if (!constructingSignal) throw new TypeError('Illegal constructor');
      super(); this[kAborted] = false; this[kReason] = undefined; this[kAlgos] = []; this.onabort = null;
    }
    get aborted() { return this[kAborted]; }
    get reason() { return this[kReason]; }
    throwIfAborted() { if (this[kAborted]) throw this[kReason]; }
    static abort(reason = undefined) { const s = newSignal(); signalAbort(s, reason); return s; }
    static timeout(ms) {
      ms = Number(ms);
      if (!(ms >= 0) || ms > Number.MAX_SAFE_INTEGER) throw new TypeError('The "delay" argument must be a non-negative number.');
      const s = newSignal();
      internal.require('timers').setTimeoutInternal(() => signalAbort(s, new DOMException('The operation was aborted due to timeout', 'TimeoutError')), ms);
      return s;
    }
    static any(signals) {
      const s = newSignal();
      for (const o of signals) {
        if (!(o instanceof AbortSignal)) throw new TypeError('AbortSignal.any() requires an iterable of AbortSignal objects.');
        if (o.aborted) { signalAbort(s, o.reason); return s; }
      }
      for (const o of signals) o[kAlgos].push(() => signalAbort(s, o.reason));
      return s;
    }
  }
  const newSignal = () => { constructingSignal = true; try { return new AbortSignal(); } finally { constructingSignal = false; } };
  const signalAbort = (signal, reason) => {
    if (signal[kAborted]) return;
    signal[kAborted] = true;
    signal[kReason] = reason === undefined ? new DOMException('This operation was aborted', 'AbortError') : reason;
    const algos = signal[kAlgos]; signal[kAlgos] = [];
    for (const a of algos) { try { a(); } catch (e) { internal.reportError(e); } }
    const ev = new Event('abort');
    if (typeof signal.onabort === 'function') { try { signal.onabort(ev); } catch (e) { internal.reportError(e); } }
    signal.dispatchEvent(ev);
  };
  internal.newSignal = newSignal;
  internal.signalAbort = signalAbort;
  internal.onAbort = (signal, fn) => { if (signal[kAborted]) fn(); else signal[kAlgos].push(fn); };

  class AbortController {
    #signal = newSignal();
    get signal() { return this.#signal; }
    abort(reason = undefined) { signalAbort(this.#signal, reason); }
  }

  const ex = { Event, EventTarget, CustomEvent, AbortController, AbortSignal };
  for (const k in ex) internal.defineGlobal(k, ex[k]);
  internal.modules.events = ex;
})
