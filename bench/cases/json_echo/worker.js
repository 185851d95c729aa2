// JSON echo: parse the request body as JSON and answer it re-serialized.
export default {
  async fetch(request, env, ctx) {
    return Response.json(await request.json());
  },
};
