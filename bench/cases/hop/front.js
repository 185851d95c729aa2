// One service-binding hop: forward the request unchanged to BACKEND.
export default {
  async fetch(request, env, ctx) {
    return env.BACKEND.fetch(request);
  },
};
