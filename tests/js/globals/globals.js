// reportError, navigator, performance, self.
import { eq, same, ok, throws, rejects } from './assert.js';

export const navigatorObject = {
  test() {
    eq(navigator.userAgent, 'Cloudflare-Workers');
    eq(navigator.hardwareConcurrency, 1);
    eq(navigator.platform, '');
    // enable_navigator_language (2025-05-19)
    eq(navigator.language, 'en');
    same(navigator.languages, ['en']);
    same(Object.getOwnPropertyNames(navigator), ['languages', 'language', 'platform', 'hardwareConcurrency', 'userAgent']);
    same(Object.getOwnPropertyDescriptor(navigator, 'userAgent'), { value: 'Cloudflare-Workers', writable: false, enumerable: true, configurable: true });
    throws(() => { 'use strict'; navigator.userAgent = 'x'; }, 'TypeError');
    eq(Object.prototype.toString.call(navigator), '[object Navigator]');
    eq(typeof navigator.sendBeacon, 'function');
    ok(navigator instanceof Navigator);
    throws(() => new Navigator(), 'TypeError', 'Illegal constructor');
  },
};

export const performanceClock = {
  async test() {
    eq(performance.timeOrigin, 0);
    const a = performance.now();
    eq(typeof a, 'number');
    ok(Math.abs(a - Date.now()) < 1000, 'the wall clock: timeOrigin is 0');
    await new Promise((r) => setTimeout(r, 5));
    ok(performance.now() > a);
    eq(Object.prototype.toString.call(performance), '[object Performance]');
    same(Object.getOwnPropertyNames(performance), []);
    eq(typeof Performance, 'undefined', 'the class is global only with enable_global_performance_classes');
  },
};

export const selfAndReportError = {
  test() {
    eq(self, globalThis);
    eq(typeof self, 'object');
    reportError(new Error('reported (expected in the log)'));
    throws(() => reportError(), 'TypeError', "Failed to execute 'reportError' on 'ServiceWorkerGlobalScope': parameter 1 is not of type 'Value'.");
  },
};
