"""Elliptic curves: ECDSA and ECDH on P-256/P-384/P-521 (https://w3c.github.io/webcrypto/#ecdsa),
Ed25519 and X25519 (https://wicg.github.io/webcrypto-secure-curves/), and workerd's older
"NODE-ED25519" name for Ed25519 (which carries namedCurve "NODE-ED25519")."""
from __future__ import annotations

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, x25519
from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature, encode_dss_signature

from ._asym import AsymmetricKey, import_asymmetric, split_pair
from ._util import (DERIVE_MASK, PRIVATE_MASK, PUBLIC_MASK, SIGN, VERIFY, b64url_decode, b64url_encode,
                    bytes_to_int, crypto_hash, data_error, int_to_bytes, invalid_access, lookup_digest,
                    not_supported, operation_error, truncate_bits, validate_usages)

# normalized curve name -> (cryptography curve class, bytes of r and s in a signature / of a coordinate)
CURVES = {"P-256": (ec.SECP256R1, 32), "P-384": (ec.SECP384R1, 48), "P-521": (ec.SECP521R1, 66)}
_CURVE_UPPER = {k.upper(): k for k in CURVES}
_JWS_CURVES = {"ES256": "P-256", "ES384": "P-384", "ES512": "P-521"}
_RAW = serialization.Encoding.Raw


def lookup_curve(name) -> str:
    c = _CURVE_UPPER.get(str(name).upper())
    if c is None:
        raise not_supported(f'Unrecognized or unimplemented EC curve "{name}" requested.')
    return c


def _alg_kind(key) -> str:
    """Which KeyAlgorithm dictionary a key exposes (workerd compares these before deriving)."""
    a = key.algorithm
    if "namedCurve" in a:
        return "ec"
    if "modulusLength" in a:
        return "rsa"
    if "hash" in a:
        return "hmac"
    if "length" in a:
        return "aes"
    return "plain"


def _check_peer(self, alg):
    if self.type != "private":
        raise invalid_access(f'The deriveBits operation is only valid for a private key, not "{self.type}".')
    peer = alg.get("public")
    if peer is None:
        raise TypeError('Missing field "public" in "derivedKeyParams".')
    if peer.type != "public":
        raise invalid_access(f'The provided key has type "{peer.type}", not "public"')
    if _alg_kind(self) != _alg_kind(peer):
        raise invalid_access(f"Base {self.name} private key cannot be used to derive a key from a peer "
                             f"{peer.name} public key")
    if self.name != peer.name:
        raise invalid_access(f'Private key for derivation is using "{self.name}" while public key is using '
                             f'"{peer.name}".')
    return peer


class EcKey(AsymmetricKey):
    __slots__ = ()

    @property
    def curve(self) -> str:
        return self.algorithm["namedCurve"]

    def _require_ecdsa(self):
        if self.name != "ECDSA":
            raise not_supported(f'The sign and verify operations are not implemented for "{self.name}".')

    def _hash(self, alg):
        self._require_ecdsa()
        h = alg.get("hash")
        if h is None:
            raise TypeError('Missing "hash" in AlgorithmIdentifier. (ECDSA requires that the hash algorithm be '
                            "specified at call time rather than on the key. This differs from other WebCrypto "
                            "algorithms for historical reasons.)")
        return crypto_hash(lookup_digest(h))

    def sign(self, alg, data):
        self.require_private_for_signing()
        h = self._hash(alg)
        r, s = decode_dss_signature(self.material.sign(data, ec.ECDSA(h)))
        size = CURVES[self.curve][1]
        return r.to_bytes(size, "big") + s.to_bytes(size, "big")

    def verify(self, alg, signature, data):
        self.require_public_for_verifying()
        self._require_ecdsa()
        size = CURVES[self.curve][1]
        h = self._hash(alg)
        if len(signature) != 2 * size:
            return False
        der = encode_dss_signature(bytes_to_int(signature[:size]), bytes_to_int(signature[size:]))
        try:
            self.material.verify(der, data, ec.ECDSA(h))
            return True
        except (InvalidSignature, ValueError):
            return False

    def derive_bits(self, alg, length):
        if self.name != "ECDH":
            raise not_supported(f'The deriveBits operation is not implemented for "{self.name}".')
        peer = _check_peer(self, alg)
        if self.curve != peer.curve:
            raise invalid_access(f'Private key for derivation is using curve "{self.curve}" while public key is '
                                 f'using "{peer.curve}".')
        secret = self.material.exchange(ec.ECDH(), peer.material)
        return truncate_bits(secret, length, len(secret) * 8)

    def export_jwk(self):
        size = CURVES[self.curve][1]
        if self.type == "private":
            priv = self.material.private_numbers()
            pub = priv.public_numbers
        else:
            priv, pub = None, self.material.public_numbers()
        jwk = {"kty": "EC", "crv": self.curve, "x": b64url_encode(int_to_bytes(pub.x, size)),
               "y": b64url_encode(int_to_bytes(pub.y, size))}
        if priv is not None:
            jwk["d"] = b64url_encode(int_to_bytes(priv.private_value, size))
        return jwk

    def export_raw(self):
        if self.type != "public":
            raise invalid_access("Raw export of elliptic curve keys is only allowed for public keys.")
        return self.material.public_bytes(serialization.Encoding.X962,
                                          serialization.PublicFormat.UncompressedPoint)


def _ec_allowed(name):
    return SIGN | VERIFY if name == "ECDSA" else DERIVE_MASK


def generate_ec(name, alg, extractable, usages, strict=True):
    bits = validate_usages(name, "generate", usages, _ec_allowed(name))
    curve_given = alg.get("namedCurve")
    if curve_given is None:
        raise TypeError('Missing field "namedCurve" in "algorithm".')
    curve = lookup_curve(curve_given)
    private = ec.generate_private_key(CURVES[curve][0]())
    if name == "ECDSA":
        priv_bits, pub_bits = bits & PRIVATE_MASK, bits & PUBLIC_MASK
    else:
        priv_bits, pub_bits = bits, 0
    return split_pair(EcKey, name, {"name": name, "namedCurve": curve}, extractable, priv_bits, pub_bits,
                      private, private.public_key())


def _read_ec_jwk(name, curve):
    def read(jwk):
        if jwk.get("kty") != "EC":
            raise data_error('Elliptic curve "jwk" key import requires a JSON Web Key with Key Type parameter '
                             f'"kty" ("{jwk.get("kty")}") equal to "EC".')
        jalg = jwk.get("alg")
        if name == "ECDSA" and jalg is not None:
            c = _JWS_CURVES.get(jalg)
            if c is None:
                raise not_supported(f'Unrecognized or unimplemented algorithm "{jalg}" listed in JSON Web Key '
                                    'Algorithm parameter.')
            if c != curve:
                raise data_error(f'JSON Web Key Algorithm parameter "alg" ("{jalg}") does not match requested '
                                 'curve.')
        x = bytes_to_int(b64url_decode(jwk.get("x"), 'Invalid EC key in JSON Web Key; missing "x".'))
        y = bytes_to_int(b64url_decode(jwk.get("y"), 'Invalid EC key in JSON Web Key; missing "y".'))
        try:
            pub = ec.EllipticCurvePublicNumbers(x, y, CURVES[curve][0]())
            pub_key = pub.public_key()
        except ValueError:
            raise operation_error('Invalid EC key; public key coordinates "x" and "y" are invalid: Point is not on '
                                  'curve..') from None
        if jwk.get("d") is None:
            return pub_key
        d = bytes_to_int(b64url_decode(jwk.get("d"), "Invalid EC key in JSON Web Key; missing or invalid private "
                                                     'key component ("d").'))
        try:
            return ec.EllipticCurvePrivateNumbers(d, pub).private_key()
        except ValueError:
            raise data_error("Invalid EC key in JSON Web Key.") from None
    return read


def _import_raw_ec(name, data, curve, usages, allowed):
    bits = validate_usages(name, "public", usages, allowed)
    raw, size = bytes(data), CURVES[curve][1]
    try:
        key = ec.EllipticCurvePublicKey.from_encoded_point(CURVES[curve][0](), raw)
    except ValueError:
        # the reasons BoringSSL gives, in workerd's words (its message ends in two dots)
        if not ((len(raw) == 1 + 2 * size and raw[0] == 4) or (len(raw) == 1 + size and raw[0] in (2, 3))):
            why = "Invalid point encoding."
        elif raw[0] == 4:
            why = "Point is not on curve."
        else:
            why = "Invalid compressed point."
        raise data_error(f"Failed to import raw EC key data: {why}.") from None
    return "public", bits, key


def import_ec(name, fmt, data, alg, extractable, usages, strict=True):
    curve_given = alg.get("namedCurve")
    if curve_given is None:
        raise TypeError('Missing field "namedCurve" in "algorithm".')
    curve = lookup_curve(curve_given)
    if fmt in ("raw", "raw-public"):
        if name == "ECDSA":
            allowed = VERIFY
        else:  # public ECDH keys have no usages (workerd before strict_crypto_checks allowed derive*)
            allowed = 0 if strict else DERIVE_MASK
        key_type, bits, key = _import_raw_ec(name, data, curve, usages, allowed)
    else:
        key_type, bits, key = import_asymmetric(name, fmt, data, extractable, usages, _read_ec_jwk(name, curve),
                                                _ec_allowed(name), strict)
    if not isinstance(key, (ec.EllipticCurvePrivateKey, ec.EllipticCurvePublicKey)):
        raise data_error("Input was not an EC key." if name == "ECDSA" else
                         "Input was not an EC public key nor a DH key.")
    if key.curve.name != CURVES[curve][0].name:
        sep = "" if name == "ECDSA" else ","
        raise data_error(f'"algorithm.namedCurve" "{curve_given}"{sep} does not match the curve specified by the '
                         "input key data.")
    return EcKey(name, key_type, extractable, bits, {"name": name, "namedCurve": curve}, key)


# =============================================================================================
# Ed25519 / X25519

class OkpKey(AsymmetricKey):
    __slots__ = ()

    def sign(self, alg, data):
        self.require_private_for_signing()
        if self.name not in ("Ed25519", "NODE-ED25519"):
            raise operation_error(f'Not implemented for algorithm "{self.name}".')
        return self.material.sign(data)

    def verify(self, alg, signature, data):
        self.require_public_for_verifying()
        if self.name not in ("Ed25519", "NODE-ED25519"):
            raise operation_error("Not implemented for this algorithm" + self.name)
        if len(signature) != 64:
            raise operation_error(f"Invalid {self.name} signature length {len(signature)}")
        try:
            self.material.verify(bytes(signature), data)
            return True
        except InvalidSignature:
            return False

    def derive_bits(self, alg, length):
        if self.name != "X25519":
            raise not_supported(f'The deriveBits operation is not implemented for "{self.name}".')
        peer = _check_peer(self, alg)
        if length is not None and length > 256:
            raise operation_error(f"Derived key length ({length} bits) is too long (should be at most 256 bits).")
        try:
            secret = self.material.exchange(peer.material)
        except ValueError:
            secret = b"\0" * 32
        if not any(secret):
            raise operation_error("Detected small order secure curve points, aborting EDDH derivation")
        return truncate_bits(secret, length, 256)

    def _raw_public(self) -> bytes:
        pub = self.material if self.type == "public" else self.material.public_key()
        return pub.public_bytes(_RAW, serialization.PublicFormat.Raw)

    def export_jwk(self):
        jwk = {"kty": "OKP", "crv": "X25519" if self.name == "X25519" else "Ed25519",
               "x": b64url_encode(self._raw_public())}
        if self.name == "Ed25519":
            jwk["alg"] = "EdDSA"
        if self.type == "private":
            jwk["d"] = b64url_encode(self.material.private_bytes(_RAW, serialization.PrivateFormat.Raw,
                                                                 serialization.NoEncryption()))
        return jwk

    def export_raw(self):
        if self.type != "public":
            raise invalid_access(f"Raw export of {self.name} keys is only allowed for public keys.")
        return self._raw_public()


def _okp_classes(name):
    if name == "X25519":
        return x25519.X25519PrivateKey, x25519.X25519PublicKey
    return ed25519.Ed25519PrivateKey, ed25519.Ed25519PublicKey


def _okp_algorithm(name):
    if name == "NODE-ED25519":
        return {"name": name, "namedCurve": name}
    return {"name": name}


def _check_node_curve(name, alg):
    if name == "NODE-ED25519":
        c = alg.get("namedCurve")
        if c is None:
            raise TypeError('Missing field "namedCurve" in "algorithm".')
        if c != "NODE-ED25519":
            raise not_supported(f'EDDSA curve "{c}" isn\'t supported.')


def generate_okp(name, alg, extractable, usages, strict=True):
    bits = validate_usages(name, "generate", usages, DERIVE_MASK if name == "X25519" else SIGN | VERIFY)
    _check_node_curve(name, alg)
    private = _okp_classes(name)[0].generate()
    return split_pair(OkpKey, name, _okp_algorithm(name), extractable, bits & PRIVATE_MASK, bits & PUBLIC_MASK,
                      private, private.public_key())


def _read_okp_jwk(name):
    curve = "X25519" if name == "X25519" else "Ed25519"
    priv_cls, pub_cls = _okp_classes(name)

    def read(jwk):
        if jwk.get("kty") != "OKP":
            raise data_error(f'{curve} "jwk" key imports requires a JSON Web Key with Key Type parameter "kty" '
                             f'("{jwk.get("kty")}") equal to "OKP".')
        crv = jwk.get("crv")
        if crv is None:
            raise data_error(f'Missing field "crv" for {curve} key.')
        if crv != curve:
            raise not_supported(f'Only {curve} is supported but "{crv}" was requested.')
        jalg = jwk.get("alg")
        if curve == "Ed25519" and jalg is not None and jalg not in ("EdDSA", "Ed25519"):
            raise data_error(f'JSON Web Key Algorithm parameter "alg" ("{jalg}") does not match requested Ed25519 '
                             "curve.")
        x = b64url_decode(jwk.get("x"), f'Invalid {crv} key in JSON WebKey; missing or invalid public key '
                                        'component ("x").')
        if len(x) != 32:
            raise data_error(f"Invalid length {len(x)} for public key")
        if jwk.get("d") is None:
            return pub_cls.from_public_bytes(x)
        d = b64url_decode(jwk.get("d"), f'Invalid {curve} key in JSON Web Key; missing or invalid private key '
                                        'component ("d").')
        if len(d) != 32:
            raise data_error(f"Invalid length {len(d)} for private key")
        return priv_cls.from_private_bytes(d)
    return read


def import_okp(name, fmt, data, alg, extractable, usages, strict=True):
    _check_node_curve(name, alg)
    priv_cls, pub_cls = _okp_classes(name)
    if fmt in ("raw", "raw-public"):
        bits = validate_usages(name, "public", usages, 0 if name == "X25519" else VERIFY)
        raw = bytes(data)
        if len(raw) != 32:
            curve = "X25519" if name == "X25519" else "Ed25519"
            raise data_error(f"{curve} raw keys must be exactly 32-bytes (provided {len(raw)}).")
        key_type, key = "public", pub_cls.from_public_bytes(raw)
    else:
        key_type, bits, key = import_asymmetric(name, fmt, data, extractable, usages, _read_okp_jwk(name),
                                                DERIVE_MASK if name == "X25519" else SIGN | VERIFY, strict)
        if not isinstance(key, (priv_cls, pub_cls)):
            raise data_error(f"Input was not an {'X25519' if name == 'X25519' else 'Ed25519'} key.")
    return OkpKey(name, key_type, extractable, bits, _okp_algorithm(name), key)
