"""workerd_py.engine: the JavaScript engine (quickjs-ng) as Python objects.

A thin shim over the C extension `_quickjs` (see README.md for the contract).
Imports nothing else from workerd_py.
"""
from __future__ import annotations

__all__ = [
    "Runtime", "Context", "JSObject", "HostClass", "SyntheticModule", "BigInt", "undefined",
    "UndefinedType", "EngineError", "JSError", "Interrupted", "OutOfMemory", "DOMError", "Throw",
    "quickjs_version", "tune_malloc",
]


class EngineError(Exception):
    """Misuse of the engine: a closed context, a value from another runtime, ..."""


class JSError(Exception):
    """A JavaScript exception that reached Python.

    name, message: of the thrown Error ("" name for a thrown non-error); stack: the JS stack
    ("" if none); value: the thrown value itself (JSObject or primitive).
    """

    def __init__(self, message="", name="Error", stack="", value=None):
        super().__init__(message)
        self.name = name
        self.message = message
        self.stack = stack
        self.value = value
        if stack:
            self.add_note("JavaScript stack:\n" + stack.rstrip("\n"))

    def __str__(self):
        return f"{self.name}: {self.message}" if self.name else self.message

    def __reduce__(self):
        return (type(self), (self.message, self.name, self.stack, None))


class Interrupted(JSError):
    """JS ran past the runtime's deadline (uncatchable in JS)."""


class OutOfMemory(JSError):
    """The runtime's memory limit was reached."""


class DOMError(Exception):
    """Raise from a host function to throw `new DOMException(message, name)` in JS."""

    def __init__(self, name, message=""):
        super().__init__(name, message)
        self.name = name
        self.message = message

    def __str__(self):
        return f"{self.name}: {self.message}"


class Throw(Exception):
    """Raise from a host function to throw `value` (any value) in JS."""

    def __init__(self, value):
        super().__init__(value)
        self.value = value


class BigInt(int):
    """A JavaScript BigInt (an int that converts back to a BigInt, not a Number)."""

    __slots__ = ()

    def __repr__(self):
        return f"BigInt({int(self)})"


class SyntheticModule:
    """Returned by a module loader: a module whose exports are the dict's items."""

    __slots__ = ("exports",)

    def __init__(self, exports):
        if not isinstance(exports, dict):
            raise TypeError("SyntheticModule needs a dict of exports")
        self.exports = exports

    def __repr__(self):
        return f"SyntheticModule({list(self.exports)!r})"


from . import _quickjs  # noqa: E402

_quickjs._setup(
    BigInt=BigInt, SyntheticModule=SyntheticModule, EngineError=EngineError, JSError=JSError,
    Interrupted=Interrupted, OutOfMemory=OutOfMemory, DOMError=DOMError, Throw=Throw,
)

Runtime = _quickjs.Runtime
Context = _quickjs.Context
JSObject = _quickjs.JSObject
HostClass = _quickjs.HostClass
undefined = _quickjs.undefined
UndefinedType = _quickjs.UndefinedType
quickjs_version = _quickjs.quickjs_version
tune_malloc = _quickjs.tune_malloc
