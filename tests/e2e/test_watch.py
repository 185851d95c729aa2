"""`workerd serve -w`: reload on change without dropping in-flight requests."""
from __future__ import annotations

import http.client
import subprocess
import threading
import time

from support import free_port, our_workerd, wait_port, write_config

CONFIG = """
using Workerd = import "/workerd/workerd.capnp";
const config :Workerd.Config = (
  services = [(name = "main", worker = (modules = [(name = "w.js", esModule = embed "w.js")], compatibilityDate = "2024-10-01"))],
  sockets = [(name = "http", address = "127.0.0.1:%d", http = (), service = "main")]
);
"""

V = """export default { async fetch(req) {
  if (new URL(req.url).pathname === "/slow") await new Promise((r) => setTimeout(r, 1500));
  return new Response("%s");
} };
"""


def get(port, path="/"):
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    c.request("GET", path)
    r = c.getresponse()
    body = r.read()
    c.close()
    return r.status, body


def test_watch_reloads_without_dropping_requests(tmp_path):
    port = free_port()
    cfg = write_config(tmp_path, CONFIG % port, {"w.js": V % "v1"})
    proc = subprocess.Popen(our_workerd() + ["serve", cfg, "-w"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        wait_port(port, proc)
        assert get(port) == (200, b"v1")
        slow = {}
        t = threading.Thread(target=lambda: slow.setdefault("r", get(port, "/slow")))
        t.start()
        time.sleep(0.2)
        time.sleep(0.05)
        (tmp_path / "w.js").write_text(V % "v2")
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline and get(port) != (200, b"v2"):
            time.sleep(0.1)
        assert get(port) == (200, b"v2")
        t.join(10)
        assert slow["r"] == (200, b"v1")  # the in-flight request finished on the old version
        # a broken edit keeps serving the last good version
        (tmp_path / "w.js").write_text("export default { fetch( {")
        time.sleep(2.0)
        assert get(port) == (200, b"v2")
        assert proc.poll() is None
    finally:
        proc.terminate()
        out, err = proc.communicate(timeout=10)
    assert "reload failed" in err
