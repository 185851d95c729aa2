"""A Worker as a service: one isolate, its modules, env and bindings; events pushed into it.

How a request flows
-------------------
`handle(request)` registers the request body as a host body id, then makes ONE call into JS
(`internal.dispatchFetch`) which builds the Request, runs the handler and returns the response
parts (or a promise of them). When the handler answered synchronously or its promise settled while
the job queue drained, the HttpResponse is returned directly (the server's fast path, no task).
Otherwise a coroutine waits for the promise. Bodies never pass through JS streams unless the worker
touches `.body`: strings, bytes and host bodies are handed back to the server as they are.

Errors: a JS exception or a rejected promise answers 500 `Internal Server Error` and the JS stack is
logged with the worker's name (once). A worker that hits its memory limit is discarded and recreated.

Service-binding hop (`env.X.fetch(request)` to another worker): the caller's fetch.js hands the
request's parts to `host.fetch`; `_fetch` calls the target's `hop()`, which dispatches them in the
target's isolate right away (its own IoContext and CPU budget) and answers the response's parts;
fetch.js makes the caller's Response on the same turn. No HttpRequest or HttpResponse is built, and
a body crosses as a string, bytes, or the same host Body object. A target that does not settle on
that turn answers through a promise instead. The target's exception is not a 500: it is serialized
by the target (`tunnelError`) and thrown in the caller (`_untunnel`), so `await env.X.fetch()`
throws a TypeError for a TypeError, with `remote = true`, as workerd tunnels it; an error in the
middle of the response body does the same to the caller's read. `ctx.passThroughOnException()` in
the target sends the request to the target's own globalOutbound. A hop costs at least one whole
dispatch of the target (`bench/dispatch_floor.py`).
"""
from __future__ import annotations

import asyncio
import itertools
import json
import os

from ... import engine
from ...api.registry import ApiHost
from ...runtime.io_context import IoContext
from ...runtime.isolate import CpuLimitExceeded, Isolate, Limits
from ...runtime.modules import ModuleNotFound, ModuleRegistry
from ...api.encoding import utf8_encode as _utf8
from ..http import STATUS_PHRASES, Body, HttpRequest, HttpResponse
from ..http.message import BytesBody
from ..http.websocket import ABORT, BINARY, CLOSE, TEXT, WsEndpoint, link as ws_link

_JSObject = engine.JSObject
_JSError = engine.JSError
_undefined = engine.undefined

def internal_error() -> HttpResponse:
    return HttpResponse(500, [], b"Internal Server Error")


class PromiseRejected(Exception):
    def __init__(self, value, text):
        super().__init__(text)
        self.value = value


#: service-binding hops run synchronously (on the caller's turn) up to this depth of nesting;
#: deeper ones start from the event loop, so recursion between workers never exhausts the C stack
MAX_SYNC_HOPS = 16
_sync_hops = [0]


class TunneledError(Exception):
    """A JS exception of one worker on its way to another (a service-binding hop): `data` is the
    thrown value serialized by the worker that threw (worker.js `tunnelError`); the receiving
    worker rebuilds it with `_untunnel` (a TypeError stays a TypeError, with `remote = true`)."""

    def __init__(self, data, text):
        super().__init__(text)
        self.data = data


class WorkerStartupError(Exception):
    """A worker failed to start (bad module, failing top-level code)."""


def _error_text(value) -> str:
    """The stack (or message) of a thrown JS value, as workerd logs it."""
    if isinstance(value, _JSObject):
        try:
            stack = value.get("stack")
            name = value.get("name")
            msg = value.get("message")
            if isinstance(stack, str) and stack:
                head = f"{name}: {msg}" if isinstance(name, str) else str(msg)
                return head if stack.startswith(head) else head + "\n" + stack.rstrip()
            if isinstance(msg, str):
                return f"{name}: {msg}"
        except Exception:
            pass
        try:
            return str(value.ctx.json_stringify(value)) if hasattr(value, "ctx") else repr(value)
        except Exception:
            return repr(value)
    return str(value)


def js_error_text(e: BaseException) -> str:
    if isinstance(e, _JSError):
        stack = getattr(e, "stack", None) or ""
        head = f"{e.name}: {e.message}"
        if stack and not stack.startswith(head):
            return head + "\n" + stack.rstrip()
        return stack.rstrip() or head
    if isinstance(e, PromiseRejected):
        return str(e)
    return f"{type(e).__name__}: {e}"


_VALUE_BINDINGS = frozenset(("text", "data", "json", "fromEnvironment", "unsafeEval"))


class _HostBody:
    """A byte source registered under an id so JS can read it (request bodies, fetch results)."""

    __slots__ = ("body", "length")

    def __init__(self, body, length):
        self.body = body
        self.length = length


class WorkerService:
    """Serves one worker of the plan. `server` provides resolve(designator) -> service and logging."""

    def __init__(self, name: str, worker, server, limits: Limits | None = None):
        self.name = name
        self.plan = worker
        self.server = server
        self.limits = limits or Limits()
        self._cpu_budget = self.limits.cpu_ms / 1000.0
        self.isolate: Isolate | None = None
        self.targets: list = []
        self._hops: dict = {}          # target index -> its hop() when it is another worker, else None
        self._ids = itertools.count(1)
        self._bodies: dict[int, _HostBody] = {}
        self._waiters: dict[int, asyncio.Future] = {}
        self._timers: dict[int, asyncio.TimerHandle] = {}
        self._background: set = set()
        self._rejections: list = []
        self.exports = None
        self.default_export = None
        self.env = None
        self._loop = None

    # ---------------------------------------------------------------- startup
    def start(self):
        """Create the isolate, install APIs, build env, evaluate the main module."""
        self._loop = asyncio.get_event_loop()
        iso = self.isolate = Isolate(self.name, self.limits)
        iso.on_rejection = self._on_rejection
        ctx = iso.ctx
        w = self.plan
        extra = {
            "log": self._log,
            "reportError": self._report_error,
            "setTimer": self._set_timer,
            "clearTimer": self._clear_timer,
            "waitUntil": self._wait_until,
            "passThroughOnException": self._pass_through,
            "abortRequest": self._abort_request,
            "bodyRead": self._body_read,
            "bodyReadAll": self._body_read_all,
            "bodyCancel": self._body_cancel,
            "fetch": self._fetch,
            "rpcCall": self._rpc_call,
            "settled": self._settled,
            "wsNew": self._ws_new_id,
            "wsSend": self._ws_send,
        }
        api = self.api = ApiHost(iso, w.compat_flags, extra)
        internal = self.internal = api.install()
        # the dispatch glue (worker.js) loads with the first event: an idle worker holds only core.js
        self._dispatch_fetch = None
        if w.is_service_worker:
            self._load_glue()  # addEventListener() is needed while the script runs
        self._watch = ctx.eval("(function (p, id, host) { p.then((v) => host.settled(id, true, v), (e) => host.settled(id, false, e)); })",
                               "workerd:watch.js")
        # outbound targets: 0 = globalOutbound
        self._hops = {}
        self.targets = [self.server.resolve(w.global_outbound, self.name)]
        self._empty_props = ctx.new_object()
        env = self._build_env(ctx, internal)
        self.env = env
        if w.is_service_worker:
            # bindings are globals in service-worker syntax
            g = ctx.globals
            for k in env.keys():
                g.set(k, env.get(k))
            try:
                iso.enter(None, ctx.eval, w.service_worker_script, self._script_name())
            except _JSError as e:
                raise WorkerStartupError(f"{self.name}: Uncaught {js_error_text(e)}") from None
            self.exports = None
            self.default_export = None
        else:
            mods = [(m.name, m.kind, m.content) for m in w.modules]
            self.registry = ModuleRegistry(mods, ctx, _Builtins(internal, api))
            iso.rt.set_module_loader(self._normalize, self.registry.load)
            main = w.modules[0]
            try:
                ns = iso.enter(None, ctx.import_module, main.name)
            except ModuleNotFound as e:
                raise WorkerStartupError(f"{self.name}: {e}") from None
            except _JSError as e:
                raise WorkerStartupError(f"{self.name}: Uncaught {js_error_text(e)}") from None
            self.exports = ns
            d = ns.get("default")
            self.default_export = None if d is _undefined else d

    def _ready(self):
        """The isolate to dispatch an event into: recreated when broken, its dispatch glue loaded."""
        if self.isolate.broken:
            self._restart()
        if self._dispatch_fetch is None:
            self._load_glue()
        return self.isolate

    def _load_glue(self):
        internal = self.internal
        self.api.load_module("worker")
        self._dispatch_test = internal.get("dispatchTest")
        self._dispatch_rpc = internal.get("dispatchRpc")
        self._has_handler = internal.get("hasHandler")
        self._finish_response = internal.get("finishResponse")
        self._dispatch_fetch = internal.get("dispatchFetch")

    def _script_name(self):
        return f"{self.name}.js"

    def _normalize(self, base, spec):
        return self.registry.normalize(base, spec)

    def _build_env(self, ctx, internal):
        env = ctx.new_object()
        if any(b.value.kind not in _VALUE_BINDINGS for b in self.plan.bindings):
            self.api.load_module("fetch")  # Fetcher and friends; value-only workers stay lean
        make_fetcher = internal.get("makeFetcher")
        for b in self.plan.bindings:
            v = b.value
            k = v.kind
            if k == "text":
                env.set(b.name, v.value)
            elif k == "data":
                env.set(b.name, ctx.new_arraybuffer(v.value))
            elif k == "json":
                env.set(b.name, ctx.json_parse(v.value))
            elif k == "fromEnvironment":
                val = os.environ.get(v.variable)
                env.set(b.name, val)
            elif k == "service":
                svc = self.server.resolve(v.service, self.name)
                self.targets.append(svc)
                env.set(b.name, make_fetcher.call(len(self.targets) - 1, True))
            elif k == "cryptoKey":
                from ...api.crypto import make_crypto_key
                try:
                    env.set(b.name, make_crypto_key(self.api, v))
                except Exception as e:  # a bad key fails startup, as in workerd
                    raise WorkerStartupError(f"{self.name}: binding '{b.name}': {getattr(e, 'message', None) or e}") from None
            elif k == "unsafeEval":
                env.set(b.name, ctx.eval("({ eval: (s) => (0, eval)(s), newFunction: (s, n, ...a) => new Function(...a, s) })"))
            else:
                hook = getattr(self.server, "make_binding", None)
                value = hook(self, b) if hook is not None else None
                if value is None:
                    self.server.warn(f"{self.name}: binding '{b.name}' of type {k} is not supported yet; it is undefined")
                    continue
                env.set(b.name, value)
        return env

    # ---------------------------------------------------------------- logging
    def _log(self, level, msg):
        self.server.console(self.name, level, msg)

    def _report_error(self, err):
        self.server.console(self.name, "error", "Uncaught " + _error_text(err))

    def _on_rejection(self, promise, reason, handled):
        """Unhandled rejections are reported once the current turn has ended, unless a handler
        was attached meanwhile (the tracker then calls us again with handled=True)."""
        pending = self._rejections
        if handled:
            for i, (p, _r) in enumerate(pending):
                if p.same_value(promise):
                    del pending[i]
                    break
            return
        pending.append((promise, reason))
        if len(pending) == 1:
            self._loop.call_soon(self._flush_rejections)

    def _flush_rejections(self):
        pending, self._rejections = self._rejections, []
        for _p, reason in pending:
            self.server.console(self.name, "error", "Uncaught (in promise) " + _error_text(reason))

    # ---------------------------------------------------------------- timers
    def _set_timer(self, tid, ms, repeat):
        io = self.isolate.current
        delay = max(0.0, ms / 1000.0)
        fire = self.internal.get("fireTimer")

        def run():
            if repeat:
                self._timers[tid] = self._loop.call_later(max(delay, 0.001), run)
            else:
                self._timers.pop(tid, None)
            try:
                self.isolate.enter(io, fire.call, tid)
            except Exception as e:  # an exception in a timer callback is reported, never fatal
                self._log("error", "Uncaught " + js_error_text(e))
        self._timers[tid] = self._loop.call_later(delay, run)

    def _clear_timer(self, tid):
        h = self._timers.pop(tid, None)
        if h is not None:
            h.cancel()

    # ---------------------------------------------------------------- ctx.*
    def _wait_until(self, promise):
        io = self.isolate.current
        if io is None:
            return
        io.add_wait_until(self._promise_future(io, promise))

    def _pass_through(self):
        io = self.isolate.current
        if io is not None:
            io.pass_through = True

    def _abort_request(self, reason):
        io = self.isolate.current
        if io is not None:
            io.failed = reason

    # ---------------------------------------------------------------- promises
    def _settled(self, pid, ok, value):
        fut = self._waiters.pop(pid, None)
        if fut is not None and not fut.done():
            if ok:
                fut.set_result(value)
            else:
                fut.set_exception(PromiseRejected(value, _error_text(value)))

    def _promise_future(self, io, promise) -> asyncio.Future:
        fut = self._loop.create_future()
        st = promise.promise_state
        if st == "fulfilled":
            fut.set_result(promise.promise_result)
        elif st == "rejected":
            v = promise.promise_result
            fut.set_exception(PromiseRejected(v, _error_text(v)))
        else:
            pid = next(self._ids)
            self._waiters[pid] = fut
            self.isolate.enter(io, self._watch.call, promise, pid, self.api.host)
        return fut

    def _new_promise(self):
        return self.isolate.ctx.new_promise()

    def _settle_later(self, io, coro, convert=None):
        """Run `coro` as a task; resolve/reject a new JS promise with its result."""
        p, resolve, reject = self._new_promise()

        async def run():
            try:
                value = await coro
                if convert is not None:
                    value = convert(value)
            except BaseException as e:  # noqa: BLE001 - every failure becomes a JS rejection
                if isinstance(e, asyncio.CancelledError):
                    err = self.isolate.ctx.new_error("Error", "The operation was cancelled.")
                elif isinstance(e, TunneledError) or isinstance(e.__cause__, TunneledError):
                    err = self._untunnel(io, e if isinstance(e, TunneledError) else e.__cause__)
                elif isinstance(e, PromiseRejected):
                    err = e.value
                elif isinstance(e, _JSError):
                    err = e.value if getattr(e, "value", None) is not None else self.isolate.ctx.new_error(e.name, e.message)
                elif isinstance(e, (TypeError, ValueError)):
                    err = self.isolate.ctx.new_error("TypeError", str(e))
                else:
                    err = self.isolate.ctx.new_error("Error", str(e) or type(e).__name__)
                try:
                    self.isolate.enter(io, reject.call, err)
                except Exception:
                    pass
                return
            try:
                self.isolate.enter(io, resolve.call, value)
            except Exception as e:
                self._log("error", "Uncaught " + js_error_text(e))
        t = self._loop.create_task(run())
        self._background.add(t)
        t.add_done_callback(self._background.discard)
        return p

    # ---------------------------------------------------------------- bodies
    def register_body(self, body, length=None) -> int:
        bid = next(self._ids)
        self._bodies[bid] = _HostBody(body, length)
        return bid

    def _body_read(self, bid):
        hb = self._bodies.get(bid)
        io = self.isolate.current
        if hb is None:
            return self._settle_later(io, _const(None))

        async def read():
            chunk = await hb.body.read(65536)
            if not chunk:
                self._bodies.pop(bid, None)
                return None
            return chunk
        return self._settle_later(io, read())

    def _body_read_all(self, bid):
        hb = self._bodies.pop(bid, None)
        io = self.isolate.current
        if hb is None:
            return self._settle_later(io, _const(b""))
        return self._settle_later(io, hb.body.read_all())

    def _body_cancel(self, bid):
        self._bodies.pop(bid, None)

    def _response_body(self, io, kind, value):
        """Convert the JS body parts into an HttpResponse body."""
        if kind == 0:
            return None
        if kind == 1:
            return _utf8(value)
        if kind == 2:
            return bytes(value)
        if kind == 4:
            hb = self._bodies.pop(value, None)
            if hb is None:
                return None
            if type(hb.body) is BytesBody and hb.body._pos == 0:
                return hb.body._data  # passed through untouched: written in one go, no iteration
            return hb.body  # a Body is an async iterable of chunks
        if kind == 3:
            return self._iter_js_stream(io, value)
        return None

    async def _iter_js_stream(self, io, stream):
        iso = self.isolate
        internal = self.internal  # fetch.js is loaded by now: a stream body came from it
        reader = iso.enter(io, internal.get("streamReader").call, stream)
        read_chunk = internal.get("readChunk")
        try:
            while True:
                p = iso.enter(io, read_chunk.call, reader)
                chunk = await self._promise_future(io, p)
                if chunk is None:
                    return
                yield bytes(chunk)
        except GeneratorExit:
            try:
                iso.enter(io, internal.get("cancelReader").call, reader, _undefined)
            except Exception:
                pass
            raise

    # ---------------------------------------------------------------- fetch (outbound + bindings)
    def _fetch(self, target, method, url, flat, kind, value, cf, length=None):
        io = self.isolate.current
        hop = self._hops.get(target, _undefined)
        if hop is _undefined:
            svc = self.targets[target]
            hop = getattr(svc, "hop", None)
            if hop is not None and _isolate_of(svc) is self.isolate:
                hop = None
            self._hops[target] = hop
        if hop is not None:
            # a service binding to another worker: no HttpRequest, no HttpResponse (see hop())
            depth = _sync_hops[0]
            if depth >= MAX_SYNC_HOPS:
                return self._hop_later(hop, io, (method, url, flat, kind, value, cf, length))
            _sync_hops[0] = depth + 1
            try:
                return hop(self, io, method, url, flat, kind, value, cf, length)
            finally:
                _sync_hops[0] = depth
        svc = self.targets[target]
        headers = [(flat.get(i), flat.get(i + 1)) for i in range(0, len(flat), 2)]
        body, _length = self._outgoing_body(io, kind, value, length)
        cf_obj = None
        if cf is not None and cf is not _undefined and isinstance(cf, _JSObject):
            try:
                cf_obj = json.loads(self.isolate.ctx.json_stringify(cf))
            except Exception:
                cf_obj = None
        req = HttpRequest(method, url, headers, body, "", cf_obj)

        convert = self._response_parts
        if _isolate_of(svc) is not self.isolate:
            # Another isolate (or a non-worker service): call it now. A synchronous answer
            # resolves the caller's `await` without any task or promise reaction crossing back.
            res = svc.handle(req)
            if isinstance(res, HttpResponse):
                return convert(res)
            return self._settle_later(io, res, convert)

        async def call():
            res = svc.handle(req)
            if not isinstance(res, HttpResponse):
                res = await res
            return res

        return self._settle_later(io, call(), convert)

    def _hop_later(self, hop, io, args):
        """A hop nested MAX_SYNC_HOPS deep in synchronous hops: run it from the event loop, on a
        fresh stack (workers calling each other recursively go as deep as workerd lets them)."""
        p, resolve, reject = self._new_promise()

        def run():
            try:
                r = hop(self, io, *args)
            except engine.Throw as t:
                r, fn = t.value, reject
            except Exception as e:  # noqa: BLE001 - a failed hop rejects the caller's fetch()
                r, fn = self.isolate.ctx.new_error("Error", str(e) or type(e).__name__), reject
            else:
                fn = resolve
            try:
                self.isolate.enter(io, fn.call, r)
            except Exception as e:  # noqa: BLE001 - the caller's limits: reported, never fatal
                self._log("error", "Uncaught " + js_error_text(e))
        self._loop.call_soon(run)
        return p

    def _rpc_call(self, target, name, args, get=False):
        """`env.X.name(...args)` (fetch.js's RPC proxy): a promise of the method's result.

        The arguments are structured-cloned here (V8 format, worker.js `rpcEncode`): only bytes
        go to the target, and only bytes come back, decoded in this isolate (`rpcDecode`).
        """
        io = self.isolate.current
        svc = self.targets[target]
        rpc = getattr(svc, "call_rpc", None)
        if rpc is None:
            return self._settle_later(io, _raise(TypeError("The RPC receiver does not implement the method \"%s\"." % name)))
        if self._dispatch_fetch is None:
            self._load_glue()
        internal = self.internal
        try:
            payload = bytes(internal.get("rpcEncode").call(args))
        except _JSError as e:
            if isinstance(e, (engine.Interrupted, engine.OutOfMemory)):
                raise
            # a DataCloneError rejects the call's promise (it does not throw), as in workerd
            p, _resolve, reject = self._new_promise()
            reject.call(e.value)
            return p
        decode = internal.get("rpcDecode")

        async def call():
            return await rpc(name, payload, bool(get))

        def convert(result):
            ok, data = result
            iso = self.isolate
            return iso.enter(io, decode.call, ok, iso.ctx.new_uint8array(data))
        return self._settle_later(io, call(), convert)

    async def call_rpc(self, name, payload, get=False, entrypoint=None, props=None):
        """Called by another worker's binding: run method `name` of an entrypoint.

        `payload`: the serialized arguments array (bytes, V8 format); `get`: read the property
        `name` instead of calling it (`await env.SVC.name`). Answers (ok, bytes): the
        serialized result, or a serialized description of what the method threw (worker.js
        `dispatchRpc`). No JS value of this isolate is handed to the caller.
        """
        iso = self._ready()
        io = self._new_io()
        exp = self._export(entrypoint)
        try:
            p = iso.enter(io, self._dispatch_rpc.call, exp, name, iso.ctx.new_uint8array(payload), self.env,
                          self._props(props), get)
            r = await self._promise_future(io, p)  # dispatchRpc never rejects
            return bool(r.get(0)), bytes(r.get(1))
        except (CpuLimitExceeded, engine.Interrupted):
            raise _JSError("Worker exceeded CPU time limit.", "Error") from None
        except engine.OutOfMemory:
            raise _JSError("Worker exceeded memory limit.", "Error") from None
        except (_JSError, PromiseRejected) as e:
            raise _JSError(str(e), "Error") from None

    # ---------------------------------------------------------------- service-binding hop
    def hop(self, caller, caller_io, method, url, flat, kind, value, cf, length, entrypoint=None, props=None):
        """`env.X.fetch(request)` from worker `caller`, run now, on the caller's turn.

        The request's parts go straight from the caller's JS into this worker's dispatch, and the
        response's parts straight back: [status, statusText, flatHeaders, bodyKind, bodyValue]
        (the caller's `makeResponse` takes them as they are), or a promise of them when the
        handler does not settle within this turn. A string or bytes body crosses as a value; a
        host body (e.g. the caller's incoming request body, proxied) crosses as the same Body
        object, re-registered; a JS stream body is read chunk by chunk from the isolate that owns it.
        """
        iso = self._ready()
        io = IoContext(iso, self._cpu_budget)
        body, length = caller._outgoing_body(caller_io, kind, value, length)
        bid = None if body is None else self.register_body(body, length)
        cf_json = None
        if cf is None or cf is _undefined:
            cf = None
        else:  # request.cf crosses as JSON, parsed by this isolate's engine (no Python objects)
            try:
                cf_json = caller.isolate.ctx.json_stringify(cf)
                cf = None if cf_json is _undefined else iso.ctx.json_parse(cf_json)
            except Exception:
                cf = cf_json = None
        flat = list(flat)
        exp = self.default_export if entrypoint is None else self._export(entrypoint)
        try:
            r = iso.enter(io, self._dispatch_fetch.call, exp, method, url, flat, bid, cf,
                          length if isinstance(length, int) else None, self.env,
                          None if props is None else self._props(props))
            if r.is_promise:
                st = r.promise_state
                if st == "fulfilled":
                    r = self._finish_response.call(r.promise_result)
                elif st == "rejected":
                    r.mark_handled()
                    v = r.promise_result
                    raise PromiseRejected(v, _error_text(v))
                else:
                    return caller._settle_later(caller_io, self._hop_await(caller, io, r, (method, url, flat, body, cf_json)))
            return self._hop_parts(caller, io, r, method == "HEAD")
        except Exception as e:
            if not io.pass_through:
                t = self._tunnel(e)
                if t is not None:  # the caller's fetch() throws what this worker threw
                    raise engine.Throw(caller._untunnel(caller_io, t)) from None
            failed = self._fail(io, e, _HopRequest(method, url, flat, body, cf_json) if io.pass_through else None)
            return caller._hop_failed(caller_io, failed)

    async def _hop_await(self, caller, io, promise, orig):
        try:
            fut = io.waiter = self._promise_future(io, promise)
            value = await fut
            parts = self.isolate.enter(io, self._finish_response.call, value)
            return self._hop_parts(caller, io, parts, orig[0] == "HEAD")
        except Exception as e:
            if not io.pass_through:
                t = self._tunnel(e)
                if t is not None:
                    raise t from None
            res = self._fail(io, e, _HopRequest(*orig) if io.pass_through else None)
            if not isinstance(res, HttpResponse):
                res = await res
            return caller._response_parts(res)

    def _hop_parts(self, caller, io, parts, head=False):
        """This worker's unpacked response -> the parts the caller's makeResponse takes."""
        status, reason, flat, kind, value, ws, length = parts
        flat = list(flat)
        if head and kind != 0:
            # the answer to a HEAD request has no body, also between workers (as in workerd)
            if kind == 4:
                self._bodies.pop(value, None)
            kind, value = 0, None
        ws_id = None
        if ws is not None and ws is not _undefined:
            # the WebSocket crosses as a pair of linked endpoints: this worker's, the caller's
            mine = self._ws_couple(io, ws)
            theirs = caller._ws_new()
            ws_link(theirs, mine)
            ws_id = theirs.id
        if kind == 1 or kind == 0:
            pass
        elif kind == 2:
            value = bytes(value)
        elif kind == 4:
            hb = self._bodies.pop(value, None)
            if hb is None:
                kind = value = 0
            else:
                value = next(caller._ids)
                caller._bodies[value] = hb
        else:
            # a known length is not turned into a content-length header here (workerd's caller
            # does not see one either), but it stays with the body for the HTTP answer
            n = int(length) if isinstance(length, (int, float)) else None
            value = caller.register_body(Body.from_iter(self._tunnel_stream(io, value), n), n)
            kind = 4
        if io.wait_until:
            self._drain_later(io)
        out = [status, reason or STATUS_PHRASES.get(status, ""), flat, kind, value]
        if ws_id is not None:
            out.append(ws_id)
        return out

    # ---------------------------------------------------------------- WebSockets
    # A JS WebSocket coupled to the host (returned in a Response, or made for a host connection)
    # has a host id here: a `JsEndpoint` (see ../http/websocket.py for endpoints and links).
    _ws_eps: dict | None = None
    _ws_deliver_fn = None
    _ws_deliver_iso = None

    def _ws_new(self):
        """host.wsNew(): a new endpoint for a JS WebSocket of this isolate; returns its id."""
        if self._ws_eps is None:
            self._ws_eps = {}
        ep = JsEndpoint(self, next(self._ids))
        self._ws_eps[ep.id] = ep
        return ep

    def _ws_new_id(self):
        return self._ws_new().id

    def _ws_send(self, wid, kind, data, code, reason):
        """host.wsSend(id, kind, data, code, reason): the JS side of endpoint `id` says something."""
        eps = self._ws_eps
        ep = eps.get(int(wid)) if eps is not None else None
        if ep is None:
            return
        if kind == TEXT:
            ep.send((TEXT, data))
        elif kind == BINARY:
            ep.send((BINARY, bytes(data)))
        elif kind == CLOSE:
            ep.closed_out = True
            ep.send((CLOSE, int(code), reason or ""))
        else:
            ep.closed_out = ep.closed_in = True
            ep.send((ABORT,))
        if ep.closed_in and ep.closed_out:
            eps.pop(ep.id, None)

    def _ws_couple(self, io, ws):
        """A JS WebSocket returned in a Response -> the endpoint the server (or caller) links."""
        if self._ws_eps is None:
            self._ws_eps = {}
        try:
            r = self.isolate.enter(io, self.internal.get("wsCouple").call, ws)
        except _JSError as e:
            if e.name != "TypeError" or not str(e.message).startswith("Can't return WebSocket"):
                raise
            # workerd writes the 101 and then fails the socket: so do we (logged as uncaught)
            self._log("error", "Uncaught " + js_error_text(e))
            return _FailedEndpoint()
        wid, splice = int(r.get(0)), bool(r.get(1))
        ep = self._ws_eps.get(wid)
        if ep is None:
            raise TypeError("The WebSocket is not connected.")
        if not splice:
            return ep
        # the socket stood for a host connection passed on untouched: hand over that connection
        del self._ws_eps[wid]
        other = ep.unlink()
        ep.dead = True
        if other is None:
            raise TypeError("The WebSocket is not connected.")
        if ep._inq:   # what the far party said meanwhile goes to whoever links `other` next
            other._pending = list(ep._inq) + (other._pending or [])
            ep._inq.clear()
        return other

    def _ws_event(self, ep, msg):
        """A message for the JS side of endpoint `ep`: into the isolate (internal.wsDeliver)."""
        iso = self.isolate
        eps = self._ws_eps
        if iso is not ep.isolate or eps is None or eps.get(ep.id) is not ep:
            # the isolate was recreated (or the socket forgotten): the far party is told
            if not ep.dead and msg[0] != ABORT:
                ep.dead = True
                ep.send((ABORT,))
            return
        kind = msg[0]
        data = None
        code = 0
        reason = None
        if kind == TEXT:
            data = msg[1]
        elif kind == BINARY:
            data = iso.ctx.new_arraybuffer(msg[1])
        elif kind == CLOSE:
            ep.closed_in = True
            code, reason = msg[1], msg[2]
        else:
            ep.closed_in = ep.closed_out = True
            code = 1 if len(msg) > 1 and msg[1] else 0   # 1: let go without an event
        fn = self._ws_deliver_fn
        if fn is None or self._ws_deliver_iso is not iso:
            fn = self._ws_deliver_fn = self.internal.get("wsDeliver")
            self._ws_deliver_iso = iso
        try:
            iso.enter(self._new_io(), fn.call, ep.id, kind, data, code, reason)
        except Exception as e:  # an exception in an event listener is reported, never fatal
            self._log("error", "Uncaught " + js_error_text(e))
        if ep.closed_in and ep.closed_out:
            eps.pop(ep.id, None)

    def _tunnel(self, e):
        """A JS exception (thrown or rejected) of this worker -> TunneledError; None for the
        failures that are not the worker's own exceptions (CPU or memory limit, host errors)."""
        if isinstance(e, (engine.Interrupted, engine.OutOfMemory, CpuLimitExceeded)):
            return None
        if isinstance(e, PromiseRejected):
            value = e.value
        elif isinstance(e, _JSError):
            value = e.value
        else:
            return None
        if isinstance(value, PromiseRejected) or (isinstance(e, PromiseRejected) and str(e).startswith("InternalError: out of memory")):
            return None
        try:
            data = bytes(self.internal.get("tunnelError").call(value))
        except Exception:
            return None
        return TunneledError(data, _error_text(value))

    def _untunnel(self, io, t):
        """A TunneledError from another worker -> the error value in this isolate."""
        try:
            self.isolate.enter(io, self.internal.get("rpcDecode").call, False, t.data)
        except _JSError as e:
            if isinstance(e, (engine.Interrupted, engine.OutOfMemory)):
                raise
            return e.value
        return self.isolate.ctx.new_error("Error", str(t))

    async def _tunnel_stream(self, io, stream):
        """A response body stream read for another worker: its error crosses as a TunneledError."""
        try:
            async for chunk in self._iter_js_stream(io, stream):
                yield chunk
        except PromiseRejected as e:
            t = self._tunnel(e)
            if t is None:
                raise
            raise t from None

    def _outgoing_body(self, io, kind, value, length):
        """A request body as JS handed it over (bodyKind, bodyValue, length) -> (Body or None,
        length). A host body leaves this worker's table: its new owner registers it."""
        if kind == 0:
            return None, None
        if kind == 1 or kind == 2:
            data = _utf8(value) if kind == 1 else bytes(value)
            return Body.from_bytes(data), len(data)
        if kind == 4:
            hb = self._bodies.pop(value, None)
            if hb is None:
                return None, None
            return hb.body, (hb.length if length is None else length)
        n = int(length) if isinstance(length, (int, float)) else None
        return Body.from_iter(self._iter_js_stream(io, value), n), n

    def _response_parts(self, res):
        """An HttpResponse -> the parts this worker's makeResponse takes."""
        if isinstance(res.body, WsEndpoint):   # a 101: the socket crosses as an endpoint
            mine = self._ws_new()
            ws_link(mine, res.body)
            flat_ws = [x for k, v in res.headers for x in (k.lower(), v)]
            return [res.status, res.reason or STATUS_PHRASES.get(res.status, "Switching Protocols"),
                    flat_ws, 0, None, mine.id]
        kind = bid = 0
        if res.body is not None:
            rb = res.body
            body = Body.from_bytes(bytes(rb)) if isinstance(rb, (bytes, bytearray, memoryview)) else Body.from_iter(rb)
            bid = self.register_body(body)
            kind = 4
        flat = []
        for k, v in res.headers:
            flat.append(k.lower())
            flat.append(v)
        reason = res.reason if res.reason is not None else STATUS_PHRASES.get(res.status, "")
        return [res.status, reason, flat, kind, bid]

    def _hop_failed(self, io, res):
        """The target failed: its 500 (or pass-through answer) as the caller's response parts."""
        if isinstance(res, HttpResponse):
            return self._response_parts(res)

        async def later():
            return self._response_parts(await res)
        return self._settle_later(io, later())

    # ---------------------------------------------------------------- events
    def _new_io(self):
        return IoContext(self.isolate, self.limits.cpu_ms / 1000.0)

    def _export(self, entrypoint):
        if self.exports is None:
            return None
        if entrypoint is None or entrypoint == "default":
            return self.default_export
        v = self.exports.get(entrypoint)
        return None if v is _undefined else v

    def _props(self, props_json):
        if props_json is None:
            return self.isolate.ctx.new_object()
        return self.isolate.ctx.json_parse(props_json)

    def handle(self, request, entrypoint=None, props=None):
        iso = self._ready()
        io = IoContext(iso, self._cpu_budget)
        body = request.body
        bid = None if body is None else self.register_body(body, body.length)
        flat = [x for kv in request.headers for x in kv]
        if not "".join(flat).isascii():  # one C-level check; the loop only for non-ASCII requests
            for i in range(1, len(flat), 2):
                if not flat[i].isascii():  # workerd hands header values to JS decoded as UTF-8
                    flat[i] = flat[i].encode("latin-1", "replace").decode("utf-8", "replace")
        exp = self.default_export if entrypoint is None else self._export(entrypoint)
        try:
            r = iso.enter(io, self._dispatch_fetch.call, exp, request.method, request.url, flat, bid,
                          request.cf, None if body is None else body.length, self.env,
                          None if props is None else self._props(props))
        except Exception as e:
            return self._fail(io, e, request)
        if r.is_promise:
            st = r.promise_state
            if st == "fulfilled":
                # unpacking is our own bounded glue: no deadline or job drain needed
                try:
                    r = self._finish_response.call(r.promise_result)
                except Exception as e:
                    return self._fail(io, e)
            elif st == "rejected":
                r.mark_handled()  # reported once, by _fail, not again as an unhandled rejection
                v = r.promise_result
                return self._fail(io, PromiseRejected(v, _error_text(v)), request)
            else:
                return self._await_response(io, r, request)
        return self._finish(io, r)

    async def _await_response(self, io, promise, request):
        try:
            fut = io.waiter = self._promise_future(io, promise)
            value = await fut
            parts = self.isolate.enter(io, self._finish_response.call, value)
        except Exception as e:
            res = self._fail(io, e, request)
            if not isinstance(res, HttpResponse):
                res = await res
            return res
        return self._finish(io, parts)

    def _finish(self, io, parts):
        try:
            status = parts.get(0)
            reason = parts.get(1) or None
            flat = parts.get(2)
            n = len(flat)
            headers = [(flat.get(i), flat.get(i + 1)) for i in range(0, n, 2)] if n else []
            kind = parts.get(3)
            ws = parts.get(5)
            if ws is not None and ws is not _undefined:
                body = self._ws_couple(io, ws)   # a WebSocket: the server writes the 101
                kind = 0
            else:
                value = parts.get(4)
                if kind == 4:  # a body passed through (a subrequest's answer): its known length
                    hb = self._bodies.get(value)
                    length = None if hb is None else hb.length
                body = self._response_body(io, kind, value)
            if kind == 4:
                if length is not None and not any(k == "content-length" for k, _ in headers):
                    headers.append(("content-length", str(int(length))))
            elif kind == 3:
                length = parts.get(6)
                if length is not None and length is not _undefined and not any(k == "content-length" for k, _ in headers):
                    headers.append(("content-length", str(int(length))))
        except Exception as e:
            return self._fail(io, e)
        if io.wait_until:
            self._drain_later(io)
        return HttpResponse(status, headers, body, reason)

    def _drain_later(self, io):
        """The event answered: its ctx.waitUntil() promises go on in the background."""
        t = self._loop.create_task(io.drain_wait_until())
        self._background.add(t)
        t.add_done_callback(self._background.discard)

    def _fail(self, io, e, request=None):
        if isinstance(e, PromiseRejected) and str(e).startswith("InternalError: out of memory"):
            e = engine.OutOfMemory("out of memory")  # an async handler turned it into a rejection
        if isinstance(e, CpuLimitExceeded) or isinstance(e, engine.Interrupted):
            self._log("error", "Uncaught Error: Worker exceeded CPU time limit.")
        elif isinstance(e, engine.OutOfMemory):
            self._log("error", "Uncaught Error: Worker exceeded memory limit; the isolate will be recreated.")
            self.isolate.broken = "memory"
        else:
            self._log("error", "Uncaught " + js_error_text(e))
        if io.pass_through and request is not None and (request.body is None or request.method in ("GET", "HEAD")):
            # ctx.passThroughOnException(): the request goes on to the origin (globalOutbound)
            return self._pass_through_to_origin(request)
        return internal_error()

    async def _pass_through_to_origin(self, request):
        try:
            res = self.targets[0].handle(request)
            if not isinstance(res, HttpResponse):
                res = await res
            return res
        except Exception as e:  # noqa: BLE001 - the origin failing is a 500 too
            self._log("error", f"passThroughOnException: the origin failed: {e}")
            return internal_error()

    def _restart(self):
        old = self.isolate
        self.server.warn(f"{self.name}: recreating isolate ({old.broken})")
        for h in self._timers.values():
            h.cancel()
        self._timers.clear()
        self._bodies.clear()
        waiters, self._waiters = self._waiters, {}
        for fut in waiters.values():  # events in flight in the old isolate fail now, not hang
            if not fut.done():
                fut.set_exception(engine.OutOfMemory("the isolate was recreated"))
        try:
            self.start()
        finally:
            old.close()

    # ---------------------------------------------------------------- test()
    def has_tests(self) -> list[str]:
        if self._dispatch_fetch is None:
            self._load_glue()
        names = []
        if self.exports is None:
            return names
        # Durable Object classes are not entrypoints: workerd never runs their test() (durable_objects.py)
        do_classes = {ns.class_name for ns in self.plan.durable_object_namespaces}
        for k in self.exports.keys():
            v = self.exports.get(k)
            if k in do_classes:
                continue
            if isinstance(v, _JSObject) and self.isolate.enter(None, self._has_handler.call, v, "test"):
                names.append(k)
        return names

    async def run_test(self, export_name):
        io = self._new_io()
        exp = self._export(export_name)
        p = self.isolate.enter(io, self._dispatch_test.call, exp, self.env, self.isolate.ctx.new_object())
        fut = io.waiter = self._promise_future(io, p)
        await fut
        if io.wait_until:
            await io.drain_wait_until()


class JsEndpoint(WsEndpoint):
    """The host side of a JS WebSocket of one worker's isolate. Deliveries into JS are queued and
    run on a later loop turn, in order: a message never re-enters an isolate that is running."""

    __slots__ = ("worker", "isolate", "id", "_inq", "_scheduled", "closed_in", "closed_out",
                 "dead", "compression")

    def __init__(self, worker, wid):
        super().__init__()
        self.worker = worker
        self.isolate = worker.isolate
        self.id = wid
        self._inq = []
        self._scheduled = False
        self.closed_in = self.closed_out = self.dead = False
        self.compression = "web_socket_compression" in worker.plan.compat_flags

    def deliver(self, msg):
        if self.dead:
            return
        self._inq.append(msg)
        if not self._scheduled:
            self._scheduled = True
            self.worker._loop.call_soon(self._flush)

    def _flush(self):
        self._scheduled = False
        q, self._inq = self._inq, []
        for msg in q:
            if self.dead:
                return
            self.worker._ws_event(self, msg)


class _FailedEndpoint(WsEndpoint):
    """A socket that could not be coupled: whoever links it hears ABORT at once."""

    __slots__ = ()

    def __init__(self):
        super().__init__()
        self._pending = [(ABORT,)]

    def deliver(self, msg):
        pass


def _HopRequest(method, url, flat, body, cf_json):
    """The HttpRequest of a hop, built only when a failing worker passes it through to its origin."""
    headers = [(flat[i], flat[i + 1]) for i in range(0, len(flat), 2)]
    return HttpRequest(method, url, headers, body, "", None if cf_json is None else json.loads(cf_json))


class _Builtins:
    """Built-in modules: cloudflare:workers."""

    NAMES = ("cloudflare:workers", "workerd-internal:cjs")

    def __init__(self, internal, api=None):
        self.internal = internal
        self.api = api

    def has(self, name):
        return name in self.NAMES

    def load(self, name, ctx):
        if name == "cloudflare:workers":
            if self.api is not None:
                self.api.load_module("worker")
            cw = self.internal.get("cloudflareWorkers")
            exports = {k: cw.get(k) for k in ("WorkerEntrypoint", "DurableObject", "RpcTarget", "WorkflowEntrypoint")}
            exports["default"] = cw
            return engine.SyntheticModule(exports)
        if name == "workerd-internal:cjs":
            def cjs_require(base, spec):
                raise TypeError(f"require('{spec}') is not supported from CommonJS module {base}")
            return engine.SyntheticModule({"__cjsRequire": ctx.new_function(cjs_require, "__cjsRequire")})
        raise ModuleNotFound(name)


def _isolate_of(svc):
    w = getattr(svc, "worker", svc)
    return getattr(w, "isolate", None)


async def _const(v):
    return v


async def _raise(e):
    raise e


