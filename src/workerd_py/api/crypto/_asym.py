"""What RSA, EC and OKP keys share: pkcs8/spki/jwk import with workerd's usage and JWK checks, and
pkcs8/spki/jwk export (https://w3c.github.io/webcrypto/#rsassa-pkcs1-import-key and siblings)."""
from __future__ import annotations

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from ._util import (DERIVE_MASK, PRIVATE_MASK, PUBLIC_MASK, Key, data_error, invalid_access, jwk_ordered,
                    not_supported, usage_list, validate_usages)

_DER = serialization.Encoding.DER


class AsymmetricKey(Key):
    """`material` is a `cryptography` private or public key object."""
    __slots__ = ()

    def require_private_for_signing(self):
        if self.type != "private":
            raise invalid_access("Asymmetric signing requires a private key.")

    def require_public_for_verifying(self):
        if self.type != "public":
            raise invalid_access("Asymmetric verification requires a public key.")

    def export(self, fmt):
        if fmt == "pkcs8":
            if self.type != "private":
                raise invalid_access(f'Asymmetric pkcs8 export requires private key (not "{self.type}").')
            return self.material.private_bytes(_DER, serialization.PrivateFormat.PKCS8,
                                               serialization.NoEncryption())
        if fmt == "spki":
            if self.type != "public":
                raise invalid_access(f'Asymmetric spki export requires public key (not "{self.type}").')
            return self.material.public_bytes(_DER, serialization.PublicFormat.SubjectPublicKeyInfo)
        if fmt == "jwk":
            jwk = self.export_jwk()
            jwk["ext"] = True
            jwk["key_ops"] = usage_list(self.usages)
            return jwk_ordered(jwk)
        if fmt in ("raw", "raw-public"):
            return self.export_raw()
        raise invalid_access(f'Cannot export "{self.name}" in "{fmt}" format.')

    def export_jwk(self) -> dict:
        raise NotImplementedError

    def export_raw(self) -> bytes:
        raise invalid_access(f'Cannot export "{self.name}" in "raw" format.')


def der_length(data: bytes) -> int | None:
    """Length of the DER element (tag, length, contents) at the start of `data`, None if malformed."""
    if len(data) < 2 or data[0] != 0x30:
        return None
    n = data[1]
    if n < 0x80:
        return 2 + n
    k = n & 0x7F
    if k == 0 or k > 4 or len(data) < 2 + k:
        return None
    return 2 + k + int.from_bytes(data[2:2 + k], "big")


def _parse_der(data: bytes, what: str, loader):
    total = der_length(data)
    if total is None or total > len(data):
        raise data_error(f"Invalid {what} input.")
    try:
        key = loader(data[:total])
    except (ValueError, TypeError, AssertionError):
        raise data_error(f"Invalid {what} input.") from None
    except Exception as e:  # cryptography raises UnsupportedAlgorithm for unknown key types
        if e.__class__.__name__ == "UnsupportedAlgorithm":
            raise data_error(f"Invalid {what} input.") from None
        raise
    if total < len(data):
        raise data_error(f"Invalid {len(data) - total} trailing bytes after {what} input.")
    return key


def load_spki(data: bytes):
    return _parse_der(data, "SPKI", serialization.load_der_public_key)


def _load_private(der: bytes):
    key = serialization.load_der_private_key(der, None, unsafe_skip_rsa_key_validation=True)
    if isinstance(key, rsa.RSAPrivateKey):
        from .rsa import consistent  # the cheap checks (OpenSSL's full check costs ~200 ms)
        if not consistent(key.private_numbers()):
            raise ValueError("inconsistent RSA key")
    return key


def load_pkcs8(data: bytes):
    return _parse_der(data, "PKCS8", _load_private)


def import_asymmetric(name: str, fmt: str, data, extractable: bool, usages, read_jwk, allowed: int,
                      strict: bool = True):
    """Parse pkcs8/spki/jwk key data: -> (key_type, usage bits, cryptography key object)."""
    if fmt == "jwk":
        jwk = data
        if jwk.get("d") is not None:
            key_type = "private"
            bits = validate_usages(name, "private", usages, allowed & PRIVATE_MASK)
            if jwk.get("oth") is not None:
                raise not_supported("Multi-prime private keys not supported.")
        else:
            key_type = "public"
            if name == "ECDH":
                mask = 0 if strict else DERIVE_MASK
            else:
                mask = PUBLIC_MASK
            bits = validate_usages(name, "public", usages, allowed & mask)
        if name == "RSA-OAEP":
            use, op0, op1 = "enc", "encrypt", "wrapKey"
        elif name in ("ECDH", "X25519"):
            use, op0, op1 = "enc", "unused", "unused"
        else:
            use, op0, op1 = "sig", "sign", "verify"
        juse = jwk.get("use")
        if usages and juse is not None and juse != use:
            raise data_error('Asymmetric "jwk" key import with usages requires a JSON Web Key with Public Key Use '
                             f'parameter "use" ("{juse}") equal to "sig".')
        ops = jwk.get("key_ops")
        if ops is not None:
            if len(set(ops)) != len(ops):
                raise data_error('A JSON Web Key\'s Key Operations parameter ("key_ops") must not contain '
                                 'duplicates.')
            if juse is not None:
                if juse != use:
                    raise data_error('Asymmetric "jwk" import requires a JSON Web Key with Public Key Use "use" '
                                     f'("{juse}") equal to "{use}".')
                for op in ops:
                    if name in ("ECDH", "X25519"):
                        raise data_error(
                            'A JSON Web Key should have either a Public Key Use parameter ("use") or a Key '
                            'Operations parameter ("key_ops"); otherwise, the parameters must be consistent with '
                            f'each other. For public {name} keys, there are no valid usages,so keys with a '
                            'non-empty "key_ops" parameter are not allowed.')
                    if op not in (op0, op1):
                        raise data_error(
                            'A JSON Web Key should have either a Public Key Use parameter ("use") or a Key '
                            'Operations parameter ("key_ops"); otherwise, the parameters must be consistent with '
                            f'each other. A Public Key Use for {name} would allow a Key Operations array with only '
                            f'"{op0}" and/or "{op1}" values (not "{op}").')
            for u in usages:
                if u not in ops:
                    raise data_error('All specified key usages must be present in the JSON Web Key\'s Key '
                                     'Operations parameter ("key_ops").')
        if jwk.get("ext") is False and extractable:
            raise data_error("Cannot create an extractable CryptoKey from an unextractable JSON Web Key.")
        return key_type, bits, read_jwk(jwk)
    if fmt == "spki":
        key = load_spki(bytes(data))
        bits = validate_usages(name, "public", usages, allowed & (0 if name == "ECDH" else PUBLIC_MASK))
        return "public", bits, key
    if fmt == "pkcs8":
        key = load_pkcs8(bytes(data))
        bits = validate_usages(name, "private", usages, allowed & PRIVATE_MASK)
        return "private", bits, key
    raise not_supported(f'Unrecognized key import format "{fmt}".')


def split_pair(cls, name, algorithm, extractable, private_bits, public_bits, private_key, public_key):
    """A generated key pair: the public key is always extractable (WebCrypto generateKey step)."""
    pub = cls(name, "public", True, public_bits, algorithm, public_key)
    priv = cls(name, "private", extractable, private_bits, dict(algorithm), private_key)
    return pub, priv
