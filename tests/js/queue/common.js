// Shared helpers of the queue wire tests.
export const eq = (a, b, m) => { if (a !== b) throw new Error(`${m || 'assert'}: expected ${JSON.stringify(b)}, got ${JSON.stringify(a)}`); };
export const deq = (a, b, m) => eq(JSON.stringify(a), JSON.stringify(b), m);
export const ok = (v, m) => { if (!v) throw new Error(m || 'assertion failed'); };
export const rejects = async (p, name, message, m) => {
  try { await p; } catch (e) {
    if (name && e.name !== name) throw new Error(`${m || 'rejects'}: expected ${name}, got ${e.name}: ${e.message}`);
    if (message !== undefined && e.message !== message) throw new Error(`${m || 'rejects'}: expected message ${JSON.stringify(message)}, got ${JSON.stringify(e.message)}`);
    return e;
  }
  throw new Error(`${m || 'rejects'}: did not reject`);
};
export const respond = (env, r) => env.REC.fetch('http://control/respond', { method: 'POST', body: JSON.stringify(r) });
export const takeLog = async (env) => (await env.REC.fetch('http://control/log')).json();
export const one = async (env) => { const log = await takeLog(env); eq(log.length, 1, 'one request'); return log[0]; };
export const METRICS = { backlogCount: 3, backlogBytes: 10, oldestMessageTimestamp: 1700000000000 };
export const OK = { body: JSON.stringify({ metadata: { metrics: METRICS } }) };
export const hex = (s) => { let o = ''; for (let i = 0; i < s.length; i++) o += s.charCodeAt(i).toString(16).padStart(2, '0'); return o; };
