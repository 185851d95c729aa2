"""Helpers for end-to-end tests: free ports, server subprocesses, the real workerd from npm."""
from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
NPM_PREFIX = os.path.join(os.path.expanduser("~"), ".cache", "workerd-py", "npm")
WORKERD_VERSION = "1.20261117.1"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def our_workerd() -> list[str]:
    return [sys.executable, "-m", "workerd_py"]


_real = None


def real_workerd() -> str | None:
    """Path of the real workerd binary, installed from npm into a cache; None when unavailable."""
    global _real
    if _real is not None:
        return _real or None
    path = os.path.join(NPM_PREFIX, "node_modules", ".bin", "workerd")
    if not os.path.exists(path) and shutil.which("npm") and not os.environ.get("WORKERD_PY_NO_NPM"):
        os.makedirs(NPM_PREFIX, exist_ok=True)
        try:
            subprocess.run(["npm", "install", "--prefix", NPM_PREFIX, "--no-audit", "--no-fund",
                            f"workerd@{WORKERD_VERSION}"], check=True, capture_output=True, timeout=300)
        except Exception:
            pass
    ok = False
    if os.path.exists(path):
        try:
            ok = subprocess.run([path, "--version"], capture_output=True, timeout=30).returncode == 0
        except Exception:
            ok = False
    _real = path if ok else ""
    return _real or None


def wait_port(port: int, proc: subprocess.Popen, timeout: float = 20.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            out, err = proc.communicate()
            raise RuntimeError(f"server exited with {proc.returncode}:\n{out}\n{err}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return
        except OSError:
            time.sleep(0.05)
    proc.kill()
    raise RuntimeError("server did not start listening in time")


class Server:
    """A server subprocess serving `config` with socket `sock` on a free port."""

    def __init__(self, cmd: list[str], config: str, sock: str = "http", extra=(), cwd=None, env=None):
        self.port = free_port()
        self.cmd = cmd + ["serve", config, "-s", f"{sock}=127.0.0.1:{self.port}", *extra]
        e = dict(os.environ)
        e.update(env or {})
        self.proc = subprocess.Popen(self.cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                     cwd=cwd, env=e)
        wait_port(self.port, self.proc)

    def stop(self):
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
        out, err = self.proc.communicate()
        return out, err

    def __enter__(self):
        return self

    def __exit__(self, *a):
        self.stop()


def http_request(port: int, path: str = "/", method: str = "GET", body=None, headers=None,
                 timeout: float = 10.0) -> tuple[int, dict, bytes]:
    """One request on a fresh connection: (status, {lower-case header: value}, body)."""
    import http.client
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        c.request(method, path, body=body, headers=headers or {})
        r = c.getresponse()
        return r.status, {k.lower(): v for k, v in r.getheaders()}, r.read()
    finally:
        c.close()


def raw_request(port: int, data: bytes, timeout: float = 5.0, until_close: bool = True) -> bytes:
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as s:
        s.sendall(data)
        chunks = []
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                c = s.recv(65536)
            except socket.timeout:
                break
            if not c:
                break
            chunks.append(c)
            if not until_close:
                break
        return b"".join(chunks)


def write_config(tmp_path, config_text: str, files: dict[str, str]) -> str:
    for name, text in files.items():
        p = tmp_path / name
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(text)
    cfg = tmp_path / "config.capnp"
    cfg.write_text(config_text)
    return str(cfg)


def stop_process(proc: subprocess.Popen, timeout: float = 15.0):
    """SIGTERM, wait (bounded), kill if needed; returns (stdout, stderr)."""
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout)
        except subprocess.TimeoutExpired:
            proc.kill()
    return proc.communicate()


def ours_and_real(factory, suffix=""):
    """Module-scoped fixtures `ours<suffix>` and `real<suffix>`: factory(cmd, tmp_dir) started on
    each runtime; `real` skips cleanly where the real workerd cannot be installed."""
    import pytest

    @pytest.fixture(scope="module", name="ours" + suffix)
    def ours(tmp_path_factory):
        r = factory(our_workerd(), tmp_path_factory.mktemp("ours" + suffix))
        yield r
        r.stop()

    @pytest.fixture(scope="module", name="real" + suffix)
    def real(tmp_path_factory):
        path = real_workerd()
        if path is None:
            pytest.skip("the real workerd is not installable here (npm unreachable)")
        r = factory([path], tmp_path_factory.mktemp("real" + suffix))
        yield r
        r.stop()

    return ours, real
