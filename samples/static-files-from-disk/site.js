// Static files from a disk service: index.html for directories, content types by extension,
// and a small cache header. Anything not found falls back to 404.html.
const TYPES = {
  html: "text/html;charset=UTF-8", css: "text/css;charset=UTF-8", js: "text/javascript;charset=UTF-8",
  json: "application/json", txt: "text/plain;charset=UTF-8", png: "image/png", svg: "image/svg+xml",
};

export default {
  async fetch(request, env) {
    if (!["GET", "HEAD"].includes(request.method)) {
      return new Response("method not allowed\n", { status: 405, headers: { allow: "GET, HEAD" } });
    }
    const url = new URL(request.url);
    let path = url.pathname.endsWith("/") ? url.pathname + "index.html" : url.pathname;
    let response = await env.FILES.fetch(new URL(path, "http://files"), { method: request.method });
    let status = 200;
    if (response.status === 404) {
      path = "/404.html";
      response = await env.FILES.fetch("http://files/404.html", { method: request.method });
      status = 404;
    }
    if (!response.ok) return new Response(`error ${response.status}\n`, { status: response.status });
    const ext = path.split(".").pop();
    const headers = new Headers(response.headers);
    headers.set("content-type", TYPES[ext] || "application/octet-stream");
    headers.set("cache-control", "public, max-age=60");
    return new Response(response.body, { status, headers });
  },
};
