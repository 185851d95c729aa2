"""A worker that fails behind a service binding, ours vs the real workerd:

- its exception reaches the caller: `await env.X.fetch()` throws it there (a TypeError stays a
  TypeError, other names are folded into the message, `remote` is true), also for an error in the
  middle of its response body;
- after ctx.passThroughOnException() it answers with its own origin's response (its globalOutbound),
  directly and behind a binding.
"""
from __future__ import annotations

import http.server
import threading

import pytest

from support import Server, http_request, our_workerd, real_workerd, write_config

MAIN_JS = r"""
export default {
  async fetch(request, env, ctx) {
    const url = new URL(request.url);
    if (url.pathname === "/direct") { ctx.passThroughOnException(); throw new Error("main failed"); }
    if (url.pathname === "/direct-async") { ctx.passThroughOnException(); await null; throw new Error("main failed later"); }
    if (url.pathname === "/no-pass") throw new Error("main failed, no pass-through");
    if (url.pathname.startsWith("/catch/")) {
      try {
        const r = await env.BACKEND.fetch("http://backend/" + url.pathname.slice(7));
        return new Response(`ok ${r.status} ${await r.text()}`);
      } catch (e) {
        return new Response(`caught ${e.name}|${e.message}|${e.remote}|${Object.keys(e)}|${e instanceof Error}|${e.constructor.name}`);
      }
    }
    if (url.pathname.startsWith("/hop")) {
      const r = await env.BACKEND.fetch(request);
      return new Response(`via main: ${r.status} ${await r.text()}`, { status: r.status });
    }
    return new Response("main ok");
  },
};
"""

BACKEND_JS = r"""
export default {
  async fetch(request, env, ctx) {
    const url = new URL(request.url);
    if (url.pathname === "/hop-throw") { ctx.passThroughOnException(); throw new Error("backend failed"); }
    if (url.pathname === "/hop-throw-async") { ctx.passThroughOnException(); await new Promise((r) => setTimeout(r, 5)); throw new Error("backend failed later"); }
    if (url.pathname === "/hop-no-pass") throw new Error("backend failed, no pass-through");
    if (url.pathname === "/sync") throw new TypeError("backend sync");
    if (url.pathname === "/async") { await new Promise((r) => setTimeout(r, 5)); throw new RangeError("backend async"); }
    if (url.pathname === "/str") throw "a string";
    if (url.pathname === "/notresp") return "hello";
    if (url.pathname === "/custom") { class MyErr extends Error { constructor(m) { super(m); this.name = "MyErr"; } }; throw new MyErr("custom"); }
    if (url.pathname === "/stream-error") {
      const { readable, writable } = new TransformStream();
      const w = writable.getWriter();
      w.write(new TextEncoder().encode("part"));
      setTimeout(() => w.abort(new Error("mid-stream")), 5);
      return new Response(readable);
    }
    return new Response("backend ok");
  },
};
"""


class _Origin(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        body = f"origin saw {self.command} {self.path}".encode()
        self.send_response(200)
        self.send_header("content-length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *a):
        pass


@pytest.fixture(scope="module")
def origin():
    srv = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Origin)
    t = threading.Thread(target=srv.serve_forever, daemon=True)
    t.start()
    yield srv.server_address[1]
    srv.shutdown()
    srv.server_close()


def config(origin_port):
    return f"""
using Workerd = import "/workerd/workerd.capnp";
const config :Workerd.Config = (
  services = [
    (name = "main", worker = (
      modules = [(name = "main.js", esModule = embed "main.js")],
      compatibilityDate = "2024-10-01",
      globalOutbound = "origin",
      bindings = [(name = "BACKEND", service = "backend")])),
    (name = "backend", worker = (
      modules = [(name = "backend.js", esModule = embed "backend.js")],
      compatibilityDate = "2024-10-01",
      globalOutbound = "origin")),
    (name = "origin", external = (address = "127.0.0.1:{origin_port}", http = ())),
  ],
  sockets = [(name = "http", address = "*:8080", http = (), service = "main")]
);
"""


class Run(Server):
    def __init__(self, cmd, tmp, origin_port):
        super().__init__(cmd, write_config(tmp, config(origin_port), {"main.js": MAIN_JS, "backend.js": BACKEND_JS}))

    def get(self, path):
        status, _headers, body = http_request(self.port, path)
        return status, body


@pytest.fixture(scope="module")
def ours(origin, tmp_path_factory):
    r = Run(our_workerd(), tmp_path_factory.mktemp("ours"), origin)
    yield r
    out, err = r.stop()
    assert "Traceback" not in err


@pytest.fixture(scope="module")
def real(origin, tmp_path_factory):
    path = real_workerd()
    if path is None:
        pytest.skip("the real workerd is not installable here (npm unreachable)")
    r = Run([path], tmp_path_factory.mktemp("real"), origin)
    yield r
    r.stop()


def test_direct_pass_through(ours):
    assert ours.get("/direct") == (200, b"origin saw GET /direct")
    assert ours.get("/direct-async") == (200, b"origin saw GET /direct-async")
    assert ours.get("/no-pass") == (500, b"Internal Server Error")


def test_pass_through_behind_a_binding(ours):
    # the backend's own globalOutbound answers for it; the caller sees that answer
    assert ours.get("/hop-throw") == (200, b"via main: 200 origin saw GET /hop-throw")
    assert ours.get("/hop-throw-async") == (200, b"via main: 200 origin saw GET /hop-throw-async")
    # without it, the backend's exception is the caller's: uncaught there, the caller answers 500
    assert ours.get("/hop-no-pass") == (500, b"Internal Server Error")
    assert ours.get("/hop-ok") == (200, b"via main: 200 backend ok")


def test_exception_reaches_the_caller(ours):
    assert ours.get("/catch/sync") == (200, b"caught TypeError|backend sync|true|remote|true|TypeError")
    assert ours.get("/catch/async") == (200, b"caught RangeError|backend async|true|remote|true|RangeError")
    assert ours.get("/catch/custom") == (200, b"caught Error|MyErr: custom|true|remote|true|Error")
    assert ours.get("/catch/stream-error") == (200, b"caught Error|mid-stream|true|remote|true|Error")
    assert ours.get("/catch/ok") == (200, b"ok 200 backend ok")


@pytest.mark.parametrize("path", ["/catch/sync", "/catch/async", "/catch/str", "/catch/notresp", "/catch/custom",
                                  "/catch/stream-error", "/catch/ok", "/direct", "/direct-async", "/no-pass", "/hop-throw", "/hop-throw-async",
                                  "/hop-no-pass", "/hop-ok", "/ok"])
def test_same_as_real_workerd(ours, real, path):
    assert ours.get(path) == real.get(path)


def test_uncaught_exception_is_logged_once(origin, tmp_path):
    r = Run(our_workerd(), tmp_path, origin)
    try:
        assert r.get("/no-pass")[0] == 500
        assert r.get("/hop-no-pass")[0] == 500
    finally:
        _out, err = r.stop()
    assert err.count("main failed, no pass-through") == 1, err
    # the backend's exception is the caller's: logged once, by the caller that did not catch it
    assert err.count("backend failed, no pass-through") == 1, err
    assert "Uncaught (in promise)" not in err, err
