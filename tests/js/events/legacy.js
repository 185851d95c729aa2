// Before set_event_target_this (2025-08-01): listeners run with the global object as `this`.
import { eq, same, ok, throws, rejects } from './assert.js';

export default {
  test() {
    const t = new EventTarget();
    let self;
    t.addEventListener('x', function () { self = this; });
    t.dispatchEvent(new Event('x'));
    eq(self, globalThis);
    const obj = { handleEvent() { self = this; } };
    t.addEventListener('y', obj);
    t.dispatchEvent(new Event('y'));
    eq(self, obj, 'handler objects are still the receiver');
  },
};
