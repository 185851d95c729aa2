// A forward proxy: the socket uses `style = proxy`, so request.url is the absolute URI the client
// asked for (`curl -x http://127.0.0.1:8080 http://example.com/`). The worker refuses blocked
// hosts, forwards the rest through its globalOutbound, and tags the answer.
const BLOCKED = new Set(["blocked.example"]);

export default {
  async fetch(request) {
    const url = new URL(request.url);
    if (BLOCKED.has(url.hostname)) {
      return new Response(`${url.hostname} is blocked by policy\n`, { status: 403 });
    }
    const response = await fetch(request.url, {
      method: request.method,
      headers: request.headers,
      body: ["GET", "HEAD"].includes(request.method) ? undefined : request.body,
      redirect: "manual",
    });
    const headers = new Headers(response.headers);
    headers.set("via", "1.1 workerd-py");
    return new Response(response.body, { status: response.status, headers });
  },
};
