// workerd's IdentityTransformStream and FixedLengthStream, and streams as Request/Response bodies.
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
const enc = new TextEncoder();

export const identityTransformStream = {
  async test() {
    const ts = new IdentityTransformStream();
    ok(ts instanceof TransformStream);
    const w = ts.writable.getWriter();
    const r = ts.readable.getReader();
    const p = w.write(new Uint8Array([1, 2, 3]));
    const { value } = await r.read();
    ok(value instanceof Uint8Array);
    eq(Array.from(value).join(), '1,2,3');
    await p;
    // ArrayBuffer chunks are accepted too
    const p2 = w.write(new Uint8Array([4]).buffer);
    eq(Array.from((await r.read()).value).join(), '4');
    await p2;
    w.close();
    eq((await r.read()).done, true);
    // strings are written as UTF-8
    const ts2 = new IdentityTransformStream();
    const r2 = ts2.readable.getReader();
    const read2 = r2.read();
    await ts2.writable.getWriter().write('stré');
    eq(Array.from((await read2).value).join(), '115,116,114,195,169');
  },
};

export const identityByob = {
  async test() {
    const ts = new IdentityTransformStream();
    const r = ts.readable.getReader({ mode: 'byob' });
    const w = ts.writable.getWriter();
    w.write(new Uint8Array([1, 2, 3, 4, 5]));
    const a = await r.read(new Uint8Array(2));
    eq(Array.from(a.value).join(), '1,2');
    const b = await r.read(new Uint8Array(10));
    eq(Array.from(b.value).join(), '3,4,5');
    w.close();
    eq((await r.read(new Uint8Array(1))).done, true);
  },
};

export const identityAsResponseBody = {
  async test() {
    const { readable, writable } = new IdentityTransformStream();
    const w = writable.getWriter();
    (async () => { await w.write(enc.encode('hello ')); await w.write(enc.encode('world')); await w.close(); })();
    eq(await new Response(readable).text(), 'hello world');
  },
};

export const identityCancelAndAbort = {
  async test() {
    const ts = new IdentityTransformStream();
    const w = ts.writable.getWriter();
    await ts.readable.cancel(new Error('gone'));
    await rejects(w.write(new Uint8Array(1)));
    const ts2 = new IdentityTransformStream();
    const r2 = ts2.readable.getReader();
    await ts2.writable.abort(new RangeError('aborted'));
    await rejects(r2.read(), 'RangeError');
  },
};

export const fixedLengthStream = {
  async test() {
    const fl = new FixedLengthStream(5);
    ok(fl instanceof IdentityTransformStream);
    const w = fl.writable.getWriter();
    const body = new Response(fl.readable).text();
    await w.write(enc.encode('hel'));
    await w.write(enc.encode('lo'));
    await w.close();
    eq(await body, 'hello');
    // too many bytes
    const fl2 = new FixedLengthStream(2);
    const w2 = fl2.writable.getWriter();
    const r2 = fl2.readable.getReader();
    const rp = r2.read();
    await w2.write(enc.encode('abc')).catch(() => {});
    await rejects(rp, 'TypeError');
    // too few bytes
    const fl3 = new FixedLengthStream(4);
    const w3 = fl3.writable.getWriter();
    const r3 = fl3.readable.getReader();
    const reads = (async () => { for (;;) { const { done } = await r3.read(); if (done) return; } })();
    await w3.write(enc.encode('ab'));
    await w3.close().catch(() => {});
    await rejects(reads, 'TypeError');
    throws(() => new FixedLengthStream(-1), 'TypeError');
    throws(() => new FixedLengthStream(), 'TypeError');
    new FixedLengthStream(0n);
  },
};

export const responseBodies = {
  async test() {
    // a byte stream body
    const rs = new ReadableStream({ type: 'bytes', start(c) { c.enqueue(enc.encode('ab')); c.enqueue(enc.encode('c')); c.close(); } });
    eq(await new Response(rs).text(), 'abc');
    // a default stream of Uint8Arrays
    const rs2 = new ReadableStream({ start(c) { c.enqueue(enc.encode('x')); c.close(); } });
    const res = new Response(rs2);
    eq(res.bodyUsed, false);
    eq(await res.text(), 'x');
    eq(res.bodyUsed, true);
    // a disturbed or locked stream cannot be a body
    const rs3 = new ReadableStream();
    rs3.getReader();
    throws(() => new Response(rs3), 'TypeError');
    // Response.body is a byte stream that supports BYOB reads
    const r = new Response('hello').body.getReader({ mode: 'byob' });
    const { value } = await r.read(new Uint8Array(16));
    eq(new TextDecoder().decode(value), 'hello');
    // clone() tees the body
    const orig = new Response(new ReadableStream({ start(c) { c.enqueue(enc.encode('tee')); c.close(); } }));
    const copy = orig.clone();
    eq(await orig.text(), 'tee');
    eq(await copy.text(), 'tee');
    // reading the body stream marks the body used
    const res4 = new Response('data');
    const rd = res4.body.getReader();
    await rd.read();
    eq(res4.bodyUsed, true);
    await rejects(res4.text(), 'TypeError');
  },
};

export const pipeThroughTextStreams = {
  async test() {
    const out = new Response('héllo wörld').body
      .pipeThrough(new TextDecoderStream())
      .pipeThrough(new TransformStream({ transform(s, c) { c.enqueue(s.toUpperCase()); } }))
      .pipeThrough(new TextEncoderStream());
    eq(await new Response(out).text(), 'HÉLLO WÖRLD');
  },
};
