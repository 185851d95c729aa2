// File API: Blob and File (https://w3c.github.io/FileAPI/).
// A Blob is an immutable byte sequence: the bytes live in one private Uint8Array that slices share
// (never handed out without a copy), plus a normalized MIME type.
(function (internal, host) {
  'use strict';
  const kCreate = Object.freeze({});
  const EMPTY = new Uint8Array(0);
  const illegalInvocation = () => new TypeError('Illegal invocation: function called with incorrect `this` reference.');

  // https://w3c.github.io/FileAPI/#dom-blob-blob (type: ASCII printable only, lowercased)
  const normalizeType = (t) => {
    const s = String(t);
    for (let i = 0; i < s.length; i++) {
      const c = s.charCodeAt(i);
      if (c < 0x20 || c > 0x7e) return '';
    }
    return s.toLowerCase();
  };
  // https://w3c.github.io/FileAPI/#convert-line-endings-to-native (native is LF here)
  const toNative = (s) => (s.includes('\r') ? s.replace(/\r\n?/g, '\n') : s);

  // https://w3c.github.io/FileAPI/#process-blob-parts
  const processParts = (parts, endings) => {
    if (parts === undefined) return EMPTY;
    if (parts === null || typeof parts !== 'object' || typeof parts[Symbol.iterator] !== 'function') {
      throw new TypeError("Failed to construct 'Blob': The provided value cannot be converted to a sequence.");
    }
    const chunks = [];
    let total = 0;
    for (const part of parts) {
      let u8;
      if (typeof part === 'string') u8 = host.utf8Encode(endings ? toNative(part) : part);
      else if (internal.isBufferSource(part)) u8 = internal.toUint8Array(part);
      else if (isBlob(part)) u8 = bytesOf(part);
      else u8 = host.utf8Encode(endings ? toNative(String(part)) : String(part));
      if (u8.length) { chunks.push(u8); total += u8.length; }
    }
    if (total === 0) return EMPTY;
    const out = new Uint8Array(total);
    let o = 0;
    for (const c of chunks) { out.set(c, o); o += c.length; }
    return out;
  };
  const blobOptions = (options) => {
    if (options === undefined || options === null) return ['', false];
    if (typeof options !== 'object' && typeof options !== 'function') throw new TypeError("Failed to construct 'Blob': The provided value is not of type 'BlobPropertyBag'.");
    const endings = options.endings;
    let native = false;
    if (endings !== undefined) {
      const e = String(endings);
      if (e === 'native') native = true;
      else if (e !== 'transparent') throw new TypeError(`Failed to construct 'Blob': The provided value '${e}' is not a valid enum value of type EndingType.`);
    }
    return [options.type === undefined ? '' : normalizeType(options.type), native];
  };
  // WebIDL [Clamp] long long, then https://w3c.github.io/FileAPI/#slice-blob relative indexing
  const relative = (v, size, def) => {
    if (v === undefined) return def;
    let n = Math.trunc(Number(v));
    if (Number.isNaN(n)) n = 0;
    return n < 0 ? Math.max(size + n, 0) : Math.min(n, size);
  };

  let isBlob, bytesOf;
  class Blob {
    #bytes; #type;
    constructor(blobParts = undefined, options = undefined) {
      if (blobParts === kCreate) { this.#bytes = options[0]; this.#type = options[1]; return; }
      const [type, native] = blobOptions(options);
      this.#bytes = processParts(blobParts, native);
      this.#type = type;
    }
    static {
      isBlob = (v) => v !== null && typeof v === 'object' && #bytes in v;
      bytesOf = (b) => b.#bytes;
    }
    get size() { if (!isBlob(this)) throw illegalInvocation(); return this.#bytes.length; }
    get type() { if (!isBlob(this)) throw illegalInvocation(); return this.#type; }
    slice(start = undefined, end = undefined, contentType = undefined) {
      if (!isBlob(this)) throw illegalInvocation();
      const size = this.#bytes.length;
      const s = relative(start, size, 0), e = relative(end, size, size);
      const bytes = e > s ? this.#bytes.subarray(s, e) : EMPTY;
      return new Blob(kCreate, [bytes, contentType === undefined ? '' : normalizeType(contentType)]);
    }
    arrayBuffer() {
      if (!isBlob(this)) return Promise.reject(illegalInvocation());
      return Promise.resolve(this.#bytes.slice().buffer);
    }
    bytes() {
      if (!isBlob(this)) return Promise.reject(illegalInvocation());
      return Promise.resolve(this.#bytes.slice());
    }
    // https://w3c.github.io/FileAPI/#text-method-algo (errors replaced; like workerd, a BOM is kept)
    text() {
      if (!isBlob(this)) return Promise.reject(illegalInvocation());
      return Promise.resolve(host.decode('utf-8', this.#bytes, false, true));
    }
    // https://w3c.github.io/FileAPI/#stream-method-algo: a byte stream read in 64 KiB chunks
    stream() {
      if (!isBlob(this)) throw illegalInvocation();
      const bytes = this.#bytes;
      let pos = 0;
      return new (internal.require('streams').ReadableStream)({
        type: 'bytes',
        pull(c) {
          if (pos < bytes.length) {
            const n = Math.min(65536, bytes.length - pos);
            c.enqueue(bytes.slice(pos, pos + n));
            pos += n;
          }
          if (pos >= bytes.length) { c.close(); if (c.byobRequest) c.byobRequest.respond(0); }
        },
      });
    }
  }

  // https://w3c.github.io/FileAPI/#file-section
  let isFile;
  class File extends Blob {
    #name; #lastModified;
    constructor(fileBits, fileName, options = undefined) {
      if (fileBits === kCreate) {
        super(kCreate, fileName);
        this.#name = fileName[2]; this.#lastModified = fileName[3];
        return;
      }
      if (arguments.length < 2) throw new TypeError(`Failed to construct 'File': 2 arguments required, but only ${arguments.length} present.`);
      super(fileBits, options);
      this.#name = internal.toUSVString(fileName);
      const lm = options === undefined || options === null ? undefined : options.lastModified;
      let t = lm === undefined ? Date.now() : Math.trunc(Number(lm));
      if (!Number.isFinite(t)) t = 0;
      this.#lastModified = t;
    }
    static { isFile = (v) => v !== null && typeof v === 'object' && #name in v; }
    get name() { if (!isFile(this)) throw illegalInvocation(); return this.#name; }
    get lastModified() { if (!isFile(this)) throw illegalInvocation(); return this.#lastModified; }
  }
  Object.defineProperty(Blob.prototype, Symbol.toStringTag, { value: 'Blob', configurable: true });
  Object.defineProperty(File.prototype, Symbol.toStringTag, { value: 'File', configurable: true });

  internal.isBlob = isBlob;
  internal.isFile = isFile;
  // a copy: callers may transfer or expose the buffer
  internal.blobBytes = (b) => bytesOf(b).slice();
  // no copy: for readers that only read (form-data serialization)
  internal.blobView = (b) => bytesOf(b);
  // build without copying; `u8` must not be shared with user code
  internal.newBlob = (u8, type) => new Blob(kCreate, [u8, normalizeType(type || '')]);
  internal.newFile = (u8, name, type, lastModified) => new File(kCreate, [u8, normalizeType(type || ''), String(name), lastModified === undefined ? Date.now() : lastModified]);
  const ex = { Blob, File };
  for (const k in ex) internal.defineGlobal(k, ex[k]);
  internal.modules.blob = ex;
})
