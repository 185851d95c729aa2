export default {
  async fetch(request, env) {
    const url = new URL(request.url);
    const [, name, action] = url.pathname.split("/");
    const stub = env.COUNTERS.getByName(name);
    if (action === "rpc") return Response.json({ value: await stub.increment(), id: stub.id.toString() });
    if (action === "stream") return stub.fetch(request);
    return stub.fetch(request);
  },
};
