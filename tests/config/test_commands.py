"""`workerd compile` and `workerd check`: the samples compile; output formats; exit codes."""
from __future__ import annotations

import json
import subprocess
import sys

import pytest

from cfg_helpers import DATA, ROOT, run_cli, worker_config
from workerd_py import plan as P
from workerd_py.config import load_plan, loader

# kitchen_sink needs key.pem/cert.pem written at test time (test_differential)
SAMPLES = sorted(str(p) for p in DATA.glob("*/config.capnp") if p.parent.name != "kitchen_sink") + sorted(
    str(p) for p in (ROOT / "samples").glob("*/config.capnp"))


@pytest.mark.parametrize("config", SAMPLES, ids=lambda p: p.split("/")[-2])
def test_samples_compile_unchanged(config, tmp_path):
    out = tmp_path / "plan.bin"
    code, _, err = run_cli(["compile", config, "-o", str(out)])
    assert code == 0, err
    data = out.read_bytes()
    assert len(data) > 8
    # the binary is a framed Config with every embed inlined
    with loader.workerd_schema().Config.from_bytes(data) as r:
        assert len(r.services) >= 1
        for s in r.services:
            if s.which() == "worker" and s.worker.which() == "modules":
                for m in s.worker.modules:
                    assert m.which() != "obsolete"
    assert load_plan(str(out), binary=True).services.keys() == load_plan(config).services.keys()
    code, stdout, err = run_cli(["check", config])
    assert code == 0 and stdout == b"", err


def test_compile_to_stdout(cfgdir):
    path = cfgdir.write(worker_config())
    code, data, err = run_cli(["compile", path])
    assert code == 0, err
    assert data == loader.load(path).data


def test_compile_refuses_an_invalid_config(cfgdir, tmp_path):
    path = cfgdir.write(worker_config('compatibilityDate = "2999-01-01",'))
    out = tmp_path / "plan.bin"
    code, _, err = run_cli(["compile", path, "-o", str(out)])
    assert code == 1 and not out.exists()
    assert f"{path}:12:23: error: " in err and "2999-01-01" in err


def test_compile_unwritable_output(cfgdir):
    path = cfgdir.write(worker_config())
    code, _, err = run_cli(["compile", path, "-o", "/nonexistent/dir/plan.bin"])
    assert code == 1 and "cannot write" in err


def test_compile_accepts_config_only_flag(cfgdir, tmp_path):
    path = cfgdir.write(worker_config())
    code, _, err = run_cli(["compile", "--config-only", path, "-o", str(tmp_path / "p.bin")])
    assert code == 0, err


def test_check_text_output(cfgdir):
    text = worker_config('compatibilityDate = "2024-01-01",\n  bindings = [ (name = "X", service = "nope") ],')
    path = cfgdir.write(text)
    code, out, err = run_cli(["check", path])
    lines = out.decode().splitlines()
    assert code == 1
    assert lines == [f'{path}:13:37: error: worker "main": binding "X" refers to service "nope", which is not defined']
    assert "1 error(s)" in err


def test_check_json_output(cfgdir):
    text = worker_config('compatibilityDate = "2024-01-01",\n  compatibilityFlags = ["bogus"],')
    path = cfgdir.write(text)
    code, out, _ = run_cli(["check", path, "--json"])
    assert code == 1
    data = json.loads(out)
    assert data == [{"file": path, "line": 13, "column": 23, "severity": "error", "code": "compat-flag-unknown",
                     "message": 'worker "main": unknown compatibility flag "bogus"'}]


def test_check_json_clean(cfgdir):
    path = cfgdir.write(worker_config())
    code, out, _ = run_cli(["check", path, "--json"])
    assert code == 0 and json.loads(out) == []


def test_check_json_capnp_error(cfgdir):
    path = cfgdir.write(worker_config().replace("services", "servces"))
    code, out, _ = run_cli(["check", "--json", path])
    (d,) = json.loads(out)
    assert code == 1 and d["code"] == "capnp-unknown-field" and d["line"] == 3 and d["column"] == 3


def test_warnings_do_not_fail_check(cfgdir):
    path = cfgdir.write(worker_config('compatibilityDate = "2024-01-01",\n'
                                      '  compatibilityFlags = ["formdata_parser_supports_files"],'))
    code, out, _ = run_cli(["check", path])
    assert code == 0 and ": warning: " in out.decode()


def test_missing_config_file(tmp_path):
    code, out, err = run_cli(["check", str(tmp_path / "nope.capnp")])
    assert code == 1 and "No such file" in out.decode()


def test_cli_subprocess_reports_cleanly(cfgdir):
    """Through the real entry point: a user error is one line, no traceback."""
    path = cfgdir.write(worker_config().replace("services", "servces"))
    r = subprocess.run([sys.executable, "-m", "workerd_py", "compile", path, "-o", "/dev/null"],
                       capture_output=True, text=True, timeout=60)
    assert r.returncode == 1
    assert "Traceback" not in r.stderr
    assert r.stderr.startswith(f"{path}:3:3: error: Struct has no field named 'servces'.")


def test_plan_shape_of_the_bindings_sample():
    plan = load_plan(str(DATA / "bindings" / "config.capnp"))
    assert list(plan.services) == ["main", "backend", "greeter", "loopback", "internet"]
    main = plan.services["main"]
    assert main.kind == "worker" and main.location.line == 6
    w = main.body
    assert isinstance(w, P.Worker)
    assert [m.kind for m in w.modules] == ["esModule", "esModule", "json", "text"]
    assert w.main_module.name == "main.js" and "shout" in w.main_module.content
    assert w.module("note.txt").content == "a text module"
    assert "nodejs_compat" in w.compat_flags and "nodejs_compat_v2" in w.compat_flags
    assert w.compatibility_flags == ("nodejs_compat",)
    b = {x.name: x for x in w.bindings}
    assert b["GREETING"].value == P.TextBinding("hi there")
    assert b["SETTINGS"].kind == "json" and json.loads(b["SETTINGS"].value.value) == {"mode": "test", "n": [1, 2, 3]}
    assert b["BLOB"].value == P.DataBinding(b"hello")
    assert b["BACKEND"].value == P.ServiceBinding(P.ServiceDesignator("backend", "Admin", '{"role": "admin"}'))
    assert b["BACKEND_DEFAULT"].value == P.ServiceBinding(P.ServiceDesignator("backend"))
    assert b["FROM_ENV"].value == P.FromEnvironmentBinding("WORKERD_PY_TEST_VAR")
    assert b["GREETING"].location.line == 29
    assert w.global_outbound == P.ServiceDesignator("loopback")
    assert plan.services["greeter"].body.is_service_worker
    net = plan.services["loopback"].body
    assert net == P.Network(allow=("private", "local"), deny=("10.0.0.0/8",))
    (sock,) = plan.sockets
    assert sock.address == "127.0.0.1:8080" and sock.protocol == "http" and sock.http == P.HttpOptions()
    assert sock.service == P.ServiceDesignator("main")
    assert str(sock.location).endswith("config.capnp:15:7")


def test_plan_shape_of_durable_and_disk_samples():
    plan = load_plan(str(DATA / "durable" / "config.capnp"))
    w = plan.services["main"].body
    assert [n.class_name for n in w.durable_object_namespaces] == ["Counter", "Scratch"]
    assert w.durable_object_storage == P.LocalDiskStorage("do-storage")
    assert plan.services["do-storage"].body == P.Disk("/tmp/workerd-py-do-storage", True, False)
    b = {x.name: x.value for x in w.bindings}
    assert b["COUNTER"] == P.DurableObjectNamespaceBinding("Counter", "main")
    plan = load_plan(str(DATA / "disk" / "config.capnp"))
    assert plan.services["__static-site-data"].body == P.Disk("./content-dir")
    over = plan.with_overrides(sockets={"http": "127.0.0.1:0"}, directories={"__static-site-data": "/srv"})
    assert over.sockets[0].address == "127.0.0.1:0" and over.services["__static-site-data"].body.path == "/srv"
    with pytest.raises(KeyError):
        plan.with_overrides(externals={"site-worker": "x:1"})


def test_https_socket_and_external_services(cfgdir):
    trustme = pytest.importorskip("trustme")
    cert = trustme.CA().issue_cert("localhost")
    files = {"key.pem": cert.private_key_pem.bytes().decode(),
             "cert.pem": "".join(b.bytes().decode() for b in cert.cert_chain_pems)}
    text = worker_config(
        services='(name = "ext", external = (address = "example.com:443", https = (certificateHost = "example.com"))),\n'
                 '    (name = "ext2", external = (address = "unix:/tmp/sock", http = (style = proxy))),',
        sockets='( name = "tls", address = "127.0.0.1:0", https = (options = (forwardedProtoHeader = "X-Proto", '
                'injectResponseHeaders = [(name = "X-A", value = "1")]), tlsOptions = (keypair = (privateKey = embed '
                '"key.pem", certificateChain = embed "cert.pem"), minVersion = tls1Dot2)), service = "main" )')
    plan = load_plan(cfgdir.write(text, **files))
    s = plan.sockets[0]
    assert s.protocol == "https" and s.tls.min_version == "tls1Dot2"
    assert s.http.forwarded_proto_header == "X-Proto" and s.http.inject_response_headers == (P.Header("X-A", "1"),)
    assert plan.services["ext"].body == P.External("example.com:443", "https", P.HttpOptions(), None, "example.com")
    assert plan.services["ext2"].body.http.style == "proxy"


def test_every_binding_kind_reaches_the_plan(cfgdir):
    wasm = bytes.fromhex("0061736d01000000")
    text = worker_config('compatibilityDate = "2024-01-01",\n' + '''  bindings = [
    (name = "KV", kvNamespace = "kv"),
    (name = "R2", r2Bucket = (name = "kv")),
    (name = "Q", queue = "kv"),
    (name = "AE", analyticsEngine = "kv"),
    (name = "HD", hyperdrive = (designator = "kv", database = "db", user = "u", password = "p", scheme = "postgresql")),
    (name = "MC", memoryCache = (id = "c1", limits = (maxKeys = 10, maxValueSize = 100, maxTotalValueSize = 1000))),
    (name = "WL", workerLoader = (id = "l")),
    (name = "EVAL", unsafeEval = void),
    (name = "KEY", cryptoKey = (base64 = "AAECAw==", algorithm = (name = "HMAC"), usages = [sign, verify], extractable = true)),
    (name = "JWK", cryptoKey = (jwk = "{\\"kty\\": \\"oct\\"}", algorithm = (json = "{\\"name\\": \\"HMAC\\", \\"hash\\": \\"SHA-256\\"}"))),
    (name = "RAW", cryptoKey = (raw = 0x"00010203", algorithm = (name = "AES-GCM"))),
    (name = "WASM", wasmModule = embed "m.wasm"),
    (name = "WRAP", wrapped = (moduleName = "ext:mod", entrypoint = "make", innerBindings = [(name = "X", text = "y")])),
    (name = "DBG", workerdDebugPort = void),
  ],''', services='(name = "kv", external = (address = "127.0.0.1:9999", http = ())),').replace(
        "const config :Workerd.Config = (",
        'const config :Workerd.Config = (\n  extensions = [ (modules = [ (name = "ext:mod", esModule = "export function make(env) { return env.X; }", internal = true) ]) ],')
    plan = load_plan(cfgdir.write(text, **{"m.wasm": wasm}))
    b = {x.name: x.value for x in plan.services["main"].body.bindings}
    kv = P.ServiceDesignator("kv")
    assert b["KV"] == P.KvNamespaceBinding(kv)
    assert b["R2"] == P.R2BucketBinding(kv)
    assert b["Q"] == P.QueueBinding(kv) and b["AE"] == P.AnalyticsEngineBinding(kv)
    assert b["HD"] == P.HyperdriveBinding(kv, "db", "u", "p", "postgresql")
    assert b["MC"] == P.MemoryCacheBinding("c1", 10, 100, 1000)
    assert b["WL"] == P.WorkerLoaderBinding("l") and b["EVAL"] == P.UnsafeEvalBinding()
    assert b["KEY"] == P.CryptoKeyBinding("base64", "AAECAw==", "HMAC", None, True, ("sign", "verify"))
    assert b["JWK"].algorithm_json is not None and b["JWK"].format == "jwk"
    assert b["RAW"].key_data == b"\x00\x01\x02\x03"
    assert b["WASM"] == P.WasmModuleBinding(wasm)
    assert b["WRAP"] == P.WrappedBinding("ext:mod", "make", (P.Binding("X", P.TextBinding("y")),))
    assert b["DBG"] == P.WorkerdDebugPortBinding()
    assert plan.extensions == (P.Extension((P.ExtensionModule("ext:mod", "export function make(env) { return env.X; }", True),)),)
    import pickle
    assert pickle.loads(pickle.dumps(plan)).services["main"] == plan.services["main"]
