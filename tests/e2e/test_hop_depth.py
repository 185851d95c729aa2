"""Workers calling each other recursively through service bindings: deep chains work (workerd has
no depth limit here; 3,000 levels answer), since hops deeper than MAX_SYNC_HOPS start from the
event loop instead of nesting on the C stack. And an entry nested in a running entry of the same
isolate leaves the outer one interruptible."""
from __future__ import annotations


import pytest

from support import Server, http_request, our_workerd, write_config

A_JS = r"""
export default {
  async fetch(request, env) {
    const u = new URL(request.url);
    const n = Number(u.searchParams.get("n") || 0), max = Number(u.searchParams.get("max"));
    if (u.searchParams.has("spin") && n === max) { const t = Date.now(); while (Date.now() - t < 5000) {} }
    if (n >= max) return new Response(`bottom ${n}`);
    const r = await env.NEXT.fetch(`http://x/?n=${n + 1}&max=${max}${u.searchParams.has("spin") ? "&spin" : ""}`);
    return new Response(await r.text(), { status: r.status });
  },
};
"""


def config():
    return f"""
using Workerd = import "/workerd/workerd.capnp";
const config :Workerd.Config = (
  services = [
    (name = "a", worker = (modules = [(name = "a.js", esModule = embed "a.js")], compatibilityDate = "2024-10-01",
                           bindings = [(name = "NEXT", service = "b")])),
    (name = "b", worker = (modules = [(name = "a.js", esModule = embed "a.js")], compatibilityDate = "2024-10-01",
                           bindings = [(name = "NEXT", service = "a")])),
  ],
  sockets = [(name = "http", address = "*:8080", http = (), service = "a")]
);
"""


class Run(Server):
    def __init__(self, cmd, tmp, extra=()):
        super().__init__(cmd, write_config(tmp, config(), {"a.js": A_JS}), extra=extra)

    def get(self, path, timeout=60):
        status, _headers, body = http_request(self.port, path, timeout=timeout)
        return status, body


@pytest.mark.parametrize("depth", [1, 15, 16, 17, 100, 3000])
def test_deep_recursion_between_workers(tmp_path_factory, depth):
    r = Run(our_workerd(), tmp_path_factory.mktemp("d"))
    try:
        assert r.get(f"/?max={depth}") == (200, f"bottom {depth}".encode())
    finally:
        _out, err = r.stop()
    assert "Traceback" not in err and "Maximum call stack" not in err, err


def test_same_as_real_workerd(tmp_path, real_workerd_bin):
    path = real_workerd_bin
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    ours, real = Run(our_workerd(), tmp_path / "a"), Run([path], tmp_path / "b")
    try:
        for depth in (3, 40, 1000):
            assert ours.get(f"/?max={depth}") == real.get(f"/?max={depth}")
    finally:
        ours.stop()
        real.stop()


def test_cpu_limit_holds_at_the_bottom_of_a_chain(tmp_path):
    # the innermost worker spins: its own CPU limit stops it, every level above stays interruptible
    r = Run(our_workerd(), tmp_path, ["--cpu-limit-ms", "300"])
    try:
        status, _body = r.get("/?max=5&spin", timeout=30)
        assert status == 500
    finally:
        _out, err = r.stop()
    assert "exceeded CPU time limit" in err and "Traceback" not in err, err
