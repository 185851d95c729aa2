// TransformStream: transformer hooks, backpressure, errors, terminate, pipeThrough.
import { eq, ok } from './assert.js';
const rejects = async (p, name, m) => {
  try { await p; } catch (e) { if (name && e.name !== name) throw new Error(`${m || 'rejects'}: expected ${name}, got ${e.name}: ${e.message}`); return e; }
  throw new Error(`${m || 'rejects'}: did not reject`);
};
const throws = (f, name, m) => {
  try { f(); } catch (e) { if (name && e.name !== name) throw new Error(`${m || 'throws'}: expected ${name}, got ${e.name}: ${e.message}`); return e; }
  throw new Error(`${m || 'throws'}: did not throw`);
};
const tick = () => new Promise((r) => setTimeout(r, 0));
const readAll = async (rs) => { const out = []; for await (const c of rs) out.push(c); return out; };

export const identity = {
  async test() {
    const ts = new TransformStream();
    eq(Object.prototype.toString.call(ts), '[object TransformStream]');
    ok(ts.readable instanceof ReadableStream);
    ok(ts.writable instanceof WritableStream);
    const w = ts.writable.getWriter();
    w.write('a'); w.write('b'); w.close();
    eq((await readAll(ts.readable)).join(), 'a,b');
  },
};

export const transformAndFlush = {
  async test() {
    const ts = new TransformStream({
      start(c) { ok(c instanceof TransformStreamDefaultController); c.enqueue('start'); },
      transform(chunk, c) { c.enqueue(chunk.toUpperCase()); c.enqueue(chunk); },
      flush(c) { c.enqueue('end'); },
    });
    const w = ts.writable.getWriter();
    w.write('x'); w.close();
    eq((await readAll(ts.readable)).join(), 'start,X,x,end');
    // async transform
    const ts2 = new TransformStream({ async transform(chunk, c) { await tick(); c.enqueue(chunk * 2); } });
    const w2 = ts2.writable.getWriter();
    w2.write(1); w2.write(2); w2.close();
    eq((await readAll(ts2.readable)).join(), '2,4');
  },
};

export const backpressure = {
  async test() {
    // readable hwm 0: the first write's transform waits until the readable is read from
    const log = [];
    const ts = new TransformStream({ transform(chunk, c) { log.push('t' + chunk); c.enqueue(chunk); } });
    const w = ts.writable.getWriter();
    eq(w.desiredSize, 1);
    const p = w.write(1);
    await tick();
    eq(log.join(), '', 'transform waits for a read');
    const r = ts.readable.getReader();
    eq((await r.read()).value, 1);
    await p;
    eq(log.join(), 't1');
    // desiredSize of the controller reflects the readable queue
    let ctrl;
    const ts2 = new TransformStream({ start(c) { ctrl = c; } }, undefined, { highWaterMark: 3 });
    eq(ctrl.desiredSize, 3);
    ctrl.enqueue('a');
    eq(ctrl.desiredSize, 2);
  },
};

export const errors = {
  async test() {
    const e = new Error('tr');
    const ts = new TransformStream({ transform() { throw e; } });
    const w = ts.writable.getWriter();
    const r = ts.readable.getReader();
    const pr = r.read(); // the transform runs once the readable is pulled
    eq(await rejects(w.write(1)), e);
    eq(await rejects(pr), e);
    eq(await rejects(w.closed), e);
    // controller.error() errors both sides
    let ctrl;
    const ts2 = new TransformStream({ start(c) { ctrl = c; } });
    ctrl.error(e);
    eq(await rejects(ts2.readable.getReader().closed), e);
    eq(await rejects(ts2.writable.getWriter().closed), e);
    // flush throwing errors the readable
    const ts3 = new TransformStream({ flush() { throw e; } });
    const r3 = ts3.readable.getReader();
    eq(await rejects(ts3.writable.getWriter().close()), e);
    eq(await rejects(r3.closed), e);
    // aborting the writable errors the readable
    const ts4 = new TransformStream();
    const r4 = ts4.readable.getReader();
    await ts4.writable.abort(e);
    eq(await rejects(r4.read()), e);
    // cancelling the readable errors the writable
    const ts5 = new TransformStream();
    const w5 = ts5.writable.getWriter();
    await ts5.readable.cancel(e);
    eq(await rejects(w5.write(1)), e);
    throws(() => new TransformStreamDefaultController(), 'TypeError');
  },
};

export const terminate = {
  async test() {
    const ts = new TransformStream({ transform(chunk, c) { c.enqueue(chunk); c.terminate(); } });
    const w = ts.writable.getWriter();
    const r = ts.readable.getReader();
    w.write('only');
    eq((await r.read()).value, 'only');
    eq((await r.read()).done, true);
    await rejects(w.closed, 'TypeError');
    await rejects(w.write('more'), 'TypeError');
  },
};

export const pipeThrough = {
  async test() {
    const src = new ReadableStream({ start(c) { c.enqueue('a'); c.enqueue('b'); c.close(); } });
    const out = src
      .pipeThrough(new TransformStream({ transform(ch, c) { c.enqueue(ch + '1'); } }))
      .pipeThrough(new TransformStream({ transform(ch, c) { c.enqueue(ch + '2'); } }));
    ok(src.locked);
    eq((await readAll(out)).join(), 'a12,b12');
    // argument errors
    throws(() => new ReadableStream().pipeThrough({}), 'TypeError');
    const locked = new ReadableStream();
    locked.getReader();
    throws(() => locked.pipeThrough(new TransformStream()), 'TypeError');
    const t = new TransformStream();
    t.writable.getWriter();
    throws(() => new ReadableStream().pipeThrough(t), 'TypeError');
  },
};

export const textStreams = {
  async test() {
    const enc = new TextEncoderStream();
    eq(enc.encoding, 'utf-8');
    ok(enc.readable instanceof ReadableStream && enc.writable instanceof WritableStream);
    const w = enc.writable.getWriter();
    // a surrogate pair split across two chunks is kept together
    w.write('h\u00e9\ud83d'); w.write('\ude00!'); w.close();
    const bytes = [];
    for await (const c of enc.readable) { ok(c instanceof Uint8Array); bytes.push(...c); }
    eq(bytes.join(), [104, 0xc3, 0xa9, 0xf0, 0x9f, 0x98, 0x80, 33].join());
    // a lone high surrogate at the end becomes U+FFFD
    const enc2 = new TextEncoderStream();
    const w2 = enc2.writable.getWriter();
    w2.write('a\ud800'); w2.close();
    const b2 = [];
    for await (const c of enc2.readable) b2.push(...c);
    eq(b2.join(), [97, 0xef, 0xbf, 0xbd].join());

    const dec = new TextDecoderStream();
    eq(dec.encoding, 'utf-8'); eq(dec.fatal, false); eq(dec.ignoreBOM, false);
    const dw = dec.writable.getWriter();
    // a multi-byte character split across chunks
    dw.write(new Uint8Array([0xe2, 0x82])); dw.write(new Uint8Array([0xac, 0x41])); dw.close();
    eq((await readAll(dec.readable)).join(''), '\u20acA');
    const dec2 = new TextDecoderStream('utf-16le');
    eq(dec2.encoding, 'utf-16le');
    throws(() => new TextDecoderStream('nope'), 'RangeError');
    // fatal decoding errors the stream
    const dec3 = new TextDecoderStream('utf-8', { fatal: true });
    const w3 = dec3.writable.getWriter();
    w3.write(new Uint8Array([0xff])).catch(() => {});
    w3.close().catch(() => {});
    await rejects(readAll(dec3.readable), 'TypeError');
    // string chunks are not accepted by the decoder
    const dec4 = new TextDecoderStream();
    const w4 = dec4.writable.getWriter();
    const p4 = w4.write('str');
    await rejects(readAll(dec4.readable), 'TypeError');
    await rejects(p4, 'TypeError');
  },
};
