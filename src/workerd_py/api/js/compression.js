// Compression Streams (https://compression.spec.whatwg.org/): CompressionStream and
// DecompressionStream as TransformStreams whose transform feeds a zlib object in the host
// (api/compression.py) by id. How this works: transform() pushes each chunk and enqueues whatever
// output zlib produced; flush() finishes the stream (a truncated input is a TypeError there);
// cancel/abort or garbage collection of the transformer frees the zlib object.
(function (internal, host) {
  'use strict';
  const { TransformStream } = internal.require('streams');
  const FORMATS = new Set(['gzip', 'deflate', 'deflate-raw']);
  const EMPTY = new Uint8Array(0);
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
    const t = {
      transform(chunk, c) {
        const out = host.compressionPush(id, toBytes(chunk), false);
        if (out.length) c.enqueue(out);
      },
      flush(c) {
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
