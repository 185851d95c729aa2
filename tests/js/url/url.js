// URL (https://url.spec.whatwg.org/#url-class).
import { eq, same, ok, throws, rejects } from './assert.js';
const parts = (u) => [u.href, u.origin, u.protocol, u.username, u.password, u.host, u.hostname, u.port, u.pathname, u.search, u.hash];

export const parsing = {
  test() {
    same(parts(new URL('https://user:pw@EXAMPLE.com:8080/a/../b/./c?x=1#frag')),
      ['https://user:pw@example.com:8080/b/c?x=1#frag', 'https://example.com:8080', 'https:', 'user', 'pw', 'example.com:8080', 'example.com', '8080', '/b/c', '?x=1', '#frag']);
    same(parts(new URL('http://example.com:80/')), ['http://example.com/', 'http://example.com', 'http:', '', '', 'example.com', 'example.com', '', '/', '', '']);
    eq(new URL('../x?y', 'http://a.test/b/c/d').href, 'http://a.test/b/x?y');
    eq(new URL('x', new URL('http://a.test/b/')).href, 'http://a.test/b/x');
    eq(new URL('//other.test/p', 'https://a.test/').href, 'https://other.test/p');
    eq(new URL('http://a.test/', undefined).href, 'http://a.test/');
    // hosts: IDNA, IPv4 forms, IPv6
    eq(new URL('http://münchen.de/').host, 'xn--mnchen-3ya.de');
    eq(new URL('http://0x7f.1/').host, '127.0.0.1');
    eq(new URL('http://[0:0::1]:81/').host, '[::1]:81');
    // percent-encoding; lone surrogates become U+FFFD
    eq(new URL('http://a.test/a b/ü?q=a b&r=ü#f g').href, 'http://a.test/a%20b/%C3%BC?q=a%20b&r=%C3%BC#f%20g');
    eq(new URL('http://a.test/\uD800').pathname, '/%EF%BF%BD');
    // non-special and opaque URLs
    same(parts(new URL('data:text/plain,hi')), ['data:text/plain,hi', 'null', 'data:', '', '', '', '', '', 'text/plain,hi', '', '']);
    same(parts(new URL('file:///C:/x')), ['file:///C:/x', 'null', 'file:', '', '', '', '', '', '/C:/x', '', '']);
    eq(new URL('blob:https://a.test/uuid').origin, 'https://a.test');
    eq(new URL('foo:bar').origin, 'null');
    eq(new URL('http:/a.test').href, 'http://a.test/');
  },
};

export const errors = {
  test() {
    for (const bad of ['nope', '', 'http://a.test:99999/', 'http://[x', 'https://a b.test/']) throws(() => new URL(bad), 'TypeError', 'Invalid URL string.', bad);
    throws(() => new URL('x', 'nope'), 'TypeError', 'Invalid URL string.');
    throws(() => new URL('http://a.test/', ''), 'TypeError', 'Invalid URL string.');
    throws(() => new URL('x', null), 'TypeError', 'Invalid URL string.');
    throws(() => new URL(), 'TypeError', "Failed to construct 'URL': constructor parameter 1 is not of type 'USVString'.");
    throws(() => URL('http://a.test/'), 'TypeError');
  },
};

export const statics = {
  test() {
    same([URL.canParse('http://a'), URL.canParse('a'), URL.canParse('a', 'http://b/'), URL.canParse('a', 'bad')], [true, false, true, false]);
    eq(URL.parse('http://a.test/x').href, 'http://a.test/x');
    ok(URL.parse('http://a.test/') instanceof URL);
    eq(URL.parse('nope'), null);
    eq(URL.parse('x', 'http://b.test/c').href, 'http://b.test/x');
    throws(() => URL.parse(), 'TypeError', "Failed to execute 'parse' on 'URL': parameter 1 is not of type 'USVString'.");
    throws(() => URL.canParse(), 'TypeError', "Failed to execute 'canParse' on 'URL': parameter 1 is not of type 'USVString'.");
    throws(() => URL.createObjectURL(new Blob(['x'])), 'Error', 'URL.createObjectURL() is not implemented');
    throws(() => URL.revokeObjectURL('blob:x'), 'Error', 'URL.revokeObjectURL() is not implemented');
  },
};

export const setters = {
  test() {
    const u = new URL('http://a.test/p?q#h');
    u.protocol = 'https';
    u.username = 'u s';
    u.password = 'p';
    u.hostname = 'b.test';
    u.port = '444';
    u.pathname = 'x y';
    u.search = 'a=b c';
    u.hash = 'z';
    same(parts(u), ['https://u%20s:p@b.test:444/x%20y?a=b%20c#z', 'https://b.test:444', 'https:', 'u%20s', 'p', 'b.test:444', 'b.test', '444', '/x%20y', '?a=b%20c', '#z']);
    // invalid values are ignored
    const v = new URL('http://a.test:8080/');
    v.port = 'abc'; eq(v.port, '8080');
    v.port = '99999'; eq(v.port, '8080');
    v.port = 8081; eq(v.port, '8081');
    v.port = '80'; same([v.port, v.host], ['', 'a.test']);
    v.protocol = 'foo'; eq(v.protocol, 'http:', 'special to non-special');
    v.hostname = ''; eq(v.hostname, 'a.test');
    v.host = 'c.test:81'; eq(v.href, 'http://c.test:81/');
    const m = new URL('mailto:x@y.test');
    m.pathname = 'other'; eq(m.href, 'mailto:x@y.test');
    const f = new URL('file:///x');
    f.username = 'a'; eq(f.href, 'file:///x');
    f.host = 'h'; eq(f.href, 'file://h/x');
    // search and hash: empty strings remove them, '?' alone leaves an empty query
    const s = new URL('http://a.test/?x#y');
    s.search = ''; s.hash = '';
    eq(s.href, 'http://a.test/');
    s.search = '?';
    same([s.href, s.search], ['http://a.test/?', '']);
    // href
    const h = new URL('http://a.test/');
    h.href = 'https://b.test/z';
    same([h.href, h.origin], ['https://b.test/z', 'https://b.test']);
    throws(() => { h.href = 'nope'; }, 'TypeError', "Failed to set the 'href' property on 'URL': the provided value is not of type 'valid URL string'.");
    throws(() => { h.searchParams = 5; }, 'TypeError', undefined, 'searchParams is read-only');
    throws(() => { 'use strict'; h.origin = 'x'; }, 'TypeError', undefined, 'origin is read-only');
  },
};

export const searchParamsSync = {
  test() {
    const u = new URL('http://a.test/?a=1&b=2#h');
    const sp = u.searchParams;
    eq(sp, u.searchParams, 'the same object each time');
    sp.append('c', '3 4');
    sp.delete('a');
    same([u.href, u.search], ['http://a.test/?b=2&c=3+4#h', '?b=2&c=3+4']);
    sp.delete('b'); sp.delete('c');
    eq(u.href, 'http://a.test/#h', 'an empty list removes the query');
    u.search = '?z=9';
    same([...sp], [['z', '9']]);
    u.href = 'http://b.test/?y=8';
    same([...sp], [['y', '8']]);
    sp.sort();
    eq(u.search, '?y=8');
  },
};

export const serialization = {
  test() {
    const u = new URL('http://a.test/b');
    eq(String(u), 'http://a.test/b');
    eq(u.toString(), 'http://a.test/b');
    eq(u.toJSON(), 'http://a.test/b');
    eq(JSON.stringify({ u }), '{"u":"http://a.test/b"}');
    eq(`${u}`, 'http://a.test/b');
    eq(Object.prototype.toString.call(u), '[object URL]');
    same(Object.keys(u), []);
    same(Object.getOwnPropertyNames(URL.prototype).sort(), ['constructor', 'hash', 'host', 'hostname', 'href', 'origin', 'password', 'pathname', 'port', 'protocol', 'search', 'searchParams', 'toJSON', 'toString', 'username']);
  },
};
