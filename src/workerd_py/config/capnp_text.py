"""A small, forgiving reader of capnp config TEXT, only to find where values are written.

pycapnp gives no positions of values, so error messages would have no line numbers. This module
tokenizes the config file, parses `const NAME :Type = VALUE;` declarations into trees of positioned
nodes, and answers "where is services[2].worker.bindings[0].name written?" by walking the same path
through the text, following `.constName` references to other constants of the same file.

It never raises on bad input: whatever it cannot parse it skips, and a lookup it cannot finish
returns the deepest position it reached (or None). The capnp compiler stays the judge of validity.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Optional, Union

Pos = tuple[int, int]  # 1-based line, 1-based column

_TOKEN_RE = re.compile(r"""
    (?P<ws>[ \t\r\n]+)
  | (?P<comment>\#[^\n]*)
  | (?P<string>"(?:[^"\\\n]|\\.)*")
  | (?P<bytes>0x"[^"]*")
  | (?P<number>-?(?:0[xX][0-9a-fA-F]+|[0-9]+(?:\.[0-9]*)?(?:[eE][+-]?[0-9]+)?))
  | (?P<ident>[A-Za-z_][A-Za-z0-9_]*)
  | (?P<punct>[()\[\]{}=,;:.@$])
  | (?P<other>.)
""", re.VERBOSE | re.DOTALL)


@dataclass
class Token:
    kind: str
    text: str
    pos: Pos


@dataclass
class Node:
    """A value in the text: kind is "struct", "list", "string", "embed", "ref", "scalar"."""
    kind: str
    pos: Pos
    end: Pos = (0, 0)
    fields: dict[str, tuple[Pos, "Node"]] = field(default_factory=dict)  # struct: name -> (key pos, value)
    items: list["Node"] = field(default_factory=list)  # list
    text: str = ""  # string value (unescaped, best effort), ref name, embed path, scalar text


def tokenize(src: str) -> list[Token]:
    toks: list[Token] = []
    line, col = 1, 1
    for m in _TOKEN_RE.finditer(src):
        kind = m.lastgroup or "other"
        text = m.group()
        if kind not in ("ws", "comment"):
            toks.append(Token(kind, text, (line, col)))
        nl = text.count("\n")
        if nl:
            line += nl
            col = len(text) - text.rfind("\n")
        else:
            col += len(text)
    return toks


def _unquote(s: str) -> str:
    body = s[1:-1]
    if "\\" not in body:
        return body
    out = []
    i = 0
    esc = {"n": "\n", "t": "\t", "r": "\r", "\\": "\\", '"': '"', "'": "'", "0": "\0"}
    while i < len(body):
        c = body[i]
        if c == "\\" and i + 1 < len(body):
            out.append(esc.get(body[i + 1], body[i + 1]))
            i += 2
        else:
            out.append(c)
            i += 1
    return "".join(out)


class _Parser:
    def __init__(self, toks: list[Token]):
        self.toks = toks
        self.i = 0

    def peek(self, k: int = 0) -> Optional[Token]:
        j = self.i + k
        return self.toks[j] if j < len(self.toks) else None

    def next(self) -> Optional[Token]:
        t = self.peek()
        if t is not None:
            self.i += 1
        return t

    def at(self, text: str, k: int = 0) -> bool:
        t = self.peek(k)
        return t is not None and t.text == text

    def skip_balanced(self) -> None:
        """Skip one token, or a whole bracketed group if it opens one."""
        pairs = {"(": ")", "[": "]", "{": "}"}
        t = self.next()
        if t is None or t.text not in pairs:
            return
        stack = [pairs[t.text]]
        while stack:
            t = self.next()
            if t is None:
                return
            if t.text in pairs:
                stack.append(pairs[t.text])
            elif t.text == stack[-1]:
                stack.pop()

    def value(self, depth: int = 0) -> Node:
        t = self.peek()
        if t is None:
            return Node("scalar", (0, 0))
        if depth > 200:
            self.skip_balanced()
            return Node("scalar", t.pos)
        if t.text == "(":
            return self.struct(depth)
        if t.text == "[":
            return self.list(depth)
        if t.kind == "string":
            self.next()
            parts = [_unquote(t.text)]
            while self.peek() is not None and self.peek().kind == "string":
                parts.append(_unquote(self.next().text))
            return Node("string", t.pos, text="".join(parts))
        if t.text == "embed":
            self.next()
            s = self.peek()
            if s is not None and s.kind == "string":
                self.next()
                return Node("embed", t.pos, text=_unquote(s.text))
            return Node("embed", t.pos)
        if t.text == "." or t.kind == "ident":
            # .constRef, Qualified.name, enum value, true/false/void, inf/nan
            name = []
            start = t.pos
            while True:
                u = self.peek()
                if u is None:
                    break
                if u.text == ".":
                    name.append(".")
                    self.next()
                elif u.kind == "ident" and (not name or name[-1] == "."):
                    name.append(u.text)
                    self.next()
                else:
                    break
            text = "".join(name)
            if text in ("true", "false", "void", "inf", "nan"):
                return Node("scalar", start, text=text)
            if "." in text:
                return Node("ref", start, text=text)
            return Node("scalar", start, text=text)  # enum value
        self.next()
        return Node("scalar", t.pos, text=t.text)

    def struct(self, depth: int) -> Node:
        open_tok = self.next()
        node = Node("struct", open_tok.pos)
        while True:
            t = self.peek()
            if t is None:
                return node
            if t.text == ")":
                self.next()
                node.end = t.pos
                return node
            if t.text == ",":
                self.next()
                continue
            if t.kind == "ident" and self.at("=", 1):
                self.next()
                self.next()
                node.fields[t.text] = (t.pos, self.value(depth + 1))
                continue
            if t.text in ("]", "}", ";"):
                return node  # unbalanced: give up on this struct
            # a bare value, e.g. ( "text" ) shorthand: keep as positional
            node.items.append(self.value(depth + 1))

    def list(self, depth: int) -> Node:
        open_tok = self.next()
        node = Node("list", open_tok.pos)
        while True:
            t = self.peek()
            if t is None:
                return node
            if t.text == "]":
                self.next()
                node.end = t.pos
                return node
            if t.text == ",":
                self.next()
                continue
            if t.text in (")", "}", ";"):
                return node
            node.items.append(self.value(depth + 1))

    def parse_file(self) -> dict[str, tuple[Pos, Node]]:
        consts: dict[str, tuple[Pos, Node]] = {}
        while self.peek() is not None:
            t = self.peek()
            if t.text == "const" and self.peek(1) is not None and self.peek(1).kind == "ident":
                self.next()
                name_tok = self.next()
                # skip ": Type" up to "="
                while self.peek() is not None and not self.at("=") and not self.at(";"):
                    self.skip_balanced()
                if self.at("="):
                    self.next()
                    val = self.value()
                    consts.setdefault(name_tok.text, (name_tok.pos, val))
                continue
            self.skip_balanced()
        return consts


Step = Union[str, int]


class TextIndex:
    """Positions of values in one config file's text."""

    def __init__(self, src: str, file: str):
        self.file = file
        self.lines = src.splitlines()
        try:
            self.consts = _Parser(tokenize(src)).parse_file()
        except Exception:  # never let position-finding break validation
            self.consts = {}

    def const_pos(self, name: str) -> Optional[Pos]:
        c = self.consts.get(name)
        return c[0] if c else None

    def _resolve(self, node: Optional[Node], seen: int = 0) -> Optional[Node]:
        while node is not None and node.kind == "ref" and seen < 50:
            name = node.text.lstrip(".")
            if "." in name:
                return node  # qualified (imported) const: not in this file
            c = self.consts.get(name)
            if c is None:
                return node
            node = c[1]
            seen += 1
        return node

    def find(self, const: Optional[str], path: tuple[Step, ...]) -> Optional[Pos]:
        """Position for `path` inside const `const`: the field name's position for a field step, the
        value's position for a list index. Returns the deepest position reached."""
        if const is None or const not in self.consts:
            return None
        best: Optional[Pos] = self.consts[const][0]
        node: Optional[Node] = self.consts[const][1]
        for step in path:
            node = self._resolve(node)
            if node is None:
                break
            if isinstance(step, int):
                if node.kind == "list" and 0 <= step < len(node.items):
                    node = node.items[step]
                    best = node.pos
                else:
                    break
            else:
                if node.kind == "struct" and step in node.fields:
                    kpos, node = node.fields[step]
                    best = kpos
                elif node.kind == "string" and step == "name":
                    best = node.pos  # ServiceDesignator written as a plain string
                    break
                else:
                    break
        return best

    def node(self, const: Optional[str], path: tuple[Step, ...]) -> Optional[Node]:
        """The value node at `path` (following const references), or None."""
        if const is None or const not in self.consts:
            return None
        node: Optional[Node] = self.consts[const][1]
        for step in path:
            node = self._resolve(node)
            if node is None:
                return None
            if isinstance(step, int):
                if node.kind == "list" and 0 <= step < len(node.items):
                    node = node.items[step]
                else:
                    return None
            elif node.kind == "struct" and step in node.fields:
                node = node.fields[step][1]
            else:
                return None
        return self._resolve(node)

    def value_pos(self, const: Optional[str], path: tuple[Step, ...]) -> Optional[Pos]:
        n = self.node(const, path)
        return n.pos if n is not None else None

    def search(self, needle: str) -> Optional[Pos]:
        """First occurrence of a literal string in the text (fallback when the path walk fails)."""
        for i, line in enumerate(self.lines):
            j = line.find(needle)
            if j >= 0:
                return (i + 1, j + 1)
        return None
