"""The SubtleCrypto operations (https://w3c.github.io/webcrypto/#subtlecrypto-interface), on Python
values: algorithms are dicts (see _util.field), buffers bytes, JWKs dicts, keys `Key` objects.

Each method checks in workerd's order: the key's algorithm and usages first, then the algorithm's
own parameters, so a caller sees the same error for the same mistake.
"""
from __future__ import annotations

import json

from . import digest as _digest
from .ec import generate_ec, generate_okp, import_ec, import_okp
from .rsa import generate_rsa, import_rsa
from .symmetric import generate_aes, generate_hmac, import_aes, import_hmac, import_kdf
from ._util import (DECRYPT, DERIVE_BITS, DERIVE_KEY, DIGESTS, ENCRYPT, SIGN, UNWRAP_KEY, USAGE_NAMES, VERIFY,
                    WRAP_KEY, Key, data_error, field, invalid_access, lookup_digest, not_supported, operation_error,
                    syntax_error)

# normalized name, import function, generate function (None: keys can only be imported)
_ALGORITHMS = [
    ("AES-CTR", import_aes, generate_aes), ("AES-CBC", import_aes, generate_aes),
    ("AES-GCM", import_aes, generate_aes), ("AES-KW", import_aes, generate_aes),
    ("HMAC", import_hmac, generate_hmac),
    ("PBKDF2", import_kdf, None), ("HKDF", import_kdf, None),
    ("RSASSA-PKCS1-v1_5", import_rsa, generate_rsa), ("RSA-PSS", import_rsa, generate_rsa),
    ("RSA-OAEP", import_rsa, generate_rsa),
    ("ECDSA", import_ec, generate_ec), ("ECDH", import_ec, generate_ec),
    ("NODE-ED25519", import_okp, generate_okp), ("Ed25519", import_okp, generate_okp),
    ("X25519", import_okp, generate_okp),
]
_ASCII_UPPER = str.maketrans("abcdefghijklmnopqrstuvwxyz", "ABCDEFGHIJKLMNOPQRSTUVWXYZ")
ALGORITHMS = {n.translate(_ASCII_UPPER): (n, i, g) for n, i, g in _ALGORITHMS}
_TAKES_STRICT = (import_rsa, generate_rsa, import_ec, generate_ec, import_okp, generate_okp)

BUFFER_FORMATS = ("raw", "pkcs8", "spki", "raw-public", "raw-private", "raw-seed", "raw-secret")
_DERIVED_KEY_TYPES = ("AES-CTR", "AES-CBC", "AES-GCM", "AES-KW", "HMAC", "HKDF", "PBKDF2")


def upper(name: str) -> str:
    return name.translate(_ASCII_UPPER)


def lookup(name: str):
    return ALGORITHMS.get(upper(name)) if isinstance(name, str) else None


def validate_operation(key: Key, requested: str, usage: int) -> None:
    if requested != key.name and upper(str(requested)) != upper(key.name):
        raise invalid_access(f'Requested algorithm "{requested}" does not match this CryptoKey\'s algorithm '
                             f'"{key.name}".')
    if not key.usages & usage:
        raise invalid_access(f'Requested key usage "{USAGE_NAMES[usage.bit_length() - 1]}" does not match any '
                             "usage listed in this CryptoKey.")


def jwk_to_json(jwk: dict) -> str:
    return json.dumps(jwk, separators=(",", ":"), ensure_ascii=False)


_MODERN_FORMATS = ("raw-public", "raw-private", "raw-seed", "raw-secret")


class Subtle:
    """SubtleCrypto for one worker: `strict` is the strict_crypto_checks compatibility flag,
    `modern` webcrypto_modern_algorithms (which allows the raw-secret and raw-public formats)."""

    def __init__(self, strict: bool = True, modern: bool = False):
        self.strict = strict
        self.modern = modern

    def _check_format(self, fmt):
        if fmt in _MODERN_FORMATS and not self.modern:
            raise not_supported(f'Key format "{fmt}" requires the webcrypto_modern_algorithms flag.')

    # --- encrypt, decrypt, sign, verify, digest ---------------------------------------------------
    def encrypt(self, alg, key: Key, data: bytes) -> bytes:
        validate_operation(key, alg["name"], ENCRYPT)
        return key.encrypt(alg, data)

    def decrypt(self, alg, key: Key, data: bytes) -> bytes:
        validate_operation(key, alg["name"], DECRYPT)
        return key.decrypt(alg, data)

    def sign(self, alg, key: Key, data: bytes) -> bytes:
        validate_operation(key, alg["name"], SIGN)
        return key.sign(alg, data)

    def verify(self, alg, key: Key, signature: bytes, data: bytes) -> bool:
        validate_operation(key, alg["name"], VERIFY)
        return key.verify(alg, signature, data)

    def digest(self, alg, data: bytes) -> bytes:
        return _digest.digest(alg["name"], data)

    # --- keys ------------------------------------------------------------------------------------
    def _call(self, fn, *args):
        if fn in _TAKES_STRICT:
            return fn(*args, strict=self.strict)
        return fn(*args)

    def generate_key(self, alg, extractable: bool, usages):
        """-> Key, or (publicKey, privateKey)."""
        entry = lookup(alg["name"])
        if entry is None or entry[2] is None:
            raise not_supported(f'Unrecognized key generation algorithm "{alg["name"]}" requested.')
        out = self._call(entry[2], entry[0], alg, bool(extractable), list(usages))
        if isinstance(out, tuple):
            if not out[1].usages:
                raise syntax_error("Attempt to generate asymmetric keys with no valid private key usages.")
        elif not out.usages and out.type in ("secret", "private"):
            raise syntax_error("Secret/private CryptoKeys must have at least one usage.")
        return out

    def import_key(self, fmt: str, data, alg, extractable: bool, usages) -> Key:
        extractable = bool(extractable)
        self._check_format(fmt)
        if fmt in BUFFER_FORMATS:
            if not isinstance(data, (bytes, bytearray, memoryview)):
                raise TypeError("Import data provided for buffer-based import formats must be a buffer source.")
            data = bytes(data)
        elif fmt == "jwk":
            if not isinstance(data, dict):
                raise TypeError('Import data provided for "jwk" import format must be a JsonWebKey.')
            if data.get("ext") is False and extractable:
                raise data_error(f'JWK ext field for "{alg["name"]}" is set to false but extractable is true')
        else:
            raise not_supported(f'Unrecognized key import format "{fmt}".')
        return self._import(self.lookup_import(alg), fmt, data, alg, extractable, usages)

    @staticmethod
    def lookup_import(alg):
        entry = lookup(alg["name"])
        if entry is None:
            raise not_supported(f'Unrecognized key import algorithm "{alg["name"]}" requested.')
        return entry

    def _import(self, entry, fmt, data, alg, extractable, usages) -> Key:
        key = self._call(entry[1], entry[0], fmt, data, alg, extractable, list(usages))
        if not key.usages and key.type in ("secret", "private"):
            raise syntax_error("Secret/private CryptoKeys must have at least one usage.")
        return key

    def export_key(self, fmt: str, key: Key):
        """-> bytes, or a JWK dict."""
        self._check_format(fmt)
        if not key.extractable:
            raise invalid_access(f"Attempt to export non-extractable {key.name} key.")
        return key.export(fmt)

    # --- derivation ------------------------------------------------------------------------------
    def derive_bits(self, alg, key: Key, length) -> bytes:
        if length is not None and length < 0:
            raise TypeError("deriveBits length must be an unsigned long integer.")
        validate_operation(key, alg["name"], DERIVE_BITS)
        return key.derive_bits(alg, length)

    def derive_key(self, alg, key: Key, derived_alg, extractable: bool, usages) -> Key:
        validate_operation(key, alg["name"], DERIVE_KEY)
        length = self.derived_key_length(derived_alg)
        secret = key.derive_bits(alg, length)
        return self._import(self.lookup_import(derived_alg), "raw-secret", secret, derived_alg, bool(extractable),
                            usages)

    @staticmethod
    def derived_key_length(derived_alg) -> int | None:
        """The spec's "get key length" operation (https://w3c.github.io/webcrypto/#dfn-get-key-length)."""
        name = derived_alg["name"]
        kind = next((k for k in _DERIVED_KEY_TYPES if upper(str(name)) == k), None)
        if kind is None:
            raise not_supported(f'Unrecognized derived key type "{name}" requested.')
        if kind.startswith("AES-"):
            length = field(derived_alg, "length")
            if length is None:
                raise TypeError('Missing field "length" in "derivedKeyParams".')
            if length not in (128, 192, 256):
                raise operation_error(f"Derived AES key must be 128, 192, or 256 bits in length but provided "
                                      f"{length}.")
            return length
        if kind == "HMAC":
            length = field(derived_alg, "length")
            if length is not None:
                if length > 0:
                    return length
                raise TypeError("HMAC key length must be a non-zero unsigned long integer.")
            h = field(derived_alg, "hash")
            if h is None:
                raise TypeError('Missing field "hash" in "derivedKeyParams".')
            return DIGESTS[lookup_digest(h)][1] * 8
        return None

    # --- wrapping --------------------------------------------------------------------------------
    def wrap_key(self, fmt: str, key: Key, wrapping_key: Key, alg) -> bytes:
        validate_operation(wrapping_key, alg["name"], WRAP_KEY)
        if not key.extractable:
            raise invalid_access(f"Attempt to export non-extractable {key.name} key.")
        exported = key.export(fmt)
        if isinstance(exported, dict):
            exported = jwk_to_json(exported).encode()
        return wrapping_key.wrap(alg, exported)

    def unwrap_bytes(self, alg, unwrapping_key: Key, wrapped: bytes) -> bytes:
        """The first half of unwrapKey: decrypt the wrapped key data."""
        validate_operation(unwrapping_key, alg["name"], UNWRAP_KEY)
        return unwrapping_key.unwrap(alg, wrapped)

    def unwrap_key(self, fmt: str, wrapped: bytes, unwrapping_key: Key, alg, unwrapped_alg, extractable: bool,
                   usages) -> Key:
        data = self.unwrap_bytes(alg, unwrapping_key, wrapped)
        if fmt == "jwk":
            try:
                data = json.loads(data.decode("utf-8"))
            except (UnicodeDecodeError, ValueError):
                raise data_error('Missing "kty" field or corrupt JSON unwrapping key?') from None
            if not isinstance(data, dict) or "kty" not in data:
                raise data_error('Missing "kty" field or corrupt JSON unwrapping key?')
        return self.import_key(fmt, data, unwrapped_alg, extractable, usages)
