#!/usr/bin/env python3
"""Benchmarks of workerd-py side by side with the real workerd (`make bench`).

    .venv/bin/python bench/run.py                 # everything (~6 minutes)
    .venv/bin/python bench/run.py --quick         # shorter runs, up to 100 workers (~3 minutes)
    .venv/bin/python bench/run.py --case hop --case startup   # some cases; merged into latest
    .venv/bin/python bench/run.py --list          # the case names

Every case runs the same config (bench/cases/) on both runtimes, one after the other. The server
is pinned to CPU 0 (`taskset -c 0`); wrk and this script's own clients run on CPU 1. Per case it
reports ratios ours / workerd: throughput, server CPU time per request (utime + stime of the
server's processes from /proc, delta over the measured run, divided by the requests wrk counted),
and latency p50 / p99 (wrk --latency).

The machine is shared: other processes may run on CPU 0 during a run. Servers and wrk run at
nice -10 in sessions of their own (autogroup nice too) when root (--nice). Each measured run records how long the server's threads waited,
runnable, for their CPU (schedstat run delay) as a share of the run ("noise"); a run above
NOISE_RETRY is repeated (up to RETRIES times) and the quietest run is kept.

Writes bench/results/latest.json (raw, merged across partial runs), latest.md (the tables),
latest.png (ratios chart), and the tables into bench/RESULTS.md with the commit measured.
"""

from __future__ import annotations

import argparse
import datetime as _dt
import http.client
import json
import os
import re
import resource
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BENCH = os.path.join(ROOT, "bench")
CASES = os.path.join(BENCH, "cases")
RESULTS = os.path.join(BENCH, "results")
RESULTS_MD = os.path.join(BENCH, "RESULTS.md")
VPY = os.path.join(ROOT, ".venv", "bin", "python")
OURS = os.path.join(ROOT, ".venv", "bin", "workerd")
WORKERD_VERSION = "1.20261117.1"
NPM_PREFIX = os.path.expanduser("~/.cache/workerd-py/npm")
THEIRS = os.path.join(NPM_PREFIX, "node_modules", ".bin", "workerd")
SERVER_CPU = 0
CLIENT_CPU = 1
CLK_TCK = os.sysconf("SC_CLK_TCK")
PAGE = os.sysconf("SC_PAGE_SIZE")
NOISE_RETRY = 0.10  # share of the run the server waited for its CPU that makes a run be repeated
RETRIES = 2

RUNTIMES = ("ours", "workerd")
# Servers and wrk run at a higher priority than the other work on the (shared) machine when we may
# (root): builds and tests of others then take less from the measured core. With autogroup
# scheduling (kernel.sched_autogroup_enabled) a nice value only counts inside its session, so each
# server and wrk gets a session of its own whose autogroup gets the nice value. Set by main().
PRIORITY = 0
# Extra environment of our server: PYTHONPATH of a snapshot tree (--commit). Set by main().
OURS_ENV: dict[str, str] = {}
TREES = os.path.join(os.path.expanduser("~/.cache/workerd-py"), "bench-trees")
PYCACHE = os.path.join(os.path.expanduser("~/.cache/workerd-py"), "bench-pycache")


def _boost() -> None:
    """preexec_fn of servers and wrk: own session, raised priority (when PRIORITY < 0)."""
    os.setsid()
    if PRIORITY:
        try:
            with open("/proc/self/autogroup", "w") as f:
                f.write(str(PRIORITY))
        except OSError:
            pass
        try:
            os.setpriority(os.PRIO_PROCESS, 0, PRIORITY)
        except OSError:
            pass


def log(msg: str) -> None:
    print(msg, flush=True)


# ----------------------------------------------------------------------------------------------
# Cases


class WrkCase:
    kind = "wrk"

    def __init__(self, name, folder, conns, script=None, check=None, note=""):
        self.name, self.folder, self.conns = name, folder, conns
        self.script, self.check, self.note = script, check, note

    @property
    def config(self):
        return os.path.join(CASES, self.folder, "config.capnp")


def _check_hello(status, body):
    return status == 200 and body == b"Hello World\n"


def _check_fib(status, body):
    return status == 200 and body == b"75025"


def _check_sha(status, body):
    # sha256 of bytes 0..255 repeated to 64 KiB
    import hashlib
    want = hashlib.sha256(bytes(range(256)) * 256).hexdigest().encode()
    return status == 200 and body == want


def _check_hmac(status, body):
    return status == 200 and len(body) == 64


WRK_CASES = [
    WrkCase("hello-c1", "hello", 1, check=_check_hello, note="hello world, 1 connection"),
    WrkCase("hello-c32", "hello", 32, check=_check_hello, note="hello world, 32 connections"),
    WrkCase("hop", "hop", 32, check=_check_hello, note="front -> env.BACKEND.fetch(request)"),
    WrkCase("chain5", "chain5", 32, check=_check_hello, note="5 workers, 4 service-binding hops"),
    WrkCase("json-1k", "json_echo", 32, script="post_1k.lua", note="POST 1 KiB, Response.json(await request.json())"),
    WrkCase("json-1m", "json_echo", 8, script="post_1m.lua", note="POST 1 MiB, Response.json(await request.json())"),
    WrkCase("fib25", "fib", 8, check=_check_fib, note="recursive fib(25) per request"),
    WrkCase("sha256-64k", "sha256", 32, check=_check_sha, note="crypto.subtle.digest SHA-256 of 64 KiB"),
    WrkCase("hmac", "hmac", 32, check=_check_hmac, note="crypto.subtle.sign HMAC-SHA256 of the URL per request"),
]
OTHER_CASES = ["stream-100m", "startup", "workers-1", "workers-10", "workers-100", "workers-1000"]
ALL_CASES = [c.name for c in WRK_CASES] + OTHER_CASES


# ----------------------------------------------------------------------------------------------
# Tools: wrk, the real workerd, matplotlib


def ensure_wrk() -> str | None:
    """Path of wrk, installing the Debian package when missing; None (and why) when impossible."""
    path = shutil.which("wrk")
    if path:
        return path
    if os.geteuid() == 0 and shutil.which("apt-get"):
        log("wrk missing: apt-get install -y wrk")
        env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
        for cmd in (["apt-get", "install", "-y", "-q", "wrk"],
                    ["sh", "-c", "apt-get update -q && apt-get install -y -q wrk"]):
            subprocess.run(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            path = shutil.which("wrk")
            if path:
                return path
    log("SKIP: wrk is not installed and could not be installed (apt-get install wrk failed or not "
        "root); the wrk-driven cases are skipped")
    return None


def workerd_version(path: str) -> str | None:
    try:
        out = subprocess.run([path, "--version"], capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.TimeoutExpired):
        return None
    return (out.stdout or out.stderr).strip() or None


def ensure_workerd() -> tuple[str | None, str]:
    """(path, why-not) of the real workerd, installed from npm into the cache when missing."""
    if os.path.exists(THEIRS) and workerd_version(THEIRS):
        return THEIRS, ""
    npm = shutil.which("npm")
    if not npm:
        return None, "npm is not installed, so the real workerd cannot be installed"
    log(f"installing workerd@{WORKERD_VERSION} with npm into {NPM_PREFIX}")
    os.makedirs(NPM_PREFIX, exist_ok=True)
    try:
        out = subprocess.run([npm, "install", "--prefix", NPM_PREFIX, f"workerd@{WORKERD_VERSION}"],
                             capture_output=True, text=True, timeout=600)
    except subprocess.TimeoutExpired:
        return None, "npm install workerd timed out (registry unreachable?)"
    if out.returncode != 0 or not os.path.exists(THEIRS):
        tail = (out.stderr or out.stdout).strip().splitlines()[-3:]
        return None, "npm install workerd failed (registry unreachable?): " + " / ".join(tail)
    if not workerd_version(THEIRS):
        return None, "the installed workerd binary does not run on this machine"
    return THEIRS, ""


def ensure_matplotlib() -> bool:
    import importlib.util
    if importlib.util.find_spec("matplotlib"):
        return True
    log("matplotlib missing: pip install 'matplotlib>=3.8' (the bench extra)")
    subprocess.run([sys.executable, "-m", "pip", "install", "-q", "matplotlib>=3.8"],
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    importlib.invalidate_caches()
    if importlib.util.find_spec("matplotlib"):
        return True
    log("SKIP chart: matplotlib could not be installed")
    return False


# ----------------------------------------------------------------------------------------------
# Processes: CPU time, RSS, CPU 0 load


def _children_map() -> dict[int, list[int]]:
    kids: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", "rb") as f:
                data = f.read()
        except OSError:
            continue
        ppid = int(data[data.rindex(b")") + 2:].split()[1])
        kids.setdefault(ppid, []).append(int(entry))
    return kids


def process_tree(pid: int) -> list[int]:
    kids = _children_map()
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        out.append(p)
        todo.extend(kids.get(p, ()))
    return out


def cpu_seconds(pids: list[int]) -> float:
    total = 0
    for p in pids:
        try:
            with open(f"/proc/{p}/stat", "rb") as f:
                fields = f.read().rsplit(b")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / CLK_TCK


def rss_bytes(pids: list[int]) -> int:
    total = 0
    for p in pids:
        try:
            with open(f"/proc/{p}/statm") as f:
                total += int(f.read().split()[1]) * PAGE
        except OSError:
            continue
    return total


def run_delay(pids: list[int]) -> float:
    """Seconds the threads of these processes spent runnable but waiting for a CPU (schedstat)."""
    total = 0
    for p in pids:
        try:
            tids = os.listdir(f"/proc/{p}/task")
        except OSError:
            continue
        for t in tids:
            try:
                with open(f"/proc/{p}/task/{t}/schedstat") as f:
                    total += int(f.read().split()[1])
            except (OSError, IndexError, ValueError):
                continue
    return total / 1e9


class Meter:
    """Over an interval: the server's CPU seconds, and how long its threads waited for CPU 0 while
    runnable ("noise": other processes of the shared machine taking the core), as a share of the
    interval."""

    def __init__(self, server: "Server"):
        self.server = server

    def __enter__(self):
        self.pids = process_tree(self.server.pid)
        self.t0 = time.perf_counter()
        self.c0 = cpu_seconds(self.pids)
        self.d0 = run_delay(self.pids)
        return self

    def __exit__(self, *exc):
        pids = process_tree(self.server.pid)
        self.elapsed = time.perf_counter() - self.t0
        self.cpu = cpu_seconds(pids) - self.c0
        delay = run_delay(pids) - self.d0
        self.noise = max(0.0, delay / self.elapsed) if self.elapsed > 0 else 0.0
        return False


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def http_get(port: int, path: str = "/", timeout: float = 5.0) -> tuple[int, bytes]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        conn.request("GET", path)
        r = conn.getresponse()
        return r.status, r.read()
    finally:
        conn.close()


class Server:
    def __init__(self, runtime: str, binary: str, config: str, workdir: str, pin: bool = True):
        self.runtime, self.binary, self.config, self.pin = runtime, binary, config, pin
        self.env = None
        if runtime == "ours":
            # .pyc files as an installed package has them (this environment may set
            # PYTHONDONTWRITEBYTECODE=1, which recompiles every module at each start); cached
            # outside the tree so no file appears under src/
            self.env = dict(os.environ, PYTHONPYCACHEPREFIX=PYCACHE, **OURS_ENV)
            self.env.pop("PYTHONDONTWRITEBYTECODE", None)
        self.port = free_port()
        self.logpath = os.path.join(workdir, f"{runtime}-{os.path.basename(os.path.dirname(config))}-{self.port}.log")
        self.proc = None

    @property
    def pid(self) -> int:
        return self.proc.pid

    def start(self) -> float:
        argv = [self.binary, "serve", self.config, "-s", f"http=127.0.0.1:{self.port}"]
        if self.pin:
            argv = ["taskset", "-c", str(SERVER_CPU)] + argv
        self.logf = open(self.logpath, "wb")
        self.t0 = time.perf_counter()
        self.proc = subprocess.Popen(argv, cwd=os.path.dirname(self.config), stdin=subprocess.DEVNULL,
                                     stdout=self.logf, stderr=subprocess.STDOUT, preexec_fn=_boost,
                                     env=self.env)
        return self.t0

    def wait_response(self, path: str = "/", want_status: int | None = None, timeout: float = 120.0):
        """Poll until the server answers `path` (with want_status when given); (seconds since
        spawn, status, body). Raises RuntimeError when the server exits or the time runs out."""
        deadline = self.t0 + timeout
        while True:
            if self.proc.poll() is not None:
                raise RuntimeError(f"{self.runtime} exited with {self.proc.returncode}: {self.log_tail()}")
            try:
                status, body = http_get(self.port, path, timeout=max(1.0, deadline - time.perf_counter()))
                if want_status is None or status == want_status:
                    return time.perf_counter() - self.t0, status, body
            except (OSError, http.client.HTTPException):
                pass
            if time.perf_counter() > deadline:
                raise RuntimeError(f"{self.runtime} did not answer {path} within {timeout:.0f} s: {self.log_tail()}")
            time.sleep(0.002)

    def log_tail(self, n: int = 6) -> str:
        try:
            self.logf.flush()
            with open(self.logpath, "rb") as f:
                lines = f.read().decode(errors="replace").strip().splitlines()
            return " | ".join(lines[-n:])
        except OSError:
            return ""

    def stop(self) -> None:
        if self.proc is None:
            return
        if self.proc.poll() is None:
            pids = process_tree(self.proc.pid)
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
            for p in pids[1:]:  # children of our own server, if any outlived it
                try:
                    os.kill(p, signal.SIGKILL)
                except OSError:
                    pass
        self.logf.close()

    def __enter__(self):
        self.start()
        return self

    def __exit__(self, *exc):
        self.stop()
        return False


# ----------------------------------------------------------------------------------------------
# wrk


_UNITS = {"us": 1e-6, "ms": 1e-3, "s": 1.0, "m": 60.0, "h": 3600.0}


def _dur(text: str) -> float:
    m = re.match(r"([\d.]+)(us|ms|s|m|h)$", text)
    return float(m.group(1)) * _UNITS[m.group(2)]


def run_wrk(wrk: str, port: int, conns: int, seconds: float, script: str | None = None) -> dict:
    argv = ["taskset", "-c", str(CLIENT_CPU), wrk, "-t1", f"-c{conns}", f"-d{max(1, round(seconds))}s", "--latency",
            "--timeout", "10s"]
    if script:
        argv += ["-s", script]
    argv.append(f"http://127.0.0.1:{port}/")
    ru0 = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    out = subprocess.run(argv, capture_output=True, text=True, timeout=seconds + 60, preexec_fn=_boost).stdout
    ru1 = resource.getrusage(resource.RUSAGE_CHILDREN)
    elapsed = time.perf_counter() - t0
    # wrk's own CPU use: near 1.0 means the load generator, not the server, set the pace
    res: dict = {"raw": out, "client_util": (ru1.ru_utime + ru1.ru_stime - ru0.ru_utime - ru0.ru_stime) / elapsed}
    m = re.search(r"(\d+) requests in ([\d.]+)(\w+),", out)
    res["requests"] = int(m.group(1)) if m else 0
    m = re.search(r"Requests/sec:\s+([\d.]+)", out)
    res["rps"] = float(m.group(1)) if m else 0.0
    for pct in ("50", "99"):
        m = re.search(rf"^\s+{pct}(?:\.000)?%\s+(\S+)", out, re.M)
        res[f"p{pct}"] = _dur(m.group(1)) if m else None
    m = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    res["non2xx"] = int(m.group(1)) if m else 0
    m = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    res["socket_errors"] = sum(int(x) for x in m.groups()) if m else 0
    return res


# ----------------------------------------------------------------------------------------------
# Measurements


class Runner:
    def __init__(self, args, binaries: dict[str, str], wrk: str | None, workdir: str):
        self.args, self.binaries, self.wrk, self.workdir = args, binaries, wrk, workdir
        self.duration = 2.0 if args.quick else args.duration
        self.warmup = 1.0
        self.pin = (os.cpu_count() or 1) >= 2

    def server(self, runtime, config) -> Server:
        return Server(runtime, self.binaries[runtime], config, self.workdir, pin=self.pin)

    def dispatch_floor(self) -> float | None:
        """CPU microseconds of one in-process hello dispatch (bench/dispatch_floor.py), on the
        server's CPU: the least a service-binding hop can add."""
        argv = [VPY, os.path.join(BENCH, "dispatch_floor.py"),
                "--seconds", "1.5" if self.args.quick else "3"]
        if self.pin:
            argv = ["taskset", "-c", str(SERVER_CPU)] + argv
        env = dict(os.environ, PYTHONPYCACHEPREFIX=PYCACHE, **OURS_ENV)
        try:
            out = subprocess.run(argv, capture_output=True, text=True, timeout=120, env=env, preexec_fn=_boost)
            return float(json.loads(out.stdout.strip().splitlines()[-1])["us_per_dispatch"])
        except (OSError, subprocess.SubprocessError, ValueError, KeyError, IndexError) as e:
            log(f"    dispatch floor not measured: {e}")
            return None

    # -- wrk cases -------------------------------------------------------------------------------

    def wrk_case(self, case: WrkCase, runtime: str) -> dict:
        best = None
        for attempt in range(1 + RETRIES):
            r = self._wrk_once(case, runtime)
            if "error" in r or "skipped" in r:
                return r
            if best is None or r["noise"] < best["noise"]:
                best = r
            if r["noise"] <= NOISE_RETRY:
                break
            log(f"    noisy run (the server waited {r['noise']:.0%} of the time for CPU {SERVER_CPU}), again")
        best["attempts"] = attempt + 1
        return best

    def _wrk_once(self, case: WrkCase, runtime: str) -> dict:
        script = os.path.join(CASES, case.folder, case.script) if case.script else None
        with self.server(runtime, case.config) as srv:
            try:
                srv.wait_response("/", timeout=60)
            except RuntimeError as e:
                return {"error": str(e)}
            if case.check:
                status, body = http_get(srv.port, "/")
                if not case.check(status, body):
                    return {"skipped": f"wrong answer from {runtime}: {status} {body[:160]!r}"}
            if case.script:
                ok, why = self._check_post(srv.port, case)
                if not ok:
                    return {"skipped": f"wrong answer from {runtime}: {why}"}
            run_wrk(self.wrk, srv.port, case.conns, self.warmup, script)
            with Meter(srv) as m:
                res = run_wrk(self.wrk, srv.port, case.conns, self.duration, script)
            res["cpu_s"] = m.cpu
            res["noise"] = m.noise
            res["cpu_us_per_req"] = m.cpu / res["requests"] * 1e6 if res["requests"] else None
            res["cpu_util"] = m.cpu / m.elapsed
            res["rss"] = rss_bytes(process_tree(srv.pid))
            if srv.proc.poll() is not None:
                return {"error": f"{runtime} died during the run: {srv.log_tail()}"}
            if res["requests"] == 0:
                return {"error": f"wrk counted no requests: {res['raw'][-300:]}"}
            res.pop("raw")
            return res

    def _check_post(self, port: int, case: WrkCase) -> tuple[bool, str]:
        # the same body as the Lua script makes
        if case.script == "post_1k.lua":
            body = b'{"data":"' + b"x" * (1024 - 11) + b'"}'
        else:
            item = b'{"id":12345,"name":"abcdefghij","ok":true,"tags":["a","b"]}'
            parts, size = [], 2
            while size + len(item) + 1 <= 1048576 - 64:
                parts.append(item)
                size += len(item) + 1
            body = b"[" + b",".join(parts)
            body += b',"' + b"p" * (1048576 - len(body) - 4) + b'"]'
        assert len(body) in (1024, 1048576), len(body)
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        try:
            conn.request("POST", "/", body=body, headers={"Content-Type": "application/json"})
            r = conn.getresponse()
            got = r.read()
        finally:
            conn.close()
        if r.status != 200:
            return False, f"{r.status} {got[:160]!r}"
        if json.loads(got) != json.loads(body):
            return False, "echoed JSON differs"
        return True, ""

    # -- streaming -------------------------------------------------------------------------------

    def stream_case(self, runtime: str) -> dict:
        total = (20 if self.args.quick else 100) * 1024 * 1024
        config = os.path.join(CASES, "stream", "config.capnp")
        best = None
        with self.server(runtime, config) as srv:
            try:
                srv.wait_response("/", timeout=60)
            except RuntimeError as e:
                return {"error": str(e)}
            try:
                self._stream_once(srv.port, 8 * 1024 * 1024)  # warm-up
                for attempt in range(3):
                    with Meter(srv) as m:
                        secs, got = self._stream_once(srv.port, total)
                    if got != total:
                        return {"error": f"echoed {got} bytes of {total}"}
                    r = {"bytes": total, "seconds": secs, "mb_per_s": total / secs / 1e6,
                         "cpu_s": m.cpu, "cpu_us_per_mb": m.cpu / (total / 1e6) * 1e6,
                         "noise": m.noise, "rss": rss_bytes(process_tree(srv.pid))}
                    if best is None or r["seconds"] < best["seconds"]:
                        best = r
            except (OSError, http.client.HTTPException) as e:
                return {"error": f"streaming failed: {e!r}; {srv.log_tail()}"}
        return best

    @staticmethod
    def _stream_once(port: int, total: int) -> tuple[float, int]:
        """POST `total` bytes and read the echo concurrently; (seconds, bytes echoed)."""
        chunk = bytes(range(256)) * 4096  # 1 MiB
        sock = socket.create_connection(("127.0.0.1", port), timeout=120)
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        err: list[BaseException] = []

        def send():
            try:
                sock.sendall(b"POST / HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/octet-stream\r\n"
                             b"Content-Length: %d\r\nConnection: close\r\n\r\n" % total)
                left = total
                while left:
                    n = min(left, len(chunk))
                    sock.sendall(chunk[:n] if n < len(chunk) else chunk)
                    left -= n
            except BaseException as e:  # noqa: BLE001 - reported below
                err.append(e)

        t0 = time.perf_counter()
        th = threading.Thread(target=send, daemon=True)
        th.start()
        resp = http.client.HTTPResponse(sock)
        try:
            resp.begin()
            if resp.status != 200:
                raise http.client.HTTPException(f"status {resp.status}")
            got = 0
            while True:
                data = resp.read(1 << 20)
                if not data:
                    break
                got += len(data)
            secs = time.perf_counter() - t0
        finally:
            th.join(timeout=30)
            sock.close()
        if err:
            raise OSError(f"sending failed: {err[0]!r}")
        return secs, got

    # -- start to first response -----------------------------------------------------------------

    def startup_case(self, runtime: str) -> dict:
        config = os.path.join(CASES, "hello", "config.capnp")
        reps = 3 if self.args.quick else 5
        times, rss = [], []
        # one unmeasured start first: files in the page cache (and our .pyc files written)
        with self.server(runtime, config) as srv:
            try:
                srv.wait_response("/", want_status=200, timeout=60)
            except RuntimeError as e:
                return {"error": str(e)}
        for _ in range(reps):
            with self.server(runtime, config) as srv:
                try:
                    t, status, body = srv.wait_response("/", want_status=200, timeout=60)
                except RuntimeError as e:
                    return {"error": str(e)}
                times.append(t)
                rss.append(rss_bytes(process_tree(srv.pid)))
        return {"first_response_s": statistics.median(times), "all_s": times, "rss": statistics.median(rss)}

    # -- N workers -------------------------------------------------------------------------------

    def workers_case(self, runtime: str, n: int) -> dict:
        config = write_dispatch_config(os.path.join(self.workdir, f"dispatch-{n}"), n)
        with self.server(runtime, config) as srv:
            try:
                t_first, status, body = srv.wait_response("/0", timeout=180)
            except RuntimeError as e:
                return {"error": str(e)}
            if status != 200 or body != b"w0\n":
                return {"error": f"/0 answered {status} {body[:120]!r}"}
            pids = process_tree(srv.pid)
            rss_start = rss_bytes(pids)
            cpu_start = cpu_seconds(pids)
            t0 = time.perf_counter()
            conn = http.client.HTTPConnection("127.0.0.1", srv.port, timeout=60)
            bad = 0
            try:
                for i in range(n):
                    conn.request("GET", f"/{i}")
                    r = conn.getresponse()
                    if r.status != 200 or r.read() != f"w{i}\n".encode():
                        bad += 1
            except (OSError, http.client.HTTPException) as e:
                return {"error": f"touching the workers failed: {e!r}; {srv.log_tail()}"}
            finally:
                conn.close()
            touch_s = time.perf_counter() - t0
            pids = process_tree(srv.pid)
            res = {"workers": n, "first_response_s": t_first, "rss_start": rss_start,
                   "cpu_start_s": cpu_start, "rss_touched": rss_bytes(pids), "touch_all_s": touch_s,
                   "bad_answers": bad}
            return res


DISPATCHER_JS = """\
// Dispatcher: GET /<i> goes to the worker bound as W<i>.
export default {
  async fetch(request, env, ctx) {
    const url = request.url;
    const start = url.indexOf("/", url.indexOf("//") + 2) + 1;
    let end = url.indexOf("?", start);
    if (end < 0) end = url.length;
    const target = env["W" + url.slice(start, end)];
    if (!target) return new Response("no such worker\\n", { status: 404 });
    return target.fetch(request);
  },
};
"""


def write_dispatch_config(folder: str, n: int) -> str:
    """A dispatcher with n service bindings W0..W<n-1>, each to its own one-module worker."""
    os.makedirs(folder, exist_ok=True)
    with open(os.path.join(folder, "dispatcher.js"), "w") as f:
        f.write(DISPATCHER_JS)
    out = [f"# Generated by bench/run.py: a dispatcher and {n} workers.",
           'using Workerd = import "/workerd/workerd.capnp";', "",
           "const config :Workerd.Config = (", "  services = [",
           '    (name = "main", worker = .dispatcher),']
    out += [f'    (name = "w{i}", worker = .w{i}),' for i in range(n)]
    out += ["  ],", '  sockets = [ (name = "http", address = "*:8080", http = (), service = "main") ]',
            ");", "",
            "const dispatcher :Workerd.Worker = (",
            '  modules = [ (name = "worker", esModule = embed "dispatcher.js") ],',
            '  compatibilityDate = "2024-10-01",', "  bindings = ["]
    out += [f'    (name = "W{i}", service = "w{i}"),' for i in range(n)]
    out += ["  ],", ");", ""]
    for i in range(n):
        src = f'export default {{ async fetch(request) {{ return new Response(\\"w{i}\\\\n\\"); }} }};'
        out += [f"const w{i} :Workerd.Worker = (",
                f'  modules = [ (name = "worker", esModule = "{src}") ],',
                '  compatibilityDate = "2024-10-01",', ");"]
    path = os.path.join(folder, "config.capnp")
    with open(path, "w") as f:
        f.write("\n".join(out) + "\n")
    return path


# ----------------------------------------------------------------------------------------------
# Reporting


def ratio(a, b):
    if a is None or b is None or not b:
        return None
    return a / b


def fx(r, digits=2):
    return "n/a" if r is None else f"{r:.{digits}f}x"


def fnum(v, unit="", digits=0):
    if v is None:
        return "n/a"
    return f"{v:,.{digits}f}{unit}"


def fms(v):
    if v is None:
        return "n/a"
    if v < 0.001:
        return f"{v * 1e6:.0f} us"
    if v < 1:
        return f"{v * 1e3:.1f} ms" if v < 0.1 else f"{v * 1e3:.0f} ms"
    return f"{v:.2f} s"


def fmb(v):
    return "n/a" if v is None else f"{v / 1048576:,.0f} MiB" if v >= 10 * 1048576 else f"{v / 1048576:,.1f} MiB"


def _get(results, case, runtime):
    r = results.get(case, {}).get(runtime)
    if not r or "error" in r or "skipped" in r:
        return None
    return r


def _why(results, case, runtime):
    r = results.get(case, {}).get(runtime)
    if r is None:
        return "not run"
    return r.get("error") or r.get("skipped") or ""


CASE_TARGETS = {
    "hello-c32": "req/s >= 2x; p99 < 10 ms",
    "hop": "CPU/req <= 1.25x our hello",
    "startup": "<= 1x",
    "workers-1000": "RSS <= 0.125x; first response < 1 s",
}


def build_tables(results: dict, meta: dict) -> tuple[str, list[dict]]:
    """Markdown text and the chart's bars."""
    bars = []
    lines = ["| Case | req/s (higher is better) | CPU per request | p50 | p99 | ours | workerd | target |",
             "| --- | ---: | ---: | ---: | ---: | --- | --- | --- |"]
    notes = []
    for c in WRK_CASES:
        if c.name not in results:
            continue
        o, w = _get(results, c.name, "ours"), _get(results, c.name, "workerd")
        if o is None:
            notes.append(f"- {c.name}: ours {_why(results, c.name, 'ours')}")
        if w is None and meta.get("workerd"):
            notes.append(f"- {c.name}: workerd {_why(results, c.name, 'workerd')}")
        for rt, r in (("ours", o), ("workerd", w)):
            if r and r.get("round_errors"):
                notes.append(f"- {c.name}: {rt}: {len(r['round_errors'])} of {meta.get('rounds', '?')} rounds failed "
                             f"(another round is shown): {r['round_errors'][0]}")
        rr = ratio(o and o["rps"], w and w["rps"])
        rc = ratio(o and o["cpu_us_per_req"], w and w["cpu_us_per_req"])
        r50 = ratio(o and o["p50"], w and w["p50"])
        r99 = ratio(o and o["p99"], w and w["p99"])

        def absol(r):
            if r is None:
                return "n/a"
            s = f"{r['rps']:,.0f} req/s, {r['cpu_us_per_req']:.0f} us/req, p50 {fms(r['p50'])}, p99 {fms(r['p99'])}"
            if "cpu_util" in r:
                s += f"; server CPU {r['cpu_util']:.0%}"
                if "client_util" in r:
                    s += f", wrk CPU {r['client_util']:.0%}"
            if r.get("non2xx") or r.get("socket_errors"):
                s += f", {r['non2xx']} non-2xx, {r['socket_errors']} socket errors"
            return s
        lines.append(f"| {c.name} ({c.conns} conn) | {fx(rr)} | {fx(rc)} | {fx(r50)} | {fx(r99)} | "
                     f"{absol(o)} | {absol(w)} | {CASE_TARGETS.get(c.name, '')} |")
        bars.append({"label": c.name, "throughput": rr, "cpu": rc, "p99": r99})

    if "stream-100m" in results:
        o, w = _get(results, "stream-100m", "ours"), _get(results, "stream-100m", "workerd")
        for rt, r in (("ours", o), ("workerd", w)):
            if r is None and (rt == "ours" or meta.get("workerd")):
                notes.append(f"- stream-100m: {rt} {_why(results, 'stream-100m', rt)}")
        rr = ratio(o and o["mb_per_s"], w and w["mb_per_s"])
        rc = ratio(o and o["cpu_us_per_mb"], w and w["cpu_us_per_mb"])

        def absol(r):
            if r is None:
                return "n/a"
            return (f"{r['bytes'] / 1048576:.0f} MiB in {r['seconds']:.2f} s, {r['mb_per_s']:,.0f} MB/s, "
                    f"{r['cpu_us_per_mb']:,.0f} us CPU/MB")
        lines.append(f"| stream-100m (MB/s; CPU per MB) | {fx(rr)} | {fx(rc)} | | | {absol(o)} | {absol(w)} | |")
        bars.append({"label": "stream-100m", "throughput": rr, "cpu": rc, "p99": None})

    lines += ["", "| Case | first response | RSS after start | RSS after touching all | ours | workerd | target |",
              "| --- | ---: | ---: | ---: | --- | --- | --- |"]
    if "startup" in results:
        o, w = _get(results, "startup", "ours"), _get(results, "startup", "workerd")
        for rt, r in (("ours", o), ("workerd", w)):
            if r is None and (rt == "ours" or meta.get("workerd")):
                notes.append(f"- startup: {rt} {_why(results, 'startup', rt)}")
        rt_ = ratio(o and o["first_response_s"], w and w["first_response_s"])
        rm = ratio(o and o["rss"], w and w["rss"])

        def absol(r):
            return "n/a" if r is None else f"first response {fms(r['first_response_s'])} (median), RSS {fmb(r['rss'])}"
        lines.append(f"| startup (hello, median of {len(o['all_s']) if o else '?'}) | {fx(rt_)} | {fx(rm)} | | "
                     f"{absol(o)} | {absol(w)} | {CASE_TARGETS['startup']} |")
        bars.append({"label": "startup", "startup": rt_, "rss": rm})
    for n in (1, 10, 100, 1000):
        name = f"workers-{n}"
        if name not in results:
            continue
        o, w = _get(results, name, "ours"), _get(results, name, "workerd")
        for rt, r in (("ours", o), ("workerd", w)):
            if r is None and (rt == "ours" or meta.get("workerd")):
                notes.append(f"- {name}: {rt} {_why(results, name, rt)}")
        rt_ = ratio(o and o["first_response_s"], w and w["first_response_s"])
        rs = ratio(o and o["rss_start"], w and w["rss_start"])
        rt2 = ratio(o and o["rss_touched"], w and w["rss_touched"])

        def absol(r):
            if r is None:
                return "n/a"
            s = (f"first {fms(r['first_response_s'])}, RSS {fmb(r['rss_start'])} -> {fmb(r['rss_touched'])}, "
                 f"touch all {fms(r['touch_all_s'])}")
            if r.get("bad_answers"):
                s += f", {r['bad_answers']} wrong answers"
            return s
        lines.append(f"| {name} | {fx(rt_)} | {fx(rs)} | {fx(rt2)} | {absol(o)} | {absol(w)} | "
                     f"{CASE_TARGETS.get(name, '')} |")
        bars.append({"label": name, "startup": rt_, "rss": rt2})

    # targets
    t = ["| Target (issue 8) | measured | met |", "| --- | --- | --- |"]

    def row(name, value, ok):
        t.append(f"| {name} | {value} | {'n/a' if ok is None else ('yes' if ok else 'no')} |")
    o, w = _get(results, "hello-c32", "ours"), _get(results, "hello-c32", "workerd")
    r = ratio(o and o["rps"], w and w["rps"])
    row("hello-world throughput >= 2x workerd (32 conn)", fx(r), None if r is None else r >= 2)
    oh, oo = _get(results, "hop", "ours"), o
    wh = _get(results, "hop", "workerd")
    add = ratio(oh and oh["cpu_us_per_req"], oo and oo["cpu_us_per_req"])
    wadd = ratio(wh and wh["cpu_us_per_req"], w and w["cpu_us_per_req"])
    floor = oh and oh.get("dispatch_floor_us")
    floor_txt = ""
    if floor and oo and oo.get("cpu_us_per_req"):
        # a hop runs the target's whole dispatch: the hop cannot add less than that
        floor_txt = f"; floor, one in-process dispatch of the target: +{floor / oo['cpu_us_per_req'] * 100:.0f}%"
    row("service hop adds <= 25% CPU to hello",
        ("n/a" if add is None else f"+{(add - 1) * 100:.0f}% (workerd: "
         + ("n/a" if wadd is None else f"+{(wadd - 1) * 100:.0f}%") + floor_txt + ")"),
        None if add is None else add <= 1.25)
    o1, w1 = _get(results, "workers-1000", "ours"), _get(results, "workers-1000", "workerd")
    r = ratio(o1 and o1["rss_start"], w1 and w1["rss_start"])
    r2 = ratio(o1 and o1["rss_touched"], w1 and w1["rss_touched"])
    row("RSS for 1,000 workers <= 1/8 of workerd's", f"{fx(r, 3)} after start, {fx(r2, 3)} after touching all",
        None if r is None else (r <= 0.125 and (r2 is None or r2 <= 0.125)))
    v = o1 and o1["first_response_s"]
    row("first response with 1,000 workers < 1 s", fms(v) + (f" (workerd {fms(w1['first_response_s'])})" if w1 else ""),
        None if v is None else v < 1.0)
    o, w = _get(results, "startup", "ours"), _get(results, "startup", "workerd")
    r = ratio(o and o["first_response_s"], w and w["first_response_s"])
    row("start to first response <= workerd's", fx(r), None if r is None else r <= 1.0)
    o = _get(results, "hello-c32", "ours")
    v = o and o["p99"]
    w = _get(results, "hello-c32", "workerd")
    row("p99 at 32 connections < 10 ms", fms(v) + (f" (workerd {fms(w['p99'])})" if w else ""),
        None if v is None else v < 0.010)

    # noise
    noise = []
    for name, per in results.items():
        for rt in RUNTIMES:
            r = per.get(rt)
            if r and isinstance(r.get("noise"), float) and r["noise"] > NOISE_RETRY:
                noise.append(f"{name}/{rt} {r['noise']:.0%}")

    md = ["## Ratios ours / workerd", "",
          "Each cell is ours divided by workerd's. Throughput: higher is better. CPU per request, "
          "latency, time and RSS: lower is better. \"server CPU\" is the share of its core the server "
          "used during the run: well below 100% the load generator (wrk, one thread on the other "
          "core) set the pace, and the CPU-per-request ratio says more about capacity than req/s.", ""]
    md += lines + ["", "## Targets", ""] + t
    if notes:
        md += ["", "## Failed or skipped", ""] + notes
    md += ["", "## Conditions", "",
           f"- commit: `{meta['commit']}`"
           + (" (a clean snapshot of the commit, `--commit`)" if meta.get("snapshot") else
              " (the working tree, which had uncommitted changes under src/)" if meta.get("dirty") else "")
           + "; "
           f"date: {meta['date']}",
           f"- workerd: {meta.get('workerd') or 'not run: ' + meta.get('workerd_why', '')}",
           f"- servers pinned to CPU {SERVER_CPU}, wrk -t1 and the Python clients on CPU {CLIENT_CPU}; "
           f"wrk {meta['duration']:g} s after a {meta['warmup']:g} s warm-up; {meta['cpus']} CPUs"
           + (f"; servers and wrk at nice {meta['nice']}" if meta.get("nice") else "")
           + (f"; each wrk case ran {meta['rounds']} alternating rounds per runtime, the best kept "
              "(all rounds' req/s in latest.json)" if meta.get("rounds", 1) > 1 else ""),
           "- CPU per request: utime + stime of the server's processes over the measured run / requests",
           "- shared machine: other engineers' builds and tests may run at the same time; runs in which "
           f"the server's threads waited, runnable, for more than {NOISE_RETRY:.0%} of the time "
           f"(schedstat run delay) were repeated "
           f"(up to {RETRIES} times, the quietest kept)"
           + (f"; still noisy: {', '.join(noise)}" if noise else "")]
    if meta.get("rerun"):
        md.append(f"- rerun afterwards at the same commit with `--case` (their first ratios looked off): "
                  f"{meta['rerun']}")
    if meta.get("cases_from"):
        md.append(f"- cases carried over from earlier runs: {meta['cases_from']}")
    return "\n".join(md) + "\n", bars


def draw_chart(bars: list[dict], path: str, subtitle: str = "") -> bool:
    if not ensure_matplotlib():
        return False
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.ticker import FuncFormatter, LogLocator, NullFormatter

    # (title, key, bars, target line (value, label) or None)
    panels = [
        ("Throughput ours / workerd (higher is better)", "throughput",
         [b for b in bars if b.get("throughput")], (2.0, "target for hello: 2x")),
        ("CPU per request ours / workerd (lower is better)", "cpu", [b for b in bars if b.get("cpu")], None),
        ("p99 latency ours / workerd (lower is better)", "p99", [b for b in bars if b.get("p99")], None),
        ("First response ours / workerd (lower is better)", "startup",
         [b for b in bars if b.get("startup")], (1.0, "target for startup: 1x")),
        ("RSS ours / workerd (lower is better)", "rss", [b for b in bars if b.get("rss")],
         (0.125, "target for 1,000 workers: 1/8")),
    ]
    panels = [p for p in panels if p[2]]
    if not panels:
        return False
    fig, axes = plt.subplots(len(panels), 1, figsize=(9, 2.4 + 1.9 * len(panels)), squeeze=False)
    fmt = FuncFormatter(lambda v, _: f"{v:g}x")
    for ax, (title, key, items, target) in zip(axes[:, 0], panels):
        labels = [b["label"] for b in items]
        vals = [b[key] for b in items]
        better = [(v >= 1) if key == "throughput" else (v <= 1) for v in vals]
        ax.barh(labels, vals, color=["#2a9d8f" if g else "#e76f51" for g in better])
        ax.axvline(1.0, color="black", linewidth=0.8)
        lo, hi = min(vals + [1.0]), max(vals + [1.0])
        if target and target[0] != 1.0:
            ax.axvline(target[0], color="#264653", linewidth=0.8, linestyle="--", label=target[1])
            ax.legend(loc="lower right", fontsize=7, frameon=False)
            lo, hi = min(lo, target[0]), max(hi, target[0])
        ax.set_xscale("log")
        ax.xaxis.set_major_locator(LogLocator(base=10, subs=(1.0, 2.0, 5.0)))
        ax.xaxis.set_major_formatter(fmt)
        ax.xaxis.set_minor_formatter(NullFormatter())
        ax.set_title(title, fontsize=10)
        ax.invert_yaxis()
        for i, v in enumerate(vals):
            ax.text(v, i, f" {v:.2f}x", va="center", fontsize=8)
        ax.tick_params(labelsize=8)
        ax.set_xlim(lo / 1.6, hi * 2.2)
    if subtitle:
        fig.suptitle(subtitle, fontsize=9)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return True


def snapshot_tree(rev: str) -> tuple[str, str]:
    """(src folder, full sha) of a clean copy of commit `rev` with its engine built, cached in
    ~/.cache/workerd-py/bench-trees/<sha>: what the commit itself does, whatever the working
    tree (shared with others' edits in progress) holds right now."""
    sha = subprocess.run(["git", "rev-parse", "--verify", f"{rev}^{{commit}}"], cwd=ROOT,
                         capture_output=True, text=True, check=True).stdout.strip()
    tree = os.path.join(TREES, sha[:12])
    done = os.path.join(tree, ".built")
    if not os.path.exists(done):
        log(f"building a snapshot of {sha[:12]} in {tree}")
        shutil.rmtree(tree, ignore_errors=True)
        os.makedirs(tree)
        archive = subprocess.run(["git", "archive", "--format=tar", sha], cwd=ROOT, capture_output=True,
                                 check=True).stdout
        subprocess.run(["tar", "-x", "-C", tree], input=archive, check=True)
        out = subprocess.run([VPY, "setup.py", "-q", "build_ext", "--inplace"], cwd=tree,
                             capture_output=True, text=True)
        if out.returncode != 0:
            raise RuntimeError(f"engine build of {sha[:12]} failed: {(out.stderr or out.stdout)[-800:]}")
        open(done, "w").close()
    # drop snapshots of other commits, newest few kept
    old = sorted((os.path.join(TREES, d) for d in os.listdir(TREES)), key=os.path.getmtime)[:-3]
    for d in old:
        if d != tree:
            shutil.rmtree(d, ignore_errors=True)
    return os.path.join(tree, "src"), sha


def git_commit() -> tuple[str, bool]:
    try:
        c = subprocess.run(["git", "rev-parse", "--short=12", "HEAD"], cwd=ROOT, capture_output=True,
                           text=True).stdout.strip()
        dirty = bool(subprocess.run(["git", "status", "--porcelain", "--untracked-files=no", "--", "src"],
                                    cwd=ROOT, capture_output=True, text=True).stdout.strip())
        return c or "unknown", dirty
    except OSError:
        return "unknown", False


RESULTS_HEAD = """# Benchmark results: workerd-py vs workerd

Produced by `make bench` (`bench/run.py`; see bench/README.md). The headline numbers are ratios
ours / workerd measured in the same run on the same machine; absolute numbers are secondary and
depend on the machine. The machine (2 cores) is shared with other engineers' builds and tests, so
single numbers can be off: a run that saw other processes on the server's core was repeated, and a
case whose ratio looked off was run again (`bench/run.py --case NAME`).

Chart: [results/latest.png](results/latest.png). Raw numbers: results/latest.json.
Profile of our hello-world request path: results/profile-hello.txt (`bench/profile.py`).

"""


def profile_excerpt(lines_per_table: int = 12) -> str:
    """An excerpt of results/profile-hello.txt (bench/profile.py): its head, the Python pass's
    subsystem and function tables and the native pass's subsystem table, cut short; empty when
    there is none."""
    path = os.path.join(RESULTS, "profile-hello.txt")
    if not os.path.exists(path):
        return ""
    with open(path) as f:
        text = f.read()
    head = text.split("\n\n", 1)[0].splitlines()
    out, keep, pass_no = [], 0, 0
    for line in text.splitlines():
        if line.startswith(("Python frames only", "Native frames too")):
            pass_no += 1
            out += ["", line.split(" (")[0] + ":"]
            continue
        if line.startswith("By subsystem") or (pass_no == 1 and line.startswith("Python functions")):
            keep = lines_per_table + 2
            out.append("")
        if keep:
            if not line.strip():  # a table ends at a blank line
                keep = 0
                continue
            out.append(line)
            keep -= 1
    return ("## Profile of our hello world (excerpt of results/profile-hello.txt)\n\n```\n"
            + "\n".join(head + out).strip() + "\n```\n")


def write_results(results: dict, meta: dict) -> None:
    os.makedirs(RESULTS, exist_ok=True)
    md, bars = build_tables(results, meta)
    with open(os.path.join(RESULTS, "latest.md"), "w") as f:
        f.write("# Latest benchmark run\n\n" + md)
    chart = draw_chart(bars, os.path.join(RESULTS, "latest.png"),
                       f"workerd-py / workerd, commit {meta['commit']}, {meta['date']} (bench/run.py)")
    with open(RESULTS_MD, "w") as f:
        prof = profile_excerpt()
        f.write(RESULTS_HEAD + md + ("\n![ratios](results/latest.png)\n" if chart else "")
                + ("\n" + prof if prof else ""))
    print()
    print(md)


# ----------------------------------------------------------------------------------------------


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--quick", action="store_true", help="2 s runs, up to 100 workers, 20 MiB stream")
    ap.add_argument("--case", action="append", default=[], metavar="NAME",
                    help="run only this case (repeatable; 'workers' = all worker counts); results merge "
                         "into latest")
    ap.add_argument("--duration", type=float, default=5.0, help="seconds per wrk run (default 5)")
    ap.add_argument("--rounds", type=int, default=None,
                    help="alternating rounds per wrk case, best kept (default 3; 1 with --quick)")
    ap.add_argument("--commit", metavar="REV",
                    help="measure a clean snapshot of this commit (git archive + engine build, cached) "
                         "instead of the working tree")
    ap.add_argument("--ours-only", action="store_true", help="do not run the real workerd")
    ap.add_argument("--fresh", action="store_true", help="do not merge with earlier results")
    ap.add_argument("--nice", type=int, default=-10,
                    help="nice value of servers and wrk, and of their autogroups (default -10 when root; 0 = unchanged)")
    ap.add_argument("--list", action="store_true", help="list the cases")
    args = ap.parse_args(argv)

    if args.rounds is None:
        args.rounds = 1 if args.quick else 3
    if args.list:
        print("\n".join(ALL_CASES))
        return 0
    selected = []
    for name in args.case:
        if name == "workers":
            selected += [c for c in OTHER_CASES if c.startswith("workers-")]
        elif name == "hello":
            selected += ["hello-c1", "hello-c32"]
        elif name in ALL_CASES:
            selected.append(name)
        else:
            ap.error(f"unknown case {name!r}; one of: {', '.join(ALL_CASES)}, workers, hello")
    if not selected:
        selected = [c for c in ALL_CASES if not (args.quick and c == "workers-1000")]

    if not os.path.exists(OURS):
        log(f"error: {OURS} missing; run `make setup` first")
        return 1
    cpus = os.cpu_count() or 1
    if cpus >= 2:
        os.sched_setaffinity(0, {CLIENT_CPU})
    else:
        log("note: one CPU only: servers and clients share it (numbers are not comparable to FACTS.md)")

    global PRIORITY
    if args.nice and (args.nice > 0 or os.geteuid() == 0):
        PRIORITY = args.nice
    wrk = ensure_wrk()
    binaries = {"ours": OURS}
    meta = {"date": _dt.datetime.now(_dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"), "cpus": cpus,
            "duration": 2.0 if args.quick else args.duration, "warmup": 1.0}
    meta["commit"], meta["dirty"] = git_commit()
    if args.commit:
        global OURS_ENV
        try:
            src, sha = snapshot_tree(args.commit)
        except (RuntimeError, subprocess.CalledProcessError) as e:
            log(f"error: cannot snapshot {args.commit}: {e}")
            return 1
        OURS_ENV = {"PYTHONPATH": src}
        meta["commit"], meta["dirty"], meta["snapshot"] = sha[:12], False, True
    meta["nice"] = PRIORITY
    meta["rounds"] = args.rounds
    if args.ours_only:
        meta["workerd_why"] = "--ours-only"
    else:
        path, why = ensure_workerd()
        if path:
            binaries["workerd"] = path
            meta["workerd"] = f"{workerd_version(path)} (npm workerd@{WORKERD_VERSION})"
        else:
            meta["workerd_why"] = why
            log(f"NOTE: running ours only: {why}")
    runtimes = [rt for rt in RUNTIMES if rt in binaries]

    latest_json = os.path.join(RESULTS, "latest.json")
    results: dict = {}
    carried = []
    if not args.fresh and os.path.exists(latest_json):
        try:
            with open(latest_json) as f:
                old = json.load(f)
            results = {k: v for k, v in old.get("results", {}).items() if k not in selected and k in ALL_CASES}
            carried = [f"{k} ({v.get('commit', '?')})" for k, v in results.items()]
            if results and all(v.get("commit") == meta["commit"] for v in results.values()):
                # the same commit: a rerun of some cases after a full run
                carried = []
                before = old.get("meta", {}).get("rerun", "")
                names = [n for n in before.split(", ") if n] + [n for n in selected if n not in before.split(", ")]
                meta["rerun"] = ", ".join(names)
        except (OSError, ValueError):
            results = {}
    if carried:
        meta["cases_from"] = ", ".join(carried)

    t_start = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="workerd-bench-") as workdir:
        runner = Runner(args, binaries, wrk, workdir)
        for name in selected:
            per: dict = {"commit": meta["commit"]}
            wcase = next((c for c in WRK_CASES if c.name == name), None)
            if wcase and not wrk:
                results[name] = {**per, **{rt: {"skipped": "wrk missing"} for rt in runtimes}}
                continue
            # wrk cases: `rounds` alternating rounds (ours, workerd, ours, ...), so drifting load
            # on the shared machine hits both; per runtime the round with the best throughput is kept
            rounds = args.rounds if wcase else 1
            all_rps: dict[str, list] = {}
            round_errors: dict[str, list] = {}
            for rnd in range(rounds):
                for rt in runtimes:
                    t0 = time.perf_counter()
                    try:
                        if wcase:
                            r = runner.wrk_case(wcase, rt)
                            if name == "hop" and rt == "ours" and "rps" in r:
                                r["dispatch_floor_us"] = runner.dispatch_floor()
                        elif name == "stream-100m":
                            r = runner.stream_case(rt)
                        elif name == "startup":
                            r = runner.startup_case(rt)
                        else:
                            r = runner.workers_case(rt, int(name.split("-")[1]))
                    except Exception as e:  # noqa: BLE001 - one broken case must not end the run
                        r = {"error": f"{type(e).__name__}: {e}"}
                    tag = f" {rnd + 1}/{rounds}" if rounds > 1 else ""
                    log(f"{name:>13} {rt:>8}{tag}: {summary(r)}  [{time.perf_counter() - t0:.1f} s]")
                    prev = per.get(rt)
                    if prev is None or ("rps" in r and _round_key(r) < _round_key(prev)):
                        per[rt] = r
                    if "rps" in r:
                        all_rps.setdefault(rt, []).append(round(r["rps"]))
                    if rounds > 1 and _round_key(r)[:2] != (0, 0):
                        round_errors.setdefault(rt, []).append(
                            (r.get("error") or r.get("skipped")
                             or f"{r.get('non2xx')} non-2xx answers, {r.get('socket_errors')} socket errors")[:200])
            for rt, rps in all_rps.items():
                if rounds > 1 and isinstance(per.get(rt), dict):
                    per[rt]["rounds_rps"] = rps
                    if rt in round_errors:
                        per[rt]["round_errors"] = round_errors[rt]
            results[name] = per
            # write as we go so an interrupted run still leaves its numbers
            os.makedirs(RESULTS, exist_ok=True)
            with open(latest_json, "w") as f:
                json.dump({"meta": meta, "results": results}, f, indent=1)
    log(f"total {time.perf_counter() - t_start:.0f} s")
    write_results(results, meta)
    return 0


def _round_key(r: dict) -> tuple:
    """Order of preference among rounds of a wrk case: measured, then without failed requests
    (non-2xx answers, socket errors), then the highest throughput."""
    if "rps" not in r:
        return (1, 0, 0.0)
    return (0, 1 if (r.get("non2xx") or r.get("socket_errors")) else 0, -r["rps"])


def summary(r: dict) -> str:
    if "error" in r:
        return "ERROR " + r["error"][:300]
    if "skipped" in r:
        return "SKIPPED " + r["skipped"][:300]
    if "rps" in r:
        s = (f"{r['rps']:,.0f} req/s, {r['cpu_us_per_req']:.0f} us CPU/req, p50 {fms(r['p50'])}, "
             f"p99 {fms(r['p99'])}, noise {r['noise']:.0%}")
        if r.get("non2xx") or r.get("socket_errors"):
            s += f", {r['non2xx']} non-2xx, {r['socket_errors']} socket errors"
        return s
    if "mb_per_s" in r:
        return f"{r['mb_per_s']:,.0f} MB/s, {r['cpu_us_per_mb']:,.0f} us CPU/MB, noise {r['noise']:.0%}"
    if "workers" in r:
        return (f"first {fms(r['first_response_s'])}, RSS {fmb(r['rss_start'])} -> {fmb(r['rss_touched'])}, "
                f"touch all {fms(r['touch_all_s'])}, wrong {r['bad_answers']}")
    if "first_response_s" in r:
        return f"first response {fms(r['first_response_s'])} ({', '.join(fms(x) for x in r['all_s'])})"
    return str(r)


if __name__ == "__main__":
    sys.exit(main())
