// Decoders since text_decoder_replace_surrogates (2026-02-24) and text_decoder_cjk_decoder
// (2026-03-03): unpaired UTF-16 surrogates become U+FFFD; gbk and gb18030 decode 0x80 as €.
const eq = (a, b, m) => { if (a !== b) throw new Error(`${m || 'assert'}: expected ${JSON.stringify(b)}, got ${JSON.stringify(a)}`); };
const same = (a, b, m) => eq(JSON.stringify(a), JSON.stringify(b), m);
const ok = (v, m) => { if (!v) throw new Error(m || 'assertion failed'); };
const throws = (f, name, msg, m) => {
  try { f(); } catch (e) {
    if (name && e.name !== name) throw new Error(`${m || 'throws'}: expected ${name}, got ${e.name}: ${e.message}`);
    if (msg !== undefined && e.message !== msg) throw new Error(`${m || 'throws'}: expected message ${JSON.stringify(msg)}, got ${JSON.stringify(e.message)}`);
    return e;
  }
  throw new Error(`${m || 'throws'}: did not throw`);
};
const rejects = async (p, name, msg, m) => {
  try { await p; } catch (e) {
    if (name && e.name !== name) throw new Error(`${m || 'rejects'}: expected ${name}, got ${e.name}: ${e.message}`);
    if (msg !== undefined && e.message !== msg) throw new Error(`${m || 'rejects'}: expected message ${JSON.stringify(msg)}, got ${JSON.stringify(e.message)}`);
    return e;
  }
  throw new Error(`${m || 'rejects'}: did not reject`);
};
const dec = (l, ...b) => new TextDecoder(l).decode(new Uint8Array(b));

export default {
  test() {
    eq(dec('utf-16le', 0x00, 0xd8, 0x61, 0), '\ufffda');
    eq(dec('utf-16le', 0x61, 0, 0x00, 0xdc), 'a\ufffd');
    eq(dec('utf-16le', 0x00, 0xd8), '\ufffd');
    eq(dec('utf-16be', 0xdc, 0x00, 0, 0x61), '\ufffda');
    eq(dec('gbk', 0x80, 0x61), '€a');
    eq(dec('gb18030', 0x80), '€');
    throws(() => new TextDecoder('utf-16le', { fatal: true }).decode(new Uint8Array([0x00, 0xd8])), 'TypeError', 'Failed to decode input.');
  },
};
