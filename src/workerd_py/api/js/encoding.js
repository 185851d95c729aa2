// Encoding: TextEncoder, TextDecoder (https://encoding.spec.whatwg.org/). Decoding runs in the host.
(function (internal, host) {
  'use strict';
  const LABELS = Object.create(null);
  const add = (name, labels) => { for (const l of labels) LABELS[l] = name; };
  add('utf-8', ['unicode-1-1-utf-8', 'unicode11utf8', 'unicode20utf8', 'utf-8', 'utf8', 'x-unicode20utf8']);
  add('utf-16le', ['csunicode', 'iso-10646-ucs-2', 'ucs-2', 'unicode', 'unicodefeff', 'utf-16', 'utf-16le']);
  add('utf-16be', ['unicodefffe', 'utf-16be']);
  add('windows-1252', ['ansi_x3.4-1968', 'ascii', 'cp1252', 'cp819', 'csisolatin1', 'ibm819', 'iso-8859-1', 'iso-ir-100', 'iso8859-1', 'iso88591', 'iso_8859-1', 'iso_8859-1:1987', 'l1', 'latin1', 'us-ascii', 'windows-1252', 'x-cp1252']);
  add('iso-8859-2', ['csisolatin2', 'iso-8859-2', 'iso-ir-101', 'iso8859-2', 'iso88592', 'iso_8859-2', 'iso_8859-2:1987', 'l2', 'latin2']);
  add('iso-8859-15', ['csisolatin9', 'iso-8859-15', 'iso8859-15', 'iso885915', 'iso_8859-15', 'l9']);
  add('windows-1251', ['cp1251', 'windows-1251', 'x-cp1251']);
  add('koi8-r', ['cskoi8r', 'koi', 'koi8', 'koi8-r', 'koi8_r']);
  add('gbk', ['chinese', 'csgb2312', 'csiso58gb231280', 'gb2312', 'gb_2312', 'gb_2312-80', 'gbk', 'iso-ir-58', 'x-gbk']);
  add('gb18030', ['gb18030']);
  add('big5', ['big5', 'big5-hkscs', 'cn-big5', 'csbig5', 'x-x-big5']);
  add('euc-jp', ['cseucpkdfmtjapanese', 'euc-jp', 'x-euc-jp']);
  add('shift_jis', ['csshiftjis', 'ms932', 'ms_kanji', 'shift-jis', 'shift_jis', 'sjis', 'windows-31j', 'x-sjis']);
  add('euc-kr', ['cseuckr', 'csksc56011987', 'euc-kr', 'iso-ir-149', 'korean', 'ks_c_5601-1987', 'ks_c_5601-1989', 'ksc5601', 'ksc_5601', 'windows-949']);

  class TextEncoder {
    get encoding() { return 'utf-8'; }
    encode(input = '') { return host.utf8Encode(String(input)); }
    encodeInto(source, dest) {
      if (!(dest instanceof Uint8Array)) throw new TypeError('The "dest" argument must be an instance of Uint8Array.');
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

  let nextDecoder = 1;
  class TextDecoder {
    #encoding; #fatal; #ignoreBOM; #id = 0;
    constructor(label = 'utf-8', options = undefined) {
      const key = String(label).trim().toLowerCase();
      const enc = LABELS[key];
      if (enc === undefined) throw new RangeError(`The "${label}" encoding is not supported`);
      this.#encoding = enc;
      options = options == null ? {} : options;
      this.#fatal = !!options.fatal; this.#ignoreBOM = !!options.ignoreBOM;
    }
    get encoding() { return this.#encoding; }
    get fatal() { return this.#fatal; }
    get ignoreBOM() { return this.#ignoreBOM; }
    decode(input = undefined, options = undefined) {
      const stream = !!(options && options.stream);
      let bytes;
      if (input === undefined || input === null) bytes = new Uint8Array(0);
      else if (internal.isBufferSource(input)) bytes = internal.toUint8Array(input);
      else throw new TypeError('The "input" argument must be an ArrayBuffer or ArrayBufferView.');
      if (!stream && this.#id === 0) return host.decode(this.#encoding, bytes, this.#fatal, this.#ignoreBOM);
      if (this.#id === 0) this.#id = nextDecoder++;
      const id = this.#id;
      if (!stream) this.#id = 0;
      return host.decodeStream(id, this.#encoding, bytes, this.#fatal, this.#ignoreBOM, stream);
    }
  }
  internal.utf8Decode = (u8) => host.decode('utf-8', u8, false, false);
  internal.utf8Encode = (s) => host.utf8Encode(s);
  const ex = { TextEncoder, TextDecoder };
  for (const k in ex) internal.defineGlobal(k, ex[k]);
  internal.modules.encoding = ex;
})
