"""Per-request state: CPU budget, waitUntil tasks, and cancellation.

An IoContext lives from the moment an event is delivered to a worker until its response is
complete and every `ctx.waitUntil()` promise has settled (bounded by `wait_until_timeout`).
"""
from __future__ import annotations

import asyncio


class IoContext:
    __slots__ = ("isolate", "cpu_used", "cpu_budget", "wait_until", "pass_through", "failed", "waiter",
                 "__weakref__")

    def __init__(self, isolate, cpu_budget_s: float):
        self.isolate = isolate
        self.cpu_used = 0.0
        self.cpu_budget = cpu_budget_s
        self.wait_until: list | None = None
        self.pass_through = False
        self.failed = None
        self.waiter: asyncio.Future | None = None   # the response being awaited, if any

    def fail(self, exc: BaseException) -> None:
        """The request cannot go on (CPU or memory limit): fail the awaited response now."""
        if self.failed is None:
            self.failed = exc
        w = self.waiter
        if w is not None and not w.done():
            w.set_exception(exc)

    @property
    def cpu_left(self) -> float:
        return self.cpu_budget - self.cpu_used

    def add_wait_until(self, fut: asyncio.Future) -> None:
        if self.wait_until is None:
            self.wait_until = []
        self.wait_until.append(fut)

    async def drain_wait_until(self, timeout: float = 30.0) -> None:
        while self.wait_until:
            pending, self.wait_until = self.wait_until, None
            try:
                await asyncio.wait_for(asyncio.gather(*pending, return_exceptions=True), timeout)
            except asyncio.TimeoutError:
                return
