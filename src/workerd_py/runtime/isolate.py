"""One QuickJS runtime + context per worker, and every synchronous entry into it.

How this works
--------------
All workers share one asyncio loop and one thread. Each synchronous entry into JS (a fetch
event, a timer, a promise settled by the host) goes through `Isolate.enter()`, which arms the
engine deadline with `min(slice, remaining CPU budget of the current request)`. A worker stuck in
`while(true){}` is interrupted by the engine after at most one slice (default 50 ms), so other
workers keep answering within 100 ms; the interrupted request fails with a 500 and the isolate stays
usable. Time spent inside JS is charged to the request's IoContext (its CPU budget).

After every entry the microtask queue is drained (`run_jobs`), each job with its own slice, so
promise reactions run before control returns to the event loop (as in a browser or workerd) and a
long chain of short jobs (streams moving many chunks) is not mistaken for a stuck worker.
"""
from __future__ import annotations

import time
from dataclasses import dataclass

from .. import engine

_monotonic = time.monotonic


@dataclass
class Limits:
    cpu_ms: float = 30_000.0       # per-request CPU budget (JS time), like workerd's paid plan
    slice_ms: float = 50.0         # longest single synchronous run of JS before interruption
    memory_mb: float = 256.0       # per-isolate heap limit
    stack_kb: int = 1024


class CpuLimitExceeded(Exception):
    pass


class Isolate:
    """A JS runtime+context with a deadline-bounded entry point."""

    __slots__ = ("name", "rt", "ctx", "limits", "current", "_slice", "broken", "on_rejection", "__weakref__")

    def __init__(self, name: str, limits: Limits):
        self.name = name
        self.limits = limits
        self.rt = engine.Runtime(memory_limit=int(limits.memory_mb * 1024 * 1024) if limits.memory_mb else 0,
                                 stack_size=limits.stack_kb * 1024)
        self.ctx = self.rt.new_context()
        self.current = None          # the IoContext whose code is running (charged for CPU)
        self._slice = limits.slice_ms / 1000.0
        self.broken = None           # set to a reason when the isolate must be recreated
        self.on_rejection = None
        self.rt.set_rejection_tracker(self._track_rejection)

    def _track_rejection(self, promise, reason, handled):
        cb = self.on_rejection
        if cb is not None:
            cb(promise, reason, handled)

    def enter(self, io, fn, *args):
        """Call a JS function (or Python callable touching JS) as one synchronous entry.

        `io` is the IoContext charged for the time, or None for isolate-level work (startup).
        Exceptions from JS propagate as engine.JSError (engine.Interrupted when the deadline hit).
        """
        rt = self.rt
        prev = self.current
        # nested in JS of this runtime (a host function calling back in): the outer entry's
        # deadline is put back afterwards, so its code stays interruptible
        outer = rt.deadline
        self.current = io
        start = _monotonic()
        if io is not None:
            budget = io.cpu_left
            if budget <= 0:
                e = CpuLimitExceeded("Worker exceeded CPU time limit.")
                io.fail(e)
                raise e
            slice_ = self._slice
            until = start + budget
            rt.set_deadline(start + (budget if budget < slice_ else slice_))
        else:
            slice_ = max(self._slice, 1.0)
            until = 0.0
            rt.set_deadline(start + slice_)
        try:
            result = fn(*args)
            # each queued job gets its own slice (bounded by the request's CPU budget)
            rt.run_jobs(slice_, until)
            return result
        except engine.OutOfMemory as e:
            self.broken = "memory limit exceeded"
            if io is not None:
                io.fail(e)
            raise
        except (engine.Interrupted, CpuLimitExceeded) as e:
            if io is not None:
                io.fail(e)  # the request fails now, even if this entry was a timer or a body read
            raise
        finally:
            rt.set_deadline(outer)
            if io is not None:
                io.cpu_used += _monotonic() - start
            self.current = prev

    def run_jobs(self, io=None):
        return self.enter(io, _noop)

    def memory_usage(self) -> dict:
        return self.rt.memory_usage()

    def close(self):
        try:
            self.ctx.close()
        except Exception:
            pass


def _noop():
    return None
