// URLPattern (https://urlpattern.spec.whatwg.org/), written from the standard's algorithms:
// patterns are tokenized and parsed into parts, each component compiles to a JS RegExp with the
// "v" flag (as workerd's does), and matching runs those on the URL's components. Component
// values are canonicalized by the URL parser (ada-url in the host, through host.urlParse/urlSet).
//
// As workerd: every construction error is a TypeError "Failed to construct URLPattern" (test and
// exec: "Failed to test/exec URLPattern"). urlpattern_standard off (before 2025-05-01) selects
// workerd's older implementation, which this runtime does not have: it is always the standard one.
(function (internal, host) {
  'use strict';
  class PatternError extends Error {}
  const fail = (why) => { throw new PatternError(why); };

  // ---- tokenizer (https://urlpattern.spec.whatwg.org/#tokenizing) ----
  const OPEN = 0, CLOSE = 1, REGEXP = 2, NAME = 3, CHAR = 4, ESCAPED = 5, MODIFIER = 6, ASTERISK = 7, END = 8, INVALID = 9;
  const ID_START = /[$_\p{ID_Start}]/u, ID_PART = /[$\u200c\u200d\p{ID_Continue}]/u;
  const isNameCodePoint = (c, first) => (first ? ID_START : ID_PART).test(c);
  const isAscii = (c) => c.codePointAt(0) < 0x80;
  // tokens: [type, index, value]; `input` is an array of code points
  const tokenize = (input, strict) => {
    const tokens = [];
    const n = input.length;
    let index = 0;
    const add = (type, next, valueStart, valueLength) => {
      tokens.push([type, index, input.slice(valueStart, valueStart + valueLength).join('')]);
      index = next;
    };
    const error = (next, valueStart) => {
      if (strict) fail('invalid pattern');
      add(INVALID, next, valueStart, next - valueStart);
    };
    while (index < n) {
      const c = input[index];
      const next = index + 1;
      if (c === '*') { add(ASTERISK, next, index, 1); continue; }
      if (c === '+' || c === '?') { add(MODIFIER, next, index, 1); continue; }
      if (c === '\\') {
        if (index === n - 1) { error(next, index); continue; }
        add(ESCAPED, next + 1, next, 1);
        continue;
      }
      if (c === '{') { add(OPEN, next, index, 1); continue; }
      if (c === '}') { add(CLOSE, next, index, 1); continue; }
      if (c === ':') {
        let pos = next;
        while (pos < n && isNameCodePoint(input[pos], pos === next)) pos++;
        if (pos <= next) { error(next, index); continue; }
        add(NAME, pos, next, pos - next);
        continue;
      }
      if (c === '(') {
        let depth = 1, pos = next, bad = false;
        while (pos < n) {
          const d = input[pos];
          if (!isAscii(d) || (pos === next && d === '?')) { bad = true; break; }
          if (d === '\\') {
            if (pos === n - 1 || !isAscii(input[pos + 1])) { bad = true; break; }
            pos += 2;
            continue;
          }
          if (d === ')') {
            depth--;
            if (depth === 0) { pos++; break; }
          } else if (d === '(') {
            depth++;
            if (pos === n - 1 || input[pos + 1] !== '?') { bad = true; break; }
          }
          pos++;
        }
        if (bad) { error(next, index); continue; }
        if (depth !== 0) { error(next, index); continue; }
        const length = pos - next - 1;
        if (length === 0) { error(next, index); continue; }
        add(REGEXP, pos, next, length);
        continue;
      }
      add(CHAR, next, index, 1);
    }
    tokens.push([END, index, '']);
    return tokens;
  };

  // ---- parsing a pattern string (https://urlpattern.spec.whatwg.org/#parse-a-pattern-string) ----
  // parts: [type, value, modifier, name, prefix, suffix]
  const FIXED = 0, P_REGEXP = 1, SEGMENT = 2, FULL = 3;
  const M_NONE = '', M_OPTIONAL = '?', M_ZERO_OR_MORE = '*', M_ONE_OR_MORE = '+';
  // (punctuation that QuickJS's "v" mode misreads outside classes, e.g. '-' or '::', is written
  // as \xNN: the same characters, and valid JS in any mode)
  const escapeRegexp = (s) => s.replace(/[.+*?^${}()[\]|/\\&!#%,:;<=>@`~-]/g, (c) => ('.+*?^${}()[]|/\\'.includes(c) ? '\\' + c : '\\x' + c.charCodeAt(0).toString(16)));
  const escapePattern = (s) => s.replace(/[+*?:{}()\\]/g, '\\$&');
  const segmentWildcard = (opts) => `[^${escapeRegexp(opts.delimiter)}]+?`;
  const DEFAULT = { delimiter: '', prefix: '', ignoreCase: false };
  const HOSTNAME = { delimiter: '.', prefix: '', ignoreCase: false };
  const PATHNAME = { delimiter: '/', prefix: '/', ignoreCase: false };

  const parsePattern = (input, opts, encode) => {
    const tokens = tokenize(Array.from(input), true);
    const parts = [];
    const names = new Set();
    let pending = '', i = 0, nextNumeric = 0;
    const tryConsume = (type) => { const t = tokens[i]; if (t[0] !== type) return null; i++; return t; };
    const consumeRegexpOrWildcard = (name) => {
      const t = tryConsume(REGEXP);
      return name === null && t === null ? tryConsume(ASTERISK) : t;
    };
    const consumeModifier = () => tryConsume(MODIFIER) || tryConsume(ASTERISK);
    const consumeText = () => {
      let r = '';
      for (;;) { const t = tryConsume(CHAR) || tryConsume(ESCAPED); if (t === null) return r; r += t[2]; }
    };
    const flushPending = () => {
      if (pending === '') return;
      const v = encode(pending);
      pending = '';
      parts.push([FIXED, v, M_NONE, '', '', '']);
    };
    const addPart = (prefix, nameTok, regexpTok, suffix, modTok) => {
      const modifier = modTok === null ? M_NONE : modTok[2];
      if (nameTok === null && regexpTok === null && modifier === M_NONE) { pending += prefix; return; }
      flushPending();
      if (nameTok === null && regexpTok === null) {
        if (prefix === '') return;
        parts.push([FIXED, encode(prefix), modifier, '', '', '']);
        return;
      }
      let value;
      if (regexpTok === null) value = segmentWildcard(opts);
      else if (regexpTok[0] === ASTERISK) value = '.*';
      else value = regexpTok[2];
      let type = P_REGEXP;
      if (value === segmentWildcard(opts)) { type = SEGMENT; value = ''; }
      else if (value === '.*') { type = FULL; value = ''; }
      let name = '';
      if (nameTok !== null) name = nameTok[2];
      else name = String(nextNumeric++);
      if (names.has(name)) fail('duplicate name');
      names.add(name);
      parts.push([type, value, modifier, name, encode(prefix), encode(suffix)]);
    };
    while (i < tokens.length) {
      const charTok = tryConsume(CHAR);
      const nameTok = tryConsume(NAME);
      const regexpTok = consumeRegexpOrWildcard(nameTok);
      if (nameTok !== null || regexpTok !== null) {
        let prefix = charTok === null ? '' : charTok[2];
        if (prefix !== '' && prefix !== opts.prefix) { pending += prefix; prefix = ''; }
        flushPending();
        addPart(prefix, nameTok, regexpTok, '', consumeModifier());
        continue;
      }
      const fixed = charTok || tryConsume(ESCAPED);
      if (fixed !== null) { pending += fixed[2]; continue; }
      if (tryConsume(OPEN) !== null) {
        const prefix = consumeText();
        const n2 = tryConsume(NAME);
        const r2 = consumeRegexpOrWildcard(n2);
        const suffix = consumeText();
        if (tryConsume(CLOSE) === null) fail('expected }');
        addPart(prefix, n2, r2, suffix, consumeModifier());
        continue;
      }
      flushPending();
      if (tryConsume(END) === null) fail('unexpected token');
    }
    return parts;
  };

  // https://urlpattern.spec.whatwg.org/#generate-a-regular-expression-and-name-list
  const generateRegexp = (parts, opts) => {
    let r = '^';
    const names = [];
    for (const [type, value, modifier, name, prefix, suffix] of parts) {
      if (type === FIXED) {
        r += modifier === M_NONE ? escapeRegexp(value) : `(?:${escapeRegexp(value)})${modifier}`;
        continue;
      }
      names.push(name);
      const re = type === SEGMENT ? segmentWildcard(opts) : type === FULL ? '.*' : fixDashes(value);
      if (prefix === '' && suffix === '') {
        r += modifier === M_NONE || modifier === M_OPTIONAL ? `(${re})${modifier}` : `((?:${re})${modifier})`;
        continue;
      }
      const p = escapeRegexp(prefix), s = escapeRegexp(suffix);
      if (modifier === M_NONE || modifier === M_OPTIONAL) { r += `(?:${p}(${re})${s})${modifier}`; continue; }
      r += `(?:${p}((?:${re})(?:${s}${p}(?:${re}))*)${s})`;
      if (modifier === M_ZERO_OR_MORE) r += '?';
    }
    return [r + '$', names];
  };

  // https://urlpattern.spec.whatwg.org/#generate-a-pattern-string
  const isDigit = (c) => c !== undefined && c >= '0' && c <= '9';
  const generatePatternString = (parts, opts) => {
    let r = '';
    for (let i = 0; i < parts.length; i++) {
      const [type, value, modifier, name, prefix, suffix] = parts[i];
      const prev = i > 0 ? parts[i - 1] : null;
      const next = i < parts.length - 1 ? parts[i + 1] : null;
      if (type === FIXED) {
        r += modifier === M_NONE ? escapePattern(value) : `{${escapePattern(value)}}${modifier}`;
        continue;
      }
      const custom = !isDigit(name[0]);
      let group = suffix !== '' || (prefix !== '' && prefix !== opts.prefix);
      if (!group && custom && type === SEGMENT && modifier === M_NONE && next !== null && next[4] === '' && next[5] === '') {
        if (next[0] === FIXED) group = next[1] !== '' && isNameCodePoint(Array.from(next[1])[0], false);
        else group = isDigit(next[3][0]);
      }
      if (!group && prefix === '' && prev !== null && prev[0] === FIXED && prev[1] !== '' && prev[1][prev[1].length - 1] === opts.prefix) group = true;
      if (group) r += '{';
      r += escapePattern(prefix);
      if (custom) r += ':' + name;
      if (type === P_REGEXP) r += `(${value})`;
      else if (type === SEGMENT && !custom) r += `(${segmentWildcard(opts)})`;
      else if (type === FULL) {
        if (!custom && (prev === null || prev[0] === FIXED || prev[2] !== M_NONE || group || prefix !== '')) r += '*';
        else r += '(.*)';
      }
      if (type === SEGMENT && custom && suffix !== '' && isNameCodePoint(Array.from(suffix)[0], false)) r += '\\';
      r += escapePattern(suffix);
      if (group) r += '}';
      r += modifier;
    }
    return r;
  };

  // QuickJS's "v" mode refuses '-' outside a character class (valid JS): in a pattern's own
  // regular expressions, those are written as \x2d
  const fixDashes = (src) => {
    if (!src.includes('-')) return src;
    let out = '', depth = 0;
    for (let i = 0; i < src.length; i++) {
      const c = src[i];
      if (c === '\\') { out += c + (i + 1 < src.length ? src[i + 1] : ''); i++; continue; }
      if (c === '[') depth++;
      else if (c === ']' && depth > 0) depth--;
      else if (c === '-' && depth === 0) { out += '\\x2d'; continue; }
      out += c;
    }
    return out;
  };
  // https://urlpattern.spec.whatwg.org/#compile-a-component: [patternString, regexp, names, hasRegExpGroups]
  const compile = (input, encode, opts) => {
    const parts = parsePattern(input, opts, encode);
    const [source, names] = generateRegexp(parts, opts);
    let regexp;
    try { regexp = new RegExp(source, opts.ignoreCase ? 'vi' : 'v'); } catch (e) { fail('invalid regular expression'); }
    return [generatePatternString(parts, opts), regexp, names, parts.some((p) => p[0] === P_REGEXP)];
  };

  // ---- canonicalization (https://urlpattern.spec.whatwg.org/#canon-encoding-callbacks) ----
  // URL parts from the host: [href, origin, protocol, username, password, host, hostname, port, pathname, search, hash]
  const DUMMY = 'https://dummy.invalid/';
  const setPart = (base, prop, value, index) => {
    const p = host.urlSet(base, prop, value);
    if (p === null) fail(`invalid ${prop}`);
    return p[index];
  };
  const canonProtocol = (v) => {
    if (v === '') return v;
    const p = host.urlParse(v + '://dummy.invalid/', undefined);
    if (p === null) fail('invalid protocol');
    return p[2].slice(0, -1);
  };
  const canonUsername = (v) => (v === '' ? v : setPart(DUMMY, 'username', v, 3));
  const canonPassword = (v) => (v === '' ? v : setPart(DUMMY, 'password', v, 4));
  const dummyFor = (protocol) => (protocol === undefined || protocol === '' ? DUMMY : `${protocol}://dummy.invalid/`);
  const canonHostname = (v, protocol) => (v === '' ? v : setPart(dummyFor(protocol), 'hostname', v, 6));
  const canonIPv6 = (v) => {
    let r = '';
    for (const c of v) {
      if (!/[0-9A-Fa-f[\]:]/.test(c)) fail('invalid IPv6 hostname');
      r += c.toLowerCase();
    }
    return r;
  };
  const canonPort = (v, protocol) => (v === '' ? v : setPart(dummyFor(protocol), 'port', v, 7));
  const canonPathname = (v) => {
    if (v === '') return v;
    const lead = v[0] === '/';
    const r = setPart(DUMMY, 'pathname', lead ? v : '/-' + v, 8);
    return lead ? r : r.slice(2);
  };
  const canonOpaquePathname = (v) => {
    if (v === '') return v;
    const p = host.urlParse('a:' + v, undefined);
    if (p === null) fail('invalid pathname');
    return p[8];
  };
  // (a leading ? or # is part of the value here: the setters would drop it)
  const canonSearch = (v) => (v === '' ? v : setPart(DUMMY, 'search', '?' + v, 9).slice(1));
  const canonHash = (v) => (v === '' ? v : setPart(DUMMY, 'hash', '#' + v, 10).slice(1));

  const SPECIAL = { ftp: '21', file: '', http: '80', https: '443', ws: '80', wss: '443' };
  const isSpecial = (s) => Object.hasOwn(SPECIAL, s);

  // ---- URLPatternInit (https://urlpattern.spec.whatwg.org/#process-a-urlpatterninit) ----
  const COMPONENTS = ['protocol', 'username', 'password', 'hostname', 'port', 'pathname', 'search', 'hash'];
  const has = (o, k) => o[k] !== undefined;
  const processBase = (s, type) => (type === 'pattern' ? escapePattern(s) : s);
  const isAbsolutePathname = (s, type) => {
    if (s === '') return false;
    if (s[0] === '/') return true;
    if (type === 'url' || s.length < 2) return false;
    return (s[0] === '\\' || s[0] === '{') && s[1] === '/';
  };
  const processInit = (init, type, defaults) => {
    const r = { ...defaults };
    let base = null;
    if (has(init, 'baseURL')) {
      base = host.urlParse(init.baseURL, undefined);
      if (base === null) fail('invalid baseURL');
      const hasAny = (...ks) => ks.some((k) => has(init, k));
      if (!has(init, 'protocol')) r.protocol = processBase(base[2].slice(0, -1), type);
      if (type !== 'pattern' && !hasAny('protocol', 'hostname', 'port', 'username')) r.username = processBase(base[3], type);
      if (type !== 'pattern' && !hasAny('protocol', 'hostname', 'port', 'username', 'password')) r.password = processBase(base[4], type);
      if (!hasAny('protocol', 'hostname')) r.hostname = processBase(base[6], type);
      if (!hasAny('protocol', 'hostname', 'port')) r.port = base[7];
      if (!hasAny('protocol', 'hostname', 'port', 'pathname')) r.pathname = processBase(base[8], type);
      if (!hasAny('protocol', 'hostname', 'port', 'pathname', 'search')) r.search = processBase(base[9].slice(1), type);
      if (!hasAny('protocol', 'hostname', 'port', 'pathname', 'search', 'hash')) r.hash = processBase(base[10].slice(1), type);
    }
    const pattern = type === 'pattern';
    if (has(init, 'protocol')) { const v = init.protocol.endsWith(':') ? init.protocol.slice(0, -1) : init.protocol; r.protocol = pattern ? v : canonProtocol(v); }
    if (has(init, 'username')) r.username = pattern ? init.username : canonUsername(init.username);
    if (has(init, 'password')) r.password = pattern ? init.password : canonPassword(init.password);
    if (has(init, 'hostname')) r.hostname = pattern ? init.hostname : canonHostname(init.hostname);
    if (has(init, 'port')) r.port = pattern ? init.port : canonPort(init.port, r.protocol);
    if (has(init, 'pathname')) {
      let p = init.pathname;
      // base[8] is the URL's path; an opaque one does not start with '/'
      if (base !== null && base[8].startsWith('/') && !isAbsolutePathname(p, type)) {
        const slash = base[8].lastIndexOf('/');
        if (slash >= 0) p = base[8].slice(0, slash + 1) + p;
      }
      r.pathname = pattern ? p : (r.protocol === undefined || r.protocol === '' || isSpecial(r.protocol) ? canonPathname(p) : canonOpaquePathname(p));
    }
    if (has(init, 'search')) { const v = init.search.startsWith('?') ? init.search.slice(1) : init.search; r.search = pattern ? v : canonSearch(v); }
    if (has(init, 'hash')) { const v = init.hash.startsWith('#') ? init.hash.slice(1) : init.hash; r.hash = pattern ? v : canonHash(v); }
    return r;
  };
  // a URLPatternInit dictionary (members as USVStrings, in the IDL's order)
  const toInit = (o) => {
    const r = {};
    for (const k of [...COMPONENTS, 'baseURL']) {
      const v = o[k];
      if (v !== undefined) r[k] = internal.toUSVString(v);
    }
    return r;
  };

  // ---- constructor strings (https://urlpattern.spec.whatwg.org/#parse-a-constructor-string) ----
  const parseConstructorString = (input) => {
    const cps = Array.from(input);
    const tokens = tokenize(cps, false);
    const result = {};
    let componentStart = 0, tokenIndex = 0, tokenIncrement = 1, groupDepth = 0, ipv6Depth = 0, specialScheme = false;
    let state = 'init';
    const safe = (i) => (i < tokens.length ? tokens[i] : tokens[tokens.length - 1]);
    const nonSpecial = (i, v) => { const t = safe(i); return t[2] === v && (t[0] === CHAR || t[0] === ESCAPED || t[0] === INVALID); };
    const isSearchPrefix = () => {
      if (nonSpecial(tokenIndex, '?')) return true;
      if (tokens[tokenIndex][2] !== '?') return false;
      if (tokenIndex - 1 < 0) return true;
      const prev = safe(tokenIndex - 1)[0];
      return !(prev === NAME || prev === REGEXP || prev === CLOSE || prev === ASTERISK);
    };
    const componentString = () => cps.slice(safe(componentStart)[1], tokens[tokenIndex][1]).join('');
    const rewind = () => { tokenIndex = componentStart; tokenIncrement = 0; };
    const changeState = (next, skip) => {
      if (state !== 'init' && state !== 'authority' && state !== 'done') result[state] = componentString();
      if (state !== 'init' && next !== 'done') {
        const early = ['protocol', 'authority', 'username', 'password'];
        if (early.includes(state) && ['port', 'pathname', 'search', 'hash'].includes(next) && !has(result, 'hostname')) result.hostname = '';
        if ([...early, 'hostname', 'port'].includes(state) && (next === 'search' || next === 'hash') && !has(result, 'pathname')) result.pathname = specialScheme ? '/' : '';
        if ([...early, 'hostname', 'port', 'pathname'].includes(state) && next === 'hash' && !has(result, 'search')) result.search = '';
      }
      state = next;
      tokenIndex += skip;
      componentStart = tokenIndex;
      tokenIncrement = 0;
    };
    while (tokenIndex < tokens.length) {
      tokenIncrement = 1;
      const t = tokens[tokenIndex];
      if (t[0] === END) {
        if (state === 'init') {
          rewind();
          if (nonSpecial(tokenIndex, '#')) changeState('hash', 1);
          else if (isSearchPrefix()) changeState('search', 1);
          else changeState('pathname', 0);
          tokenIndex += tokenIncrement;
          continue;
        }
        if (state === 'authority') { rewind(); state = 'hostname'; tokenIndex += tokenIncrement; continue; }
        changeState('done', 0);
        break;
      }
      if (t[0] === OPEN) { groupDepth++; tokenIndex += tokenIncrement; continue; }
      if (groupDepth > 0) {
        if (t[0] === CLOSE) groupDepth--;
        else { tokenIndex += tokenIncrement; continue; }
      }
      switch (state) {
        case 'init':
          if (nonSpecial(tokenIndex, ':')) { rewind(); state = 'protocol'; }
          break;
        case 'protocol':
          if (nonSpecial(tokenIndex, ':')) {
            const re = compile(componentString(), canonProtocol, DEFAULT)[1];
            specialScheme = Object.keys(SPECIAL).some((s) => re.test(s));
            let next = 'pathname', skip = 1;
            if (nonSpecial(tokenIndex + 1, '/') && nonSpecial(tokenIndex + 2, '/')) { next = 'authority'; skip = 3; }
            else if (specialScheme) next = 'authority';
            changeState(next, skip);
          }
          break;
        case 'authority':
          if (nonSpecial(tokenIndex, '@')) { rewind(); state = 'username'; }
          else if (nonSpecial(tokenIndex, '/') || isSearchPrefix() || nonSpecial(tokenIndex, '#')) { rewind(); state = 'hostname'; }
          break;
        case 'username':
          if (nonSpecial(tokenIndex, ':')) changeState('password', 1);
          else if (nonSpecial(tokenIndex, '@')) changeState('hostname', 1);
          break;
        case 'password':
          if (nonSpecial(tokenIndex, '@')) changeState('hostname', 1);
          break;
        case 'hostname':
          if (nonSpecial(tokenIndex, '[')) ipv6Depth++;
          else if (nonSpecial(tokenIndex, ']')) ipv6Depth--;
          else if (nonSpecial(tokenIndex, ':') && ipv6Depth === 0) changeState('port', 1);
          else if (nonSpecial(tokenIndex, '/')) changeState('pathname', 0);
          else if (isSearchPrefix()) changeState('search', 1);
          else if (nonSpecial(tokenIndex, '#')) changeState('hash', 1);
          break;
        case 'port':
          if (nonSpecial(tokenIndex, '/')) changeState('pathname', 0);
          else if (isSearchPrefix()) changeState('search', 1);
          else if (nonSpecial(tokenIndex, '#')) changeState('hash', 1);
          break;
        case 'pathname':
          if (isSearchPrefix()) changeState('search', 1);
          else if (nonSpecial(tokenIndex, '#')) changeState('hash', 1);
          break;
        case 'search':
          if (nonSpecial(tokenIndex, '#')) changeState('hash', 1);
          break;
      }
      tokenIndex += tokenIncrement;
    }
    if (has(result, 'hostname') && !has(result, 'port')) result.port = '';
    return result;
  };

  // ---- URLPattern (https://urlpattern.spec.whatwg.org/#urlpattern-class) ----
  const kC = Symbol('components');
  const ctorError = () => new TypeError('Failed to construct URLPattern');
  const isIPv6Pattern = (s) => s.length >= 2 && (s[0] === '[' || ((s[0] === '{' || s[0] === '\\') && s[1] === '['));
  const create = (input, baseURL, options) => {
    let init;
    if (typeof input === 'string') {
      init = parseConstructorString(input);
      if (baseURL === undefined && !has(init, 'protocol')) fail('no protocol and no base URL');
      if (baseURL !== undefined) init.baseURL = baseURL;
    } else {
      if (baseURL !== undefined) fail('a base URL with an init dictionary');
      init = input;
    }
    const p = processInit(init, 'pattern', {});
    for (const c of COMPONENTS) if (p[c] === undefined) p[c] = '*';
    if (isSpecial(p.protocol) && p.port === SPECIAL[p.protocol]) p.port = '';
    const ic = !!options.ignoreCase;
    const protocol = compile(p.protocol, canonProtocol, DEFAULT);
    const c = [
      protocol,
      compile(p.username, canonUsername, DEFAULT),
      compile(p.password, canonPassword, DEFAULT),
      isIPv6Pattern(p.hostname) ? compile(p.hostname, canonIPv6, HOSTNAME) : compile(p.hostname, canonHostname, HOSTNAME),
      compile(p.port, canonPort, DEFAULT),
      Object.keys(SPECIAL).some((s) => protocol[1].test(s))
        ? compile(p.pathname, canonPathname, { ...PATHNAME, ignoreCase: ic })
        : compile(p.pathname, canonOpaquePathname, { ...DEFAULT, ignoreCase: ic }),
      compile(p.search, canonSearch, { ...DEFAULT, ignoreCase: ic }),
      compile(p.hash, canonHash, { ...DEFAULT, ignoreCase: ic }),
    ];
    return c;
  };
  // input: a string (or URL) or a URLPatternInit; returns [input, init|null]
  const toInput = (input) => {
    if (input === undefined || input === null) return {};
    if (typeof input === 'object' && !internal.isURL(input)) return toInit(input);
    if (typeof input === 'object' || typeof input === 'string' || typeof input === 'number' || typeof input === 'boolean') return internal.toUSVString(input);
    throw new TypeError();
  };

  // https://urlpattern.spec.whatwg.org/#url-pattern-match
  const match = (c, input, baseURL) => {
    const inputs = [input];
    let values;
    if (typeof input !== 'string') {
      if (baseURL !== undefined) fail('a base URL with an init dictionary');
      let r;
      try { r = processInit(input, 'url', { protocol: '', username: '', password: '', hostname: '', port: '', pathname: '', search: '', hash: '' }); }
      catch (e) { if (e instanceof PatternError) return null; throw e; }
      values = COMPONENTS.map((k) => r[k]);
    } else {
      let base;
      if (baseURL !== undefined) {
        if (host.urlParse(baseURL, undefined) === null) return null;
        inputs.push(baseURL);
        base = baseURL;
      }
      let u = host.urlParse(input, base);
      let protocol;
      if (u === null && base === undefined) {
        // (workerd: a string that is not a URL is matched as a relative reference, with empty
        // protocol and, unless it has an authority, empty hostname)
        u = host.urlParse(input, 'relative:///');
        protocol = '';
      }
      if (u === null) return null;
      values = [protocol === undefined ? u[2].slice(0, -1) : protocol, u[3], u[4], u[6], u[7], u[8], u[9].slice(1), u[10].slice(1)];
    }
    const result = { inputs };
    for (let i = 0; i < 8; i++) {
      const m = c[i][1].exec(values[i]);
      if (m === null) return null;
      // (workerd lists the groups last to first)
      const groups = {};
      const names = c[i][2];
      for (let j = m.length - 1; j >= 1; j--) groups[names[j - 1]] = m[j];
      result[COMPONENTS[i]] = { input: values[i], groups };
    }
    return result;
  };

  class URLPattern {
    #c;
    constructor(input = undefined, baseURL = undefined, options = undefined) {
      try {
        input = input === undefined ? {} : input;
        if (typeof input !== 'string' && (typeof input !== 'object' || input === null)) throw ctorError();
        if (typeof baseURL !== 'string' && options === undefined) { options = baseURL; baseURL = undefined; }
        if (options === undefined || options === null) options = {};
        else if (typeof options !== 'object') throw ctorError();
        const init = typeof input === 'string' ? input : toInit(input);
        this.#c = create(init, baseURL === undefined ? undefined : internal.toUSVString(baseURL), options);
      } catch (e) {
        if (e instanceof PatternError || e instanceof TypeError) throw ctorError();
        throw e;
      }
    }
    test(input = undefined, baseURL = undefined) {
      try {
        return match(this.#c, toInput(input), baseURL === undefined ? undefined : internal.toUSVString(baseURL)) !== null;
      } catch (e) {
        if (e instanceof PatternError || e instanceof TypeError) throw new TypeError('Failed to test URLPattern');
        throw e;
      }
    }
    exec(input = undefined, baseURL = undefined) {
      try {
        return match(this.#c, toInput(input), baseURL === undefined ? undefined : internal.toUSVString(baseURL));
      } catch (e) {
        if (e instanceof PatternError || e instanceof TypeError) throw new TypeError('Failed to exec URLPattern');
        throw e;
      }
    }
    get protocol() { return this.#c[0][0]; }
    get username() { return this.#c[1][0]; }
    get password() { return this.#c[2][0]; }
    get hostname() { return this.#c[3][0]; }
    get port() { return this.#c[4][0]; }
    get pathname() { return this.#c[5][0]; }
    get search() { return this.#c[6][0]; }
    get hash() { return this.#c[7][0]; }
    get hasRegExpGroups() { return this.#c.some((x) => x[3]); }
  }
  Object.defineProperty(URLPattern.prototype, Symbol.toStringTag, { value: 'URLPattern', configurable: true });

  internal.require('url');
  internal.defineGlobal('URLPattern', URLPattern);
  internal.modules.urlpattern = { URLPattern };
})
