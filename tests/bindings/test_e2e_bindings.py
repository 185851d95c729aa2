"""KV, R2 and Queue bindings end to end: `workerd serve` on a socket, self-hosted on disk services.

A small object store worker: PUT /r2/<key> stores the request body in R2 (streamed from the
socket), GET /r2/<key> answers with the object's body, metadata headers and etag (streamed back,
ranges and conditional requests through R2's onlyIf), /kv/<key> does the same with KV, and
POST /queue sends the body to the queue. Data survives a restart of the server.
"""
from __future__ import annotations

import http.client
import os
import sqlite3

from support import Server, our_workerd, write_config

CONFIG = """using Workerd = import "/workerd/workerd.capnp";
const config :Workerd.Config = (
  services = [
    (name = "main", worker = .main),
    (name = "data", disk = (path = "data", writable = true)),
  ],
  sockets = [(name = "http", address = "*:8080", http = (), service = "main")],
);
const main :Workerd.Worker = (
  compatibilityDate = "2024-10-01",
  modules = [(name = "main.js", esModule = embed "main.js")],
  bindings = [
    (name = "BUCKET", r2Bucket = "data"),
    (name = "KV", kvNamespace = "data"),
    (name = "QUEUE", queue = "data"),
  ],
);
"""

MAIN = """
export default {
  async fetch(request, env) {
    const url = new URL(request.url);
    const [, kind, ...rest] = url.pathname.split('/');
    const key = decodeURIComponent(rest.join('/'));
    if (kind === 'r2') {
      if (request.method === 'PUT') {
        const o = await env.BUCKET.put(key, request.body, { httpMetadata: request.headers });
        return new Response(null, { status: 201, headers: { etag: o.httpEtag } });
      }
      if (request.method === 'DELETE') { await env.BUCKET.delete(key); return new Response(null, { status: 204 }); }
      const o = await env.BUCKET.get(key, { range: request.headers, onlyIf: request.headers });
      if (o === null) return new Response('not found', { status: 404 });
      const headers = new Headers();
      o.writeHttpMetadata(headers);
      headers.set('etag', o.httpEtag);
      if (!('body' in o)) return new Response(null, { status: 304, headers });
      if (o.range) headers.set('content-range', `bytes ${o.range.offset}-${o.range.offset + o.range.length - 1}/${o.size}`);
      return new Response(o.body, { status: o.range ? 206 : 200, headers });
    }
    if (kind === 'kv') {
      if (request.method === 'PUT') { await env.KV.put(key, request.body, { metadata: { type: request.headers.get('content-type') } }); return new Response(null, { status: 201 }); }
      const { value, metadata } = await env.KV.getWithMetadata(key, 'stream');
      if (value === null) return new Response('not found', { status: 404 });
      return new Response(value, { headers: { 'content-type': metadata.type } });
    }
    if (kind === 'queue') {
      const r = await env.QUEUE.send(await request.text(), { contentType: 'text' });
      return Response.json(r.metadata.metrics);
    }
    return new Response('?', { status: 400 });
  },
};
"""


def request(port, method, path, body=None, headers=None):
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    c.request(method, path, body=body, headers=headers or {})
    r = c.getresponse()
    data = r.read()
    c.close()
    return r.status, {k.lower(): v for k, v in r.getheaders()}, data


def test_self_hosted_object_store(tmp_path):
    cfg = write_config(tmp_path, CONFIG, {"main.js": MAIN})
    data_dir = tmp_path / "data"
    data_dir.mkdir()
    blob = os.urandom(2 * 1024 * 1024 + 3)
    with Server(our_workerd(), cfg, extra=("-d", f"data={data_dir}")) as s:
        status, headers, _ = request(s.port, "PUT", "/r2/dir/file.bin", blob, {"content-type": "application/x-test", "cache-control": "max-age=60"})
        assert status == 201
        etag = headers["etag"]
        status, headers, body = request(s.port, "GET", "/r2/dir/file.bin")
        assert status == 200 and body == blob
        assert headers["content-type"] == "application/x-test" and headers["cache-control"] == "max-age=60"
        assert headers["etag"] == etag
        status, headers, body = request(s.port, "GET", "/r2/dir/file.bin", headers={"range": "bytes=10-19"})
        assert status == 206 and body == blob[10:20] and headers["content-range"] == f"bytes 10-19/{len(blob)}"
        status, _, body = request(s.port, "GET", "/r2/dir/file.bin", headers={"if-none-match": etag})
        assert status == 304 and body == b""
        assert request(s.port, "GET", "/r2/missing")[0] == 404

        assert request(s.port, "PUT", "/kv/greeting", "h\u00e9llo".encode(), {"content-type": "text/plain; charset=utf-8"})[0] == 201
        status, headers, body = request(s.port, "GET", "/kv/greeting")
        assert status == 200 and body == "h\u00e9llo".encode() and headers["content-type"] == "text/plain; charset=utf-8"

        status, _, body = request(s.port, "POST", "/queue", b"job-1")
        assert status == 200 and b'"backlogCount":1' in body

    # a restarted server finds everything again
    with Server(our_workerd(), cfg, extra=("-d", f"data={data_dir}")) as s:
        status, _, body = request(s.port, "GET", "/r2/dir/file.bin")
        assert status == 200 and body == blob
        assert request(s.port, "GET", "/kv/greeting")[2] == "h\u00e9llo".encode()
        assert request(s.port, "DELETE", "/r2/dir/file.bin")[0] == 204
        assert request(s.port, "GET", "/r2/dir/file.bin")[0] == 404

    assert sorted(os.listdir(data_dir)) == ["kv.sqlite3", "queue.sqlite3", "r2"]
    db = sqlite3.connect(data_dir / "queue.sqlite3")
    assert db.execute("SELECT content_type, body FROM messages").fetchall() == [("text", b"job-1")]
    db.close()
