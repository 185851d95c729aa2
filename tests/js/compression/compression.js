// CompressionStream / DecompressionStream (https://compression.spec.whatwg.org/).
import { eq, ok } from './assert.js';
const rejects = async (p, name, m) => {
  try { await p; } catch (e) { if (name && e.name !== name) throw new Error(`${m || 'rejects'}: expected ${name}, got ${e.name}: ${e.message}`); return e; }
  throw new Error(`${m || 'rejects'}: did not reject`);
};
const throws = (f, name, m) => {
  try { f(); } catch (e) { if (name && e.name !== name) throw new Error(`${m || 'throws'}: expected ${name}, got ${e.name}: ${e.message}`); return e; }
  throw new Error(`${m || 'throws'}: did not throw`);
};
const run = async (ts, chunks) => {
  const w = ts.writable.getWriter();
  const out = (async () => { const all = []; for await (const c of ts.readable) { ok(c instanceof Uint8Array, 'chunks are Uint8Arrays'); all.push(...c); } return all; })();
  for (const c of chunks) w.write(c).catch(() => {});
  w.close().catch(() => {});
  return out;
};
const enc = new TextEncoder();

export const knownOutput = {
  // byte-for-byte what workerd produces (zlib defaults)
  async test() {
    eq((await run(new CompressionStream('gzip'), [enc.encode('hi')])).join(), '31,139,8,0,0,0,0,0,0,3,203,200,4,0,172,42,147,216,2,0,0,0');
    eq((await run(new CompressionStream('deflate'), [enc.encode('hi')])).join(), '120,156,203,200,4,0,1,59,0,210');
    eq((await run(new CompressionStream('deflate-raw'), [enc.encode('hi')])).join(), '203,200,4,0');
    eq((await run(new CompressionStream('gzip'), [])).join(), '31,139,8,0,0,0,0,0,0,3,3,0,0,0,0,0,0,0,0,0');
  },
};

export const roundTrip = {
  async test() {
    const text = 'The quick brown fox jumps over the lazy dog. '.repeat(200);
    for (const format of ['gzip', 'deflate', 'deflate-raw']) {
      const compressed = await run(new CompressionStream(format), [enc.encode(text.slice(0, 1000)), enc.encode(text.slice(1000))]);
      ok(compressed.length < text.length / 5, `${format} compresses`);
      // feed the compressed bytes back in small pieces
      const pieces = [];
      for (let i = 0; i < compressed.length; i += 13) pieces.push(new Uint8Array(compressed.slice(i, i + 13)));
      const back = await run(new DecompressionStream(format), pieces);
      eq(new TextDecoder().decode(new Uint8Array(back)), text, `${format} round trip`);
    }
    // ArrayBuffer and other views are accepted
    const c = await run(new CompressionStream('gzip'), [enc.encode('abc').buffer, new DataView(enc.encode('def').buffer)]);
    eq(new TextDecoder().decode(new Uint8Array(await run(new DecompressionStream('gzip'), [new Uint8Array(c)]))), 'abcdef');
  },
};

export const asBodies = {
  async test() {
    const body = new Response('compress me').body.pipeThrough(new CompressionStream('gzip'));
    const gz = await new Response(body).arrayBuffer();
    const plain = await new Response(new Response(gz).body.pipeThrough(new DecompressionStream('gzip'))).text();
    eq(plain, 'compress me');
  },
};

export const classes = {
  async test() {
    const cs = new CompressionStream('gzip');
    ok(cs instanceof TransformStream);
    eq(Object.prototype.toString.call(cs), '[object CompressionStream]');
    ok(new DecompressionStream('deflate') instanceof TransformStream);
    throws(() => new CompressionStream('br'), 'TypeError');
    throws(() => new DecompressionStream('GZIP'), 'TypeError');
    throws(() => new DecompressionStream(), 'TypeError');
  },
};

export const corruptInput = {
  async test() {
    await rejects(run(new DecompressionStream('deflate'), [new Uint8Array([1, 2, 3, 4, 5, 6])]), 'TypeError', 'garbage');
    const gz = await run(new CompressionStream('gzip'), [enc.encode('data')]);
    await rejects(run(new DecompressionStream('gzip'), [new Uint8Array(gz.slice(0, 12))]), 'TypeError', 'truncated');
    await rejects(run(new DecompressionStream('gzip'), [new Uint8Array([...gz, 1, 2, 3])]), 'TypeError', 'trailing bytes');
    await rejects(run(new DecompressionStream('gzip'), [enc.encode('not gzip at all')]), 'TypeError', 'bad header');
    // the writer sees the error too
    const ds = new DecompressionStream('deflate-raw');
    const w = ds.writable.getWriter();
    const reading = ds.readable.getReader().read();
    await rejects(w.write(new Uint8Array([0xff, 0xff, 0xff, 0xff])), 'TypeError');
    await rejects(reading, 'TypeError');
  },
};

export const cancelAndAbort = {
  async test() {
    const cs = new CompressionStream('gzip');
    const w = cs.writable.getWriter();
    await cs.readable.cancel('stop');
    await rejects(w.write(new Uint8Array([1])));
    const ds = new DecompressionStream('gzip');
    const r = ds.readable.getReader();
    await ds.writable.abort(new RangeError('abort'));
    await rejects(r.read(), 'RangeError');
  },
};

export const largeOutputIsPaced = {
  // 1 MiB of zeros compresses to ~1 KiB; decompressing must not produce it all at once
  async test() {
    const cs = new CompressionStream('gzip');
    const cw = cs.writable.getWriter();
    const zero = new Uint8Array(1 << 18);
    const compressed = (async () => { const parts = []; for await (const c of cs.readable) parts.push(c); return new Blob(parts); })();
    for (let i = 0; i < 4; i++) cw.write(zero);
    cw.close();
    const gz = await compressed;
    ok(gz.size < 100000, `compressed size ${gz.size}`);
    const ds = new DecompressionStream('gzip');
    const reader = gz.stream().pipeThrough(ds).getReader();
    const first = await reader.read();
    ok(first.value.length <= 1 << 17, `first piece is small (${first.value.length})`);
    let total = first.value.length, biggest = first.value.length;
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      total += value.length;
      biggest = Math.max(biggest, value.length);
    }
    eq(total, 1 << 20);
    ok(biggest <= 1 << 17, `largest piece ${biggest}`);
  },
};
