// Compression Streams (https://compression.spec.whatwg.org/): CompressionStream and
// DecompressionStream as TransformStreams whose transform feeds a zlib object in the host
// (api/compression.py) by id. How this works: transform() pushes each chunk and enqueues whatever
// output zlib produced; the host returns decompressed output in pieces of at most PIECE bytes, and
// while a piece is full the transform asks for the rest only once the reader has pulled (so memory
// stays bounded whatever the compression ratio). flush() drains the same way, then finishes (a
// truncated input is a TypeError there); cancel/abort or garbage collection frees the zlib object.
(function (internal, host) {
  'use strict';
  const { TransformStream } = internal.require('streams');
  const FORMATS = new Set(['gzip', 'deflate', 'deflate-raw']);
  const EMPTY = new Uint8Array(0);
  const PIECE = 65536; // api/compression.py PIECE
  const registry = typeof FinalizationRegistry === 'function' ? new FinalizationRegistry((id) => host.compressionFree(id)) : null;

  const toBytes = (chunk) => {
    if (typeof chunk === 'string') return host.utf8Encode(chunk); // workerd accepts strings as UTF-8
    if (internal.isBufferSource(chunk)) return internal.toUint8Array(chunk);
    throw new TypeError('The chunk written to a compression stream must be an ArrayBuffer or ArrayBufferView.');
  };
  // https://compression.spec.whatwg.org/#compress-and-enqueue-a-chunk (and its decompress twin)
  const transformer = (format, decompress, what) => {
    if (typeof format !== 'string' && !(format instanceof String)) {
      throw new TypeError(`Failed to construct '${what}': constructor parameter 1 is not of type 'string'.`);
    }
    format = String(format);
    if (!FORMATS.has(format)) throw new TypeError("The compression format must be either 'deflate', 'deflate-raw' or 'gzip'.");
    const id = host.compressionNew(format, decompress);
    // enqueue `out` and any further pieces, pacing them by the reader
    const drain = async (out, c) => {
      for (;;) {
        if (out.length) c.enqueue(out);
        if (out.length < PIECE) return;
        await internal.whenPulled(c);
        out = host.compressionPush(id, EMPTY, false);
      }
    };
    const t = {
      transform(chunk, c) {
        const out = host.compressionPush(id, toBytes(chunk), false);
        if (out.length < PIECE) { if (out.length) c.enqueue(out); return undefined; }
        return drain(out, c);
      },
      async flush(c) {
        await drain(host.compressionPush(id, EMPTY, false), c);
        const out = host.compressionPush(id, EMPTY, true);
        if (out.length) c.enqueue(out);
      },
      cancel() { host.compressionFree(id); },
    };
    if (registry !== null) registry.register(t, id);
    return t;
  };

  class CompressionStream extends TransformStream {
    constructor(format) { super(transformer(format, false, 'CompressionStream')); }
  }
  class DecompressionStream extends TransformStream {
    constructor(format) { super(transformer(format, true, 'DecompressionStream')); }
  }
  const ex = { CompressionStream, DecompressionStream };
  for (const k in ex) {
    Object.defineProperty(ex[k].prototype, Symbol.toStringTag, { value: k, configurable: true });
    internal.defineGlobal(k, ex[k]);
  }
  internal.modules.compression = ex;
})
