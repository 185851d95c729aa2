"""Installs the Web APIs into an isolate.

Glue scripts (js/*.js) are compiled to bytecode once per process and evaluated per context on
first use: every global is a lazy accessor until touched, so an idle worker pays only for the core
and the handful of APIs it uses. Each glue script evaluates to `function (internal, host)`, where
`internal` is a hidden object shared by the glue and `host` carries the Python host functions.
"""
from __future__ import annotations

import functools
import json
import os

from .. import engine
from . import encoding, url

_JS_DIR = os.path.join(os.path.dirname(__file__), "js")

# global name -> glue module defining it
LAZY_GLOBALS = {
    "Event": "events", "EventTarget": "events", "CustomEvent": "events", "AbortController": "events",
    "AbortSignal": "events",
    "setTimeout": "timers", "setInterval": "timers", "clearTimeout": "timers", "clearInterval": "timers",
    "scheduler": "timers",
    "console": "console",
    "TextEncoder": "encoding", "TextDecoder": "encoding",
    "URL": "url", "URLSearchParams": "url",
    "Headers": "fetch", "Request": "fetch", "Response": "fetch", "fetch": "fetch", "Fetcher": "fetch",
    "structuredClone": "misc", "reportError": "misc",
    "ReadableStream": "streams", "WritableStream": "streams", "TransformStream": "streams",
    "ReadableStreamDefaultReader": "streams", "ReadableStreamBYOBReader": "streams",
    "ReadableStreamDefaultController": "streams", "ReadableByteStreamController": "streams",
    "ReadableStreamBYOBRequest": "streams", "WritableStreamDefaultWriter": "streams",
    "WritableStreamDefaultController": "streams", "TransformStreamDefaultController": "streams",
    "ByteLengthQueuingStrategy": "streams", "CountQueuingStrategy": "streams",
    "IdentityTransformStream": "streams", "FixedLengthStream": "streams",
    "TextEncoderStream": "streams", "TextDecoderStream": "streams",
    "CompressionStream": "compression", "DecompressionStream": "compression",
    "Blob": "blob", "File": "blob", "FormData": "formdata",
    "crypto": "crypto", "Crypto": "crypto", "CryptoKey": "crypto", "SubtleCrypto": "crypto",
    "URLPattern": "urlpattern", "WebSocket": "websocket", "WebSocketPair": "websocket",
    "MessageEvent": "websocket", "CloseEvent": "websocket", "ErrorEvent": "websocket",
    "HTMLRewriter": "htmlrewriter", "caches": "cache", "Cache": "cache", "CacheStorage": "cache",
}
# quickjs-ng ships its own versions of these; workerd's (in misc.js) replace them on first touch
LAZY_GLOBALS.update({"performance": "misc", "atob": "misc", "btoa": "misc", "queueMicrotask": "misc"})
EAGER = ("core",)
# glue that reads another module's `internal` members at run time without requiring it
_DEPENDS = {"durable_objects": ("worker", "v8serialize")}

_bytecode: dict[str, bytes] = {}
_compiler = None


def available_modules() -> set[str]:
    return {f[:-3] for f in os.listdir(_JS_DIR) if f.endswith(".js")}


_AVAILABLE = available_modules()


def bytecode(name: str) -> bytes:
    bc = _bytecode.get(name)
    if bc is None:
        global _compiler
        if _compiler is None:
            _compiler = engine.Runtime().new_context()
        with open(os.path.join(_JS_DIR, name + ".js"), encoding="utf-8") as f:
            src = f.read()
        # strip=1: glue keeps line numbers for stacks but not its source text (Function.toString)
        bc = _bytecode[name] = _compiler.compile(src, f"workerd:{name}.js", strip=1)
    return bc


def precompile_all() -> None:
    for name in sorted(_AVAILABLE):
        bytecode(name)


# API modules with host functions: api/<name>.py defining `host_functions(api_host) -> dict`
HOST_PROVIDERS = ("streams", "blob", "formdata", "compression", "crypto", "websocket", "urlpattern", "v8serialize")
_providers: dict = {}


def _provider(name: str):
    """`host_functions` of api/<name>.py, imported on first use (crypto pulls in `cryptography`)."""
    if name not in _providers:
        import importlib
        fn = None
        try:
            mod = importlib.import_module(f"{__package__}.{name}")
            fn = getattr(mod, "host_functions", None)
        except ModuleNotFoundError as e:
            if e.name != f"{__package__}.{name}":
                raise
        _providers[name] = fn
    return _providers[name]


# names the engine defines itself: own properties of the global object shadow the prototype
_ENGINE_GLOBALS = frozenset(("performance", "atob", "btoa", "queueMicrotask"))
_ACCESSOR_LAZY = tuple(g for g, m in LAZY_GLOBALS.items() if m in _AVAILABLE and g in _ENGINE_GLOBALS)
_lazy_cls = None


def _lazy_class():
    global _lazy_cls
    if _lazy_cls is None:
        names = [g for g, m in LAZY_GLOBALS.items() if m in _AVAILABLE and g not in _ENGINE_GLOBALS]

        def getter(name):
            return lambda api_host: api_host.lazy_get(name)

        def setter(name):
            return lambda api_host, value: api_host.lazy_set(name, value)
        _lazy_cls = engine.HostClass("ServiceWorkerGlobalScope", getters={n: getter(n) for n in names},
                                     setters={n: setter(n) for n in names}, receiver_chain=True)
    return _lazy_cls


_host_cls = None
_host_names: frozenset = frozenset()


def _dispatch(name):
    def method(api_host, *args):
        return api_host.funcs[name](*args)
    method.__name__ = name
    return method


def _host_class(funcs: dict):
    global _host_cls, _host_names
    if _host_cls is None:
        _host_names = frozenset(funcs)
        _host_cls = engine.HostClass("WorkerdHost", methods={n: _dispatch(n) for n in sorted(_host_names)})
    return _host_cls


@functools.lru_cache(maxsize=64)
def _flags_json(flags: frozenset) -> str:
    return json.dumps({f: True for f in sorted(flags)})


class ApiHost:
    """The `host` object of one isolate: pure host functions plus the worker's own (`extra`)."""

    def __init__(self, isolate, flags: frozenset, extra: dict):
        self.isolate = isolate
        ctx = isolate.ctx
        self.ctx = ctx
        self.internal = ctx.new_object()
        self.flags = flags
        self.decoders = encoding.StreamDecoders()
        funcs = {
            "loadModule": self.load_module,
            "utf8Encode": encoding.utf8_encode,
            "decode": encoding.decode,
            "decodeStream": self.decoders.decode,
            "urlParse": url.url_parse,
            "urlSet": url.url_set,
            "formParse": url.form_parse,
            "formSerialize": url.form_serialize,
        }
        funcs.update(extra)
        self.funcs = funcs
        # One host class per process (its methods are built lazily per context): a new worker
        # does not pay for ~50 function objects it may never call.
        cls = _host_class(funcs)
        host = ctx.wrap(cls, self)
        for k in funcs.keys() - _host_names:
            host.set(k, ctx.new_function(funcs[k], k))  # names the process-wide class lacks
        self.host = host
        self.internal.set("flags", ctx.json_parse(_flags_json(flags)))
        self.loaded: set[str] = set()

    def load_module(self, name: str):
        if name in self.loaded:
            return
        if name not in _AVAILABLE:
            raise TypeError(f"The API '{name}' is not available in this runtime yet.")
        self.loaded.add(name)
        for dep in _DEPENDS.get(name, ()):
            self.load_module(dep)
        if name in HOST_PROVIDERS:
            provider = _provider(name)
            if provider is not None:
                # an API's host functions are used by its own glue only: add them as it loads
                new = provider(self)
                self.funcs.update(new)
                for k, f in new.items():
                    self.host.set(k, self.ctx.new_function(f, k))
        fn = self.ctx.eval_bytecode(bytecode(name))
        fn.call(self.internal, self.host)

    def lazy_get(self, name):
        """A lazy global was read: load its module (which defines the real global) and answer it."""
        self.load_module(LAZY_GLOBALS[name])
        g = self.ctx.globals
        return g.get(name) if g.has(name) else engine.undefined

    def lazy_set(self, name, value):
        self.internal.get("defineGlobal").call(name, value)

    def install(self):
        for name in EAGER:
            self.load_module(name)
        # Most lazy globals are getters on one process-wide host class whose instance becomes the
        # global object's prototype: built lazily per context, so an idle worker pays ~nothing for
        # them (an accessor pair per name costs ~0.4 KB). Names the engine already defines as own
        # properties, and names that depend on flags, get accessors from core.js instead.
        ctx = self.ctx
        ctx.globals.get("Object").get("setPrototypeOf").call(ctx.globals, ctx.wrap(_lazy_class(), self))
        pairs = []
        for g in _ACCESSOR_LAZY:
            pairs.append(g)
            pairs.append(LAZY_GLOBALS[g])
        if "global_navigator" in self.flags:
            pairs += ["navigator", "misc", "Navigator", "misc"]
        if "enable_global_performance_classes" in self.flags:
            pairs += ["Performance", "misc"]
        self.internal.get("lazyGlobals").call(pairs)
        return self.internal
