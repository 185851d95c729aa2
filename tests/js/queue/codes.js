// Queue errors with queue_expose_error_codes (compatibility date 2026-03-12): the service's
// CF-Queues-Error-Cause / -Code headers become the message.
import { rejects, respond, takeLog } from 'common.js';

export default {
  async test(ctrl, env) {
    await takeLog(env);
    await respond(env, { status: 500, statusText: 'Oops', headers: { 'cf-queues-error-cause': 'Bad thing', 'cf-queues-error-code': '123' } });
    await rejects(env.Q.send('x'), 'Error', 'Bad thing (123)');
    await respond(env, { status: 413, statusText: 'Too Large' });
    await rejects(env.Q.sendBatch([{ body: 'x' }]), 'Error', 'Unknown Internal Error (15000)');
    await takeLog(env);
  },
};
