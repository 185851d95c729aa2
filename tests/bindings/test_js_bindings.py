"""KV, R2 and Queue bindings, JS level: tests/js/{kv,r2,queue} run with `workerd test`.

- `config.capnp`: the binding's service is a recording worker; the tests check the exact requests
  the binding sends and how it reads the answers. Run on workerd-py and on the real workerd (the
  expectations were recorded from it), so they pin down wire compatibility in both directions.
- `local.capnp`: the binding names a `disk` service, which workerd-py serves from its built-in
  local backend (SQLite KV and queue, directory R2). workerd-py only; the directories are
  temporary, and what the backends stored is checked here afterwards.
"""
from __future__ import annotations

import os
import re
import sqlite3
import subprocess

import pytest

from support import our_workerd, real_workerd

JS_DIR = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "js")
DIRS = ("kv", "r2", "queue")

_SERVICE = re.compile(r'\(\s*name\s*=\s*"([^"]+)"\s*,\s*worker\s*=\s*\.(\w+)\s*\)')
_WORKER = re.compile(r'const\s+(\w+)\s*:Workerd\.Worker\s*=\s*\((.*?)\);', re.S)
_MAIN = re.compile(r'modules\s*=\s*\[\s*\(\s*name\s*=\s*"[^"]+"\s*,\s*esModule\s*=\s*embed\s*"([^"]+)"')
_EXPORT = re.compile(r'^export\s+(?:const\s+(\w+)\s*=|default\b)', re.M)


def expected_tests(d: str, config: str) -> set[str]:
    """`service` for a default export, `service:name` for a named one, as `workerd test` prints."""
    text = open(os.path.join(JS_DIR, d, config), encoding="utf-8").read()
    workers = dict(_WORKER.findall(text))
    names = set()
    for service, ident in _SERVICE.findall(text):
        main = _MAIN.search(workers[ident]).group(1)
        src = open(os.path.join(JS_DIR, d, main), encoding="utf-8").read()
        for m in _EXPORT.finditer(src):
            names.add(service if m.group(1) is None else f"{service}:{m.group(1)}")
    return names


def run_tests(cmd: list[str], d: str, config: str, *extra: str, only: str | None = None) -> str:
    """Run the config's tests (or only the test named `only`); all must pass."""
    p = subprocess.run(cmd + ["test", os.path.join(JS_DIR, d, config), *([only] if only else []), *extra],
                       capture_output=True, text=True, timeout=300)
    out = p.stdout + p.stderr
    expected = {only} if only else expected_tests(d, config)
    assert expected, f"no tests found in tests/js/{d}/{config}"
    passed = set(re.findall(r"\[ PASS \] (\S+)", out))
    missing = sorted(expected - passed)
    assert not missing, f"tests/js/{d}/{config}: not passed: {missing}\n{out[-6000:]}"
    assert p.returncode == 0, f"tests/js/{d}/{config}: exit status {p.returncode}\n{out[-6000:]}"
    return out


# ---------------------------------------------------------------------- wire (both runtimes)
@pytest.mark.parametrize("d", DIRS)
def test_wire(d):
    run_tests(our_workerd(), d, "config.capnp")


@pytest.mark.parametrize("d", DIRS)
def test_wire_on_real_workerd(d):
    real = real_workerd()
    if real is None:
        pytest.skip("the real workerd is not available")
    run_tests([real], d, "config.capnp")


# ---------------------------------------------------------------------- local backends
def test_kv_local(tmp_path):
    data, ro = tmp_path / "kv", tmp_path / "ro"
    data.mkdir()
    ro.mkdir()
    args = ("-d", f"kvdata={data}", "-d", f"kvro={ro}")
    run_tests(our_workerd(), "kv", "local.capnp", *args)
    db = sqlite3.connect(data / "kv.sqlite3")
    row = db.execute("SELECT value, metadata FROM kv WHERE key = ?", (b"persist/key",)).fetchone()
    assert row == (b"saved", '{"run":1}')
    keys = [bytes(k) for (k,) in db.execute("SELECT key FROM kv WHERE key >= ? AND key < ? ORDER BY key", (b"ls/", b"ls0"))]
    assert keys == [f"ls/{i:02d}".encode() for i in range(25)]
    db.close()
    assert os.listdir(ro) == [], "a read-only directory is never written"
    # a second process sees what the first stored (the `persist` test reads it back)
    run_tests(our_workerd(), "kv", "local.capnp", *args, only="kv-local:persist")


def test_r2_local(tmp_path):
    run_tests(our_workerd(), "r2", "local.capnp", "-d", f"r2data={tmp_path}")
    root = tmp_path / "r2"
    db = sqlite3.connect(root / "r2.sqlite3")
    blobs = {b for (b,) in db.execute("SELECT blob FROM objects")} | {b for (b,) in db.execute("SELECT blob FROM parts")}
    on_disk = set(os.listdir(root / "blobs"))
    assert on_disk == blobs, "one file per stored object or part; nothing left behind"
    size, etag = db.execute("SELECT size, etag FROM objects WHERE key = ?", (b"mp/big",)).fetchone()
    assert size == 5 * 1024 * 1024 + 4 and etag.endswith("-2")
    blob = db.execute("SELECT blob FROM objects WHERE key = ?", ("rt/fixed".encode(),)).fetchone()[0]
    assert (root / "blobs" / blob).read_bytes() == bytes([9, 8, 7, 6])
    assert db.execute("SELECT COUNT(*) FROM uploads").fetchone()[0] == 0, "completed and aborted uploads are gone"
    db.close()


def test_queue_local(tmp_path):
    from workerd_py.server.services.queue_local import QueueLocal

    run_tests(our_workerd(), "queue", "local.capnp", "-d", f"qdata={tmp_path}")
    q = QueueLocal("q", str(tmp_path))
    assert q.metrics()["backlogCount"] == 6
    got = q.receive(10)
    # the delayed ones (5 s and 60 s) are not visible yet; batch delay 1 s may or may not have passed
    bodies = [(m.content_type, m.decode()) for m in got]
    assert bodies[:3] == [("json", {"hello": "world"}), ("text", "plain text"), ("v8", b"\xff\x0f;\"\x01kI\x02:\x02")]
    assert ("bytes", b"\x01\x02\x03") not in bodies and ("text", "two") not in bodies
    q.ack([m.id for m in got])
    assert q.metrics()["backlogCount"] == 6 - len(got)
    q.close()
