"""The local backends behind the real workerd: a differential check of the backend side.

workerd-py's KV, R2 and queue backends are served over HTTP on loopback ports, and the real
workerd runs tests/js/{kv,r2,queue}/local.js with its bindings pointing at them (external
services instead of the disk services of local.capnp). The same tests pass on workerd-py with
the disk services (test_js_bindings.py), so both runtimes' binding clients see the same backend
behaviour, and the backends understand what the real workerd sends (raw UTF-8 in headers,
chunked bodies, its exact URLs). Skipped when the real workerd is not available.
"""
from __future__ import annotations

import asyncio
import re
import shutil
import subprocess
import threading

import pytest

from support import real_workerd
from test_js_bindings import JS_DIR, expected_tests

from workerd_py.server.services.kv_local import KvLocal
from workerd_py.server.services.queue_local import QueueLocal
from workerd_py.server.services.r2_local import R2Local
from workerd_py.server.sockets import SocketOptions, start_server


class Backends:
    """Serves services on 127.0.0.1 ports from a thread running its own event loop."""

    def __init__(self, services: dict):
        self.services = services
        self.ports: dict[str, int] = {}
        self.loop = asyncio.new_event_loop()
        self._ready = threading.Event()
        self._listeners = []
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()
        assert self._ready.wait(10), "backends did not start"

    def _run(self):
        asyncio.set_event_loop(self.loop)

        async def start():
            for name, svc in self.services.items():
                listener = await start_server(SocketOptions(name, "127.0.0.1:0"), svc)
                self._listeners.append(listener)
                self.ports[name] = listener.sockets[0].getsockname()[1]
            self._ready.set()
        self.loop.run_until_complete(start())
        self.loop.run_forever()

    def close(self):
        async def stop():
            for listener in self._listeners:
                listener.close()
        asyncio.run_coroutine_threadsafe(stop(), self.loop).result(10)
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(10)
        for svc in self.services.values():
            svc.close()


def _config(tmp_path, d: str, worker: str, service: str, bindings: str, externals: dict[str, int]) -> str:
    shutil.copy(f"{JS_DIR}/{d}/local.js", tmp_path / "local.js")
    shutil.copy(f"{JS_DIR}/lib/assert.js", tmp_path / "assert.js")
    svcs = ",\n    ".join(f'(name = "{n}", external = (address = "127.0.0.1:{p}", http = ()))' for n, p in externals.items())
    (tmp_path / "local.capnp").write_text(f"""using Workerd = import "/workerd/workerd.capnp";
const config :Workerd.Config = (
  services = [
    (name = "{service}", worker = .{worker}),
    {svcs},
  ],
);
const {worker} :Workerd.Worker = (
  compatibilityDate = "2024-10-01",
  modules = [(name = "local.js", esModule = embed "local.js"), (name = "assert.js", esModule = embed "assert.js")],
  bindings = [{bindings}],
);
""")
    return str(tmp_path / "local.capnp")


def _run_cfg(real, d, cfg):
    """Run `cfg` on the real workerd; every test of tests/js/<d>/local.capnp must pass."""
    p = subprocess.run([real, "test", cfg], capture_output=True, text=True, timeout=300)
    out = p.stdout + p.stderr
    passed = set(re.findall(r"\[ PASS \] (\S+)", out))
    missing = sorted(expected_tests(d, "local.capnp") - passed)
    assert not missing, f"{d} on the real workerd: not passed: {missing}\n{out[-6000:]}"
    assert p.returncode == 0, out[-6000:]


@pytest.fixture
def real():
    if real_workerd() is None:
        pytest.skip("the real workerd is not available")


def test_kv_backend_behind_real_workerd(real, tmp_path):
    (tmp_path / "kv").mkdir()
    (tmp_path / "ro").mkdir()
    b = Backends({"kvdata": KvLocal("kvdata", str(tmp_path / "kv")), "kvro": KvLocal("kvro", str(tmp_path / "ro"), writable=False)})
    try:
        cfg = _config(tmp_path, "kv", "kvLocal", "kv-local",
                      '(name = "KV", kvNamespace = "kvdata"), (name = "RO", kvNamespace = "kvro")', b.ports)
        _run_cfg(real_workerd(), "kv", cfg)
    finally:
        b.close()


def test_r2_backend_behind_real_workerd(real, tmp_path):
    (tmp_path / "r2").mkdir()
    b = Backends({"r2data": R2Local("r2data", str(tmp_path / "r2"))})
    try:
        cfg = _config(tmp_path, "r2", "r2Local", "r2-local", '(name = "R2", r2Bucket = "r2data")', b.ports)
        _run_cfg(real_workerd(), "r2", cfg)
    finally:
        b.close()


def test_queue_backend_behind_real_workerd(real, tmp_path):
    (tmp_path / "q").mkdir()
    q = QueueLocal("qdata", str(tmp_path / "q"))
    b = Backends({"qdata": q})
    try:
        cfg = _config(tmp_path, "queue", "queueLocal", "queue-local", '(name = "Q", queue = "qdata")', b.ports)
        _run_cfg(real_workerd(), "queue", cfg)
    finally:
        b.close()
    q = QueueLocal("check", str(tmp_path / "q"))
    assert q.metrics()["backlogCount"] == 6
    q.close()
