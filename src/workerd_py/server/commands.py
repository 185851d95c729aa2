"""`workerd serve` and `workerd test`."""
from __future__ import annotations

import asyncio
import fnmatch
import os
import sys
import time

from ..cli import UsageError
from ..runtime.isolate import Limits


def _pairs(items, flag):
    out = {}
    for it in items:
        if "=" not in it:
            raise UsageError(f"{flag} expects NAME=VALUE, got '{it}'")
        k, v = it.split("=", 1)
        out[k] = v
    return out


def load(args, compat_date=None):
    """Load and validate the plan named by the command line; UsageError with diagnostics on error."""
    from ..config import ConfigError, load_plan
    if getattr(args, "default", False) or not getattr(args, "config", None):
        from .default_config import default_plan
        plan = default_plan()
    else:
        try:
            plan = load_plan(args.config, const=getattr(args, "const", None), import_paths=tuple(args.import_path),
                             binary=args.binary, experimental=args.experimental,
                             default_compatibility_date=compat_date)
        except ConfigError as e:
            raise UsageError(str(e)) from None
        except FileNotFoundError:
            raise UsageError(f"{args.config}: no such file") from None
    try:
        plan = plan.with_overrides(sockets=_pairs(getattr(args, "socket_addr", []), "-s"),
                                   directories=_pairs(getattr(args, "directory_path", []), "-d"),
                                   externals=_pairs(getattr(args, "external_addr", []), "-e"))
    except KeyError as e:
        raise UsageError(f"no socket or service named {e} in the config") from None
    return plan


def run(args) -> int:
    if args.command == "serve":
        return serve(args)
    if args.command == "test":
        return test(args)
    raise UsageError(f"unknown command {args.command}")


def _limits(args) -> Limits:
    lim = Limits()
    if getattr(args, "cpu_limit_ms", None):
        lim.cpu_ms = args.cpu_limit_ms
    if getattr(args, "memory_limit_mb", None):
        lim.memory_mb = args.memory_limit_mb
    if getattr(args, "js_slice_ms", None):
        lim.slice_ms = args.js_slice_ms
    return lim


def _socket_options(sock, fds):
    from .sockets import SocketOptions, TlsOptions
    http = sock.http
    kw = {}
    if http is not None:
        kw.update(style=http.style, forwarded_proto_header=http.forwarded_proto_header,
                  cf_blob_header=http.cf_blob_header,
                  inject_request_headers=[(h.name, h.value) for h in http.inject_request_headers],
                  inject_response_headers=[(h.name, h.value) for h in http.inject_response_headers])
    tls = None
    if sock.protocol == "https" and sock.tls is not None and sock.tls.keypair is not None:
        t = sock.tls
        tls = TlsOptions(certificate_chain=t.keypair.certificate_chain, private_key=t.keypair.private_key,
                         min_version=t.min_version, cipher_list=t.cipher_list,
                         require_client_certs=t.require_client_certs,
                         trusted_certificates=list(t.trusted_certificates), trust_browser_cas=t.trust_browser_cas)
    fd = fds.get(sock.name)
    return SocketOptions(name=sock.name, address=sock.address, fd=int(fd) if fd is not None else None, tls=tls, **kw)


def serve(args) -> int:
    plan = load(args)
    fds = _pairs(args.socket_fd, "-S")
    try:
        import uvloop
        uvloop.install()
    except ImportError:
        pass
    from .. import engine
    engine.tune_malloc()  # big body buffers reuse heap memory instead of a fresh mmap each time
    from .app import App, Options
    opts = Options(verbose=args.verbose, structured_logging=args.structured_logging, limits=_limits(args),
                   experimental=args.experimental)
    for w in getattr(plan, "warnings", ()):
        print(w, file=sys.stderr)

    async def main():
        from .sockets import Server, install_signal_handlers
        app = App(plan, opts)
        errors = app.start_workers()
        if errors:
            for e in errors:
                print(f"workerd: error: {e}", file=sys.stderr)
            return 1
        server = Server(error_log=lambda msg, exc=None: app.log("error", msg + (f": {exc}" if exc else "")))
        listeners = {}
        for sock in plan.sockets:
            if sock.address is None and sock.name not in fds:
                print(f"workerd: error: socket '{sock.name}' has no address; give one with -s {sock.name}=ADDR", file=sys.stderr)
                return 1
            try:
                svc = app.resolve(sock.service)
                listener = await server.listen(_socket_options(sock, fds), svc)
                listeners[sock.name] = (sock, listener)
            except OSError as e:
                print(f"workerd: error: socket '{sock.name}' ({sock.address}): {e.strerror or e}", file=sys.stderr)
                return 1
            except ValueError as e:  # a bad address, style or TLS option
                print(f"workerd: error: socket '{sock.name}': {e}", file=sys.stderr)
                return 1
            if args.verbose:
                app.log("info", f"listening on {sock.name} {listener.sockname}")
        loop = asyncio.get_running_loop()
        done = install_signal_handlers(loop, server, args.shutdown_timeout)
        # Everything built at startup lives as long as the server: move it out of the cyclic GC's
        # sight, and collect the young generation less often (requests allocate few cycles).
        import gc
        gc.collect()
        gc.freeze()
        gc.set_threshold(20000, 20, 20)
        state = {"app": app}
        if args.watch:
            loop.create_task(_watch(args, plan, state, listeners, opts))
        await done
        await state["app"].close()
        return 0

    try:
        return asyncio.run(main())
    except KeyboardInterrupt:
        return 0


def _watched_files(args):
    """The config file and the files beside it (modules, embeds, imported capnp files)."""
    out = set()
    if args.config and os.path.exists(args.config):
        cfg = os.path.abspath(args.config)
        out.add(cfg)
        base = os.path.dirname(cfg)
        for root, dirs, files in os.walk(base):
            dirs[:] = [d for d in dirs if not d.startswith(".") and d != "node_modules"]
            for f in files:
                if f.endswith((".js", ".mjs", ".cjs", ".capnp", ".json", ".txt", ".wasm", ".html")):
                    out.add(os.path.join(root, f))
            if len(out) > 2000:
                break
    return out


def _stamps(paths):
    st = {}
    for p in paths:
        try:
            st[p] = os.stat(p).st_mtime_ns
        except OSError:
            st[p] = None
    return st


async def _watch(args, plan, state, listeners, opts):
    """-w: reload changed configs and scripts in this process. The new services are built and
    started first; only if that succeeds do the sockets switch to them. Requests in flight finish
    on the old workers (they hold their own references); a broken edit keeps the old version."""
    from .app import App
    loop = asyncio.get_running_loop()
    stamps = _stamps(_watched_files(args))
    while True:
        await asyncio.sleep(0.3)
        now = _stamps(_watched_files(args))
        if now == stamps:
            continue
        stamps = now
        old = state["app"]
        try:
            new_plan = await loop.run_in_executor(None, load, args)
        except UsageError as e:
            old.log("error", f"reload failed, still serving the previous version:\n{e}")
            continue
        new_app = App(new_plan, opts)
        errors = new_app.start_workers()
        if errors:
            old.log("error", "reload failed, still serving the previous version:\n" + "\n".join(errors))
            continue
        for sock in new_plan.sockets:
            entry = listeners.get(sock.name)
            if entry is None or entry[0].address != sock.address:
                old.log("warning", f"socket '{sock.name}' changed; restart the server to apply socket changes")
                continue
            _swap_service(entry[1], new_app.resolve(sock.service))
        state["app"] = new_app
        old.log("info", "reloaded")
        loop.call_later(60.0, lambda a=old: loop.create_task(a.close()))


def _swap_service(listener, service):
    """Point a listening socket (and its open keep-alive connections) at a new service."""
    site = listener.site
    site.service = service
    site.handle = service.handle
    for conn in list(site.connections):
        if hasattr(conn, "_handle"):
            conn._handle = service.handle


def test(args) -> int:
    plan = load(args, compat_date=args.compat_date)
    from .app import App, Options
    # tests run one at a time: no other request waits on a long synchronous run of JS
    opts = Options(verbose=args.verbose, experimental=args.experimental, limits=Limits(slice_ms=10_000.0))

    async def main():
        app = App(plan, opts)
        errors = app.start_workers()
        if errors:
            for e in errors:
                print(f"workerd: error: {e}", file=sys.stderr)
            return 1
        ran = failed = 0
        flt = args.filter
        for name, w in app.workers.items():
            for export in w.has_tests():
                test_name = name if export == "default" else f"{name}:{export}"
                if flt and not (fnmatch.fnmatchcase(test_name, flt) or fnmatchcase_service(name, export, flt)):
                    continue
                ran += 1
                print(f"[ TEST ] {test_name}", file=sys.stderr, flush=True)
                t0 = time.monotonic()
                try:
                    await w.run_test(export)
                except Exception as e:
                    from .services.worker import js_error_text
                    failed += 1
                    print(f"{test_name}: Uncaught {js_error_text(e)}", file=sys.stderr)
                    print(f"[ FAIL ] {test_name}", file=sys.stderr, flush=True)
                    continue
                ms = (time.monotonic() - t0) * 1000
                print(f"[ PASS ] {test_name} ({ms:.0f}ms)", file=sys.stderr, flush=True)
        await app.close()
        if ran == 0:
            print("workerd: no tests matched", file=sys.stderr)
            return 1
        print(f"{ran - failed} passed, {failed} failed", file=sys.stderr)
        return 1 if failed else 0

    return asyncio.run(main())


def fnmatchcase_service(name, export, flt):
    svc, _, ent = flt.partition(":")
    return fnmatch.fnmatchcase(name, svc) and (not ent or fnmatch.fnmatchcase(export, ent))
