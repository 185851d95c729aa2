"""WebSockets leave nothing behind: after clean closes, abrupt disconnects and service-binding
hops, no endpoint is left in the workers (Python `_ws_eps`, JS `internal.wsCount()`).
In process: the config is loaded and served on an ephemeral port by this test's own loop."""
from __future__ import annotations

import asyncio

import aiohttp
import uvloop

from support import write_config

from workerd_py.config import load_plan
from workerd_py.server.app import App
from workerd_py.server.sockets import SocketOptions, start_server

MAIN_JS = r"""
export default {
  async fetch(request) {
    const [client, server] = Object.values(new WebSocketPair());
    server.accept();
    server.addEventListener("message", (e) => server.send("echo " + e.data));
    server.addEventListener("close", (e) => { if (e.code !== 1006) server.close(1000, "ok"); });
    return new Response(null, { status: 101, webSocket: client });
  },
};
"""
FRONT_JS = r"""
export default {
  async fetch(request, env) {
    if (new URL(request.url).pathname === "/tap") {
      const up = (await env.BACKEND.fetch(request)).webSocket;
      up.accept();
      const [client, server] = Object.values(new WebSocketPair());
      server.accept();
      server.addEventListener("message", (e) => up.send(e.data));
      up.addEventListener("message", (e) => server.send(e.data));
      server.addEventListener("close", (e) => up.close(e.code === 1006 ? 1001 : e.code, e.reason));
      up.addEventListener("close", (e) => { if (e.code !== 1006) server.close(e.code, e.reason); });
      return new Response(null, { status: 101, webSocket: client });
    }
    return env.BACKEND.fetch(request);
  },
};
"""
CONFIG = """
using Workerd = import "/workerd/workerd.capnp";
const config :Workerd.Config = (
  services = [
    (name = "main", worker = (modules = [(name = "main.js", esModule = embed "main.js")],
                              compatibilityDate = "2024-10-01")),
    (name = "front", worker = (modules = [(name = "front.js", esModule = embed "front.js")],
                               compatibilityDate = "2024-10-01",
                               bindings = [(name = "BACKEND", service = "main")])),
  ],
  sockets = [(name = "http", address = "127.0.0.1:0", http = (), service = "main")]
);
"""


def _leftovers(app):
    out = {}
    for name, w in app.workers.items():
        js = w.isolate.enter(None, w.internal.get("wsCount").call) if w.internal.get("wsCount") is not None else 0
        out[name] = (len(w._ws_eps or {}), js)
    return out


def test_no_leftovers(tmp_path):
    cfg = write_config(tmp_path, CONFIG, {"main.js": MAIN_JS, "front.js": FRONT_JS})

    async def main():
        app = App(load_plan(cfg))
        assert app.start_workers() == []
        main_l = await start_server(SocketOptions("a", "127.0.0.1:0"), app.services["main"])
        front_l = await start_server(SocketOptions("b", "127.0.0.1:0"), app.services["front"])
        try:
            async with aiohttp.ClientSession() as sess:
                for port, path in ((main_l.port, "/"), (front_l.port, "/"), (front_l.port, "/tap")):
                    url = f"http://127.0.0.1:{port}{path}"
                    for i in range(10):
                        ws = await sess.ws_connect(url)
                        await ws.send_str("x")
                        assert (await ws.receive()).data == "echo x"
                        if i % 2:
                            await ws.close()          # clean close handshake
                        else:
                            ws._response.connection.transport.abort()   # gone
                            await ws.close()
            for _ in range(200):
                left = _leftovers(app)
                if all(v == (0, 0) for v in left.values()):
                    break
                await asyncio.sleep(0.02)
            assert left == {"main": (0, 0), "front": (0, 0)}
        finally:
            main_l.close()
            front_l.close()
            main_l.site.abort_all()
            front_l.site.abort_all()
            await app.close()

    uvloop.run(asyncio.wait_for(main(), 60))
