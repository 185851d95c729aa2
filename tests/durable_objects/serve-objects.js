import { DurableObject } from "cloudflare:workers";

export class Counter extends DurableObject {
  async increment() {
    // no other event runs between a storage call and its continuation (the input gate), so this
    // read-modify-write needs no lock even under concurrent requests
    const v = ((await this.ctx.storage.get("n")) ?? 0) + 1;
    await this.ctx.storage.put("n", v);
    return v;
  }
  async fetch(request) {
    const url = new URL(request.url);
    if (url.pathname.endsWith("/stream")) {
      const { readable, writable } = new TransformStream();
      const w = writable.getWriter();
      (async () => { for (let i = 0; i < 3; i++) await w.write(new TextEncoder().encode(`chunk${i};`)); await w.close(); })();
      return new Response(readable, { headers: { "content-type": "text/plain" } });
    }
    const body = request.method === "POST" ? await request.text() : "";
    const n = await this.increment();
    return new Response(`${this.ctx.id.name} ${n} ${body}`, { headers: { "x-object": String(this.ctx.id) } });
  }
}
export default { async fetch() { return new Response("objects"); } };
