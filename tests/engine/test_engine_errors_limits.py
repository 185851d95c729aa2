"""Exceptions across the boundary, deadlines, memory and stack limits."""
import time

import pytest

from workerd_py import engine


@pytest.fixture
def rt():
    return engine.Runtime()


@pytest.fixture
def ctx(rt):
    return rt.new_context()


def test_js_error_to_python(ctx):
    with pytest.raises(engine.JSError) as ei:
        ctx.eval("function boom() { throw new TypeError('bad thing') }\nboom()", "boom.js")
    e = ei.value
    assert e.name == "TypeError" and e.message == "bad thing"
    assert str(e) == "TypeError: bad thing"
    assert "boom.js:1" in e.stack and "boom" in e.stack
    assert e.value.is_error and e.value["message"] == "bad thing"
    with pytest.raises(engine.JSError) as ei:
        ctx.eval("throw 42")
    assert ei.value.value == 42 and ei.value.message == "42"
    with pytest.raises(engine.JSError) as ei:
        ctx.eval("throw {toString() { throw 1 }}")
    assert ei.value.value.typeof == "object"
    with pytest.raises(engine.JSError) as ei:
        ctx.eval("syntax error here", "syn.js")
    assert ei.value.name == "SyntaxError" and "syn.js" in ei.value.stack


def test_python_error_to_js(ctx):
    def raiser(kind):
        if kind == "type":
            raise TypeError("t msg")
        if kind == "value":
            raise ValueError("v msg")
        if kind == "overflow":
            raise OverflowError("o msg")
        if kind == "dom":
            raise engine.DOMError("NotFoundError", "d msg")
        if kind == "throw":
            raise engine.Throw({"custom": 1})
        if kind == "long":
            raise RuntimeError("x" * 1000)
        raise KeyError("k")

    ctx.globals["r"] = raiser
    check = ctx.eval("""(kind) => { try { r(kind) } catch (e) {
        return [e instanceof Error, e.constructor.name, e.name, e.message, e.custom,
                e instanceof DOMException, e.code, typeof e.stack] } }""")
    assert list(check("type"))[:4] == [True, "TypeError", "TypeError", "t msg"]
    assert list(check("value"))[:4] == [True, "RangeError", "RangeError", "v msg"]
    assert check("overflow")[1] == "RangeError"
    dom = check("dom")
    assert dom[2] == "NotFoundError" and dom[3] == "d msg" and dom[5] is True and dom[6] == 8
    thrown = check("throw")
    assert thrown[0] is False and thrown[4] == 1
    assert check("long")[3] == "x" * 1000
    assert check("key")[2] == "Error" and check("key")[3] == "'k'"


def test_error_roundtrip_keeps_original_value(ctx):
    ctx.globals["callback"] = lambda f: f()
    r = ctx.eval("""const err = new RangeError('orig');
        try { callback(() => { throw err }) } catch (e) { e === err }""")
    assert r is True


def test_base_exception_passes_through(ctx):
    def stop():
        raise KeyboardInterrupt()

    ctx.globals["stop"] = stop
    with pytest.raises(KeyboardInterrupt):
        ctx.eval("try { stop() } catch (e) { 'caught' }")
    assert ctx.eval("1") == 1


def test_new_error(ctx):
    e = ctx.new_error("TypeError", "m")
    assert ctx.eval("(e) => e instanceof TypeError && e.message")(e) == "m"
    d = ctx.new_error("AbortError", "stopped")
    assert ctx.eval("(e) => [e instanceof DOMException, e.name, e.message, e.code]")(d)[3] == 20


def test_dom_exception_in_every_context(rt):
    for _ in range(3):
        assert rt.new_context().eval("new DOMException('m', 'SyntaxError').code") == 12


@pytest.mark.parametrize("src", [
    "while (true) {}",
    "try { while (true) {} } catch (e) {} 'not reached'",
    "for (;;) { try { while (true) {} } catch (e) {} finally { continue } }",
])
def test_deadline_interrupts(ctx, rt, src):
    rt.stack_size = 256 * 1024
    start = time.monotonic()
    rt.set_deadline(start + 0.05)
    with pytest.raises(engine.Interrupted):
        ctx.eval(src)
    elapsed = time.monotonic() - start
    assert elapsed < 0.05 + 0.05, elapsed
    rt.set_deadline(None)
    assert ctx.eval("1 + 1") == 2  # still usable


def test_deadline_with_stack_overflows(ctx, rt):
    # every stack overflow builds a long backtrace, so polls are further apart
    rt.stack_size = 256 * 1024
    start = time.monotonic()
    rt.set_deadline(start + 0.05)
    with pytest.raises(engine.Interrupted):
        ctx.eval("function f() { try { f() } catch (e) { f() } } f()")
    assert time.monotonic() - start < 0.5
    rt.set_deadline(None)
    assert ctx.eval("1 + 1") == 2


def test_deadline_in_host_callback_and_jobs(ctx, rt):
    rt.set_deadline(time.monotonic() + 0.03)
    ctx.eval("Promise.resolve().then(() => { while (true) {} })")
    with pytest.raises(engine.Interrupted):
        rt.run_jobs()
    rt.set_deadline(None)
    assert rt.run_jobs() == 0
    assert rt.deadline is None


def test_memory_limit(ctx, rt):
    rt.memory_limit = 16 << 20
    assert rt.memory_limit == 16 << 20
    with pytest.raises(engine.OutOfMemory):
        ctx.eval("(function () { const a = []; while (true) a.push('x'.repeat(100) + a.length) })()")
    rt.gc()
    assert ctx.eval("[1, 2, 3].map((x) => x * 2).join()") == "2,4,6"
    with pytest.raises(engine.OutOfMemory):
        ctx.eval("new Uint8Array(64 << 20)")
    assert ctx.eval("new Uint8Array(1 << 20).length") == 1 << 20
    rt.memory_limit = 0
    assert ctx.eval("new Uint8Array(64 << 20).length") == 64 << 20


def test_stack_overflow_is_range_error(ctx):
    with pytest.raises(engine.JSError) as ei:
        ctx.eval("function f() { return f() + 1 } f()")
    assert ei.value.name == "RangeError"
    assert ctx.eval("2") == 2


def test_deep_js_python_recursion(ctx):
    ctx.globals["py"] = lambda f, n: f(n)
    r = ctx.eval("function f(n) { return n <= 0 ? 0 : 1 + py(f, n - 1) } f(200)")
    assert r == 200
    with pytest.raises((engine.JSError, RecursionError)):
        ctx.eval("function g(n) { return 1 + py(g, n) } g(0)")
    assert ctx.eval("3") == 3


def test_memory_usage(rt, ctx):
    u = rt.memory_usage()
    assert u["malloc_size"] > 0 and "obj_count" in u and "memory_used_size" in u
    rt.gc()
