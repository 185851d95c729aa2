"""The server: a Plan turned into live services and listening sockets.

`App(plan, options)` creates one service object per configured service (workers are started after
every service exists, so bindings can name any of them), resolves designators (service +
entrypoint + props) to callable services, and routes console output and warnings.
"""
from __future__ import annotations

import json
import sys
import time

from ..plan import model as P
from ..runtime.isolate import Limits
from .services.worker import WorkerService, WorkerStartupError


class Entrypoint:
    """A worker service seen through a designator's entrypoint and props."""

    __slots__ = ("worker", "entrypoint", "props")

    def __init__(self, worker, entrypoint, props):
        self.worker = worker
        self.entrypoint = entrypoint
        self.props = props

    def handle(self, request):
        return self.worker.handle(request, self.entrypoint, self.props)

    def hop(self, caller, caller_io, method, url, flat, kind, value, cf, length):
        return self.worker.hop(caller, caller_io, method, url, flat, kind, value, cf, length,
                               self.entrypoint, self.props)

    async def call_rpc(self, name, payload, get=False):
        return await self.worker.call_rpc(name, payload, get, self.entrypoint, self.props)


class UnavailableService:
    """A service kind this build cannot run: every request gets a clear 502-style error."""

    def __init__(self, name, why):
        self.name = name
        self.why = why

    def handle(self, request):
        raise RuntimeError(f"service '{self.name}': {self.why}")


class Options:
    def __init__(self, verbose=False, structured_logging=False, limits: Limits | None = None,
                 experimental=False, stdout=None, stderr=None):
        self.verbose = verbose
        self.structured_logging = structured_logging
        self.limits = limits or Limits()
        self.experimental = experimental
        self.stdout = stdout or sys.stdout
        self.stderr = stderr or sys.stderr


_ERR_LEVELS = ("error", "warn")


class App:
    def __init__(self, plan, options: Options | None = None):
        self.plan = plan
        self.options = options or Options()
        self.structured = self.options.structured_logging or bool(getattr(plan.logging, "structured_logging", False))
        self.services: dict[str, object] = {}
        self.workers: dict[str, WorkerService] = {}
        self._internet = None
        for name, svc in plan.services.items():
            self.services[name] = self._make_service(name, svc)

    # ---------------------------------------------------------------- services
    def _make_service(self, name, svc):
        body = svc.body
        kind = body.kind
        if kind == "worker":
            w = WorkerService(name, body, self, self.options.limits)
            self.workers[name] = w
            return w
        factory = _service_factories().get(kind)
        if factory is None:
            return UnavailableService(name, f"services of type {kind} are not supported yet")
        return factory(name, body, self)

    def _implicit_internet(self):
        if self._internet is None:
            factory = _service_factories().get("network")
            if factory is None:
                self._internet = UnavailableService("internet", "outbound network access is not available in this build")
            else:
                self._internet = factory("internet", P.Network(allow=("public",), deny=()), self)
        return self._internet

    def resolve(self, designator, from_name=None):
        name = designator.name
        svc = self.services.get(name)
        if svc is None:
            if name == "internet":
                return self._implicit_internet()
            raise KeyError(name)
        if isinstance(svc, WorkerService) and (designator.entrypoint is not None or designator.props_json is not None):
            return Entrypoint(svc, designator.entrypoint, designator.props_json)
        return svc

    def make_binding(self, worker, binding):
        from .bindings import make_binding
        return make_binding(worker, binding)

    def start_workers(self):
        """Start every worker; returns a list of error strings (empty when all started)."""
        errors = []
        for name, svc in self.services.items():
            problem = getattr(svc, "config_error", None)
            if problem:
                errors.append(problem)
        for name, w in self.workers.items():
            try:
                w.start()
            except WorkerStartupError as e:
                errors.append(str(e))
            except Exception as e:  # noqa: BLE001 - a worker that cannot start is a clean error
                msg = getattr(e, "message", None) or str(e) or type(e).__name__
                errors.append(f"{name}: {type(e).__name__}: {msg}")
        return errors

    async def close(self):
        """Release services' resources (client sessions, files) after the sockets have closed."""
        svcs = list(self.services.values())
        if self._internet is not None:
            svcs.append(self._internet)
        for backend in (getattr(self, "_binding_backends", None) or {}).values():
            svcs.append(backend)
        for svc in svcs:
            close = getattr(svc, "close", None)
            if close is None:
                continue
            try:
                r = close()
                if hasattr(r, "__await__"):
                    await r
            except Exception as e:  # noqa: BLE001 - shutdown must finish
                self.log("warning", f"closing service: {e}")

    # ---------------------------------------------------------------- logging
    def console(self, worker, level, msg):
        stream = self.options.stderr if level in _ERR_LEVELS else self.options.stdout
        if self.structured:
            line = json.dumps({"timestamp": int(time.time() * 1000), "level": level, "worker": worker, "message": msg})
        else:
            line = f"[{worker}] {msg}"
        try:
            stream.write(line + "\n")
            stream.flush()
        except Exception:
            pass

    def warn(self, msg):
        self.log("warning", msg)

    def log(self, level, msg):
        if self.structured:
            line = json.dumps({"timestamp": int(time.time() * 1000), "level": level, "message": msg})
        else:
            line = f"workerd: {level}: {msg}"
        try:
            self.options.stderr.write(line + "\n")
            self.options.stderr.flush()
        except Exception:
            pass


class LazyService:
    """A service built on its first request: the network stack (aiohttp) is imported only when
    a worker really reaches the network, which keeps server start fast."""

    def __init__(self, build):
        self._build = build
        self._svc = None

    def _get(self):
        if self._svc is None:
            self._svc = self._build()
        return self._svc

    def handle(self, request):
        return self._get().handle(request)

    async def close(self):
        if self._svc is not None and hasattr(self._svc, "close"):
            r = self._svc.close()
            if hasattr(r, "__await__"):
                await r


def _network_factory(name, body, app):
    def build():
        from .services import network
        return network.NetworkService.from_plan(name, body, app)
    return LazyService(build)


def _external_factory(name, body, app):
    from .services import external
    return external.ExternalService.from_plan(name, body, app)


def _disk_factory(name, body, app):
    from .services import disk
    return disk.DiskService.from_plan(name, body, app)


_FACTORIES = {"network": _network_factory, "external": _external_factory, "disk": _disk_factory}


def _service_factories():
    """Non-worker service kinds; each kind's module is imported only when a service uses it."""
    return _FACTORIES
