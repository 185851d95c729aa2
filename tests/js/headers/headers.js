// Headers (https://fetch.spec.whatwg.org/#headers-class) as workerd has it.
import { eq, same, ok, throws } from './assert.js';

export const construct = {
  test() {
    same([...new Headers()], []);
    same([...new Headers({ 'Content-Type': 'text/plain', 'X-A': '1' })], [['content-type', 'text/plain'], ['x-a', '1']]);
    same([...new Headers([['b', '1'], ['A', '2'], ['a', '3']])], [['a', '2, 3'], ['b', '1']]);
    // from another Headers (a copy)
    const h = new Headers({ a: '1' });
    const c = new Headers(h);
    c.set('a', '2');
    eq(h.get('a'), '1');
    eq(c.get('a'), '2');
    // records: own enumerable string keys only; values are stringified
    const rec = Object.create({ inherited: 'x' });
    Object.defineProperty(rec, 'hidden', { value: 'y', enumerable: false });
    rec.shown = 1;
    same([...new Headers(rec)], [['shown', '1']]);
    eq(Object.prototype.toString.call(new Headers()), '[object Headers]');
  },
};

export const constructErrors = {
  test() {
    throws(() => new Headers(5), 'TypeError', "Failed to construct 'Headers': constructor parameter 1 is not of type 'Headers or Sequence or object'.");
    throws(() => new Headers('a: b'), 'TypeError');
    throws(() => new Headers([['a']]), 'TypeError', 'To initialize a Headers object from a sequence, each inner sequence must have exactly two elements.');
    throws(() => new Headers([['a', 'b', 'c']]), 'TypeError', 'To initialize a Headers object from a sequence, each inner sequence must have exactly two elements.');
    throws(() => new Headers(['ab']), 'TypeError', "Incorrect type: the provided value is not of type 'Sequence'.");
    throws(() => new Headers({ 'a b': '1' }), 'TypeError', 'Invalid header name.');
    throws(() => Headers(), 'TypeError', undefined, 'called without new');
  },
};

export const validation = {
  test() {
    const h = new Headers();
    for (const name of ['a b', 'a:b', 'a(b', 'a"b', 'a/b', 'a@b', 'a{b', 'a\tb', 'a\x00b', 'a\x7fb']) {
      throws(() => h.append(name, 'x'), 'TypeError', 'Invalid header name.', `name ${JSON.stringify(name)}`);
      throws(() => h.get(name), 'TypeError', 'Invalid header name.');
      throws(() => h.has(name), 'TypeError', 'Invalid header name.');
      throws(() => h.delete(name), 'TypeError', 'Invalid header name.');
      throws(() => h.set(name, 'x'), 'TypeError', 'Invalid header name.');
    }
    for (const value of ['x\ny', 'x\ry', 'x\0y']) throws(() => h.append('a', value), 'TypeError', 'Invalid header value.', `value ${JSON.stringify(value)}`);
    // leading and trailing HTTP whitespace is removed, inner whitespace kept
    h.set('a', ' \t x  y \t ');
    eq(h.get('a'), 'x  y');
    h.set('b', '\r\nz\n');
    eq(h.get('b'), 'z');
    h.set('c', '');
    eq(h.get('c'), '');
    // control characters other than NUL, CR and LF are accepted; Latin-1 too
    h.set('d', 'x\x01y\tz');
    eq(h.get('d'), 'x\x01y\tz');
    h.set('e', 'caf\xe9');
    eq(h.get('e'), 'caf\xe9');
    // numbers are stringified
    h.set('f', 42);
    eq(h.get('f'), '42');
    // names are case-insensitive and lowercased
    h.set('Content-TYPE', 'x/y');
    ok(h.has('content-type'));
    eq(h.get('CONTENT-type'), 'x/y');
  },
};

export const argumentCounts = {
  test() {
    const h = new Headers();
    throws(() => h.append('a'), 'TypeError', "Failed to execute 'append' on 'Headers': parameter 2 is not of type 'string'.");
    throws(() => h.set('a'), 'TypeError', "Failed to execute 'set' on 'Headers': parameter 2 is not of type 'string'.");
    throws(() => h.get(), 'TypeError', "Failed to execute 'get' on 'Headers': parameter 1 is not of type 'string'.");
    throws(() => h.has(), 'TypeError', "Failed to execute 'has' on 'Headers': parameter 1 is not of type 'string'.");
    throws(() => h.delete(), 'TypeError', "Failed to execute 'delete' on 'Headers': parameter 1 is not of type 'string'.");
    throws(() => h.forEach(5), 'TypeError', "Failed to execute 'forEach' on 'Headers': parameter 1 is not of type 'function'.");
  },
};

export const combining = {
  test() {
    const h = new Headers();
    h.append('Accept', 'a');
    h.append('accept', 'b');
    eq(h.get('accept'), 'a, b');
    same([...h], [['accept', 'a, b']]);
    h.set('accept', 'c');
    eq(h.get('accept'), 'c');
    h.delete('ACCEPT');
    eq(h.get('accept'), null);
    eq(h.has('accept'), false);
    h.delete('missing');
  },
};

export const setCookie = {
  test() {
    const h = new Headers();
    h.append('Set-Cookie', 'a=1; Path=/');
    h.append('set-cookie', 'b=2');
    h.append('x', 'y');
    // get() joins, getSetCookie() and getAll() keep them apart, iteration yields each one
    eq(h.get('set-cookie'), 'a=1; Path=/, b=2');
    same(h.getSetCookie(), ['a=1; Path=/', 'b=2']);
    same(h.getAll('Set-Cookie'), ['a=1; Path=/', 'b=2']);
    same([...h], [['set-cookie', 'a=1; Path=/'], ['set-cookie', 'b=2'], ['x', 'y']]);
    same(new Headers().getSetCookie(), []);
    const copy = h.getSetCookie();
    copy.push('c');
    eq(h.getSetCookie().length, 2, 'getSetCookie returns a copy');
    throws(() => h.getAll('x'), 'TypeError', 'getAll() can only be used with the header name "Set-Cookie".');
    // a record with differently cased set-cookie keys
    same([...new Headers({ 'Set-Cookie': 'a', 'SET-COOKIE': 'b' })], [['set-cookie', 'a'], ['set-cookie', 'b']]);
  },
};

export const iteration = {
  test() {
    const h = new Headers([['Zeta', '1'], ['alpha', '2'], ['Beta', '3'], ['ALPHA', '4']]);
    same([...h.keys()], ['alpha', 'beta', 'zeta']);
    same([...h.values()], ['2, 4', '3', '1']);
    same([...h.entries()], [['alpha', '2, 4'], ['beta', '3'], ['zeta', '1']]);
    const seen = [];
    h.forEach(function (v, k, self) { seen.push([k, v, self === h, this.t]); }, { t: 'T' });
    same(seen, [['alpha', '2, 4', true, 'T'], ['beta', '3', true, 'T'], ['zeta', '1', true, 'T']]);
    // iterators work on a snapshot taken when they are created
    const it = h.keys();
    h.delete('beta');
    h.append('gamma', '5');
    same([...it], ['alpha', 'beta', 'zeta']);
    // they are iterators named like workerd's
    const e = h.entries();
    eq(Object.prototype.toString.call(e), '[object EntryIterator]');
    eq(Object.prototype.toString.call(h.keys()), '[object KeyIterator]');
    eq(Object.prototype.toString.call(h.values()), '[object ValueIterator]');
    eq(e[Symbol.iterator](), e);
    same(e.next(), { done: false, value: ['alpha', '2, 4'] });
    ok(Object.getPrototypeOf(Object.getPrototypeOf(e)) === Object.getPrototypeOf(Object.getPrototypeOf([][Symbol.iterator]())), 'inherits %IteratorPrototype%');
  },
};

export const guards = {
  async test() {
    // request headers are mutable, Response headers too, except for Response.redirect()
    const req = new Request('http://example.com/', { headers: { a: '1' } });
    req.headers.set('b', '2');
    same([...req.headers], [['a', '1'], ['b', '2']]);
    const res = new Response('x');
    res.headers.set('b', '2');
    same([...res.headers], [['b', '2'], ['content-type', 'text/plain;charset=UTF-8']]);
    const err = Response.error();
    err.headers.set('a', 'b');
    eq(err.headers.get('a'), 'b');
    const red = Response.redirect('http://example.com/');
    throws(() => red.headers.set('a', 'b'), 'TypeError', "Can't modify immutable headers.");
    throws(() => red.headers.append('a', 'b'), 'TypeError', "Can't modify immutable headers.");
    throws(() => red.headers.delete('location'), 'TypeError', "Can't modify immutable headers.");
    eq(red.headers.get('location'), 'http://example.com/');
    // a copy of immutable headers is mutable
    const copy = new Headers(red.headers);
    copy.set('a', 'b');
    eq(copy.get('a'), 'b');
  },
};
