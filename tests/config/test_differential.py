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


def _walk_shapes(data: bytes):
    """(depth, path, kind, sizes...) of every struct and list reachable from the root, raw."""
    import struct
    n = struct.unpack_from("<I", data, 0)[0] + 1
    sizes = struct.unpack_from(f"<{n}I", data, 4)
    off = 4 + 4 * n + (4 if n % 2 == 0 else 0)
    segs = []
    for s in sizes:
        segs.append(data[off:off + 8 * s])
        off += 8 * s
    out = []

    def word(si, wi):
        return struct.unpack_from("<Q", segs[si], wi * 8)[0]

    def walk(si, wi, depth, label):
        p = word(si, wi)
        if p == 0:
            return
        kind = p & 3
        if kind == 2:
            return walk(p >> 32, (p >> 3) & ((1 << 29) - 1), depth, label)
        o = (p >> 2) & ((1 << 30) - 1)
        if o & (1 << 29):
            o -= 1 << 30
        t = wi + 1 + o
        if kind == 0:
            dw, pc = (p >> 32) & 0xFFFF, (p >> 48) & 0xFFFF
            out.append((label, "struct", dw, pc))
            for k in range(pc):
                walk(si, t + dw + k, depth + 1, f"{label}.p{k}")
        elif kind == 1:
            es, cnt = (p >> 32) & 7, p >> 35
            if es == 7:
                tag = word(si, t)
                ne, dw, pc = (tag >> 2) & ((1 << 30) - 1), (tag >> 32) & 0xFFFF, (tag >> 48) & 0xFFFF
                out.append((label, "structlist", ne, dw, pc))
                for e in range(ne):
                    for k in range(pc):
                        walk(si, t + 1 + e * (dw + pc) + dw + k, depth + 1, f"{label}[{e}].p{k}")
            elif es == 6:
                out.append((label, "ptrlist", cnt))
                for e in range(cnt):
                    walk(si, t + e, depth + 1, f"{label}[{e}]")
            else:
                out.append((label, "list", es, cnt))
    walk(0, 0, 0, "root")
    return out


def test_kitchen_sink_is_wire_compatible_with_real_workerd(workerd_bin, tmp_path):
    """Every field the plan carries: the real `compile --config-only` output and ours have the same
    pointer layout (the real release may append fields), and decode to the same plan."""
    import subprocess
    trustme = pytest.importorskip("trustme")
    from workerd_py.config import load_plan
    src = copy_sample("kitchen_sink", tmp_path)
    cert = trustme.CA().issue_cert("localhost")
    (src / "key.pem").write_bytes(cert.private_key_pem.bytes())
    (src / "cert.pem").write_bytes(b"".join(b.bytes() for b in cert.cert_chain_pems))
    cfg = src / "config.capnp"
    real = tmp_path / "real.bin"
    with open(real, "wb") as f:
        r = subprocess.run([workerd_bin, "compile", "--config-only", str(cfg)], stdout=f, stderr=subprocess.PIPE,
                           timeout=60, cwd=str(src))
    assert r.returncode == 0, r.stderr
    ours = tmp_path / "ours.bin"
    code, _, err = run_cli(["compile", str(cfg), "-o", str(ours)])
    assert code == 0, err
    a, b = _walk_shapes(real.read_bytes()), _walk_shapes(ours.read_bytes())
    assert [x[0] for x in a] == [x[0] for x in b]  # same pointers set, same places
    for x, y in zip(a, b):
        assert x[1] == y[1], (x, y)
        if x[1] in ("struct", "structlist"):
            # sizes may only grow in the newer release
            assert all(rx >= ry for rx, ry in zip(x[2:], y[2:])), (x, y)
        else:
            assert x == y
    p_real, p_text = load_plan(str(real), binary=True), load_plan(str(cfg))
    assert dict(p_real.services) == dict(p_text.services)
    assert p_real.sockets == p_text.sockets
    assert (p_real.logging, p_real.v8_flags, p_real.autogates, p_real.extensions) == \
           (p_text.logging, p_text.v8_flags, p_text.autogates, p_text.extensions)
