// URL and URLSearchParams (https://url.spec.whatwg.org/). Parsing is done by ada-url in the host;
// the host returns the components [href, origin, protocol, username, password, host, hostname,
// port, pathname, search, hash] or null when the input is not a valid URL.
//
// Compatibility flags: url_standard off (before 2022-10-31) selects workerd's legacy URL class;
// this runtime always has the standard one. urlsearchparams_delete_has_value_arg off (before
// 2023-07-01) makes delete() and has() ignore their value argument.
(function (internal, host) {
  'use strict';
  const HREF = 0, SEARCH = 9, HASH = 10;
  const kParts = Symbol('parts'), kQuery = Symbol('query'), kUrl = Symbol('url');
  const usv = internal.toUSVString;
  // argument-count errors, worded like workerd's (JSG)
  const missing = (n, method, cls, type) => new TypeError(`Failed to execute '${method}' on '${cls}': parameter ${n + 1} is not of type '${type}'.`);
  const parse = (url, base) => host.urlParse(usv(url), base === undefined ? undefined : usv(base));

  // Iterators of Headers, URLSearchParams, ...: workerd names them EntryIterator, KeyIterator and
  // ValueIterator; each inherits %IteratorPrototype%. `step()` returns the next result object.
  const IterProto = Object.getPrototypeOf(Object.getPrototypeOf([][Symbol.iterator]()));
  const iterClasses = Object.create(null);
  const makeIterator = (name, step) => {
    let C = iterClasses[name];
    if (C === undefined) {
      C = class { #step; constructor(s) { this.#step = s; } next() { return this.#step(); } };
      Object.defineProperty(C, 'name', { value: name });
      Object.setPrototypeOf(C.prototype, IterProto);
      Object.defineProperty(C.prototype, Symbol.toStringTag, { value: name, configurable: true });
      iterClasses[name] = C;
    }
    return new C(step);
  };
  internal.makeIterator = makeIterator;
  const DONE = () => ({ done: true, value: undefined });
  // iterator over a fixed array of values
  internal.arrayIterator = (name, arr) => {
    let i = 0;
    return makeIterator(name, () => (i < arr.length ? { done: false, value: arr[i++] } : (i = arr.length, DONE())));
  };

  class URL {
    constructor(url, base = undefined) {
      if (arguments.length === 0) throw new TypeError("Failed to construct 'URL': constructor parameter 1 is not of type 'USVString'.");
      const parts = parse(url, base);
      if (parts === null) throw new TypeError('Invalid URL string.');
      this[kParts] = parts;
      this[kQuery] = null;
    }
    static canParse(url, base = undefined) {
      if (arguments.length === 0) throw missing(0, 'canParse', 'URL', 'USVString');
      return parse(url, base) !== null;
    }
    static parse(url, base = undefined) {
      if (arguments.length === 0) throw missing(0, 'parse', 'URL', 'USVString');
      const parts = parse(url, base);
      if (parts === null) return null;
      const u = Object.create(URL.prototype);
      u[kParts] = parts; u[kQuery] = null;
      return u;
    }
    static createObjectURL() { throw new Error('URL.createObjectURL() is not implemented'); }
    static revokeObjectURL() { throw new Error('URL.revokeObjectURL() is not implemented'); }
    get origin() { return this[kParts][1]; }
    get href() { return this[kParts][HREF]; }
    set href(v) {
      const p = host.urlParse(usv(v), undefined);
      if (p === null) throw new TypeError("Failed to set the 'href' property on 'URL': the provided value is not of type 'valid URL string'.");
      this[kParts] = p; if (this[kQuery]) this[kQuery][kSync](p[SEARCH]);
    }
    get protocol() { return this[kParts][2]; }
    set protocol(v) { this.#set('protocol', v); }
    get username() { return this[kParts][3]; }
    set username(v) { this.#set('username', v); }
    get password() { return this[kParts][4]; }
    set password(v) { this.#set('password', v); }
    get host() { return this[kParts][5]; }
    set host(v) { this.#set('host', v); }
    get hostname() { return this[kParts][6]; }
    set hostname(v) { this.#set('hostname', v); }
    get port() { return this[kParts][7]; }
    set port(v) { this.#set('port', v); }
    get pathname() { return this[kParts][8]; }
    set pathname(v) { this.#set('pathname', v); }
    get search() { return this[kParts][SEARCH]; }
    set search(v) { this.#set('search', v); if (this[kQuery]) this[kQuery][kSync](this[kParts][SEARCH]); }
    get hash() { return this[kParts][HASH]; }
    set hash(v) { this.#set('hash', v); }
    get searchParams() {
      if (this[kQuery] === null) { const q = new URLSearchParams(this[kParts][SEARCH]); q[kUrl] = this; this[kQuery] = q; }
      return this[kQuery];
    }
    #set(prop, v) { const p = host.urlSet(this[kParts][HREF], prop, usv(v)); if (p !== null) this[kParts] = p; }
    toString() { return this[kParts][HREF]; }
    toJSON() { return this[kParts][HREF]; }
  }
  Object.defineProperty(URL.prototype, Symbol.toStringTag, { value: 'URL', configurable: true });
  internal.isURL = (v) => v instanceof URL;

  const kList = Symbol('list'), kSync = Symbol('sync');
  // the URL's query follows the list (https://url.spec.whatwg.org/#concept-urlsearchparams-update)
  const update = (q) => {
    const u = q[kUrl];
    if (!u) return;
    const s = host.formSerialize(q[kList]);
    const p = host.urlSet(u[kParts][HREF], 'search', s);
    if (p !== null) u[kParts] = p;
  };
  const valueArg = (value) => (value === undefined || !internal.flags.urlsearchparams_delete_has_value_arg ? undefined : usv(value));
  const USP = 'URLSearchParams';
  class URLSearchParams {
    constructor(init = undefined) {
      this[kList] = [];
      this[kUrl] = null;
      if (init === undefined) return;
      if ((typeof init === 'object' && init !== null) || typeof init === 'function') {
        if (typeof init[Symbol.iterator] === 'function') {
          const l = this[kList];
          for (const pair of init) {
            if (typeof pair !== 'object' || pair === null || typeof pair[Symbol.iterator] !== 'function') throw new TypeError('Invalid URL search params sequence.');
            const arr = [...pair];
            if (arr.length !== 2) throw new TypeError('Invalid URL search params sequence.');
            l.push(usv(arr[0]), usv(arr[1]));
          }
        } else {
          for (const k of Object.keys(init)) this[kList].push(usv(k), usv(init[k]));
        }
      } else {
        let s = usv(init);
        if (s.charCodeAt(0) === 63) s = s.slice(1);
        this[kList] = host.formParse(s);
      }
    }
    [kSync](search) { this[kList] = host.formParse(search.startsWith('?') ? search.slice(1) : search); }
    get size() { return this[kList].length / 2; }
    append(name, value) {
      if (arguments.length < 2) throw missing(arguments.length, 'append', USP, 'USVString');
      this[kList].push(usv(name), usv(value)); update(this);
    }
    delete(name, value = undefined) {
      if (arguments.length < 1) throw missing(0, 'delete', USP, 'USVString');
      name = usv(name);
      const v = valueArg(value);
      const l = this[kList], out = [];
      for (let i = 0; i < l.length; i += 2) if (!(l[i] === name && (v === undefined || l[i + 1] === v))) out.push(l[i], l[i + 1]);
      this[kList] = out; update(this);
    }
    get(name) {
      if (arguments.length < 1) throw missing(0, 'get', USP, 'USVString');
      name = usv(name); const l = this[kList];
      for (let i = 0; i < l.length; i += 2) if (l[i] === name) return l[i + 1];
      return null;
    }
    getAll(name) {
      if (arguments.length < 1) throw missing(0, 'getAll', USP, 'USVString');
      name = usv(name); const l = this[kList], r = [];
      for (let i = 0; i < l.length; i += 2) if (l[i] === name) r.push(l[i + 1]);
      return r;
    }
    has(name, value = undefined) {
      if (arguments.length < 1) throw missing(0, 'has', USP, 'USVString');
      name = usv(name); const v = valueArg(value);
      const l = this[kList];
      for (let i = 0; i < l.length; i += 2) if (l[i] === name && (v === undefined || l[i + 1] === v)) return true;
      return false;
    }
    set(name, value) {
      if (arguments.length < 2) throw missing(arguments.length, 'set', USP, 'USVString');
      name = usv(name); value = usv(value);
      const l = this[kList], out = []; let found = false;
      for (let i = 0; i < l.length; i += 2) {
        if (l[i] === name) { if (!found) { out.push(name, value); found = true; } } else out.push(l[i], l[i + 1]);
      }
      if (!found) out.push(name, value);
      this[kList] = out; update(this);
    }
    sort() {
      // stable sort by name in UTF-16 code units
      const l = this[kList], pairs = [];
      for (let i = 0; i < l.length; i += 2) pairs.push([l[i], l[i + 1]]);
      pairs.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
      this[kList] = pairs.flat(); update(this);
    }
    forEach(cb, thisArg = undefined) {
      if (typeof cb !== 'function') throw missing(0, 'forEach', USP, 'function');
      for (let i = 0; i < this[kList].length; i += 2) cb.call(thisArg, this[kList][i + 1], this[kList][i], this);
    }
    // live iterators: they follow changes made while iterating, as workerd's do
    entries() { return listIterator(this, 'EntryIterator', 0); }
    keys() { return listIterator(this, 'KeyIterator', 1); }
    values() { return listIterator(this, 'ValueIterator', 2); }
    [Symbol.iterator]() { return listIterator(this, 'EntryIterator', 0); }
    toString() { return host.formSerialize(this[kList]); }
  }
  const listIterator = (q, name, what) => {
    let i = 0;
    return makeIterator(name, () => {
      const l = q[kList];
      if (i >= l.length) return DONE();
      const k = l[i], v = l[i + 1];
      i += 2;
      return { done: false, value: what === 0 ? [k, v] : what === 1 ? k : v };
    });
  };
  Object.defineProperty(URLSearchParams.prototype, Symbol.toStringTag, { value: 'URLSearchParams', configurable: true });
  // console.log(params): URLSearchParams(n) { 'name' => 'value', ... }, as workerd
  if (internal.inspectors === undefined) internal.inspectors = new Map();
  internal.inspectors.set(URLSearchParams.prototype, (q) => {
    const l = q[kList], e = [];
    for (let i = 0; i < l.length; i += 2) e.push([l[i], l[i + 1], true]);
    return [`URLSearchParams(${e.length})`, e];
  });
  internal.isURLSearchParams = (v) => v instanceof URLSearchParams;

  // workerd's URL parsing before the standard-URL flags (kj::Url): "scheme://authority/path?query#fragment",
  // scheme and host lowercased, dot segments removed, nothing percent-encoded, ports not range-checked.
  // Returns the normalized string, or null when the input is not such a URL.
  const LEGACY = /^([A-Za-z][A-Za-z0-9+.-]*):\/\/([^/?#]*)([^?#]*)(\?[^#]*)?(#[^]*)?$/;
  const AUTH = /^(?:([^@]*)@)?(\[[0-9A-Fa-f:.]+\]|[^:@[\]]*)(?::([0-9]*))?$/;
  const removeDots = (path) => {
    const out = [];
    const segs = path.split('/');
    for (let i = 1; i < segs.length; i++) {
      const s = segs[i];
      if (s === '..') { out.pop(); if (i === segs.length - 1) out.push(''); }
      else if (s === '.') { if (i === segs.length - 1) out.push(''); }
      else out.push(s);
    }
    return '/' + out.join('/');
  };
  internal.legacyUrl = (s) => {
    const m = LEGACY.exec(s);
    if (m === null) return null;
    const a = AUTH.exec(m[2]);
    if (a === null || a[2] === '' || /[^\x21-\x7e]/.test(a[2])) return null;
    const auth = (a[1] !== undefined ? a[1] + '@' : '') + a[2].toLowerCase() + (a[3] !== undefined ? ':' + a[3] : '');
    return m[1].toLowerCase() + '://' + auth + removeDots(m[3] || '/') + (m[4] || '') + (m[5] || '');
  };

  const ex = { URL, URLSearchParams };
  for (const k in ex) internal.defineGlobal(k, ex[k]);
  internal.modules.url = ex;
})
