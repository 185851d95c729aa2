// console: formats arguments like workerd (util.inspect-ish) and hands lines to the host logger.
(function (internal, host) {
  'use strict';
  const inspect = (v, depth, seen) => {
    switch (typeof v) {
      case 'string': return depth === 0 ? v : JSON.stringify(v).replace(/^"|"$/g, "'");
      case 'number': return Object.is(v, -0) ? '-0' : String(v);
      case 'bigint': return `${v}n`;
      case 'undefined': return 'undefined';
      case 'boolean': return String(v);
      case 'symbol': return v.toString();
      case 'function': return v.name ? `[Function: ${v.name}]` : '[Function (anonymous)]';
    }
    if (v === null) return 'null';
    if (seen.includes(v)) return '[Circular *1]';
    if (v instanceof Error) return v.stack ? `${v.name}: ${v.message}\n${v.stack.replace(/\n$/, '')}`.replace(/^(.*)\n\1\n/, '$1\n') : `${v.name}: ${v.message}`;
    if (depth > 2) return Array.isArray(v) ? '[Array]' : '[Object]';
    seen = seen.concat([v]);
    if (Array.isArray(v)) {
      const parts = v.slice(0, 100).map((x) => inspect(x, depth + 1, seen));
      if (v.length > 100) parts.push(`... ${v.length - 100} more items`);
      return parts.length ? `[ ${parts.join(', ')} ]` : '[]';
    }
    if (ArrayBuffer.isView(v)) return `${v.constructor.name}(${v.length}) [ ${Array.from(v.slice(0, 50)).join(', ')}${v.length > 50 ? ', ...' : ''} ]`;
    if (v instanceof ArrayBuffer) return `ArrayBuffer { byteLength: ${v.byteLength} }`;
    if (v instanceof Map) return `Map(${v.size}) { ${[...v].map(([k, x]) => `${inspect(k, depth + 1, seen)} => ${inspect(x, depth + 1, seen)}`).join(', ')} }`;
    if (v instanceof Set) return `Set(${v.size}) { ${[...v].map((x) => inspect(x, depth + 1, seen)).join(', ')} }`;
    if (v instanceof Date) return isNaN(v) ? 'Invalid Date' : v.toISOString();
    if (v instanceof RegExp) return String(v);
    if (v instanceof Promise) return 'Promise { <pending> }';
    const ctor = v.constructor && v.constructor.name;
    const keys = Object.keys(v);
    const body = keys.map((k) => `${/^[A-Za-z_$][\w$]*$/.test(k) ? k : JSON.stringify(k)}: ${inspect(v[k], depth + 1, seen)}`);
    const prefix = ctor && ctor !== 'Object' ? `${ctor} ` : '';
    return body.length ? `${prefix}{ ${body.join(', ')} }` : `${prefix}{}`;
  };
  const format = (args) => {
    let out = [];
    let i = 0;
    if (typeof args[0] === 'string' && args[0].includes('%') && args.length > 1) {
      i = 1;
      const s = args[0].replace(/%[sdifjoOc%]/g, (m) => {
        if (m === '%%') return '%';
        if (i >= args.length) return m;
        const a = args[i++];
        switch (m) {
          case '%s': return typeof a === 'string' ? a : inspect(a, 1, []);
          case '%d': case '%i': return typeof a === 'bigint' ? `${a}n` : String(m === '%i' ? parseInt(a) : Number(a));
          case '%f': return String(parseFloat(a));
          case '%j': try { return JSON.stringify(a); } catch (e) { return '[Circular]'; }
          case '%c': return '';
          default: return inspect(a, 1, []);
        }
      });
      out.push(s);
    }
    for (; i < args.length; i++) out.push(inspect(args[i], 0, []));
    return out.join(' ');
  };
  const counts = new Map(), timers = new Map();
  const mk = (level) => (...args) => host.log(level, format(args));
  const console = {
    log: mk('log'), info: mk('info'), debug: mk('debug'), warn: mk('warn'), error: mk('error'), trace: mk('log'),
    dir: (v) => host.log('log', inspect(v, 0, [])),
    assert: (c, ...args) => { if (!c) host.log('error', 'Assertion failed' + (args.length ? ': ' + format(args) : '')); },
    count: (l = 'default') => { const n = (counts.get(l) || 0) + 1; counts.set(l, n); host.log('log', `${l}: ${n}`); },
    countReset: (l = 'default') => counts.delete(l),
    time: (l = 'default') => timers.set(l, performance.now()),
    timeEnd: (l = 'default') => { const t = timers.get(l); timers.delete(l); if (t !== undefined) host.log('log', `${l}: ${(performance.now() - t).toFixed(3)}ms`); },
    timeLog: (l = 'default', ...a) => { const t = timers.get(l); if (t !== undefined) host.log('log', `${l}: ${(performance.now() - t).toFixed(3)}ms` + (a.length ? ' ' + format(a) : '')); },
    group: () => {}, groupEnd: () => {}, groupCollapsed: () => {}, table: mk('log'),
  };
  internal.inspect = (v) => inspect(v, 0, []);
  internal.defineGlobal('console', console);
  internal.modules.console = { console };
})
