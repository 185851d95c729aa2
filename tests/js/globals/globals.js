// reportError, navigator, performance, self.
const eq = (a, b, m) => { if (a !== b) throw new Error(`${m || 'assert'}: expected ${JSON.stringify(b)}, got ${JSON.stringify(a)}`); };
const same = (a, b, m) => eq(JSON.stringify(a), JSON.stringify(b), m);
const ok = (v, m) => { if (!v) throw new Error(m || 'assertion failed'); };
const throws = (f, name, msg, m) => {
  try { f(); } catch (e) {
    if (name && e.name !== name) throw new Error(`${m || 'throws'}: expected ${name}, got ${e.name}: ${e.message}`);
    if (msg !== undefined && e.message !== msg) throw new Error(`${m || 'throws'}: expected message ${JSON.stringify(msg)}, got ${JSON.stringify(e.message)}`);
    return e;
  }
  throw new Error(`${m || 'throws'}: did not throw`);
};
const rejects = async (p, name, msg, m) => {
  try { await p; } catch (e) {
    if (name && e.name !== name) throw new Error(`${m || 'rejects'}: expected ${name}, got ${e.name}: ${e.message}`);
    if (msg !== undefined && e.message !== msg) throw new Error(`${m || 'rejects'}: expected message ${JSON.stringify(msg)}, got ${JSON.stringify(e.message)}`);
    return e;
  }
  throw new Error(`${m || 'rejects'}: did not reject`);
};

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
