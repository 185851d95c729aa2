// fetch() through the worker's globalOutbound (echo.js): methods, headers, bodies, redirects,
// AbortSignal, data: URLs, refused protocols.
import { eq, same, ok, throws, rejects } from './assert.js';
const echo = async (input, init) => (await fetch(input, init)).json();

export const basics = {
  async test() {
    const r = await fetch('http://a.test/x?y=1');
    same([r.status, r.statusText, r.ok, r.type, r.url, r.redirected], [200, 'OK', true, 'default', 'http://a.test/x?y=1', false]);
    eq(r.headers.get('content-type'), 'application/json');
    throws(() => r.headers.set('a', 'b'), 'TypeError', "Can't modify immutable headers.");
    const j = await r.json();
    same([j.url, j.method, j.body], ['http://a.test/x?y=1', 'GET', null]);
    // status and statusText come through
    const s = await fetch('http://a.test/status?s=404&t=Nope');
    same([s.status, s.statusText, s.ok, s.headers.get('x-origin'), await s.text()], [404, 'Nope', false, 'echo', 's']);
    // a Request, or a Request with init
    const q = new Request('http://a.test/q', { method: 'PUT', body: 'b', headers: { 'x-q': '1' } });
    const e = await echo(q);
    same([e.method, e.body, e.headers], ['PUT', 'b', [['content-length', '1'], ['content-type', 'text/plain;charset=UTF-8'], ['x-q', '1']]]);
    eq(q.bodyUsed, true);
    same((await echo(new Request('http://a.test/'), { method: 'DELETE' })).method, 'DELETE');
  },
};

export const bodies = {
  async test() {
    // known lengths are sent with a Content-Length
    const a = await echo('http://a.test/', { method: 'POST', body: 'héllo', headers: { 'x-a': '1' } });
    same(a.headers, [['content-length', '6'], ['content-type', 'text/plain;charset=UTF-8'], ['x-a', '1']]);
    eq(a.body, 'héllo');
    const b = await echo('http://a.test/', { method: 'POST', body: new Uint8Array([104, 105]) });
    same([b.headers, b.body], [[['content-length', '2']], 'hi']);
    // a stream body
    const enc = new TextEncoder();
    const rs = new ReadableStream({ start(c) { c.enqueue(enc.encode('ab')); c.enqueue(enc.encode('cd')); c.close(); } });
    eq((await echo('http://a.test/', { method: 'PUT', body: rs })).body, 'abcd');
    // response bodies stream
    const r = await fetch('http://a.test/', { method: 'POST', body: 'xyz' });
    const reader = r.body.getReader();
    let text = '';
    for (;;) { const { done, value } = await reader.read(); if (done) break; text += new TextDecoder().decode(value); }
    eq(JSON.parse(text).body, 'xyz');
  },
};

export const redirects = {
  async test() {
    const f = await fetch('http://a.test/redirect/302?to=/final%3Fx%3D1');
    same([f.status, f.redirected, f.url], [200, true, 'http://a.test/final?x=1']);
    eq((await f.json()).url, 'http://a.test/final?x=1');
    const m = await fetch('http://a.test/redirect/301?to=/elsewhere', { redirect: 'manual' });
    same([m.status, m.redirected, m.url, m.headers.get('location')], [301, false, 'http://a.test/redirect/301?to=/elsewhere', '/elsewhere']);
    // 303 turns into a GET without a body; 307 keeps the method and body
    const s = await echo('http://a.test/redirect/303?to=/see', { method: 'POST', body: 'data' });
    same([s.method, s.body, s.url], ['GET', null, 'http://a.test/see']);
    const t = await echo('http://a.test/redirect/307?to=/temp', { method: 'PUT', body: 'data' });
    same([t.method, t.body, t.url], ['PUT', 'data', 'http://a.test/temp']);
    // 301/302 turn a POST into a GET
    eq((await echo('http://a.test/redirect/302?to=/x', { method: 'POST', body: 'd' })).method, 'GET');
    // strip_authorization_on_cross_origin_redirect (2025-09-01): Authorization only to the same origin
    const auth = (to) => echo(`http://a.test/redirect/302?to=${encodeURIComponent(to)}`, { headers: { authorization: 'secret', 'x-keep': '1' } });
    same((await auth('/same')).headers, [['authorization', 'secret'], ['x-keep', '1']]);
    same((await auth('http://b.test/other')).headers, [['x-keep', '1']]);
  },
};

export const abort = {
  async test() {
    const e = await rejects(fetch('http://a.test/', { signal: AbortSignal.abort() }), 'AbortError', 'The operation was aborted');
    ok(e instanceof DOMException);
    await rejects(fetch('http://a.test/', { signal: AbortSignal.abort(new RangeError('mine')) }), 'RangeError', 'mine');
    // aborting while the request is in flight
    const c = new AbortController();
    const p = fetch('http://a.test/slow', { signal: c.signal });
    setTimeout(() => c.abort(), 10);
    await rejects(p, 'AbortError', 'The operation was aborted');
    const t = fetch('http://a.test/slow', { signal: AbortSignal.timeout(10) });
    await rejects(t, 'TimeoutError', 'The operation was aborted due to timeout');
  },
};

export const dataUrls = {
  async test() {
    const d = async (u) => { const r = await fetch(u); return [r.status, r.statusText, [...r.headers], await r.text(), r.url]; };
    same(await d('data:,Hello%2C%20World%21'), [200, 'OK', [['content-type', 'text/plain;charset=US-ASCII']], 'Hello, World!', '']);
    same(await d('data:text/plain;base64,SGVsbG8='), [200, 'OK', [['content-type', 'text/plain']], 'Hello', '']);
    same(await d('data:text/html;charset=utf-8,<b>x</b>'), [200, 'OK', [['content-type', 'text/html;charset=utf-8']], '<b>x</b>', '']);
    same(await d('data:;base64,YWI='), [200, 'OK', [['content-type', 'text/plain;charset=US-ASCII']], 'ab', '']);
    same(await d('DATA:,x#fragment'), [200, 'OK', [['content-type', 'text/plain;charset=US-ASCII']], 'x', '']);
    eq((await (await fetch('data:,%E2%82%AC')).text()), '€');
    eq((await (await fetch('data:application/octet-stream;base64,AAEC')).arrayBuffer()).byteLength, 3);
    await rejects(fetch('data:no-comma'), 'TypeError', 'Fetch API cannot load: data:no-comma');
  },
};

export const errors = {
  async test() {
    // fetch_refuses_unknown_protocols
    for (const u of ['ftp://a.test/x', 'ws://a.test/', 'file:///etc/passwd', 'blob:x']) await rejects(fetch(u), 'TypeError', `Fetch API cannot load: ${u}`);
    await rejects(fetch('nope'), 'TypeError', 'Invalid URL: nope');
    await rejects(fetch(), 'TypeError', "Failed to execute 'fetch' on 'ServiceWorkerGlobalScope': parameter 1 is not of type 'Request or string'.");
    await rejects(fetch('http://a.test/', { method: 'GET', body: 'x' }), 'TypeError', 'Request with a GET or HEAD method cannot have a body.');
    await rejects(fetch('http://a.test/', { method: 'bogus' }), 'TypeError', 'Invalid HTTP method string: bogus');
  },
};
