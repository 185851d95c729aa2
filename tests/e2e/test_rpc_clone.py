"""JS RPC through service bindings carries structured clones (V8 serialization), not JSON: ours vs
the real workerd.

A caller worker calls methods of a WorkerEntrypoint (and of a default-export object) in another
worker and answers a JSON report of what it got back: values of every clonable kind, what the
target saw, thrown errors and rejections, DataCloneErrors. Two pairs of workers: one without and
one with `enhanced_error_serialization` (workerd keeps an error's own properties, custom name and
cause over RPC only when both sides have it). Both runtimes must give the same report.

Not compared (this runtime lacks them): functions and RpcTarget objects, which workerd passes as
stubs (here: a clear DataCloneError, see test_functions_are_a_clear_error); Request, Headers and
streams over RPC; `await env.SVC.property`; stack frames (only each error's first line is
compared); DOMException's own-property layout (QuickJS keeps name/message/code on the prototype).
"""
from __future__ import annotations

import http.client
import json
import subprocess

import pytest

from support import free_port, ours_and_real, stop_process, wait_port, write_config

TARGET_JS = r"""
import { WorkerEntrypoint } from "cloudflare:workers";
class MyError extends Error { constructor(m) { super(m); this.name = "MyError"; this.code = 42; } }
class Foo { constructor() { this.x = 1; } }
const kinds = (a) => a.map((v) => Object.prototype.toString.call(v) + ":" + typeof v);
export class Api extends WorkerEntrypoint {
  constructor(ctx, env) { super(ctx, env); this.instanceProp = 5; }
  echo(v) { return v; }
  count(...a) { return a.length; }
  kinds(...a) { return kinds(a); }
  seen(m) { return [m instanceof Map, m.get("self") === m, m.get("d") instanceof Date, m.get("d").getTime()]; }
  nothing() {}
  async later(v) { await null; return [v, v]; }
  throwType() { throw new TypeError("bad type"); }
  throwRange() { throw new RangeError("out of range"); }
  throwCustom() { throw new MyError("custom one"); }
  throwCause() { throw new Error("outer", { cause: new RangeError("inner") }); }
  throwEmpty() { throw new TypeError(); }
  throwAggregate() { throw new AggregateError([new Error("a")], "several"); }
  throwDom() { throw new DOMException("it was aborted", "AbortError"); }
  throwString() { throw "just a string"; }
  throwObject() { throw { code: 7 }; }
  throwInstance() { throw new Foo(); }
  throwNull() { throw null; }
  async reject() { throw new Error("rejected!"); }
  rejectPromise() { return Promise.reject(new SyntaxError("syntax")); }
  returnFoo() { return new Foo(); }
  returnSymbol() { return Symbol("s"); }
  async returnWeakMap() { return new WeakMap(); }
  alarm() { return "never"; }
}
export default {
  fetch() { return new Response("target"); },
  one(v, env, ctx) { return [v, typeof env, typeof ctx.waitUntil]; },
};
"""

CALLER_JS = r"""
// a text description of a value: kinds, contents, -0/NaN, shared and circular references
const d = (v, seen = new Map(), path = "$") => {
  if (v === undefined) return "undefined";
  if (v === null) return "null";
  switch (typeof v) {
    case "number": return Object.is(v, -0) ? "-0" : "num:" + String(v);
    case "bigint": return "bigint:" + v;
    case "string": return "str:" + JSON.stringify(v);
    case "boolean": return "bool:" + v;
    case "symbol": case "function": return typeof v;
  }
  if (seen.has(v)) return "ref:" + seen.get(v);
  seen.set(v, path);
  const proto = Object.getPrototypeOf(v);
  const ctor = proto === null ? "null" : proto.constructor.name;
  if (v instanceof Date) return "Date:" + v.getTime();
  if (v instanceof RegExp) return "RegExp:" + v.source + "/" + v.flags + " lastIndex=" + v.lastIndex;
  if (v instanceof Map) return "Map{" + [...v].map(([a, b], i) => d(a, seen, path + ".k" + i) + "=>" + d(b, seen, path + ".v" + i)).join(",") + "}";
  if (v instanceof Set) return "Set{" + [...v].map((a, i) => d(a, seen, path + ".s" + i)).join(",") + "}";
  if (v instanceof ArrayBuffer) return "ArrayBuffer[" + [...new Uint8Array(v)] + "]";
  if (ArrayBuffer.isView(v)) return ctor + "(" + v.byteOffset + "," + v.byteLength + ")[" + [...new Uint8Array(v.buffer, v.byteOffset, v.byteLength)] + "] buffer=" + v.buffer.byteLength;
  if (v instanceof Error) return err(v, seen, path);
  if (Array.isArray(v)) {
    const items = [];
    for (let i = 0; i < v.length; i++) items.push(i in v ? d(v[i], seen, path + "[" + i + "]") : "<hole>");
    const extra = Object.keys(v).filter((k) => !(String(Number(k)) === k && Number(k) < v.length));
    return "[" + items.join(",") + "]" + (extra.length ? "+{" + extra.map((k) => k + ":" + d(v[k], seen, path + "." + k)).join(",") + "}" : "");
  }
  const tag = Object.prototype.toString.call(v);
  if (tag !== "[object Object]") return tag + "(" + d(v.valueOf(), seen, path + ".value") + ")";
  return ctor + "{" + Object.keys(v).map((k) => k + ":" + d(v[k], seen, path + "." + k)).join(",") + "}";
};
// an error: class, name, message, first stack line, own properties (with enumerability), cause
const err = (e, seen = new Map(), path = "$") => {
  const ctor = Object.getPrototypeOf(e).constructor.name;
  const out = { ctor, name: e.name, message: e.message, str: String(e) };
  if (e instanceof DOMException) { out.code = e.code; out.remote = e.remote; return JSON.stringify(out); }
  out.stack0 = String(e.stack).split("\n")[0];
  out.own = Object.getOwnPropertyNames(e).sort().map((k) => k + (Object.getOwnPropertyDescriptor(e, k).enumerable ? "*" : ""));
  for (const k of Object.keys(e)) if (k !== "cause") out["." + k] = d(e[k], seen, path + "." + k);
  if ("cause" in e) out.cause = d(e.cause, seen, path + ".cause");
  return JSON.stringify(out);
};
const run = async (f) => {
  try { return "ok " + d(await f()); } catch (e) { return "threw " + (e instanceof Error ? err(e) : "non-error " + d(e)); }
};
// errors made in the caller (DataCloneError): their stacks are local, only name and message count
const local = async (f) => {
  try { return "ok " + d(await f()); } catch (e) { return "threw " + e.constructor.name + " " + e.name + ": " + e.message; }
};

export default {
  async fetch(request, env) {
    const A = env.API, D = env.DEF;
    const cyc = { a: 1 }; cyc.self = cyc; cyc.list = [cyc, { back: cyc }];
    const shared = { s: 1 };
    const u8 = new Uint8Array([1, 2, 3, 4, 5]);
    const sparse = [1, , 3]; sparse.extra = "x";
    const m = new Map([["d", new Date(5)]]); m.set("self", m);
    const re = /a+b/gi; re.lastIndex = 3;
    const withCode = new Error("coded"); withCode.code = "E_CODE";
    class MyError extends Error { constructor(msg) { super(msg); this.name = "MyError"; } }
    const renamed = new RangeError("renamed"); renamed.name = "Renamed";
    let reads = 0;
    const getter = { get g() { reads++; return "got"; } };
    const cases = {
      undefined: () => A.echo(undefined),
      null: () => A.echo(null),
      numbers: () => A.echo([NaN, Infinity, -Infinity, -0, 0, 2 ** 31, -(2 ** 30) - 1, 1.5, Number.MAX_SAFE_INTEGER]),
      bigint: () => A.echo([12345678901234567890123n, -5n, 0n]),
      strings: () => A.echo(["", "x\u00e9", "\u4e2d\u6587", "a".repeat(100), "\u00ff".repeat(60), "\u4e2d".repeat(60), "\ud800 lone", "\ud83d\ude00".repeat(30)]),
      date: () => A.echo(new Date(1700000000000)),
      invalidDate: () => A.echo(new Date(NaN)),
      map: () => A.echo(new Map([[1, "a"], ["b", { c: 2 }], [{ k: 1 }, [1]]])),
      set: () => A.echo(new Set([1, "x", null, 2n, { o: 1 }])),
      regexp: () => A.echo(re),
      uint8array: () => A.echo(u8),
      subarray: () => A.echo(new Uint8Array(u8.buffer, 1, 3)),
      arraybuffer: () => A.echo(u8.buffer),
      float64array: () => A.echo(new Float64Array([1.5, -0, NaN])),
      dataview: () => A.echo(new DataView(new ArrayBuffer(4), 1, 2)),
      views: () => A.echo([new Int16Array([-1, 2]), new BigInt64Array([-1n]), new Uint8ClampedArray([255])]),
      cycles: async () => { const r = await A.echo(cyc); return [r.self === r, r.list[0] === r, r.list[1].back === r, d(r)]; },
      shared: async () => { const r = await A.echo([shared, shared]); return [r[0] === r[1], d(r)]; },
      sparse: () => A.echo(sparse),
      nested: () => A.echo({ a: { b: { c: [1, { d: undefined, e: null }] } }, [Symbol("k")]: 1 }),
      boxed: () => A.echo([new Number(3), new String("s"), new Boolean(false), Object(4n)]),
      protoKey: () => A.echo(JSON.parse('{"__proto__": 5}')),
      getterReadOnce: async () => { const r = await A.echo(getter); return [reads, d(r)]; },
      errorValues: () => A.echo([new TypeError("passed"), new Error("with cause", { cause: 5 }), withCode, new MyError("mine"), renamed, new AggregateError([1], "agg")]),
      seenByTarget: () => A.kinds(new Date(0), /x/, new Map(), u8, undefined, null, 1n, new Set(), [], {}),
      mapInTarget: () => A.seen(m),
      argumentCount: () => A.count(1, undefined, undefined),
      noArguments: () => A.count(),
      returnsNothing: () => A.nothing(),
      asyncResult: async () => { const r = await A.later(shared); return [r[0] === r[1], d(r)]; },
      defaultObject: () => D.one(new Set([1])),
      throwType: () => A.throwType(),
      throwRange: () => A.throwRange(),
      throwCustom: () => A.throwCustom(),
      throwCause: () => A.throwCause(),
      throwEmpty: () => A.throwEmpty(),
      throwAggregate: () => A.throwAggregate(),
      throwDom: () => A.throwDom(),
      throwString: () => A.throwString(),
      throwObject: () => A.throwObject(),
      throwInstance: () => A.throwInstance(),
      throwNull: () => A.throwNull(),
      reject: () => A.reject(),
      rejectPromise: () => A.rejectPromise(),
      returnClassInstance: () => A.returnFoo(),
      returnSymbol: () => A.returnSymbol(),
      returnWeakMap: () => A.returnWeakMap(),
      missingMethod: () => A.noSuchMethod(1),
      instanceProperty: () => A.instanceProp(),
      reservedMethod: () => A.alarm(),
      defaultObjectArgs: () => D.one(1, 2),
      defaultObjectMissing: () => D.nope(1),
    };
    const localCases = {
      passSymbol: () => A.echo(Symbol("q")),
      passWeakMap: () => A.echo(new WeakMap()),
      passPromise: () => A.echo(Promise.resolve(1)),
      passClassInstance: () => A.echo(new (class Foo { constructor() { this.y = 2; } })()),
      passNested: () => A.echo({ x: [new (class Bar {})()] }),
      passNullPrototype: () => A.echo(Object.create(null)),
      passInheriting: () => A.echo(Object.create({ inherited: 1 })),
      passErrorWithSymbolCause: () => A.echo(new Error("x", { cause: Symbol("c") })),
    };
    const out = {};
    for (const [k, f] of Object.entries(cases)) out[k] = await run(f);
    for (const [k, f] of Object.entries(localCases)) out[k] = await local(f);
    out.noSyncThrow = (() => { try { const p = A.echo(Symbol("q")); p.catch(() => {}); return "returned"; } catch (e) { return "threw"; } })();
    return Response.json(out);
  },
};
"""

FUNCTIONS_JS = r"""
export default {
  async fetch(request, env) {
    const out = {};
    for (const [k, f] of Object.entries({
      fn: () => env.API.echo(() => 1),
      nested: () => env.API.echo({ f() {} }),
    })) {
      try { await f(); out[k] = "ok"; } catch (e) { out[k] = [e.constructor.name, e.name, e.message]; }
    }
    return Response.json(out);
  },
};
"""

ENHANCED = 'compatibilityFlags = ["enhanced_error_serialization"]'


def config(ports):
    def pair(caller, target, flags):
        extra = f", {flags}" if flags else ""
        return f"""
    (name = "{caller}", worker = (
      modules = [(name = "caller.js", esModule = embed "caller.js")],
      compatibilityDate = "2024-10-01"{extra},
      bindings = [(name = "API", service = (name = "{target}", entrypoint = "Api")),
                  (name = "DEF", service = "{target}")])),
    (name = "{target}", worker = (
      modules = [(name = "target.js", esModule = embed "target.js")],
      compatibilityDate = "2024-10-01"{extra})),"""
    return f"""
using Workerd = import "/workerd/workerd.capnp";
const config :Workerd.Config = (
  services = [{pair("legacy", "legacy-target", "")}{pair("enhanced", "enhanced-target", ENHANCED)}
    (name = "functions", worker = (
      modules = [(name = "functions.js", esModule = embed "functions.js")],
      compatibilityDate = "2024-10-01",
      bindings = [(name = "API", service = (name = "legacy-target", entrypoint = "Api"))])),
  ],
  sockets = [
    (name = "legacy", address = "127.0.0.1:{ports["legacy"]}", http = (), service = "legacy"),
    (name = "enhanced", address = "127.0.0.1:{ports["enhanced"]}", http = (), service = "enhanced"),
    (name = "functions", address = "127.0.0.1:{ports["functions"]}", http = (), service = "functions"),
  ]
);
"""


class Run:
    def __init__(self, cmd, tmp):
        self.ports = {name: free_port() for name in ("legacy", "enhanced", "functions")}
        cfg = write_config(tmp, config(self.ports), {"caller.js": CALLER_JS, "target.js": TARGET_JS,
                                                      "functions.js": FUNCTIONS_JS})
        self.proc = subprocess.Popen(cmd + ["serve", cfg], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for port in self.ports.values():
            wait_port(port, self.proc)
        self.reports = {}

    def report(self, which):
        """The caller's JSON report (one request per runtime and pair)."""
        if which not in self.reports:
            c = http.client.HTTPConnection("127.0.0.1", self.ports[which], timeout=30)
            c.request("GET", "/")
            r = c.getresponse()
            body = r.read()
            c.close()
            assert r.status == 200, body
            self.reports[which] = json.loads(body)
        return self.reports[which]

    def stop(self):
        return stop_process(self.proc)


ours, real = ours_and_real(Run)


@pytest.mark.parametrize("which", ["legacy", "enhanced"])
def test_same_as_real_workerd(ours, real, which):
    mine, theirs = ours.report(which), real.report(which)
    assert mine.keys() == theirs.keys()
    diffs = {k: (mine[k], theirs[k]) for k in mine if mine[k] != theirs[k]}
    assert not diffs, json.dumps(diffs, indent=1)


def _error(report, case):
    text = report[case]
    assert text.startswith("threw {"), text
    return json.loads(text[len("threw "):])


def test_values_are_structured_clones(ours):
    r = ours.report("legacy")
    assert r["undefined"] == "ok undefined"
    assert r["numbers"].startswith("ok [num:NaN,num:Infinity,num:-Infinity,-0,num:0,")
    assert r["bigint"] == "ok [bigint:12345678901234567890123,bigint:-5,bigint:0]"
    assert r["date"] == "ok Date:1700000000000"
    assert r["map"] == 'ok Map{num:1=>str:"a",str:"b"=>Object{c:num:2},Object{k:num:1}=>[num:1]}'
    assert r["set"] == 'ok Set{num:1,str:"x",null,bigint:2,Object{o:num:1}}'
    assert r["regexp"] == "ok RegExp:a+b/gi lastIndex=0"
    assert r["subarray"] == "ok Uint8Array(1,3)[2,3,4] buffer=5"
    assert r["cycles"].startswith("ok [bool:true,bool:true,bool:true,")
    assert r["shared"].startswith("ok [bool:true,")
    assert r["argumentCount"] == "ok num:3"
    assert r["returnsNothing"] == "ok undefined"
    assert r["mapInTarget"] == "ok [bool:true,bool:true,bool:true,num:5]"
    assert r["getterReadOnce"].startswith("ok [num:1,")
    assert r["noSyncThrow"] == "returned"


def test_thrown_errors(ours):
    legacy, enhanced = ours.report("legacy"), ours.report("enhanced")
    e = _error(legacy, "throwType")
    assert (e["ctor"], e["message"], e["stack0"], e[".remote"]) == ("TypeError", "bad type", "TypeError: bad type", "bool:true")
    # without the flag a custom name survives only in the message; with it, as the error's name
    e = _error(legacy, "throwCustom")
    assert (e["ctor"], e["name"], e["message"]) == ("Error", "Error", "MyError: custom one")
    e = _error(enhanced, "throwCustom")
    assert (e["ctor"], e["name"], e["message"], e[".code"]) == ("Error", "MyError", "custom one", "num:42")
    assert _error(legacy, "throwString")["message"] == "just a string"
    assert _error(legacy, "throwObject")["message"] == "#<Object>"
    assert enhanced["throwObject"] == "threw non-error Object{code:num:7,remote:bool:true}"
    e = _error(legacy, "rejectPromise")
    assert (e["ctor"], e["message"]) == ("SyntaxError", "syntax")
    e = _error(legacy, "throwDom")
    assert (e["ctor"], e["name"], e["message"], e["remote"]) == ("DOMException", "AbortError", "it was aborted", True)
    e = _error(legacy, "returnClassInstance")
    assert e["name"] == "DataCloneError" and e["remote"] is True
    e = _error(legacy, "missingMethod")
    assert e["message"] == 'The RPC receiver does not implement the method "noSuchMethod".'


def test_data_clone_errors_in_the_caller(ours):
    r = ours.report("legacy")
    assert r["passSymbol"] == "threw DOMException DataCloneError: Symbol(q) could not be cloned."
    assert r["passWeakMap"] == "threw DOMException DataCloneError: #<WeakMap> could not be cloned."
    assert r["passClassInstance"] == ('threw DOMException DataCloneError: Could not serialize object of type "Foo". '
                                      'This type does not support serialization.')


def test_functions_are_a_clear_error(ours):
    """workerd passes functions as RPC stubs; this runtime refuses them with a DataCloneError that says so."""
    r = ours.report("functions")
    for case in ("fn", "nested"):
        ctor, name, message = r[case]
        assert (ctor, name) == ("DOMException", "DataCloneError")
        assert "stubs" in message and "not supported" in message
