// Blob and File (https://w3c.github.io/FileAPI/).
import { eq, ok } from './assert.js';
const throws = (f, name, m) => {
  try { f(); } catch (e) { if (name && e.name !== name) throw new Error(`${m || 'throws'}: expected ${name}, got ${e.name}: ${e.message}`); return e; }
  throw new Error(`${m || 'throws'}: did not throw`);
};

export const construct = {
  async test() {
    const b = new Blob(['ab', new Uint8Array([99, 100]), new Blob(['e']), new Uint16Array([0x6766]).buffer, new DataView(new Uint8Array([104]).buffer)]);
    eq(Object.prototype.toString.call(b), '[object Blob]');
    eq(b.size, 8);
    eq(b.type, '');
    eq(await b.text(), 'abcdefgh');
    eq(new Blob().size, 0);
    eq(new Blob([]).size, 0);
    eq(await new Blob(['h\u00e9']).text(), 'h\u00e9');
    eq(new Blob(['h\u00e9']).size, 3, 'strings are UTF-8');
    eq(new Blob(['\ud800']).size, 3, 'lone surrogates become U+FFFD');
    eq(await new Blob([1, null, { toString: () => 'x' }]).text(), '1nullx');
    throws(() => new Blob('abc'), 'TypeError', 'a string is not a sequence');
    throws(() => new Blob(5), 'TypeError');
    // parts are copied
    const src = new Uint8Array([1, 2]);
    const c = new Blob([src]);
    src[0] = 9;
    eq(new Uint8Array(await c.arrayBuffer())[0], 1);
  },
};

export const type = {
  async test() {
    eq(new Blob([], { type: 'Text/HTML' }).type, 'text/html');
    eq(new Blob([], { type: 'a\u00e9' }).type, '', 'non-ASCII type is dropped');
    eq(new Blob([], { type: 'a\nb' }).type, '');
    eq(new Blob([], { type: 'text/plain;charset=UTF-8' }).type, 'text/plain;charset=utf-8');
  },
};

export const slice = {
  async test() {
    const b = new Blob(['0123456789'], { type: 'text/plain' });
    eq(await b.slice(2, 5).text(), '234');
    eq(await b.slice(-3).text(), '789');
    eq(await b.slice(-3, -1).text(), '78');
    eq(await b.slice(5, 2).text(), '');
    eq(await b.slice(0, 100).text(), '0123456789');
    eq(await b.slice().text(), '0123456789');
    eq(b.slice().type, '', 'slice without contentType has an empty type');
    eq(b.slice(0, 1, 'X/Y').type, 'x/y');
    eq(b.slice(2, 5).size, 3);
    eq(await b.slice(1, 8).slice(1, 3).text(), '23');
  },
};

export const readers = {
  async test() {
    const b = new Blob(['hello']);
    const ab = await b.arrayBuffer();
    ok(ab instanceof ArrayBuffer);
    eq(ab.byteLength, 5);
    new Uint8Array(ab)[0] = 0;
    eq(await b.text(), 'hello', 'arrayBuffer() returns a copy');
    const u8 = await b.bytes();
    ok(u8 instanceof Uint8Array);
    eq(u8.length, 5);
    // stream()
    const s = b.stream();
    ok(s instanceof ReadableStream);
    const chunks = [];
    for await (const c of s) { ok(c instanceof Uint8Array); chunks.push(...c); }
    eq(String.fromCharCode(...chunks), 'hello');
    // BYOB read of a blob stream
    const r = new Blob(['abcdef']).stream().getReader({ mode: 'byob' });
    const { value } = await r.read(new Uint8Array(4));
    eq(value.length, 4);
    // a large blob streams in several chunks
    const big = new Blob([new Uint8Array(200000)]);
    let n = 0, total = 0;
    for await (const c of big.stream()) { n++; total += c.length; }
    eq(total, 200000);
    ok(n >= 1);
    // text() keeps a UTF-8 BOM (workerd)
    eq(await new Blob([new Uint8Array([0xef, 0xbb, 0xbf, 0x41])]).text(), '\ufeffA');
  },
};

export const file = {
  async test() {
    const f = new File(['abc'], 'a.txt', { type: 'text/plain', lastModified: 42 });
    ok(f instanceof Blob);
    eq(Object.prototype.toString.call(f), '[object File]');
    eq(f.name, 'a.txt');
    eq(f.lastModified, 42);
    eq(f.type, 'text/plain');
    eq(f.size, 3);
    eq(await f.text(), 'abc');
    const before = Date.now();
    const g = new File([], 'n');
    ok(g.lastModified >= before - 1000 && g.lastModified <= Date.now() + 1000, 'lastModified defaults to now');
    throws(() => new File(['x']), 'TypeError', 'name required');
    const s = f.slice(1);
    ok(!(s instanceof File), 'slice of a File is a Blob');
    eq(await s.text(), 'bc');
  },
};

export const asBodies = {
  async test() {
    const b = new Blob(['body text'], { type: 'text/x-custom' });
    const res = new Response(b);
    eq(res.headers.get('content-type'), 'text/x-custom');
    eq(await res.text(), 'body text');
    eq(await b.text(), 'body text', 'the blob is unchanged after being a body');
    const back = await new Response('round trip', { headers: { 'content-type': 'a/b' } }).blob();
    ok(back instanceof Blob);
    eq(back.type, 'a/b');
    eq(await back.text(), 'round trip');
    const viaStream = await new Response(new Blob(['s']).stream()).text();
    eq(viaStream, 's');
    // structuredClone keeps blobs
    const cl = structuredClone(b);
    eq(await cl.text(), 'body text');
  },
};
