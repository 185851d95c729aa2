// Streaming: answer with the request body itself, never buffered by the worker.
export default {
  async fetch(request, env, ctx) {
    return new Response(request.body);
  },
};
