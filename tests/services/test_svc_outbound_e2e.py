"""Outbound policy end to end: a worker's fetch() through the default "internet" service and through
a network service binding, served by `workerd serve` (ours; and the real workerd when available).

The default globalOutbound must refuse 127.0.0.0/8, 10.0.0.0/8, 169.254.0.0/16, ::1 and names that
resolve to them; `allow = ["private", "local"]` must reach a loopback server. Our worker sees the
reason in the error message; the real workerd only says "internal error" (FACTS.md)."""
from __future__ import annotations

import http.client
import urllib.parse

import pytest

from support import Server, our_workerd, real_workerd

pytestmark = pytest.mark.timeout(180)

WORKER = r"""
export default {
  async fetch(request, env) {
    const u = new URL(request.url);
    const target = u.searchParams.get("t");
    try {
      const r = await (u.pathname === "/bound" ? env.NET.fetch(target) : fetch(target));
      return new Response(`ok ${r.status} ${await r.text()}`);
    } catch (e) {
      return new Response(`err ${e.message}`);
    }
  }
};
"""

CONFIG = """using Workerd = import "/workerd/workerd.capnp";
const config :Workerd.Config = (
  services = [
    (name = "main", worker = (modules = [(name = "w.js", esModule = embed "w.js")],
       compatibilityDate = "2024-09-01", bindings = [(name = "NET", service = "loopnet")])),
    (name = "loopnet", network = (allow = ["private", "local"], deny = ["127.0.0.2/32"])),
    (name = "files", disk = (path = "%s")),
  ],
  sockets = [(name = "http", service = "main", http = ()), (name = "files", service = "files", http = ())],
);
"""


def ask(port, path, target):
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        c.request("GET", path + "?t=" + urllib.parse.quote(target, safe=""))
        return c.getresponse().read().decode()
    finally:
        c.close()


@pytest.fixture
def setup(tmp_path):
    root = tmp_path / "files"
    root.mkdir()
    (root / "hello.txt").write_text("hello from loopback")
    (tmp_path / "w.js").write_text(WORKER)
    cfg = tmp_path / "config.capnp"
    cfg.write_text(CONFIG % root)
    return str(cfg)


def start(cmd, cfg):
    from support import free_port
    files_port = free_port()
    return Server(cmd, cfg, extra=["-s", f"files=127.0.0.1:{files_port}"]), files_port


REFUSED = ["http://127.0.0.1:{p}/hello.txt", "http://127.1.2.3:{p}/", "http://10.0.0.1:{p}/",
           "http://169.254.169.254/latest/meta-data/", "http://[::1]:{p}/", "http://localhost:{p}/hello.txt",
           "http://[::ffff:127.0.0.1]:{p}/", "http://0.0.0.0:{p}/"]


def test_default_outbound_refuses_and_binding_opens(setup):
    srv, fp = start(our_workerd(), setup)
    try:
        for t in REFUSED:
            target = t.format(p=fp)
            out = ask(srv.port, "/", target)
            assert out.startswith("err connecting to "), (target, out)
            assert "is not allowed by this service's network policy" in out, out
            assert 'service "internet": allow = ["public"]' in out
        out = ask(srv.port, "/bound", f"http://127.0.0.1:{fp}/hello.txt")
        assert out == "ok 200 hello from loopback"
        out = ask(srv.port, "/bound", f"http://localhost:{fp}/hello.txt")
        assert out == "ok 200 hello from loopback"
        # the binding's deny names 127.0.0.2 exactly
        out = ask(srv.port, "/bound", f"http://127.0.0.2:{fp}/hello.txt")
        assert out.startswith("err connecting to 127.0.0.2") and 'deny = ["127.0.0.2/32"]' in out
    finally:
        _, err = srv.stop()
    assert "is not allowed" in err      # refusals are logged


def test_real_workerd_agrees_on_what_is_refused(setup):
    real = real_workerd()
    if not real:
        pytest.skip("the real workerd is not available")
    theirs, tp = start([real], setup)
    ours, op = start(our_workerd(), setup)
    with theirs, ours:
        for t in REFUSED:
            a = ask(theirs.port, "/", t.format(p=tp))
            b = ask(ours.port, "/", t.format(p=op))
            assert a.startswith("err ") and b.startswith("err "), (t, a, b)
        for t in ("http://127.0.0.1:{p}/hello.txt", "http://localhost:{p}/hello.txt"):
            a = ask(theirs.port, "/bound", t.format(p=tp))
            b = ask(ours.port, "/bound", t.format(p=op))
            assert a == b == "ok 200 hello from loopback"
        a = ask(theirs.port, "/bound", f"http://127.0.0.2:{tp}/hello.txt")
        b = ask(ours.port, "/bound", f"http://127.0.0.2:{op}/hello.txt")
        assert a.startswith("err ") and b.startswith("err ")
