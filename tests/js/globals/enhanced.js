// With enhanced_error_serialization (2026-04-21) structuredClone keeps an error's own
// enumerable properties, a custom name, and AggregateError.
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

export default {
  test() {
    const e = new Error('m');
    e.name = 'Custom';
    e.code = 5;
    e.obj = { a: 1 };
    const c = structuredClone(e);
    same([c.name, c.constructor, c.code, c.obj, c.message], ['Custom', Error, 5, { a: 1 }, 'm']);
    same(Object.keys(c).sort(), ['code', 'name', 'obj', 'stack']);
    const a = structuredClone(new AggregateError([1, new Error('inner')], 'agg'));
    same([a.constructor, a.name, a.message, a.errors[0], a.errors[1].message], [AggregateError, 'AggregateError', 'agg', 1, 'inner']);
    same(Object.getOwnPropertyNames(structuredClone(new Error())).sort(), ['message', 'stack']);
  },
};
