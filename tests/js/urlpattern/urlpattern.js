// URLPattern: construction from strings and init dictionaries, the component getters,
// test() and exec() with groups, canonicalization, and errors.
import { eq, same, ok, throws, rejects } from './assert.js';
const comps = (p) => [p.protocol, p.username, p.password, p.hostname, p.port, p.pathname, p.search, p.hash];
const CTOR = 'Failed to construct URLPattern';
const groups = (p, input, component = 'pathname') => { const r = p.exec(input); return r === null ? null : r[component].groups; };

export const fromStrings = {
  test() {
    same(comps(new URLPattern('https://example.com/books/:id')), ['https', '*', '*', 'example.com', '', '/books/:id', '*', '*']);
    same(comps(new URLPattern('https://example.com')), ['https', '*', '*', 'example.com', '', '*', '*', '*']);
    same(comps(new URLPattern('https://example.com:8080/a?b#c')), ['https', '*', '*', 'example.com', '8080', '/a', 'b', 'c']);
    same(comps(new URLPattern('https://example.com?q')), ['https', '*', '*', 'example.com', '', '/', 'q', '*']);
    same(comps(new URLPattern('http{s}?://*.x.test/*')), ['http{s}?', '*', '*', '*.x.test', '', '/*', '*', '*']);
    same(comps(new URLPattern('*://*/*')), ['*', '*', '*', '*', '', '/*', '*', '*']);
    same(comps(new URLPattern('https://*:*@example.com/')), ['https', '*', '*', 'example.com', '', '/', '*', '*']);
    same(comps(new URLPattern('file:///a/:b')), ['file', '*', '*', '', '', '/a/:b', '*', '*']);
    same(comps(new URLPattern('data\\:foo*')), ['data', '*', '*', '', '', 'foo*', '*', '*']);
    // a ? after a pattern token is a modifier, not the search
    same(comps(new URLPattern('https://x.test/:a?')), ['https', '*', '*', 'x.test', '', '/:a?', '*', '*']);
    // with a base URL
    same(comps(new URLPattern('/books/:id', 'https://example.com')), ['https', '*', '*', 'example.com', '', '/books/:id', '*', '*']);
    same(comps(new URLPattern('x', 'https://h.test/a/b')), ['https', '*', '*', 'h.test', '', '/a/x', '*', '*']);
    same(comps(new URLPattern('?q=1', 'https://h.test/p')), ['https', '*', '*', 'h.test', '', '/p', 'q=1', '*']);
    // the default port of a special scheme is dropped
    eq(new URLPattern('https://a.test:443/').port, '');
    eq(Object.prototype.toString.call(new URLPattern()), '[object URLPattern]');
    same(Object.getOwnPropertyNames(URLPattern.prototype).sort(), ['constructor', 'exec', 'hasRegExpGroups', 'hash', 'hostname', 'password', 'pathname', 'port', 'protocol', 'search', 'test', 'username']);
  },
};

export const fromInit = {
  test() {
    same(comps(new URLPattern()), ['*', '*', '*', '*', '*', '*', '*', '*']);
    same(comps(new URLPattern({})), ['*', '*', '*', '*', '*', '*', '*', '*']);
    same(comps(new URLPattern({ pathname: '/books/:id' })), ['*', '*', '*', '*', '*', '/books/:id', '*', '*']);
    same(comps(new URLPattern({ pathname: 'books/:id', baseURL: 'https://example.com/a/b' })), ['https', '*', '*', 'example.com', '', '/a/books/:id', '*', '*']);
    same(comps(new URLPattern({ pathname: '/a', baseURL: 'https://u:p@h.test:81/x/y?q#f' })), ['https', '*', '*', 'h.test', '81', '/a', '*', '*']);
    same(comps(new URLPattern({ hostname: 'x.test', baseURL: 'https://h.test/p' })), ['https', '*', '*', 'x.test', '*', '*', '*', '*']);
    // canonicalization of fixed text, leading ? and # dropped
    same(comps(new URLPattern({ protocol: 'HTTPS:', hostname: 'EXAMPLE.com', pathname: '/a b/ü', search: '?q=a b', hash: '#h h' })),
      ['https', '*', '*', 'example.com', '*', '/a%20b/%C3%BC', 'q=a%20b', 'h%20h']);
    eq(new URLPattern({ hostname: 'münchen.de' }).hostname, 'xn--mnchen-3ya.de');
    eq(new URLPattern({ port: '8080abc' }).port, '8080');
  },
};

export const patternStrings = {
  test() {
    const p = (s) => new URLPattern({ pathname: s }).pathname;
    const cases = {
      '/:a{-:b}?': '/:a{-:b}?', '/foo\\:bar': '/foo\\:bar', '/:a\\x': '{/:a}x', '/(.*)': '/*', '/*': '/*', '/:a(.*)': '/:a(.*)',
      '/{:a}': '/{:a}', '/{a}?': '/{a}?', '/a{b}': '/ab', '{/a}': '/a', '/:a*': '/:a*', '/:a([^\\/]+)': '/:a([^\\/]+)',
      '/a/(b)/c': '/a/(b)/c', '/:café': '/:café', '/:a.:b': '/:a.:b', '/ü/%C3%BC': '/%C3%BC/%C3%BC', '(foo)(bar)': '(foo)(bar)',
      '/:foo:bar?': '/:foo:bar?', '/{:foo}bar': '/{:foo}bar', '/:a-:b': '/:a-:b', '/a/b/../c': '/a/c',
    };
    for (const [input, expected] of Object.entries(cases)) eq(p(input), expected, input);
    eq(new URLPattern({ hostname: '{*.}?example.com' }).hostname, '{*.}?example.com');
    eq(new URLPattern({ protocol: '(https?)' }).protocol, '(https?)');
    eq(new URLPattern({ port: '(\\d+)' }).port, '(\\d+)');
  },
};

export const testAndExec = {
  test() {
    const books = new URLPattern({ pathname: '/books/:id' });
    same([books.test('https://x.test/books/1'), books.test('https://x.test/books/'), books.test('https://x.test/books/1/2')], [true, false, false]);
    const r = books.exec('https://x.test/books/123?q=1#h');
    same(r.inputs, ['https://x.test/books/123?q=1#h']);
    same(r.pathname, { input: '/books/123', groups: { id: '123' } });
    same(r.protocol, { input: 'https', groups: { 0: 'https' } });
    same([r.search.input, r.hash.input, r.hostname.input, r.port.input], ['q=1', 'h', 'x.test', '']);
    same(Object.keys(r), ['inputs', 'protocol', 'username', 'password', 'hostname', 'port', 'pathname', 'search', 'hash']);
    eq(books.exec('https://x.test/other'), null);
    // an init dictionary
    const i = books.exec({ pathname: '/books/5' });
    same([i.inputs, i.pathname.groups, i.protocol.input], [[{ pathname: '/books/5' }], { id: '5' }, '']);
    same(books.exec({ pathname: 'q', baseURL: 'https://h.test/books/x' }).pathname, { input: '/books/q', groups: { id: 'q' } });
    const canon = new URLPattern().exec({ protocol: 'HTTPS', hostname: 'EXAMPLE.com', pathname: '/a b', port: '443' });
    same([canon.protocol.input, canon.hostname.input, canon.port.input, canon.pathname.input], ['https', 'example.com', '', '/a%20b']);
    same(canon.inputs, [{ protocol: 'HTTPS', hostname: 'EXAMPLE.com', port: '443', pathname: '/a b' }]);
    // a base URL
    const b = books.exec('/books/7', 'https://a.test');
    same([b.inputs, b.hostname.input, b.pathname.groups.id], [['/books/7', 'https://a.test'], 'a.test', '7']);
    eq(books.exec('/books/7', 'not a base'), null);
    // URL objects
    ok(new URLPattern({ hostname: 'a.test' }).test(new URL('https://a.test/')));
    // strings that are not URLs are matched as relative references (as workerd does)
    same([books.test('/books/1'), books.test('books/2'), new URLPattern().exec('//h.test/x').hostname.input], [true, true, 'h.test']);
    // no input: {}
    eq(new URLPattern().test(), true);
    eq(new URLPattern({ pathname: '/x' }).test(), false);
    eq(new URLPattern().test({ protocol: 'a b' }), false, 'an init that does not canonicalize does not match');
  },
};

export const modifiersAndGroups = {
  test() {
    const opt = new URLPattern({ pathname: '/a/:b?' });
    same([opt.test({ pathname: '/a' }), opt.test({ pathname: '/a/x' }), opt.test({ pathname: '/a/x/y' })], [true, true, false]);
    const plus = new URLPattern({ pathname: '/a/:b+' });
    same([plus.test({ pathname: '/a' }), groups(plus, { pathname: '/a/x/y' })], [false, { b: 'x/y' }]);
    const star = new URLPattern({ pathname: '/a/:b*' });
    same([star.test({ pathname: '/a' }), groups(star, { pathname: '/a/x/y' })], [true, { b: 'x/y' }]);
    const re = new URLPattern({ pathname: '/:id(\\d+)' });
    same([re.pathname, re.test({ pathname: '/12' }), re.test({ pathname: '/ab' }), re.hasRegExpGroups], ['/:id(\\d+)', true, false, true]);
    eq(new URLPattern({ pathname: '/:a' }).hasRegExpGroups, false);
    const mixed = new URLPattern({ pathname: '/{a-:x}?/(\\d+)/*' });
    same(groups(mixed, { pathname: '/a-q/12/rest/of' }), { 0: '12', 1: 'rest/of', x: 'q' });
    // workerd lists named groups last to first
    same(Object.keys(groups(new URLPattern({ pathname: '/:b/:a' }), { pathname: '/1/2' })), ['a', 'b']);
    same(groups(new URLPattern('https://*.example.com/*'), 'https://a.b.example.com/x/y', 'hostname'), { 0: 'a.b' });
    same(groups(new URLPattern({ protocol: 'mailto', pathname: ':u@:d' }), 'mailto:me@x.test'), { d: 'x.test', u: 'me' });
    same(groups(new URLPattern({ pathname: '/:year(\\d{4})/:month(\\d{2})' }), { pathname: '/2024/05' }), { month: '05', year: '2024' });
    same(groups(new URLPattern({ hostname: '{:sub.}?example.com' }), { hostname: 'example.com' }, 'hostname'), {});
    // fixed text with punctuation, IPv6 hostnames
    ok(new URLPattern({ pathname: '/a--b\\:\\:c==d' }).test({ pathname: '/a--b::c==d' }));
    ok(new URLPattern('https://[\\:\\:1]/').test('https://[::1]/'));
  },
};

export const ignoreCase = {
  test() {
    same([new URLPattern({ pathname: '/ABC' }, { ignoreCase: true }).test({ pathname: '/abc' }), new URLPattern({ pathname: '/ABC' }).test({ pathname: '/abc' })], [true, false]);
    eq(new URLPattern('https://a.test/ABC', { ignoreCase: true }).test('https://a.test/abc'), true);
    eq(new URLPattern('/ABC', 'https://a.test', { ignoreCase: true }).test('https://a.test/abc'), true);
    eq(new URLPattern('/ABC', 'https://a.test', {}).test('https://a.test/abc'), false);
  },
};

export const errors = {
  test() {
    for (const bad of [{ pathname: '/:id((' }, { pathname: '/(a' }, { pathname: '/([)' }, { pathname: '/:a/:a' }, { pathname: '/a(?:x)' }, { pathname: '/:a([^/]+)' },
      { hostname: '[::1]' }, { hostname: 'exa mple.com' }, { protocol: 'a b' }, { port: '99999' }, { port: 'x' }]) {
      throws(() => new URLPattern(bad), 'TypeError', CTOR, JSON.stringify(bad));
    }
    throws(() => new URLPattern('/books/:id'), 'TypeError', CTOR, 'a relative string without a base URL');
    throws(() => new URLPattern({ pathname: '/a' }, 'https://a.test'), 'TypeError', CTOR, 'an init with a base URL');
    throws(() => new URLPattern(5), 'TypeError', CTOR);
    throws(() => new URLPattern({}, 5), 'TypeError', CTOR);
    throws(() => new URLPattern('https://[::1]:8080/'), 'TypeError', CTOR, 'colons must be escaped');
    throws(() => new URLPattern().test({ pathname: '/x' }, 'https://a.test'), 'TypeError', 'Failed to test URLPattern');
    throws(() => new URLPattern().exec({ pathname: '/x' }, 'https://a.test'), 'TypeError', 'Failed to exec URLPattern');
  },
};
