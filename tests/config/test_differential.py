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


REFUSED = {
    "socket-unknown-service": dict(sockets='( name = "http", address = "127.0.0.1:0", http = (), service = "nope" )'),
    "binding-unknown-service": dict(worker_fields='compatibilityDate = "2024-01-01",\n  bindings = [ (name = "S", service = "nope") ],'),
    "date-missing": dict(worker_fields=''),
    "date-malformed": dict(worker_fields='compatibilityDate = "2024-1-1",'),
    "date-future": dict(worker_fields='compatibilityDate = "2999-01-01",'),
    "flag-unknown": dict(worker_fields='compatibilityDate = "2024-01-01",\n  compatibilityFlags = ["no_such_flag"],'),
    "flag-conflict": dict(worker_fields='compatibilityDate = "2024-01-01",\n  compatibilityFlags = ["url_standard", "url_original"],'),
    "flag-experimental": dict(worker_fields='compatibilityDate = "2024-01-01",\n  compatibilityFlags = ["durable_object_get_existing"],'),
    "duplicate-service": dict(services='(name = "main", network = ()),'),
    "field-typo": dict(worker_fields='compatibilityDate = "2024-01-01",\n  bindngs = [],'),
    "missing-embed": dict(modules='(name = "worker", esModule = embed "nope.js")'),
    "missing-import": dict(js='import x from "./nope.js";\nexport default { fetch() { return new Response(x); } };\n'),
    "syntax-error": dict(js='export default { fetch() { return new Response("x"; } };\n', engine=True),
    "do-storage-none": dict(worker_fields='compatibilityDate = "2024-01-01",\n'
                                          '  durableObjectNamespaces = [ (className = "C", uniqueKey = "k") ],',
                            js='export class C {}\nexport default { fetch() { return new Response("x"); } };\n'),
    "deny-public": dict(services='(name = "net", network = (deny = ["public"])),'),
    "port-out-of-range": dict(sockets='( name = "http", address = "127.0.0.1:99999", http = (), service = "main" )'),
}


@pytest.mark.parametrize("case", sorted(REFUSED))
def test_what_workerd_refuses_we_refuse(workerd_bin, case, tmp_path):
    import subprocess
    from cfg_helpers import HELLO_JS, worker_config
    from workerd_py.config import jscheck
    spec = dict(REFUSED[case])
    if spec.pop("engine", False) and not jscheck.engine_available():
        pytest.skip("the JS engine is not built yet")
    js = spec.pop("js", HELLO_JS)
    spec.setdefault("sockets", '( name = "http", address = "127.0.0.1:0", http = (), service = "main" )')
    if "worker_fields" not in spec:
        spec["worker_fields"] = 'compatibilityDate = "2024-01-01",'
    (tmp_path / "worker.js").write_text(js)
    cfg = tmp_path / "config.capnp"
    cfg.write_text(worker_config(**spec))
    try:
        r = subprocess.run([workerd_bin, "serve", str(cfg)], capture_output=True, text=True, timeout=5,
                           cwd=str(tmp_path))
        real_refused = r.returncode != 0
    except subprocess.TimeoutExpired:
        real_refused = False  # still serving after 5 s: accepted
    assert real_refused, f"the real workerd accepts {case}"
    code, out, err = run_cli(["check", str(cfg)])
    assert code == 1 and b": error: " in out, (case, out, err)
