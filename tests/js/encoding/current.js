// Decoders since text_decoder_replace_surrogates (2026-02-24) and text_decoder_cjk_decoder
// (2026-03-03): unpaired UTF-16 surrogates become U+FFFD; gbk and gb18030 decode 0x80 as €.
import { eq, same, ok, throws, rejects } from './assert.js';
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
