// Assertions shared by the JS API tests (tests/js/*): each worker that uses them embeds this
// file as module "assert.js" next to its main module.
export const eq = (a, b, m) => { if (a !== b) throw new Error(`${m || 'assert'}: expected ${JSON.stringify(b)}, got ${JSON.stringify(a)}`); };
export const same = (a, b, m) => eq(JSON.stringify(a), JSON.stringify(b), m);
export const ok = (v, m) => { if (!v) throw new Error(m || 'assertion failed'); };
export const throws = (f, name, msg, m) => {
  try { f(); } catch (e) {
    if (name && e.name !== name) throw new Error(`${m || 'throws'}: expected ${name}, got ${e.name}: ${e.message}`);
    if (msg !== undefined && e.message !== msg) throw new Error(`${m || 'throws'}: expected message ${JSON.stringify(msg)}, got ${JSON.stringify(e.message)}`);
    return e;
  }
  throw new Error(`${m || 'throws'}: did not throw`);
};
export const rejects = async (p, name, msg, m) => {
  try { await p; } catch (e) {
    if (name && e.name !== name) throw new Error(`${m || 'rejects'}: expected ${name}, got ${e.name}: ${e.message}`);
    if (msg !== undefined && e.message !== msg) throw new Error(`${m || 'rejects'}: expected message ${JSON.stringify(msg)}, got ${JSON.stringify(e.message)}`);
    return e;
  }
  throw new Error(`${m || 'rejects'}: did not reject`);
};
