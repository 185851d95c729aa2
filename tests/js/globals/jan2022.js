// Before global_navigator (2022-03-21) there is no navigator.
import { eq, same, ok, throws, rejects } from './assert.js';

export default {
  test() {
    eq(typeof navigator, 'undefined');
    eq('navigator' in globalThis, false);
    throws(() => navigator.userAgent, 'ReferenceError');
    eq(self, globalThis);
  },
};
