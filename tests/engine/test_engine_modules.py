"""ES modules, promises, jobs, rejection tracking and bytecode."""
import posixpath

import pytest

from workerd_py import engine

SOURCES = {
    "main.js": """
        import { a } from "./lib/a.js";
        import d, { x } from "synthetic";
        export const r = a + x + d;
        export default "main";
    """,
    "lib/a.js": 'import { b } from "./b.js"; export const a = b * 2;',
    "lib/b.js": "export const b = await Promise.resolve(21);",
    "broken.js": 'import "./nope.js";',
    "throws.js": "throw new RangeError('top-level');",
}


def normalize(base, spec):
    if spec.startswith("."):
        return posixpath.normpath(posixpath.join(posixpath.dirname(base), spec))
    return spec


def make_loader(sources, log=None):
    def load(name):
        if log is not None:
            log.append(name)
        if name == "synthetic":
            return engine.SyntheticModule({"default": 100, "x": 0.5})
        return sources[name]
    return load


@pytest.fixture
def rt():
    r = engine.Runtime()
    r.set_module_loader(normalize, make_loader(SOURCES))
    return r


def test_relative_imports_synthetic_and_tla(rt):
    ctx = rt.new_context()
    ns = ctx.eval_module(SOURCES["main.js"], "main.js")
    assert sorted(ns.keys()) == ["default", "r"]
    assert ns["r"] == 142.5 and ns["default"] == "main"


def test_top_level_await_waits_for_jobs(rt):
    ctx = rt.new_context()
    ns = ctx.eval_module("""
        let v = 0;
        for (let i = 0; i < 10; i++) v += await new Promise((r) => r(i));
        export const total = v;
    """, "tla.js")
    assert ns["total"] == 45


def test_tla_rejection_raises(rt):
    ctx = rt.new_context()
    with pytest.raises(engine.JSError) as ei:
        ctx.eval_module("await null; throw new TypeError('late')", "late.js")
    assert ei.value.name == "TypeError" and ei.value.message == "late"


def test_tla_waiting_on_host_does_not_hang(rt):
    ctx = rt.new_context()
    with pytest.raises(engine.EngineError, match="did not settle"):
        ctx.eval_module("await new Promise(() => {})", "forever.js")


def test_missing_import_names_the_module(rt):
    ctx = rt.new_context()
    with pytest.raises(engine.JSError) as ei:
        ctx.eval_module(SOURCES["broken.js"], "broken.js")
    assert "nope.js" in ei.value.message and "broken.js" in ei.value.message


def test_loader_returning_none_and_without_loader():
    r = engine.Runtime()
    ctx = r.new_context()
    with pytest.raises(engine.JSError, match="x.js"):
        ctx.eval_module('import "./x.js"', "m.js")
    r.set_module_loader(None, lambda name: None)
    with pytest.raises(engine.JSError, match="Cannot find module"):
        ctx.eval_module('import "./y.js"', "m2.js")


def test_top_level_throw(rt):
    ctx = rt.new_context()
    with pytest.raises(engine.JSError) as ei:
        ctx.eval_module(SOURCES["throws.js"], "throws.js")
    assert ei.value.name == "RangeError" and "throws.js" in ei.value.stack


def test_syntax_error_in_imported_module(rt):
    rt.set_module_loader(normalize, make_loader({"bad.js": "export const = ;"}))
    ctx = rt.new_context()
    with pytest.raises(engine.JSError) as ei:
        ctx.eval_module('import "./bad.js"', "m.js")
    assert ei.value.name == "SyntaxError" and "bad.js" in ei.value.stack


def test_import_module_and_cache(rt):
    log = []
    rt.set_module_loader(normalize, make_loader(SOURCES, log))
    ctx = rt.new_context()
    ns = ctx.import_module("main.js")
    assert ns["r"] == 142.5
    # already evaluated modules (async ones included) answer their namespace
    assert ctx.import_module("lib/a.js")["a"] == 42
    assert ctx.import_module("main.js")["default"] == "main"
    assert log.count("lib/a.js") == 1
    # another context loads its own instances
    ctx2 = rt.new_context()
    assert ctx2.import_module("lib/b.js")["b"] == 21


def test_dynamic_import(rt):
    ctx = rt.new_context()
    ns = ctx.eval_module("""
        const m = await import("./lib/b.js");
        export const b = m.b;
    """, "dyn.js")
    assert ns["b"] == 21


def test_promises_and_jobs(rt):
    ctx = rt.new_context()
    p, resolve, reject = ctx.new_promise()
    assert p.is_promise and p.promise_state == "pending"
    ctx.globals["p"] = p
    ctx.eval("globalThis.seen = []; p.then((v) => seen.push(v))")
    resolve("done")
    assert rt.has_pending_jobs
    assert rt.run_jobs() >= 1
    assert not rt.has_pending_jobs
    assert ctx.eval("seen[0]") == "done"
    assert p.promise_state == "fulfilled" and p.promise_result == "done"
    q = ctx.eval("Promise.reject(new Error('no'))")
    q.mark_handled()
    assert q.promise_state == "rejected" and q.promise_result["message"] == "no"


def test_exception_escaping_a_job(rt):
    ctx = rt.new_context()

    def fail():
        raise SystemExit(3)

    ctx.globals["fail"] = fail
    ctx.eval("Promise.resolve().then(() => fail())")
    with pytest.raises(SystemExit):
        rt.run_jobs()


def test_rejection_tracker(rt):
    events = []
    rt.set_rejection_tracker(lambda p, reason, handled: events.append((p, reason, handled)))
    ctx = rt.new_context()
    ctx.eval("globalThis.p = Promise.reject(new TypeError('unhandled'))")
    rt.run_jobs()
    assert len(events) == 1
    p, reason, handled = events[0]
    assert p.is_promise and reason["message"] == "unhandled" and handled is False
    ctx.eval("p.catch(() => {})")
    rt.run_jobs()
    assert events[-1][2] is True
    rt.set_rejection_tracker(None)
    ctx.eval("Promise.reject(1)")
    rt.run_jobs()
    assert len(events) == 2


@pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")
def test_rejection_tracker_errors_are_unraisable(rt):
    def bad(*a):
        raise RuntimeError("tracker failed")

    rt.set_rejection_tracker(bad)
    ctx = rt.new_context()
    ctx.eval("Promise.reject(1)")
    assert ctx.eval("1 + 1") == 2


def test_bytecode_script_in_other_runtime(rt):
    ctx = rt.new_context()
    bc = ctx.compile("var q = 40; function add(n) { return q + n } add(2)", "s.js")
    assert isinstance(bc, bytes)
    other = engine.Runtime().new_context()
    assert other.eval_bytecode(bc) == 42
    assert other.eval("add(3)") == 43


def test_bytecode_module_with_imports_in_other_runtime(rt):
    ctx = rt.new_context()
    bcs = {name: ctx.compile(src, name, module=True) for name, src in SOURCES.items()
           if name not in ("broken.js", "throws.js")}
    # compiling loaded nothing for real in ctx
    assert ctx.eval("1") == 1
    rt2 = engine.Runtime()

    def load(name):
        if name == "synthetic":
            return engine.SyntheticModule({"default": 1, "x": 2})
        return bcs[name]

    rt2.set_module_loader(normalize, load)
    ctx2 = rt2.new_context()
    ns = ctx2.eval_bytecode(bcs["main.js"])
    assert ns["r"] == 45
    ctx3 = rt2.new_context()
    assert ctx3.import_module("main.js")["r"] == 45


def test_bytecode_of_missing_import_fails_cleanly(rt):
    ctx = rt.new_context()
    bc = ctx.compile(SOURCES["broken.js"], "broken.js", module=True)
    ctx2 = rt.new_context()
    with pytest.raises(engine.JSError, match="nope.js"):
        ctx2.eval_bytecode(bc)
    assert ctx2.eval("5") == 5


def test_compile_syntax_error(rt):
    ctx = rt.new_context()
    with pytest.raises(engine.JSError) as ei:
        ctx.compile("let let = 1", "x.js", module=True)
    assert ei.value.name == "SyntaxError"
    with pytest.raises(engine.JSError):
        ctx.eval_bytecode(b"not bytecode")
