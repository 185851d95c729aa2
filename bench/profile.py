#!/usr/bin/env python3
"""Profile our hello-world request path with py-spy and write the top functions.

    .venv/bin/python bench/profile.py [--duration 8] [--rate 250] [--connections 32] [--no-native]

Serves bench/cases/hello on our runtime pinned to CPU 0, loads it with wrk on CPU 1, attaches
py-spy (installed into the venv when missing) for --duration seconds twice: Python frames only
(live, low overhead), then with native frames (the C of uvloop, httptools and QuickJS; the process
is stopped per sample). Writes bench/results/profile-hello.txt, for each pass:

- where the time goes by subsystem (HTTP, JS engine, bridge, runtime, ...),
- the Python functions with the most time spent in them or in the C they call directly,
- the leaf functions (self time, native included),
- the functions with the most inclusive time.

The collapsed stacks of the last pass go to bench/results/profile-hello.folded (for flamegraph.pl or speedscope;
not committed).
"""

from __future__ import annotations

import argparse
import collections
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import run as bench  # noqa: E402  (bench/run.py: Server, wrk, tools)

OUT_TXT = os.path.join(bench.RESULTS, "profile-hello.txt")
OUT_FOLDED = os.path.join(bench.RESULTS, "profile-hello.folded")
PYSPY = os.path.join(bench.ROOT, ".venv", "bin", "py-spy")

FRAME = re.compile(r"^(?P<func>.*?) \((?P<file>[^()]*?)(?::(?P<line>\d+))?\)$")

# (subsystem, test on the frame's file and function), first match wins; applied from the leaf up.
# py-spy shortens Python paths (e.g. "http/protocol.py", "workerd_py/runtime/isolate.py").
def _ours(f: str, *parts: str) -> bool:
    f = f.split("workerd_py/", 1)[-1]
    f = f[len("server/"):] if f.startswith("server/") else f
    return f.startswith(parts)


SUBSYSTEMS = [
    ("JS engine (quickjs-ng)", lambda f, fn: f.startswith(("quickjs.c", "libregexp", "libunicode", "dtoa", "cutils"))),
    ("engine bridge (engine/*.c, *.py)", lambda f, fn: _ours(f, "engine/", "_quickjs", "_hostclass")),
    ("HTTP parser (httptools/llhttp)", lambda f, fn: f.startswith(("llhttp", "parser.c", "api.c", "http.c", "httptools"))),
    ("HTTP protocol (server/http/)", lambda f, fn: _ours(f, "http/")),
    ("services (server/services/)", lambda f, fn: _ours(f, "services/")),
    ("runtime (runtime/)", lambda f, fn: _ours(f, "runtime/")),
    ("Web APIs in Python (api/)", lambda f, fn: _ours(f, "api/")),
    ("other workerd_py", lambda f, fn: "workerd_py/" in f or f == "workerd" or _ours(f, "sockets.py", "cli.py", "commands.py", "app.py")),
    ("uvloop / libuv", lambda f, fn: f.startswith(("loop.c", "core.c", "stream.c", "linux.c", "uv", "handles", "cbhandles"))
     or "uvloop" in f),
    ("asyncio / stdlib", lambda f, fn: f.startswith(("asyncio/", "selectors", "socket", "ssl", "contextvars"))),
    ("kernel / libc (syscalls)", lambda f, fn: f.startswith(("libc", "ld-linux", "[vdso]", "[kernel"))),
    ("CPython interpreter", lambda f, fn: f.startswith(("ceval", "Objects/", "Python/", "object.h", "python", "libpython"))
     or f.endswith(".h")),
]


def parse_frame(text: str) -> tuple[str, str]:
    m = FRAME.match(text)
    if not m:
        return text, ""
    return m.group("func"), m.group("file")


def is_python(file: str) -> bool:
    return file.endswith(".py") or file == "workerd"


def subsystem(stack: list[tuple[str, str]]) -> str:
    for fn, f in reversed(stack):
        for name, test in SUBSYSTEMS:
            if test(f, fn):
                return name
    return "other (unresolved native)"


def analyse(folded: str, top: int, native: bool = True) -> str:
    samples = 0
    by_sub: collections.Counter = collections.Counter()
    self_t: collections.Counter = collections.Counter()
    incl: collections.Counter = collections.Counter()
    py_self: collections.Counter = collections.Counter()
    for line in folded.splitlines():
        stack_s, _, count_s = line.rpartition(" ")
        if not stack_s or not count_s.isdigit():
            continue
        n = int(count_s)
        samples += n
        stack = [parse_frame(x) for x in stack_s.split(";")]
        by_sub[subsystem(stack)] += n
        fn, f = stack[-1]
        self_t[f"{fn} ({f})"] += n
        for key in {f"{fn} ({f})" for fn, f in stack}:
            incl[key] += n
        for fn, f in reversed(stack):
            if is_python(f):
                py_self[f"{fn} ({f})"] += n
                break
    if not samples:
        return "no samples\n"

    def table(title, counter, note=""):
        out = [title, "-" * len(title)]
        if note:
            out.append(note)
        for key, n in counter.most_common(top):
            out.append(f"{100 * n / samples:6.1f}%  {n:6d}  {key}")
        return "\n".join(out) + "\n"

    return "\n".join([
        f"samples: {samples}\n",
        table("By subsystem (innermost frame that belongs to one)", by_sub),
        table("Python functions: time in them plus the C they call directly (innermost Python frame)",
              py_self),
        table("Self time (leaf frame, native included)", self_t) if native else "",
        table("Inclusive time (on the stack)", incl,
              "(the event loop and entry frames are on every stack; look below them)"),
    ])


def ensure_pyspy() -> str | None:
    if os.path.exists(PYSPY):
        return PYSPY
    subprocess.run([bench.VPY, "-m", "pip", "install", "-q", "py-spy"], stdout=subprocess.DEVNULL,
                   stderr=subprocess.DEVNULL)
    return PYSPY if os.path.exists(PYSPY) else shutil.which("py-spy")


def sample(pyspy: str, wrk: str, srv, args, native: bool, raw: str) -> tuple[str, float]:
    """One py-spy pass under wrk load: (collapsed stacks, req/s while sampled)."""
    cmd = [pyspy, "record", "--pid", str(srv.pid), "--duration", str(args.duration),
           "--rate", str(args.rate), "--format", "raw", "-o", raw]
    # native unwinding needs the process stopped per sample; Python frames alone can be read live
    cmd.append("--native" if native else "--nonblocking")
    result: dict = {}
    load = threading.Thread(target=lambda: result.update(
        bench.run_wrk(wrk, srv.port, args.connections, args.duration + 2)))
    load.start()
    time.sleep(0.5)
    spy = subprocess.run(cmd, capture_output=True, text=True)
    load.join()
    if spy.returncode != 0 or not os.path.exists(raw):
        raise RuntimeError("py-spy failed: " + (spy.stderr or spy.stdout).strip()[-600:])
    with open(raw) as f:
        return f.read(), result.get("rps", 0.0)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--duration", type=int, default=8, help="seconds of sampling per pass (default 8)")
    ap.add_argument("--rate", type=int, default=250, help="samples per second (default 250)")
    ap.add_argument("--connections", type=int, default=32)
    ap.add_argument("--no-native", action="store_true", help="only the pass with Python frames")
    ap.add_argument("--top", type=int, default=40)
    ap.add_argument("--commit", metavar="REV", help="profile a clean snapshot of this commit (see run.py)")
    args = ap.parse_args(argv)

    pyspy = ensure_pyspy()
    if not pyspy:
        print("SKIP: py-spy could not be installed (pip install py-spy)")
        return 1
    wrk = bench.ensure_wrk()
    if not wrk:
        return 1
    if (os.cpu_count() or 1) >= 2:
        os.sched_setaffinity(0, {bench.CLIENT_CPU})
    if os.geteuid() == 0:
        bench.PRIORITY = -10
    config = os.path.join(bench.CASES, "hello", "config.capnp")
    commit, dirty = bench.git_commit()
    if args.commit:
        src, sha = bench.snapshot_tree(args.commit)
        bench.OURS_ENV = {"PYTHONPATH": src}
        commit, dirty = sha[:12], False
    os.makedirs(bench.RESULTS, exist_ok=True)
    passes = []
    with tempfile.TemporaryDirectory(prefix="workerd-profile-") as workdir:
        with bench.Server("ours", bench.OURS, config, workdir) as srv:
            srv.wait_response("/", want_status=200, timeout=60)
            bench.run_wrk(wrk, srv.port, args.connections, 2)  # warm-up
            base = bench.run_wrk(wrk, srv.port, args.connections, 4)  # without the profiler
            try:
                passes.append(("Python frames only (py-spy --nonblocking: low overhead, Python-level "
                               "proportions; C time is charged to the calling Python function)",
                               *sample(pyspy, wrk, srv, args, False, os.path.join(workdir, "py.txt"))))
                if not args.no_native:
                    passes.append(("Native frames too (py-spy --native: the process is stopped per "
                                   "sample, so throughput drops and syscalls weigh more)",
                                   *sample(pyspy, wrk, srv, args, True, os.path.join(workdir, "native.txt"))))
            except RuntimeError as e:
                print(e)
                return 1
    with open(OUT_FOLDED, "w") as f:
        f.write(passes[-1][1])
    head = [
        "Profile of workerd-py serving hello world (bench/cases/hello) under wrk",
        f"commit {commit}{' + uncommitted changes in src/' if dirty else ''}"
        f"{' (clean snapshot, --commit)' if args.commit else ''}, "
        f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}",
        f"py-spy record --rate {args.rate}, {args.duration} s per pass; wrk -t1 -c{args.connections}; "
        f"server on CPU {bench.SERVER_CPU}, wrk on CPU {bench.CLIENT_CPU}",
        f"throughput without the profiler: {base['rps']:,.0f} req/s",
        "shared machine: other engineers' builds may run at the same time",
        "",
    ]
    text = "\n".join(head)
    for i, (title, folded, rps) in enumerate(passes):
        bar = "=" * min(100, len(title))
        text += f"\n{bar}\n{title}\nthroughput while sampled: {rps:,.0f} req/s\n{bar}\n" + analyse(folded, args.top, native=i > 0)
    with open(OUT_TXT, "w") as f:
        f.write(text)
    print(text)
    print(f"wrote {os.path.relpath(OUT_TXT, bench.ROOT)} and {os.path.relpath(OUT_FOLDED, bench.ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
