"""The real workerd serves our plan.bin (`serve -b`) exactly as it serves the text config.

Needs the npm package workerd@1.20261117.1 (installed once into ~/.cache/workerd-py/npm by
tests/support.py); skipped cleanly when npm or the registry is unreachable.
"""
from __future__ import annotations

import http.client
import os
import shutil

import pytest

from cfg_helpers import DATA, run_cli
from support import Server, real_workerd

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def workerd_bin():
    path = real_workerd()
    if not path:
        pytest.skip("the real workerd (npm workerd@1.20261117.1) is not available")
    return path


def get(port: int, path: str, method: str = "GET", body: bytes | None = None):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        conn.request(method, path, body=body, headers={"Host": "example.com"})
        r = conn.getresponse()
        data = r.read()
        headers = sorted((k.lower(), v) for k, v in r.getheaders() if k.lower() not in ("date",))
        return r.status, headers, data
    finally:
        conn.close()


def copy_sample(name: str, tmp_path):
    dst = tmp_path / name
    shutil.copytree(DATA / name, dst)
    return dst


CASES = {
    "hello_sw": ["/", "/x?y=1"],
    "hello_esm": ["/", "/anything"],
    "bindings": ["/", "/backend", "/backend-default", "/greeter"],
    "disk": ["/", "/index.html", "/missing.txt"],
    "durable": ["/", "/", "/again"],
}


@pytest.mark.parametrize("sample", sorted(CASES))
def test_plan_bin_serves_like_the_text_config(workerd_bin, sample, tmp_path):
    src = copy_sample(sample, tmp_path)
    config = src / "config.capnp"
    if sample == "durable":
        # storage in this test's own folders, one per server, so both start from zero
        text = config.read_text()
        for tag in ("text", "bin"):
            (tmp_path / f"store-{tag}").mkdir()
        config.write_text(text.replace("/tmp/workerd-py-do-storage", str(tmp_path / "store-text")))
    plan = tmp_path / "out" / "plan.bin"
    plan.parent.mkdir()
    code, _, err = run_cli(["compile", str(config), "-o", str(plan)])
    assert code == 0, err
    if sample == "durable":
        # the binary must use its own storage: compile a second config pointing elsewhere
        config.write_text(text.replace("/tmp/workerd-py-do-storage", str(tmp_path / "store-bin")))
        code, _, err = run_cli(["compile", str(config), "-o", str(plan)])
        assert code == 0, err
        config.write_text(text.replace("/tmp/workerd-py-do-storage", str(tmp_path / "store-text")))

    env = {"WORKERD_PY_TEST_VAR": "from-env"}
    extra = ["--experimental"]
    with Server([workerd_bin], str(config), extra=extra, cwd=str(src), env=env) as text_srv:
        text_answers = [get(text_srv.port, p) for p in CASES[sample]]
    # served from another directory: the plan carries every embed
    with Server([workerd_bin], str(plan), extra=["-b", *extra], cwd=str(src) if sample == "disk" else str(plan.parent),
                env=env) as bin_srv:
        bin_answers = [get(bin_srv.port, p) for p in CASES[sample]]
    assert bin_answers == text_answers
    assert all(a[0] in (200, 404) for a in text_answers), text_answers
    if sample == "bindings":
        assert b"HI THERE!" in text_answers[0][2]
        assert text_answers[1][2] == b"admin /x role=admin"


def test_our_serve_reads_what_real_workerd_compiles(workerd_bin, tmp_path):
    """`workerd compile --config-only` from the real workerd loads in our -b path to the same plan."""
    import subprocess
    from workerd_py.config import load_plan
    src = copy_sample("bindings", tmp_path)
    out = tmp_path / "real.bin"
    with open(out, "wb") as f:
        r = subprocess.run([workerd_bin, "compile", "--config-only", str(src / "config.capnp")],
                           stdout=f, stderr=subprocess.PIPE, timeout=60, cwd=str(src))
    assert r.returncode == 0, r.stderr
    theirs = load_plan(str(out), binary=True)
    ours = load_plan(str(src / "config.capnp"))
    assert dict(theirs.services) == dict(ours.services)
    assert theirs.sockets == ours.sockets
