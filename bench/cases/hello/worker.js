// Hello world: the floor of a request through one worker.
export default {
  async fetch(request, env, ctx) {
    return new Response("Hello World\n");
  },
};
