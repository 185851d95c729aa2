"""Secret-key algorithms: AES-GCM, AES-CBC, AES-CTR, AES-KW, HMAC, PBKDF2 and HKDF.

Spec: https://w3c.github.io/webcrypto/#aes-gcm (and the sections that follow it). Checks run in
workerd's order so that a bad input fails with the same error.
"""
from __future__ import annotations

import hmac as _hmac
import os

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import keywrap
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from cryptography.hazmat.primitives.kdf.pbkdf2 import PBKDF2HMAC

from ._util import (DECRYPT, DERIVE_MASK, ENCRYPT, SIGN, UNWRAP_KEY, VERIFY, WRAP_KEY, DIGESTS, HASHLIB, Key,
                    b64url_decode, b64url_encode, crypto_hash, data_error, field, jwk_ordered, lookup_digest,
                    not_supported, operation_error, require, syntax_error, usage_list, validate_usages)

_DECRYPT_FAILED = ("Decryption failed. This could be due to a ciphertext authentication failure, bad padding, "
                   "incorrect CryptoKey, or another algorithm-specific reason. Input length was {}, output "
                   "length expected to be {} for {}")


def check_jwk_ops(jwk: dict, usages, what: str = 'Symmetric "jwk" key') -> None:
    """RFC 7517 4.3: no duplicate key_ops, and every requested usage listed."""
    ops = jwk.get("key_ops")
    if ops is None:
        return
    seen = set()
    for op in sorted(ops):
        if op in seen:
            raise data_error(f'{what} contains duplicate value "{op}", in "key_op".')
        seen.add(op)
    for u in usages:
        if u not in seen:
            raise data_error(f'"jwk" key missing usage "{u}", in "key_ops".')


# =============================================================================================
# AES (https://w3c.github.io/webcrypto/#aes-ctr .. #aes-kw)

class AesKey(Key):
    __slots__ = ()

    def export(self, fmt):
        if fmt in ("raw", "raw-secret"):
            return bytes(self.material)
        if fmt == "jwk":
            return jwk_ordered({
                "kty": "oct", "k": b64url_encode(self.material),
                "alg": f"A{len(self.material) * 8}{self.name[4:]}",
                "key_ops": usage_list(self.usages), "ext": True})
        raise not_supported(f'{self.name} key only supports exporting "raw", "raw-secret" & "jwk", not "{fmt}".')


class AesGcmKey(AesKey):
    __slots__ = ()

    def _params(self, alg):
        iv = require(alg, "iv")
        if not len(iv):
            raise operation_error("AES-GCM IV must not be empty.")
        tag_length = field(alg, "tagLength")
        if tag_length is None:
            tag_length = 128
        if tag_length not in (32, 64, 96, 104, 112, 120, 128):
            raise operation_error(f"Invalid AES-GCM tag length {tag_length}.")
        return bytes(iv), bytes(field(alg, "additionalData") or b""), tag_length // 8

    def encrypt(self, alg, data):
        iv, aad, tag = self._params(alg)
        if len(data) > (1 << 39) - 256:
            raise operation_error("AES-GCM can only encrypt up to 2^39 - 256 bytes of plaintext at a time, "
                                  f"but requested {len(data)} bytes.")
        if 8 <= len(iv) <= 128:
            out = AESGCM(self.material).encrypt(iv, data, aad or None)
        else:
            out = _gcm_any_iv(self.material, iv, aad, data, True)
        return out if tag == 16 else out[:len(data) + tag]

    def decrypt(self, alg, data):
        iv, aad, tag = self._params(alg)
        if len(data) < tag:
            raise operation_error(f"Ciphertext length of {len(data) * 8} bits must be greater than or equal to "
                                  f"the size of the AES-GCM tag length of {tag * 8} bits.")
        n = len(data) - tag
        try:
            if not (8 <= len(iv) <= 128):
                return _gcm_any_iv(self.material, iv, aad, data, False, tag)
            if tag == 16:
                return AESGCM(self.material).decrypt(iv, data, aad or None)
            dec = Cipher(algorithms.AES(self.material), modes.GCM(iv, data[n:], min_tag_length=tag)).decryptor()
            if aad:
                dec.authenticate_additional_data(aad)
            return dec.update(data[:n]) + dec.finalize()
        except InvalidTag:
            raise operation_error(_DECRYPT_FAILED.format(n, n, "AES-GCM")) from None


class AesCbcKey(AesKey):
    __slots__ = ()

    def encrypt(self, alg, data):
        iv = require(alg, "iv")
        if len(iv) != 16:
            raise operation_error(f"AES-CBC IV must be 16 bytes long (provided {len(iv)} bytes).")
        pad = 16 - len(data) % 16
        enc = Cipher(algorithms.AES(self.material), modes.CBC(bytes(iv))).encryptor()
        return enc.update(data + bytes([pad]) * pad) + enc.finalize()

    def decrypt(self, alg, data):
        iv = require(alg, "iv")
        if len(iv) != 16:
            raise operation_error(f"AES-CBC IV must be 16 bytes long (provided {len(iv)}).")
        n = len(data)
        if n == 0 or n % 16:
            raise operation_error(_DECRYPT_FAILED.format(n, n // 16 * 16, "AES-CBC"))
        dec = Cipher(algorithms.AES(self.material), modes.CBC(bytes(iv))).decryptor()
        out = dec.update(data) + dec.finalize()
        pad = out[-1]
        if not 1 <= pad <= 16 or not _hmac.compare_digest(out[-pad:], bytes([pad]) * pad):
            raise operation_error(_DECRYPT_FAILED.format(n, n - 16, "AES-CBC"))
        return out[:-pad]


def aes_ctr(key: bytes, counter: bytes, bits: int, data: bytes) -> bytes:
    """AES-CTR where only the rightmost `bits` bits of the counter block count (and wrap to 0)."""
    blocks = (len(data) + 15) // 16
    if blocks > (1 << bits):
        raise operation_error("Counter block values will repeat.")
    whole = int.from_bytes(counter, "big")
    mask = (1 << bits) - 1
    left = (1 << bits) - (whole & mask)  # blocks before the counter part wraps
    if blocks <= left:
        enc = Cipher(algorithms.AES(key), modes.CTR(counter)).encryptor()
        return enc.update(data) + enc.finalize()
    cut = left * 16
    first = Cipher(algorithms.AES(key), modes.CTR(counter)).encryptor()
    second = Cipher(algorithms.AES(key), modes.CTR((whole & ~mask).to_bytes(16, "big"))).encryptor()
    return first.update(data[:cut]) + first.finalize() + second.update(data[cut:]) + second.finalize()


class AesCtrKey(AesKey):
    __slots__ = ()

    def encrypt(self, alg, data):
        counter = require(alg, "counter", msg='Missing "counter" member in "algorithm".')
        if len(counter) != 16:
            raise operation_error(f"Counter must have length of 16 bytes (provided {len(counter)}).")
        bits = require(alg, "length", msg='Missing "length" member in "algorithm".')
        if not 0 < bits <= 128:
            raise operation_error(f"Invalid counter of {bits} bits length provided.")
        return aes_ctr(self.material, bytes(counter), bits, data)

    decrypt = encrypt


class AesKwKey(AesKey):
    __slots__ = ()

    def wrap(self, alg, data):
        if len(data) % 8:
            raise operation_error("Unwrapped key bit length must be a multiple of 64 bits but unwrapped key has "
                                  f"a length of {len(data) * 8} bits.")
        if len(data) < 16:
            raise operation_error(f"Unwrapped key has length {len(data)} bytes but it should be greater than or "
                                  f"equal to 16 and less than or equal to {(1 << 64) - 9}")
        return keywrap.aes_key_wrap(self.material, data)

    def unwrap(self, alg, data):
        if len(data) % 8:
            raise operation_error(f"Provided a wrapped key to unwrap that is {len(data) * 8} bits which isn't a "
                                  "multiple of 64 bits.")
        if len(data) < 24:
            raise operation_error(f"Provided a wrapped key to unwrap this is {len(data) * 8} bits that is less "
                                  "than the minimal length of 192 bits.")
        try:
            return keywrap.aes_key_unwrap(self.material, data)
        except keywrap.InvalidUnwrap:
            raise operation_error("AES-KW key unwrapping failed.") from None


_AES_CLASSES = {"AES-GCM": AesGcmKey, "AES-CBC": AesCbcKey, "AES-CTR": AesCtrKey, "AES-KW": AesKwKey}


def _aes_usages(name, context, usages):
    mask = WRAP_KEY | UNWRAP_KEY
    if name != "AES-KW":
        mask |= ENCRYPT | DECRYPT
    return validate_usages(name, context, usages, mask)


def generate_aes(name, alg, extractable, usages):
    bits = _aes_usages(name, "generate", usages)
    length = require(alg, "length")
    if length not in (128, 192, 256):
        raise operation_error(f"Generated AES key length must be 128, 192, or 256 bits but requested {length}.")
    return _AES_CLASSES[name](name, "secret", extractable, bits, {"name": name, "length": length},
                              os.urandom(length // 8))


def import_aes(name, fmt, data, alg, extractable, usages):
    bits = _aes_usages(name, "secret", usages)
    if fmt in ("raw", "raw-secret"):
        key = bytes(data)
        if len(key) not in (16, 24, 32):
            raise data_error(f"Imported AES key length must be 128, 192, or 256 bits but provided {len(key) * 8}.")
    elif fmt == "jwk":
        jwk = data
        if jwk.get("kty") != "oct":
            raise data_error('Symmetric "jwk" key import requires a JSON Web Key with Key Type parameter "kty" '
                             f'equal to "oct" (encountered "{jwk.get("kty")}").')
        key = b64url_decode(jwk.get("k"), 'Symmetric "jwk" key import requires a base64Url encoding of the key.')
        if len(key) not in (16, 24, 32):
            raise data_error(f"Imported AES key length must be 128, 192, or 256 bits but provided {len(key) * 8}.")
        expected = f"A{len(key) * 8}{name[4:]}"
        if jwk.get("alg") is not None and jwk["alg"] != expected:
            raise data_error(f'Symmetric "jwk" key contains invalid "alg" value "{jwk["alg"]}", expected '
                             f'"{expected}".')
        if usages and jwk.get("use") is not None and jwk["use"] != "enc":
            raise data_error(f'Symmetric "jwk" key must have a "use" of "enc", not "{jwk["use"]}".')
        check_jwk_ops(jwk, usages)
    else:
        raise not_supported(f'Unrecognized key import format "{fmt}".')
    return _AES_CLASSES[name](name, "secret", extractable, bits, {"name": name, "length": len(key) * 8}, key)


# --- GCM with an IV outside the 8..128 bytes `cryptography` accepts (SP 800-38D, 7.1) ------------
_R = 0xE1 << 120


def _gf_mul(x: int, y: int) -> int:
    z = 0
    for i in range(127, -1, -1):
        if (x >> i) & 1:
            z ^= y
        y = (y >> 1) ^ _R if y & 1 else y >> 1
    return z


def _ghash(h: int, *parts: bytes) -> int:
    y = 0
    for part in parts:
        part = part + b"\0" * (-len(part) % 16)
        for i in range(0, len(part), 16):
            y = _gf_mul(y ^ int.from_bytes(part[i:i + 16], "big"), h)
    return y


def _gcm_any_iv(key: bytes, iv: bytes, aad: bytes, data: bytes, encrypting: bool, tag_len: int = 16) -> bytes:
    ecb = Cipher(algorithms.AES(key), modes.ECB()).encryptor()
    h = int.from_bytes(ecb.update(b"\0" * 16), "big")
    if len(iv) == 12:
        j0 = int.from_bytes(iv + b"\0\0\0\1", "big")
    else:
        j0 = _ghash(h, iv, (len(iv) * 8).to_bytes(16, "big"))
    first = ((j0 & ~0xFFFFFFFF) | ((j0 + 1) & 0xFFFFFFFF)).to_bytes(16, "big")
    if encrypting:
        text = aes_ctr(key, first, 32, data)
        cipher = text
    else:
        cipher = data[:len(data) - tag_len]
        text = aes_ctr(key, first, 32, cipher)
    s = _ghash(h, aad, cipher, (len(aad) * 8).to_bytes(8, "big") + (len(cipher) * 8).to_bytes(8, "big"))
    tag = (s ^ int.from_bytes(ecb.update(j0.to_bytes(16, "big")), "big")).to_bytes(16, "big")
    if encrypting:
        return text + tag
    if not _hmac.compare_digest(tag[:tag_len], data[len(data) - tag_len:]):
        raise InvalidTag()
    return text


# =============================================================================================
# HMAC (https://w3c.github.io/webcrypto/#hmac)

try:  # OpenSSL's HMAC object: keyed once per CryptoKey, then copied per message (the fast path)
    from _hashlib import hmac_new as _hmac_new
except ImportError:  # pragma: no cover
    _hmac_new = None


class HmacKey(Key):
    __slots__ = ("_mac",)

    def _digest(self, data):
        mac = getattr(self, "_mac", None)
        if mac is None:
            name = self.algorithm["hash"]["name"]
            mac = self._mac = (_hmac_new(self.material, digestmod=DIGESTS[name][0]) if _hmac_new is not None
                               else _hmac.new(self.material, digestmod=HASHLIB[name]))
        h = mac.copy()
        h.update(data)
        return h.digest()

    def sign(self, alg, data):
        return self._digest(data)

    def verify(self, alg, signature, data):
        return _hmac.compare_digest(self._digest(data), bytes(signature))

    def export(self, fmt):
        if fmt in ("raw", "raw-secret"):
            return bytes(self.material)
        if fmt == "jwk":
            h = self.algorithm["hash"]["name"]
            if not h.startswith("SHA-"):
                raise not_supported(f'Unimplemented JWK key export format for key algorithm "{h}".')
            return jwk_ordered({"kty": "oct", "k": b64url_encode(self.material), "alg": "HS" + h[4:],
                                "key_ops": usage_list(self.usages), "ext": True})
        raise not_supported(f'Unimplemented key export format "{fmt}".')


def _zero_trailing_bits(key: bytes, bits: int) -> bytes:
    if bits % 8 and key:
        key = key[:-1] + bytes([key[-1] & (0xFF00 >> (bits % 8)) & 0xFF])
    return key


def generate_hmac(name, alg, extractable, usages):
    hash_name = lookup_digest(require(alg, "hash"))
    bits = validate_usages(name, "generate", usages, SIGN | VERIFY)
    length = field(alg, "length")
    if length is None:
        length = DIGESTS[hash_name][1] * 8
    if length <= 0:
        raise operation_error(f"HMAC key length must be a non-zero unsigned long integer (requested {length}).")
    key = _zero_trailing_bits(os.urandom((length + 7) // 8), length)
    return HmacKey(name, "secret", extractable, bits, {"name": name, "hash": {"name": hash_name}, "length": length},
                   key)


def import_hmac(name, fmt, data, alg, extractable, usages):
    bits = validate_usages(name, "secret", usages, SIGN | VERIFY)
    hash_given = require(alg, "hash")
    if fmt in ("raw", "raw-secret"):
        key = bytes(data)
    elif fmt == "jwk":
        jwk = data
        if jwk.get("kty") != "oct":
            raise data_error('HMAC "jwk" key import requires a JSON Web Key with Key Type parameter ("kty") equal '
                             f'to "oct" (encountered "{jwk.get("kty")}").')
        key = b64url_decode(jwk.get("k"), 'HMAC "jwk" key import requires a base64Url encoding of the key')
        jalg = jwk.get("alg")
        if jalg is not None:
            if hash_given.startswith("SHA-"):
                expected = "HS" + hash_given[4:]
                if jalg != expected:
                    raise data_error('HMAC "jwk" key import specifies "alg" that is incompatible with the hash '
                                     f'name (encountered "{jalg}", expected "{expected}").')
            else:
                raise not_supported("Unrecognized or unimplemented hash algorithm requested" + jalg)
        # (workerd checks neither "use" nor "key_ops" of an HMAC JWK)
    else:
        raise not_supported(f'Unrecognized key import format "{fmt}".')
    size = len(key) * 8
    length = field(alg, "length")
    if length is None:
        length = size
    if length <= 0 or length > size or length <= size - 8:
        raise data_error(f"Imported HMAC key length ({length}) must be a non-zero value up to 7 bits less than, "
                         f"and no greater than, the bit length of the raw key data ({size}).")
    key = _zero_trailing_bits(key, length)
    hash_name = lookup_digest(hash_given)
    return HmacKey(name, "secret", extractable, bits, {"name": name, "hash": {"name": hash_name}, "length": length},
                   key)


# =============================================================================================
# PBKDF2 and HKDF (https://w3c.github.io/webcrypto/#pbkdf2, #hkdf)

class Pbkdf2Key(Key):
    __slots__ = ()

    def derive_bits(self, alg, length):
        hash_name = lookup_digest(require(alg, "hash"))
        salt = require(alg, "salt")
        iterations = require(alg, "iterations")
        if length is None:
            raise operation_error("PBKDF2 cannot derive a key with null length.")
        if length % 8:
            raise operation_error("PBKDF2 requires a derived key length that is a multiple of eight (requested "
                                  f"{length}).")
        if iterations <= 0:
            raise operation_error(f"PBKDF2 requires a positive iteration count (requested {iterations}).")
        if length == 0:
            return b""
        return PBKDF2HMAC(crypto_hash(hash_name), length // 8, bytes(salt), iterations).derive(self.material)


class HkdfKey(Key):
    __slots__ = ()

    def derive_bits(self, alg, length):
        hash_name = lookup_digest(require(alg, "hash"))
        salt = require(alg, "salt")
        info = require(alg, "info")
        if length is None:
            raise operation_error("HKDF cannot derive a key with null length.")
        if length % 8:
            raise operation_error(f"HKDF requires a derived key length that is a multiple of eight (requested "
                                  f"{length}).")
        if length == 0:
            return b""
        try:
            return HKDF(crypto_hash(hash_name), length // 8, bytes(salt), bytes(info)).derive(self.material)
        except ValueError:
            raise operation_error("HKDF deriveBits failed.") from None


def import_kdf(name, fmt, data, alg, extractable, usages):
    bits = validate_usages(name, "secret", usages, DERIVE_MASK)
    if extractable:
        raise syntax_error(f"{name} key cannot be extractable.")
    if fmt not in ("raw", "raw-secret"):
        end = ")." if name == "PBKDF2" else ")"
        raise not_supported(f'{name} key must be imported in "raw" format (requested "{fmt}"{end}')
    cls = Pbkdf2Key if name == "PBKDF2" else HkdfKey
    return cls(name, "secret", False, bits, {"name": name}, bytes(data))
