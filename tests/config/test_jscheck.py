"""Module checks: JS syntax through the engine (module's own line), import/export scanning."""
from __future__ import annotations

import pytest

from cfg_helpers import HEADER, codes, diags_of, worker_config
from workerd_py.config import jscheck


def test_scan_imports_and_exports():
    src = '''
// import x from "commented";
/* export class Hidden {} */
import a, { b as c } from "./lib/a.js";
import "side-effect";
import * as ns from '../ns.js';
const s = "import y from 'in-a-string'";
const t = `export class InTemplate {} ${1 + 1}`;
const re = /["']/g;
export default { async fetch() { return import("dynamic"); } };
export class Counter {}
export const A = 1, B = { x: [1, 2] }, C = 3;
export function f() {}
export async function* g() {}
export { foo as bar, baz };
export * as star from "./star.js";
export { q } from "./q.js";
const m = import.meta.url;
'''
    s = jscheck.scan_module(src)
    assert [spec for spec, _ in s.imports] == ["./lib/a.js", "side-effect", "../ns.js", "./star.js", "./q.js"]
    assert s.exports == {"default", "Counter", "A", "B", "C", "f", "g", "bar", "baz", "star", "q"}
    assert s.exports_complete
    assert dict(s.imports)["./lib/a.js"] == 4


def test_export_star_and_destructuring_make_exports_unknown():
    assert not jscheck.scan_module('export * from "./x.js";').exports_complete
    assert not jscheck.scan_module('export const { a, b } = obj;').exports_complete


@pytest.mark.parametrize("referrer,spec,name", [
    ("worker", "./util.js", "util.js"), ("lib/main.js", "./util.js", "lib/util.js"),
    ("lib/main.js", "../x.js", "x.js"), ("a/b.js", "/c.js", "c.js"), ("main.js", "bare", "bare"),
])
def test_resolve_specifier(referrer, spec, name):
    assert jscheck.resolve_specifier(referrer, spec) == name


engine = pytest.importorskip  # alias for readability below


@pytest.fixture
def need_engine():
    pytest.importorskip("workerd_py.engine._quickjs", reason="the JS engine is not built yet")
    assert jscheck.engine_available()


def test_check_syntax_reports_the_module_line(need_engine):
    p = jscheck.check_syntax("export default {\n  fetch() {\n    return 1 +;\n  }\n};\n", "worker.js")
    assert p is not None and p.line == 3 and "SyntaxError" in p.message
    assert jscheck.check_syntax("export default 1;", "worker.js") is None


BROKEN = "export default {\n  async fetch(req) {\n    return new Response(\"x\";\n  },\n};\n"


def test_syntax_error_in_embedded_module_names_the_js_file(cfgdir, need_engine):
    path = cfgdir.write(worker_config(), worker_js=BROKEN)
    plan, diags = diags_of(path)
    (d,) = [d for d in diags if d.code == "js-syntax"]
    assert plan is None
    assert d.file.endswith("worker.js") and d.line == 3 and d.column > 0
    assert 'module "worker"' in d.message and "SyntaxError" in d.message


def test_syntax_error_in_inline_module_points_at_the_config_line(cfgdir, need_engine):
    text = worker_config(modules='(name = "worker", esModule = embed "worker.js"),\n'
                                 '    (name = "inline.js", esModule = "export const x = ;")')
    path = cfgdir.write(text)
    plan, diags = diags_of(path)
    (d,) = [d for d in diags if d.code == "js-syntax"]
    assert d.file == path and d.line == 12
    assert 'module "inline.js" (line 1 of the module)' in d.message


def test_syntax_error_in_service_worker_script(cfgdir, need_engine):
    text = HEADER + '''const config :Workerd.Config = (
  services = [ (name = "sw", worker = (serviceWorkerScript = embed "sw.js", compatibilityDate = "2024-01-01")) ],
);
'''
    path = cfgdir.write(text, **{"sw.js": "addEventListener('fetch', e => {\n  e.respondWith(;\n});\n"})
    plan, diags = diags_of(path)
    (d,) = [d for d in diags if d.code == "js-syntax"]
    assert d.file.endswith("sw.js") and d.line == 2


def test_service_worker_syntax_is_a_script_not_a_module(cfgdir, need_engine):
    text = HEADER + '''const config :Workerd.Config = (
  services = [ (name = "sw", worker = (serviceWorkerScript = "export default 1;", compatibilityDate = "2024-01-01")) ],
);
'''
    plan, diags = diags_of(cfgdir.write(text))
    assert codes(diags) == ["js-syntax"]


def test_commonjs_module_may_return_at_top_level(cfgdir, need_engine):
    text = worker_config(modules='(name = "worker", esModule = embed "worker.js"),\n'
                                 '    (name = "cjs.js", commonJsModule = "if (module) return; exports.x = 1;"),\n'
                                 '    (name = "bad.js", commonJsModule = "exports.x = ;")')
    plan, diags = diags_of(cfgdir.write(text))
    assert [d.message.split(":")[1].strip() for d in diags if d.code == "js-syntax"] == ['module "bad.js" (line 1 of the module)']


def test_valid_modules_pass(cfgdir, need_engine):
    js = 'import { x } from "./lib.js";\nexport default { async fetch() { await null; return new Response(String(x)); } };\n'
    text = worker_config(modules='(name = "worker", esModule = embed "worker.js"),\n'
                                 '    (name = "lib.js", esModule = "export const x = await Promise.resolve(1);")')
    plan, diags = diags_of(cfgdir.write(text, worker_js=js))
    assert plan is not None and not diags, diags
