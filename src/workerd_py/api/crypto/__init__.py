"""WebCrypto (https://w3c.github.io/webcrypto/) on the `cryptography` package, plus workerd's
extensions (MD5, NODE-ED25519, crypto.DigestStream, subtle.timingSafeEqual) and `cryptoKey` bindings.

How this works
--------------
js/crypto.js does the WebIDL part (argument types, algorithm dictionaries, promises) and calls the
host functions below with plain values: algorithm objects with only their present members,
buffers, JWKs as JSON text, usages as JSON text. Key material never enters JS: each isolate has a
table id -> Key (in `_State`), a JS CryptoKey keeps only its id in a private field, and a
FinalizationRegistry releases the id when the CryptoKey is collected. DigestStream contexts live in
the same table. The operations themselves are in subtle.py (one module per family of algorithms).
"""
from __future__ import annotations

import base64
import binascii
import json
import os
import re
from hmac import compare_digest

from . import digest as _digest
from ._util import DOMError, Key, operation_error
from .subtle import Subtle

__all__ = ["host_functions", "make_crypto_key", "validate_crypto_key_binding", "Subtle", "Key", "DOMError"]

_BUFFER_FIELDS = frozenset(("iv", "additionalData", "counter", "label", "salt", "info", "publicExponent"))


class _State:
    """Per-isolate crypto state: the id -> Key / digest context table."""

    def __init__(self, strict: bool, modern: bool = False):
        self.subtle = Subtle(strict, modern)
        self.objects: dict[int, object] = {}
        self.next_id = 1

    def add(self, obj) -> int:
        i = self.next_id
        self.next_id += 1
        self.objects[i] = obj
        return i

    def key(self, i) -> Key:
        k = self.objects.get(i)
        if not isinstance(k, Key):
            raise TypeError("Expected a CryptoKey.")
        return k

    def key_info(self, key: Key) -> list:
        return [self.add(key)] + key.info()

    def result_info(self, out):
        if isinstance(out, tuple):
            return [self.key_info(out[0]), self.key_info(out[1])]
        return self.key_info(out)

    def alg(self, obj) -> dict:
        """A normalized algorithm object from JS -> dict (buffers -> bytes, `public` id -> Key)."""
        out = {}
        for k in obj.keys():
            v = obj.get(k)
            if k in _BUFFER_FIELDS:
                v = bytes(v)
            elif k == "public":
                v = self.key(v)
            out[k] = v
        return out


def _data(v) -> bytes:
    return v if isinstance(v, bytes) else bytes(v)


def _guard(fn):
    """Unexpected failures of the crypto library become OperationError rather than RangeError."""
    def call(*args):
        try:
            return fn(*args)
        except (DOMError, TypeError):
            raise
        except (ValueError, OverflowError, KeyError) as e:
            raise operation_error(f"{fn.__name__} failed: {e}") from None
    call.__name__ = fn.__name__
    return call


def state_of(api_host) -> _State:
    st = getattr(api_host, "_crypto_state", None)
    if st is None:
        flags = getattr(api_host, "flags", ())
        st = _State("strict_crypto_checks" in flags, "webcrypto_modern_algorithms" in flags)
        api_host._crypto_state = st
    return st


def host_functions(api_host) -> dict:
    st = state_of(api_host)
    subtle = st.subtle
    objects = st.objects

    def random(n):
        return os.urandom(n)

    def random_uuid():  # RFC 9562 version 4
        b = bytearray(os.urandom(16))
        b[6] = (b[6] & 0x0F) | 0x40
        b[8] = (b[8] & 0x3F) | 0x80
        h = b.hex()
        return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"

    def release(i):
        objects.pop(i, None)

    def digest(alg, data):
        return _digest.digest(alg, _data(data))

    def encrypt(alg, key, data):
        return subtle.encrypt(st.alg(alg), st.key(key), _data(data))

    def decrypt(alg, key, data):
        return subtle.decrypt(st.alg(alg), st.key(key), _data(data))

    def sign(alg, key, data):
        return subtle.sign(st.alg(alg), st.key(key), _data(data))

    def verify(alg, key, signature, data):
        return subtle.verify(st.alg(alg), st.key(key), _data(signature), _data(data))

    def generate_key(alg, extractable, usages):
        return st.result_info(subtle.generate_key(st.alg(alg), extractable, json.loads(usages)))

    def import_key(fmt, data, alg, extractable, usages):
        data = json.loads(data) if isinstance(data, str) else _data(data)
        return st.key_info(subtle.import_key(fmt, data, st.alg(alg), extractable, json.loads(usages)))

    def export_key(fmt, key):
        out = subtle.export_key(fmt, st.key(key))
        return json.dumps(out) if isinstance(out, dict) else out

    def derive_bits(alg, key, length):
        return subtle.derive_bits(st.alg(alg), st.key(key), length)

    def derive_key(alg, key, derived_alg, extractable, usages):
        return st.key_info(subtle.derive_key(st.alg(alg), st.key(key), st.alg(derived_alg), extractable,
                                             json.loads(usages)))

    def wrap_key(fmt, key, wrapping_key, alg):
        return subtle.wrap_key(fmt, st.key(key), st.key(wrapping_key), st.alg(alg))

    def unwrap_bytes(alg, key, data):
        return subtle.unwrap_bytes(st.alg(alg), st.key(key), _data(data))

    def timing_safe_equal(a, b):
        return compare_digest(_data(a), _data(b))

    def digest_stream_new(name):
        return st.add(_digest.new_context(name))

    def digest_stream_write(i, data):
        objects[i].update(_data(data))

    def digest_stream_close(i):
        ctx = objects.pop(i)
        return ctx.digest()

    funcs = {
        "cryptoRandom": random, "cryptoRandomUUID": random_uuid, "cryptoRelease": release,
        "cryptoDigest": digest, "cryptoEncrypt": encrypt, "cryptoDecrypt": decrypt, "cryptoSign": sign,
        "cryptoVerify": verify, "cryptoGenerateKey": generate_key, "cryptoImportKey": import_key,
        "cryptoExportKey": export_key, "cryptoDeriveBits": derive_bits, "cryptoDeriveKey": derive_key,
        "cryptoWrapKey": wrap_key, "cryptoUnwrapBytes": unwrap_bytes, "cryptoTimingSafeEqual": timing_safe_equal,
        "cryptoDigestStreamNew": digest_stream_new, "cryptoDigestStreamWrite": digest_stream_write,
        "cryptoDigestStreamClose": digest_stream_close,
    }
    return {k: _guard(v) for k, v in funcs.items()}


# =============================================================================================
# cryptoKey bindings (workerd.capnp Worker.Binding.CryptoKey)

_PEM = re.compile(r"-----BEGIN ([A-Z0-9 ]+)-----\s*(.*?)\s*-----END ([A-Z0-9 ]+)-----", re.S)
_PEM_TYPES = {"pkcs8": "PRIVATE KEY", "spki": "PUBLIC KEY"}


class BindingError(ValueError):
    pass


def _binding_key_data(binding):
    """-> (importKey format, key data): bytes, or a JWK dict."""
    fmt, data = binding.format, binding.key_data
    if fmt == "raw":
        return "raw", bytes(data)
    if fmt == "hex":
        try:
            return "raw", binascii.unhexlify("".join(str(data).split()))
        except (binascii.Error, ValueError):
            raise BindingError("contained invalid hex.") from None
    if fmt == "base64":
        s = "".join(str(data).split()).rstrip("=")  # padding is optional, as for kj::decodeBase64()
        try:
            if len(s) % 4 == 1:
                raise ValueError
            return "raw", base64.b64decode(s + "=" * (-len(s) % 4), validate=True)
        except (binascii.Error, ValueError):
            raise BindingError("contained invalid base64.") from None
    if fmt in _PEM_TYPES:
        text = data.decode("utf-8", "replace") if isinstance(data, bytes) else str(data)
        m = _PEM.search(text)
        if m is None or m.group(1) != m.group(3):
            raise BindingError("contained invalid PEM format.")
        try:
            der = base64.b64decode("".join(m.group(2).split()), validate=True)
        except (binascii.Error, ValueError):
            raise BindingError("contained invalid PEM format.") from None
        if m.group(1) != _PEM_TYPES[fmt]:
            raise BindingError(f'contained wrong PEM type, expected "{_PEM_TYPES[fmt]}" but got "{m.group(1)}".')
        return fmt, der
    if fmt == "jwk":
        try:
            jwk = json.loads(data)
        except ValueError as e:
            raise BindingError(f"contained invalid JSON Web Key: {e}") from None
        if not isinstance(jwk, dict) or not isinstance(jwk.get("kty"), str):
            raise BindingError('contained a JSON Web Key without a "kty" string.')
        return "jwk", _jwk_from_json(jwk)
    raise BindingError(f'has unknown key format "{fmt}".')


def _jwk_from_json(jwk: dict) -> dict:
    out = {}
    for k, v in jwk.items():
        if k == "ext":
            out[k] = bool(v)
        elif k == "key_ops":
            out[k] = [str(x) for x in v] if isinstance(v, list) else v
        elif k == "oth" or v is None:
            out[k] = v
        else:
            out[k] = v if isinstance(v, str) else json.dumps(v)
    return out


def _binding_algorithm(binding) -> dict:
    if binding.algorithm_json is not None:
        try:
            a = json.loads(binding.algorithm_json)
        except ValueError as e:
            raise BindingError(f"contained an invalid algorithm JSON: {e}") from None
    else:
        a = binding.algorithm_name
    if isinstance(a, str):
        return {"name": a}
    if not isinstance(a, dict):
        raise BindingError("contained an algorithm that is neither a name nor an object.")
    out = {"name": str(a.get("name"))}
    h = a.get("hash")
    if h is not None:
        out["hash"] = str(h.get("name") if isinstance(h, dict) else h)
    for k in ("length", "modulusLength"):
        if isinstance(a.get(k), (int, float)) and not isinstance(a.get(k), bool):
            out[k] = int(a[k])
    if a.get("namedCurve") is not None:
        out["namedCurve"] = str(a["namedCurve"])
    return out


def import_binding(binding, strict: bool = True) -> Key:
    """The Key a cryptoKey binding describes; BindingError or DOMError/TypeError when it is bad."""
    fmt, data = _binding_key_data(binding)
    alg = _binding_algorithm(binding)
    return Subtle(strict).import_key(fmt, data, alg, bool(binding.extractable), list(binding.usages))


def validate_crypto_key_binding(binding) -> str | None:
    """A message naming what is wrong with a cryptoKey binding, or None (compile-time check)."""
    try:
        import_binding(binding)
    except BindingError as e:
        return str(e)
    except DOMError as e:
        name = getattr(e, "name", None) or e.args[0]
        msg = getattr(e, "message", None) or (e.args[1] if len(e.args) > 1 else "")
        return f"could not be imported: {name}: {msg}"
    except TypeError as e:
        return f"could not be imported: TypeError: {e}"
    return None


def make_crypto_key(api_host, binding):
    """A JS CryptoKey for a cryptoKey binding, in the isolate of `api_host`."""
    st = state_of(api_host)
    key = import_binding(binding, st.subtle.strict)
    mod = api_host.internal.get("require").call("crypto")
    return mod.get("keyFromHost").call(st.key_info(key))
