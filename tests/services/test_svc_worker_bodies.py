"""Host bodies are dropped once no JS object can read them any more: an unread request body or an
unread service-binding answer must not stay registered in the worker (a leak per request), while a
body that is still being streamed keeps working."""
from __future__ import annotations

import asyncio

from workerd_py.config import load_plan
from workerd_py.server.app import App
from workerd_py.server.http import Body, HttpRequest, HttpResponse

FRONT_JS = r"""
export default {
  async fetch(request, env) {
    const path = new URL(request.url).pathname;
    if (path === "/ignore-answer") { await env.BACKEND.fetch("http://b/"); return new Response("ignored"); }
    if (path === "/ignore-body") return new Response("did not read it");
    if (path === "/echo") return new Response(request.body);
    if (path === "/later") {
      const r = await env.BACKEND.fetch("http://b/");
      await new Promise((resolve) => setTimeout(resolve, 20));
      return new Response(await r.text());
    }
    return new Response("?");
  },
};
"""

BACKEND_JS = r"""
export default {
  async fetch() {
    const { readable, writable } = new TransformStream();
    const w = writable.getWriter();
    w.write(new TextEncoder().encode("streamed answer"));
    w.close();
    return new Response(readable);
  },
};
"""

CONFIG = """
using Workerd = import "/workerd/workerd.capnp";
const config :Workerd.Config = (
  services = [
    (name = "main", worker = (modules = [(name = "front.js", esModule = embed "front.js")], compatibilityDate = "2024-10-01",
                              bindings = [(name = "BACKEND", service = "backend")])),
    (name = "backend", worker = (modules = [(name = "back.js", esModule = embed "back.js")], compatibilityDate = "2024-10-01")),
  ],
  sockets = [(name = "http", address = "*:8080", http = (), service = "main")]
);
"""


def _run(tmp_path, scenario):
    (tmp_path / "front.js").write_text(FRONT_JS)
    (tmp_path / "back.js").write_text(BACKEND_JS)
    (tmp_path / "config.capnp").write_text(CONFIG)

    async def main():
        app = App(load_plan(str(tmp_path / "config.capnp")))
        assert not app.start_workers()
        try:
            return await scenario(app, app.services["main"])
        finally:
            await app.close()
    return asyncio.run(main())


async def _call(svc, path, body=None):
    req = HttpRequest("POST" if body is not None else "GET", "http://example.com" + path, [("host", "example.com")],
                      None if body is None else Body.from_bytes(body), "127.0.0.1", None)
    r = svc.handle(req)
    if not isinstance(r, HttpResponse):
        r = await r
    data = r.body
    if data is not None and not isinstance(data, (bytes, bytearray)):
        data = b"".join([bytes(c) async for c in data])
    return r.status, data


def test_unread_bodies_are_dropped(tmp_path):
    async def scenario(app, front):
        for _ in range(50):
            assert await _call(front, "/ignore-body", b"x" * 100) == (200, b"did not read it")
            assert await _call(front, "/ignore-answer") == (200, b"ignored")
        await asyncio.sleep(0.05)
        front.isolate.run_jobs()
        return len(front._bodies)
    assert _run(tmp_path, scenario) == 0


def test_bodies_still_in_use_keep_working(tmp_path):
    async def scenario(app, front):
        big = bytes(range(256)) * 4096
        assert await _call(front, "/echo", big) == (200, big)
        assert await _call(front, "/later") == (200, b"streamed answer")
        return len(front._bodies)
    assert _run(tmp_path, scenario) == 0
