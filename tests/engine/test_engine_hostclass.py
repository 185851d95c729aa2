"""engine.HostClass: Python classes exposed as JS classes."""
import pytest

from workerd_py import engine


class Bag:
    def __init__(self, *items):
        self.items = list(items)
        self.label = "bag"


def _add(self, *xs):
    self.items.extend(xs)
    return len(self.items)


def _set_label(self, v):
    if not isinstance(v, str):
        raise TypeError("label must be a string")
    self.label = v


BAG = engine.HostClass(
    "Bag",
    constructor=Bag,
    methods={"add": (_add, 1), "get": lambda self, i: self.items[i], "values": lambda self: iter(self.items),
             "self": lambda self, this: this},
    getters={"size": lambda self: len(self.items), "label": lambda self: self.label},
    setters={"label": _set_label, "writeonly": lambda self, v: setattr(self, "w", v)},
    static_methods={"of": lambda *xs: list(xs)},
    constants={"KIND": 7, "NAME": "bag", "RATIO": 0.5},
    iterator="values",
    length=0,
)


class Special(Bag):
    pass


SPECIAL = engine.HostClass("SpecialBag", constructor=Special, parent=BAG,
                           methods={"special": lambda self: "yes"})
NO_CTOR = engine.HostClass("Opaque", methods={"ping": lambda self: "pong"})
WITH_THIS = engine.HostClass("WithThis", constructor=lambda: object(), with_this=True,
                             methods={"me": lambda self, this, x: (this, x)})


@pytest.fixture
def ctx():
    c = engine.Runtime().new_context()
    for cls in (BAG, SPECIAL, NO_CTOR, WITH_THIS):
        c.install(cls)
    return c


def test_construct_methods_getters_setters(ctx):
    r = ctx.eval("""
        const b = new Bag(1, 2);
        const n = b.add(3, 4);
        b.label = 'renamed';
        [n, b.size, b.get(0), b.label, b instanceof Bag, typeof Bag, Bag.name, Bag.length,
         Bag.prototype.add.length, Object.prototype.toString.call(b), Bag.of(1, 2).length,
         Bag.KIND, b.KIND, Bag.NAME, Bag.RATIO, [...b].join()]
    """)
    assert list(r) == [4, 4, 1, "renamed", True, "function", "Bag", 0, 1, "[object Bag]", 2,
                       7, 7, "bag", 0.5, "1,2,3,4"]
    b = ctx.eval("b")
    py = ctx.unwrap(b)
    assert isinstance(py, Bag) and py.items == [1, 2, 3, 4] and py.label == "renamed"
    assert ctx.unwrap(b, BAG) is py
    assert ctx.eval("b.writeonly = 5; b.writeonly") is engine.undefined
    assert py.w == 5


def test_errors_from_methods(ctx):
    assert ctx.eval("try { new Bag().label = 3 } catch (e) { e instanceof TypeError && e.message }") \
        == "label must be a string"
    assert ctx.eval("try { new Bag().get(5) } catch (e) { e.message }") == "list index out of range"


def test_illegal_invocation(ctx):
    r = ctx.eval("""
        const out = [];
        for (const f of [() => Bag.prototype.add.call({}),
                         () => Bag.prototype.add.call(Object.create(Bag.prototype)),
                         () => Object.getOwnPropertyDescriptor(Bag.prototype, 'size').get.call(1),
                         () => Object.getOwnPropertyDescriptor(Bag.prototype, 'label').set.call({}, 'x'),
                         () => SpecialBag.prototype.special.call(new Bag())]) {
            try { f(); out.push('no error') } catch (e) { out.push(e.name + ': ' + e.message) }
        }
        out
    """)
    assert list(r) == ["TypeError: Illegal invocation"] * 5


def test_illegal_constructor_and_call_without_new(ctx):
    assert ctx.eval("try { new Opaque() } catch (e) { e.name + ': ' + e.message }") \
        == "TypeError: Illegal constructor"
    assert ctx.eval("try { Bag() } catch (e) { e.name }") == "TypeError"
    o = ctx.wrap(NO_CTOR, object())
    ctx.globals["o"] = o
    assert ctx.eval("o.ping()") == "pong"
    assert ctx.eval("o instanceof Opaque") is True


def test_inheritance(ctx):
    r = ctx.eval("""
        const s = new SpecialBag('a');
        [s.add('b'), s.size, s.special(), s instanceof SpecialBag, s instanceof Bag,
         Object.getPrototypeOf(SpecialBag) === Bag,
         Object.getPrototypeOf(SpecialBag.prototype) === Bag.prototype, SpecialBag.of(1).length,
         Object.prototype.toString.call(s)]
    """)
    assert list(r) == [2, 2, "yes", True, True, True, True, 1, "[object SpecialBag]"]
    s = ctx.eval("s")
    assert isinstance(ctx.unwrap(s, BAG), Special)
    assert ctx.unwrap(s, SPECIAL) is ctx.unwrap(s)
    assert ctx.unwrap(ctx.eval("new Bag()"), SPECIAL) is None
    assert ctx.unwrap(ctx.eval("({})")) is None
    assert ctx.unwrap(5) is None


def test_js_subclass(ctx):
    r = ctx.eval("""
        class Mine extends Bag {
            constructor() { super(9); this.extra = 1 }
            twice() { return this.size * 2 }
        }
        const m = new Mine();
        [m.add(1), m.twice(), m.extra, m instanceof Bag, m instanceof Mine]
    """)
    assert list(r) == [2, 4, 1, True, True]


def test_with_this(ctx):
    ctx.eval("globalThis.w = new WithThis()")
    r = ctx.eval("w.me(3)")
    assert r[0] == ctx.eval("w") and r[1] == 3


def test_wrap_and_prototype(ctx):
    bag = Bag("x")
    h = ctx.wrap(BAG, bag)
    assert h.class_name == "Bag"
    assert ctx.eval("(b) => b.size + ':' + (b instanceof Bag)")(h) == "1:true"
    proto = ctx.class_prototype(BAG)
    assert ctx.eval("(p) => p === Bag.prototype")(proto) is True


def test_install_under_other_name_and_lazy_class():
    c = engine.Runtime().new_context()
    ctor = c.install(BAG, "Sack")
    assert c.eval("typeof Bag") == "undefined" and c.eval("new Sack(1).size") == 1
    assert ctor.is_function
    # wrapping an uninstalled class builds it without a global
    h = c.wrap(SPECIAL, Special())
    assert c.eval("(s) => s.special()")(h) == "yes"
    assert c.eval("typeof SpecialBag") == "undefined"


def test_classes_in_many_runtimes_and_contexts():
    for _ in range(3):
        rt = engine.Runtime()
        for _ in range(3):
            c = rt.new_context()
            c.install(SPECIAL)
            c.install(BAG)
            assert c.eval("new SpecialBag(1, 2).size + new Bag().size") == 2


def test_invalid_specs():
    with pytest.raises(TypeError):
        engine.HostClass("X", methods={"a": 1})
    with pytest.raises(ValueError):
        engine.HostClass("X", iterator="nope")
    with pytest.raises(ValueError):
        engine.HostClass("Bäd")
    with pytest.raises(TypeError):
        engine.HostClass("X", parent=object())
    assert repr(BAG) == "<HostClass Bag>" and SPECIAL.parent is BAG and BAG.name == "Bag"


def test_instances_are_released():
    import gc
    import weakref

    class Thing:
        pass

    cls = engine.HostClass("Thing", constructor=Thing)
    rt = engine.Runtime()
    c = rt.new_context()
    c.install(cls)
    c.eval("globalThis.t = new Thing()")
    ref = weakref.ref(c.unwrap(c.eval("t")))
    c.eval("t = null")
    rt.gc()
    gc.collect()
    assert ref() is None
