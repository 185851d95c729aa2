// Encoding: TextEncoder, TextDecoder (https://encoding.spec.whatwg.org/). Decoding runs in the host.
// Every encoding of the standard except "replacement" (workerd refuses its labels).
// text_decoder_replace_surrogates off (before 2026-02-24): UTF-16LE decoding keeps unpaired
// surrogates instead of replacing them with U+FFFD. text_decoder_cjk_decoder off (before
// 2026-03-03): gbk and gb18030 decode a lone 0x80 as U+FFFD, not U+20AC.
(function (internal, host) {
  'use strict';
  // https://encoding.spec.whatwg.org/#names-and-labels
  const LABELS = Object.create(null);
  const add = (name, labels) => { for (const l of labels.split(' ')) LABELS[l] = name; };
  add('utf-8', 'unicode-1-1-utf-8 unicode11utf8 unicode20utf8 utf-8 utf8 x-unicode20utf8');
  add('ibm866', '866 cp866 csibm866 ibm866');
  add('iso-8859-2', 'csisolatin2 iso-8859-2 iso-ir-101 iso8859-2 iso88592 iso_8859-2 iso_8859-2:1987 l2 latin2');
  add('iso-8859-3', 'csisolatin3 iso-8859-3 iso-ir-109 iso8859-3 iso88593 iso_8859-3 iso_8859-3:1988 l3 latin3');
  add('iso-8859-4', 'csisolatin4 iso-8859-4 iso-ir-110 iso8859-4 iso88594 iso_8859-4 iso_8859-4:1988 l4 latin4');
  add('iso-8859-5', 'csisolatincyrillic cyrillic iso-8859-5 iso-ir-144 iso8859-5 iso88595 iso_8859-5 iso_8859-5:1988');
  add('iso-8859-6', 'arabic asmo-708 csiso88596e csiso88596i csisolatinarabic ecma-114 iso-8859-6 iso-8859-6-e iso-8859-6-i iso-ir-127 iso8859-6 iso88596 iso_8859-6 iso_8859-6:1987');
  add('iso-8859-7', 'csisolatingreek ecma-118 elot_928 greek greek8 iso-8859-7 iso-ir-126 iso8859-7 iso88597 iso_8859-7 iso_8859-7:1987 sun_eu_greek');
  add('iso-8859-8', 'csiso88598e csisolatinhebrew hebrew iso-8859-8 iso-8859-8-e iso-ir-138 iso8859-8 iso88598 iso_8859-8 iso_8859-8:1988 visual');
  add('iso-8859-8-i', 'csiso88598i iso-8859-8-i logical');
  add('iso-8859-10', 'csisolatin6 iso-8859-10 iso-ir-157 iso8859-10 iso885910 l6 latin6');
  add('iso-8859-13', 'iso-8859-13 iso8859-13 iso885913');
  add('iso-8859-14', 'iso-8859-14 iso8859-14 iso885914');
  add('iso-8859-15', 'csisolatin9 iso-8859-15 iso8859-15 iso885915 iso_8859-15 l9');
  add('iso-8859-16', 'iso-8859-16');
  add('koi8-r', 'cskoi8r koi koi8 koi8-r koi8_r');
  add('koi8-u', 'koi8-ru koi8-u');
  add('macintosh', 'csmacintosh mac macintosh x-mac-roman');
  add('windows-874', 'dos-874 iso-8859-11 iso8859-11 iso885911 tis-620 windows-874');
  add('windows-1250', 'cp1250 windows-1250 x-cp1250');
  add('windows-1251', 'cp1251 windows-1251 x-cp1251');
  add('windows-1252', 'ansi_x3.4-1968 ascii cp1252 cp819 csisolatin1 ibm819 iso-8859-1 iso-ir-100 iso8859-1 iso88591 iso_8859-1 iso_8859-1:1987 l1 latin1 us-ascii windows-1252 x-cp1252');
  add('windows-1253', 'cp1253 windows-1253 x-cp1253');
  add('windows-1254', 'cp1254 csisolatin5 iso-8859-9 iso-ir-148 iso8859-9 iso88599 iso_8859-9 iso_8859-9:1989 l5 latin5 windows-1254 x-cp1254');
  add('windows-1255', 'cp1255 windows-1255 x-cp1255');
  add('windows-1256', 'cp1256 windows-1256 x-cp1256');
  add('windows-1257', 'cp1257 windows-1257 x-cp1257');
  add('windows-1258', 'cp1258 windows-1258 x-cp1258');
  add('x-mac-cyrillic', 'x-mac-cyrillic x-mac-ukrainian');
  add('gbk', 'chinese csgb2312 csiso58gb231280 gb2312 gb_2312 gb_2312-80 gbk iso-ir-58 x-gbk');
  add('gb18030', 'gb18030');
  add('big5', 'big5 big5-hkscs cn-big5 csbig5 x-x-big5');
  add('euc-jp', 'cseucpkdfmtjapanese euc-jp x-euc-jp');
  add('iso-2022-jp', 'csiso2022jp iso-2022-jp');
  add('shift_jis', 'csshiftjis ms932 ms_kanji shift-jis shift_jis sjis windows-31j x-sjis');
  add('euc-kr', 'cseuckr csksc56011987 euc-kr iso-ir-149 korean ks_c_5601-1987 ks_c_5601-1989 ksc5601 ksc_5601 windows-949');
  add('utf-16be', 'unicodefffe utf-16be');
  add('utf-16le', 'csunicode iso-10646-ucs-2 ucs-2 unicode unicodefeff utf-16 utf-16le');
  add('x-user-defined', 'x-user-defined');

  class TextEncoder {
    get encoding() { return 'utf-8'; }
    encode(input = '') { return host.utf8Encode(String(input)); }
    encodeInto(source, dest) {
      if (!(dest instanceof Uint8Array)) throw new TypeError("Failed to execute 'encodeInto' on 'TextEncoder': parameter 2 is not of type 'Uint8Array'.");
      source = String(source);
      let read = 0, written = 0;
      const n = dest.length;
      for (let i = 0; i < source.length; i++) {
        let c = source.charCodeAt(i), units = 1;
        if (c >= 0xd800 && c <= 0xdbff && i + 1 < source.length) {
          const d = source.charCodeAt(i + 1);
          if (d >= 0xdc00 && d <= 0xdfff) { c = 0x10000 + ((c - 0xd800) << 10) + (d - 0xdc00); units = 2; }
          else c = 0xfffd;
        } else if (c >= 0xd800 && c <= 0xdfff) c = 0xfffd;
        const len = c < 0x80 ? 1 : c < 0x800 ? 2 : c < 0x10000 ? 3 : 4;
        if (written + len > n) break;
        if (len === 1) dest[written++] = c;
        else if (len === 2) { dest[written++] = 0xc0 | (c >> 6); dest[written++] = 0x80 | (c & 63); }
        else if (len === 3) { dest[written++] = 0xe0 | (c >> 12); dest[written++] = 0x80 | ((c >> 6) & 63); dest[written++] = 0x80 | (c & 63); }
        else { dest[written++] = 0xf0 | (c >> 18); dest[written++] = 0x80 | ((c >> 12) & 63); dest[written++] = 0x80 | ((c >> 6) & 63); dest[written++] = 0x80 | (c & 63); }
        read += units; i += units - 1;
      }
      return { read, written };
    }
  }
  Object.defineProperty(TextEncoder.prototype, Symbol.toStringTag, { value: 'TextEncoder', configurable: true });

  // the host's decoding mode (api/encoding.py): bits FATAL, SURROGATES (keep unpaired UTF-16LE
  // surrogates), CJK (the standard's gb18030 decoder for 0x80)
  const FATAL = 1, SURROGATES = 2, CJK = 4;
  let nextDecoder = 1;
  class TextDecoder {
    #encoding; #fatal; #ignoreBOM; #mode; #id = 0;
    constructor(label = 'utf-8', options = undefined) {
      const enc = LABELS[String(label).trim().toLowerCase()];
      if (enc === undefined) throw new RangeError(`"${label}" is not a valid encoding.`);
      if (options === undefined || options === null) options = {};
      else if (typeof options !== 'object' && typeof options !== 'function') throw new TypeError("Failed to construct 'TextDecoder': constructor parameter 2 is not of type 'ConstructorOptions'.");
      this.#encoding = enc;
      this.#fatal = !!options.fatal; this.#ignoreBOM = !!options.ignoreBOM;
      const flags = internal.flags;
      this.#mode = (this.#fatal ? FATAL : 0) | (flags.text_decoder_replace_surrogates ? 0 : SURROGATES) | (flags.text_decoder_cjk_decoder ? CJK : 0);
    }
    get encoding() { return this.#encoding; }
    get fatal() { return this.#fatal; }
    get ignoreBOM() { return this.#ignoreBOM; }
    decode(input = undefined, options = undefined) {
      const stream = !!(options && options.stream);
      let bytes;
      if (input === undefined) bytes = new Uint8Array(0);
      else if (internal.isBufferSource(input)) bytes = internal.toUint8Array(input);
      else throw new TypeError("Failed to execute 'decode' on 'TextDecoder': parameter 1 is not of type 'Array'.");
      if (!stream && this.#id === 0) return host.decode(this.#encoding, bytes, this.#mode, this.#ignoreBOM);
      if (this.#id === 0) this.#id = nextDecoder++;
      const id = this.#id;
      if (!stream) this.#id = 0;
      return host.decodeStream(id, this.#encoding, bytes, this.#mode, this.#ignoreBOM, stream);
    }
  }
  Object.defineProperty(TextDecoder.prototype, Symbol.toStringTag, { value: 'TextDecoder', configurable: true });
  internal.utf8Decode = (u8) => host.decode('utf-8', u8, false, false);
  internal.utf8Encode = (s) => host.utf8Encode(s);
  const ex = { TextEncoder, TextDecoder };
  for (const k in ex) internal.defineGlobal(k, ex[k]);
  internal.modules.encoding = ex;
})
