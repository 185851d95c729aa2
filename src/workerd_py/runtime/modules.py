"""Module registry of one worker: resolves specifiers and supplies modules to the engine.

Module names are the config's names (e.g. "worker.js", "lib/util.js"). A relative specifier is
resolved against the importing module's name as a URL path would be; bare specifiers must name a
module of the worker or a built-in (e.g. "cloudflare:workers", supplied by the API layer).
"""
from __future__ import annotations

import posixpath

from .. import engine


class ModuleNotFound(Exception):
    pass


def resolve_name(base: str, spec: str) -> str:
    if spec.startswith("./") or spec.startswith("../") or spec.startswith("/"):
        if spec.startswith("/"):
            joined = spec
        else:
            joined = posixpath.join(posixpath.dirname(base or ""), spec)
        norm = posixpath.normpath("/" + joined).lstrip("/")
        return norm
    return spec


class ModuleRegistry:
    """`modules`: list of (name, kind, content) with kind in esModule, commonJsModule, text,
    data, json, wasm. `builtins(name, ctx)` returns an engine.SyntheticModule / source or None."""

    def __init__(self, modules, ctx, builtins=None):
        self.by_name = {}
        for name, kind, content in modules:
            self.by_name[name] = (kind, content)
        self.ctx = ctx
        self.builtins = builtins
        self.bytecode_cache: dict | None = None

    def normalize(self, base: str, spec: str) -> str:
        if spec in self.by_name:
            return spec
        name = resolve_name(base, spec)
        if name in self.by_name:
            return name
        if self.builtins is not None and self.builtins.has(spec):
            return spec
        raise ModuleNotFound(f'No such module "{name}".\n  imported from "{base}"')

    def load(self, name: str):
        entry = self.by_name.get(name)
        if entry is None:
            if self.builtins is not None and self.builtins.has(name):
                return self.builtins.load(name, self.ctx)
            raise ModuleNotFound(f'No such module "{name}".')
        kind, content = entry
        if kind == "esModule":
            if self.bytecode_cache is not None:
                bc = self.bytecode_cache.get(name)
                if bc is not None:
                    return bc
            return content
        if kind == "commonJsModule":
            return commonjs_wrapper(name, content)
        if kind == "text":
            return engine.SyntheticModule({"default": content})
        if kind == "data":
            return engine.SyntheticModule({"default": self.ctx.new_arraybuffer(content)})
        if kind == "json":
            return engine.SyntheticModule({"default": self.ctx.json_parse(content)})
        raise ModuleNotFound(f'Module "{name}" has unsupported type {kind}.')


def commonjs_wrapper(name: str, source: str) -> str:
    """An ES module running a CommonJS body; `require` reaches other modules of the worker."""
    return (
        "import { __cjsRequire } from 'workerd-internal:cjs';\n"
        "const module = { exports: {} }; const exports = module.exports;\n"
        f"(function (exports, require, module, __filename, __dirname) {{ {source}\n}})"
        f"(exports, (s) => __cjsRequire({name!r}, s), module, {name!r}, {posixpath.dirname(name)!r});\n"
        "export default module.exports;\n"
    )
