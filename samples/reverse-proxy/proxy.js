// A reverse proxy in front of an external origin: strips the /app prefix, tags the request, and
// rewrites the response (adds a header, replaces the origin's name in HTML/text bodies).
export default {
  async fetch(request, env) {
    const url = new URL(request.url);
    if (!url.pathname.startsWith("/app")) {
      return new Response("not found\n", { status: 404 });
    }
    const upstream = new URL(url.pathname.slice(4) || "/", "http://origin.internal");
    upstream.search = url.search;
    const headers = new Headers(request.headers);
    headers.set("x-forwarded-host", url.host);
    headers.delete("cookie");
    const response = await env.ORIGIN.fetch(upstream, {
      method: request.method,
      headers,
      body: ["GET", "HEAD"].includes(request.method) ? undefined : request.body,
      redirect: "manual",
    });
    const out = new Headers(response.headers);
    out.set("x-proxied-by", "workerd-py");
    const type = out.get("content-type") || "";
    if (type.startsWith("text/")) {
      const text = (await response.text()).replaceAll("origin server", "proxied server");
      out.delete("content-length");
      return new Response(text, { status: response.status, headers: out });
    }
    return new Response(response.body, { status: response.status, headers: out });
  },
};
