// Response (https://fetch.spec.whatwg.org/#response-class) as workerd has it.
import { eq, same, ok, throws, rejects } from './assert.js';

export const defaults = {
  test() {
    const r = new Response();
    same([r.status, r.statusText, r.ok, r.body, r.bodyUsed, r.type, r.url, r.redirected, r.webSocket, r.cf], [200, '', true, null, false, 'default', '', false, null, undefined]);
    same([...r.headers], []);
    eq(Object.prototype.toString.call(r), '[object Response]');
    eq(Object.getPrototypeOf(Response.prototype), Object.getPrototypeOf(Request.prototype), 'Body is the prototype of both');
    ok('text' in Response.prototype && !Object.hasOwn(Response.prototype, 'text'), 'body methods come from the Body prototype');
  },
};

export const status = {
  test() {
    const s = (v) => new Response(null, { status: v }).status;
    eq(s(201), 201);
    eq(s('204'), 204);
    eq(s(299.9), 299, 'unsigned short: truncated');
    eq(s(599), 599);
    const range = 'Responses may only be constructed with status codes in the range 200 to 599, inclusive.';
    for (const v of [0, 101, 199, 600, NaN, -1, 1e6 + 7]) throws(() => s(v), 'RangeError', range, `status ${v}`);
    eq(new Response(null, { status: 201 }).ok, true);
    eq(new Response(null, { status: 404 }).ok, false);
    eq(new Response(null, { statusText: 'Not Found', status: 404 }).statusText, 'Not Found');
    eq(new Response(null, { statusText: 'caf\xe9' }).statusText, 'caf\xe9');
    throws(() => new Response(null, { statusText: 'a\nb' }), 'TypeError', 'Invalid statusText');
    throws(() => new Response(null, { statusText: 'a\rb' }), 'TypeError', 'Invalid statusText');
    throws(() => new Response(null, 5), 'TypeError', "Failed to construct 'Response': constructor parameter 2 is not of type 'InitializerDict or Response'.");
    throws(() => new Response(null, 'x'), 'TypeError', "Failed to construct 'Response': constructor parameter 2 is not of type 'InitializerDict or Response'.");
  },
};

export const nullBodyStatuses = {
  async test() {
    const msg = 'Response with null body status (101, 204, 205, or 304) cannot have a body.';
    for (const st of [204, 205, 304]) {
      eq(new Response(null, { status: st }).status, st);
      throws(() => new Response('x', { status: st }), 'TypeError', msg, `string body, ${st}`);
      throws(() => new Response(new Uint8Array(1), { status: st }), 'TypeError', msg, `bytes body, ${st}`);
    }
    // a zero-length body is accepted (workerd warns) and becomes a null body
    eq(new Response('', { status: 204 }).body, null);
    eq(new Response(new Uint8Array(0), { status: 304 }).body, null);
    throws(() => Response.json({}, { status: 204 }), 'TypeError', msg);
  },
};

export const bodyTypes = {
  async test() {
    const ct = (r) => r.headers.get('content-type');
    eq(ct(new Response('x')), 'text/plain;charset=UTF-8');
    eq(ct(new Response(new Uint8Array([1]))), null);
    eq(ct(new Response(new ArrayBuffer(1))), null);
    eq(ct(new Response(new URLSearchParams('a=1&b= 2'))), 'application/x-www-form-urlencoded;charset=UTF-8');
    eq(await new Response(new URLSearchParams('a=1&b= 2')).text(), 'a=1&b=+2');
    eq(ct(new Response(new Blob(['x'], { type: 'text/html' }))), 'text/html');
    eq(ct(new Response(new Blob(['x']))), null);
    ok(ct(new Response(new FormData())).startsWith('multipart/form-data; boundary='));
    eq(ct(new Response('x', { headers: { 'content-type': 'a/b' } })), 'a/b');
    eq(ct(new Response('x', { headers: [['Content-Type', 'c/d']] })), 'c/d');
    // other values are stringified
    eq(await new Response(123).text(), '123');
    eq(await new Response({}).text(), '[object Object]');
    // buffers are copied at construction
    const u = new Uint8Array([65, 66, 67]);
    const r = new Response(u);
    u[0] = 90;
    eq(await r.text(), 'ABC');
    eq(await new Response(new DataView(u.buffer, 1)).text(), 'BC');
    eq(await new Response(new Blob(['a', 'b'])).text(), 'ab');
    eq(await new Response(new Blob(['s']).stream()).text(), 's');
  },
};

export const iterablesAreStringified = {
  async test() {
    // before fetch_iterable_type_support (2026-02-19) an iterable is a value like any other
    eq(await new Response(['a', 'b']).text(), 'a,b');
    eq(new Response([1]).headers.get('content-type'), 'text/plain;charset=UTF-8');
    eq(await new Response(new Set([1])).text(), '[object Set]');
  },
};

export const json = {
  async test() {
    const a = Response.json({ a: 1 });
    eq(a.status, 200);
    same([...a.headers], [['content-type', 'application/json']]);
    eq(await a.text(), '{"a":1}');
    const b = Response.json([1], { status: 201, statusText: 'C', headers: { 'content-type': 'x/y', k: 'v' } });
    same([b.status, b.statusText, [...b.headers]], [201, 'C', [['content-type', 'x/y'], ['k', 'v']]]);
    eq(await b.text(), '[1]');
    // JSON.stringify's undefined becomes the text "undefined"
    eq(await Response.json(undefined).text(), 'undefined');
    throws(() => Response.json(1n), 'TypeError');
    const cyc = {}; cyc.self = cyc;
    throws(() => Response.json(cyc), 'TypeError');
  },
};

export const redirect = {
  test() {
    const r = Response.redirect('http://example.com/a b');
    same([r.status, r.statusText, [...r.headers], r.body], [302, '', [['location', 'http://example.com/a%20b']], null]);
    for (const st of [301, 302, 303, 307, 308]) eq(Response.redirect('http://x.test/', st).status, st);
    for (const st of [200, 300, 304, 399]) throws(() => Response.redirect('http://x.test/', st), 'RangeError', `${st} is not a redirect status code. It must be one of: 301, 302, 303, 307, or 308.`);
    // response_redirect_url_standard: parsed by the URL standard
    eq(Response.redirect('HTTP://A.test/./x/../y').headers.get('location'), 'http://a.test/y');
    eq(Response.redirect(new URL('https://a.test/ü')).headers.get('location'), 'https://a.test/%C3%BC');
    eq(Response.redirect('http://münchen.de/').headers.get('location'), 'http://xn--mnchen-3ya.de/');
    eq(Response.redirect('mailto:x@y.test').headers.get('location'), 'mailto:x@y.test');
    throws(() => Response.redirect('/relative'), 'TypeError', 'Unable to parse URL: /relative');
    throws(() => Response.redirect('http://a.test:99999/'), 'TypeError', 'Unable to parse URL: http://a.test:99999/');
  },
};

export const error = {
  async test() {
    const r = Response.error();
    same([r.status, r.type, r.statusText, r.ok, r.body, r.url], [0, 'error', '', false, null, '']);
    eq(await r.text(), '');
  },
};

export const clone = {
  async test() {
    const r = new Response('abc', { status: 201, statusText: 'X', headers: { a: '1' } });
    const c = r.clone();
    same([c.status, c.statusText, [...c.headers]], [201, 'X', [['a', '1'], ['content-type', 'text/plain;charset=UTF-8']]]);
    c.headers.set('b', '2');
    eq(r.headers.has('b'), false, 'independent headers');
    eq(await r.text(), 'abc');
    eq(await c.text(), 'abc');
    throws(() => r.clone(), 'TypeError', undefined, 'clone of a used body');
    const s = new Response(new ReadableStream({ start(ctl) { ctl.enqueue(new Uint8Array([65])); ctl.close(); } }));
    const t = s.clone();
    eq(await s.text(), 'A');
    eq(await t.text(), 'A');
    const locked = new Response('x');
    locked.body.getReader();
    throws(() => locked.clone(), 'TypeError', undefined, 'clone of a locked body');
  },
};
