"""Value bindings, service bindings, entrypoints, props and JS RPC: ours vs the real workerd."""
from __future__ import annotations

import http.client
import json
import os
import shutil
import subprocess

import pytest

from support import ours_and_real, stop_process, ROOT, free_port, our_workerd, real_workerd, wait_port, write_config

MAIN_JS = r"""
export default {
  async fetch(request, env) {
    const url = new URL(request.url);
    switch (url.pathname) {
      case "/values":
        return Response.json({
          text: env.TEXT,
          data: [...new Uint8Array(env.DATA)],
          dataType: Object.prototype.toString.call(env.DATA),
          json: env.JSON,
          envSet: env.FROM_ENV,
          envUnset: env.FROM_ENV_UNSET,
        });
      case "/service": {
        const r = await env.BACKEND.fetch("http://backend/echo?x=1", { method: "POST", body: "ping", headers: { "x-a": "b" } });
        return new Response(await r.text(), { status: r.status, headers: { "x-backend": r.headers.get("x-backend") } });
      }
      case "/entrypoint":
        return env.ADMIN.fetch("http://admin/");
      case "/rpc":
        return Response.json({ sum: await env.ADMIN.add(2, 3), obj: await env.ADMIN.echo({ a: [1, "x", null] }) });
      case "/stream": {
        const r = await env.BACKEND.fetch("http://backend/stream", { method: "POST", body: request.body });
        return new Response(r.body, { headers: { "content-type": "application/octet-stream" } });
      }
    }
    return new Response("not found", { status: 404 });
  },
};
"""

BACKEND_JS = r"""
import { WorkerEntrypoint } from "cloudflare:workers";
export default {
  async fetch(request, env, ctx) {
    const url = new URL(request.url);
    if (url.pathname === "/stream") return new Response(request.body);
    const body = await request.text();
    return new Response(`${request.method} ${url.pathname}${url.search} ${body} ${request.headers.get("x-a")}`,
      { status: 201, headers: { "x-backend": "yes" } });
  },
};
export class Admin extends WorkerEntrypoint {
  async fetch(request) { return Response.json({ admin: true, props: this.ctx.props }); }
  add(a, b) { return a + b; }
  echo(v) { return v; }
}
"""


def config(port):
    return f"""
using Workerd = import "/workerd/workerd.capnp";
const config :Workerd.Config = (
  services = [
    (name = "main", worker = (
      modules = [(name = "main.js", esModule = embed "main.js")],
      compatibilityDate = "2024-10-01",
      bindings = [
        (name = "TEXT", text = "some text"),
        (name = "DATA", data = 0x"010203ff"),
        (name = "JSON", json = "{{\\"a\\": [1, 2, {{\\"b\\": null}}]}}"),
        (name = "FROM_ENV", fromEnvironment = "WORKERD_PY_TEST_VAR"),
        (name = "FROM_ENV_UNSET", fromEnvironment = "WORKERD_PY_TEST_UNSET_VAR"),
        (name = "BACKEND", service = "backend"),
        (name = "ADMIN", service = (name = "backend", entrypoint = "Admin", props = (json = "{{\\"role\\": \\"owner\\"}}"))),
      ])),
    (name = "backend", worker = (
      modules = [(name = "backend.js", esModule = embed "backend.js")],
      compatibilityDate = "2024-10-01")),
  ],
  sockets = [(name = "http", address = "127.0.0.1:{port}", http = (), service = "main")]
);
"""


class Run:
    def __init__(self, cmd, tmp):
        self.port = free_port()
        cfg = write_config(tmp, config(self.port), {"main.js": MAIN_JS, "backend.js": BACKEND_JS})
        env = dict(os.environ, WORKERD_PY_TEST_VAR="from the environment")
        env.pop("WORKERD_PY_TEST_UNSET_VAR", None)
        self.proc = subprocess.Popen(cmd + ["serve", cfg], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
        wait_port(self.port, self.proc)

    def get(self, path, method="GET", body=None):
        c = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
        c.request(method, path, body=body)
        r = c.getresponse()
        out = (r.status, r.getheader("x-backend"), r.read())
        c.close()
        return out

    def stop(self):
        return stop_process(self.proc)


ours, real = ours_and_real(Run)


def test_value_bindings(ours):
    status, _, body = ours.get("/values")
    assert status == 200
    assert json.loads(body) == {"text": "some text", "data": [1, 2, 3, 255], "dataType": "[object ArrayBuffer]",
                                "json": {"a": [1, 2, {"b": None}]}, "envSet": "from the environment", "envUnset": None}


def test_service_binding(ours):
    assert ours.get("/service") == (201, "yes", b"POST /echo?x=1 ping b")


def test_entrypoint_and_props(ours):
    status, _, body = ours.get("/entrypoint")
    assert status == 200 and json.loads(body) == {"admin": True, "props": {"role": "owner"}}


def test_rpc(ours):
    status, _, body = ours.get("/rpc")
    assert status == 200 and json.loads(body) == {"sum": 5, "obj": {"a": [1, "x", None]}}


def test_streaming_through_binding(ours):
    blob = os.urandom(3 * 1024 * 1024)
    status, _, body = ours.get("/stream", "POST", blob)
    assert status == 200 and body == blob


@pytest.mark.parametrize("path,method,body", [("/values", "GET", None), ("/service", "GET", None),
                                              ("/entrypoint", "GET", None), ("/rpc", "GET", None),
                                              ("/stream", "POST", b"x" * 100000), ("/nope", "GET", None)])
def test_same_as_real_workerd(ours, real, path, method, body):
    assert ours.get(path, method, body) == real.get(path, method, body)


def test_nanoservices_sample(tmp_path):
    port = free_port()
    proc = subprocess.Popen(our_workerd() + ["serve", os.path.join(ROOT, "samples/nanoservices/config.capnp"),
                                             "-s", f"http=127.0.0.1:{port}"], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    try:
        wait_port(port, proc)
        c = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        c.request("GET", "/items?id=7")
        r = c.getresponse()
        assert r.status == 401 and r.read() == b"unauthorized\n"
        c.request("POST", "/items", body=b"new item", headers={"Authorization": "Bearer secret-alice"})
        r = c.getresponse()
        assert r.status == 200
        assert json.loads(r.read()) == {"user": "alice", "path": "/items", "body": "new item",
                                        "greeting": "hello from the config"}
    finally:
        proc.terminate()
        proc.wait(10)
