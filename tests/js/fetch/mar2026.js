// Flags of 2026: fetch_iterable_type_support (sync and async iterables of byte chunks are bodies)
// and strip_bom_in_read_all_text (text() drops a UTF-8 BOM; json() still does not).
import { eq, same, ok, throws, rejects } from './assert.js';

export const iterableBodies = {
  async test() {
    eq(await new Response([new Uint8Array([65]), new Uint8Array([66])]).text(), 'AB');
    eq(new Response([new Uint8Array([65])]).headers.get('content-type'), null);
    eq(await new Response(new Set([new Uint8Array([67])])).text(), 'C');
    eq(await new Response((function* () { yield new Uint8Array([68]); })()).text(), 'D');
    eq(await new Response((async function* () { yield new Uint8Array([69]); })()).text(), 'E');
    await rejects(new Response(['a', 'b']).text(), 'TypeError', 'This ReadableStream did not return bytes.');
    eq(await new Request('http://a.test/', { method: 'POST', body: [new Uint8Array([70])] }).text(), 'F');
  },
};

export const bom = {
  async test() {
    const b = new Uint8Array([0xef, 0xbb, 0xbf, 0x61]);
    eq(await new Response(b).text(), 'a');
    eq(await new Request('http://a.test/', { method: 'POST', body: b }).text(), 'a');
    eq(await new Blob([b]).text(), '\ufeffa', 'Blob.text() keeps it');
    await rejects(new Response(b).json(), 'SyntaxError');
  },
};
