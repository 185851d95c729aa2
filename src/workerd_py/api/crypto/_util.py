"""Shared pieces of WebCrypto: typed errors, key usages, digests, base64url, the Key base class.

Errors are raised as `engine.DOMError(name, message)` (a DOMException in JS) or `TypeError`, with
the names and messages workerd uses (https://w3c.github.io/webcrypto/ for when each is due).
"""
from __future__ import annotations

import base64
import binascii
import hashlib

try:  # the engine turns DOMError into a JS DOMException
    from ...engine import DOMError  # type: ignore[attr-defined]
except ImportError:  # engine not built yet: plain Python use (tests of this package)
    class DOMError(Exception):  # type: ignore[no-redef]
        def __init__(self, name: str, message: str = ""):
            super().__init__(name, message)
            self.name = name
            self.message = message


def not_supported(msg: str) -> Exception:
    return DOMError("NotSupportedError", msg)


def invalid_access(msg: str) -> Exception:
    return DOMError("InvalidAccessError", msg)


def data_error(msg: str) -> Exception:
    return DOMError("DataError", msg)


def operation_error(msg: str) -> Exception:
    return DOMError("OperationError", msg)


def syntax_error(msg: str) -> Exception:
    return DOMError("SyntaxError", msg)


# --- key usages (https://w3c.github.io/webcrypto/#dfn-RecognizedKeyUsage), in spec order ---------
ENCRYPT, DECRYPT, SIGN, VERIFY, DERIVE_KEY, DERIVE_BITS, WRAP_KEY, UNWRAP_KEY = (1 << i for i in range(8))
USAGE_NAMES = ("encrypt", "decrypt", "sign", "verify", "deriveKey", "deriveBits", "wrapKey", "unwrapKey")
USAGE_BITS = {n: 1 << i for i, n in enumerate(USAGE_NAMES)}
PUBLIC_MASK = ENCRYPT | VERIFY | WRAP_KEY
PRIVATE_MASK = DECRYPT | SIGN | UNWRAP_KEY | DERIVE_KEY | DERIVE_BITS
DERIVE_MASK = DERIVE_KEY | DERIVE_BITS

_CONTEXT_WORDS = {"generate": "generate", "secret": "import secret", "public": "import public",
                  "private": "import private"}


def validate_usages(name: str, context: str, usages, mask: int) -> int:
    """Usage strings -> bit set; SyntaxError for an unknown usage or one outside `mask`."""
    bits = 0
    for u in usages:
        b = USAGE_BITS.get(u, 0)
        if not b or not (b & mask):
            raise syntax_error(f'Attempt to {_CONTEXT_WORDS[context]} {name} key with invalid usage "{u}".')
        bits |= b
    return bits


def usage_list(bits: int) -> list[str]:
    return [n for i, n in enumerate(USAGE_NAMES) if bits & (1 << i)]


# --- digests -----------------------------------------------------------------------------------
# normalized name -> (hashlib name, block size in bytes, digest size)
DIGESTS = {
    "SHA-1": ("sha1", 64, 20),
    "SHA-256": ("sha256", 64, 32),
    "SHA-384": ("sha384", 128, 48),
    "SHA-512": ("sha512", 128, 64),
    # not in WebCrypto, but workerd offers it (people use MD5 anyway; better native than in JS)
    "MD5": ("md5", 64, 16),
}
_DIGEST_UPPER = {k.upper(): k for k in DIGESTS}


def lookup_digest(name) -> str:
    """Normalized digest name, case-insensitively; NotSupportedError otherwise."""
    if name in DIGESTS:
        return name
    n = _DIGEST_UPPER.get(name.upper()) if isinstance(name, str) else None
    if n is None:
        raise not_supported("Unrecognized or unimplemented digest algorithm requested.")
    return n


def crypto_hash(name: str):
    """The `cryptography` hash object of a normalized digest name."""
    from cryptography.hazmat.primitives import hashes
    return {"SHA-1": hashes.SHA1, "SHA-256": hashes.SHA256, "SHA-384": hashes.SHA384,
            "SHA-512": hashes.SHA512, "MD5": hashes.MD5}[name]()


# hashlib's named constructors are cheaper per call than hashlib.new(name)
HASHLIB = {"SHA-1": hashlib.sha1, "SHA-256": hashlib.sha256, "SHA-384": hashlib.sha384,
           "SHA-512": hashlib.sha512, "MD5": hashlib.md5}


def hashlib_new(name: str, data: bytes = b""):
    return HASHLIB[name](data)


# --- algorithm dictionaries --------------------------------------------------------------------
# Algorithms arrive as plain dicts (the JS glue converted them as workerd's dictionaries do):
# absent members are absent or None, buffers are bytes, `hash` is a name, `public` a Key.
def field(alg, key):
    """A member of a normalized algorithm dictionary, or None when absent."""
    return alg.get(key)


def require(alg, key, what="algorithm", msg=None):
    v = field(alg, key)
    if v is None:
        raise TypeError(msg or f'Missing field "{key}" in "{what}".')
    return v


def as_bytes(v) -> bytes:
    return v if isinstance(v, bytes) else bytes(v)


# --- base64url (RFC 4648 section 5), as JWK uses it ----------------------------------------------
def b64url_encode(b: bytes) -> str:
    return base64.urlsafe_b64encode(b).rstrip(b"=").decode("ascii")


def b64url_decode(s, msg: str) -> bytes:
    """Decode a JWK member; DataError(msg) when it is missing or not base64url."""
    if not isinstance(s, str):
        raise data_error(msg)
    t = s.rstrip("=")
    if len(t) % 4 == 1:
        raise data_error(msg)
    try:
        return base64.b64decode(t.replace("-", "+").replace("_", "/") + "=" * (-len(t) % 4), validate=True)
    except (binascii.Error, ValueError):
        raise data_error(msg) from None


def int_to_bytes(n: int, size: int | None = None) -> bytes:
    if size is None:
        size = max(1, (n.bit_length() + 7) // 8)
    return n.to_bytes(size, "big")


def bytes_to_int(b: bytes) -> int:
    return int.from_bytes(b, "big")


# --- keys --------------------------------------------------------------------------------------
class Key:
    """The internal slots of a CryptoKey (https://w3c.github.io/webcrypto/#cryptokey-interface).

    `name` is the normalized algorithm name, `algorithm` the KeyAlgorithm dictionary JS sees
    (bytes become Uint8Array), `usages` a bit set, `material` the key itself (bytes for secret
    keys, a `cryptography` key object otherwise). Subclasses implement the operations; the base
    class answers NotSupportedError as workerd does for an operation an algorithm lacks.
    """

    __slots__ = ("name", "type", "extractable", "usages", "algorithm", "material")

    def __init__(self, name: str, key_type: str, extractable: bool, usages: int, algorithm: dict, material):
        self.name = name
        self.type = key_type
        self.extractable = bool(extractable)
        self.usages = usages
        self.algorithm = algorithm
        self.material = material

    def __repr__(self):
        return f"<CryptoKey {self.type} {self.algorithm} {usage_list(self.usages)}>"

    def info(self) -> list:
        return [self.type, self.extractable, dict(self.algorithm), usage_list(self.usages)]

    def encrypt(self, alg, data: bytes) -> bytes:
        raise not_supported(f'The encrypt operation is not implemented for "{self.name}".')

    def decrypt(self, alg, data: bytes) -> bytes:
        raise not_supported(f'The decrypt operation is not implemented for "{self.name}".')

    def sign(self, alg, data: bytes) -> bytes:
        raise not_supported(f'The sign operation is not implemented for "{self.name}".')

    def verify(self, alg, signature: bytes, data: bytes) -> bool:
        raise not_supported(f'The verify operation is not implemented for "{self.name}".')

    def derive_bits(self, alg, length: int | None) -> bytes:
        raise not_supported(f'The deriveKey and deriveBits operations are not implemented for "{self.name}".')

    def wrap(self, alg, data: bytes) -> bytes:
        return self.encrypt(alg, data)

    def unwrap(self, alg, data: bytes) -> bytes:
        return self.decrypt(alg, data)

    def export(self, fmt: str):
        raise not_supported(f'Unrecognized or unsupported export of "{self.name}" requested.')


def truncate_bits(secret: bytes, length: int | None, max_bits: int) -> bytes:
    """First `length` bits of a shared secret (ECDH/X25519), trailing bits of the last byte zeroed."""
    if length is None:
        return secret
    if length > max_bits:
        raise operation_error(f"Derived key length ({length} bits) is too long (should be at most {max_bits} bits).")
    n = (length + 7) // 8
    out = bytearray(secret[:n])
    if length % 8:
        out[-1] &= (0xFF << (8 - length % 8)) & 0xFF
    return bytes(out)


def jwk_ordered(jwk: dict) -> dict:
    """A JWK with its members in workerd's order (the JsonWebKey dictionary's declaration order)."""
    return {k: jwk[k] for k in _JWK_ORDER if k in jwk}


_JWK_ORDER = ("kty", "use", "key_ops", "alg", "ext", "crv", "x", "y", "d", "n", "e", "p", "q", "dp", "dq",
              "qi", "oth", "k")
