// Request (https://fetch.spec.whatwg.org/#request-class) as workerd has it.
import { eq, same, ok, throws, rejects } from './assert.js';

export const defaults = {
  test() {
    const r = new Request('http://example.com');
    eq(r.url, 'http://example.com/');
    eq(r.method, 'GET');
    eq(r.redirect, 'follow');
    same([...r.headers], []);
    eq(r.body, null);
    eq(r.bodyUsed, false);
    eq(r.cf, undefined);
    eq(r.fetcher, null);
    eq(r.integrity, '');
    eq(r.keepalive, false);
    eq(r.cache, undefined);
    ok(r.signal instanceof AbortSignal);
    eq(r.signal.aborted, false);
    eq(Object.prototype.toString.call(r), '[object Request]');
  },
};

export const urls = {
  test() {
    // the URL is parsed and serialized by the URL standard (fetch_standard_url)
    eq(new Request('HTTP://Example.COM/./a/../b c?d e#f').url, 'http://example.com/b%20c?d%20e#f');
    eq(new Request(new URL('https://a.test/x?y')).url, 'https://a.test/x?y');
    eq(new Request('http://münchen.de/').url, 'http://xn--mnchen-3ya.de/');
    eq(new Request('http://u:p@a.test/').url, 'http://u:p@a.test/');
    eq(new Request('ftp://a.test/').url, 'ftp://a.test/');
    eq(new Request('data:,x').url, 'data:,x');
    throws(() => new Request('/relative'), 'TypeError', 'Invalid URL: /relative');
    throws(() => new Request('http://a.test:99999/'), 'TypeError', 'Invalid URL: http://a.test:99999/');
    throws(() => new Request(), 'TypeError', "Failed to construct 'Request': constructor parameter 1 is not of type 'Request or string'.");
    throws(() => new Request('http://a.test/', 5), 'TypeError', "Failed to construct 'Request': constructor parameter 2 is not of type 'RequestInitializerDict or Request'.");
  },
};

export const methods = {
  test() {
    // upper_case_all_http_methods: every method workerd knows is case-insensitive
    const m = (x) => new Request('http://a.test/', { method: x }).method;
    for (const x of ['get', 'Post', 'put', 'delete', 'head', 'options', 'patch', 'purge', 'propfind', 'query', 'msearch', 'ban']) eq(m(x), x.toUpperCase());
    for (const x of ['foo', 'CONNECT', 'M-SEARCH', 'GET ', '', 'a b']) throws(() => m(x), 'TypeError', `Invalid HTTP method string: ${x}`);
    throws(() => new Request('http://a.test/', { method: 'GET', body: 'x' }), 'TypeError', 'Request with a GET or HEAD method cannot have a body.');
    throws(() => new Request('http://a.test/', { method: 'head', body: '' }), 'TypeError', 'Request with a GET or HEAD method cannot have a body.');
    eq(new Request('http://a.test/', { body: null }).body, null);
  },
};

export const options = {
  test() {
    const r = (init) => new Request('http://a.test/', init);
    eq(r({ redirect: 'manual' }).redirect, 'manual');
    for (const v of ['error', 'nope']) {
      throws(() => r({ redirect: v }), 'TypeError', 'Invalid redirect value, must be one of "follow" or "manual" ("error" won\'t be implemented since it does not make sense at the edge; use "manual" and check the response status code).');
    }
    same(r({ cf: { cacheTtl: 5 } }).cf, { cacheTtl: 5 });
    // cache: 'no-store' (cache_option_enabled); 'no-cache' only from cache_no_cache_enabled (2025-08-07)
    eq(r({ cache: 'no-store' }).cache, 'no-store');
    throws(() => r({ cache: 'no-cache' }), 'TypeError', 'Unsupported cache mode: no-cache');
    throws(() => r({ cache: 'reload' }), 'TypeError', 'Unsupported cache mode: reload');
    eq(r({ integrity: '' }).integrity, '');
    throws(() => r({ integrity: 'sha256-x' }), 'TypeError', 'Subrequest integrity checking is not implemented. The integrity option must be either undefined or an empty string.');
    // signal
    const c = new AbortController();
    const s = r({ signal: c.signal });
    eq(s.signal, c.signal);
    c.abort();
    eq(s.signal.aborted, true);
    eq(r({ signal: null }).signal.aborted, false);
    throws(() => r({ signal: {} }), 'TypeError', "Incorrect type for the 'signal' field on 'RequestInitializerDict': the provided value is not of type 'AbortSignal'.");
    // unknown and unsupported standard members are ignored
    eq(r({ mode: 'cors', credentials: 'include' }).mode, undefined);
  },
};

export const bodies = {
  async test() {
    const post = (body, headers) => new Request('http://a.test/', { method: 'POST', body, headers });
    const a = post('hé');
    same([...a.headers], [['content-type', 'text/plain;charset=UTF-8']]);
    eq(await a.text(), 'hé');
    eq(a.bodyUsed, true);
    await rejects(a.text(), 'TypeError', 'Body has already been used. It can only be used once. Use tee() first if you need to read it twice.');
    same([...post(new URLSearchParams('a=1')).headers], [['content-type', 'application/x-www-form-urlencoded;charset=UTF-8']]);
    same([...post(new Blob(['x'], { type: 'A/B' })).headers], [['content-type', 'a/b']]);
    same([...post(new Uint8Array([1])).headers], []);
    same([...post('x', { 'content-type': 'mine' }).headers], [['content-type', 'mine']]);
    same(await post('[1,2]').json(), [1, 2]);
    const fd = new FormData();
    fd.append('k', 'v');
    same([...(await post(fd).formData())], [['k', 'v']]);
  },
};

export const fromRequest = {
  async test() {
    const a = new Request('http://a.test/x', { method: 'POST', body: 'hi', headers: { 'x-a': '1' }, redirect: 'manual' });
    const b = new Request(a);
    eq(b.url, 'http://a.test/x');
    eq(b.method, 'POST');
    eq(b.redirect, 'manual');
    same([...b.headers], [['content-type', 'text/plain;charset=UTF-8'], ['x-a', '1']]);
    // the body moves to the new request
    eq(a.bodyUsed, true);
    eq(await b.text(), 'hi');
    throws(() => new Request(a), 'TypeError', 'Cannot reconstruct a Request with a used body.');
    // init overrides
    const c = new Request(new Request('http://a.test/', { method: 'POST', body: 'x', headers: { 'x-a': '1' } }), { method: 'put', headers: { 'x-b': '2' }, body: 'y' });
    eq(c.method, 'PUT');
    same([...c.headers], [['content-type', 'text/plain;charset=UTF-8'], ['x-b', '2']]);
    eq(await c.text(), 'y');
    throws(() => new Request(new Request('http://a.test/', { method: 'POST', body: 'x' }), { method: 'GET' }), 'TypeError', 'Request with a GET or HEAD method cannot have a body.');
    // a Request as the init dictionary
    const d = new Request('http://b.test/', new Request('http://a.test/', { method: 'DELETE', headers: { k: 'v' } }));
    eq(d.method, 'DELETE');
    eq(d.url, 'http://b.test/');
    same([...d.headers], [['k', 'v']]);
  },
};

export const clone = {
  async test() {
    const a = new Request('http://a.test/', { method: 'POST', body: 'hi', headers: { x: '1' } });
    const b = a.clone();
    eq(b.method, 'POST');
    same([...b.headers], [['content-type', 'text/plain;charset=UTF-8'], ['x', '1']]);
    b.headers.set('y', '2');
    eq(a.headers.has('y'), false, 'cloned headers are independent');
    eq(await a.text(), 'hi');
    eq(await b.text(), 'hi');
    throws(() => a.clone(), 'TypeError', undefined, 'clone of a used body');
    // stream bodies are teed
    const s = new Request('http://a.test/', { method: 'POST', body: new Blob(['abc']).stream() });
    const t = s.clone();
    eq(await t.text(), 'abc');
    eq(await s.text(), 'abc');
  },
};
