// With enable_nodejs_global_timers (implied by nodejs_compat from 2026-02-10): setTimeout and
// setInterval return Node's Timeout objects; errors are worded like Node's.
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
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

export default {
  async test() {
    const t = setTimeout(() => {}, 1000);
    eq(typeof t, 'object');
    eq(Object.getPrototypeOf(t).constructor.name, 'Timeout');
    same(Object.getOwnPropertyNames(Object.getPrototypeOf(t)).sort(), ['close', 'constructor', 'hasRef', 'ref', 'refresh', 'unref']);
    ok(Number(t) > 0, 'a number through Symbol.toPrimitive');
    same([t.hasRef(), t.unref() === t, t.hasRef(), t.ref() === t, t.hasRef(), t.refresh() === t], [true, true, false, true, true, true]);
    t.close();
    let n = 0;
    const u = setTimeout(() => n++, 1);
    clearTimeout(u);
    const v = setTimeout(() => n++, 1);
    clearTimeout(+v);
    const w = setInterval(() => n++, 1);
    w[Symbol.dispose]();
    await sleep(10);
    eq(n, 0);
    eq(await new Promise((r) => setTimeout(r, 1, 'arg')), 'arg');
    clearTimeout();
    clearInterval();
    throws(() => setTimeout(5), 'TypeError', 'The "callback" argument must be of type function. Received type number (5)');
    throws(() => setTimeout('code'), 'TypeError', "The \"callback\" argument must be of type function. Received type string ('code')");
    throws(() => setTimeout(), 'TypeError', 'The "callback" argument must be of type function. Received undefined');
    throws(() => setInterval(null), 'TypeError', 'The "callback" argument must be of type function. Received null');
  },
};
