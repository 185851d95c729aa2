"""The command line: `workerd test`, console output and structured logs, clean errors."""
from __future__ import annotations

import http.client
import json
import subprocess
import time

from support import free_port, our_workerd, wait_port, write_config

TESTS_JS = r"""
export default {
  async test(ctrl, env, ctx) {
    if (env.VALUE !== "v") throw new Error("binding missing");
    await new Promise((r) => setTimeout(r, 5));
  },
};
export const failing = {
  async test() { throw new TypeError("this one fails"); },
};
export const other = {
  test() {},
};
"""

TEST_CONFIG = """
using Workerd = import "/workerd/workerd.capnp";
const config :Workerd.Config = (
  services = [(name = "suite", worker = (modules = [(name = "t.js", esModule = embed "t.js")], %s
              bindings = [(name = "VALUE", text = "v")]))]
);
"""


def run(*args, cwd=None, timeout=60):
    return subprocess.run(our_workerd() + list(args), capture_output=True, text=True, timeout=timeout, cwd=cwd)


def test_workerd_test_pass_fail_and_filter(tmp_path):
    cfg = write_config(tmp_path, TEST_CONFIG % 'compatibilityDate = "2024-10-01",', {"t.js": TESTS_JS})
    r = run("test", cfg)
    assert r.returncode == 1
    assert "[ TEST ] suite" in r.stderr and "[ PASS ] suite" in r.stderr
    assert "[ FAIL ] suite:failing" in r.stderr and "TypeError: this one fails" in r.stderr
    assert "[ PASS ] suite:other" in r.stderr
    r = run("test", cfg, "suite:other")
    assert r.returncode == 0 and "[ PASS ] suite:other" in r.stderr and "failing" not in r.stderr
    r = run("test", cfg, "nothing-matches")
    assert r.returncode != 0
    assert "Traceback" not in r.stderr


def test_workerd_test_compat_date(tmp_path):
    cfg = write_config(tmp_path, TEST_CONFIG % "", {"t.js": TESTS_JS})
    r = run("test", cfg, "suite:other")
    assert r.returncode == 1 and "compatibilityDate" in r.stderr and "Traceback" not in r.stderr
    r = run("test", cfg, "suite:other", "--compat-date", "2024-10-01")
    assert r.returncode == 0, r.stderr


SERVE_JS = r"""
export default {
  async fetch(request) {
    console.log("hello from", new URL(request.url).pathname, { n: 1 });
    console.error("to stderr");
    if (new URL(request.url).pathname === "/throw") throw new RangeError("deliberate");
    return new Response("ok");
  },
};
"""

SERVE_CONFIG = """
using Workerd = import "/workerd/workerd.capnp";
const config :Workerd.Config = (
  services = [(name = "logger", worker = (modules = [(name = "s.js", esModule = embed "s.js")], compatibilityDate = "2024-10-01"))],
  sockets = [(name = "http", address = "127.0.0.1:%d", http = (), service = "logger")]
);
"""


def serve_and_get(tmp_path, *extra):
    port = free_port()
    cfg = write_config(tmp_path, SERVE_CONFIG % port, {"s.js": SERVE_JS})
    proc = subprocess.Popen(our_workerd() + ["serve", cfg, *extra], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        wait_port(port, proc)
        for path in ("/a", "/throw"):
            c = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
            c.request("GET", path)
            c.getresponse().read()
            c.close()
        time.sleep(0.2)
    finally:
        proc.terminate()
        out, err = proc.communicate(timeout=10)
    return out, err


def test_console_and_errors_name_the_worker(tmp_path):
    out, err = serve_and_get(tmp_path)
    assert "[logger] hello from /a { n: 1 }" in out
    assert "[logger] to stderr" in err
    assert "RangeError: deliberate" in err and "s.js:6" in err and "[logger]" in err
    assert "Traceback" not in err


def test_structured_logging(tmp_path):
    out, err = serve_and_get(tmp_path, "--structured-logging")
    lines = [json.loads(l) for l in out.splitlines() if l.startswith("{")]
    assert any(l["worker"] == "logger" and l["level"] == "log" and l["message"] == "hello from /a { n: 1 }" for l in lines)
    errs = [json.loads(l) for l in err.splitlines() if l.startswith("{")]
    assert any(l["level"] == "error" and "RangeError: deliberate" in l["message"] for l in errs)


def test_bad_config_is_a_clean_error(tmp_path):
    cfg = tmp_path / "bad.capnp"
    cfg.write_text('using Workerd = import "/workerd/workerd.capnp";\nconst config :Workerd.Config = ( services = [(name = "x", wrker = ())] );\n')
    r = run("serve", str(cfg))
    assert r.returncode == 1
    assert "bad.capnp:2" in r.stderr and "wrker" in r.stderr and "Traceback" not in r.stderr


def test_socket_fd(tmp_path):
    import socket as socketlib
    ls = socketlib.socket()
    ls.bind(("127.0.0.1", 0))
    ls.listen(16)
    port = ls.getsockname()[1]
    cfg = write_config(tmp_path, SERVE_CONFIG % free_port(), {"s.js": SERVE_JS})
    proc = subprocess.Popen(our_workerd() + ["serve", cfg, "-S", f"http={ls.fileno()}"], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, pass_fds=(ls.fileno(),))
    ls.close()
    try:
        deadline = time.monotonic() + 20
        body = None
        while time.monotonic() < deadline and body is None:
            try:
                c = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
                c.request("GET", "/fd")
                body = c.getresponse().read()
            except OSError:
                time.sleep(0.1)
        assert body == b"ok"
    finally:
        proc.terminate()
        proc.communicate(timeout=10)
