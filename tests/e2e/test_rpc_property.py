"""RPC properties of a service binding (workerd's JsRpcProperty): `await env.SVC.prop` reads a
property of the entrypoint, `env.SVC.method(...)` calls a method, and calling a property that is
not a method is a TypeError. Ours vs the real workerd."""
from __future__ import annotations



from support import Server, http_request, our_workerd, write_config

MAIN_JS = r"""
const show = async (f) => {
  try { const v = await f(); return `ok ${typeof v} ${JSON.stringify(v)}`; }
  catch (e) { return `err ${e.name}: ${e.message}`; }
};
export default {
  async fetch(request, env) {
    const S = env.SVC, D = env.DEF;
    const out = [
      await show(() => S.answer),
      await show(() => S.greeting),
      await show(() => S.add(2, 3)),
      await show(() => S.answer()),
      await show(() => S.missing),
      await show(() => S.missing()),
      await show(() => S.getterValue),
      await show(() => D.value),
      await show(() => D.echo("x")),
      typeof S.add,
    ];
    return new Response(out.join("\n"));
  },
};
"""

SVC_JS = r"""
import { WorkerEntrypoint } from "cloudflare:workers";
export class Api extends WorkerEntrypoint {
  get answer() { return 42; }
  get greeting() { return { hello: "world", list: [1, 2] }; }
  get getterValue() { return `from ${this.ctx.props.who}`; }
  add(a, b) { return a + b; }
}
export default {
  value: "plain",
  echo(v) { return `echo ${v}`; },
  fetch() { return new Response("svc"); },
};
"""


def config():
    return f"""
using Workerd = import "/workerd/workerd.capnp";
const config :Workerd.Config = (
  services = [
    (name = "main", worker = (
      modules = [(name = "main.js", esModule = embed "main.js")],
      compatibilityDate = "2024-10-01",
      bindings = [
        (name = "SVC", service = (name = "svc", entrypoint = "Api", props = (json = "{{\\"who\\": \\"props\\"}}"))),
        (name = "DEF", service = "svc"),
      ])),
    (name = "svc", worker = (
      modules = [(name = "svc.js", esModule = embed "svc.js")],
      compatibilityDate = "2024-10-01")),
  ],
  sockets = [(name = "http", address = "*:8080", http = (), service = "main")]
);
"""


def run(cmd, tmp):
    with Server(cmd, write_config(tmp, config(), {"main.js": MAIN_JS, "svc.js": SVC_JS})) as srv:
        status, _headers, body = http_request(srv.port)
        return status, body.decode()


EXPECTED = [
    'ok number 42',
    'ok object {"hello":"world","list":[1,2]}',
    'ok number 5',
    'err TypeError: "answer" is not a function.',
    'err TypeError: The RPC receiver does not implement the method "missing".',
    'err TypeError: The RPC receiver does not implement the method "missing".',
    'ok string "from props"',
    'ok string "plain"',
    'ok string "echo x"',
    'function',
]


def test_rpc_properties(tmp_path):
    status, body = run(our_workerd(), tmp_path)
    assert status == 200
    assert body.split("\n") == EXPECTED


def test_same_as_real_workerd(tmp_path, real_workerd_bin):
    path = real_workerd_bin
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    assert run(our_workerd(), tmp_path / "a") == run([path], tmp_path / "b")
