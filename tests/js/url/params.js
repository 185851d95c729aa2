// URLSearchParams (https://url.spec.whatwg.org/#interface-urlsearchparams).
import { eq, same, ok, throws, rejects } from './assert.js';
const USP = URLSearchParams;

export const construct = {
  test() {
    eq(new USP('?a=1&b=2&a=3').toString(), 'a=1&b=2&a=3');
    eq(new USP('??a=1').toString(), '%3Fa=1', 'only one leading ? is removed');
    eq(new USP({ a: '1', b: 'x y' }).toString(), 'a=1&b=x+y');
    eq(new USP({ a: 1, b: null, c: undefined }).toString(), 'a=1&b=null&c=undefined');
    eq(new USP([['a', '1'], ['b', '&']]).toString(), 'a=1&b=%26');
    eq(new USP(new USP('x=1')).toString(), 'x=1');
    eq(new USP(new Map([['m', 'v']])).toString(), 'm=v');
    eq(new USP(123).toString(), '123=');
    eq(new USP().toString(), '');
    eq(new USP(null).toString(), 'null=');
    throws(() => new USP([['a']]), 'TypeError', 'Invalid URL search params sequence.');
    throws(() => new USP([['a', 'b', 'c']]), 'TypeError', 'Invalid URL search params sequence.');
    eq(Object.prototype.toString.call(new USP()), '[object URLSearchParams]');
  },
};

export const parsing = {
  test() {
    same([...new USP('a+b=%20%zz&c=%E2%82%AC&d&&=e&f=')], [['a b', ' %zz'], ['c', '€'], ['d', ''], ['', 'e'], ['f', '']]);
    same([...new USP('x=%E2%82')], [['x', '\ufffd']]);
    same([...new USP('a=b=c')], [['a', 'b=c']]);
  },
};

export const methods = {
  test() {
    const p = new USP('a=1&b=2&a=3');
    same([p.get('a'), p.getAll('a'), p.get('zz'), p.getAll('zz'), p.has('b'), p.has('zz'), p.size], ['1', ['1', '3'], null, [], true, false, 3]);
    same([p.has('a', '3'), p.has('a', '4')], [true, false]);
    p.set('a', '9');
    eq(p.toString(), 'a=9&b=2');
    p.set('c', '0');
    eq(p.toString(), 'a=9&b=2&c=0');
    p.append('a', 'x');
    p.delete('a', 'x');
    eq(p.toString(), 'a=9&b=2&c=0', 'delete(name, value)');
    p.delete('a');
    eq(p.toString(), 'b=2&c=0');
    const s = new USP('c=1&a=2&b=3&a=1');
    s.sort();
    eq(s.toString(), 'a=2&a=1&b=3&c=1', 'stable sort by name');
    const u = new USP('\u{1F600}=1&\uFFFD=2');
    u.sort();
    same([...u.keys()], ['\u{1F600}', '\uFFFD'], 'sorted by UTF-16 code units');
  },
};

export const encoding = {
  test() {
    eq(new USP({ 'a b': "é&=+*~.-_!'()" }).toString(), 'a+b=%C3%A9%26%3D%2B*%7E.-_%21%27%28%29');
    eq(new USP({ '\uD800': '\uDC00x' }).toString(), '%EF%BF%BD=%EF%BF%BDx');
  },
};

export const iteration = {
  test() {
    const p = new USP('a=1&b=2');
    same([...p.keys()], ['a', 'b']);
    same([...p.values()], ['1', '2']);
    same([...p.entries()], [['a', '1'], ['b', '2']]);
    same([...p], [['a', '1'], ['b', '2']]);
    const seen = [];
    p.forEach(function (v, k, self) { seen.push(k + v, self === p, this.t); }, { t: 'T' });
    same(seen, ['a1', true, 'T', 'b2', true, 'T']);
    // iterators are live
    const out = [];
    for (const [k] of p) { out.push(k); if (k === 'a') p.append('c', '3'); }
    same(out, ['a', 'b', 'c']);
    eq(Object.prototype.toString.call(p.entries()), '[object EntryIterator]');
    eq(Object.prototype.toString.call(p.keys()), '[object KeyIterator]');
    eq(Object.prototype.toString.call(p.values()), '[object ValueIterator]');
    const it = new USP('a=1').entries();
    same([it.next(), it.next()], [{ done: false, value: ['a', '1'] }, { done: true }]);
  },
};

export const argumentCounts = {
  test() {
    const p = new USP();
    throws(() => p.append('a'), 'TypeError', "Failed to execute 'append' on 'URLSearchParams': parameter 2 is not of type 'USVString'.");
    throws(() => p.set('a'), 'TypeError', "Failed to execute 'set' on 'URLSearchParams': parameter 2 is not of type 'USVString'.");
    throws(() => p.get(), 'TypeError', "Failed to execute 'get' on 'URLSearchParams': parameter 1 is not of type 'USVString'.");
    throws(() => p.forEach(), 'TypeError', "Failed to execute 'forEach' on 'URLSearchParams': parameter 1 is not of type 'function'.");
  },
};
