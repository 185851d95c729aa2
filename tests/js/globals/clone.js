// structuredClone (https://html.spec.whatwg.org/multipage/structured-data.html#dom-structuredclone)
// as workerd's V8 serializer does it.
import { eq, same, ok, throws, rejects } from './assert.js';
const sc = structuredClone;
const cloneError = (f, msg) => {
  const e = throws(f, 'DataCloneError', msg);
  ok(e instanceof DOMException);
  eq(e.code, 25);
};

export const primitives = {
  test() {
    same([sc(1), sc('s'), sc(null), sc(true)], [1, 's', null, true]);
    eq(sc(undefined), undefined);
    eq(sc(10n), 10n);
    ok(Object.is(sc(-0), -0));
    ok(Number.isNaN(sc(NaN)));
    eq(typeof sc(new Number(1)), 'object');
    ok(sc(new String('s')) instanceof String);
    eq(sc(new Boolean(false)).valueOf(), false);
    eq(typeof sc(Object(1n)), 'object');
  },
};

export const objectsAndArrays = {
  test() {
    const o = { a: 1, b: [1, { c: 2 }] };
    const c = sc(o);
    same(c, o);
    ok(c !== o && c.b !== o.b && c.b[1] !== o.b[1]);
    // prototypes are dropped, getters are read, non-enumerable and symbol keys are skipped
    class A { constructor() { this.x = 1; } method() {} }
    const a = sc(new A());
    same([a, Object.getPrototypeOf(a) === Object.prototype], [{ x: 1 }, true]);
    let reads = 0;
    const g = sc({ get v() { reads++; return 5; } });
    same([Object.getOwnPropertyDescriptor(g, 'v').value, reads], [5, 1]);
    const h = {};
    Object.defineProperty(h, 'hidden', { value: 1, enumerable: false });
    h[Symbol('s')] = 2;
    same([Object.getOwnPropertyNames(sc(h)), Object.getOwnPropertySymbols(sc(h)).length], [[], 0]);
    eq(Object.getPrototypeOf(sc(Object.create(null))), Object.prototype);
    // arrays keep their length, holes and extra properties
    const arr = [1, , 3];
    arr.extra = 'y';
    const ac = sc(arr);
    same([ac.length, 1 in ac, ac.extra], [3, false, 'y']);
  },
};

export const builtins = {
  test() {
    const m = sc(new Map([[1, { a: 1 }], ['k', 'v']]));
    same([m instanceof Map, [...m]], [true, [[1, { a: 1 }], ['k', 'v']]]);
    const s = sc(new Set([1, 'x']));
    same([s instanceof Set, [...s]], [true, [1, 'x']]);
    const d = new Date(1e12);
    const dc = sc(d);
    same([dc instanceof Date, dc.getTime(), dc !== d], [true, 1e12, true]);
    const r = /ab+c/gi;
    r.lastIndex = 3;
    const rc = sc(r);
    same([rc instanceof RegExp, rc.source, rc.flags, rc.lastIndex], [true, 'ab+c', 'gi', 0]);
  },
};

export const binary = {
  test() {
    const u = new Uint16Array([1, 2, 3]);
    const uc = sc(u);
    same([uc instanceof Uint16Array, Array.from(uc), uc.buffer !== u.buffer], [true, [1, 2, 3], true]);
    // views of one buffer stay views of one buffer
    const buf = new ArrayBuffer(8);
    const two = sc({ a: new Uint8Array(buf, 0, 4), b: new Uint8Array(buf, 4) });
    same([two.a.buffer === two.b.buffer, two.b.byteOffset, two.a.buffer.byteLength], [true, 4, 8]);
    const dv = sc(new DataView(new ArrayBuffer(4), 1, 2));
    same([dv instanceof DataView, dv.byteOffset, dv.byteLength], [true, 1, 2]);
    const ab = sc(new Uint8Array([1, 2]).buffer);
    same([ab instanceof ArrayBuffer, Array.from(new Uint8Array(ab))], [true, [1, 2]]);
    eq(sc(new BigInt64Array([5n]))[0], 5n);
    eq(sc(new Float64Array([1.5]))[0], 1.5);
    const rz = sc(new ArrayBuffer(4, { maxByteLength: 8 }));
    same([rz.resizable, rz.maxByteLength], [true, 8]);
  },
};

export const cycles = {
  test() {
    const o = { n: 1 };
    o.self = o;
    o.arr = [o];
    const m = new Map();
    m.set('m', m);
    o.map = m;
    const c = sc(o);
    same([c.self === c, c.arr[0] === c, c !== o, c.map.get('m') === c.map], [true, true, true, true]);
    const x = {};
    const pair = sc([x, x]);
    eq(pair[0], pair[1], 'shared references stay shared');
  },
};

export const errors = {
  test() {
    for (const E of [Error, TypeError, RangeError, SyntaxError, ReferenceError, EvalError, URIError]) {
      const e = new E('msg');
      const c = sc(e);
      same([c.constructor, c.name, c.message, c instanceof Error, c.stack === e.stack, c !== e], [E, E.name, 'msg', true, true, true]);
    }
    same(Object.getOwnPropertyNames(sc(new TypeError('m', { cause: 1 }))).sort(), ['cause', 'message', 'stack']);
    eq(sc(new Error('m', { cause: { c: 1 } })).cause.c, 1);
    // the prototype follows the name: a subclass becomes its standard ancestor, an unknown name an Error
    class MyErr extends TypeError {}
    same([sc(new MyErr('m')).constructor, sc(new MyErr('m')).name], [TypeError, 'TypeError']);
    const named = new Error('m');
    named.name = 'TypeError';
    eq(sc(named).constructor, TypeError);
    const custom = new Error('m');
    custom.name = 'Custom';
    custom.code = 5;
    same([sc(custom).name, sc(custom).constructor, sc(custom).code], ['Error', Error, undefined]);
    // DOMException is serializable
    const d = sc(new DOMException('m', 'AbortError'));
    same([d instanceof DOMException, d.name, d.message, d.code], [true, 'AbortError', 'm', 20]);
    const inner = sc({ e: new RangeError('x') });
    same([inner.e instanceof RangeError, inner.e.message], [true, 'x']);
  },
};

export const webTypes = {
  async test() {
    const b = new Blob(['hi'], { type: 't/x' });
    const bc = sc(b);
    same([bc instanceof Blob, bc !== b, bc.type, await bc.text()], [true, true, 't/x', 'hi']);
    for (const [name, v] of [['URL', new URL('http://a.test/')], ['URLSearchParams', new URLSearchParams()], ['File', new File(['x'], 'n')],
      ['TextEncoder', new TextEncoder()], ['AbortController', new AbortController()], ['EventTarget', new EventTarget()],
      ['Event', new Event('x')], ['CustomEvent', new CustomEvent('x')], ['FormData', new FormData()], ['TransformStream', new TransformStream()]]) {
      cloneError(() => sc(v), `Could not serialize object of type "${name}". This type does not support serialization.`);
    }
    cloneError(() => sc(new ReadableStream()), 'ReadableStream can only be serialized for RPC.');
    cloneError(() => sc(new WritableStream()), 'WritableStream can only be serialized for RPC.');
    cloneError(() => sc(new Response('x')), 'ReadableStream can only be serialized for RPC.');
    cloneError(() => sc(AbortSignal.abort()), 'AbortSignal serialization is not enabled.');
    const key = await crypto.subtle.generateKey({ name: 'HMAC', hash: 'SHA-256' }, true, ['sign']);
    cloneError(() => sc(key), 'Could not serialize object of type "CryptoKey". This type does not support serialization.');
  },
};

export const notCloneable = {
  test() {
    const f = () => 1;
    cloneError(() => sc(f), `${String(f)} could not be cloned.`);
    const o = { m() {} };
    cloneError(() => sc(o), `${String(o.m)} could not be cloned.`);
    cloneError(() => sc(Symbol('s')), 'Symbol(s) could not be cloned.');
    cloneError(() => sc(Promise.resolve()), '#<Promise> could not be cloned.');
    cloneError(() => sc(new WeakMap()), '#<WeakMap> could not be cloned.');
    cloneError(() => sc(new WeakSet()), '#<WeakSet> could not be cloned.');
    cloneError(() => sc([][Symbol.iterator]()), '[object Array Iterator] could not be cloned.');
    cloneError(() => sc((function* () {})()), '[object Generator] could not be cloned.');
  },
};

export const transferAndArguments = {
  test() {
    const u = new Uint8Array([1, 2, 3]);
    const moved = sc(u.buffer, { transfer: [u.buffer] });
    same([u.byteLength, moved.byteLength, Array.from(new Uint8Array(moved))], [0, 3, [1, 2, 3]]);
    throws(() => sc(1, { transfer: 5 }), 'TypeError', "Incorrect type for the 'transfer' field on 'StructuredCloneOptions': the provided value is not of type 'Array'.");
    throws(() => sc(), 'TypeError', "Failed to execute 'structuredClone' on 'ServiceWorkerGlobalScope': parameter 1 is not of type 'Value'.");
    throws(() => sc(1, 5), 'TypeError', "Failed to execute 'structuredClone' on 'ServiceWorkerGlobalScope': parameter 2 is not of type 'StructuredCloneOptions'.");
    eq(sc(1, null), 1);
  },
};
