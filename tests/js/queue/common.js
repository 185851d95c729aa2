// Shared helpers of the queue wire tests.
import { eq, ok, rejects, same } from './assert.js';
export { eq, ok, rejects, same as deq };
export const respond = (env, r) => env.REC.fetch('http://control/respond', { method: 'POST', body: JSON.stringify(r) });
export const takeLog = async (env) => (await env.REC.fetch('http://control/log')).json();
export const one = async (env) => { const log = await takeLog(env); eq(log.length, 1, 'one request'); return log[0]; };
export const METRICS = { backlogCount: 3, backlogBytes: 10, oldestMessageTimestamp: 1700000000000 };
export const OK = { body: JSON.stringify({ metadata: { metrics: METRICS } }) };
export const hex = (s) => { let o = ''; for (let i = 0; i < s.length; i++) o += s.charCodeAt(i).toString(16).padStart(2, '0'); return o; };
