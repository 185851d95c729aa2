// TextEncoder and TextDecoder (https://encoding.spec.whatwg.org/).
import { eq, same, ok, throws, rejects } from './assert.js';
const u8 = (...a) => new Uint8Array(a);
const bytes = (v) => Array.from(v).join();

export const encoder = {
  test() {
    const e = new TextEncoder();
    eq(e.encoding, 'utf-8');
    eq(bytes(e.encode('aé€😀')), '97,195,169,226,130,172,240,159,152,128');
    ok(e.encode('x') instanceof Uint8Array);
    same([e.encode().length, e.encode(undefined).length, bytes(e.encode(null)), bytes(e.encode(12))], [0, 0, '110,117,108,108', '49,50']);
    eq(bytes(e.encode('\uD800x')), '239,191,189,120', 'lone surrogates become U+FFFD');
    eq(Object.prototype.toString.call(e), '[object TextEncoder]');
  },
};

export const encodeInto = {
  test() {
    const e = new TextEncoder();
    const d = new Uint8Array(5);
    same(e.encodeInto('aé😀', d), { read: 2, written: 3 }, 'stops before a character that does not fit');
    eq(bytes(d), '97,195,169,0,0');
    same(e.encodeInto('aé😀', new Uint8Array(10)), { read: 4, written: 7 });
    same(e.encodeInto('', new Uint8Array(1)), { read: 0, written: 0 });
    const l = new Uint8Array(3);
    same(e.encodeInto('\uD800', l), { read: 1, written: 3 });
    eq(bytes(l), '239,191,189');
    const sub = new Uint8Array(new ArrayBuffer(8), 2, 3);
    same(e.encodeInto('abcd', sub), { read: 3, written: 3 });
    for (const bad of [new Uint16Array(2), new ArrayBuffer(2), [0, 0]]) throws(() => e.encodeInto('a', bad), 'TypeError', "Failed to execute 'encodeInto' on 'TextEncoder': parameter 2 is not of type 'Uint8Array'.");
  },
};

export const decoder = {
  test() {
    const d = new TextDecoder();
    same([d.encoding, d.fatal, d.ignoreBOM], ['utf-8', false, false]);
    eq(d.decode(u8(0x61, 0xc3, 0xa9, 0xe2, 0x82, 0xac)), 'aé€');
    eq(d.decode(), '');
    eq(d.decode(u8(0x61, 0x62).buffer), 'ab');
    eq(d.decode(new DataView(u8(0x61, 0x62, 0x63).buffer, 1)), 'bc');
    eq(d.decode(new Uint16Array([0x6261])), 'ab');
    eq(d.decode(u8(0x61, 0xff, 0x62, 0xc3)), 'a\ufffdb\ufffd');
    eq(d.decode(u8(0xed, 0xa0, 0x80)), '\ufffd\ufffd\ufffd', 'encoded surrogates are invalid');
    for (const bad of [null, 'abc', 5, [1, 2]]) throws(() => d.decode(bad), 'TypeError', "Failed to execute 'decode' on 'TextDecoder': parameter 1 is not of type 'Array'.");
    eq(Object.prototype.toString.call(d), '[object TextDecoder]');
  },
};

export const bom = {
  test() {
    eq(new TextDecoder().decode(u8(0xef, 0xbb, 0xbf, 0x61)), 'a');
    eq(new TextDecoder('utf-8', { ignoreBOM: true }).decode(u8(0xef, 0xbb, 0xbf, 0x61)), '\ufeffa');
    eq(new TextDecoder('utf-16le').decode(u8(0xff, 0xfe, 0x61, 0)), 'a');
    eq(new TextDecoder('utf-16be').decode(u8(0xfe, 0xff, 0, 0x61)), 'a');
    eq(new TextDecoder().decode(u8(0x61, 0xef, 0xbb, 0xbf)), 'a\ufeff', 'only a leading BOM');
  },
};

export const fatal = {
  test() {
    const d = new TextDecoder('utf-8', { fatal: true });
    same([d.fatal, d.decode(u8(0x61))], [true, 'a']);
    throws(() => d.decode(u8(0x61, 0xff)), 'TypeError', 'Failed to decode input.');
    eq(d.decode(u8(0x62)), 'b', 'usable after an error');
    d.decode(u8(0xe2), { stream: true });
    throws(() => d.decode(), 'TypeError', 'Failed to decode input.', 'an incomplete sequence at the end');
    throws(() => new TextDecoder('utf-16le', { fatal: true }).decode(u8(0x61, 0, 0x62)), 'TypeError', 'Failed to decode input.');
    throws(() => new TextDecoder('shift_jis', { fatal: true }).decode(u8(0x82)), 'TypeError', 'Failed to decode input.');
  },
};

export const streaming = {
  test() {
    const d = new TextDecoder();
    same([d.decode(u8(0xe2, 0x82), { stream: true }), d.decode(u8(0xac), { stream: true }), d.decode()], ['', '€', '']);
    same([d.decode(u8(0x61, 0xe2), { stream: true }), d.decode()], ['a', '\ufffd']);
    // a BOM is removed only at the start of the stream
    same([d.decode(u8(0xef, 0xbb), { stream: true }), d.decode(u8(0xbf, 0x61), { stream: true }), d.decode(u8(0xef, 0xbb, 0xbf))], ['', 'a', '\ufeff']);
    const w = new TextDecoder('utf-16le');
    same([w.decode(u8(0x3d, 0xd8, 0x00), { stream: true }), w.decode(u8(0xde))], ['', '😀']);
    const s = new TextDecoder('shift_jis');
    same([s.decode(u8(0x82), { stream: true }), s.decode(u8(0xa0))], ['', 'あ']);
  },
};

export const labels = {
  test() {
    const enc = (l) => new TextDecoder(l).encoding;
    const expected = {
      'utf-8': 'utf-8', ' Unicode-1-1-UTF-8 ': 'utf-8', utf8: 'utf-8', 'utf-16': 'utf-16le', 'UTF-16LE': 'utf-16le', 'utf-16be': 'utf-16be', unicode: 'utf-16le',
      latin1: 'windows-1252', ascii: 'windows-1252', 'iso-8859-1': 'windows-1252', 'us-ascii': 'windows-1252',
      'iso-8859-2': 'iso-8859-2', 'iso-8859-9': 'windows-1254', latin5: 'windows-1254', 'tis-620': 'windows-874', 'iso-8859-11': 'windows-874',
      'koi8-r': 'koi8-r', 'koi8-ru': 'koi8-u', cp866: 'ibm866', logical: 'iso-8859-8-i', visual: 'iso-8859-8', arabic: 'iso-8859-6', sun_eu_greek: 'iso-8859-7',
      mac: 'macintosh', 'x-mac-ukrainian': 'x-mac-cyrillic', 'windows-1251': 'windows-1251',
      gb2312: 'gbk', gbk: 'gbk', gb18030: 'gb18030', big5: 'big5', 'big5-hkscs': 'big5', sjis: 'shift_jis', 'windows-31j': 'shift_jis',
      'euc-jp': 'euc-jp', csiso2022jp: 'iso-2022-jp', 'euc-kr': 'euc-kr', 'windows-949': 'euc-kr', 'x-user-defined': 'x-user-defined',
    };
    for (const [l, e] of Object.entries(expected)) eq(enc(l), e, l);
    // the "replacement" labels and unknown ones are refused
    for (const l of ['replacement', 'iso-2022-kr', 'hz-gb-2312', 'utf-7', 'utf-32', 'nope', '']) throws(() => new TextDecoder(l), 'RangeError', `"${l}" is not a valid encoding.`);
    throws(() => new TextDecoder('utf-8', 5), 'TypeError', "Failed to construct 'TextDecoder': constructor parameter 2 is not of type 'ConstructorOptions'.");
  },
};

export const legacyEncodings = {
  test() {
    const dec = (l, ...b) => new TextDecoder(l).decode(new Uint8Array(b));
    eq(dec('windows-1252', 0x80, 0x81, 0xe9, 0x9f, 0x8d), '€\x81éŸ\x8d');
    eq(dec('iso-8859-2', 0xa1, 0xb1), 'Ąą');
    eq(dec('windows-1251', 0xc0, 0xff), 'Ая');
    eq(dec('koi8-r', 0xc1, 0xe1), 'аА');
    eq(dec('koi8-u', 0xae, 0xbe), 'ўЎ');
    eq(dec('ibm866', 0x80, 0xff), 'А\xa0');
    eq(dec('macintosh', 0xdb, 0x80), '€Ä');
    eq(dec('x-mac-cyrillic', 0x80, 0xff), 'А€');
    eq(dec('windows-874', 0x80, 0xdb), '€\ufffd');
    eq(dec('iso-8859-16', 0xa1), 'Ą');
    eq(dec('x-user-defined', 0x41, 0x80, 0xff), 'A\uf780\uf7ff');
    eq(dec('shift_jis', 0x82, 0xa0), 'あ');
    eq(dec('euc-jp', 0xa4, 0xa2), 'あ');
    eq(dec('iso-2022-jp', 0x1b, 0x24, 0x42, 0x30, 0x21, 0x1b, 0x28, 0x42), '亜');
    eq(dec('gbk', 0xc4, 0xe3), '你');
    eq(dec('gb18030', 0x81, 0x30, 0x81, 0x30), '\x80');
    eq(dec('big5', 0xa4, 0x40), '一');
    eq(dec('euc-kr', 0xb0, 0xa1), '가');
    eq(dec('utf-16le', 0x61, 0, 0x3d, 0xd8, 0, 0xde), 'a😀');
    eq(dec('utf-16be', 0, 0x61, 0xd8, 0x3d, 0xde, 0), 'a😀');
    eq(dec('utf-16le', 0x61, 0, 0x62), 'a\ufffd', 'an odd byte');
  },
};
