"""What a caller sees of its target's Response through a service binding (status, statusText,
headers, url, redirected, body; a HEAD request; a stream of known length): ours vs the real workerd."""
from __future__ import annotations

import json

from support import Server, http_request, our_workerd, write_config

MAIN_JS = r"""export default {
  async fetch(request, env) {
    if (new URL(request.url).pathname === "/pass-len") return env.B.fetch("http://b.example/stream-len");
    const out = [];
    for (const p of ["/str", "/bytes", "/stream", "/stream-len", "/empty", "/204", "/custom", "/json", "/redirect", "/post"]) {
      const init = p === "/post" ? { method: "POST", body: "abc" } : undefined;
      const r = await env.B.fetch("http://b.example" + p + "?q=1", init);
      out.push([p, r.status, r.statusText, [...r.headers], r.url, r.redirected, await r.text()]);
    }
    const h = await env.B.fetch("http://b.example/str", { method: "HEAD" });
    out.push(["HEAD", h.status, [...h.headers], await h.text()]);
    return Response.json(out);
  },
};"""

B_JS = r"""export default {
  async fetch(request) {
    const u = new URL(request.url);
    switch (u.pathname) {
      case "/str": return new Response("hello");
      case "/bytes": return new Response(new Uint8Array([1, 2, 3]));
      case "/stream": { const { readable, writable } = new TransformStream(); const w = writable.getWriter(); w.write(new TextEncoder().encode("ab")); w.close(); return new Response(readable); }
      case "/stream-len": { const { readable, writable } = new FixedLengthStream(2); const w = writable.getWriter(); w.write(new TextEncoder().encode("ab")); w.close(); return new Response(readable); }
      case "/empty": return new Response(null);
      case "/204": return new Response(null, { status: 204 });
      case "/custom": return new Response("x", { status: 299, statusText: "Fine", headers: { "x-a": "1", "set-cookie": "a=1" } });
      case "/json": return Response.json({ a: 1 });
      case "/redirect": return Response.redirect("http://b.example/str", 302);
      case "/post": return new Response(`${request.method} ${request.headers.get("content-length")} ${request.headers.get("content-type")} ${await request.text()}`);
    }
    return new Response("?", { status: 404 });
  },
};"""

CONFIG = """
using Workerd = import "/workerd/workerd.capnp";
const config :Workerd.Config = (
  services = [
    (name = "main", worker = (modules = [(name = "main.js", esModule = embed "main.js")], compatibilityDate = "2024-10-01",
                              bindings = [(name = "B", service = "b")])),
    (name = "b", worker = (modules = [(name = "b.js", esModule = embed "b.js")], compatibilityDate = "2024-10-01")),
  ],
  sockets = [(name = "http", address = "*:8080", http = (), service = "main")]
);
"""


def report(cmd, tmp):
    with Server(cmd, write_config(tmp, CONFIG, {"main.js": MAIN_JS, "b.js": B_JS})) as srv:
        status, _headers, body = http_request(srv.port)
        assert status == 200, body
        return json.loads(body)


def test_response_through_a_binding(tmp_path):
    got = {row[0]: row[1:] for row in report(our_workerd(), tmp_path)}
    assert got["/str"] == [200, "OK", [["content-type", "text/plain;charset=UTF-8"]], "http://b.example/str?q=1", False, "hello"]
    assert got["/stream-len"][2] == []  # no content-length header appears on the caller's side
    assert got["/custom"][:3] == [299, "Fine", [["content-type", "text/plain;charset=UTF-8"], ["set-cookie", "a=1"], ["x-a", "1"]]]
    assert got["/redirect"][3:] == ["http://b.example/str", True, "hello"]
    assert got["/post"][-1] == "POST 3 text/plain;charset=UTF-8 abc"
    assert got["HEAD"] == [200, [["content-type", "text/plain;charset=UTF-8"]], ""]


def passed_through(cmd, tmp):
    with Server(cmd, write_config(tmp, CONFIG, {"main.js": MAIN_JS, "b.js": B_JS})) as srv:
        status, headers, body = http_request(srv.port, "/pass-len")
        return status, headers.get("content-length"), headers.get("transfer-encoding"), body


def test_known_length_passed_through_to_the_client(tmp_path):
    # the caller does not see a content-length, but the client gets one (not chunked), as in workerd
    assert passed_through(our_workerd(), tmp_path) == (200, "2", None, b"ab")


def test_same_as_real_workerd(tmp_path, real_workerd_bin):
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    assert report(our_workerd(), tmp_path / "a") == report([real_workerd_bin], tmp_path / "b")
    assert passed_through(our_workerd(), tmp_path / "a") == passed_through([real_workerd_bin], tmp_path / "b")
