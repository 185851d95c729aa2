// AbortController and AbortSignal (https://dom.spec.whatwg.org/#aborting-ongoing-activities).
import { eq, same, ok, throws, rejects } from './assert.js';
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

export const controller = {
  test() {
    const c = new AbortController();
    const s = c.signal;
    eq(c.signal, s);
    same([s.aborted, s.reason, s.onabort], [false, undefined, null]);
    s.throwIfAborted();
    const log = [];
    s.addEventListener('abort', (e) => log.push(['listener', e.type, e.isTrusted, e.target === s, e.cancelable, e.bubbles]));
    c.abort();
    c.abort('again'); // no effect
    eq(s.aborted, true);
    const r = s.reason;
    same([r instanceof DOMException, r.name, r.message, r.code], [true, 'AbortError', 'The operation was aborted', 20]);
    same(log, [['listener', 'abort', true, true, false, false]]);
    const e = throws(() => s.throwIfAborted(), 'AbortError');
    eq(e, r);
    const c2 = new AbortController();
    c2.abort('why');
    eq(c2.signal.reason, 'why');
    throws(() => new AbortSignal(), 'TypeError', 'Illegal constructor');
    eq(Object.prototype.toString.call(c), '[object AbortController]');
    eq(Object.prototype.toString.call(s), '[object AbortSignal]');
    ok(s instanceof EventTarget);
  },
};

export const onabort = {
  test() {
    // an event handler attribute: it runs in the position of its first assignment
    const c = new AbortController();
    const log = [];
    c.signal.addEventListener('abort', () => log.push('l1'));
    c.signal.onabort = (e) => log.push('on:' + e.type);
    c.signal.addEventListener('abort', () => log.push('l2'));
    c.signal.onabort = () => log.push('on2'); // replaces, same position
    c.abort();
    same(log, ['l1', 'on2', 'l2']);
    // set to null and again: a new position, at the end
    const d = new AbortController();
    const l2 = [];
    d.signal.onabort = () => l2.push('on1');
    d.signal.addEventListener('abort', () => l2.push('l'));
    d.signal.onabort = null;
    d.signal.onabort = () => l2.push('on2');
    d.abort();
    same(l2, ['l', 'on2']);
    // non-callable values become null; objects are kept
    const s = new AbortController().signal;
    s.onabort = 5;
    eq(s.onabort, null);
    const o = {};
    s.onabort = o;
    eq(s.onabort, o);
    // a throwing handler ends the dispatch, and abort() throws (before
    // spec_compliant_dispatch_exceptions, 2026-09-15); the signal is aborted all the same
    const f = new AbortController();
    const l3 = [];
    f.signal.onabort = () => { throw new Error('onabort'); };
    f.signal.addEventListener('abort', () => l3.push('after'));
    throws(() => f.abort(), 'Error', 'onabort');
    same([l3, f.signal.aborted], [[], true]);
  },
};

export const statics = {
  async test() {
    const a = AbortSignal.abort();
    same([a.aborted, a.reason.name, a.reason.message], [true, 'AbortError', 'The operation was aborted']);
    eq(AbortSignal.abort(new RangeError('r')).reason.name, 'RangeError');
    throws(() => AbortSignal.abort(new RangeError('r')).throwIfAborted(), 'RangeError', 'r');
    // timeout
    const t = AbortSignal.timeout(5);
    eq(t.aborted, false);
    await new Promise((r) => t.addEventListener('abort', r));
    const tr = t.reason;
    same([t.aborted, tr.name, tr.message, tr.code, tr instanceof DOMException], [true, 'TimeoutError', 'The operation was aborted due to timeout', 23, true]);
    // negative and NaN delays fire at once
    const n = AbortSignal.timeout(-1), m = AbortSignal.timeout('x');
    await sleep(20);
    same([n.aborted, m.aborted], [true, true]);
    throws(() => AbortSignal.timeout(), 'TypeError', "Failed to execute 'timeout' on 'AbortSignal': parameter 1 is not of type 'number'.");
    same(Object.getOwnPropertyNames(AbortSignal).sort(), ['abort', 'any', 'length', 'name', 'prototype', 'timeout']);
  },
};

export const any = {
  async test() {
    const a = new AbortController(), b = new AbortController();
    const s = AbortSignal.any([a.signal, b.signal]);
    eq(s.aborted, false);
    b.abort('B');
    a.abort('A');
    same([s.aborted, s.reason], [true, 'B']);
    // an already aborted source
    const x = AbortSignal.any([new AbortController().signal, AbortSignal.abort('X')]);
    same([x.aborted, x.reason], [true, 'X']);
    eq(AbortSignal.any([]).aborted, false);
    // dependents of dependents follow; the source's listeners run first
    const c = new AbortController();
    const s1 = AbortSignal.any([c.signal]);
    const s2 = AbortSignal.any([s1]);
    const log = [];
    s1.addEventListener('abort', (e) => log.push(['s1', e.isTrusted]));
    c.signal.addEventListener('abort', () => log.push(['src', s1.aborted]));
    c.abort('r');
    same([s1.aborted, s2.aborted, s2.reason], [true, true, 'r']);
    same(log, [['src', true], ['s1', true]]);
    // with a timeout
    const t = AbortSignal.any([AbortSignal.timeout(5)]);
    await sleep(30);
    same([t.aborted, t.reason.name], [true, 'TimeoutError']);
    throws(() => AbortSignal.any([1]), 'TypeError', "Incorrect type for array element 0: the provided value is not of type 'AbortSignal'.");
    throws(() => AbortSignal.any(5), 'TypeError', "Failed to execute 'any' on 'AbortSignal': parameter 1 is not of type 'Array'.");
  },
};

export const reentrancy = {
  test() {
    const c = new AbortController();
    const log = [];
    c.signal.addEventListener('abort', () => { log.push('l'); c.abort('again'); });
    c.abort('first');
    same([log, c.signal.reason], [['l'], 'first']);
  },
};
