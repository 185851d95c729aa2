"""The plan: frozen dataclasses describing a validated workerd config.

Built by `workerd_py.config` (see `workerd_py.config.load_plan`); consumed by the server and runtime.
The runtime never sees capnp readers. Everything here is immutable, plain data (str, bytes, bool, int,
tuples, frozensets, a read-only mapping of services) and safe to share across threads.

Names follow workerd's schema (src/workerd/server/workerd.capnp) in snake_case. Optional fields are
None when the config leaves them out, except where workerd has a default (documented per field).
"""
from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import ClassVar, Mapping, Optional, Union

__all__ = [
    "SourceLocation", "ServiceDesignator", "Header", "HttpOptions", "Keypair", "TlsOptions",
    "Socket", "Module", "Binding", "DurableObjectNamespace", "Worker", "Network", "External",
    "Disk", "Service", "LoggingOptions", "ExtensionModule", "Extension", "Plan",
    "TextBinding", "DataBinding", "JsonBinding", "WasmModuleBinding", "CryptoKeyBinding",
    "ServiceBinding", "DurableObjectClassBinding", "DurableObjectNamespaceBinding",
    "KvNamespaceBinding", "R2BucketBinding", "R2AdminBinding", "QueueBinding",
    "AnalyticsEngineBinding", "WrappedBinding", "FromEnvironmentBinding", "HyperdriveBinding",
    "UnsafeEvalBinding", "MemoryCacheBinding", "WorkerLoaderBinding", "WorkerdDebugPortBinding",
    "ParameterBinding", "BindingValue", "ServiceBody", "InMemoryStorage", "LocalDiskStorage",
    "DurableObjectStorage", "MODULE_KINDS",
]


@dataclass(frozen=True)
class SourceLocation:
    """Where an item was declared: the config file and 1-based line/column (0 = unknown).

    For a binary config (`-b`) there are no lines: file is the binary's path, line 0.
    `str(loc)` gives "file:line:column" (or "file:line", or "file") for error messages.
    """
    file: str = "<config>"
    line: int = 0
    column: int = 0

    def __str__(self) -> str:
        if self.line and self.column:
            return f"{self.file}:{self.line}:{self.column}"
        if self.line:
            return f"{self.file}:{self.line}"
        return self.file


_NOWHERE = SourceLocation()


@dataclass(frozen=True)
class ServiceDesignator:
    """A reference to a service, optionally to a named entrypoint (export) of a worker.

    entrypoint None means the default export. props_json is the JSON text of `props = (json = ...)`,
    None when the config gives none (ctx.props is then `{}`).
    """
    name: str
    entrypoint: Optional[str] = None
    props_json: Optional[str] = None


# ---------------------------------------------------------------------------------------------
# HTTP / TLS options
# ---------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Header:
    name: str
    value: str


@dataclass(frozen=True)
class HttpOptions:
    """workerd HttpOptions. style: "host" (default) or "proxy"."""
    style: str = "host"
    forwarded_proto_header: Optional[str] = None
    cf_blob_header: Optional[str] = None
    inject_request_headers: tuple[Header, ...] = ()
    inject_response_headers: tuple[Header, ...] = ()
    capnp_connect_host: Optional[str] = None


@dataclass(frozen=True)
class Keypair:
    """PEM texts (embeds already inlined)."""
    private_key: str
    certificate_chain: str


@dataclass(frozen=True)
class TlsOptions:
    """min_version: one of "goodDefault", "ssl3", "tls1Dot0", "tls1Dot1", "tls1Dot2", "tls1Dot3"."""
    keypair: Optional[Keypair] = None
    require_client_certs: bool = False
    trust_browser_cas: bool = False
    trusted_certificates: tuple[str, ...] = ()
    min_version: str = "goodDefault"
    cipher_list: Optional[str] = None


# ---------------------------------------------------------------------------------------------
# Sockets
# ---------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Socket:
    """A listening socket.

    address: "host:port", "*:port", "[v6]:port", "unix:/path" or "unix-abstract:name"; None when the
    config leaves it to the command line (`-s name=addr` / `-S name=fd`, see Plan.with_overrides).
    protocol: "http" (default), "https" (http + tls) or "tcp" (tls may be None: raw TCP).
    http: always set for "http"/"https" (defaults when the config gives no options), None for "tcp".
    """
    name: str
    address: Optional[str]
    service: ServiceDesignator
    protocol: str = "http"
    http: Optional[HttpOptions] = HttpOptions()
    tls: Optional[TlsOptions] = None
    location: SourceLocation = field(default=_NOWHERE, compare=False)


# ---------------------------------------------------------------------------------------------
# Workers: modules and bindings
# ---------------------------------------------------------------------------------------------

MODULE_KINDS = ("esModule", "commonJsModule", "text", "data", "wasm", "json", "pythonModule",
                "pythonRequirement")


@dataclass(frozen=True)
class Module:
    """One module of a modules-syntax worker.

    kind is one of MODULE_KINDS (workerd's union member names). content is str for esModule,
    commonJsModule, text, json, pythonModule, pythonRequirement; bytes for data and wasm.
    The first module of Worker.modules is the main module.
    """
    name: str
    kind: str
    content: Union[str, bytes]
    named_exports: tuple[str, ...] = ()
    location: SourceLocation = field(default=_NOWHERE, compare=False)


# Binding payloads. Each has a class-level `kind` (the schema's union member name).

@dataclass(frozen=True)
class TextBinding:
    kind: ClassVar[str] = "text"
    value: str


@dataclass(frozen=True)
class DataBinding:
    kind: ClassVar[str] = "data"
    value: bytes


@dataclass(frozen=True)
class JsonBinding:
    """value is the JSON text (validated); parse it in the isolate."""
    kind: ClassVar[str] = "json"
    value: str


@dataclass(frozen=True)
class WasmModuleBinding:
    kind: ClassVar[str] = "wasmModule"
    value: bytes


@dataclass(frozen=True)
class CryptoKeyBinding:
    """format: "raw" (key_data bytes), "hex", "base64", "pkcs8", "spki", "jwk" (key_data str).
    Exactly one of algorithm_name / algorithm_json is set."""
    kind: ClassVar[str] = "cryptoKey"
    format: str
    key_data: Union[str, bytes]
    algorithm_name: Optional[str] = None
    algorithm_json: Optional[str] = None
    extractable: bool = False
    usages: tuple[str, ...] = ()


@dataclass(frozen=True)
class ServiceBinding:
    kind: ClassVar[str] = "service"
    service: ServiceDesignator


@dataclass(frozen=True)
class DurableObjectClassBinding:
    """A binding to a Durable Object class (no namespace), `durableObjectClass`."""
    kind: ClassVar[str] = "durableObjectClass"
    service: ServiceDesignator


@dataclass(frozen=True)
class DurableObjectNamespaceBinding:
    """service_name is the worker that declares the namespace; resolved (never None) in the plan:
    when the config leaves it out, it is the binding's own worker."""
    kind: ClassVar[str] = "durableObjectNamespace"
    class_name: str
    service_name: str


@dataclass(frozen=True)
class KvNamespaceBinding:
    kind: ClassVar[str] = "kvNamespace"
    service: ServiceDesignator


@dataclass(frozen=True)
class R2BucketBinding:
    kind: ClassVar[str] = "r2Bucket"
    service: ServiceDesignator


@dataclass(frozen=True)
class R2AdminBinding:
    """`obsolete0` in the schema (R2 admin); kept so binary configs round-trip."""
    kind: ClassVar[str] = "obsolete0"
    service: ServiceDesignator


@dataclass(frozen=True)
class QueueBinding:
    kind: ClassVar[str] = "queue"
    service: ServiceDesignator


@dataclass(frozen=True)
class AnalyticsEngineBinding:
    kind: ClassVar[str] = "analyticsEngine"
    service: ServiceDesignator


@dataclass(frozen=True)
class WrappedBinding:
    """The binding's value is moduleName's export `entrypoint` called with the inner bindings."""
    kind: ClassVar[str] = "wrapped"
    module_name: str
    entrypoint: str = "default"
    inner_bindings: tuple["Binding", ...] = ()


@dataclass(frozen=True)
class FromEnvironmentBinding:
    """The value of the process environment variable `variable` (a string, or undefined if unset)."""
    kind: ClassVar[str] = "fromEnvironment"
    variable: str


@dataclass(frozen=True)
class HyperdriveBinding:
    kind: ClassVar[str] = "hyperdrive"
    service: ServiceDesignator
    database: str = ""
    user: str = ""
    password: str = ""
    scheme: str = ""


@dataclass(frozen=True)
class UnsafeEvalBinding:
    kind: ClassVar[str] = "unsafeEval"


@dataclass(frozen=True)
class MemoryCacheBinding:
    kind: ClassVar[str] = "memoryCache"
    id: str
    max_keys: int = 0
    max_value_size: int = 0
    max_total_value_size: int = 0


@dataclass(frozen=True)
class WorkerLoaderBinding:
    kind: ClassVar[str] = "workerLoader"
    id: Optional[str] = None


@dataclass(frozen=True)
class WorkerdDebugPortBinding:
    kind: ClassVar[str] = "workerdDebugPort"


@dataclass(frozen=True)
class ParameterBinding:
    """A parameter of an extension/wrapped module (type is the Binding.Type union member name)."""
    kind: ClassVar[str] = "parameter"
    type: str = "unspecified"
    optional: bool = False


BindingValue = Union[
    TextBinding, DataBinding, JsonBinding, WasmModuleBinding, CryptoKeyBinding, ServiceBinding,
    DurableObjectClassBinding, DurableObjectNamespaceBinding, KvNamespaceBinding, R2BucketBinding,
    R2AdminBinding, QueueBinding, AnalyticsEngineBinding, WrappedBinding, FromEnvironmentBinding,
    HyperdriveBinding, UnsafeEvalBinding, MemoryCacheBinding, WorkerLoaderBinding,
    WorkerdDebugPortBinding, ParameterBinding,
]


@dataclass(frozen=True)
class Binding:
    """`env[name]` of a worker. Dispatch on `type(binding.value)` or `binding.kind`."""
    name: str
    value: BindingValue
    location: SourceLocation = field(default=_NOWHERE, compare=False)

    @property
    def kind(self) -> str:
        return self.value.kind


@dataclass(frozen=True)
class DurableObjectNamespace:
    """unique_key set for a durable namespace; ephemeral_local True for `ephemeralLocal`."""
    class_name: str
    unique_key: Optional[str] = None
    ephemeral_local: bool = False
    prevent_eviction: bool = False
    enable_sql: bool = False
    location: SourceLocation = field(default=_NOWHERE, compare=False)


@dataclass(frozen=True)
class InMemoryStorage:
    kind: ClassVar[str] = "inMemory"


@dataclass(frozen=True)
class LocalDiskStorage:
    """Durable Object storage in the (writable) disk service named `service`."""
    kind: ClassVar[str] = "localDisk"
    service: str


DurableObjectStorage = Union[None, InMemoryStorage, LocalDiskStorage]


@dataclass(frozen=True)
class Worker:
    """A worker service.

    Either `modules` non-empty (modules syntax; modules[0] is the main module) or
    `service_worker_script` set (service-worker syntax). `inherit` is the name of the worker this
    one was cloned from (`inherit = "..."` in the config), for information only: the config layer
    has already resolved it (code, compatibility, bindings overridden by name, Durable Object
    namespaces and globalOutbound are filled in), so the runtime treats it as any other worker.

    compatibility_flags: the flags as written in the config.
    compat_flags: the resolved set of ENABLED flags after applying the date, disable flags and
    implications, named by their enable flag (e.g. "nodejs_compat", "url_standard"); flags without
    an enable-flag name appear under their schema field name (e.g. "obsolete3").
    Test with `"nodejs_compat" in worker.compat_flags`.

    global_outbound defaults to ServiceDesignator("internet") as in workerd.
    durable_object_storage: None (no storage: "none" or unset), InMemoryStorage() or
    LocalDiskStorage(service).
    """
    compatibility_date: str
    compatibility_flags: tuple[str, ...] = ()
    compat_flags: frozenset[str] = frozenset()
    modules: tuple[Module, ...] = ()
    service_worker_script: Optional[str] = None
    inherit: Optional[str] = None
    bindings: tuple[Binding, ...] = ()
    global_outbound: ServiceDesignator = ServiceDesignator("internet")
    cache_api_outbound: Optional[ServiceDesignator] = None
    durable_object_namespaces: tuple[DurableObjectNamespace, ...] = ()
    durable_object_unique_key_modifier: Optional[str] = None
    durable_object_storage: DurableObjectStorage = None
    module_fallback: Optional[str] = None
    tails: tuple[ServiceDesignator, ...] = ()
    streaming_tails: tuple[ServiceDesignator, ...] = ()
    kind: ClassVar[str] = "worker"

    @property
    def is_service_worker(self) -> bool:
        return self.service_worker_script is not None

    @property
    def main_module(self) -> Optional[Module]:
        return self.modules[0] if self.modules else None

    def module(self, name: str) -> Optional[Module]:
        for m in self.modules:
            if m.name == name:
                return m
        return None


@dataclass(frozen=True)
class Network:
    """allow/deny: CIDRs or "public", "private", "local", "network", "unix", "unix-abstract".
    allow defaults to ("public",) as in workerd."""
    allow: tuple[str, ...] = ("public",)
    deny: tuple[str, ...] = ()
    tls: Optional[TlsOptions] = None
    kind: ClassVar[str] = "network"


@dataclass(frozen=True)
class External:
    """A server elsewhere. address None: must come from the command line (`-e name=addr`).
    protocol "http" (default), "https" or "tcp"."""
    address: Optional[str]
    protocol: str = "http"
    http: Optional[HttpOptions] = HttpOptions()
    tls: Optional[TlsOptions] = None
    certificate_host: Optional[str] = None
    kind: ClassVar[str] = "external"


@dataclass(frozen=True)
class Disk:
    """A directory served over HTTP (GET/HEAD; PUT/DELETE if writable). path None: must come from
    the command line (`-d name=path`). A relative path is relative to the current directory, as
    in workerd."""
    path: Optional[str]
    writable: bool = False
    allow_dotfiles: bool = False
    kind: ClassVar[str] = "disk"


ServiceBody = Union[Worker, Network, External, Disk]


@dataclass(frozen=True)
class Service:
    """A named service; dispatch on `type(service.body)` or `service.kind`."""
    name: str
    body: ServiceBody
    location: SourceLocation = field(default=_NOWHERE, compare=False)

    @property
    def kind(self) -> str:
        return self.body.kind


@dataclass(frozen=True)
class LoggingOptions:
    """Config.logging plus the older top-level Config.structuredLogging (OR-ed together)."""
    structured_logging: bool = False
    stdout_prefix: Optional[str] = None
    stderr_prefix: Optional[str] = None


@dataclass(frozen=True)
class ExtensionModule:
    name: str
    es_module: str
    internal: bool = False


@dataclass(frozen=True)
class Extension:
    modules: tuple[ExtensionModule, ...] = ()


def _ro(d: Mapping) -> Mapping:
    return MappingProxyType(dict(d))


@dataclass(frozen=True)
class Plan:
    """A whole validated config.

    services: read-only mapping name -> Service, in config order.
    sockets: in config order.
    warnings: formatted "file:line:col: warning: message" lines found while validating, for the
    server to log at startup (errors never reach a Plan: load_plan raises ConfigError).
    source: the config file path ("-" for stdin); const: the Config constant's name (None for binary).
    """
    services: Mapping[str, Service] = field(default_factory=lambda: _ro({}))
    sockets: tuple[Socket, ...] = ()
    logging: LoggingOptions = LoggingOptions()
    v8_flags: tuple[str, ...] = ()
    autogates: tuple[str, ...] = ()
    extensions: tuple[Extension, ...] = ()
    warnings: tuple[str, ...] = ()
    source: str = "<config>"
    const: Optional[str] = None

    def __post_init__(self) -> None:
        if not isinstance(self.services, MappingProxyType):
            object.__setattr__(self, "services", _ro(self.services))

    def __reduce__(self):
        # picklable (the config layer builds plans in a child process)
        values = {f.name: getattr(self, f.name) for f in dataclasses.fields(self)}
        values["services"] = dict(self.services)
        return (_make_plan, (values,))

    def service(self, name: str) -> Optional[Service]:
        return self.services.get(name)

    def socket(self, name: str) -> Optional[Socket]:
        for s in self.sockets:
            if s.name == name:
                return s
        return None

    def with_overrides(self, sockets: Mapping[str, str] = {}, directories: Mapping[str, str] = {},
                       externals: Mapping[str, str] = {}) -> "Plan":
        """Apply the command line's `-s name=addr`, `-d name=path`, `-e name=addr`.

        Raises KeyError(name) for a name that is not a socket / disk service / external service.
        """
        new_sockets = list(self.sockets)
        for name, addr in sockets.items():
            for i, s in enumerate(new_sockets):
                if s.name == name:
                    new_sockets[i] = dataclasses.replace(s, address=addr)
                    break
            else:
                raise KeyError(name)
        services = dict(self.services)
        for overrides, cls, attr in ((directories, Disk, "path"), (externals, External, "address")):
            for name, value in overrides.items():
                svc = services.get(name)
                if svc is None or not isinstance(svc.body, cls):
                    raise KeyError(name)
                services[name] = dataclasses.replace(
                    svc, body=dataclasses.replace(svc.body, **{attr: value}))
        return dataclasses.replace(self, sockets=tuple(new_sockets), services=_ro(services))


def _make_plan(values: dict) -> Plan:
    return Plan(**values)
