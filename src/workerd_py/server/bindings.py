"""JS objects for the service-backed bindings: `kvNamespace`, `r2Bucket` and `queue`.

`make_binding(worker_service, binding)` is what `App.make_binding` delegates to (the worker calls
it for every binding kind it does not build itself). It returns the JS object for `env[name]`, or
None for a kind it does not know (the worker then warns that the binding is unsupported).

How a binding reaches its storage
---------------------------------
Each binding names a service, as in workerd. The JS glue (`api/js/kv.js`, `r2.js`, `queue.js`)
speaks workerd's wire protocol over a Fetcher to a *target*:

- a worker, network or external service: the target is that service, so a user-written backing
  worker (or a remote HTTP server) receives exactly the requests workerd would send;
- a `disk` service: the target is a built-in local backend storing the data in that directory
  (`kv.sqlite3`, `r2/`, `queue.sqlite3`; see services/README.md). This is how KV, R2 and Queues
  are self-hosted without writing a backing service, and the config stays a valid workerd config.

Backends are shared: every binding (of any worker) naming the same disk service and kind uses
one backend object, so one SQLite connection per store.
"""
from __future__ import annotations

__all__ = ["make_binding", "local_backend"]

# binding kind -> (glue module, constructor on `internal`)
_GLUE = {
    "kvNamespace": ("kv", "makeKv"),
    "r2Bucket": ("r2", "makeR2"),
    "queue": ("queue", "makeQueue"),
}


def _backend_class(kind):
    if kind == "kvNamespace":
        from .services.kv_local import KvLocal
        return KvLocal
    if kind == "r2Bucket":
        from .services.r2_local import R2Local
        return R2Local
    from .services.queue_local import QueueLocal
    return QueueLocal


class _Unavailable:
    """A local backend whose directory is unusable: every request raises with the reason."""

    def __init__(self, why):
        self.why = why

    def handle(self, request):
        raise RuntimeError(self.why)


def local_backend(server, service_name: str, disk, kind: str):
    """The shared local backend of `kind` stored in the disk service `disk` (created once)."""
    cache = getattr(server, "_binding_backends", None)
    if cache is None:
        cache = {}
        try:
            setattr(server, "_binding_backends", cache)
        except AttributeError:
            pass
    key = (service_name, kind)
    backend = cache.get(key)
    if backend is None:
        problem = getattr(disk, "config_error", None)
        if problem:
            backend = _Unavailable(problem)
        else:
            backend = _backend_class(kind)(service_name, disk.root, bool(getattr(disk, "writable", False)))
        cache[key] = backend
    return backend


def _is_disk(svc) -> bool:
    try:
        from .services.disk import DiskService
    except ImportError:  # pragma: no cover - disk services unavailable
        return False
    return isinstance(svc, DiskService)


def make_binding(worker_service, binding):
    """The JS value of `env[binding.name]` for KV, R2 and Queue bindings; None for other kinds."""
    value = binding.value
    if value.kind == "durableObjectNamespace":
        # Durable Objects: ids, stubs and the objects themselves live in durable_objects.py
        from .durable_objects import make_namespace_binding
        return make_namespace_binding(worker_service, binding)
    glue = _GLUE.get(value.kind)
    if glue is None:
        return None
    module, maker = glue
    server = worker_service.server
    target = server.resolve(value.service, worker_service.name)
    if _is_disk(target):
        target = local_backend(server, value.service.name, target, value.kind)
    worker_service.targets.append(target)
    index = len(worker_service.targets) - 1
    api = worker_service.api
    api.load_module("fetch")
    api.load_module(module)
    internal = worker_service.internal
    fetcher = internal.get("makeFetcher").call(index, False)
    return internal.get(maker).call(fetcher, binding.name)
