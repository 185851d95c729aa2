// The API worker: answers JSON, with a named entrypoint for admin calls and props from the config.
import { WorkerEntrypoint } from "cloudflare:workers";

export default {
  async fetch(request, env) {
    const url = new URL(request.url);
    const body = request.method === "POST" ? await request.text() : null;
    return Response.json({ user: request.headers.get("x-user"), path: url.pathname, body, greeting: env.GREETING });
  },
};

export class Admin extends WorkerEntrypoint {
  async fetch(request) {
    return Response.json({ admin: true, role: this.ctx.props.role });
  }
  add(a, b) {
    return a + b;
  }
}
