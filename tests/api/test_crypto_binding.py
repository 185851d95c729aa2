"""cryptoKey bindings end to end in a real isolate: make_crypto_key() hands JS a CryptoKey that
SubtleCrypto accepts, with the algorithm, usages and extractability the config gave."""
from __future__ import annotations

import json

import pytest

engine = pytest.importorskip("workerd_py.engine")

from workerd_py.api.crypto import make_crypto_key  # noqa: E402
from workerd_py.api.registry import ApiHost  # noqa: E402
from workerd_py.plan.model import CryptoKeyBinding  # noqa: E402
from workerd_py.runtime.isolate import Isolate, Limits  # noqa: E402


@pytest.fixture
def host():
    iso = Isolate("crypto-binding-test", Limits())
    h = ApiHost(iso, frozenset({"strict_crypto_checks", "crypto_preserve_public_exponent"}), {})
    h.install()
    yield h
    iso.close()


def _run(h, key, body):
    """Run `body` (async JS using K) and return its JSON-able result."""
    ctx = h.ctx
    ctx.globals.set("K", key)
    ctx.eval("globalThis.__out = undefined; globalThis.__err = undefined;"
             f"(async () => {{ {body} }})().then((v) => {{ __out = JSON.stringify(v); }}, "
             "(e) => { __err = `${e.name}: ${e.message}`; });")
    h.isolate.rt.run_jobs()
    err = ctx.globals.get("__err")
    if isinstance(err, str):
        raise AssertionError(err)
    return json.loads(ctx.globals.get("__out"))


def test_hmac_binding_signs(host):
    key = make_crypto_key(host, CryptoKeyBinding(format="hex", key_data="0b" * 20,
                                                 algorithm_json='{"name":"HMAC","hash":"SHA-256"}',
                                                 usages=("sign",)))
    out = _run(host, key, """
        const sig = await crypto.subtle.sign('HMAC', K, new TextEncoder().encode('Hi There'));
        return [K instanceof CryptoKey, K.type, K.extractable, K.algorithm, K.usages,
                [...new Uint8Array(sig)].map((b) => b.toString(16).padStart(2, '0')).join('')];""")
    assert list(out[:3]) == [True, "secret", False]
    assert out[3]["name"] == "HMAC" and out[3]["hash"]["name"] == "SHA-256" and out[3]["length"] == 160
    assert list(out[4]) == ["sign"]
    assert out[5] == "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7"  # RFC 4231 case 1


def test_binding_usages_and_extractable_are_enforced(host):
    key = make_crypto_key(host, CryptoKeyBinding(format="raw", key_data=bytes(16), algorithm_name="AES-GCM",
                                                 usages=("encrypt",)))
    out = _run(host, key, """
        const r = [];
        for (const f of [() => crypto.subtle.exportKey('raw', K),
                         () => crypto.subtle.decrypt({name: 'AES-GCM', iv: new Uint8Array(12)}, K, new Uint8Array(16))]) {
          try { await f(); r.push('ok'); } catch (e) { r.push(e.name); }
        }
        return r;""")
    assert list(out) == ["InvalidAccessError", "InvalidAccessError"]


def test_jwk_binding_is_extractable(host):
    key = make_crypto_key(host, CryptoKeyBinding(format="jwk", key_data='{"kty":"oct","k":"AAAAAAAAAAAAAAAAAAAAAA"}',
                                                 algorithm_name="AES-CBC", extractable=True, usages=("decrypt",)))
    out = _run(host, key, "return await crypto.subtle.exportKey('jwk', K);")
    assert out["k"] == "AAAAAAAAAAAAAAAAAAAAAA" and out["alg"] == "A128CBC"


def test_collected_keys_leave_the_host_table(host):
    from workerd_py.api.crypto import state_of
    _run(host, None, """
        for (let i = 0; i < 200; i++) {
          await crypto.subtle.importKey('raw', new Uint8Array(16), 'AES-GCM', false, ['encrypt']);
        }
        const d = new crypto.DigestStream('SHA-1');
        return 1;""")
    objects = state_of(host).objects
    assert state_of(host).next_id > 200  # 200 keys were made; QuickJS frees them as they go
    host.ctx.globals.set("K", None)
    for _ in range(3):
        host.isolate.rt.gc()
        host.isolate.rt.run_jobs()
    assert len(objects) < 10, len(objects)
