"""End-to-end: `workerd serve` over real sockets, compared with the real workerd where available."""
from __future__ import annotations

import hashlib
import http.client
import json
import os
import signal
import socket
import subprocess
import threading
import time

import pytest

from support import ours_and_real, stop_process, ROOT, Server, free_port, our_workerd, raw_request, real_workerd, wait_port, write_config

ECHO_JS = r"""
export default {
  async fetch(request, env, ctx) {
    const url = new URL(request.url);
    if (url.pathname === "/binary") {
      const buf = await request.arrayBuffer();
      return new Response(buf, { headers: { "content-type": "application/octet-stream" } });
    }
    if (url.pathname === "/throw") throw new Error("boom from worker");
    if (url.pathname === "/reject") return Promise.reject(new TypeError("rejected"));
    if (url.pathname === "/notresponse") return "just a string";
    if (url.pathname.startsWith("/status/")) {
      const status = Number(url.pathname.slice(8));
      const nullBody = [204, 205, 304].includes(status);
      return new Response(nullBody ? null : `status ${status}`, { status, headers: { "x-status": String(status) } });
    }
    if (url.pathname === "/redirect") return Response.redirect("https://example.com/target", 301);
    if (url.pathname === "/json") return Response.json({ a: 1, b: [true, null] });
    if (url.pathname === "/headers") {
      const h = new Headers({ "X-B": "2", "x-a": "1" });
      h.append("Set-Cookie", "a=1");
      h.append("Set-Cookie", "b=2");
      h.append("x-a", "3");
      return new Response(JSON.stringify([...h]), { headers: h });
    }
    const body = await request.text();
    const headers = [...request.headers].filter(([k]) => k.startsWith("x-") || k === "content-type");
    return new Response(JSON.stringify({ method: request.method, url: request.url, headers, body }), {
      headers: { "content-type": "application/json" },
    });
  },
};
"""

SPIN_JS = r"""
export default {
  async fetch(request) {
    if (new URL(request.url).pathname === "/spin") { while (true) {} }
    return new Response("fine");
  },
};
"""

SLOW_JS = r"""
export default {
  async fetch(request) {
    await new Promise((r) => setTimeout(r, 300));
    return new Response("slow done");
  },
};
"""


def config(ports: dict) -> str:
    return f"""
using Workerd = import "/workerd/workerd.capnp";
const config :Workerd.Config = (
  services = [
    (name = "echo", worker = (modules = [(name = "echo.js", esModule = embed "echo.js")], compatibilityDate = "2024-10-01")),
    (name = "spin", worker = (modules = [(name = "spin.js", esModule = embed "spin.js")], compatibilityDate = "2024-10-01")),
    (name = "slow", worker = (modules = [(name = "slow.js", esModule = embed "slow.js")], compatibilityDate = "2024-10-01")),
    (name = "sw", worker = (serviceWorkerScript = embed "sw.js", compatibilityDate = "2024-10-01")),
  ],
  sockets = [
    (name = "http", address = "127.0.0.1:{ports['echo']}", http = (), service = "echo"),
    (name = "spin", address = "127.0.0.1:{ports['spin']}", http = (), service = "spin"),
    (name = "slow", address = "127.0.0.1:{ports['slow']}", http = (), service = "slow"),
    (name = "sw", address = "127.0.0.1:{ports['sw']}", http = (), service = "sw"),
  ]
);
"""


FILES = {"echo.js": ECHO_JS, "spin.js": SPIN_JS, "slow.js": SLOW_JS,
         "sw.js": 'addEventListener("fetch", (e) => e.respondWith(new Response("Hello World\\n")));\n'}


class Running:
    def __init__(self, cmd, tmp_path, extra=()):
        self.ports = {k: free_port() for k in ("echo", "spin", "slow", "sw")}
        cfg = write_config(tmp_path, config(self.ports), FILES)
        self.proc = subprocess.Popen(cmd + ["serve", cfg, *extra], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                     text=True)
        for p in self.ports.values():
            wait_port(p, self.proc)

    def stop(self):
        return stop_process(self.proc)


ours, real = ours_and_real(Running)


def request(port, method="GET", path="/", headers=None, body=None, host="example.com"):
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    h = {"Host": host}
    h.update(headers or {})
    c.request(method, path, body=body, headers=h)
    r = c.getresponse()
    data = r.read()
    out = (r.status, {k.lower(): v for k, v in r.getheaders()}, data)
    c.close()
    return out


CASES = [
    ("GET", "/hello?x=1", {"X-Test": "yes"}, None),
    ("POST", "/post", {"Content-Type": "text/plain", "X-Two": "a"}, b"hello body"),
    ("PUT", "/put", {}, "ünïcödé".encode()),
    ("GET", "/throw", {}, None),
    ("GET", "/reject", {}, None),
    ("GET", "/notresponse", {}, None),
    ("GET", "/status/201", {}, None),
    ("GET", "/status/204", {}, None),
    ("GET", "/status/404", {}, None),
    ("GET", "/status/503", {}, None),
    ("GET", "/redirect", {}, None),
    ("GET", "/json", {}, None),
    ("GET", "/headers", {}, None),
    ("HEAD", "/status/200", {}, None),
    ("DELETE", "/x", {"X-A": "1"}, None),
    ("PATCH", "/p", {}, b"patch"),
]


@pytest.mark.parametrize("method,path,headers,body", CASES, ids=[f"{m} {p}" for m, p, _, _ in CASES])
def test_echo_cases(ours, method, path, headers, body):
    status, h, data = request(ours.ports["echo"], method, path, headers, body)
    if path in ("/throw", "/reject", "/notresponse"):
        assert status == 500 and data == b"Internal Server Error" and "content-type" not in h
        return
    if path.startswith("/status/"):
        code = int(path[8:])
        assert status == code
        if method == "HEAD" or code == 204:
            assert data == b""
        else:
            assert data == f"status {code}".encode()
        return
    if path == "/redirect":
        assert status == 301 and h["location"] == "https://example.com/target"
        return
    if path == "/json":
        assert json.loads(data) == {"a": 1, "b": [True, None]} and h["content-type"] == "application/json"
        return
    if path == "/headers":
        assert json.loads(data) == [["set-cookie", "a=1"], ["set-cookie", "b=2"], ["x-a", "1, 3"], ["x-b", "2"]]
        return
    j = json.loads(data)
    assert j["method"] == method
    assert j["url"] == "http://example.com" + path
    assert j["body"] == (body or b"").decode()
    for k, v in headers.items():
        assert [k.lower(), v] in j["headers"]


@pytest.mark.parametrize("method,path,headers,body", CASES, ids=[f"{m} {p}" for m, p, _, _ in CASES])
def test_same_as_real_workerd(ours, real, method, path, headers, body):
    a = request(ours.ports["echo"], method, path, headers, body)
    b = request(real.ports["echo"], method, path, headers, body)
    assert a[0] == b[0]
    assert a[2] == b[2]
    for k in ("content-type", "location", "x-status"):
        assert a[1].get(k) == b[1].get(k), k


def test_hello_world_both_syntaxes(ours):
    assert request(ours.ports["sw"])[2] == b"Hello World\n"
    assert request(ours.ports["sw"])[1]["content-type"] == "text/plain;charset=UTF-8"


def test_binary_and_large_bodies(ours):
    blob = bytes(range(256)) * 4096  # 1 MiB with NULs
    status, h, data = request(ours.ports["echo"], "POST", "/binary", {"Content-Type": "application/octet-stream"}, blob)
    assert status == 200 and hashlib.sha256(data).digest() == hashlib.sha256(blob).digest()


def test_chunked_request_body(ours):
    port = ours.ports["echo"]
    req = (b"POST /chunked HTTP/1.1\r\nHost: example.com\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n"
           b"5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n")
    resp = raw_request(port, req)
    assert resp.startswith(b"HTTP/1.1 200")
    body = resp.split(b"\r\n\r\n", 1)[1]
    assert b'"body":"hello world"' in body


def test_keepalive_and_pipelining(ours):
    port = ours.ports["echo"]
    reqs = b"".join(f"GET /p{i} HTTP/1.1\r\nHost: example.com\r\n\r\n".encode() for i in range(5))
    reqs += b"GET /last HTTP/1.1\r\nHost: example.com\r\nConnection: close\r\n\r\n"
    resp = raw_request(port, reqs)
    assert resp.count(b"HTTP/1.1 200") == 6
    order = [resp.find(f"/p{i}".encode()) for i in range(5)] + [resp.find(b"/last")]
    assert order == sorted(order) and -1 not in order


def test_malformed_request(ours):
    resp = raw_request(ours.ports["echo"], b"THIS IS NOT HTTP\r\n\r\n")
    assert resp.startswith(b"HTTP/1.1 400")


def test_stuck_worker_does_not_stall_others(ours):
    result = {}

    def spin():
        result["spin"] = request(ours.ports["spin"], path="/spin")

    t = threading.Thread(target=spin)
    t.start()
    time.sleep(0.02)
    t0 = time.monotonic()
    other = request(ours.ports["echo"], path="/while-spinning")
    elapsed = time.monotonic() - t0
    t.join(10)
    assert other[0] == 200
    assert elapsed < 0.1 + 0.15  # within 100 ms of the slice, plus scheduling slack on a shared machine
    assert result["spin"][0] == 500
    # the spinning worker's isolate is still usable afterwards
    assert request(ours.ports["spin"], path="/ok")[2] == b"fine"


def test_sigterm_finishes_in_flight(tmp_path):
    r = Running(our_workerd(), tmp_path)
    results = []

    def slow():
        try:
            results.append(request(r.ports["slow"])[2])
        except Exception as e:  # noqa: BLE001
            results.append(e)

    threads = [threading.Thread(target=slow) for _ in range(50)]
    for t in threads:
        t.start()
    time.sleep(0.15)
    r.proc.send_signal(signal.SIGTERM)
    for t in threads:
        t.join(20)
    r.proc.wait(20)
    assert r.proc.returncode == 0
    assert results.count(b"slow done") == 50, results[:3]


def test_default_config_serves_hello(tmp_path):
    port = free_port()
    proc = subprocess.Popen(our_workerd() + ["serve", "--default", "-s", f"http=127.0.0.1:{port}"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        wait_port(port, proc)
        assert request(port)[2] == b"Hello World\n"
    finally:
        proc.terminate()
        proc.wait(10)
    assert proc.returncode == 0


def test_utf8_header_values_same_as_real_workerd(ours, real):
    headers = {"X-Utf8": "ünï €".encode()}
    a = request(ours.ports["echo"], "GET", "/hdr", headers)
    b = request(real.ports["echo"], "GET", "/hdr", headers)
    assert a[0] == b[0] == 200
    assert json.loads(a[2])["headers"] == json.loads(b[2])["headers"]
    assert ["x-utf8", "ünï €"] in json.loads(a[2])["headers"]
