"""Engine micro-benchmarks (run by `make bench-engine`).

Times are CPU time (time.process_time), so a busy machine does not inflate them.
Memory is RSS (from /proc/self/statm) and QuickJS's own malloc accounting.
"""
import gc
import json
import os
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "src"))

from workerd_py import engine  # noqa: E402

TARGETS = {
    "js_to_py_call_us": 0.5,
    "py_to_js_call_us": 0.5,
    "hostclass_method_call_us": 0.5,
    "roundtrip_1mib_ms": 1.0,
    "runtime_context_create_us": 300.0,
    "runtime_context_kb": 150.0,
    "runtime_context_40_classes_kb": 200.0,
}


def rss():
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


def best_of(fn, repeat=5):
    best = float("inf")
    for _ in range(repeat):
        t = time.process_time()
        fn()
        best = min(best, time.process_time() - t)
    return best


def bench_calls(results):
    rt = engine.Runtime()
    ctx = rt.new_context()
    n = 200_000

    def noop(a):
        return a

    ctx.globals["py"] = noop
    loop = ctx.eval("(n) => { let s = 0; for (let i = 0; i < n; i++) s += py(i); return s }")
    empty = ctx.eval("(n) => { let s = 0; for (let i = 0; i < n; i++) s += i; return s }")
    t_loop = best_of(lambda: loop(n))
    t_empty = best_of(lambda: empty(n))
    results["js_to_py_call_us"] = (t_loop - t_empty) / n * 1e6

    f = ctx.eval("(a) => a")

    def py_calls():
        for i in range(n):
            f(i)

    def py_empty():
        for i in range(n):
            noop(i)

    results["py_to_js_call_us"] = (best_of(py_calls) - best_of(py_empty)) / n * 1e6

    g = ctx.eval("(a, b) => a.length + b")
    results["py_to_js_call_str_arg_us"] = best_of(lambda: [g("hello", 1) for _ in range(n)]) / n * 1e6


def bench_hostclass(results):
    class Counter:
        def __init__(self):
            self.n = 0

    def inc(self, k):
        self.n += k
        return self.n

    cls = engine.HostClass("BenchCounter", constructor=Counter, methods={"inc": inc},
                           getters={"value": lambda self: self.n})
    ctx = engine.Runtime().new_context()
    ctx.install(cls)
    n = 200_000
    loop = ctx.eval("(n) => { const c = new BenchCounter(); let s = 0; for (let i = 0; i < n; i++) s += c.inc(1); return s }")
    getter = ctx.eval("(n) => { const c = new BenchCounter(); let s = 0; for (let i = 0; i < n; i++) s += c.value; return s }")
    empty = ctx.eval("(n) => { const c = {inc(k) { return k }}; let s = 0; for (let i = 0; i < n; i++) s += c.inc(1); return s }")
    t_empty = best_of(lambda: empty(n))
    results["hostclass_method_call_us"] = (best_of(lambda: loop(n)) - t_empty) / n * 1e6
    results["hostclass_getter_call_us"] = (best_of(lambda: getter(n)) - t_empty) / n * 1e6
    construct = ctx.eval("(n) => { for (let i = 0; i < n; i++) new BenchCounter(); }")
    results["hostclass_construct_us"] = best_of(lambda: construct(20_000)) / 20_000 * 1e6


def bench_bytes(results):
    ctx = engine.Runtime().new_context()
    data = os.urandom(1 << 20)
    ident = ctx.eval("(b) => b")
    results["roundtrip_1mib_ms"] = best_of(lambda: [bytes(ident(data)) for _ in range(20)]) / 20 * 1e3
    results["bytes_1mib_to_js_ms"] = best_of(lambda: [ident(data) for _ in range(20)]) / 20 * 1e3
    h = ident(data)
    results["bytes_1mib_from_js_ms"] = best_of(lambda: [bytes(h) for _ in range(20)]) / 20 * 1e3
    s = "x" * (1 << 20)
    results["roundtrip_1mib_str_ms"] = best_of(lambda: [ident(s) for _ in range(20)]) / 20 * 1e3
    u = "é" * (1 << 19)
    results["roundtrip_1mib_nonascii_str_ms"] = best_of(lambda: [ident(u) for _ in range(20)]) / 20 * 1e3


def bench_creation(results):
    n = 1000
    gc.collect()
    t = time.process_time()
    keep = []
    for _ in range(n):
        rt = engine.Runtime()
        keep.append((rt, rt.new_context()))
    results["runtime_context_create_us"] = (time.process_time() - t) / n * 1e6
    rt0 = keep[0][0]
    rt0.gc()
    results["runtime_context_js_malloc_kb"] = rt0.memory_usage()["malloc_size"] / 1024
    t = time.process_time()
    del keep, rt0, rt
    gc.collect()
    results["runtime_context_free_us"] = (time.process_time() - t) / n * 1e6

    rt = engine.Runtime()
    t = time.process_time()
    ctxs = [rt.new_context() for _ in range(200)]
    results["context_in_shared_runtime_create_us"] = (time.process_time() - t) / 200 * 1e6
    rt.gc()
    results["context_in_shared_runtime_js_kb"] = rt.memory_usage()["malloc_size"] / 200 / 1024
    del ctxs


def make_api_classes(n_classes=40, n_methods=10):
    classes = []
    for c in range(n_classes):
        methods = {f"method{m}": (lambda self, *a: None) for m in range(n_methods)}
        getters = {"prop0": lambda self: 1, "prop1": lambda self: 2}
        classes.append(engine.HostClass(f"Api{c}", constructor=lambda *a: object(), methods=methods,
                                        getters=getters, static_methods={"make": lambda *a: None}))
    return classes


def child_rss(kind, n):
    """RSS growth per runtime+context in a fresh interpreter (no reused free memory)."""
    classes = make_api_classes() if kind == "classes" else []
    keep = []
    gc.collect()
    before = rss()
    for _ in range(n):
        ctx = engine.Runtime().new_context()
        for cls in classes:
            ctx.install(cls)
        keep.append(ctx)
    gc.collect()
    print(json.dumps((rss() - before) / n))


def measure_child(kind, n):
    import subprocess
    out = subprocess.check_output([sys.executable, os.path.abspath(__file__), "--child", kind, str(n)])
    return json.loads(out)


def bench_installed_classes(results, classes):
    results["runtime_context_kb"] = measure_child("plain", 1000) / 1024
    results["runtime_context_40_classes_kb"] = measure_child("classes", 500) / 1024
    results["rss_bytes_per_installed_class"] = (results["runtime_context_40_classes_kb"]
                                                - results["runtime_context_kb"]) * 1024 / len(classes)
    plain = engine.Runtime().new_context()
    full = engine.Runtime().new_context()
    for cls in classes:
        full.install(cls)
    plain.runtime.gc()
    full.runtime.gc()
    results["js_bytes_per_installed_class"] = (full.runtime.memory_usage()["malloc_size"]
                                               - plain.runtime.memory_usage()["malloc_size"]) / len(classes)
    t = time.process_time()
    ctx = engine.Runtime().new_context()
    for cls in classes:
        ctx.install(cls)
    results["install_40_classes_us"] = (time.process_time() - t) * 1e6
    # after touching every member once (all lazily created functions instantiated)
    ctx.eval("for (const k of Object.getOwnPropertyNames(globalThis)) if (/^Api\\d+$/.test(k)) "
             "for (const m of Object.getOwnPropertyNames(globalThis[k].prototype)) "
             "Object.getOwnPropertyDescriptor(globalThis[k].prototype, m)")
    ctx.runtime.gc()
    results["js_kb_40_classes_all_methods_touched"] = ctx.runtime.memory_usage()["malloc_size"] / 1024


def main():
    results = {}
    bench_calls(results)
    bench_hostclass(results)
    bench_bytes(results)
    bench_creation(results)
    bench_installed_classes(results, make_api_classes())
    engine.tune_malloc()
    ctx = engine.Runtime().new_context()
    data = os.urandom(1 << 20)
    ident = ctx.eval("(b) => b")
    results["roundtrip_1mib_after_tune_malloc_ms"] = best_of(lambda: [bytes(ident(data)) for _ in range(20)]) / 20 * 1e3
    width = max(len(k) for k in results)
    print(f"quickjs-ng {engine.quickjs_version()}, Python {sys.version.split()[0]} (CPU time, best of 5)")
    for k, v in results.items():
        target = TARGETS.get(k)
        mark = ""
        if target is not None:
            mark = f"  target <= {target:g}  {'ok' if v <= target else 'MISSED'}"
        print(f"  {k:<{width}}  {v:10.3f}{mark}")
    if "--json" in sys.argv:
        print(json.dumps(results))


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        child_rss(sys.argv[2], int(sys.argv[3]))
    else:
        main()
