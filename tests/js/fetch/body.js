// The Body mixin of Request and Response: text, json, arrayBuffer, bytes, blob, formData, body, bodyUsed.
import { eq, same, ok, throws, rejects } from './assert.js';
const USED = 'Body has already been used. It can only be used once. Use tee() first if you need to read it twice.';

export const readers = {
  async test() {
    eq(await new Response('héllo').text(), 'héllo');
    same(await new Response('{"a":[1]}').json(), { a: [1] });
    await rejects(new Response('{a').json(), 'SyntaxError');
    const ab = await new Response('abc').arrayBuffer();
    ok(ab instanceof ArrayBuffer);
    eq(ab.byteLength, 3);
    const bytes = await new Response('abc').bytes();
    ok(bytes instanceof Uint8Array);
    eq(Array.from(bytes).join(), '97,98,99');
    const blob = await new Response('abc', { headers: { 'content-type': 'Text/X' } }).blob();
    ok(blob instanceof Blob);
    same([blob.size, blob.type, await blob.text()], [3, 'text/x', 'abc']);
    // the type is the Content-Type parsed and serialized as a MIME type ('' when invalid)
    eq((await new Response('abc', { headers: { 'content-type': 'Text/HTML ; Charset=utf-8; x="a b"' } }).blob()).type, 'text/html;charset=utf-8;x="a b"');
    eq((await new Response('abc', { headers: { 'content-type': 'bogus' } }).blob()).type, '');
    // a null body reads as empty, and stays unused
    const empty = new Response(null);
    eq(await empty.text(), '');
    eq(empty.bodyUsed, false);
    eq((await new Response().arrayBuffer()).byteLength, 0);
    // invalid UTF-8 is replaced; a BOM is kept before strip_bom_in_read_all_text (2026-01-13)
    eq(await new Response(new Uint8Array([0x61, 0xff, 0x62])).text(), 'a\ufffdb');
    eq(await new Response(new Uint8Array([0xef, 0xbb, 0xbf, 0x61])).text(), '\ufeffa');
  },
};

export const formData = {
  async test() {
    same([...(await new Response(new URLSearchParams('a=1&b=x+y&a=%C3%A9')).formData())], [['a', '1'], ['b', 'x y'], ['a', 'é']]);
    const fd = new FormData();
    fd.append('k', 'v');
    fd.append('f', new Blob(['data'], { type: 'text/plain' }), 'f.txt');
    const parsed = await new Response(fd).formData();
    eq(parsed.get('k'), 'v');
    const file = parsed.get('f');
    ok(file instanceof File);
    same([file.name, file.type, await file.text()], ['f.txt', 'text/plain', 'data']);
    await rejects(new Response('a=1').formData(), 'TypeError', 'Unrecognized Content-Type header value. FormData can only parse the following MIME types: multipart/form-data, application/x-www-form-urlencoded');
  },
};

export const bodyUsed = {
  async test() {
    const r = new Response('x');
    eq(r.bodyUsed, false);
    await r.text();
    eq(r.bodyUsed, true);
    for (const m of ['text', 'json', 'arrayBuffer', 'bytes', 'blob', 'formData']) await rejects(r[m](), 'TypeError', USED, m);
    // the body stream
    const s = new Response('abc');
    ok(s.body instanceof ReadableStream);
    eq(s.body, s.body, 'the same stream each time');
    // a locked but unread stream is not "used", but cannot be read by the body methods
    const reader = s.body.getReader();
    eq(s.bodyUsed, false);
    await rejects(s.text(), 'TypeError', 'This ReadableStream is currently locked to a reader.');
    const { value } = await reader.read();
    eq(Array.from(value).join(), '97,98,99');
    eq(s.bodyUsed, true);
    reader.releaseLock();
    await rejects(s.text(), 'TypeError', USED);
    // reading the stream after a body method: it is disturbed
    const t = new Response('x');
    await t.text();
    ok(t.body instanceof ReadableStream);
    eq(t.bodyUsed, true);
  },
};

export const streamBodies = {
  async test() {
    const enc = new TextEncoder();
    const rs = new ReadableStream({ start(c) { c.enqueue(enc.encode('he')); c.enqueue(enc.encode('llo')); c.close(); } });
    const r = new Response(rs);
    eq(r.body, rs, 'a stream body is used as is');
    eq(await r.text(), 'hello');
    // a locked or disturbed stream cannot become a body
    const locked = new ReadableStream({ start(c) { c.enqueue(enc.encode('x')); } });
    const rd = locked.getReader();
    throws(() => new Response(locked), 'TypeError', 'This ReadableStream is locked to a reader, and cannot be used as a body.');
    await rd.read();
    rd.releaseLock();
    throws(() => new Response(locked), 'TypeError', 'This ReadableStream is disturbed (has already been read from), and cannot be used as a body.');
    // chunks must be bytes
    await rejects(new Response(new ReadableStream({ start(c) { c.enqueue('str'); c.close(); } })).text(), 'TypeError', 'This ReadableStream did not return bytes.');
  },
};
