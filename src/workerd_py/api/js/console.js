// console: formats arguments as workerd does (Node's util.inspect conventions: depth 2, lines
// broken at 80 columns, arrays of more than 6 short items in columns) and hands lines to the
// host logger.
(function (internal, host) {
  'use strict';
  const BREAK = 80, DEPTH = 2, MAX_ITEMS = 100;
  const IDENT = /^[a-zA-Z_][a-zA-Z_0-9]*$/;
  const ESC = { '\b': '\\b', '\t': '\\t', '\n': '\\n', '\f': '\\f', '\r': '\\r', '\\': '\\\\' };
  // a quoted string: single quotes, or double quotes / backticks when that avoids escaping
  const quote = (s) => {
    let q = "'";
    if (s.includes("'")) { if (!s.includes('"')) q = '"'; else if (!s.includes('`') && !s.includes('${')) q = '`'; }
    const body = s.replace(/[\x00-\x1f\x7f\\]|['"`]/g, (c) => {
      if (c === q) return '\\' + c;
      if (c === "'" || c === '"' || c === '`') return c;
      return ESC[c] || '\\x' + c.charCodeAt(0).toString(16).padStart(2, '0');
    });
    return q + body + q;
  };
  const fnName = (f) => {
    const src = Function.prototype.toString.call(f);
    const ctor = Object.getPrototypeOf(f);
    if (src.startsWith('class')) {
      const sup = Object.getPrototypeOf(f);
      return `[class ${f.name || '(anonymous)'}${sup && sup !== Function.prototype && sup.name ? ` extends ${sup.name}` : ''}]`;
    }
    let kind = 'Function';
    const tag = ctor && ctor[Symbol.toStringTag];
    if (tag === 'AsyncFunction' || tag === 'GeneratorFunction' || tag === 'AsyncGeneratorFunction') kind = tag;
    return f.name ? `[${kind}: ${f.name}]` : `[${kind} (anonymous)]`;
  };
  const errorText = (e) => {
    const head = `${e.name}: ${e.message}`;
    const stack = typeof e.stack === 'string' ? e.stack.replace(/\n$/, '') : '';
    if (stack === '') return head;
    return stack.startsWith(head) ? stack : `${head}\n${stack}`;
  };

  // custom presentations: prototype -> (obj) => [name, [[key, value, isMapEntry], ...]]
  if (internal.inspectors === undefined) internal.inspectors = new Map();
  const inspectorOf = (proto) => internal.inspectors.get(proto);
  const formatKey = (k) => (typeof k === 'symbol' ? `[${k.toString()}]` : IDENT.test(k) ? k : quote(k));
  // https://nodejs.org/api/util.html#utilinspectobject-options (a subset)
  const formatValue = (ctx, v, depth, top) => {
    switch (typeof v) {
      case 'string': return top ? v : quote(v);
      case 'number': return Object.is(v, -0) ? '-0' : String(v);
      case 'bigint': return `${v}n`;
      case 'undefined': return 'undefined';
      case 'boolean': return String(v);
      case 'symbol': return v.toString();
      case 'function': return fnName(v);
    }
    if (v === null) return 'null';
    if (ctx.seen.includes(v)) {
      let i = ctx.circular.get(v);
      if (i === undefined) { i = ctx.circular.size + 1; ctx.circular.set(v, i); }
      return `[Circular *${i}]`;
    }
    return formatRaw(ctx, v, depth);
  };
  const formatRaw = (ctx, v, depth) => {
    if (v instanceof Error) return errorText(v);
    if (v instanceof Date) return isNaN(v) ? 'Invalid Date' : v.toISOString();
    if (v instanceof RegExp) return String(v);
    const proto = Object.getPrototypeOf(v);
    const ctorName = proto === null ? null : (proto.constructor && proto.constructor.name) || null;
    const prefix = (fallback, size) => {
      if (ctorName === null) return `[${fallback}${size}: null prototype] `;
      return ctorName !== fallback || size !== '' ? `${ctorName}${size} ` : '';
    };
    let braces, output = [], array = false, typed = null, generic = false;
    if (Array.isArray(v)) {
      braces = [`${prefix('Array', '')}[`, ']'];
      if (ctorName === 'Array') braces[0] = '[';
      array = true;
    } else if (ArrayBuffer.isView(v) && !(v instanceof DataView)) {
      braces = [`${ctorName}(${v.length}) [`, ']'];
      array = true; typed = v;
    } else if (v instanceof Map) braces = [`${prefix('Map', `(${v.size})`)}{`, '}'];
    else if (v instanceof Set) braces = [`${prefix('Set', `(${v.size})`)}{`, '}'];
    else if (v instanceof ArrayBuffer) braces = ['ArrayBuffer {', '}'];
    else if (v instanceof Promise) return 'Promise { <pending> }';
    else { braces = [`${ctorName === null ? '[Object: null prototype] ' : ctorName !== 'Object' ? `${ctorName} ` : ''}{`, '}']; generic = true; }
    // objects of the runtime's API classes show their attributes (the prototype's getters);
    // an API may register its own presentation in internal.inspectors
    const platform = generic && proto !== null && Object.hasOwn(proto, Symbol.toStringTag) && typeof proto[Symbol.toStringTag] === 'string';
    const keys = Object.keys(v);
    if (depth > DEPTH) {
      if (array) return `[${ctorName || 'Array'}]`;
      return `[${ctorName || 'Object'}]`;
    }
    ctx.seen.push(v);
    ctx.indent += 2;
    const child = (x) => formatValue(ctx, x, depth + 1, false);
    if (array) {
      const len = v.length, max = Math.min(len, MAX_ITEMS);
      let holes = 0;
      const flushHoles = () => { if (holes) { output.push(`<${holes} empty item${holes > 1 ? 's' : ''}>`); holes = 0; } };
      for (let i = 0; i < max; i++) {
        if (typed === null && !Object.hasOwn(v, i)) { holes++; continue; }
        flushHoles();
        output.push(child(v[i]));
      }
      flushHoles();
      if (len > max) output.push(`... ${len - max} more item${len - max > 1 ? 's' : ''}`);
    } else if (v instanceof Map) {
      for (const [k, x] of v) output.push(`${child(k)} => ${child(x)}`);
    } else if (v instanceof Set) {
      for (const x of v) output.push(child(x));
    } else if (v instanceof ArrayBuffer) {
      const u8 = new Uint8Array(v, 0, Math.min(v.byteLength, 50));
      let hex = Array.from(u8, (b) => b.toString(16).padStart(2, '0')).join(' ');
      if (v.byteLength > 50) hex += ` ... ${v.byteLength - 50} more byte${v.byteLength - 50 > 1 ? 's' : ''}`;
      output.push(`[Uint8Contents]: <${hex}>`, `byteLength: ${child(v.byteLength)}`);
    }
    const custom = platform ? inspectorOf(proto) : undefined;
    if (custom !== undefined) {
      const [name, entries] = custom(v);
      braces[0] = `${name} {`;
      for (const [k, x, raw] of entries) output.push(raw ? `${k} => ${child(x)}`.replace(/^(.*) => /, (m, a) => `${quote(a)} => `) : `${k}: ${child(x)}`);
    } else if (platform) {
      const seenKeys = new Set();
      for (let p = proto; p !== null && p !== Object.prototype; p = Object.getPrototypeOf(p)) {
        for (const k of Object.getOwnPropertyNames(p)) {
          const d = Object.getOwnPropertyDescriptor(p, k);
          if (seenKeys.has(k) || typeof d.get !== 'function') continue;
          seenKeys.add(k);
          let x;
          try { x = d.get.call(v); } catch (e) { continue; }
          output.push(`${formatKey(k)}: ${child(x)}`);
        }
      }
    } else if (!(v instanceof ArrayBuffer)) {
      const plain = proto === Object.prototype || proto === null;
      for (const k of keys) {
        if (array && /^(0|[1-9][0-9]*)$/.test(k)) continue;
        const d = Object.getOwnPropertyDescriptor(v, k);
        const val = d.get || d.set ? (d.get && d.set ? '[Getter/Setter]' : d.get ? '[Getter]' : '[Setter]') : child(d.value);
        output.push(`${formatKey(k)}: ${val}`);
      }
      // (symbol-keyed properties of class instances are left out: the API classes keep their
      // internal state there)
      for (const s of plain ? Object.getOwnPropertySymbols(v) : []) {
        const d = Object.getOwnPropertyDescriptor(v, s);
        if (d.enumerable) output.push(`${formatKey(s)}: ${d.get ? '[Getter]' : child(d.value)}`);
      }
    }
    ctx.indent -= 2;
    ctx.seen.pop();
    let base = '';
    const ref = ctx.circular.get(v);
    if (ref !== undefined) base = `<ref *${ref}>`;
    if (output.length === 0) return `${base ? base + ' ' : ''}${braces[0]}${braces[1]}`.replace(/ \{\}$/, ' {}');
    return reduce(ctx, output, base, braces, array, typed || v);
  };
  // Node's groupArrayElements: more than 6 entries go in aligned columns
  const group = (ctx, output, value) => {
    let total = 0, maxLen = 0;
    let n = output.length;
    if (output.length > 0 && output[output.length - 1].startsWith('... ') && / more items?$/.test(output[output.length - 1])) n--;
    const lens = [];
    for (let i = 0; i < n; i++) { const l = output[i].length; lens.push(l); total += l + 2; if (l > maxLen) maxLen = l; }
    const actualMax = maxLen + 2;
    if (actualMax * 3 + ctx.indent < BREAK && (total / actualMax > 5 || maxLen <= 6)) {
      const bias = Math.sqrt(actualMax - total / output.length);
      const biasedMax = Math.max(actualMax - 3 - bias, 1);
      const columns = Math.min(Math.round(Math.sqrt(2.5 * biasedMax * n) / biasedMax), Math.floor((BREAK - ctx.indent) / actualMax), 12, 15);
      if (columns <= 1) return output;
      const widths = [];
      for (let i = 0; i < columns; i++) {
        let w = 0;
        for (let j = i; j < n; j += columns) if (lens[j] > w) w = lens[j];
        widths.push(w + 2);
      }
      let numeric = true;
      for (let i = 0; i < n; i++) if (typeof value[i] !== 'number' && typeof value[i] !== 'bigint') { numeric = false; break; }
      const out = [];
      for (let i = 0; i < n; i += columns) {
        const last = Math.min(i + columns, n) - 1;
        let line = '';
        for (let j = i; j < last; j++) line += numeric ? `${output[j]}, `.padStart(widths[j - i]) : `${output[j]}, `.padEnd(widths[j - i]);
        line += numeric ? output[last].padStart(widths[last - i] - 2) : output[last];
        out.push(line);
      }
      if (n < output.length) out.push(output[n]);
      return out;
    }
    return output;
  };
  const reduce = (ctx, output, base, braces, array, value) => {
    const entries = output.length;
    if (array && entries > 6) output = group(ctx, output, value);
    if (entries === output.length) {
      const start = output.length + ctx.indent + braces[0].length + base.length + 10;
      let total = output.length + start;
      let fits = total + output.length <= BREAK;
      for (let i = 0; fits && i < output.length; i++) { total += output[i].length; if (total > BREAK) fits = false; }
      if (fits) {
        const joined = output.join(', ');
        if (!joined.includes('\n')) return `${base ? base + ' ' : ''}${braces[0]} ${joined} ${braces[1]}`;
      }
    }
    const ind = '\n' + ' '.repeat(ctx.indent);
    return `${base ? base + ' ' : ''}${braces[0]}${ind}  ${output.join(`,${ind}  `)}${ind}${braces[1]}`;
  };
  const inspect = (v, top = false) => formatValue({ seen: [], circular: new Map(), indent: 0 }, v, 0, top);

  const format = (args) => {
    const out = [];
    let i = 0;
    if (typeof args[0] === 'string' && args[0].includes('%') && args.length > 1) {
      i = 1;
      const s = args[0].replace(/%[sdifjoOc%]/g, (m) => {
        if (m === '%%') return '%';
        if (i >= args.length) return m;
        const a = args[i++];
        switch (m) {
          case '%s': return typeof a === 'string' ? a : typeof a === 'bigint' ? `${a}n` : typeof a === 'object' && a !== null ? inspect(a) : String(a);
          case '%d': return typeof a === 'bigint' ? `${a}n` : typeof a === 'object' ? 'NaN' : String(Number(a));
          case '%i': return typeof a === 'bigint' ? `${a}n` : String(parseInt(a));
          case '%f': return String(parseFloat(a));
          case '%j': try { return JSON.stringify(a); } catch (e) { return '[Circular]'; }
          case '%c': return '';
          default: return inspect(a);
        }
      });
      out.push(s);
    }
    for (; i < args.length; i++) out.push(inspect(args[i], true));
    return out.join(' ');
  };
  const counts = new Map(), timers = new Map();
  const mk = (level) => (...args) => host.log(level, format(args));
  const console = {
    log: mk('log'), info: mk('info'), debug: mk('debug'), warn: mk('warn'), error: mk('error'), trace: mk('log'),
    dir: (v) => host.log('log', inspect(v)),
    assert: (c, ...args) => { if (!c) host.log('error', 'Assertion failed' + (args.length ? ': ' + format(args) : '')); },
    count: (l = 'default') => { const n = (counts.get(l) || 0) + 1; counts.set(l, n); host.log('log', `${l}: ${n}`); },
    countReset: (l = 'default') => counts.delete(l),
    time: (l = 'default') => timers.set(l, Date.now()),
    timeEnd: (l = 'default') => { const t = timers.get(l); timers.delete(l); if (t !== undefined) host.log('log', `${l}: ${(Date.now() - t).toFixed(3)}ms`); },
    timeLog: (l = 'default', ...a) => { const t = timers.get(l); if (t !== undefined) host.log('log', `${l}: ${(Date.now() - t).toFixed(3)}ms` + (a.length ? ' ' + format(a) : '')); },
    group: () => {}, groupEnd: () => {}, groupCollapsed: () => {}, table: mk('log'),
  };
  internal.inspect = (v) => inspect(v);
  internal.defineGlobal('console', console);
  internal.modules.console = { console };
})
