"""Static checks of JavaScript module text: syntax (through the engine), imports and exports (textual).

The textual scanners tokenize JS just enough to skip comments, strings and template literals, then
look for `import ... from "x"`, `import "x"`, `export ... from "x"` and export declarations. They
are conservative: when a module's exports cannot be known for sure (e.g. `export * from`), the
caller is told so and skips the checks that depend on them.
"""
from __future__ import annotations

import posixpath
import re
import threading
from dataclasses import dataclass, field
from typing import Optional

_IDENT_START = re.compile(r"[A-Za-z_$\u0080-\uffff]")
_IDENT = re.compile(r"[A-Za-z0-9_$\u0080-\uffff]*")


@dataclass
class Tok:
    kind: str  # "id", "str", "punct"
    text: str
    line: int


def tokenize(src: str, limit: int = 2_000_000) -> list[Tok]:
    """Identifiers, string literals (value) and punctuation; comments/templates/regexes skipped."""
    toks: list[Tok] = []
    i, n, line = 0, min(len(src), limit), 1
    prev_sig = ""  # previous significant token text, to guess regex vs division
    while i < n:
        c = src[i]
        if c == "\n":
            line += 1
            i += 1
            continue
        if c in " \t\r\f\v\ufeff\u00a0\u2028\u2029":
            i += 1
            continue
        if c == "/" and i + 1 < n and src[i + 1] == "/":
            j = src.find("\n", i)
            i = n if j < 0 else j
            continue
        if c == "/" and i + 1 < n and src[i + 1] == "*":
            j = src.find("*/", i + 2)
            seg = src[i:(n if j < 0 else j + 2)]
            line += seg.count("\n")
            i = n if j < 0 else j + 2
            continue
        if c in "\"'":
            j = i + 1
            buf = []
            while j < n and src[j] != c and src[j] != "\n":
                if src[j] == "\\" and j + 1 < n:
                    if src[j + 1] == "\n":
                        line += 1
                    buf.append(src[j:j + 2])
                    j += 2
                    continue
                buf.append(src[j])
                j += 1
            toks.append(Tok("str", _unescape("".join(buf)), line))
            prev_sig = "str"
            i = j + 1
            continue
        if c == "`":
            # template literal: skip, including nested ${ } (roughly)
            j = i + 1
            depth = 0
            while j < n:
                d = src[j]
                if d == "\\":
                    j += 2
                    continue
                if d == "\n":
                    line += 1
                if depth == 0 and d == "`":
                    break
                if d == "$" and j + 1 < n and src[j + 1] == "{":
                    depth += 1
                    j += 2
                    continue
                if d == "}" and depth > 0:
                    depth -= 1
                j += 1
            toks.append(Tok("punct", "`", line))
            prev_sig = "`"
            i = j + 1
            continue
        if c == "/" and (prev_sig in ("", "(", ",", "=", ":", "[", "!", "&", "|", "?", "{", "}", ";",
                                       "return", "typeof", "case", "+", "-", "*", "%", "<", ">",
                                       "~", "^", "=>")):
            # a regex literal
            j = i + 1
            in_class = False
            while j < n and src[j] != "\n":
                d = src[j]
                if d == "\\":
                    j += 2
                    continue
                if d == "[":
                    in_class = True
                elif d == "]":
                    in_class = False
                elif d == "/" and not in_class:
                    break
                j += 1
            j += 1
            while j < n and (src[j].isalnum()):
                j += 1
            toks.append(Tok("punct", "/re/", line))
            prev_sig = "/re/"
            i = j
            continue
        if _IDENT_START.match(c):
            m = _IDENT.match(src, i + 1)
            word = src[i:m.end()]
            toks.append(Tok("id", word, line))
            prev_sig = word if word in ("return", "typeof", "case") else "id"
            i = m.end()
            continue
        if c.isdigit():
            j = i + 1
            while j < n and (src[j].isalnum() or src[j] in "._"):
                j += 1
            toks.append(Tok("punct", "0", line))
            prev_sig = "0"
            i = j
            continue
        if src.startswith("=>", i):
            toks.append(Tok("punct", "=>", line))
            prev_sig = "=>"
            i += 2
            continue
        toks.append(Tok("punct", c, line))
        prev_sig = c if c not in ")]" else ")"
        i += 1
    return toks


def _unescape(s: str) -> str:
    if "\\" not in s:
        return s
    try:
        return s.encode("latin-1", "backslashreplace").decode("unicode_escape")
    except Exception:
        return s


@dataclass
class ModuleScan:
    imports: list[tuple[str, int]] = field(default_factory=list)  # (specifier, line)
    exports: set[str] = field(default_factory=set)
    exports_complete: bool = True  # False when `export *` or a destructuring export hides names


def scan_module(src: str) -> ModuleScan:
    toks = tokenize(src)
    out = ModuleScan()
    n = len(toks)
    for i, t in enumerate(toks):
        if t.kind != "id" or t.text not in ("import", "export"):
            continue
        prev = toks[i - 1] if i > 0 else None
        if prev is not None and prev.text in (".", "?."):
            continue
        nxt = toks[i + 1] if i + 1 < n else None
        if nxt is None:
            continue
        if t.text == "import":
            if nxt.text in ("(", "."):
                continue  # dynamic import() / import.meta
            if nxt.kind == "str":
                out.imports.append((nxt.text, nxt.line))
                continue
            # import a, {b as c}, * as d from "x"
            for j in range(i + 1, min(n, i + 400)):
                u = toks[j]
                if u.text == ";" or (u.kind == "id" and u.text in ("import", "export") and j > i + 1
                                     and toks[j - 1].text != "as"):
                    break
                if u.kind == "id" and u.text == "from" and j + 1 < n and toks[j + 1].kind == "str":
                    out.imports.append((toks[j + 1].text, toks[j + 1].line))
                    break
            continue
        # export
        if nxt.text == "default":
            out.exports.add("default")
            continue
        if nxt.text in ("class", "function"):
            k = i + 2
            if k < n and toks[k].text == "*":
                k += 1
            if k < n and toks[k].kind == "id":
                out.exports.add(toks[k].text)
            continue
        if nxt.text == "async" and i + 2 < n and toks[i + 2].text == "function":
            k = i + 3
            if k < n and toks[k].text == "*":
                k += 1
            if k < n and toks[k].kind == "id":
                out.exports.add(toks[k].text)
            continue
        if nxt.text in ("const", "let", "var"):
            k = i + 2
            depth = 0
            expect_name = True
            while k < n and k < i + 5000:
                u = toks[k]
                if u.text in ("{", "[") and expect_name and depth == 0:
                    out.exports_complete = False  # destructuring: names not tracked
                    break
                if u.text in ("(", "[", "{"):
                    depth += 1
                elif u.text in (")", "]", "}"):
                    if depth == 0:
                        break
                    depth -= 1
                elif depth == 0 and u.text == ";":
                    break
                elif depth == 0 and u.text == ",":
                    expect_name = True
                elif depth == 0 and u.kind == "id" and expect_name:
                    out.exports.add(u.text)
                    expect_name = False
                elif depth == 0 and u.kind == "id" and u.text in ("export", "import", "const", "let",
                                                                   "var", "function", "class"):
                    break
                k += 1
            continue
        if nxt.text == "*":
            # export * from "x"  |  export * as ns from "x"
            k = i + 2
            if k + 1 < n and toks[k].text == "as":
                name_tok = toks[k + 1]
                out.exports.add(name_tok.text)
                k += 2
            else:
                out.exports_complete = False
            if k + 1 < n and toks[k].text == "from" and toks[k + 1].kind == "str":
                out.imports.append((toks[k + 1].text, toks[k + 1].line))
            continue
        if nxt.text == "{":
            k = i + 2
            names: list[str] = []
            while k < n and toks[k].text != "}" and k < i + 5000:
                u = toks[k]
                if u.kind in ("id", "str"):
                    if k + 2 < n and toks[k + 1].text == "as":
                        names.append(toks[k + 2].text)
                        k += 3
                        continue
                    names.append(u.text)
                k += 1
            out.exports.update(names)
            if k + 2 < n and toks[k + 1].text == "from" and toks[k + 2].kind == "str":
                out.imports.append((toks[k + 2].text, toks[k + 2].line))
            continue
        # `export enum` (TS), `export type`... unknown forms
        out.exports_complete = False
    return out


BUILTIN_PREFIXES = ("node:", "cloudflare:", "workerd:")


def resolve_specifier(referrer: str, spec: str) -> str:
    """Resolve an import specifier to a module name, as workerd's module registry does."""
    if spec.startswith("./") or spec.startswith("../"):
        base = posixpath.dirname(referrer)
        name = posixpath.normpath(posixpath.join("/" + base, spec)).lstrip("/")
        return name
    if spec.startswith("/"):
        return posixpath.normpath(spec).lstrip("/")
    return spec


# ------------------------------------------------------------------------------------------------
# Syntax check through the engine (lazily imported; skipped until the engine is built)
# ------------------------------------------------------------------------------------------------

_engine_lock = threading.Lock()
_engine_state: dict = {}


def engine_available() -> bool:
    try:
        import workerd_py.engine._quickjs  # noqa: F401
        from workerd_py import engine  # noqa: F401
        return True
    except Exception:
        return False


@dataclass
class SyntaxProblem:
    line: int       # 1-based line inside the module's text (0 if unknown)
    column: int
    message: str


_STACK_RE_CACHE: dict[str, re.Pattern] = {}


def warm() -> None:
    """Import the engine and make the checking context now (before forking children)."""
    if "ctx" in _engine_state or _engine_state.get("unavailable"):
        return
    try:
        from workerd_py import engine
        import workerd_py.engine._quickjs  # noqa: F401
        with _engine_lock:
            rt = engine.Runtime()
            _engine_state["rt"] = rt
            _engine_state["ctx"] = rt.new_context()
    except Exception:
        _engine_state["unavailable"] = True


def check_syntax(src: str, filename: str, module: bool = True) -> Optional[SyntaxProblem]:
    """Compile (never run) the text; a SyntaxProblem when the engine rejects it, None when it
    compiles or when the engine is not built yet (the check is then skipped)."""
    try:
        from workerd_py import engine
        import workerd_py.engine._quickjs  # noqa: F401
    except Exception:
        return None
    with _engine_lock:
        try:
            ctx = _engine_state.get("ctx")
            if ctx is None:
                rt = engine.Runtime()
                ctx = rt.new_context()
                _engine_state["rt"] = rt
                _engine_state["ctx"] = ctx
            ctx.compile(src, filename, module=module)
            return None
        except engine.JSError as e:
            msg = str(getattr(e, "message", "") or e)
            name = getattr(e, "name", "") or "SyntaxError"
            stack = str(getattr(e, "stack", "") or "")
            line, col = 0, 0
            pat = _STACK_RE_CACHE.get(filename)
            if pat is None:
                pat = re.compile(re.escape(filename) + r":(\d+)(?::(\d+))?")
                _STACK_RE_CACHE[filename] = pat
            m = pat.search(stack) or pat.search(msg)
            if m:
                line = int(m.group(1))
                col = int(m.group(2) or 0)
            if name and not msg.startswith(name):
                msg = f"{name}: {msg}"
            return SyntaxProblem(line, col, msg)
        except Exception as e:  # an engine problem must not break validation
            _engine_state.clear()
            return SyntaxProblem(0, 0, f"could not compile: {type(e).__name__}: {e}")
