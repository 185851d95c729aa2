"""RSASSA-PKCS1-v1_5, RSA-PSS and RSA-OAEP (https://w3c.github.io/webcrypto/#rsassa-pkcs1)."""
from __future__ import annotations

import math
import secrets

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric import padding, rsa

from ._asym import AsymmetricKey, import_asymmetric, split_pair
from ._util import (DECRYPT, DIGESTS, ENCRYPT, PRIVATE_MASK, PUBLIC_MASK, SIGN, UNWRAP_KEY, VERIFY, WRAP_KEY,
                    b64url_decode, b64url_encode, bytes_to_int, crypto_hash, data_error, field, int_to_bytes,
                    invalid_access, lookup_digest, not_supported, operation_error, require, validate_usages)

_JWK_ALGS = {
    "RSASSA-PKCS1-v1_5": {"RS1": "SHA-1", "RS256": "SHA-256", "RS384": "SHA-384", "RS512": "SHA-512"},
    "RSA-PSS": {"PS1": "SHA-1", "PS256": "SHA-256", "PS384": "SHA-384", "PS512": "SHA-512"},
    "RSA-OAEP": {"RSA-OAEP": "SHA-1", "RSA-OAEP-256": "SHA-256", "RSA-OAEP-384": "SHA-384",
                 "RSA-OAEP-512": "SHA-512"},
}


class RsaKey(AsymmetricKey):
    __slots__ = ()

    @property
    def hash_name(self) -> str:
        return self.algorithm["hash"]["name"]

    def _size(self) -> int:
        return (self.material.key_size + 7) // 8

    # --- RSASSA-PKCS1-v1_5 and RSA-PSS --------------------------------------------------------
    def _pss(self, alg, size_checks: bool):
        salt = field(alg, "saltLength")
        if salt is None:
            if size_checks:
                raise data_error("Failed to provide salt for RSA-PSS key operation which requires a salt")
            raise TypeError("Failed to provide salt for RSA-PSS key operation which requires a salt")
        if salt < 0:
            raise data_error(f"SaltLength for RSA-PSS must be non-negative (provided {salt}).")
        if size_checks:
            md = DIGESTS[self.hash_name][2]
            if md + 2 > self._size():
                raise operation_error("key too small for signing with given digest")
            if salt > self._size() - md - 2:
                raise operation_error("key too small for signing with given digest and salt length")
        h = crypto_hash(self.hash_name)
        return padding.PSS(padding.MGF1(h), salt)

    def sign(self, alg, data):
        if self.name == "RSA-OAEP":
            raise not_supported('The sign and verify operations are not implemented for "RSA-OAEP".')
        self.require_private_for_signing()
        h = crypto_hash(self.hash_name)
        if self.name == "RSA-PSS":
            pad = self._pss(alg, True)
        else:
            md = DIGESTS[self.hash_name][2]
            if md + 32 > self._size():
                raise operation_error("key too small for signing with given digest, need at least "
                                      f"{8 * (md + 32)}bits.")
            pad = padding.PKCS1v15()
        return self.material.sign(data, pad, h)

    def verify(self, alg, signature, data):
        if self.name == "RSA-OAEP":
            raise not_supported('The sign and verify operations are not implemented for "RSA-OAEP".')
        self.require_public_for_verifying()
        h = crypto_hash(self.hash_name)
        pad = self._pss(alg, False) if self.name == "RSA-PSS" else padding.PKCS1v15()
        try:
            self.material.verify(bytes(signature), data, pad, h)
            return True
        except (InvalidSignature, ValueError):
            return False

    # --- RSA-OAEP -------------------------------------------------------------------------------
    def _oaep(self, alg):
        h = crypto_hash(self.hash_name)
        label = field(alg, "label")
        return padding.OAEP(padding.MGF1(h), h, bytes(label) if label else None)

    def encrypt(self, alg, data):
        if self.name != "RSA-OAEP":
            return super().encrypt(alg, data)
        if self.type != "public":
            raise invalid_access(f'Encryption/key wrapping only works with public keys, not "{self.type}".')
        try:
            return self.material.encrypt(data, self._oaep(alg))
        except ValueError:
            raise operation_error("RSA-OAEP failed encrypt/decrypt.") from None

    def decrypt(self, alg, data):
        if self.name != "RSA-OAEP":
            return super().decrypt(alg, data)
        if self.type != "private":
            raise invalid_access(f'Decryption/key unwrapping only works with private keys, not "{self.type}".')
        try:
            return self.material.decrypt(data, self._oaep(alg))
        except ValueError:
            raise operation_error("RSA-OAEP failed encrypt/decrypt.") from None

    # --- export -------------------------------------------------------------------------------
    def export_jwk(self):
        h = self.hash_name
        if not h.startswith("SHA"):
            raise not_supported(f'JWK export not supported for hash algorithm "{h}".')
        if self.name == "RSA-OAEP":
            jalg = "RSA-OAEP" if h == "SHA-1" else "RSA-OAEP-" + h[4:]
        else:
            jalg = ("PS" if self.name == "RSA-PSS" else "RS") + h[4:]
        if self.type == "private":
            priv = self.material.private_numbers()
            pub = priv.public_numbers
        else:
            priv, pub = None, self.material.public_numbers()
        jwk = {"kty": "RSA", "alg": jalg, "n": b64url_encode(int_to_bytes(pub.n)),
               "e": b64url_encode(int_to_bytes(pub.e))}
        if priv is not None:
            for k, v in (("d", priv.d), ("p", priv.p), ("q", priv.q), ("dp", priv.dmp1), ("dq", priv.dmq1),
                         ("qi", priv.iqmp)):
                jwk[k] = b64url_encode(int_to_bytes(v))
        return jwk


def _allowed(name):
    if name == "RSA-OAEP":
        return ENCRYPT | DECRYPT | WRAP_KEY | UNWRAP_KEY
    return SIGN | VERIFY


def _check_params(modulus_bits: int, exponent: bytes, importing: bool, strict: bool) -> None:
    if (strict or not importing) and not (modulus_bits % 8 == 0 and 256 <= modulus_bits <= 16384):
        raise operation_error("The modulus length must be a multiple of 8 and between 256 and 16k, but "
                              f"{modulus_bits} was requested.")
    e = bytes_to_int(exponent)
    if e >> 32:
        raise operation_error('The "publicExponent" must be either 3 or 65537, but got a number larger than 2^32.')
    if not importing:
        if e not in (3, 65537):
            raise operation_error(f'The "publicExponent" must be either 3 or 65537, but got {e}.')
    elif strict and e not in (3, 17, 37, 65537):
        raise operation_error(f"Imported RSA key has invalid publicExponent {e}.")


def generate_rsa(name, alg, extractable, usages, strict=True):
    exponent = require(alg, "publicExponent")
    hash_given = require(alg, "hash")
    modulus = require(alg, "modulusLength")
    if modulus <= 0:
        raise operation_error(f"modulusLength must be greater than zero (requested {modulus}).")
    hash_name = lookup_digest(hash_given)
    bits = validate_usages(name, "generate", usages, _allowed(name))
    exponent = bytes(exponent)
    _check_params(modulus, exponent, False, strict)
    if strict and modulus & 127:
        raise operation_error("Can't generate key: RSA key size is required to be a multiple of 128")
    private = _generate(bytes_to_int(exponent), modulus)
    algorithm = {"name": name, "modulusLength": modulus, "publicExponent": exponent, "hash": {"name": hash_name}}
    return split_pair(RsaKey, name, algorithm, extractable, bits & PRIVATE_MASK, bits & PUBLIC_MASK,
                      private, private.public_key())


def _generate(e: int, bits: int):
    if bits >= 1024:
        return rsa.generate_private_key(e, bits)
    # `cryptography` refuses keys under 1024 bits; WebCrypto (and workerd) allows 256 and up.
    while True:
        p = _random_prime(bits - bits // 2, e)
        q = _random_prime(bits // 2, e)
        n = p * q
        if p != q and n.bit_length() == bits:
            break
    d = pow(e, -1, math.lcm(p - 1, q - 1))
    return rsa.RSAPrivateNumbers(p, q, d, d % (p - 1), d % (q - 1), pow(q, -1, p),
                                 rsa.RSAPublicNumbers(e, n)).private_key(unsafe_skip_rsa_key_validation=True)


def _random_prime(bits: int, e: int) -> int:
    while True:
        c = secrets.randbits(bits) | (3 << (bits - 2)) | 1
        # one gcd against the product of the small primes stands in for trial division
        if math.gcd(c, _PRIMORIAL) == 1 and pow(2, c - 1, c) == 1 and math.gcd(c - 1, e) == 1 \
                and _probably_prime(c):
            return c


_SMALL_PRIMES = [p for p in range(3, 2000, 2) if all(p % q for q in range(3, int(p ** 0.5) + 1, 2))]
_PRIMORIAL = math.prod(_SMALL_PRIMES)


def _probably_prime(n: int, rounds: int = 12) -> bool:
    """Miller-Rabin with random bases (FIPS 186-5 B.3.1); only keys under 1024 bits come here."""
    d, s = n - 1, 0
    while not d & 1:
        d >>= 1
        s += 1
    for _ in range(rounds):
        x = pow(secrets.randbelow(n - 3) + 2, d, n)
        if x in (1, n - 1):
            continue
        for _ in range(s - 1):
            x = pow(x, 2, n)
            if x == n - 1:
                break
        else:
            return False
    return True


def _read_jwk(name, hash_name):
    def read(jwk):
        if jwk.get("kty") != "RSA":
            raise data_error('RSASSA-PKCS1-v1_5 "jwk" key import requires a JSON Web Key with Key Type parameter '
                             f'"kty" ("{jwk.get("kty")}") equal to "RSA".')
        jalg = jwk.get("alg")
        if jalg is not None:
            expected = _JWK_ALGS[name].get(jalg)
            if expected is None:
                raise not_supported(f'Unrecognized or unimplemented algorithm "{jalg}" listed in JSON Web Key '
                                    'Algorithm parameter.')
            if expected != hash_name:
                raise data_error(f'JSON Web Key Algorithm parameter "alg" ("{jalg}") does not match requested hash '
                                 f'algorithm "{jalg}".')
        prefix = "Invalid RSA key in JSON Web Key; "

        def num(k, what, missing=True):
            how = "missing or invalid" if missing else "invalid"
            return bytes_to_int(b64url_decode(jwk.get(k), f'{prefix}{how} {what} parameter ("{k}").'))

        n = num("n", "Modulus")
        e = num("e", "Exponent")
        try:
            pub = rsa.RSAPublicNumbers(e, n)
            if jwk.get("d") is None:
                return pub.public_key()
            d = num("d", "Private Exponent")
            present = [k for k in ("p", "q", "dp", "dq", "qi") if jwk.get(k) is not None]
            if len(present) == 5:
                p = num("p", "First Prime Factor", False)
                q = num("q", "Second Prime Factor", False)
                dp = num("dp", "First Factor CRT Exponent", False)
                dq = num("dq", "Second Factor CRT Exponent", False)
                qi = num("qi", "First CRT Coefficient", False)
            elif not present:
                p, q = _recover_primes(n, e, d)
                dp, dq, qi = d % (p - 1), d % (q - 1), pow(q, -1, p)
            else:
                raise data_error('Invalid RSA private key in JSON Web Key; if one Prime Factor or CRT '
                                 'Exponent/Coefficient parameter is present, then they must all be present '
                                 '("p", "q", "dp", "dq", "qi").')
            numbers = rsa.RSAPrivateNumbers(p, q, d, dp, dq, qi, pub)
            if not consistent(numbers):
                raise ValueError
            return numbers.private_key(unsafe_skip_rsa_key_validation=True)
        except (ValueError, TypeError, ZeroDivisionError):
            raise data_error("Invalid RSA key in JSON Web Key.") from None
    return read


def _recover_primes(n: int, e: int, d: int):
    """p and q from n, e and d. ed - 1 is a multiple of lambda(n) = phi(n) / g with g = gcd(p-1, q-1)
    (usually small), so for the right g, phi(n) = g(ed - 1) / k with k one of the two integers next to
    g(ed - 1) / n; phi(n) gives p + q and so p and q. Otherwise the general (slower) method."""
    m = e * d - 1
    for g in range(1, 4097):
        mg = m * g
        for k in (mg // n, mg // n + 1):
            if k > 0 and mg % k == 0:
                s = n - mg // k + 1
                disc = s * s - 4 * n
                if disc >= 0:
                    r = math.isqrt(disc)
                    if r * r == disc and (s + r) % 2 == 0:
                        p, q = (s + r) // 2, (s - r) // 2
                        if p * q == n and q > 1:
                            return p, q
    return rsa.rsa_recover_prime_factors(n, e, d)


def consistent(k: rsa.RSAPrivateNumbers) -> bool:
    """The arithmetic checks of BoringSSL's RSA_check_key, without OpenSSL's primality tests (which
    take hundreds of milliseconds per import; BoringSSL, and so workerd, does not run them)."""
    n, e = k.public_numbers.n, k.public_numbers.e
    p, q = k.p, k.q
    return (p > 1 and q > 1 and p * q == n and e > 1 and (k.d * e) % (p - 1) == 1 and (k.d * e) % (q - 1) == 1
            and k.dmp1 == k.d % (p - 1) and k.dmq1 == k.d % (q - 1) and (k.iqmp * q) % p == 1)


def import_rsa(name, fmt, data, alg, extractable, usages, strict=True):
    hash_given = require(alg, "hash")
    hash_name = lookup_digest(hash_given)
    key_type, bits, key = import_asymmetric(name, fmt, data, extractable, usages, _read_jwk(name, hash_name),
                                            _allowed(name), strict)
    if not isinstance(key, (rsa.RSAPrivateKey, rsa.RSAPublicKey)):
        raise data_error("Input was not an RSA key.")
    pub = key.public_numbers() if key_type == "public" else key.private_numbers().public_numbers
    modulus = (key.key_size + 7) // 8 * 8
    exponent = int_to_bytes(pub.e)
    _check_params(modulus, exponent, True, strict)
    algorithm = {"name": name, "modulusLength": modulus, "publicExponent": exponent, "hash": {"name": hash_name}}
    return RsaKey(name, key_type, extractable, bits, algorithm, key)
