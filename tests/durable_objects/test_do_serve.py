"""Durable Objects behind a socket, on workerd-py and on the real workerd: routing by name, one
instance per id, request bodies and streamed responses through stubs, many concurrent requests."""
from __future__ import annotations

import concurrent.futures
import json
import os
import urllib.request

import pytest

from support import Server, our_workerd, real_workerd

HERE = os.path.dirname(os.path.abspath(__file__))
CONFIG = os.path.join(HERE, "serve.capnp")


@pytest.fixture(params=["ours", "real"])
def server(request):
    if request.param == "ours":
        cmd = our_workerd()
    else:
        real = real_workerd()
        if real is None:
            pytest.skip("the real workerd is not available")
        cmd = [real]
    with Server(cmd, CONFIG) as s:
        yield s


def get(port, path, data=None):
    req = urllib.request.Request(f"http://127.0.0.1:{port}{path}", data=data, method="POST" if data else "GET")
    with urllib.request.urlopen(req, timeout=10) as r:
        return r.status, dict(r.headers), r.read().decode()


def test_fetch_and_rpc(server):
    p = server.port
    assert get(p, "/alice/x")[2] == "alice 1 "
    status, headers, body = get(p, "/alice/x", b"payload")
    assert status == 200 and body == "alice 2 payload"
    from workerd_py.server.durable_objects import id_from_name, namespace_key
    assert headers["x-object"] == id_from_name(namespace_key("serve-key"), "alice")
    assert get(p, "/bob/x")[2] == "bob 1 "
    rpc = json.loads(get(p, "/alice/rpc")[2])
    assert rpc["value"] == 3 and rpc["id"] == headers["x-object"]
    assert get(p, "/alice/stream")[2] == "chunk0;chunk1;chunk2;"


def test_concurrent_requests_one_object(server):
    """No event runs between a storage call and its continuation: 40 concurrent read-modify-write
    increments of one object are all counted, each value once."""
    with concurrent.futures.ThreadPoolExecutor(8) as ex:
        values = list(ex.map(lambda _: json.loads(get(server.port, "/carol/rpc")[2])["value"], range(40)))
    assert sorted(values) == list(range(1, 41))
    assert json.loads(get(server.port, "/carol/rpc")[2])["value"] == 41
