"""Limits workerd lacks: per-isolate memory (isolate recreated, process lives) and per-request CPU."""
from __future__ import annotations

import http.client
import subprocess
import time

from support import free_port, our_workerd, wait_port, write_config

CONFIG = """
using Workerd = import "/workerd/workerd.capnp";
const config :Workerd.Config = (
  services = [(name = "main", worker = (modules = [(name = "w.js", esModule = embed "w.js")], compatibilityDate = "2024-10-01"))],
  sockets = [(name = "http", address = "127.0.0.1:%d", http = (), service = "main")]
);
"""

WORKER = r"""
let counter = 0;
export default {
  async fetch(request) {
    const path = new URL(request.url).pathname;
    counter++;
    if (path === "/hog") {
      const keep = [];
      for (;;) keep.push(new Array(100000).fill(counter));
    }
    if (path === "/burn") {
      // many short synchronous runs: each under the slice, together over the CPU budget
      for (let i = 0; i < 100; i++) {
        const end = Date.now() + 20;
        while (Date.now() < end) {}
        await null;
        await new Promise((r) => setTimeout(r, 0));
      }
      return new Response("finished");
    }
    return new Response(`alive ${counter}`);
  },
};
"""


def get(port, path):
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    c.request("GET", path)
    r = c.getresponse()
    out = r.status, r.read()
    c.close()
    return out


def start(tmp_path, *extra):
    port = free_port()
    cfg = write_config(tmp_path, CONFIG % port, {"w.js": WORKER})
    proc = subprocess.Popen(our_workerd() + ["serve", cfg, *extra], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    wait_port(port, proc)
    return port, proc


def test_memory_limit_recreates_isolate(tmp_path):
    port, proc = start(tmp_path, "--memory-limit-mb", "48")
    try:
        assert get(port, "/")[0] == 200
        assert get(port, "/hog") == (500, b"Internal Server Error")
        status, body = get(port, "/")
        assert status == 200 and body == b"alive 1"  # a fresh isolate: module state starts over
        assert proc.poll() is None
    finally:
        proc.terminate()
        _, err = proc.communicate(timeout=10)
    assert "memory limit" in err and "Traceback" not in err


def test_cpu_limit_per_request(tmp_path):
    port, proc = start(tmp_path, "--cpu-limit-ms", "300")
    try:
        t0 = time.monotonic()
        assert get(port, "/burn") == (500, b"Internal Server Error")
        assert time.monotonic() - t0 < 1.5  # stopped near 300 ms of JS time, not after 2 s of work
        assert get(port, "/")[0] == 200
    finally:
        proc.terminate()
        _, err = proc.communicate(timeout=10)
    assert "exceeded CPU time limit" in err and "Traceback" not in err
