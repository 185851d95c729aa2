"""Lifetime: handles keep runtimes alive, cycles through host functions are collected,
closing is safe in any order."""
import gc
import weakref

import pytest

from workerd_py import engine

THING = engine.HostClass("LifeThing", constructor=lambda *a: Holder(), methods={"ping": lambda self: "pong"})


class Holder:
    handle = None


def rss_bytes():
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * 4096


def test_handles_keep_runtime_alive():
    rt = engine.Runtime()
    ctx = rt.new_context()
    f = ctx.eval("(function () { let n = 0; return () => ++n })()")
    rt_ref, ctx_ref = weakref.ref(rt), weakref.ref(ctx)
    del rt, ctx
    gc.collect()
    assert rt_ref() is not None and ctx_ref() is not None
    assert f() == 1 and f() == 2
    assert f.context.runtime is rt_ref()
    del f
    gc.collect()
    assert rt_ref() is None and ctx_ref() is None


def test_context_reachable_only_through_its_host_functions_is_collected():
    rt = engine.Runtime()
    ctx = rt.new_context()
    ctx.globals["cb"] = lambda: ctx.eval("1")          # JS -> Python -> ctx
    ctx.globals["g"] = ctx.globals                      # JS -> handle via to_js -> ctx
    ctx.install(THING)
    h = Holder()
    h.handle = ctx.globals                              # host object -> handle -> ctx
    ctx.globals["t"] = ctx.wrap(THING, h)
    assert ctx.eval("cb() + (t.ping() === 'pong')") == 2
    refs = [weakref.ref(rt), weakref.ref(ctx), weakref.ref(h)]
    del rt, ctx, h
    gc.collect()
    assert [r() for r in refs] == [None, None, None]


def test_close_invalidates_handles():
    rt = engine.Runtime()
    ctx = rt.new_context()
    objs = [ctx.eval("({a: %d})" % i) for i in range(100)]
    fn = ctx.new_function(lambda: 1)
    ctx.close()
    for o in objs + [fn]:
        with pytest.raises(engine.EngineError):
            o["a"]
        with pytest.raises(engine.EngineError):
            o()
    assert ctx.unwrap(objs[0]) is None
    other = rt.new_context()
    with pytest.raises(engine.EngineError):
        other.eval("(x) => x")(objs[0])
    del objs, fn
    gc.collect()
    assert other.eval("2") == 2


def test_cannot_close_while_running():
    rt = engine.Runtime()
    ctx = rt.new_context()
    errors = []

    def close_me():
        try:
            ctx.close()
        except engine.EngineError as e:
            errors.append(e)
        return 1

    ctx.globals["close_me"] = close_me
    assert ctx.eval("close_me() + 1") == 2
    assert errors and not ctx.closed


def test_closing_one_context_while_another_runs():
    rt = engine.Runtime()
    a, b = rt.new_context(), rt.new_context()
    shared = a.eval("({v: 5})")
    b.globals["close_a"] = lambda: a.close()
    b.globals["s"] = shared
    assert b.eval("close_a(); s.v") == 5
    assert a.closed


def test_values_from_closed_context_in_jobs():
    rt = engine.Runtime()
    a = rt.new_context()
    a.globals["py"] = lambda: 1
    a.eval("Promise.resolve().then(() => py())")
    a.close()
    rt.run_jobs()  # the job's context is gone: no crash


@pytest.mark.parametrize("cyclic", [False, True])
def test_many_contexts_with_host_functions_rss(cyclic):
    """10,000 runtime+context pairs with host functions and host objects, dropped.

    Without a cycle they are freed by reference counting. With a cycle (a host function
    capturing its own context) they wait for Python's cyclic GC, so the test collects every
    100 iterations, as a server's periodic gc would; prefer ctx.close() in real code."""
    def make():
        rt = engine.Runtime()
        ctx = rt.new_context()
        if cyclic:
            ctx.globals["cb"] = lambda: ctx.eval("1")
        else:
            ctx.globals["cb"] = lambda: 1
        ctx.install(THING)
        ctx.eval("globalThis.t = new LifeThing(); cb()")

    def batch(n):
        for i in range(n):
            make()
            if cyclic and i % 100 == 0:
                gc.collect()
        gc.collect()

    # warm up to the steady-state peak (cyclic garbage waits for the collector)
    batch(300 if not cyclic else 2000)
    before = rss_bytes()
    batch(10000)
    growth = rss_bytes() - before
    assert growth < 10 * 1024 * 1024, growth


def test_many_contexts_in_one_runtime():
    rt = engine.Runtime()
    for _ in range(50):
        rt.new_context()
    gc.collect()
    rt.gc()
    base = rt.memory_usage()["malloc_size"]
    for _ in range(500):
        c = rt.new_context()
        c.globals["f"] = lambda c=c: 1
        c.install(THING)
        c.eval("new LifeThing(); f()")
    gc.collect()
    rt.gc()
    assert rt.memory_usage()["malloc_size"] - base < 256 * 1024


def test_runtime_outlives_dropped_handles_in_any_order():
    for order in range(3):
        rt = engine.Runtime()
        ctx = rt.new_context()
        h = ctx.eval("[1, 2, 3]")
        items = [rt, ctx, h]
        del rt, ctx, h
        items.insert(0, items.pop(order))
        while items:
            items.pop()
            gc.collect()


def test_other_thread_cannot_enter_a_busy_runtime():
    import threading

    rt = engine.Runtime()
    ctx = rt.new_context()
    seen = []

    def other():
        try:
            seen.append(ctx.eval("1"))
        except engine.EngineError as e:
            seen.append(str(e))

    def host():
        t = threading.Thread(target=other)
        t.start()
        t.join()  # releases the GIL while JS is suspended in this host call
        return 5

    ctx.globals["host"] = host
    assert ctx.eval("host()") == 5
    assert "another thread" in seen[0]
    # once idle, any thread may use the runtime
    t = threading.Thread(target=other)
    t.start()
    t.join()
    assert seen[1] == 1
