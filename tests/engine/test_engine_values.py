"""Value conversion between Python and JS (engine/README.md, "Values")."""
import math

import pytest

from workerd_py import engine


@pytest.fixture
def ctx():
    rt = engine.Runtime()
    c = rt.new_context()
    yield c
    c.close()


def test_primitives_js_to_py(ctx):
    assert ctx.eval("1 + 2") == 3
    assert type(ctx.eval("1 + 2")) is int
    assert ctx.eval("1.5") == 1.5
    assert type(ctx.eval("2 ** 31")) is float
    assert type(ctx.eval("2 ** 30")) is int
    assert type(ctx.eval("4 / 2")) is int
    assert math.copysign(1, ctx.eval("-0")) == -1.0
    assert math.isnan(ctx.eval("NaN"))
    assert ctx.eval("true") is True and ctx.eval("false") is False
    assert ctx.eval("null") is None
    assert ctx.eval("undefined") is engine.undefined
    assert not engine.undefined and repr(engine.undefined) == "undefined"


def test_primitives_py_to_js(ctx):
    f = ctx.eval("(x) => typeof x + ':' + String(x)")
    assert f(None) == "object:null"
    assert f(engine.undefined) == "undefined:undefined"
    assert f(True) == "boolean:true"
    assert f(3) == "number:3"
    assert f(2 ** 40) == "number:1099511627776"
    assert f(1.25) == "number:1.25"
    assert f("s") == "string:s"
    assert f(engine.BigInt(5)) == "bigint:5"
    assert f(engine.BigInt(10 ** 30)) == "bigint:" + str(10 ** 30)
    assert f(engine.BigInt(-(10 ** 30))) == "bigint:" + str(-(10 ** 30))


def test_bigint_roundtrip(ctx):
    for src, want in [("5n", 5), ("-(2n ** 100n)", -(2 ** 100)), ("0n", 0), ("2n**63n", 2 ** 63)]:
        v = ctx.eval(src)
        assert isinstance(v, engine.BigInt) and v == want
        assert ctx.eval("(x) => x")(v) == want
        assert isinstance(ctx.eval("(x) => x")(v), engine.BigInt)


def test_strings_nul_and_non_bmp(ctx):
    samples = ["", "a\0b", "\0" * 10, "héllo", "日本語", "😀 emoji \U0010ffff", "mixed\0😀\0é",
               "x" * 100000 + "\0" + "y"]
    ident = ctx.eval("(s) => s")
    length = ctx.eval("(s) => s.length")
    for s in samples:
        assert ident(s) == s
        utf16_len = len(s.encode("utf-16-le")) // 2
        assert length(s) == utf16_len
    assert ctx.eval("'a\\u0000b'") == "a\0b"
    assert ctx.eval("'\\u{1F600}'") == "😀"
    assert ctx.eval("'😀'.length") == 2


def test_lone_surrogates(ctx):
    # JS strings may hold lone surrogates; Python str can too (surrogatepass)
    s = ctx.eval("'a\\uD800b'")
    assert s == "a\ud800b"
    assert ctx.eval("(s) => s.charCodeAt(1)")("a\udc00b") == 0xDC00
    assert ctx.eval("(s) => s.length")("\ud800\U0001F600") == 3


def test_string_representations(ctx):
    # ropes (long concatenations), latin1 and wide strings all come back intact
    assert ctx.eval("let r = 'a'.repeat(5000); for (let i = 0; i < 5; i++) r = r + r; r") == "a" * 160000
    assert ctx.eval("'é'.repeat(3)") == "ééé"
    assert ctx.eval("'x' + 'ÿ' + '\\u0100'") == "xÿĀ"
    assert ctx.eval("String.fromCharCode(0xe9, 0)") == "é\0"


def test_bytes_roundtrip_1mib_with_nuls(ctx):
    data = bytes(range(256)) * 4096  # 1 MiB, with NUL bytes
    assert len(data) == 1 << 20
    u8 = ctx.eval("(b) => b")(data)
    assert u8.class_name == "Uint8Array"
    assert bytes(u8) == data
    assert ctx.eval("(b) => b.length")(data) == 1 << 20
    assert ctx.eval("(b) => b[0] === 0 && b[1] === 1 && b[256] === 0")(data) is True
    mv = memoryview(u8)
    assert mv.nbytes == 1 << 20 and mv[5] == 5
    mv.release()
    ab = ctx.eval("new Uint8Array([0, 1, 0, 2]).buffer")
    assert ab.class_name == "ArrayBuffer" and bytes(ab) == b"\0\1\0\2"
    view = ctx.eval("new Uint16Array(new Uint8Array([9, 0, 7, 0, 5, 0]).buffer, 2, 2)")
    assert bytes(view) == b"\7\0\5\0"
    dv = ctx.eval("new DataView(new Uint8Array([1, 2, 3, 4]).buffer, 1, 2)")
    assert bytes(dv) == b"\2\3"
    assert bytes(ctx.new_arraybuffer(b"\0a\0")) == b"\0a\0"
    assert bytes(ctx.new_uint8array(bytearray(b"xy\0"))) == b"xy\0"
    assert bytes(ctx.eval("(b) => b")(memoryview(b"abc")[1:])) == b"bc"
    assert bytes(ctx.eval("new Uint8Array(0)")) == b""


def test_js_writes_through_buffer(ctx):
    u8 = ctx.eval("globalThis.u = new Uint8Array(4); u")
    memoryview(u8)[1] = 200
    assert ctx.eval("u[1]") == 200


def test_containers(ctx):
    obj = ctx.eval("(o) => o")({"a": 1, "b": [1, "two", None, {"c": True}], 3: "x"})
    assert sorted(obj.keys()) == ["3", "a", "b"]
    assert obj["a"] == 1 and obj.get("b")[1] == "two" and obj["b"][3]["c"] is True
    assert len(obj["b"]) == 4 and obj["b"].is_array
    assert ctx.json_stringify({"a": [1, 2, (3, 4)]}) == '{"a":[1,2,[3,4]]}'
    assert ctx.json_parse('{"x": [1, 2.5, "s", null]}')["x"][2] == "s"
    assert ctx.json_stringify(engine.undefined) is engine.undefined
    arr = ctx.new_array([1, 2, 3])
    assert len(arr) == 3 and arr[2] == 3
    o = ctx.new_object()
    o["k"] = "v"
    o.set("n", 5)
    assert o.has("k") and "n" in o and "zz" not in o
    o.delete("k")
    del o["n"]
    assert o.keys() == []
    assert ctx.new_object({"a": 1})["a"] == 1
    with pytest.raises(TypeError):
        ctx.to_js(object())


def test_handles(ctx):
    g = ctx.globals
    g["x"] = 42
    assert ctx.eval("x") == 42
    f = ctx.eval("(function (a, b) { return [this && this.tag, a, b] })")
    assert f.is_function and f.typeof == "function"
    r = f.call(1, 2, this={"tag": "T"})
    assert [r[0], r[1], r[2]] == ["T", 1, 2]
    assert f(3, 4)[1] == 3
    d = ctx.eval("Date").construct(0)
    assert d.class_name == "Date"
    sym = ctx.eval("Symbol('s')")
    assert sym.typeof == "symbol"
    o = ctx.eval("globalThis.o = {}; o")
    assert o == ctx.eval("o") and o != ctx.eval("({})")
    assert hash(o) == hash(ctx.eval("o"))
    assert o.same_value(ctx.eval("o"))
    assert ctx.eval("[1,2]").is_array and not o.is_array
    assert ctx.eval("new Error('x')").is_error
    assert "Object" in repr(o)
    assert ctx.eval("new Map()").class_name == "Map"
    many = ctx.eval("(...a) => a.length")
    assert many(*range(50)) == 50


def test_python_functions(ctx):
    calls = []

    def fn(*args):
        calls.append(args)
        return {"n": len(args)}

    jsfn = ctx.new_function(fn, "myfn", 2)
    assert ctx.eval("(f) => [f.name, f.length]")(jsfn)[0] == "myfn"
    ctx.globals["fn"] = jsfn
    assert ctx.eval("fn(1, 'a', null, undefined).n") == 4
    assert calls[0] == (1, "a", None, engine.undefined)
    ctx.globals["w"] = ctx.new_function(lambda this, a: (this, a), with_this=True)
    r = ctx.eval("w.call({q: 1}, 5)")
    assert r[0]["q"] == 1 and r[1] == 5
    # plain callables convert automatically; generators become JS iterators
    ctx.globals["gen"] = lambda: iter([1, 2, 3])
    assert ctx.eval("[...gen()].join()") == "1,2,3"
    assert ctx.eval("Array.from(gen()).length") == 3


def test_foreign_and_closed_values():
    rt1, rt2 = engine.Runtime(), engine.Runtime()
    c1, c2 = rt1.new_context(), rt2.new_context()
    o = c1.eval("({})")
    with pytest.raises(engine.EngineError):
        c2.eval("(x) => x")(o)
    # same runtime, other context: allowed
    c3 = rt1.new_context()
    assert c3.eval("(x) => typeof x")(o) == "object"
    c1.close()
    with pytest.raises(engine.EngineError):
        o.get("x")
    with pytest.raises(engine.EngineError):
        c1.eval("1")
    with pytest.raises(engine.EngineError):
        bytes(o)
    assert c1.closed and "closed" in repr(o)
    c1.close()  # idempotent


def test_tune_malloc_keeps_working(ctx):
    assert engine.tune_malloc() in (True, False)
    data = bytes(1 << 20)
    assert bytes(ctx.eval("(b) => b")(data)) == data
