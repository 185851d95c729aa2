"""WebSockets end to end: a worker accepts a WebSocket (WebSocketPair, accept, send, close),
directly and behind a service binding. Ours vs the real workerd: the same client sees the same
frames, close codes and reasons, handshake answers and errors."""
from __future__ import annotations

import asyncio
import base64
import os
import socket
import subprocess
import time

import aiohttp
import pytest
from wsproto import ConnectionType, WSConnection
from wsproto.events import (AcceptConnection, BytesMessage, CloseConnection, Pong, Ping, Request,
                            TextMessage)

from support import free_port, ours_and_real, stop_process, wait_port, write_config

MAIN_JS = r"""
let closes = 0, aborts = 0;
const pair = () => Object.values(new WebSocketPair());
export default {
  async fetch(request, env) {
    const url = new URL(request.url);
    const p = url.pathname;
    if (p === "/stats") return new Response(`closes=${closes} aborts=${aborts}`);
    if (p === "/api") {
      const show = (f) => { try { return "ok " + String(f()); } catch (e) { return `err ${e.name}: ${e.message}`; } };
      const pr = new WebSocketPair();
      const [c, s] = Object.values(pr);
      return new Response([
        Object.keys(pr).join(","), String(pr), Object.prototype.toString.call(s), "onmessage" in s,
        s.readyState, WebSocket.OPEN, WebSocket.READY_STATE_CLOSED, [...new WebSocketPair()].length,
        show(() => s.send("x")), show(() => s.close(1000)),
        show(() => { s.accept(); return s.readyState; }),
        show(() => s.close(1005)), show(() => s.close(999)), show(() => s.close(undefined, "r")),
        show(() => s.send(123)), show(() => s.accept()),
        show(() => { s.close(1000, "bye"); return s.readyState; }),
        show(() => s.send("after")), show(() => s.close(1000)),
        show(() => new Response(null, { status: 101 })),
        show(() => new Response("x", { status: 101, webSocket: c })),
        typeof MessageEvent, typeof CloseEvent, typeof ErrorEvent,
        new CloseEvent("close", { code: 1000, reason: "r", wasClean: true }).code,
        new MessageEvent("message", { data: "d" }).data,
      ].join("\n"));
    }
    if (p === "/local") {
      const [a, b] = pair();
      const log = [];
      a.accept();
      a.send("early");
      b.accept();
      b.addEventListener("message", (e) => log.push("b got " + e.data));
      a.addEventListener("close", (e) => log.push(`a close ${e.code} ${e.reason} ${e.wasClean} ${a.readyState}`));
      b.addEventListener("close", (e) => { log.push(`b close ${e.code} ${e.reason} ${e.wasClean} ${b.readyState}`); b.close(e.code, e.reason); });
      await new Promise((r) => setTimeout(r, 10));
      a.close(4001, "done");
      log.push("a after close " + a.readyState);
      await new Promise((r) => setTimeout(r, 10));
      log.push("final " + a.readyState + " " + b.readyState);
      return new Response(log.join("\n"));
    }
    const [client, server] = pair();
    if (p === "/close") {
      server.accept();
      server.close(4000, "bye");
      return new Response(null, { status: 101, webSocket: client, headers: { "x-custom": "1" } });
    }
    if (p === "/accepted") {
      server.accept();
      client.accept();
      return new Response(null, { status: 101, webSocket: client });
    }
    server.accept();
    if (p === "/greet") server.send("hello first");   // before the 101 is written
    server.addEventListener("message", (e) => {
      if (typeof e.data !== "string") { server.send(e.data); return; }
      if (e.data === "close-me") { server.close(4010, "as asked"); return; }
      if (e.data === "state") { server.send(`state ${server.readyState}`); return; }
      server.send("echo " + e.data);
    });
    server.addEventListener("close", (e) => {
      closes++;
      if (e.code === 1006) { aborts++; return; }
      if (server.readyState !== WebSocket.CLOSED) server.close(e.code === 1005 ? 1000 : e.code, e.reason);
    });
    const headers = {};
    if (request.headers.get("sec-websocket-protocol")) headers["Sec-WebSocket-Protocol"] = "chat";
    return new Response(null, { status: 101, webSocket: client, headers });
  },
};
"""

FRONT_JS = r"""
export default {
  async fetch(request, env) {
    const url = new URL(request.url);
    if (url.pathname === "/tap") {
      // the front accepts the backend's socket itself and relays with a prefix
      const res = await env.BACKEND.fetch(request);
      const upstream = res.webSocket;
      if (!upstream) return new Response("no websocket", { status: 502 });
      upstream.accept();
      const [client, server] = Object.values(new WebSocketPair());
      server.accept();
      server.addEventListener("message", (e) => upstream.send(e.data));
      upstream.addEventListener("message", (e) => server.send("tap: " + e.data));
      server.addEventListener("close", (e) => upstream.close(e.code, e.reason));
      upstream.addEventListener("close", (e) => server.close(e.code, e.reason));
      return new Response(null, { status: 101, webSocket: client });
    }
    const res = await env.BACKEND.fetch(request);
    return res;
  },
};
"""


PROXY_JS = r"""
export default {
  async fetch(request, env) {
    const url = new URL(request.url);
    if (url.pathname === "/relay") {
      // the worker is the client: fetch() with Upgrade, accept the answer's socket
      const res = await fetch(env.ORIGIN + "/echo", { headers: { Upgrade: "websocket" } });
      const ws = res.webSocket;
      if (!ws) return new Response(`no websocket: ${res.status}`);
      ws.accept();
      const got = new Promise((resolve) => ws.addEventListener("message", (e) => resolve(e.data), { once: true }));
      const closed = new Promise((resolve) => ws.addEventListener("close", (e) => resolve(`${e.code} ${e.reason} ${e.wasClean}`)));
      ws.send("from relay");
      const m = await got;
      ws.close(4005, "relay done");
      return new Response(`status=${res.status} got=${m} close=${await closed}`);
    }
    if (url.pathname === "/client" || url.pathname === "/client-fail") {
      const target = env.ORIGIN.replace("http:", "ws:") + (url.pathname === "/client" ? "/echo" : "/stats");
      const ws = new WebSocket(target, url.searchParams.has("proto") ? ["chat", "x"] : undefined);
      const log = [`initial ${ws.readyState} ${ws.url === target} ${ws.protocol} ${ws.extensions}`];
      try { ws.send("x"); } catch (e) { log.push(`send early: ${e.name}: ${e.message}`); }
      try { ws.accept(); } catch (e) { log.push(`accept: ${e.name}: ${e.message}`); }
      await new Promise((resolve) => {
        ws.addEventListener("open", () => { log.push(`open ${ws.readyState} ${ws.protocol}`); ws.send("hi"); /* not extensions: workerd offers permessage-deflate, we do not */ });
        ws.addEventListener("message", (e) => { log.push("message " + e.data); ws.close(1000, "bye"); });
        ws.addEventListener("close", (e) => { log.push(`close ${e.code} ${e.reason} ${e.wasClean} ${ws.readyState}`); resolve(); });
        ws.addEventListener("error", (e) => { log.push(`error ${e.message}`); });
      });
      const show = (f) => { try { f(); return "ok"; } catch (e) { return `${e.name}: ${e.message}`; } };
      log.push(show(() => new WebSocket("http://x")), show(() => new WebSocket("ws://x/#f")),
               show(() => new WebSocket("ws://x", [])), show(() => new WebSocket("ws://x", ["a", "a"])),
               show(() => new WebSocket("ws://x", "a b")), show(() => new WebSocket("nope")));
      return new Response(log.join("\n"));
    }
    if (url.pathname === "/plain") {
      const res = await fetch(env.ORIGIN + "/stats", { headers: { Upgrade: "websocket" } });
      return new Response(`status=${res.status} ws=${res.webSocket}`);
    }
    // a websocket reverse proxy: the origin's answer goes back to the client as it is
    return fetch(new Request(env.ORIGIN + url.pathname, request));
  },
};
"""


def config(port):
    return f"""
using Workerd = import "/workerd/workerd.capnp";
const config :Workerd.Config = (
  services = [
    (name = "main", worker = (
      modules = [(name = "main.js", esModule = embed "main.js")],
      compatibilityDate = "2024-10-01")),
    (name = "front", worker = (
      modules = [(name = "front.js", esModule = embed "front.js")],
      compatibilityDate = "2024-10-01",
      bindings = [(name = "BACKEND", service = "main")])),
    (name = "proxy", worker = (
      modules = [(name = "proxy.js", esModule = embed "proxy.js")],
      compatibilityDate = "2024-10-01",
      globalOutbound = "loopback",
      bindings = [(name = "ORIGIN", text = "http://127.0.0.1:{port}")])),
    (name = "loopback", network = (allow = ["local"])),
  ],
  sockets = [
    (name = "http", address = "127.0.0.1:{port}", http = (), service = "main"),
    (name = "front", address = "127.0.0.1:{port + 1}", http = (), service = "front"),
    (name = "proxy", address = "127.0.0.1:{port + 2}", http = (), service = "proxy"),
  ]
);
"""


class Runtime:
    def __init__(self, cmd, tmp):
        port = free_port()
        while True:   # the front and proxy sockets take port + 1 and port + 2
            try:
                with socket.socket() as s, socket.socket() as s2:
                    s.bind(("127.0.0.1", port + 1))
                    s2.bind(("127.0.0.1", port + 2))
                break
            except OSError:
                port = free_port()
        self.port = port
        cfg = write_config(tmp, config(port), {"main.js": MAIN_JS, "front.js": FRONT_JS,
                                                "proxy.js": PROXY_JS})
        self.proc = subprocess.Popen(cmd + ["serve", cfg], stdout=subprocess.PIPE,
                                     stderr=subprocess.PIPE, text=True)
        wait_port(port, self.proc)
        wait_port(port + 1, self.proc)
        wait_port(port + 2, self.proc)

    def stop(self):
        return stop_process(self.proc)


ours, real = ours_and_real(Runtime)


KEY = b"MDEyMzQ1Njc4OWFiY2RlZg=="


def raw(port, request: bytes, timeout=3.0) -> bytes:
    """The answer's head (and body when the server closes), as bytes."""
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as s:
        s.sendall(request)
        data = b""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                c = s.recv(65536)
            except socket.timeout:
                break
            if not c:
                break
            data += c
            if data.startswith(b"HTTP/1.1 101") and b"\r\n\r\n" in data:
                return data[:data.index(b"\r\n\r\n") + 4]   # the head only
        return data


def upgrade_request(path="/echo", extra=b"", method=b"GET", version=b"13", key=KEY):
    req = method + b" " + path.encode() + b" HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
    if key is not None:
        req += b"Sec-WebSocket-Key: " + key + b"\r\n"
    if version is not None:
        req += b"Sec-WebSocket-Version: " + version + b"\r\n"
    return req + extra + b"\r\n"


async def session(port, path, script, protocols=()):
    """Runs `script(ws)` with an aiohttp client websocket; returns what it returns."""
    timeout = aiohttp.ClientTimeout(total=10)
    async with aiohttp.ClientSession(timeout=timeout) as sess:
        async with sess.ws_connect(f"http://127.0.0.1:{port}{path}", protocols=protocols,
                                   autoping=False) as ws:
            return await script(ws)


def run(coro):
    return asyncio.run(asyncio.wait_for(coro, 20))


def both(ours, real, fn):
    a = fn(ours)
    b = fn(real)
    assert a == b
    return a


def test_api_surface(ours, real):
    def get(rt):
        import urllib.request
        with urllib.request.urlopen(f"http://127.0.0.1:{rt.port}/api", timeout=5) as r:
            return r.read().decode()
    out = both(ours, real, get)
    assert "ok 1" in out and "InvalidAccessError: Invalid WebSocket close code: 1005." in out


def test_local_pair(ours, real):
    def get(rt):
        import urllib.request
        with urllib.request.urlopen(f"http://127.0.0.1:{rt.port}/local", timeout=5) as r:
            return r.read().decode()
    out = both(ours, real, get)
    assert 'b close 4001 done true 2' in out and out.endswith("final 3 3")


def _echo_script(ws):
    async def go():
        out = []
        await ws.send_str("hello")
        out.append(await ws.receive())
        await ws.send_bytes(b"\x00\x01\xff")
        out.append(await ws.receive())
        await ws.send_str("state")
        out.append(await ws.receive())
        await ws.send_str("x" * 70000)
        m = await ws.receive()
        out.append((m.type, len(m.data)))
        await ws.close(code=4321, message=b"client bye")
        out.append(ws.close_code)
        return [(m.type, m.data) if hasattr(m, "type") else m for m in out]
    return go()


def test_echo_text_binary_close(ours, real):
    out = both(ours, real, lambda rt: run(session(rt.port, "/echo", _echo_script)))
    assert out[0] == (aiohttp.WSMsgType.TEXT, "echo hello")
    assert out[1] == (aiohttp.WSMsgType.BINARY, b"\x00\x01\xff")
    assert out[2] == (aiohttp.WSMsgType.TEXT, "state 1")
    assert out[4] == 4321


def test_server_closes_first(ours, real):
    async def script(ws):
        m = await ws.receive()
        return m.type, m.data, m.extra, ws.close_code
    out = both(ours, real, lambda rt: run(session(rt.port, "/close", script)))
    assert out == (aiohttp.WSMsgType.CLOSE, 4000, "bye", 4000)


def test_close_on_request_and_send_before_101(ours, real):
    async def script(ws):
        first = await ws.receive()
        await ws.send_str("close-me")
        m = await ws.receive()
        return first.data, m.type, m.data, m.extra
    out = both(ours, real, lambda rt: run(session(rt.port, "/greet", script)))
    assert out == ("hello first", aiohttp.WSMsgType.CLOSE, 4010, "as asked")


def _wsproto_session(port, path, frames_fn):
    """A hand-rolled client (wsproto over a socket) for what aiohttp does not do: fragmented
    messages, pings, a close without a code. Returns the events received, as tuples."""
    conn = WSConnection(ConnectionType.CLIENT)
    out = []
    with socket.create_connection(("127.0.0.1", port), timeout=5) as s:
        s.sendall(conn.send(Request(host="x", target=path)))
        closed = False
        deadline = time.monotonic() + 8
        accepted = False
        while not closed and time.monotonic() < deadline:
            data = s.recv(65536)
            if not data:
                break
            conn.receive_data(data)
            for ev in conn.events():
                if isinstance(ev, AcceptConnection):
                    accepted = True
                    for chunk in frames_fn(conn):
                        s.sendall(chunk)
                elif isinstance(ev, TextMessage):
                    out.append(("text", ev.data, ev.message_finished))
                elif isinstance(ev, BytesMessage):
                    out.append(("bytes", bytes(ev.data), ev.message_finished))
                elif isinstance(ev, Pong):
                    out.append(("pong", bytes(ev.payload)))
                elif isinstance(ev, Ping):
                    s.sendall(conn.send(ev.response()))
                elif isinstance(ev, CloseConnection):
                    out.append(("close", ev.code, ev.reason))
                    closed = True
        assert accepted
    return out


def test_fragments_ping_and_empty_close(ours, real):
    def frames(conn):
        return [
            conn.send(Ping(b"p1")),
            conn.send(TextMessage("frag", message_finished=False)),
            conn.send(TextMessage("mented", message_finished=True)),
            conn.send(BytesMessage(b"\x01", message_finished=False)),
            conn.send(BytesMessage(b"\x02\x03", message_finished=True)),
            conn.send(CloseConnection(1005)),   # a close frame without a code
        ]
    out = both(ours, real, lambda rt: _wsproto_session(rt.port, "/echo", frames))
    assert ("pong", b"p1") in out
    assert ("text", "echo fragmented", True) in out
    assert ("bytes", b"\x01\x02\x03", True) in out
    assert out[-1][0] == "close" and out[-1][1] == 1000


def test_handshake_answers(ours, real):
    def heads(rt):
        res = []
        for req in (upgrade_request("/echo"),
                    upgrade_request("/echo", b"Sec-WebSocket-Protocol: chat, foo\r\n"),
                    upgrade_request("/close"),
                    upgrade_request("/echo", key=None),
                    upgrade_request("/echo", version=b"12"),
                    upgrade_request("/echo", version=None),
                    upgrade_request("/echo", method=b"POST", extra=b"Content-Length: 0\r\n"),
                    b"GET /echo HTTP/1.1\r\nHost: x\r\nUpgrade: WebSocket\r\nSec-WebSocket-Key: " + KEY + b"\r\nSec-WebSocket-Version: 13\r\n\r\n",
                    b"GET /echo HTTP/1.1\r\nHost: x\r\n\r\n",
                    b"GET /echo HTTP/1.1\r\nHost: x\r\nUpgrade: h2c\r\nConnection: Upgrade\r\n\r\n"):
            res.append(raw(rt.port, req))
        return res
    out = both(ours, real, heads)
    assert out[0].startswith(b"HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Accept: BACScCJPNqyz+UBoqMH89VmURoA=\r\n")
    assert b"Sec-WebSocket-Protocol: chat\r\n" in out[1]
    assert b"x-custom: 1\r\n" in out[2]
    assert out[3].endswith(b"ERROR: Missing Sec-WebSocket-Key")
    assert out[4].startswith(b"HTTP/1.1 426 Upgrade Required")
    assert out[8].startswith(b"HTTP/1.1 500 Internal Server Error")


def test_accept_then_return_fails(ours, real):
    # workerd writes the 101 and then fails ("Can't return WebSocket in a Response after calling
    # accept()"): the client sees the connection end without a close frame
    def go(rt):
        with socket.create_connection(("127.0.0.1", rt.port), timeout=5) as s:
            s.sendall(upgrade_request("/accepted"))
            data = b""
            deadline = time.monotonic() + 5
            while time.monotonic() < deadline:
                c = s.recv(65536)
                if not c:
                    break
                data += c
            return data.split(b"\r\n")[0], data.endswith(b"\r\n\r\n")
    out = both(ours, real, go)
    assert out == (b"HTTP/1.1 101 Switching Protocols", True)


def test_abrupt_disconnects_are_close_1006(ours, real):
    def go(rt):
        import urllib.request

        def stats_now():
            with urllib.request.urlopen(f"http://127.0.0.1:{rt.port}/stats", timeout=5) as r:
                return [int(x.split("=")[1]) for x in r.read().decode().split()]
        before = stats_now()
        for _ in range(20):
            with socket.create_connection(("127.0.0.1", rt.port), timeout=5) as s:
                s.sendall(upgrade_request("/echo"))
                data = b""
                while b"\r\n\r\n" not in data:
                    data += s.recv(4096)
        deadline = time.monotonic() + 5
        while True:
            after = stats_now()
            stats = (after[0] - before[0], after[1] - before[1])
            if stats == (20, 20) or time.monotonic() > deadline:
                break
            time.sleep(0.1)
        # the worker still serves websockets afterwards
        out = run(session(rt.port, "/echo", _echo_script))
        return stats, out[0]
    stats, first = both(ours, real, go)
    assert stats == (20, 20)
    assert first == (aiohttp.WSMsgType.TEXT, "echo hello")


def test_through_service_binding(ours, real):
    out = both(ours, real, lambda rt: run(session(rt.port + 1, "/echo", _echo_script)))
    assert out[0] == (aiohttp.WSMsgType.TEXT, "echo hello")
    assert out[4] == 4321


def test_through_service_binding_server_close(ours, real):
    async def script(ws):
        m = await ws.receive()
        return m.type, m.data, m.extra
    out = both(ours, real, lambda rt: run(session(rt.port + 1, "/close", script)))
    assert out == (aiohttp.WSMsgType.CLOSE, 4000, "bye")


def test_front_accepts_backend_socket(ours, real):
    async def script(ws):
        await ws.send_str("hi")
        a = await ws.receive()
        await ws.send_bytes(b"\x07")
        b = await ws.receive()
        await ws.close(code=4002, message=b"end")
        return a.data, b.type, b.data, ws.close_code
    out = both(ours, real, lambda rt: run(session(rt.port + 1, "/tap", script)))
    assert out[0] == "tap: echo hi"
    assert out[3] == 4002


def test_compression_and_large_messages(ours, real):
    async def go(port):
        timeout = aiohttp.ClientTimeout(total=15)
        async with aiohttp.ClientSession(timeout=timeout) as sess:
            async with sess.ws_connect(f"http://127.0.0.1:{port}/echo", compress=15,
                                       max_msg_size=0) as ws:
                ext = ws._response.headers.get("Sec-WebSocket-Extensions")
                await ws.send_str("hello " * 200)
                a = await ws.receive()
                await ws.send_bytes(b"\x01" * ((1 << 20) + 1))   # over kj's 1 MiB default
                b = await ws.receive()
                await ws.close()
                return ext, a.data, len(b.data)
    out = both(ours, real, lambda rt: run(go(rt.port)))
    assert out == ("permessage-deflate; client_max_window_bits=15", "echo " + "hello " * 200,
                   (1 << 20) + 1)


def _get(port, path):
    import urllib.request
    with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=10) as r:
        return r.read().decode()


def test_outbound_fetch_upgrade_accepted_by_worker(ours, real):
    out = both(ours, real, lambda rt: _get(rt.port + 2, "/relay"))
    assert out == "status=101 got=echo from relay close=4005 relay done true"


def test_outbound_upgrade_answered_without_websocket(ours, real):
    out = both(ours, real, lambda rt: _get(rt.port + 2, "/plain"))
    assert out == "status=200 ws=null"


def test_websocket_reverse_proxy(ours, real):
    out = both(ours, real, lambda rt: run(session(rt.port + 2, "/echo", _echo_script)))
    assert out[0] == (aiohttp.WSMsgType.TEXT, "echo hello")
    assert out[4] == 4321


def test_websocket_reverse_proxy_server_close(ours, real):
    async def script(ws):
        m = await ws.receive()
        return m.type, m.data, m.extra
    out = both(ours, real, lambda rt: run(session(rt.port + 2, "/close", script)))
    assert out == (aiohttp.WSMsgType.CLOSE, 4000, "bye")


def test_new_websocket_client(ours, real):
    out = both(ours, real, lambda rt: _get(rt.port + 2, "/client"))
    assert "message echo hi" in out and "open 1" in out


def test_new_websocket_client_refused(ours, real):
    out = both(ours, real, lambda rt: _get(rt.port + 2, "/client-fail"))
    assert "close 1006 Failed to establish websocket connection false" in out


def test_new_websocket_client_protocols(ours, real):
    out = both(ours, real, lambda rt: _get(rt.port + 2, "/client?proto"))
    assert "open 1 chat" in out


# ---- newer compatibility dates: websocket_standard_binary_type (2026-03-17: binary messages are
# Blobs unless binaryType = "arraybuffer") and web_socket_auto_reply_to_close (2026-04-07)
NEW_JS = r"""
export default {
  async fetch(request) {
    const [client, server] = Object.values(new WebSocketPair());
    server.accept();
    const log = [];
    server.addEventListener("message", async (e) => {
      if (e.data === "switch") { server.binaryType = "arraybuffer"; server.send("switched"); return; }
      if (e.data === "log") { server.send(log.join(",")); return; }
      const d = e.data;
      server.send(`${typeof d} ${d instanceof ArrayBuffer} ${d instanceof Blob} ${server.binaryType}` +
                  (d instanceof Blob ? ` ${d.size} ${await d.text()}` : ""));
    });
    server.addEventListener("close", (e) => log.push(`close ${e.code} ${e.reason} ${server.readyState}`));
    return new Response(null, { status: 101, webSocket: client });
  },
};
"""


class NewRuntime(Runtime):
    def __init__(self, cmd, tmp):
        self.port = free_port()
        cfg = write_config(tmp, f"""
using Workerd = import "/workerd/workerd.capnp";
const config :Workerd.Config = (
  services = [(name = "main", worker = (modules = [(name = "new.js", esModule = embed "new.js")],
                                        compatibilityDate = "2026-05-01"))],
  sockets = [(name = "http", address = "127.0.0.1:{self.port}", http = (), service = "main")]
);
""", {"new.js": NEW_JS})
        self.proc = subprocess.Popen(cmd + ["serve", cfg], stdout=subprocess.PIPE,
                                     stderr=subprocess.PIPE, text=True)
        wait_port(self.port, self.proc)


ours_new, real_new = ours_and_real(NewRuntime, "_new")


def test_new_dates_blob_and_auto_reply(ours_new, real_new):
    async def script(ws):
        out = []
        for m in ("t", b"ab", "switch", b"cd"):
            await (ws.send_str(m) if isinstance(m, str) else ws.send_bytes(m))
            out.append((await ws.receive()).data)
        await ws.close(code=4100, message=b"why")   # answered by the runtime itself
        out.append(ws.close_code)
        return out
    out = both(ours_new, real_new, lambda rt: run(session(rt.port, "/", script)))
    assert out[1] == "object false true blob 2 ab" and out[3] == "object true false arraybuffer"
    assert out[4] == 4100


# ---- a Durable Object accepting WebSockets (a chat room): two clients, one object
ROOM_JS = r"""
import { DurableObject } from "cloudflare:workers";
export class Room extends DurableObject {
  constructor(state, env) { super(state, env); this.sessions = new Set(); }
  async fetch(request) {
    const [client, server] = Object.values(new WebSocketPair());
    server.accept();
    this.sessions.add(server);
    server.addEventListener("message", (e) => {
      for (const s of this.sessions) s.send(`${this.sessions.size}: ${e.data}`);
    });
    server.addEventListener("close", (e) => {
      this.sessions.delete(server);
      if (e.code !== 1006) server.close(e.code, e.reason);
    });
    return new Response(null, { status: 101, webSocket: client });
  }
}
export default {
  async fetch(request, env) {
    if (request.headers.get("upgrade") !== "websocket") return new Response("expected a websocket", { status: 426 });
    return env.ROOM.get(env.ROOM.idFromName("lobby")).fetch(request);
  },
};
"""


class RoomRuntime(Runtime):
    def __init__(self, cmd, tmp):
        self.port = free_port()
        cfg = write_config(tmp, f"""
using Workerd = import "/workerd/workerd.capnp";
const config :Workerd.Config = (
  services = [(name = "main", worker = (
    modules = [(name = "room.js", esModule = embed "room.js")],
    compatibilityDate = "2024-10-01",
    bindings = [(name = "ROOM", durableObjectNamespace = "Room")],
    durableObjectNamespaces = [(className = "Room", uniqueKey = "room-key")],
    durableObjectStorage = (inMemory = void)))],
  sockets = [(name = "http", address = "127.0.0.1:{self.port}", http = (), service = "main")]
);
""", {"room.js": ROOM_JS})
        self.proc = subprocess.Popen(cmd + ["serve", cfg], stdout=subprocess.PIPE,
                                     stderr=subprocess.PIPE, text=True)
        wait_port(self.port, self.proc)


ours_room, real_room = ours_and_real(RoomRuntime, "_room")


def test_durable_object_chat_room(ours_room, real_room):
    async def go(port):
        url = f"http://127.0.0.1:{port}/"
        async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=15)) as sess:
            a = await sess.ws_connect(url)
            b = await sess.ws_connect(url)
            await a.send_str("hi from a")
            got = [(await a.receive()).data, (await b.receive()).data]
            await a.close(code=1000)
            await b.send_str("hi from b")
            got.append((await b.receive()).data)
            await b.close(code=4000, message=b"bye")
            got.append(b.close_code)
            return got
    out = both(ours_room, real_room, lambda rt: run(go(rt.port)))
    assert out == ["2: hi from a", "2: hi from a", "1: hi from b", 4000]
