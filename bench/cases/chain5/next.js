// A link of the chain: forward the request unchanged to NEXT.
export default {
  async fetch(request, env, ctx) {
    return env.NEXT.fetch(request);
  },
};
