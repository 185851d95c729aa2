// Byte streams: ReadableByteStreamController, BYOB readers and requests, autoAllocateChunkSize, byte tee.
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
const bytesOf = (v) => Array.from(new Uint8Array(v.buffer, v.byteOffset, v.byteLength)).join();

export const defaultReader = {
  async test() {
    let ctrl;
    const rs = new ReadableStream({ type: 'bytes', start(c) { ctrl = c; } });
    ok(ctrl instanceof ReadableByteStreamController);
    eq(ctrl.byobRequest, null);
    const src = new Uint8Array([1, 2, 3]);
    ctrl.enqueue(src);
    eq(src.byteLength, 0, 'enqueue transfers the buffer');
    ctrl.enqueue(new Uint16Array([0x0504]));
    ctrl.close();
    // (workerd may coalesce queued chunks; the spec returns them one by one)
    const r = rs.getReader();
    const got = [];
    for (;;) {
      const { done, value } = await r.read();
      if (done) break;
      ok(value instanceof Uint8Array, 'default reads of byte streams are Uint8Arrays');
      got.push(bytesOf(value));
    }
    eq(got.join(), '1,2,3,4,5');
    throws(() => ctrl.enqueue(new Uint8Array(1)), 'TypeError', 'enqueue after close');
  },
};

export const enqueueErrors = {
  async test() {
    let ctrl;
    new ReadableStream({ type: 'bytes', start(c) { ctrl = c; } });
    throws(() => ctrl.enqueue(new Uint8Array(0)), 'TypeError', 'empty chunk');
    throws(() => ctrl.enqueue('str'), 'TypeError', 'not a view');
    throws(() => new ReadableByteStreamController(), 'TypeError');
    throws(() => new ReadableStreamBYOBRequest(), 'TypeError');
    throws(() => new ReadableStreamBYOBReader(new ReadableStream()), 'TypeError', 'BYOB reader of a default stream');
  },
};

export const byobRead = {
  async test() {
    let ctrl;
    const rs = new ReadableStream({ type: 'bytes', start(c) { ctrl = c; } });
    const r = rs.getReader({ mode: 'byob' });
    ok(r instanceof ReadableStreamBYOBReader);
    // queued data fills the view
    ctrl.enqueue(new Uint8Array([1, 2, 3, 4, 5]));
    const buf = new Uint8Array(3);
    const x = await r.read(buf);
    eq(buf.byteLength, 0, 'the view passed to read() is transferred');
    eq(bytesOf(x.value), '1,2,3');
    eq(x.value.buffer.byteLength, 3);
    const y = await r.read(new Uint8Array(10));
    eq(bytesOf(y.value), '4,5');
    // a pending read is served through byobRequest
    const p = r.read(new Uint8Array(4));
    await tick();
    const req = ctrl.byobRequest;
    ok(req instanceof ReadableStreamBYOBRequest);
    eq(req.view.byteLength, 4);
    req.view[0] = 9; req.view[1] = 8;
    req.respond(2);
    eq(ctrl.byobRequest, null);
    eq(bytesOf((await p).value), '9,8');
    // typed views other than Uint8Array
    ctrl.enqueue(new Uint8Array([1, 0, 2, 0]));
    const u16 = await r.read(new Uint16Array(2));
    ok(u16.value instanceof Uint16Array);
    eq(u16.value.length, 2);
    // DataView
    ctrl.enqueue(new Uint8Array([7]));
    const dv = await r.read(new DataView(new ArrayBuffer(2)));
    ok(dv.value instanceof DataView);
    eq(dv.value.byteLength, 1);
    // close with a pending read: respond(0) resolves it as done
    const pd = r.read(new Uint8Array(4));
    await tick();
    ctrl.close();
    if (ctrl.byobRequest) ctrl.byobRequest.respond(0); // required by the spec; workerd resolves it itself
    const done = await pd;
    eq(done.done, true);
    ok(done.value instanceof Uint8Array);
    eq(done.value.byteLength, 0);
  },
};

export const byobErrors = {
  async test() {
    const rs = new ReadableStream({ type: 'bytes' });
    const r = rs.getReader({ mode: 'byob' });
    await rejects(r.read(new Uint8Array(0)), 'TypeError', 'empty view');
    await rejects(r.read('x'), 'TypeError', 'not a view');
    await rejects(r.read(), 'TypeError', 'missing view');
    r.releaseLock();
    await rejects(r.read(new Uint8Array(1)), 'TypeError', 'released');
    const e = new Error('byob');
    const rs2 = new ReadableStream({ type: 'bytes', pull(c) { c.error(e); } });
    eq(await rejects(rs2.getReader({ mode: 'byob' }).read(new Uint8Array(4))), e);
  },
};

export const respondWithNewView = {
  async test() {
    const rs = new ReadableStream({
      type: 'bytes',
      pull(c) {
        const v = c.byobRequest.view;
        const nv = new Uint8Array(v.buffer, v.byteOffset, 2);
        nv.set([42, 43]);
        c.byobRequest.respondWithNewView(nv);
      },
    });
    const r = rs.getReader({ mode: 'byob' });
    eq(bytesOf((await r.read(new Uint8Array(8))).value), '42,43');
  },
};

export const autoAllocate = {
  async test() {
    let n = 0;
    const rs = new ReadableStream({
      type: 'bytes',
      autoAllocateChunkSize: 16,
      pull(c) {
        const req = c.byobRequest;
        ok(req !== null, 'byobRequest exists for default reads with autoAllocateChunkSize');
        eq(req.view.byteLength, 16);
        if (n++ === 2) { c.close(); req.respond(0); return; }
        req.view[0] = n;
        req.respond(1);
      },
    });
    const r = rs.getReader();
    eq(bytesOf((await r.read()).value), '1');
    eq(bytesOf((await r.read()).value), '2');
    eq((await r.read()).done, true);
    throws(() => new ReadableStream({ type: 'bytes', autoAllocateChunkSize: 0 }), 'TypeError');
  },
};

export const pullWithHostStyleSource = {
  // the shape fetch bodies use: enqueue on pull, close + respond(0) at the end
  async test() {
    const parts = [new Uint8Array([1, 2]), new Uint8Array([3]), null];
    const mk = () => {
      let i = 0;
      return new ReadableStream({
        type: 'bytes',
        async pull(c) {
          await tick();
          const chunk = parts[i++];
          if (chunk === null) { c.close(); if (c.byobRequest) c.byobRequest.respond(0); } else c.enqueue(chunk.slice());
        },
      });
    };
    const all = [];
    for await (const c of mk()) all.push(...c);
    eq(all.join(), '1,2,3');
    const r = mk().getReader({ mode: 'byob' });
    const got = [];
    for (;;) {
      const { done, value } = await r.read(new Uint8Array(1));
      if (done) break;
      got.push(...value);
    }
    eq(got.join(), '1,2,3');
  },
};

export const byteTee = {
  async test() {
    let ctrl;
    const rs = new ReadableStream({ type: 'bytes', start(c) { ctrl = c; } });
    const [a, b] = rs.tee();
    ctrl.enqueue(new Uint8Array([1, 2, 3]));
    ctrl.close();
    const ra = a.getReader(), rb = b.getReader({ mode: 'byob' });
    const va = await ra.read();
    eq(bytesOf(va.value), '1,2,3');
    const vb = await rb.read(new Uint8Array(2));
    eq(bytesOf(vb.value), '1,2');
    const vb2 = await rb.read(new Uint8Array(2));
    eq(bytesOf(vb2.value), '3');
    ok(va.value.buffer !== vb.value.buffer, 'branches get distinct buffers');
    eq((await ra.read()).done, true);
    eq((await rb.read(new Uint8Array(1))).done, true);
  },
};

export const readAtLeast = {
  async test() {
    let ctrl;
    const rs = new ReadableStream({ type: 'bytes', start(c) { ctrl = c; } });
    const r = rs.getReader({ mode: 'byob' });
    const p = r.readAtLeast(4, new Uint8Array(8));
    ctrl.enqueue(new Uint8Array([1, 2]));
    await tick();
    ctrl.enqueue(new Uint8Array([3, 4, 5]));
    const { value } = await p;
    eq(bytesOf(value), '1,2,3,4,5');
  },
};
