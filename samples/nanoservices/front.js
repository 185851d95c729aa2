// The front worker: authenticates through the auth service, then calls the API service.
export default {
  async fetch(request, env) {
    const auth = await env.AUTH.fetch(new Request("http://auth/check", { headers: request.headers }));
    if (auth.status !== 200) {
      return new Response("unauthorized\n", { status: 401 });
    }
    const user = await auth.text();
    const url = new URL(request.url);
    const api = await env.API.fetch(`http://api${url.pathname}${url.search}`, {
      method: request.method,
      headers: { "x-user": user },
      body: ["GET", "HEAD"].includes(request.method) ? undefined : request.body,
    });
    return new Response(api.body, api);
  },
};
