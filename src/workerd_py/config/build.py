"""Config message -> Plan, validating as it goes.

One pass over the Config reader builds the plan dataclasses and records every reference; a second
pass checks references between items (services, entrypoints, Durable Object namespaces). Each
finding is a Diagnostic located through capnp_text.TextIndex (path -> line:column in the config),
so messages name the file, the line and the item.
"""
from __future__ import annotations

import base64
import binascii
import json
import math
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Optional

from .. import plan as P
from . import compat, jscheck, netcheck
from .capnp_text import TextIndex
from .diagnostics import Diagnostic
from .loader import Loaded

Path_ = tuple  # a path into the config value: ("services", 0, "worker", "bindings", 2, "name")


@dataclass
class _Ref:
    des: P.ServiceDesignator
    path: Path_
    what: str             # human description: 'socket "http"', 'binding "API" of worker "main"'
    need: str = "any"     # "any" | "do-class" (entrypoint must be an exported class of a worker)
    name_path: Optional[Path_] = None


@dataclass
class _WorkerInfo:
    name: str
    path: Path_
    exports: Optional[set]            # None when unknown (service worker, CommonJS, export *)
    is_service_worker: bool = False
    do_classes: tuple = ()             # class names of declared namespaces
    inherit: Optional[str] = None


def _a(kind: str) -> str:
    return ("an " if kind[:1] in "aeiou" else "a ") + kind


def _json_strict(text: str) -> Any:
    def bad_constant(c):
        raise ValueError(f"{c} is not valid JSON")
    return json.loads(text, parse_constant=bad_constant)


def _json_problem(text: str) -> Optional[str]:
    try:
        _json_strict(text)
        return None
    except json.JSONDecodeError as e:
        return f"{e.msg} at line {e.lineno} column {e.colno}"
    except (ValueError, RecursionError) as e:
        return str(e) or type(e).__name__


class Builder:
    def __init__(self, loaded: Loaded, *, experimental: bool = False, today: Optional[str] = None,
                 newest: str = compat.NEWEST_SUPPORTED_DATE,
                 default_compatibility_date: Optional[str] = None, check_js: bool = True):
        self.loaded = loaded
        self.file = loaded.file
        self.const = loaded.const
        self.idx = TextIndex(loaded.text, loaded.file) if loaded.text is not None else None
        self.experimental = experimental
        self.today = today
        self.newest = newest
        self.default_date = default_compatibility_date
        self.check_js = check_js
        self.diags: list[Diagnostic] = []
        self.refs: list[_Ref] = []
        self.workers: dict[str, _WorkerInfo] = {}
        self.kinds: dict[str, str] = {}
        self.disk_writable: dict[str, bool] = {}
        self.extension_modules: set[str] = set()
        self.inherit_info: dict[str, dict] = {}

    # -- locations and reporting ------------------------------------------------------------------

    def pos(self, path: Path_, value: bool = False) -> tuple[int, int]:
        if self.idx is None:
            return (0, 0)
        p = self.idx.value_pos(self.const, path) if value else None
        if p is None:
            p = self.idx.find(self.const, path)
        return p or (0, 0)

    def loc(self, path: Path_) -> P.SourceLocation:
        line, col = self.pos(path)
        return P.SourceLocation(self.file, line, col)

    def report(self, severity: str, path: Path_, code: str, msg: str, *, value: bool = False,
               where: Optional[tuple[str, int, int]] = None) -> None:
        if where is not None:
            file, line, col = where
        else:
            file = self.file
            line, col = self.pos(path, value)
        self.diags.append(Diagnostic(file, line, col, severity, code, msg))

    def error(self, path: Path_, code: str, msg: str, **kw) -> None:
        self.report("error", path, code, msg, **kw)

    def warn(self, path: Path_, code: str, msg: str, **kw) -> None:
        self.report("warning", path, code, msg, **kw)

    def _embed_file(self, path: Path_) -> Optional[str]:
        """The embedded file's display path when the value at `path` is `embed "x"`."""
        if self.idx is None:
            return None
        node = self.idx.node(self.const, path)
        if node is not None and node.kind == "embed" and node.text:
            d = os.path.dirname(self.file) if self.file != "<stdin>" else ""
            return os.path.normpath(os.path.join(d, node.text)) if d else node.text
        return None

    # -- small readers ----------------------------------------------------------------------------

    @staticmethod
    def _text(r, field: str) -> Optional[str]:
        try:
            return r._get(field) if r._has(field) else None
        except Exception:
            return None

    def designator(self, d, path: Path_, what: str, need: str = "any", record: bool = True) -> P.ServiceDesignator:
        name = d.name
        ep = d.entrypoint if d._has("entrypoint") else None
        props = d.props.json if d.props.which() == "json" else None
        des = P.ServiceDesignator(name, ep or None, props)
        if props is not None:
            prob = _json_problem(props)
            if prob:
                self.error(path + ("props", "json"), "json-invalid",
                           f"{what}: props json is not valid JSON: {prob}", value=True)
        if record:
            self.refs.append(_Ref(des, path, what, need))
        return des

    def http_options(self, h) -> P.HttpOptions:
        def headers(lst):
            return tuple(P.Header(x.name, x.value) for x in lst)
        return P.HttpOptions(
            style=str(h.style),
            forwarded_proto_header=self._text(h, "forwardedProtoHeader"),
            cf_blob_header=self._text(h, "cfBlobHeader"),
            inject_request_headers=headers(h.injectRequestHeaders),
            inject_response_headers=headers(h.injectResponseHeaders),
            capnp_connect_host=self._text(h, "capnpConnectHost"),
        )

    def http_options_checked(self, h, path: Path_, what: str) -> P.HttpOptions:
        opts = self.http_options(h)
        import re
        token = re.compile(r"^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$")
        for key, hs in (("injectRequestHeaders", opts.inject_request_headers),
                        ("injectResponseHeaders", opts.inject_response_headers)):
            for i, hd in enumerate(hs):
                if not token.match(hd.name):
                    self.error(path + (key, i, "name"), "http-header-invalid",
                               f'{what}: "{hd.name}" is not a valid HTTP header name')
                if "\r" in hd.value or "\n" in hd.value or "\0" in hd.value:
                    self.error(path + (key, i, "value"), "http-header-invalid",
                               f'{what}: the value of header "{hd.name}" contains CR, LF or NUL')
        for key, v in (("forwardedProtoHeader", opts.forwarded_proto_header),
                       ("cfBlobHeader", opts.cf_blob_header)):
            if v is not None and not token.match(v):
                self.error(path + (key,), "http-header-invalid",
                           f'{what}: {key} "{v}" is not a valid HTTP header name')
        return opts

    def tls_options(self, t, path: Path_, what: str, need_keypair: bool = False) -> P.TlsOptions:
        keypair = None
        if t._has("keypair"):
            kp = t.keypair
            keypair = P.Keypair(kp.privateKey, kp.certificateChain)
            prob = netcheck.check_keypair(keypair.private_key, keypair.certificate_chain)
            if prob:
                self.error(path + ("keypair",), "tls-keypair", f"{what}: {prob}")
        elif need_keypair:
            self.error(path, "tls-keypair", f"{what}: https needs tlsOptions.keypair "
                                            f"(privateKey and certificateChain)")
        trusted = tuple(t.trustedCertificates)
        for i, pem in enumerate(trusted):
            prob = netcheck.check_certificate(pem)
            if prob:
                self.error(path + ("trustedCertificates", i), "tls-certificate",
                           f"{what}: trusted certificate #{i + 1}: {prob}")
        return P.TlsOptions(
            keypair=keypair,
            require_client_certs=bool(t.requireClientCerts),
            trust_browser_cas=bool(t.trustBrowserCas),
            trusted_certificates=trusted,
            min_version=str(t.minVersion),
            cipher_list=self._text(t, "cipherList"),
        )

    # -- the walk ---------------------------------------------------------------------------------

    def build(self, r) -> P.Plan:
        services_r = list(r.services)
        seen: dict[str, Path_] = {}
        for i, s in enumerate(services_r):
            name = s.name
            path = ("services", i)
            kind = s.which()
            if not name:
                self.error(path, "service-name-missing", f"service #{i + 1} has no name")
            elif name in seen:
                first = self.pos(seen[name] + ("name",))
                self.error(path + ("name",), "service-duplicate",
                           f'duplicate service name "{name}"' + (f" (first declared at line {first[0]})"
                                                                 if first[0] else ""))
            else:
                seen[name] = path
                self.kinds[name] = kind
            if kind == "disk":
                self.disk_writable.setdefault(name, bool(s.disk.writable))

        for e in r.extensions:
            for m in e.modules:
                self.extension_modules.add(m.name)

        services: dict[str, P.Service] = {}
        for i, s in enumerate(services_r):
            path = ("services", i)
            svc = self.service(s, path)
            if svc is not None and svc.name and svc.name not in services:
                services[svc.name] = svc
        if "internet" not in services:
            services["internet"] = P.Service("internet", P.Network(allow=("public",)),
                                             P.SourceLocation(self.file, 0, 0))
            self.kinds["internet"] = "network"

        sockets = []
        seen_sock: dict[str, Path_] = {}
        seen_addr: dict[str, str] = {}
        for i, so in enumerate(r.sockets):
            path = ("sockets", i)
            sock = self.socket(so, path)
            if not sock.name:
                self.error(path, "socket-name-missing", f"socket #{i + 1} has no name")
            elif sock.name in seen_sock:
                self.error(path + ("name",), "socket-duplicate", f'duplicate socket name "{sock.name}"')
            else:
                seen_sock[sock.name] = path
            if sock.address and not sock.address.endswith(":0") and sock.address in seen_addr:
                self.error(path + ("address",), "socket-address-duplicate",
                           f'socket "{sock.name}": address "{sock.address}" is already used by socket '
                           f'"{seen_addr[sock.address]}"')
            elif sock.address:
                seen_addr[sock.address] = sock.name
            sockets.append(sock)

        self.check_refs()
        self.resolve_inherits(services)

        logging = P.LoggingOptions(
            structured_logging=bool(r.structuredLogging) or (r._has("logging") and bool(r.logging.structuredLogging)),
            stdout_prefix=self._text(r.logging, "stdoutPrefix") if r._has("logging") else None,
            stderr_prefix=self._text(r.logging, "stderrPrefix") if r._has("logging") else None,
        )
        extensions = tuple(
            P.Extension(tuple(P.ExtensionModule(m.name, m.esModule, bool(m.internal)) for m in e.modules))
            for e in r.extensions)
        warnings = tuple(d.format() for d in self.diags if d.severity == "warning")
        return P.Plan(services=services, sockets=tuple(sockets), logging=logging,
                      v8_flags=tuple(r.v8Flags), autogates=tuple(r.autogates), extensions=extensions,
                      warnings=warnings, source=self.file, const=self.const)

    def socket(self, so, path: Path_) -> P.Socket:
        name = so.name
        what = f'socket "{name}"'
        address = so.address if so._has("address") else None
        if address is not None:
            prob = netcheck.check_address(address)
            if prob:
                self.error(path + ("address",), "socket-address-invalid",
                           f'{what}: invalid address "{address}": {prob}', value=True)
        which = so.which()
        http = None
        tls = None
        if which == "http":
            http = self.http_options_checked(so.http, path + ("http",), what)
            protocol = "http"
        elif which == "https":
            http = self.http_options_checked(so.https.options, path + ("https", "options"), what)
            tls = self.tls_options(so.https.tlsOptions, path + ("https", "tlsOptions"), what, need_keypair=True)
            protocol = "https"
        else:
            protocol = "tcp"
            if so.tcp._has("tlsOptions"):
                tls = self.tls_options(so.tcp.tlsOptions, path + ("tcp", "tlsOptions"), what)
        if so._has("service"):
            des = self.designator(so.service, path + ("service",), what)
        else:
            des = P.ServiceDesignator("")
            self.error(path, "socket-service-missing", f"{what} names no service")
        return P.Socket(name=name, address=address, service=des, protocol=protocol, http=http, tls=tls,
                        location=self.loc(path + ("name",)))

    def service(self, s, path: Path_) -> Optional[P.Service]:
        name = s.name
        kind = s.which()
        loc = self.loc(path + ("name",))
        if kind == "unspecified":
            self.error(path + ("name",), "service-type-missing",
                       f'service "{name}" has no type: give it worker, network, external or disk')
            return None
        if kind == "worker":
            body = self.worker(s.worker, path + ("worker",), name)
        elif kind == "network":
            body = self.network(s.network, path + ("network",), name)
        elif kind == "external":
            body = self.external(s.external, path + ("external",), name)
        elif kind == "disk":
            d = s.disk
            dpath = self._text(d, "path")
            if dpath is not None and not dpath:
                self.error(path + ("disk", "path"), "disk-path-invalid", f'disk service "{name}": empty path')
            body = P.Disk(dpath, bool(d.writable), bool(d.allowDotfiles))
        else:  # pragma: no cover - newer schema member
            self.error(path, "service-type-unknown", f'service "{name}": unsupported type "{kind}"')
            return None
        if body is None:
            return None
        return P.Service(name, body, loc)

    def network(self, n, path: Path_, name: str) -> P.Network:
        what = f'network service "{name}"'
        allow = tuple(n.allow)
        deny = tuple(n.deny)
        for key, lst in (("allow", allow), ("deny", deny)):
            for i, e in enumerate(lst):
                prob = netcheck.check_network_entry(e, deny=(key == "deny"))
                if prob:
                    self.error(path + (key, i), "network-entry-invalid", f"{what}: {key}: {prob}")
        tls = self.tls_options(n.tlsOptions, path + ("tlsOptions",), what) if n._has("tlsOptions") else None
        return P.Network(allow=allow, deny=deny, tls=tls)

    def external(self, x, path: Path_, name: str) -> P.External:
        what = f'external service "{name}"'
        address = x.address if x._has("address") else None
        if address is not None:
            prob = netcheck.check_address(address)
            if prob:
                self.error(path + ("address",), "external-address-invalid",
                           f'{what}: invalid address "{address}": {prob}', value=True)
        which = x.which()
        http = tls = cert_host = None
        if which == "http":
            http = self.http_options_checked(x.http, path + ("http",), what)
        elif which == "https":
            http = self.http_options_checked(x.https.options, path + ("https", "options"), what)
            if x.https._has("tlsOptions"):
                tls = self.tls_options(x.https.tlsOptions, path + ("https", "tlsOptions"), what)
            cert_host = self._text(x.https, "certificateHost")
        else:
            if x.tcp._has("tlsOptions"):
                tls = self.tls_options(x.tcp.tlsOptions, path + ("tcp", "tlsOptions"), what)
            cert_host = self._text(x.tcp, "certificateHost")
        return P.External(address=address, protocol=which, http=http, tls=tls, certificate_host=cert_host)

    # -- workers ----------------------------------------------------------------------------------

    def worker(self, w, path: Path_, name: str) -> Optional[P.Worker]:
        what = f'worker "{name}"'
        code = w.which()
        modules: list[P.Module] = []
        script = inherit = None
        info = _WorkerInfo(name, path, None)
        if code == "modules":
            modules = self.modules(w.modules, path + ("modules",), name, info)
            if not modules:
                self.error(path, "worker-no-code",
                           f"{what} has no code: give it modules = [...] or serviceWorkerScript")
        elif code == "serviceWorkerScript":
            script = w.serviceWorkerScript
            info.is_service_worker = True
            info.exports = {"default"}
            if self.check_js:
                self.js_syntax(script, path + ("serviceWorkerScript",), what, name, module=False)
        else:
            inherit = w.inherit
            info.inherit = inherit
            self.inherit_info[name] = dict(
                path=path, has_global=w._has("globalOutbound"),
                has_compat=bool(w._has("compatibilityDate") or len(w.compatibilityFlags)),
                binding_paths={b.name: path + ("bindings", i) for i, b in enumerate(w.bindings)})
            if self.kinds.get(inherit) != "worker":
                self.error(path + ("inherit",), "worker-inherit-unknown",
                           f'{what} inherits from "{inherit}", which is not a worker service'
                           + ("" if inherit in self.kinds else " (no service has that name)"))
        self.workers.setdefault(name, info)

        # compatibility
        date = w.compatibilityDate if w._has("compatibilityDate") else ""
        flags = tuple(w.compatibilityFlags)
        if not date and self.default_date:
            date = self.default_date
        if inherit is None or date:
            prob = compat.check_date(date, today=self.today, newest=self.newest)
            if prob:
                code_, msg = prob
                p = path + ("compatibilityDate",) if w._has("compatibilityDate") else path
                self.error(p, code_, f"{what}: {msg}", value=bool(w._has("compatibilityDate")))
        for fp in compat.check_flags(flags, experimental=self.experimental, date=date):
            idx = flags.index(fp.flag) if fp.flag in flags else 0
            self.report(fp.severity, path + ("compatibilityFlags", idx), fp.code, f"{what}: {fp.message}")
        resolved = compat.resolve(date, flags)

        # bindings
        bindings = self.bindings(w.bindings, path + ("bindings",), name, what)

        # durable objects
        namespaces = []
        seen_cls: set = set()
        for i, ns in enumerate(w.durableObjectNamespaces):
            npath = path + ("durableObjectNamespaces", i)
            cls = ns.className
            if not cls:
                self.error(npath, "do-class-missing", f"{what}: Durable Object namespace #{i + 1} has no className")
            elif cls in seen_cls:
                self.error(npath + ("className",), "do-namespace-duplicate",
                           f'{what}: duplicate Durable Object namespace for class "{cls}"')
            seen_cls.add(cls)
            which = ns.which()
            unique = ns.uniqueKey if which == "uniqueKey" else None
            if which == "ephemeralLocal" and not self.experimental:
                self.error(npath, "do-ephemeral-experimental",
                           f'{what}: Durable Object namespace "{cls}" is ephemeralLocal, an experimental '
                           f'feature: pass --experimental to use it')
            if which == "uniqueKey" and not unique:
                self.error(npath, "do-unique-key-missing",
                           f'{what}: Durable Object namespace "{cls}" needs a uniqueKey (or ephemeralLocal)')
            namespaces.append(P.DurableObjectNamespace(
                class_name=cls, unique_key=unique, ephemeral_local=(which == "ephemeralLocal"),
                prevent_eviction=bool(ns.preventEviction), enable_sql=bool(ns.enableSql),
                location=self.loc(npath + ("className",))))
        info.do_classes = tuple(n.class_name for n in namespaces)

        storage_which = w.durableObjectStorage.which()
        storage: P.DurableObjectStorage = None
        if storage_which == "inMemory":
            storage = P.InMemoryStorage()
        elif storage_which == "localDisk":
            disk = w.durableObjectStorage.localDisk
            storage = P.LocalDiskStorage(disk)
            spath = path + ("durableObjectStorage", "localDisk")
            if self.kinds.get(disk) != "disk":
                self.error(spath, "do-storage-invalid",
                           f'{what}: durableObjectStorage.localDisk names "{disk}", which is not a disk service'
                           + ("" if disk in self.kinds else " (no service has that name)"))
            elif not self.disk_writable.get(disk):
                self.error(spath, "do-storage-readonly",
                           f'{what}: durableObjectStorage.localDisk names disk service "{disk}", '
                           f'which is not writable (set writable = true)')
        if any(n.unique_key is not None for n in namespaces) and storage is None:
            self.error(path + ("durableObjectNamespaces",), "do-storage-none",
                       f"{what} declares Durable Object namespaces but its durableObjectStorage is none: "
                       f"set durableObjectStorage = (inMemory = void) or (localDisk = \"a-writable-disk-service\")")

        global_out = self.designator(w.globalOutbound, path + ("globalOutbound",), f"{what}: globalOutbound")
        cache_out = None
        if w._has("cacheApiOutbound"):
            cache_out = self.designator(w.cacheApiOutbound, path + ("cacheApiOutbound",),
                                        f"{what}: cacheApiOutbound")
        tails = tuple(self.designator(t, path + ("tails", i), f"{what}: tail #{i + 1}")
                      for i, t in enumerate(w.tails))
        stails = tuple(self.designator(t, path + ("streamingTails", i), f"{what}: streaming tail #{i + 1}")
                       for i, t in enumerate(w.streamingTails))
        fallback = self._text(w, "moduleFallback")
        if fallback:
            prob = netcheck.check_address(fallback)
            if prob:
                self.error(path + ("moduleFallback",), "module-fallback-invalid",
                           f'{what}: moduleFallback "{fallback}" is not an address: {prob}', value=True)

        # imports of each module
        if modules and fallback is None:
            self.check_imports(modules, path + ("modules",), name, resolved)

        return P.Worker(
            compatibility_date=date, compatibility_flags=flags, compat_flags=resolved,
            modules=tuple(modules), service_worker_script=script, inherit=inherit,
            bindings=tuple(bindings), global_outbound=global_out, cache_api_outbound=cache_out,
            durable_object_namespaces=tuple(namespaces),
            durable_object_unique_key_modifier=self._text(w, "durableObjectUniqueKeyModifier"),
            durable_object_storage=storage, module_fallback=fallback, tails=tails, streaming_tails=stails)

    def modules(self, mods, path: Path_, wname: str, info: _WorkerInfo) -> list[P.Module]:
        out: list[P.Module] = []
        seen: set = set()
        what = f'worker "{wname}"'
        for i, m in enumerate(mods):
            mpath = path + (i,)
            name = m.name
            kind = m.which()
            if not name:
                self.error(mpath, "module-name-missing", f"{what}: module #{i + 1} has no name")
            elif name in seen:
                self.error(mpath + ("name",), "module-duplicate", f'{what}: duplicate module name "{name}"')
            seen.add(name)
            content: Any
            if kind in ("data", "wasm"):
                content = bytes(m._get(kind))
            elif kind == "obsolete":
                self.error(mpath, "module-obsolete", f'{what}: module "{name}" uses an obsolete module type')
                continue
            elif kind == "obsoletePythonRequirement":
                content = m.obsoletePythonRequirement
                kind = "pythonRequirement"
            else:
                content = m._get(kind)
            vpath = mpath + (m.which(),)
            if kind == "json":
                prob = _json_problem(content)
                if prob:
                    self.error(vpath, "json-invalid",
                               f'{what}: json module "{name}" is not valid JSON: {prob}', value=True)
            elif kind == "wasm":
                if content[:4] != b"\0asm":
                    self.error(vpath, "wasm-invalid",
                               f'{what}: wasm module "{name}" is not WebAssembly (no \\0asm header)', value=True)
            elif kind == "esModule":
                if self.check_js:
                    self.js_syntax(content, vpath, what, name, module=True)
                if i == 0:
                    scan = jscheck.scan_module(content)
                    info.exports = set(scan.exports) if scan.exports_complete else None
            elif kind == "commonJsModule" and self.check_js:
                head = "(function (exports, require, module, __filename, __dirname) {"
                self.js_syntax(head + content + "\n})", vpath, what, name, module=False, shift=len(head))
            out.append(P.Module(name, kind, content, tuple(m.namedExports), self.loc(mpath + ("name",))))
        return out

    def js_syntax(self, src: str, vpath: Path_, what: str, mname: str, module: bool, shift: int = 0) -> None:
        prob = jscheck.check_syntax(src, mname, module=module)
        if prob is None:
            return
        if shift and prob.line == 1:
            prob.column = max(1, prob.column - shift)
        embed = self._embed_file(vpath)
        if embed is not None:
            self.error(vpath, "js-syntax", f'{what}: module "{mname}": {prob.message}',
                       where=(embed, prob.line, prob.column))
        else:
            at = f" (line {prob.line} of the module)" if prob.line else ""
            self.error(vpath, "js-syntax", f'{what}: module "{mname}"{at}: {prob.message}', value=True)

    def check_imports(self, modules: list[P.Module], path: Path_, wname: str, flags: frozenset) -> None:
        names = {m.name for m in modules}
        for i, m in enumerate(modules):
            if m.kind != "esModule":
                continue
            vpath = path + (i, "esModule")
            for spec, line in jscheck.scan_module(m.content).imports:
                if spec.startswith(jscheck.BUILTIN_PREFIXES):
                    if spec.startswith("node:") and not ({"nodejs_compat", "nodejs_compat_v2", "nodejs_als"} & flags):
                        self.warn(vpath, "import-node-without-compat",
                                  f'worker "{wname}": module "{m.name}" imports "{spec}", but the '
                                  f'nodejs_compat flag is off', value=True)
                    continue
                target = jscheck.resolve_specifier(m.name, spec)
                if target in names or spec in names or target in self.extension_modules:
                    continue
                known = ", ".join(sorted(names))
                msg = (f'worker "{wname}": module "{m.name}" imports "{spec}"'
                       + (f' (resolved to "{target}")' if target != spec else "")
                       + f", which is not a module of this worker (modules: {known})")
                embed = self._embed_file(vpath)
                if embed is not None:
                    self.error(vpath, "import-unresolved", msg, where=(embed, line, 0))
                else:
                    self.error(vpath, "import-unresolved", msg, value=True)

    def bindings(self, bs, path: Path_, wname: str, what: str) -> list[P.Binding]:
        out: list[P.Binding] = []
        seen: set = set()
        for i, b in enumerate(bs):
            bpath = path + (i,)
            name = b.name
            bwhat = f'{what}: binding "{name}"'
            if not name:
                self.error(bpath, "binding-name-missing", f"{what}: binding #{i + 1} has no name")
            elif name in seen:
                self.error(bpath + ("name",), "binding-duplicate", f'{what}: duplicate binding name "{name}"')
            seen.add(name)
            value = self.binding_value(b, bpath, wname, bwhat)
            if value is None:
                continue
            out.append(P.Binding(name, value, self.loc(bpath + ("name",))))
        return out

    def binding_value(self, b, bpath: Path_, wname: str, bwhat: str):
        kind = b.which()
        vpath = bpath + (kind,)
        des = lambda d, need="any": self.designator(d, vpath, bwhat, need)  # noqa: E731
        if kind == "unspecified":
            self.error(bpath, "binding-value-missing",
                       f"{bwhat} has no value (text, json, service, kvNamespace, ...)")
            return None
        if kind == "text":
            return P.TextBinding(b.text)
        if kind == "data":
            return P.DataBinding(bytes(b.data))
        if kind == "json":
            prob = _json_problem(b.json)
            if prob:
                self.error(vpath, "json-invalid", f"{bwhat}: not valid JSON: {prob}", value=True)
            return P.JsonBinding(b.json)
        if kind == "wasmModule":
            data = bytes(b.wasmModule)
            if data[:4] != b"\0asm":
                self.error(vpath, "wasm-invalid", f"{bwhat}: not WebAssembly (no \\0asm header)", value=True)
            return P.WasmModuleBinding(data)
        if kind == "cryptoKey":
            return self.crypto_key(b.cryptoKey, vpath, bwhat)
        if kind == "service":
            return P.ServiceBinding(des(b.service))
        if kind == "durableObjectClass":
            return P.DurableObjectClassBinding(des(b.durableObjectClass, "do-class"))
        if kind == "durableObjectNamespace":
            d = b.durableObjectNamespace
            svc = d.serviceName if d._has("serviceName") and d.serviceName else wname
            self.refs.append(_Ref(P.ServiceDesignator(svc, d.className), vpath, bwhat, "do-namespace"))
            return P.DurableObjectNamespaceBinding(d.className, svc)
        if kind == "kvNamespace":
            return P.KvNamespaceBinding(des(b.kvNamespace))
        if kind == "r2Bucket":
            return P.R2BucketBinding(des(b.r2Bucket))
        if kind == "obsolete0":
            return P.R2AdminBinding(des(b.obsolete0))
        if kind == "queue":
            return P.QueueBinding(des(b.queue))
        if kind == "analyticsEngine":
            return P.AnalyticsEngineBinding(des(b.analyticsEngine))
        if kind == "fromEnvironment":
            return P.FromEnvironmentBinding(b.fromEnvironment)
        if kind == "hyperdrive":
            h = b.hyperdrive
            d = self.designator(h.designator, bpath + ("hyperdrive", "designator"), bwhat)
            return P.HyperdriveBinding(d, h.database, h.user, h.password, h.scheme)
        if kind == "unsafeEval":
            return P.UnsafeEvalBinding()
        if kind == "memoryCache":
            mc = b.memoryCache
            lim = mc.limits
            return P.MemoryCacheBinding(mc.id, int(lim.maxKeys), int(lim.maxValueSize), int(lim.maxTotalValueSize))
        if kind == "workerLoader":
            return P.WorkerLoaderBinding(self._text(b.workerLoader, "id"))
        if kind == "workerdDebugPort":
            return P.WorkerdDebugPortBinding()
        if kind == "wrapped":
            wr = b.wrapped
            if wr.moduleName not in self.extension_modules:
                self.error(vpath + ("moduleName",), "wrapped-module-unknown",
                           f'{bwhat}: wrapped binding names module "{wr.moduleName}", which no extension provides')
            inner = self.bindings(wr.innerBindings, vpath + ("innerBindings",), wname, bwhat)
            return P.WrappedBinding(wr.moduleName, wr.entrypoint, tuple(inner))
        if kind == "parameter":
            return P.ParameterBinding(str(b.parameter.type.which()), bool(b.parameter.optional))
        self.error(bpath, "binding-kind-unknown", f'{bwhat}: unsupported binding type "{kind}"')
        return None

    def crypto_key(self, k, vpath: Path_, bwhat: str) -> P.CryptoKeyBinding:
        fmt = k.which()
        data = bytes(k.raw) if fmt == "raw" else k._get(fmt)
        prob = None
        if fmt == "hex":
            try:
                binascii.unhexlify(data)
            except (binascii.Error, ValueError):
                prob = "hex key data is not valid hex"
        elif fmt == "base64":
            try:
                base64.b64decode(data, validate=True)
            except (binascii.Error, ValueError):
                prob = "base64 key data is not valid base64"
        elif fmt == "jwk":
            jp = _json_problem(data)
            if jp:
                prob = f"jwk is not valid JSON: {jp}"
        if prob:
            self.error(vpath + (fmt,), "crypto-key-invalid", f"{bwhat}: {prob}", value=True)
        alg = k.algorithm.which()
        alg_name = k.algorithm.name if alg == "name" else None
        alg_json = k.algorithm.json if alg == "json" else None
        if alg_json is not None:
            jp = _json_problem(alg_json)
            if jp:
                self.error(vpath + ("algorithm", "json"), "json-invalid",
                           f"{bwhat}: algorithm json is not valid JSON: {jp}", value=True)
        return P.CryptoKeyBinding(fmt, data, alg_name, alg_json, bool(k.extractable),
                                  tuple(str(u) for u in k.usages))

    # -- references -------------------------------------------------------------------------------

    def _exports(self, wname: str, depth: int = 0) -> Optional[set]:
        info = self.workers.get(wname)
        if info is None:
            return None
        if info.inherit and depth < 20:
            return self._exports(info.inherit, depth + 1)
        return info.exports

    def check_refs(self) -> None:
        for ref in self.refs:
            d = ref.des
            if ref.need == "do-namespace":
                self.check_do_namespace_ref(ref)
                continue
            npath = ref.path + ("name",)
            if not d.name:
                self.error(ref.path, "ref-service-missing", f"{ref.what} names no service")
                continue
            if d.name not in self.kinds:
                if d.name == "internet":
                    continue
                self.error(npath, "ref-unknown-service",
                           f'{ref.what} refers to service "{d.name}", which is not defined'
                           + self._suggest(d.name))
                continue
            kind = self.kinds[d.name]
            if ref.need == "do-class" and kind != "worker":
                self.error(npath, "ref-not-worker",
                           f'{ref.what} refers to "{d.name}", which is {_a(kind)} service, not a worker')
                continue
            if d.entrypoint is None and ref.need == "any" and kind == "worker":
                exports = self._exports(d.name)
                if exports is not None and "default" not in exports:
                    listed = ", ".join(sorted(exports)) or "none"
                    self.error(npath, "ref-no-default-export",
                               f'{ref.what} refers to worker "{d.name}", whose main module has no default '
                               f'export (exports: {listed}); name an entrypoint or add `export default`')
                continue
            if d.entrypoint is not None or ref.need == "do-class":
                if kind != "worker":
                    self.error(ref.path + ("entrypoint",), "ref-entrypoint-not-worker",
                               f'{ref.what} asks for entrypoint "{d.entrypoint}" of "{d.name}", '
                               f'which is {_a(kind)} service, not a worker')
                    continue
                ep = d.entrypoint or "default"
                info = self.workers.get(d.name)
                if info is not None and info.is_service_worker and ep != "default":
                    self.error(ref.path + ("entrypoint",), "ref-entrypoint-unknown",
                               f'{ref.what} asks for entrypoint "{ep}" of worker "{d.name}", but a '
                               f'service-worker script has only the default entrypoint')
                    continue
                exports = self._exports(d.name)
                if exports is not None and ep not in exports:
                    noun = "class" if ref.need == "do-class" else "entrypoint"
                    listed = ", ".join(sorted(exports)) or "none"
                    self.error(ref.path + ("entrypoint",), "ref-entrypoint-unknown",
                               f'{ref.what} asks for {noun} "{ep}" of worker "{d.name}", which its main '
                               f'module does not export (exports: {listed})')
        # namespaces' classes must be exported
        for wname, info in self.workers.items():
            exports = self._exports(wname)
            if exports is None:
                continue
            for i, cls in enumerate(info.do_classes):
                if cls and cls not in exports:
                    self.error(info.path + ("durableObjectNamespaces", i, "className"), "do-class-not-exported",
                               f'worker "{wname}": Durable Object namespace class "{cls}" is not exported by '
                               f'the main module (exports: {", ".join(sorted(exports)) or "none"})')

    def resolve_inherits(self, services: dict) -> None:
        """Give each `inherit` worker its parent's code, compatibility, bindings (overridden by name),
        Durable Object namespaces and globalOutbound (unless it sets its own), as workerd does."""
        done: dict[str, P.Worker] = {}

        def resolve(name: str, stack: tuple) -> Optional[P.Worker]:
            if name in done:
                return done[name]
            svc = services.get(name)
            if svc is None or not isinstance(svc.body, P.Worker):
                return None
            w = svc.body
            if w.inherit is None:
                done[name] = w
                return w
            info = self.inherit_info.get(name, {})
            path = info.get("path", ())
            if w.inherit in stack:
                self.error(path + ("inherit",), "worker-inherit-cycle",
                           f'worker "{name}" inherits from itself through {" -> ".join(stack + (w.inherit,))}')
                return None
            parent = resolve(w.inherit, stack + (name,))
            if parent is None:
                return None
            what = f'worker "{name}"'
            if info.get("has_compat"):
                self.error(path + ("compatibilityDate",), "worker-inherit-compat",
                           f"{what} inherits from \"{w.inherit}\": its compatibilityDate and "
                           f"compatibilityFlags are inherited and may not be set")
            parent_names = {b.name for b in parent.bindings}
            overrides = {}
            for b in w.bindings:
                if b.name not in parent_names:
                    self.error(info.get("binding_paths", {}).get(b.name, path) + ("name",),
                               "worker-inherit-binding-unknown",
                               f'{what}: binding "{b.name}" overrides nothing: worker "{w.inherit}" has no '
                               f'binding of that name (bindings: {", ".join(sorted(parent_names)) or "none"})')
                overrides[b.name] = b
            bindings = tuple(overrides.get(b.name, b) for b in parent.bindings)
            if any(n.unique_key is not None for n in parent.durable_object_namespaces) \
                    and w.durable_object_storage is None:
                self.error(path, "do-storage-none",
                           f'{what} inherits Durable Object namespaces from "{w.inherit}" and must set '
                           f'its own durableObjectStorage')
            import dataclasses
            resolved = dataclasses.replace(
                parent, bindings=bindings, inherit=w.inherit,
                global_outbound=w.global_outbound if info.get("has_global") else parent.global_outbound,
                durable_object_storage=w.durable_object_storage,
                durable_object_unique_key_modifier=w.durable_object_unique_key_modifier,
                cache_api_outbound=w.cache_api_outbound or parent.cache_api_outbound)
            done[name] = resolved
            services[name] = P.Service(name, resolved, svc.location)
            return resolved

        for name in list(services):
            if isinstance(services[name].body, P.Worker) and services[name].body.inherit is not None:
                resolve(name, ())

    def check_do_namespace_ref(self, ref: _Ref) -> None:
        svc, cls = ref.des.name, ref.des.entrypoint
        if svc not in self.kinds:
            self.error(ref.path + ("serviceName",), "ref-unknown-service",
                       f'{ref.what} refers to Durable Object namespace "{cls}" of service "{svc}", which is '
                       f'not defined' + self._suggest(svc))
            return
        info = self.workers.get(svc)
        if info is None or self.kinds.get(svc) != "worker":
            self.error(ref.path + ("serviceName",), "ref-not-worker",
                       f'{ref.what} refers to service "{svc}", which is not a worker')
            return
        if info.inherit and cls not in info.do_classes:
            return  # the parent's namespaces are inherited; not resolved here
        if cls not in info.do_classes:
            declared = ", ".join(c for c in info.do_classes if c) or "none"
            self.error(ref.path + ("className",), "ref-do-namespace-unknown",
                       f'{ref.what} refers to Durable Object class "{cls}", but worker "{svc}" declares '
                       f'no durableObjectNamespaces entry for it (declared: {declared})')

    def _suggest(self, name: str) -> str:
        import difflib
        m = difflib.get_close_matches(name, list(self.kinds), n=1, cutoff=0.7)
        return f' (did you mean "{m[0]}"?)' if m else ""


def build_plan(loaded: Loaded, **kw) -> tuple[Optional[P.Plan], list[Diagnostic]]:
    """Validate and build. Returns (plan or None if anything failed, diagnostics)."""
    from .loader import TRAVERSAL_LIMIT_WORDS, workerd_schema
    schema = workerd_schema()
    b = Builder(loaded, **kw)
    try:
        with schema.Config.from_bytes(loaded.data, traversal_limit_in_words=TRAVERSAL_LIMIT_WORDS,
                                      nesting_limit=1000) as r:
            plan = b.build(r)
    except UnicodeDecodeError as e:
        return None, b.diags + [Diagnostic(loaded.file, 0, 0, "error", "binary-invalid",
                                           f"a text field of the config is not valid UTF-8: {e}")]
    except Exception as e:
        import capnp
        if not (loaded.binary or isinstance(e, capnp.KjException)):
            raise  # a bug: reported as an internal error, not blamed on the config
        msg = str(e).split("\nstack:")[0].strip()
        return None, b.diags + [Diagnostic(loaded.file, 0, 0, "error", "binary-invalid",
                                           f"the config message is malformed: {msg}")]
    except RecursionError:
        return None, b.diags + [Diagnostic(loaded.file, 0, 0, "error", "config-too-deep",
                                           "the config nests too deeply")]
    diags = sorted(b.diags, key=lambda d: (d.file != loaded.file, d.file, d.line, d.column))
    if any(d.severity == "error" for d in diags):
        return None, diags
    return plan, diags
