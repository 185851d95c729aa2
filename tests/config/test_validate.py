"""Each error class: its code, its message (naming the item) and its line."""
from __future__ import annotations

import pytest

from cfg_helpers import HEADER, codes, diags_of, worker_config

D = 'compatibilityDate = "2024-01-01",'


def line_of(text: str, needle: str) -> int:
    for i, l in enumerate(text.splitlines(), 1):
        if needle in l:
            return i
    raise AssertionError(f"{needle!r} not in config")


def check_one(cfgdir, text, code, fragments, line_marker=None, severity="error", experimental=False, **files):
    path = cfgdir.write(text, **files)
    plan, diags = diags_of(path, experimental=experimental)
    hits = [d for d in diags if d.code == code and d.severity == severity]
    assert hits, f"expected {code}, got {[(d.code, d.message) for d in diags]}"
    d = hits[0]
    for f in fragments:
        assert f in d.message, d.message
    if line_marker is not None:
        assert d.file == path
        assert d.line == line_of(text, line_marker), (d, text)
        assert d.column > 0
    if severity == "error":
        assert plan is None
    return d


CASES = [
    # references
    ("socket-unknown-service",
     dict(sockets='( name = "http", address = "*:8080", http = (), service = "mian" )'),
     "ref-unknown-service", ['socket "http"', '"mian"', 'did you mean "main"'], 'service = "mian"'),
    ("binding-unknown-service",
     dict(worker_fields=D + '\n  bindings = [ (name = "API", service = "nope") ],'),
     "ref-unknown-service", ['binding "API"', '"nope"'], '"nope"'),
    ("global-outbound-unknown",
     dict(worker_fields=D + '\n  globalOutbound = "proxy",'),
     "ref-unknown-service", ["globalOutbound", '"proxy"'], 'globalOutbound'),
    ("cache-outbound-unknown",
     dict(worker_fields=D + '\n  cacheApiOutbound = "cache",'),
     "ref-unknown-service", ["cacheApiOutbound", '"cache"'], 'cacheApiOutbound'),
    ("entrypoint-not-exported",
     dict(worker_fields=D + '\n  bindings = [ (name = "SELF", service = (name = "main", entrypoint = "Admin")) ],'),
     "ref-entrypoint-unknown", ['binding "SELF"', '"Admin"', 'exports: default'], 'entrypoint = "Admin"'),
    ("socket-entrypoint-not-exported",
     dict(sockets='( name = "http", address = "*:8080", http = (), service = (name = "main", entrypoint = "Nope") )'),
     "ref-entrypoint-unknown", ['socket "http"', '"Nope"'], 'entrypoint = "Nope"'),
    ("entrypoint-on-network",
     dict(services='(name = "net", network = (allow = ["public"])),',
          worker_fields=D + '\n  bindings = [ (name = "N", service = (name = "net", entrypoint = "X")) ],'),
     "ref-entrypoint-not-worker", ['"net"', "network service"], 'entrypoint = "X"'),
    ("do-binding-undeclared",
     dict(worker_fields=D + '\n  bindings = [ (name = "DO", durableObjectNamespace = "Counter") ],'),
     "ref-do-namespace-unknown", ['binding "DO"', '"Counter"', "durableObjectNamespaces"], 'durableObjectNamespace = "Counter"'),
    ("do-binding-other-service-unknown",
     dict(worker_fields=D + '\n  bindings = [ (name = "DO", durableObjectNamespace = (className = "C", serviceName = "other")) ],'),
     "ref-unknown-service", ['binding "DO"', '"other"'], 'serviceName = "other"'),
    ("do-class-not-exported",
     dict(worker_fields=D + '\n  durableObjectNamespaces = [ (className = "Counter", uniqueKey = "k") ],\n'
                            '  durableObjectStorage = (inMemory = void),'),
     "do-class-not-exported", ['"Counter"', "not exported"], 'className = "Counter"'),
    ("do-class-binding-not-exported",
     dict(worker_fields=D + '\n  bindings = [ (name = "C", durableObjectClass = (name = "main", entrypoint = "Klass")) ],'),
     "ref-entrypoint-unknown", ['binding "C"', 'class "Klass"'], 'entrypoint = "Klass"'),
    ("do-storage-none",
     dict(worker_fields=D + '\n  durableObjectNamespaces = [ (className = "Counter", uniqueKey = "k") ],',
          ),
     "do-storage-none", ['worker "main"', "durableObjectStorage"], 'durableObjectNamespaces'),
    ("local-disk-not-disk",
     dict(worker_fields=D + '\n  durableObjectStorage = (localDisk = "main"),'),
     "do-storage-invalid", ['"main"', "not a disk service"], 'localDisk'),
    ("local-disk-readonly",
     dict(services='(name = "files", disk = (path = "/tmp")),',
          worker_fields=D + '\n  durableObjectStorage = (localDisk = "files"),'),
     "do-storage-readonly", ['"files"', "writable"], 'localDisk'),
    ("ephemeral-needs-experimental",
     dict(worker_fields=D + '\n  durableObjectNamespaces = [ (className = "default", ephemeralLocal = void) ],'),
     "do-ephemeral-experimental", ["--experimental"], 'ephemeralLocal'),
    ("inherit-unknown",
     dict(services='(name = "child", worker = (inherit = "nobody")),'),
     "worker-inherit-unknown", ['"child"', '"nobody"'], 'inherit = "nobody"'),
    # duplicates
    ("duplicate-service",
     dict(services='(name = "main", network = ()),'),
     "service-duplicate", ['"main"', "first declared at line 4"], 'network = ()'),
    ("duplicate-socket",
     dict(sockets='( name = "http", address = "*:8080", http = (), service = "main" ),'
                  '\n    ( name = "http", address = "*:8081", http = (), service = "main" )'),
     "socket-duplicate", ['"http"'], '*:8081'),
    ("duplicate-address",
     dict(sockets='( name = "a", address = "*:8080", http = (), service = "main" ),'
                  '\n    ( name = "b", address = "*:8080", http = (), service = "main" )'),
     "socket-address-duplicate", ['"b"', '"a"', "*:8080"], 'name = "b"'),
    ("duplicate-binding",
     dict(worker_fields=D + '\n  bindings = [ (name = "A", text = "1"),\n    (name = "A", text = "2") ],'),
     "binding-duplicate", ['"A"'], 'text = "2"'),
    ("duplicate-module",
     dict(modules='(name = "worker", esModule = embed "worker.js"),\n    (name = "worker", text = "x")'),
     "module-duplicate", ['"worker"'], 'text = "x"'),
    ("service-without-type",
     dict(services='(name = "empty"),'),
     "service-type-missing", ['"empty"'], '(name = "empty")'),
    # compatibility
    ("date-missing", dict(worker_fields=''), "compat-date-missing", ['worker "main"', "compatibilityDate"], None),
    ("date-malformed", dict(worker_fields='compatibilityDate = "2024-1-01",'),
     "compat-date-invalid", ['"2024-1-01"'], 'compatibilityDate'),
    ("date-not-a-date", dict(worker_fields='compatibilityDate = "2023-02-30",'),
     "compat-date-invalid", ['"2023-02-30"'], 'compatibilityDate'),
    ("date-future", dict(worker_fields='compatibilityDate = "2999-01-01",'),
     "compat-date-future", ['"2999-01-01"', "future"], 'compatibilityDate'),
    ("flag-unknown", dict(worker_fields=D + '\n  compatibilityFlags = ["nodejs_compt"],'),
     "compat-flag-unknown", ['"nodejs_compt"', 'did you mean "nodejs_compat"'], 'nodejs_compt'),
    ("flag-conflict", dict(worker_fields=D + '\n  compatibilityFlags = ["nodejs_compat", "no_nodejs_compat"],'),
     "compat-flag-conflict", ['"nodejs_compat"', '"no_nodejs_compat"'], 'no_nodejs_compat'),
    ("flag-experimental", dict(worker_fields=D + '\n  compatibilityFlags = ["durable_object_get_existing"],'),
     "compat-flag-experimental", ['"durable_object_get_existing"', "--experimental"], 'durable_object_get_existing'),
    # modules and values
    ("json-binding", dict(worker_fields=D + '\n  bindings = [ (name = "CFG", json = "{\\"a\\": }") ],'),
     "json-invalid", ['binding "CFG"', "JSON"], 'name = "CFG"'),
    ("json-module", dict(modules='(name = "worker", esModule = embed "worker.js"),\n    (name = "d.json", json = "{nope}")'),
     "json-invalid", ['"d.json"', "JSON"], 'd.json'),
    ("wasm-module", dict(modules='(name = "worker", esModule = embed "worker.js"),\n    (name = "m.wasm", wasm = 0x"0102")'),
     "wasm-invalid", ['"m.wasm"'], 'm.wasm'),
    ("props-json", dict(worker_fields=D + '\n  bindings = [ (name = "S", service = (name = "main", props = (json = "[1,"))) ],'),
     "json-invalid", ['binding "S"', "props"], 'props'),
    ("socket-address-port", dict(sockets='( name = "http", address = "*:99999", http = (), service = "main" )'),
     "socket-address-invalid", ['socket "http"', "99999", "0-65535"], '*:99999'),
    ("socket-address-v6", dict(sockets='( name = "http", address = "::1:80", http = (), service = "main" )'),
     "socket-address-invalid", ['socket "http"', "brackets"], '::1:80'),
    ("socket-address-port-text", dict(sockets='( name = "http", address = "localhost:http8", http = (), service = "main" )'),
     "socket-address-invalid", ['"http8"'], 'localhost:http8'),
    ("external-address", dict(services='(name = "ext", external = (address = "a b:80")),'),
     "external-address-invalid", ['external service "ext"', "a b"], 'a b:80'),
    ("network-allow", dict(services='(name = "net", network = (allow = ["publik"])),'),
     "network-entry-invalid", ['network service "net"', '"publik"'], 'publik'),
    ("network-deny-public", dict(services='(name = "net", network = (deny = ["public"])),'),
     "network-entry-invalid", ['"public"', "cannot be denied"], 'deny'),
    ("network-deny-network", dict(services='(name = "net", network = (deny = ["network"])),'),
     "network-entry-invalid", ['"network"', "cannot be denied"], 'deny'),
    ("network-bad-cidr", dict(services='(name = "net", network = (allow = ["10.0.0.0/33"])),'),
     "network-entry-invalid", ['"10.0.0.0/33"'], '10.0.0.0/33'),
    ("https-keypair-garbage",
     dict(sockets='( name = "tls", address = "*:8443", https = (options = (), tlsOptions = (keypair = ('
                  'privateKey = "nope", certificateChain = "nope"))), service = "main" )'),
     "tls-keypair", ['socket "tls"', "private key"], 'keypair'),
    ("https-without-keypair",
     dict(sockets='( name = "tls", address = "*:8443", https = (options = (), tlsOptions = ()), service = "main" )'),
     "tls-keypair", ['socket "tls"', "keypair"], 'name = "tls"'),
    ("binding-without-value", dict(worker_fields=D + '\n  bindings = [ (name = "EMPTY") ],'),
     "binding-value-missing", ['"EMPTY"'], '"EMPTY"'),
    ("header-name", dict(sockets='( name = "http", address = "*:8080", http = (injectRequestHeaders = '
                                 '[(name = "bad header", value = "v")]), service = "main" )'),
     "http-header-invalid", ['"bad header"'], 'bad header'),
    ("crypto-hex", dict(worker_fields=D + '\n  bindings = [ (name = "K", cryptoKey = (hex = "zz", algorithm = (name = "HMAC"))) ],'),
     "crypto-key-invalid", ['binding "K"', "hex"], 'hex = "zz"'),
]


@pytest.mark.parametrize("kind,parts,code,fragments,marker", CASES, ids=[c[0] for c in CASES])
def test_error_class(cfgdir, kind, parts, code, fragments, marker):
    check_one(cfgdir, worker_config(**parts), code, fragments, marker)


def test_date_after_newest_supported(cfgdir, monkeypatch):
    from workerd_py.config import compat
    path = cfgdir.write(worker_config('compatibilityDate = "2026-11-25",'))
    from workerd_py.config import check
    plan, diags, _ = check(path, today="2027-06-01")
    assert [d.code for d in diags] == ["compat-date-unsupported"]
    assert compat.NEWEST_SUPPORTED_DATE in diags[0].message and '"2026-11-25"' in diags[0].message


def test_experimental_flag_accepted_with_experimental(cfgdir):
    path = cfgdir.write(worker_config(D + '\n  compatibilityFlags = ["durable_object_get_existing"],'))
    plan, diags = diags_of(path, experimental=True)
    assert plan is not None and not codes(diags)


def test_redundant_flag_is_a_warning(cfgdir):
    text = worker_config(D + '\n  compatibilityFlags = ["formdata_parser_supports_files"],')
    d = check_one(cfgdir, text, "compat-flag-redundant", ["2021-11-03"], "formdata_parser", severity="warning")
    from workerd_py.config import load_plan
    plan = load_plan(cfgdir.path / "config.capnp" and str(cfgdir.path / "config.capnp"))
    assert any("formdata_parser_supports_files" in w for w in plan.warnings)


UNRESOLVED = 'import { helper } from "./lib/helper.js";\nexport default { fetch() { return new Response(helper()); } };\n'


def test_unresolved_import_in_embedded_module_names_the_js_file_and_line(cfgdir):
    text = worker_config()
    path = cfgdir.write(text, worker_js=UNRESOLVED)
    plan, diags = diags_of(path)
    (d,) = [d for d in diags if d.code == "import-unresolved"]
    assert d.file.endswith("worker.js") and d.line == 1
    assert '"./lib/helper.js"' in d.message and 'module "worker"' in d.message


def test_resolved_imports_are_fine(cfgdir):
    text = worker_config(modules='(name = "worker", esModule = embed "worker.js"),\n'
                                 '    (name = "lib/helper.js", esModule = "export function helper() { return 1; }"),\n'
                                 '    (name = "lib/other.js", esModule = "export * from \\"./helper.js\\"; import \\"../worker\\";")')
    path = cfgdir.write(text, worker_js=UNRESOLVED)
    plan, diags = diags_of(path)
    assert plan is not None, diags


def test_unresolved_import_in_inline_module_points_at_the_config_line(cfgdir):
    text = worker_config(modules='(name = "worker", esModule = embed "worker.js"),\n'
                                 '    (name = "lib.js", esModule = "import x from \\"missing\\"; export default x;")')
    check_one(cfgdir, text, "import-unresolved", ['module "lib.js"', '"missing"'], 'name = "lib.js"')


def test_builtin_imports_are_not_modules(cfgdir):
    js = 'import { WorkerEntrypoint } from "cloudflare:workers";\nimport { Buffer } from "node:buffer";\n' \
         'export default { fetch() { return new Response("x"); } };\n'
    path = cfgdir.write(worker_config(D + '\n  compatibilityFlags = ["nodejs_compat"],'), worker_js=js)
    plan, diags = diags_of(path)
    assert plan is not None and not diags, diags


def test_node_import_without_nodejs_compat_warns(cfgdir):
    js = 'import { Buffer } from "node:buffer";\nexport default { fetch() { return new Response("x"); } };\n'
    path = cfgdir.write(worker_config(), worker_js=js)
    plan, diags = diags_of(path)
    assert plan is not None and codes(diags, "warning") == ["import-node-without-compat"]


def test_module_fallback_skips_import_checks(cfgdir):
    path = cfgdir.write(worker_config(D + '\n  moduleFallback = "localhost:8888",'), worker_js=UNRESOLVED)
    plan, diags = diags_of(path)
    assert plan is not None, diags


def test_exports_with_export_star_are_unknown_so_entrypoints_pass(cfgdir):
    js = 'export * from "./more.js";\nexport default { fetch() { return new Response("x"); } };\n'
    text = worker_config(D + '\n  bindings = [ (name = "S", service = (name = "main", entrypoint = "Anything")) ],',
                         modules='(name = "worker", esModule = embed "worker.js"),\n'
                                 '    (name = "more.js", esModule = "export class Anything {}")')
    path = cfgdir.write(text, worker_js=js)
    plan, diags = diags_of(path)
    assert plan is not None, diags


def test_exported_entrypoints_and_do_classes_pass(cfgdir):
    js = ('import { DurableObject, WorkerEntrypoint } from "cloudflare:workers";\n'
          'export class Counter extends DurableObject {}\n'
          'export class Admin extends WorkerEntrypoint {}\n'
          'class Hidden {}\nexport { Hidden as Renamed };\n'
          'export default { fetch() { return new Response("x"); } };\n')
    text = worker_config(D + '''
  bindings = [
    (name = "ADMIN", service = (name = "main", entrypoint = "Admin")),
    (name = "R", service = (name = "main", entrypoint = "Renamed")),
    (name = "COUNTER", durableObjectNamespace = "Counter"),
    (name = "CLS", durableObjectClass = (name = "main", entrypoint = "Counter")),
  ],
  durableObjectNamespaces = [ (className = "Counter", uniqueKey = "abc") ],
  durableObjectStorage = (inMemory = void),''')
    path = cfgdir.write(text, worker_js=js)
    plan, diags = diags_of(path)
    assert plan is not None and not diags, diags


def test_service_worker_has_only_the_default_entrypoint(cfgdir):
    text = HEADER + '''const config :Workerd.Config = (
  services = [
    (name = "sw", worker = (serviceWorkerScript = "addEventListener('fetch', e => {});", compatibilityDate = "2024-01-01")),
  ],
  sockets = [ (name = "http", address = "*:8080", http = (), service = (name = "sw", entrypoint = "Other")) ],
);
'''
    check_one(cfgdir, text, "ref-entrypoint-unknown", ['"Other"', "service-worker"], 'entrypoint = "Other"')


def test_internet_is_implicit(cfgdir):
    path = cfgdir.write(worker_config(D + '\n  globalOutbound = "internet",'))
    plan, diags = diags_of(path)
    assert plan is not None
    assert plan.services["internet"].body.allow == ("public",)


def test_several_errors_are_all_reported_in_line_order(cfgdir):
    text = worker_config('compatibilityDate = "2024-01-01",\n  compatibilityFlags = ["bogus_flag"],\n'
                         '  bindings = [ (name = "X", service = "nope") ],',
                         sockets='( name = "http", address = "*:99999", http = (), service = "main" )')
    path = cfgdir.write(text)
    plan, diags = diags_of(path)
    assert sorted(codes(diags)) == sorted(["compat-flag-unknown", "ref-unknown-service", "socket-address-invalid"])
    assert [d.line for d in diags] == sorted(d.line for d in diags)


def test_https_keypair_that_loads_passes_and_mismatch_fails(cfgdir):
    trustme = pytest.importorskip("trustme")
    ca = trustme.CA()
    cert = ca.issue_cert("localhost")
    other = ca.issue_cert("other")
    key_pem = cert.private_key_pem.bytes().decode()
    chain = "".join(b.bytes().decode() for b in cert.cert_chain_pems)
    (cfgdir.path / "key.pem").write_text(key_pem)
    (cfgdir.path / "cert.pem").write_text(chain)
    (cfgdir.path / "other.pem").write_text(other.private_key_pem.bytes().decode())
    sock = ('( name = "tls", address = "127.0.0.1:8443", https = (options = (), tlsOptions = (keypair = ('
            'privateKey = embed "{key}", certificateChain = embed "cert.pem"))), service = "main" )')
    path = cfgdir.write(worker_config(sockets=sock.replace("{key}", "key.pem")),
                        **{"key.pem": key_pem, "cert.pem": chain, "other.pem": other.private_key_pem.bytes().decode()})
    plan, diags = diags_of(path)
    assert plan is not None, diags
    assert plan.sockets[0].protocol == "https" and plan.sockets[0].tls.keypair.private_key == key_pem
    path = cfgdir.write(worker_config(sockets=sock.replace("{key}", "other.pem")),
                        **{"key.pem": key_pem, "cert.pem": chain, "other.pem": other.private_key_pem.bytes().decode()})
    plan, diags = diags_of(path)
    assert codes(diags) == ["tls-keypair"] and "does not match" in diags[0].message


def test_binary_config_errors_have_no_line(cfgdir, tmp_path):
    """A binary config is validated too; its diagnostics point at the file (line 0)."""
    from cfg_helpers import run_cli
    path = cfgdir.write(worker_config(D + '\n  bindings = [ (name = "X", service = "nope") ],'))
    # compile refuses, so build the binary by hand from the capnp message
    from workerd_py.config import loader
    data = loader.load(path).data
    (tmp_path / "bad.bin").write_bytes(data)
    code, out, err = run_cli(["check", "-b", str(tmp_path / "bad.bin")])
    assert code == 1
    assert f"{tmp_path / 'bad.bin'}: error: " in out.decode() and '"nope"' in out.decode()


def test_reference_to_a_worker_without_default_export(cfgdir):
    js = 'export class Only {}\n'
    text = worker_config(D + '\n  bindings = [ (name = "ONLY", service = (name = "main", entrypoint = "Only")) ],')
    d = check_one(cfgdir, text, "ref-no-default-export", ['socket "http"', '"main"', "default export"],
                  'service = "main"', worker_js=js)


INHERIT = HEADER + """const config :Workerd.Config = (
  services = [
    (name = "parent", worker = (
      modules = [(name = "w.js", esModule = "export default { fetch(r, env) { return new Response(env.WHO); } }")],
      compatibilityDate = "2024-01-01",
      bindings = [(name = "WHO", text = "parent"), (name = "OTHER", text = "same")],
    )),
    (name = "child", worker = (inherit = "parent", bindings = [(name = "WHO", text = "child")])),
    (name = "grandchild", worker = (inherit = "child", globalOutbound = "parent")),
  ],
);
"""


def test_inherit_is_resolved_in_the_plan(cfgdir):
    from workerd_py import plan as P
    from workerd_py.config import load_plan
    plan = load_plan(cfgdir.write(INHERIT))
    parent, child, grand = (plan.services[n].body for n in ("parent", "child", "grandchild"))
    assert child.inherit == "parent" and child.modules == parent.modules
    assert child.compatibility_date == "2024-01-01" and child.compat_flags == parent.compat_flags
    assert [(b.name, b.value) for b in child.bindings] == [("WHO", P.TextBinding("child")),
                                                           ("OTHER", P.TextBinding("same"))]
    assert grand.bindings == child.bindings and grand.global_outbound == P.ServiceDesignator("parent")
    assert child.global_outbound == P.ServiceDesignator("internet")


def test_inherit_errors(cfgdir):
    text = INHERIT.replace('(name = "WHO", text = "child")', '(name = "NEW", text = "child")')
    check_one(cfgdir, text, "worker-inherit-binding-unknown", ['"NEW"', '"parent"', "OTHER, WHO"], '"NEW"')
    text = INHERIT.replace('(inherit = "parent",', '(inherit = "grandchild",')
    check_one(cfgdir, text, "worker-inherit-cycle", ['"child"'], None)
    text = INHERIT.replace('(inherit = "parent",', '(inherit = "parent", compatibilityDate = "2024-01-01",')
    check_one(cfgdir, text, "worker-inherit-compat", ['"child"', "compatibilityDate"], 'inherit = "parent"')
