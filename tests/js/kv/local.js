// The local KV backend (a kvNamespace binding naming a writable disk service): what a worker
// sees, with Cloudflare's limits. Each test uses its own key prefix.
import { eq, ok } from './assert.js';
const deq = (a, b, m) => eq(JSON.stringify(a), JSON.stringify(b), m);
const rejects = async (p, name, message, m) => {
  try { await p; } catch (e) {
    if (name && e.name !== name) throw new Error(`${m || 'rejects'}: expected ${name}, got ${e.name}: ${e.message}`);
    if (message !== undefined && e.message !== message) throw new Error(`${m || 'rejects'}: expected message ${JSON.stringify(message)}, got ${JSON.stringify(e.message)}`);
    return e;
  }
  throw new Error(`${m || 'rejects'}: did not reject`);
};

export const roundtrip = {
  async test(ctrl, { KV }) {
    eq(await KV.get('rt/missing'), null);
    await KV.put('rt/text', 'h\u00e9llo');
    eq(await KV.get('rt/text'), 'h\u00e9llo');
    deq([...new Uint8Array(await KV.get('rt/text', 'arrayBuffer'))], [104, 195, 169, 108, 108, 111]);
    eq(await new Response(await KV.get('rt/text', { type: 'stream' })).text(), 'h\u00e9llo');
    await KV.put('rt/json', JSON.stringify({ a: [1, 2] }));
    deq(await KV.get('rt/json', 'json'), { a: [1, 2] });
    await KV.put('rt/bytes', new Uint8Array([0, 1, 255]));
    deq([...new Uint8Array(await KV.get('rt/bytes', 'arrayBuffer'))], [0, 1, 255]);
    await KV.put('rt/stream', new ReadableStream({ start(c) { c.enqueue(new Uint8Array([65])); c.enqueue(new Uint8Array([66])); c.close(); } }));
    eq(await KV.get('rt/stream'), 'AB');
    await KV.put('rt/text', 'second');
    eq(await KV.get('rt/text'), 'second', 'overwritten');
    await KV.delete('rt/text');
    eq(await KV.get('rt/text'), null);
    await KV.delete('rt/text');
    const big = 'x'.repeat(3 * 1024 * 1024);
    await KV.put('rt/big', big);
    eq((await KV.get('rt/big')).length, big.length);
    eq(await KV.get('rt/big', { cacheTtl: 60 }) === big, true);
  },
};

export const metadata = {
  async test(ctrl, { KV }) {
    await KV.put('md/a', 'v', { metadata: { n: 1, s: '\u00e9\u20ac' } });
    deq(await KV.getWithMetadata('md/a'), { value: 'v', metadata: { n: 1, s: '\u00e9\u20ac' }, cacheStatus: null });
    await KV.put('md/a', 'w');
    deq(await KV.getWithMetadata('md/a', 'json').catch((e) => e.name), 'SyntaxError');
    deq(await KV.getWithMetadata('md/a'), { value: 'w', metadata: null, cacheStatus: null }, 'a put without metadata drops it');
    deq(await KV.getWithMetadata('md/none'), { value: null, metadata: null, cacheStatus: null });
    await rejects(KV.put('md/big', 'v', { metadata: { x: 'y'.repeat(1100) } }), 'Error', 'KV PUT failed: 413 Payload Too Large');
  },
};

export const keys = {
  async test(ctrl, { KV }) {
    const names = ['k/a b', 'k/slash/inside', 'k/q?#%&=+', 'k/\u00e9', 'k/\u20ac', 'k/\ud83d\ude00', 'k/^|[]', 'k/..', 'k/.'];
    for (const n of names) await KV.put(n, 'v:' + n);
    for (const n of names) eq(await KV.get(n), 'v:' + n, n);
    const listed = (await KV.list({ prefix: 'k/' })).keys.map((k) => k.name);
    // UTF-8 byte order
    const utf8 = (s) => [...new TextEncoder().encode(s)];
    const sorted = names.slice().sort((a, b) => { const x = utf8(a), y = utf8(b); for (let i = 0; i < Math.min(x.length, y.length); i++) if (x[i] !== y[i]) return x[i] - y[i]; return x.length - y.length; });
    deq(listed, sorted);
    await KV.put('x'.repeat(512), 'max');
    eq(await KV.get('x'.repeat(512)), 'max');
    for (const n of names) await KV.delete(n);
    eq((await KV.list({ prefix: 'k/' })).keys.length, 0);
  },
};

export const list = {
  async test(ctrl, { KV }) {
    for (let i = 0; i < 25; i++) await KV.put(`ls/${String(i).padStart(2, '0')}`, 'v', i % 5 === 0 ? { metadata: { i } } : undefined);
    await KV.put('lsx', 'other prefix');
    const all = await KV.list({ prefix: 'ls/' });
    eq(all.keys.length, 25);
    eq(all.list_complete, true);
    eq('cursor' in all, false);
    eq(all.cacheStatus, null);
    deq(all.keys[0], { name: 'ls/00', metadata: { i: 0 } });
    deq(all.keys[1], { name: 'ls/01' });
    const seen = [];
    let cursor;
    for (let page = 0; ; page++) {
      const r = await KV.list({ prefix: 'ls/', limit: 10, cursor });
      seen.push(...r.keys.map((k) => k.name));
      if (r.list_complete) { eq(page, 2); break; }
      eq(r.keys.length, 10);
      ok(typeof r.cursor === 'string' && r.cursor.length > 0, 'a cursor');
      cursor = r.cursor;
    }
    deq(seen, all.keys.map((k) => k.name));
    await rejects(KV.list({ limit: 1001 }), 'Error', 'KV GET failed: 400 Bad Request');
  },
};

export const expiration = {
  async test(ctrl, { KV }) {
    const now = Math.floor(Date.now() / 1000);
    await KV.put('exp/ttl', 'v', { expirationTtl: 60 });
    await KV.put('exp/abs', 'v', { expiration: now + 3600, metadata: { m: 1 } });
    eq(await KV.get('exp/ttl'), 'v');
    const keys = (await KV.list({ prefix: 'exp/' })).keys;
    eq(keys[0].name, 'exp/abs'); eq(keys[0].expiration, now + 3600); deq(keys[0].metadata, { m: 1 });
    ok(Math.abs(keys[1].expiration - (now + 60)) <= 2, 'ttl expiration');
    await rejects(KV.put('exp/short', 'v', { expirationTtl: 30 }), 'Error', 'KV PUT failed: 400 Bad Request');
    await rejects(KV.put('exp/past', 'v', { expiration: now - 10 }), 'Error', 'KV PUT failed: 400 Bad Request');
    await rejects(KV.get('exp/ttl', { cacheTtl: 30 }), 'Error', 'KV GET failed: 400 Bad Request');
    eq(await KV.get('exp/short'), null);
  },
};

export const bulk = {
  async test(ctrl, { KV }) {
    await KV.put('bk/a', '{"n":1}', { metadata: { m: 'a' } });
    await KV.put('bk/b', 'plain');
    deq([...await KV.get(['bk/a', 'bk/b', 'bk/none'])], [['bk/a', '{"n":1}'], ['bk/b', 'plain'], ['bk/none', null]]);
    deq([...await KV.get(['bk/a'], 'json')], [['bk/a', { n: 1 }]]);
    deq([...await KV.getWithMetadata(['bk/a', 'bk/b'])], [['bk/a', { value: '{"n":1}', metadata: { m: 'a' } }], ['bk/b', { value: 'plain', metadata: null }]]);
    await rejects(KV.get(['bk/b'], 'json'), 'Error', 'KV GET_BULK failed: 400 Bad Request');
    await rejects(KV.get(['bk/a'], 'arrayBuffer'), 'Error', 'KV GET_BULK failed: 400 Bad Request');
    const many = []; for (let i = 0; i < 101; i++) many.push('bk/' + i);
    await rejects(KV.get(many), 'Error', 'KV GET_BULK failed: 400 Bad Request');
  },
};

export const readOnly = {
  async test(ctrl, { RO }) {
    eq(await RO.get('anything'), null);
    deq(await RO.list(), { keys: [], list_complete: true, cacheStatus: null });
    await rejects(RO.put('k', 'v'), 'Error', 'KV PUT failed: 405 Method Not Allowed');
    await rejects(RO.delete('k'), 'Error', 'KV DELETE failed: 405 Method Not Allowed');
  },
};

// Survives restarts: the first run stores the value, later runs (same directory) read it.
export const persist = {
  async test(ctrl, { KV }) {
    const v = await KV.get('persist/key');
    if (v === null) await KV.put('persist/key', 'saved', { metadata: { run: 1 } });
    else eq(v, 'saved');
  },
};
