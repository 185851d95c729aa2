// URL and URLSearchParams (https://url.spec.whatwg.org/). Parsing is done by ada-url in the host;
// the host returns the components [href, origin, protocol, username, password, host, hostname,
// port, pathname, search, hash] or null when the input is not a valid URL.
(function (internal, host) {
  'use strict';
  const HREF = 0, ORIGIN = 1, PROTOCOL = 2, USERNAME = 3, PASSWORD = 4, HOST = 5, HOSTNAME = 6, PORT = 7, PATHNAME = 8, SEARCH = 9, HASH = 10;
  const kParts = Symbol('parts'), kQuery = Symbol('query'), kUrl = Symbol('url');
  const setParts = (u, p) => { u[kParts] = p; };

  class URL {
    constructor(url, base = undefined) {
      if (arguments.length === 0) throw new TypeError("Failed to construct 'URL': 1 argument required, but only 0 present.");
      const parts = host.urlParse(internal.toUSVString(url), base === undefined ? undefined : internal.toUSVString(base));
      if (parts === null) throw new TypeError(`Invalid URL string.`);
      this[kParts] = parts;
      this[kQuery] = null;
    }
    static canParse(url, base = undefined) {
      return host.urlParse(internal.toUSVString(url), base === undefined ? undefined : internal.toUSVString(base)) !== null;
    }
    static parse(url, base = undefined) { try { return new URL(url, base); } catch (e) { return null; } }
    get href() { return this[kParts][HREF]; }
    set href(v) {
      const p = host.urlParse(internal.toUSVString(v), undefined);
      if (p === null) throw new TypeError('Invalid URL string.');
      this[kParts] = p; if (this[kQuery]) this[kQuery][kSync](p[SEARCH]);
    }
    get origin() { return this[kParts][ORIGIN]; }
    get protocol() { return this[kParts][PROTOCOL]; }
    set protocol(v) { this.#set('protocol', v); }
    get username() { return this[kParts][USERNAME]; }
    set username(v) { this.#set('username', v); }
    get password() { return this[kParts][PASSWORD]; }
    set password(v) { this.#set('password', v); }
    get host() { return this[kParts][HOST]; }
    set host(v) { this.#set('host', v); }
    get hostname() { return this[kParts][HOSTNAME]; }
    set hostname(v) { this.#set('hostname', v); }
    get port() { return this[kParts][PORT]; }
    set port(v) { this.#set('port', v); }
    get pathname() { return this[kParts][PATHNAME]; }
    set pathname(v) { this.#set('pathname', v); }
    get search() { return this[kParts][SEARCH]; }
    set search(v) { this.#set('search', v); if (this[kQuery]) this[kQuery][kSync](this[kParts][SEARCH]); }
    get hash() { return this[kParts][HASH]; }
    set hash(v) { this.#set('hash', v); }
    get searchParams() {
      if (this[kQuery] === null) { const q = new URLSearchParams(this[kParts][SEARCH]); q[kUrl] = this; this[kQuery] = q; }
      return this[kQuery];
    }
    #set(prop, v) { const p = host.urlSet(this[kParts][HREF], prop, internal.toUSVString(v)); if (p !== null) this[kParts] = p; }
    toString() { return this[kParts][HREF]; }
    toJSON() { return this[kParts][HREF]; }
  }
  Object.defineProperty(URL.prototype, Symbol.toStringTag, { value: 'URL', configurable: true });

  const kList = Symbol('list'), kSync = Symbol('sync');
  const update = (q) => {
    const u = q[kUrl];
    if (!u) return;
    const s = host.formSerialize(q[kList]);
    const p = host.urlSet(u[kParts][HREF], 'search', s);
    if (p !== null) u[kParts] = p;
    if (s === '') { const p2 = host.urlSet(u[kParts][HREF], 'search', ''); if (p2 !== null) u[kParts] = p2; }
  };
  class URLSearchParams {
    constructor(init = undefined) {
      this[kList] = [];
      this[kUrl] = null;
      if (init === undefined || init === null) return;
      if (typeof init === 'object' || typeof init === 'function') {
        if (typeof init[Symbol.iterator] === 'function') {
          for (const pair of init) {
            const arr = [...pair];
            if (arr.length !== 2) throw new TypeError('Each query pair must be an iterable [name, value] tuple');
            this[kList].push(internal.toUSVString(arr[0]), internal.toUSVString(arr[1]));
          }
        } else {
          for (const k of Object.keys(init)) this[kList].push(internal.toUSVString(k), internal.toUSVString(init[k]));
        }
      } else {
        let s = internal.toUSVString(init);
        if (s.startsWith('?')) s = s.slice(1);
        this[kList] = host.formParse(s);
      }
    }
    [kSync](search) { this[kList] = host.formParse(search.startsWith('?') ? search.slice(1) : search); }
    get size() { return this[kList].length / 2; }
    append(name, value) { this[kList].push(internal.toUSVString(name), internal.toUSVString(value)); update(this); }
    delete(name, value = undefined) {
      name = internal.toUSVString(name);
      const l = this[kList], out = [];
      const v = value === undefined ? undefined : internal.toUSVString(value);
      for (let i = 0; i < l.length; i += 2) if (!(l[i] === name && (v === undefined || l[i + 1] === v))) out.push(l[i], l[i + 1]);
      this[kList] = out; update(this);
    }
    get(name) { name = internal.toUSVString(name); const l = this[kList]; for (let i = 0; i < l.length; i += 2) if (l[i] === name) return l[i + 1]; return null; }
    getAll(name) { name = internal.toUSVString(name); const l = this[kList], r = []; for (let i = 0; i < l.length; i += 2) if (l[i] === name) r.push(l[i + 1]); return r; }
    has(name, value = undefined) {
      name = internal.toUSVString(name); const v = value === undefined ? undefined : internal.toUSVString(value);
      const l = this[kList]; for (let i = 0; i < l.length; i += 2) if (l[i] === name && (v === undefined || l[i + 1] === v)) return true; return false;
    }
    set(name, value) {
      name = internal.toUSVString(name); value = internal.toUSVString(value);
      const l = this[kList], out = []; let found = false;
      for (let i = 0; i < l.length; i += 2) {
        if (l[i] === name) { if (!found) { out.push(name, value); found = true; } } else out.push(l[i], l[i + 1]);
      }
      if (!found) out.push(name, value);
      this[kList] = out; update(this);
    }
    sort() {
      const l = this[kList], pairs = [];
      for (let i = 0; i < l.length; i += 2) pairs.push([l[i], l[i + 1]]);
      pairs.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
      this[kList] = pairs.flat(); update(this);
    }
    forEach(cb, thisArg = undefined) {
      if (typeof cb !== 'function') throw new TypeError('The "callback" argument must be of type function.');
      for (let i = 0; i < this[kList].length; i += 2) cb.call(thisArg, this[kList][i + 1], this[kList][i], this);
    }
    *entries() { for (let i = 0; i < this[kList].length; i += 2) yield [this[kList][i], this[kList][i + 1]]; }
    *keys() { for (let i = 0; i < this[kList].length; i += 2) yield this[kList][i]; }
    *values() { for (let i = 0; i < this[kList].length; i += 2) yield this[kList][i + 1]; }
    [Symbol.iterator]() { return this.entries(); }
    toString() { return host.formSerialize(this[kList]); }
  }
  Object.defineProperty(URLSearchParams.prototype, Symbol.toStringTag, { value: 'URLSearchParams', configurable: true });
  internal.isURLSearchParams = (v) => v instanceof URLSearchParams;
  const ex = { URL, URLSearchParams };
  for (const k in ex) internal.defineGlobal(k, ex[k]);
  internal.modules.url = ex;
})
