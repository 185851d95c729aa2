"""The proxy and static-file samples, end to end over real sockets."""
from __future__ import annotations

import http.client
import http.server
import os
import shutil
import subprocess
import threading

import pytest

from support import ROOT, free_port, our_workerd, wait_port


class Origin(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        body = f"origin server saw {self.command} {self.path} host={self.headers.get('host')} xfh={self.headers.get('x-forwarded-host')}".encode()
        self.send_response(200)
        self.send_header("content-type", "text/plain")
        self.send_header("content-length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_POST(self):
        n = int(self.headers.get("content-length", 0))
        data = self.rfile.read(n)
        self.send_response(201)
        self.send_header("content-type", "application/octet-stream")
        self.send_header("content-length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *a):
        pass


@pytest.fixture(scope="module")
def origin():
    srv = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Origin)
    t = threading.Thread(target=srv.serve_forever, daemon=True)
    t.start()
    yield srv.server_address[1]
    srv.shutdown()


def serve(sample, *extra, cwd=None):
    port = free_port()
    cfg = os.path.join(ROOT, "samples", sample, "config.capnp")
    proc = subprocess.Popen(our_workerd() + ["serve", cfg, "-s", f"http=127.0.0.1:{port}", *extra],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=cwd)
    wait_port(port, proc)
    return port, proc


def stop(proc):
    proc.terminate()
    try:
        proc.wait(10)
    except subprocess.TimeoutExpired:
        proc.kill()


def test_reverse_proxy(origin):
    port, proc = serve("reverse-proxy", "-e", f"origin=127.0.0.1:{origin}")
    try:
        c = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        c.request("GET", "/app/page?q=1", headers={"Host": "site.example"})
        r = c.getresponse()
        body = r.read().decode()
        assert r.status == 200 and r.getheader("x-proxied-by") == "workerd-py"
        assert body.startswith("proxied server saw GET /page?q=1") and "xfh=site.example" in body
        c.request("POST", "/app/upload", body=b"\x00\x01binary", headers={"Host": "site.example"})
        r = c.getresponse()
        assert r.status == 201 and r.read() == b"\x00\x01binary"
        c.request("GET", "/other")
        assert c.getresponse().status == 404
    finally:
        stop(proc)


def test_forward_proxy_with_curl(origin):
    if shutil.which("curl") is None:
        pytest.skip("curl is not installed")
    port, proc = serve("forward-proxy")
    try:
        out = subprocess.run(["curl", "-s", "-i", "-x", f"http://127.0.0.1:{port}", f"http://127.0.0.1:{origin}/via-proxy"],
                             capture_output=True, text=True, timeout=20).stdout
        assert out.startswith("HTTP/1.1 200") and "via: 1.1 workerd-py" in out.lower()
        assert f"origin server saw GET /via-proxy host=127.0.0.1:{origin}" in out
        out = subprocess.run(["curl", "-s", "-i", "-x", f"http://127.0.0.1:{port}", "http://blocked.example/"],
                             capture_output=True, text=True, timeout=20).stdout
        assert out.startswith("HTTP/1.1 403") and "blocked by policy" in out
    finally:
        stop(proc)


def test_static_files(tmp_path):
    port, proc = serve("static-files-from-disk", cwd=os.path.join(ROOT, "samples", "static-files-from-disk"))
    try:
        c = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        c.request("GET", "/")
        r = c.getresponse()
        assert r.status == 200 and r.getheader("content-type") == "text/html;charset=UTF-8"
        assert b"Served from disk" in r.read()
        c.request("GET", "/style.css")
        r = c.getresponse()
        assert r.status == 200 and r.getheader("content-type") == "text/css;charset=UTF-8" and b"sans-serif" in r.read()
        c.request("GET", "/missing.png")
        r = c.getresponse()
        assert r.status == 404 and b"Nothing here" in r.read()
        c.request("GET", "/../../etc/passwd")
        r = c.getresponse()
        assert r.status == 404 and b"root:" not in r.read()
        c.request("DELETE", "/index.html")
        assert c.getresponse().status == 405
    finally:
        stop(proc)
