"""HostClass(receiver_chain=True): accessors work for objects that inherit from an instance."""
import pytest

from workerd_py import engine


class Holder:
    def __init__(self):
        self.sets = []


CLS = engine.HostClass("ChainProbe", getters={"value": lambda o: 41 + 1},
                       setters={"value": lambda o, v: o.sets.append(v)}, receiver_chain=True)
PLAIN = engine.HostClass("PlainProbe", getters={"value": lambda o: 1})


def test_global_object_inherits_host_accessors():
    ctx = engine.Runtime().new_context()
    h = Holder()
    ctx.globals.get("Object").get("setPrototypeOf").call(ctx.globals, ctx.wrap(CLS, h))
    assert ctx.eval("value") == 42
    ctx.eval("globalThis.value = 7")
    assert h.sets == [7]
    with pytest.raises(engine.JSError) as e:
        ctx.eval("notDefinedAnywhere")
    assert e.value.name == "ReferenceError"
    assert ctx.eval("typeof globalThis.hasOwnProperty") == "function"


def test_without_receiver_chain_it_is_illegal_invocation():
    ctx = engine.Runtime().new_context()
    ctx.globals.get("Object").get("setPrototypeOf").call(ctx.globals, ctx.wrap(PLAIN, Holder()))
    with pytest.raises(engine.JSError) as e:
        ctx.eval("value")
    assert e.value.name == "TypeError" and "Illegal invocation" in e.value.message
