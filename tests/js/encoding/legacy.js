// Decoders before text_decoder_replace_surrogates (2026-02-24) and text_decoder_cjk_decoder
// (2026-03-03): UTF-16LE keeps unpaired surrogates (UTF-16BE does not), gbk and gb18030
// replace a lone 0x80.
import { eq, same, ok, throws, rejects } from './assert.js';
const dec = (l, ...b) => new TextDecoder(l).decode(new Uint8Array(b));

export default {
  test() {
    eq(dec('utf-16le', 0x00, 0xd8, 0x61, 0), '\ud800a');
    eq(dec('utf-16le', 0x61, 0, 0x00, 0xdc), 'a\udc00');
    eq(dec('utf-16le', 0x00, 0xdc, 0x00, 0xd8), '\udc00\ud800');
    eq(dec('utf-16be', 0xdc, 0x00, 0, 0x61), '\ufffda');
    eq(dec('gbk', 0x80, 0x61), '\ufffda');
    eq(dec('gb18030', 0x80), '\ufffd');
    // even a fatal decoder keeps them
    eq(new TextDecoder('utf-16le', { fatal: true }).decode(new Uint8Array([0x00, 0xd8])), '\ud800');
    throws(() => new TextDecoder('utf-16le', { fatal: true }).decode(new Uint8Array([0x61, 0, 0x62])), 'TypeError', 'Failed to decode input.');
  },
};
