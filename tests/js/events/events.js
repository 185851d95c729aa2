// Event, CustomEvent and EventTarget (https://dom.spec.whatwg.org/#events) as workerd has them:
// targets have no parents, so there is no capture or bubbling phase.
import { eq, same, ok, throws, rejects } from './assert.js';

export const event = {
  test() {
    const e = new Event('x');
    same([e.type, e.bubbles, e.cancelable, e.composed, e.defaultPrevented, e.eventPhase, e.isTrusted, e.target, e.currentTarget, e.returnValue, e.cancelBubble, e.timeStamp, e.srcElement],
      ['x', false, false, false, false, 0, false, null, null, true, false, 0, null]);
    const f = new Event('y', { bubbles: 1, cancelable: true, composed: 'yes' });
    same([f.bubbles, f.cancelable, f.composed], [true, true, true]);
    eq(new Event(5).type, '5');
    // preventDefault only for cancelable events
    const a = new Event('x'); a.preventDefault();
    const b = new Event('x', { cancelable: true }); b.preventDefault();
    same([a.defaultPrevented, b.defaultPrevented, b.returnValue], [false, true, false]);
    e.cancelBubble = true;
    eq(e.cancelBubble, true);
    same([Event.NONE, Event.CAPTURING_PHASE, Event.AT_TARGET, Event.BUBBLING_PHASE, e.AT_TARGET], [0, 1, 2, 3, 2]);
    same(Object.keys(e), []);
    same([e.target, e.currentTarget, e.srcElement], [undefined, undefined, undefined], 'no targets before dispatch');
    eq(e.target, undefined);
    throws(() => new Event(), 'TypeError', "Failed to construct 'Event': constructor parameter 1 is not of type 'string'.");
    throws(() => new Event('x', 5), 'TypeError', "Failed to construct 'Event': constructor parameter 2 is not of type 'Init'.");
    throws(() => { 'use strict'; e.returnValue = false; }, 'TypeError');
    eq(Object.prototype.toString.call(e), '[object Event]');
  },
};

export const customEvent = {
  test() {
    const e = new CustomEvent('c', { detail: { a: 1 }, cancelable: true });
    same([e.detail, e.type, e.cancelable, e instanceof Event], [{ a: 1 }, 'c', true, true]);
    eq(new CustomEvent('d').detail, undefined);
    eq(new CustomEvent('d', {}).detail, undefined);
    eq(new CustomEvent('d', { detail: null }).detail, null);
    eq(Object.prototype.toString.call(e), '[object CustomEvent]');
    throws(() => new CustomEvent('x', 5), 'TypeError', "Failed to construct 'CustomEvent': constructor parameter 2 is not of type 'CustomEventInit'.");
  },
};

export const dispatch = {
  test() {
    const t = new EventTarget();
    const log = [];
    const fn = function (e) { log.push([e.type, e.target === t, e.currentTarget === t, this === t, e.eventPhase, e.composedPath().length]); };
    t.addEventListener('x', fn);
    t.addEventListener('x', fn); // added once
    eq(t.dispatchEvent(new Event('x')), true);
    same(log, [['x', true, true, true, 2, 1]]);
    // after dispatch, target and currentTarget stay set (as in workerd)
    const e = new Event('x');
    t.dispatchEvent(e);
    same([e.target === t, e.currentTarget === t, e.eventPhase, e.composedPath().length], [true, true, 0, 0]);
    // the result says whether the default was prevented
    t.addEventListener('c', (ev) => ev.preventDefault());
    eq(t.dispatchEvent(new Event('c', { cancelable: true })), false);
    // workerd reports a preventDefault() call even when the event is not cancelable
    const nc = new Event('c');
    eq(t.dispatchEvent(nc), false);
    eq(nc.defaultPrevented, false);
    eq(t.dispatchEvent(new Event('other')), true);
    // handler objects
    const obj = { calls: 0, handleEvent(ev) { this.calls++; eq(this, obj); } };
    t.addEventListener('h', obj);
    t.dispatchEvent(new Event('h'));
    eq(obj.calls, 1);
    // other types do not run
    eq(t.dispatchEvent(new Event('none')), true);
    eq(Object.prototype.toString.call(t), '[object EventTarget]');
  },
};

export const listenerOrder = {
  test() {
    const t = new EventTarget();
    const log = [];
    const b = () => log.push('b');
    t.addEventListener('x', () => { log.push('a'); t.removeEventListener('x', b); t.addEventListener('x', () => log.push('late')); });
    t.addEventListener('x', b);
    t.addEventListener('x', () => log.push('c'));
    t.dispatchEvent(new Event('x'));
    same(log, ['a', 'c'], 'removed during dispatch: not called; added: not called');
    // stopImmediatePropagation stops the rest, stopPropagation does not
    const u = new EventTarget();
    const l2 = [];
    u.addEventListener('s', (e) => { l2.push(1); e.stopPropagation(); });
    u.addEventListener('s', () => l2.push(2));
    u.addEventListener('i', (e) => { l2.push(3); e.stopImmediatePropagation(); });
    u.addEventListener('i', () => l2.push(4));
    u.dispatchEvent(new Event('s'));
    u.dispatchEvent(new Event('i'));
    same(l2, [1, 2, 3]);
  },
};

export const options = {
  test() {
    const t = new EventTarget();
    let n = 0;
    t.addEventListener('once', () => n++, { once: true });
    t.dispatchEvent(new Event('once'));
    t.dispatchEvent(new Event('once'));
    eq(n, 1, 'once');
    // signal removes the listener when it aborts; an aborted signal adds nothing
    const c = new AbortController();
    let m = 0;
    t.addEventListener('sig', () => m++, { signal: c.signal });
    t.dispatchEvent(new Event('sig'));
    c.abort();
    t.dispatchEvent(new Event('sig'));
    t.addEventListener('sig', () => m++, { signal: AbortSignal.abort() });
    t.dispatchEvent(new Event('sig'));
    eq(m, 1, 'signal');
    // passive: preventDefault() is ignored
    let prevented;
    t.addEventListener('p', (e) => { e.preventDefault(); prevented = e.defaultPrevented; }, { passive: true });
    eq(t.dispatchEvent(new Event('p', { cancelable: true })), true);
    eq(prevented, false);
    // capture is refused (no parents, no capture phase)
    throws(() => t.addEventListener('x', () => {}, true), 'TypeError', 'addEventListener(): useCapture must be false.');
    throws(() => t.addEventListener('x', () => {}, { capture: true }), 'TypeError', 'addEventListener(): options.capture must be false.');
    throws(() => t.removeEventListener('x', () => {}, true), 'TypeError', 'removeEventListener(): useCapture must be false.');
    throws(() => t.removeEventListener('x', () => {}, { capture: true }), 'TypeError', 'removeEventListener(): options.capture must be false.');
    t.addEventListener('x', () => {}, false);
    t.addEventListener('x', () => {}, { capture: false });
    throws(() => t.addEventListener('x', () => {}, { signal: 5 }), 'TypeError', "Incorrect type for the 'signal' field on 'AddEventListenerOptions': the provided value is not of type 'AbortSignal'.");
  },
};

export const argumentErrors = {
  test() {
    const t = new EventTarget();
    throws(() => t.addEventListener(), 'TypeError', "Failed to execute 'addEventListener' on 'EventTarget': parameter 1 is not of type 'string'.");
    throws(() => t.addEventListener('x'), 'TypeError', "Failed to execute 'addEventListener' on 'EventTarget': parameter 2 is not of type 'function or HandlerObject'.");
    throws(() => t.addEventListener('x', 5), 'TypeError', "Failed to execute 'addEventListener' on 'EventTarget': parameter 2 is not of type 'function or HandlerObject'.");
    throws(() => t.addEventListener('x', {}), 'TypeError', "Incorrect type for the 'handleEvent' field on 'HandlerObject': the provided value is not of type 'function'.");
    t.addEventListener('x', null);
    t.removeEventListener('x', null);
    t.removeEventListener('x', () => {});
    throws(() => t.removeEventListener(), 'TypeError', "Failed to execute 'removeEventListener' on 'EventTarget': parameter 1 is not of type 'string'.");
    throws(() => t.removeEventListener('x'), 'TypeError', "Failed to execute 'removeEventListener' on 'EventTarget': parameter 2 is not of type 'Object'.");
    throws(() => t.dispatchEvent({ type: 'x' }), 'TypeError', "Failed to execute 'dispatchEvent' on 'EventTarget': parameter 1 is not of type 'Event'.");
    throws(() => t.dispatchEvent(), 'TypeError', "Failed to execute 'dispatchEvent' on 'EventTarget': parameter 1 is not of type 'Event'.");
  },
};

export const errorsAndReentrancy = {
  test() {
    // before spec_compliant_dispatch_exceptions (2026-09-15) a listener's error propagates out
    // of dispatchEvent() and the remaining listeners do not run
    const t = new EventTarget();
    const log = [];
    t.addEventListener('x', () => log.push(1), { once: true });
    t.addEventListener('x', () => { throw new RangeError('listener'); }, { once: true });
    t.addEventListener('x', () => log.push(3));
    throws(() => t.dispatchEvent(new Event('x')), 'RangeError', 'listener');
    same(log, [1]);
    eq(t.dispatchEvent(new Event('x')), true, 'once listeners were removed before they ran');
    same(log, [1, 3]);
    const h = new EventTarget();
    h.addEventListener('q', { handleEvent() { throw new Error('handler'); } });
    throws(() => h.dispatchEvent(new Event('q')), 'Error', 'handler');
    // an event being dispatched cannot be dispatched again
    const e = new Event('r');
    let inner;
    t.addEventListener('r', () => { try { t.dispatchEvent(e); } catch (err) { inner = err; } });
    t.dispatchEvent(e);
    same([inner.name, inner.message, inner instanceof DOMException], ['InvalidStateError', 'The event is already being dispatched.', true]);
    eq(t.dispatchEvent(e), true, 'it can be dispatched again afterwards');
  },
};

export const subclasses = {
  test() {
    class Target extends EventTarget { constructor() { super(); this.extra = 1; } }
    class MyEvent extends Event { constructor() { super('mine'); this.v = 42; } }
    const t = new Target();
    let v;
    t.addEventListener('mine', (e) => { v = e.v; });
    t.dispatchEvent(new MyEvent());
    eq(v, 42);
    same(Object.getOwnPropertyNames(EventTarget.prototype).sort(), ['addEventListener', 'constructor', 'dispatchEvent', 'removeEventListener']);
  },
};
