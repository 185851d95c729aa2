// WebCrypto tests for `workerd test`: known-answer vectors from the standards, and ~240 cases whose
// outcome (value, or error name and message) must equal what the real workerd answered
// (expected.json, recorded by record.py; see cases.js). Tests are small named entrypoints so
// that each runs as its own short entry into JS.
import { CASES, run } from './cases.js';

// Cases whose message comes from the JS engine itself (V8 and QuickJS word these differently):
// only the error name is compared.
const NAME_ONLY = new Set(['alg sym', 'unwrap garbage jwk', 'rsa pub jwk', 'ds new without new']);
const GROUP = 6;

// env.EXPECTED: expected.json (config.capnp) or expected-2023.json (config-2023.capnp: an older
// compatibility date, without strict_crypto_checks, crypto_preserve_public_exponent, set_tostring_tag)
async function group(i, env) {
  const EXPECTED = env.EXPECTED;
  const bad = [];
  for (const cs of CASES.slice(i * GROUP, (i + 1) * GROUP)) {
    const got = await run(cs);
    const want = EXPECTED[cs[0]];
    if (want === undefined) { bad.push(`${cs[0]}: no expected outcome recorded`); continue; }
    const same = NAME_ONLY.has(cs[0])
      ? got[1] === want[0] && got[2] === want[1]
      : JSON.stringify(got.slice(1)) === JSON.stringify(want);
    if (!same) bad.push(`${cs[0]}:\n    got  ${JSON.stringify(got.slice(1))}\n    want ${JSON.stringify(want)}`);
  }
  if (bad.length) throw new Error('\n' + bad.join('\n'));
}

export const g00 = { test: (ctrl, env) => group(0, env) };
export const g01 = { test: (ctrl, env) => group(1, env) };
export const g02 = { test: (ctrl, env) => group(2, env) };
export const g03 = { test: (ctrl, env) => group(3, env) };
export const g04 = { test: (ctrl, env) => group(4, env) };
export const g05 = { test: (ctrl, env) => group(5, env) };
export const g06 = { test: (ctrl, env) => group(6, env) };
export const g07 = { test: (ctrl, env) => group(7, env) };
export const g08 = { test: (ctrl, env) => group(8, env) };
export const g09 = { test: (ctrl, env) => group(9, env) };
export const g10 = { test: (ctrl, env) => group(10, env) };
export const g11 = { test: (ctrl, env) => group(11, env) };
export const g12 = { test: (ctrl, env) => group(12, env) };
export const g13 = { test: (ctrl, env) => group(13, env) };
export const g14 = { test: (ctrl, env) => group(14, env) };
export const g15 = { test: (ctrl, env) => group(15, env) };
export const g16 = { test: (ctrl, env) => group(16, env) };
export const g17 = { test: (ctrl, env) => group(17, env) };
export const g18 = { test: (ctrl, env) => group(18, env) };
export const g19 = { test: (ctrl, env) => group(19, env) };
export const g20 = { test: (ctrl, env) => group(20, env) };
export const g21 = { test: (ctrl, env) => group(21, env) };
export const g22 = { test: (ctrl, env) => group(22, env) };
export const g23 = { test: (ctrl, env) => group(23, env) };
export const g24 = { test: (ctrl, env) => group(24, env) };
export const g25 = { test: (ctrl, env) => group(25, env) };
export const g26 = { test: (ctrl, env) => group(26, env) };
export const g27 = { test: (ctrl, env) => group(27, env) };
export const g28 = { test: (ctrl, env) => group(28, env) };
export const g29 = { test: (ctrl, env) => group(29, env) };
export const g30 = { test: (ctrl, env) => group(30, env) };
export const g31 = { test: (ctrl, env) => group(31, env) };
export const g32 = { test: (ctrl, env) => group(32, env) };
export const g33 = { test: (ctrl, env) => group(33, env) };
export const g34 = { test: (ctrl, env) => group(34, env) };
export const g35 = { test: (ctrl, env) => group(35, env) };
export const g36 = { test: (ctrl, env) => group(36, env) };
export const g37 = { test: (ctrl, env) => group(37, env) };
export const g38 = { test: (ctrl, env) => group(38, env) };
export const g39 = { test: (ctrl, env) => group(39, env) };
export const g40 = { test: (ctrl, env) => group(40, env) };
export const g41 = { test: (ctrl, env) => group(41, env) };
export const g42 = { test: (ctrl, env) => group(42, env) };
export const g43 = { test: (ctrl, env) => group(43, env) };
export const g44 = { test: (ctrl, env) => group(44, env) };
export const g45 = { test: (ctrl, env) => group(45, env) };
export const g46 = { test: (ctrl, env) => group(46, env) };
export const g47 = { test: (ctrl, env) => group(47, env) };
export const g48 = { test: (ctrl, env) => group(48, env) };
export const g49 = { test: (ctrl, env) => group(49, env) };
export const g50 = { test: (ctrl, env) => group(50, env) };
export const g51 = { test: (ctrl, env) => group(51, env) };
export const g52 = { test: (ctrl, env) => group(52, env) };
export const g53 = { test: (ctrl, env) => group(53, env) };
export const g54 = { test: (ctrl, env) => group(54, env) };
export const g55 = { test: (ctrl, env) => group(55, env) };

export const allCasesRun = {
  test(ctrl, env) {
    const EXPECTED = env.EXPECTED;
    const n = 56 * GROUP;
    if (CASES.length > n) throw new Error(`${CASES.length - n} cases are in no group: add exports`);
    const missing = Object.keys(EXPECTED).filter((k) => !CASES.some((cs) => cs[0] === k));
    if (missing.length) throw new Error(`expected.json has unknown cases: ${missing}`);
  },
};

// --- known answers ------------------------------------------------------------------------------
const s = crypto.subtle;
const enc = new TextEncoder();
const hex = (b) => [...new Uint8Array(b)].map((x) => x.toString(16).padStart(2, '0')).join('');
const unhex = (h) => new Uint8Array(h.match(/../g).map((x) => parseInt(x, 16)));
const eq = (got, want, what) => { if (got !== want) throw new Error(`${what}: got ${got}, want ${want}`); };

export const vectorsDigest = {
  async test() {
    eq(hex(await s.digest('SHA-1', enc.encode('abc'))), 'a9993e364706816aba3e25717850c26c9cd0d89d', 'SHA-1');
    eq(hex(await s.digest({ name: 'SHA-256' }, enc.encode('abc'))),
      'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad', 'SHA-256');
    eq(hex(await s.digest('SHA-384', enc.encode('abc'))),
      'cb00753f45a35e8bb5a03d699ac65007272c32ab0eded1631a8b605a43ff5bed8086072ba1e7cc2358baeca134c825a7', 'SHA-384');
    eq(hex(await s.digest('SHA-512', enc.encode('abc'))),
      'ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f', 'SHA-512');
    eq(hex(await s.digest('MD5', enc.encode('abc'))), '900150983cd24fb0d6963f7d28e17f72', 'MD5');
    const view = new Uint8Array([0, 0x61, 0x62, 0x63, 0]).subarray(1, 4);
    eq(hex(await s.digest('SHA-1', view)), 'a9993e364706816aba3e25717850c26c9cd0d89d', 'SHA-1 of a subarray');
  },
};

export const vectorsHmac = {  // RFC 4231 test case 2
  async test() {
    const k = await s.importKey('raw', enc.encode('Jefe'), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign', 'verify']);
    const sig = await s.sign('HMAC', k, enc.encode('what do ya want for nothing?'));
    eq(hex(sig), '5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843', 'HMAC-SHA-256');
    eq(await s.verify('HMAC', k, sig, enc.encode('what do ya want for nothing?')), true, 'verify');
    eq(await s.verify('HMAC', k, sig, enc.encode('what do ya want for nothing!')), false, 'verify other data');
  },
};

export const vectorsKdf = {  // RFC 5869 test case 1, RFC 6070 (c = 4096)
  async test() {
    const ikm = await s.importKey('raw', new Uint8Array(22).fill(0x0b), 'HKDF', false, ['deriveBits']);
    const okm = await s.deriveBits({ name: 'HKDF', hash: 'SHA-256', salt: unhex('000102030405060708090a0b0c'),
      info: unhex('f0f1f2f3f4f5f6f7f8f9') }, ikm, 42 * 8);
    eq(hex(okm), '3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf34007208d5b887185865', 'HKDF');
    const pw = await s.importKey('raw', enc.encode('password'), 'PBKDF2', false, ['deriveBits']);
    const dk = await s.deriveBits({ name: 'PBKDF2', hash: 'SHA-1', salt: enc.encode('salt'), iterations: 4096 }, pw, 160);
    eq(hex(dk), '4b007901b765489abead49d926f721d065a429c1', 'PBKDF2');
  },
};

export const vectorsEd25519 = {  // RFC 8032 test 2
  async test() {
    const b64u = (h) => btoa(String.fromCharCode(...unhex(h))).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
    const jwk = { kty: 'OKP', crv: 'Ed25519', x: b64u('3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c'),
      d: b64u('4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb') };
    const k = await s.importKey('jwk', jwk, 'Ed25519', false, ['sign']);
    eq(hex(await s.sign('Ed25519', k, unhex('72'))),
      '92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00', 'Ed25519');
  },
};

export const vectorsAesGcm = {  // GCM specification, test case 4
  async test() {
    const k = await s.importKey('raw', unhex('feffe9928665731c6d6a8f9467308308'), 'AES-GCM', false, ['encrypt', 'decrypt']);
    const alg = { name: 'AES-GCM', iv: unhex('cafebabefacedbaddecaf888'), additionalData: unhex('feedfacedeadbeeffeedfacedeadbeefabaddad2') };
    const pt = unhex('d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a721c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b39');
    const ct = await s.encrypt(alg, k, pt);
    eq(hex(ct), '42831ec2217774244b7221b784d0d49ce3aa212f2c02a4e035c17e2329aca12e21d514b25466931c7d8f6a5aac84aa051ba30b396a0aac973d58e0915bc94fbc3221a5db94fae95ae7121a47', 'AES-GCM');
    eq(hex(await s.decrypt(alg, k, ct)), hex(pt), 'decrypt');
  },
};

export const digestStream = {
  async test() {
    const d = new crypto.DigestStream('SHA-256');
    const w = d.getWriter();
    await w.write(enc.encode('a'));
    await w.write('bc');
    await w.close();
    eq(hex(await d.digest), 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad', 'DigestStream');
    eq(d.bytesWritten, 3n, 'bytesWritten');
    eq(d instanceof WritableStream, true, 'a WritableStream');
    const piped = new crypto.DigestStream({ name: 'MD5' });
    await new Response('abc').body.pipeTo(piped);
    eq(hex(await piped.digest), '900150983cd24fb0d6963f7d28e17f72', 'piped MD5');
  },
};

export const keysStayInTheHost = {
  async test() {
    const k = await s.importKey('raw', new Uint8Array(32).fill(7), 'AES-GCM', false, ['encrypt']);
    const seen = JSON.stringify([Object.getOwnPropertyNames(k), Object.getOwnPropertySymbols(k).length,
      Object.getOwnPropertyNames(Object.getPrototypeOf(k))]);
    eq(seen, '[["usages","algorithm","extractable","type"],0,["constructor"]]', 'CryptoKey properties');
    eq(k instanceof CryptoKey, true, 'instanceof');
    let threw = false;
    try { new CryptoKey(); } catch (e) { threw = e instanceof TypeError; }
    eq(threw, true, 'new CryptoKey() throws');
    const a = crypto.getRandomValues(new Uint8Array(64));
    const b = crypto.getRandomValues(new Uint8Array(64));
    eq(hex(a) === hex(b), false, 'random values differ');
    eq(new Set(Array.from({ length: 20 }, () => crypto.randomUUID())).size, 20, 'UUIDs differ');
  },
};
