// KV binding: the exact requests the binding sends and how it reads the answers.
// https://developers.cloudflare.com/kv/api/ ; the expected requests were recorded from workerd.
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

const respond = (env, r) => env.REC.fetch('http://control/respond', { method: 'POST', body: JSON.stringify(r) });
const takeLog = async (env) => (await env.REC.fetch('http://control/log')).json();
// workerd sends its URL string as is ("https://fake-host?..." for list, "^" unescaped in a key);
// workerd-py's Fetcher parses it as a WHATWG URL ("https://fake-host/?...", "%5E"): same URL.
const norm = (u) => u.replace(/^https:\/\/fake-host(?=\?|$)/, 'https://fake-host/').replace(/%5E/g, '^');
const throws = (f, name, message, m) => {
  try { f(); } catch (e) {
    if (name && e.name !== name) throw new Error(`${m || 'throws'}: expected ${name}, got ${e.name}: ${e.message}`);
    if (message !== undefined && e.message !== message) throw new Error(`${m || 'throws'}: expected message ${JSON.stringify(message)}, got ${JSON.stringify(e.message)}`);
    return e;
  }
  throw new Error(`${m || 'throws'}: did not throw`);
};
const one = async (env) => {
  const log = await takeLog(env);
  eq(log.length, 1, 'one request');
  return log[0];
};
const expectRequest = (req, method, url, headers, body = '') => {
  eq(req.method, method, 'method');
  eq(norm(req.url), norm(url), 'url');
  deq(req.headers, headers, 'headers');
  eq(req.body, body, 'body');
};
const flprod = (url) => ['cf-kv-flprod-405', url];

export const getText = {
  async test(ctrl, env) {
    await takeLog(env);
    await respond(env, { body: 'value', headers: { 'cf-kv-metadata': '{"m":2}' } });
    eq(await env.KV.get("a b/c?d#e%f+g&h=i~!*()'\u00e9"), 'value');
    const url = "https://fake-host/a%20b%2Fc%3Fd%23e%25f+g&h=i~!*()'%C3%A9?urlencoded=true";
    expectRequest(await one(env), 'GET', url, [flprod(url)]);
    // every printable ASCII character, the path-segment encoding of kj::Url
    let all = ''; for (let i = 0x20; i < 0x7f; i++) all += String.fromCharCode(i);
    await env.KV.get(all);
    const u2 = "https://fake-host/%20!%22%23$%25&'()*+,-.%2F0123456789:;%3C=%3E%3F@ABCDEFGHIJKLMNOPQRSTUVWXYZ[%5C]^_%60abcdefghijklmnopqrstuvwxyz%7B|%7D~?urlencoded=true";
    expectRequest(await one(env), 'GET', u2, [flprod(u2)]);
    // a non-string key is converted to a string
    await env.KV.get(5);
    eq((await one(env)).url, 'https://fake-host/5?urlencoded=true');
  },
};

export const getTypes = {
  async test(ctrl, env) {
    await takeLog(env);
    await respond(env, { body: '{"j":1}' });
    deq(await env.KV.get('k', 'json'), { j: 1 });
    await respond(env, { body: '{"j":2}' });
    deq(await env.KV.get('k', { type: 'json', cacheTtl: 120 }), { j: 2 });
    await respond(env, { body: 'abc' });
    const ab = await env.KV.get('k', 'arrayBuffer');
    ok(ab instanceof ArrayBuffer, 'arrayBuffer');
    deq([...new Uint8Array(ab)], [97, 98, 99]);
    await respond(env, { body: 'stream!' });
    const s = await env.KV.get('k', { type: 'stream' });
    ok(s instanceof ReadableStream, 'stream');
    eq(await new Response(s).text(), 'stream!');
    await respond(env, { body: 'text' });
    eq(await env.KV.get('k', { type: 'text', cacheTtl: 'abc' }), 'text');
    const log = await takeLog(env);
    deq(log.map((r) => r.url), [
      'https://fake-host/k?urlencoded=true', 'https://fake-host/k?urlencoded=true&cache_ttl=120',
      'https://fake-host/k?urlencoded=true', 'https://fake-host/k?urlencoded=true', 'https://fake-host/k?urlencoded=true&cache_ttl=0',
    ]);
    // an unknown type fails after the request (as workerd), a missing key still gives null
    await respond(env, { body: 'x' });
    await rejects(env.KV.get('k', 'blob'), 'TypeError', 'Unknown response type. Possible types are "text", "arrayBuffer", "json", and "stream".');
    await respond(env, { status: 404, body: '' });
    eq(await env.KV.get('k', 'blob'), null);
    eq((await takeLog(env)).length, 2);
  },
};

export const getWithMetadata = {
  async test(ctrl, env) {
    await takeLog(env);
    await respond(env, { body: '{"j":1}', headers: { 'cf-kv-metadata': '{"m":2}', 'cf-cache-status': 'HIT' } });
    deq(await env.KV.getWithMetadata('k', { type: 'json', cacheTtl: 60 }), { value: { j: 1 }, metadata: { m: 2 }, cacheStatus: 'HIT' });
    await respond(env, { body: 'plain' });
    deq(await env.KV.getWithMetadata('k'), { value: 'plain', metadata: null, cacheStatus: null });
    await respond(env, { status: 404, body: '' });
    deq(await env.KV.getWithMetadata('k'), { value: null, metadata: null, cacheStatus: null });
    await respond(env, { status: 410, body: 'gone' });
    deq(await env.KV.getWithMetadata('k', 'arrayBuffer'), { value: null, metadata: null, cacheStatus: null });
    await respond(env, { body: 'v', headers: { 'cf-kv-metadata': 'not json' } });
    await rejects(env.KV.getWithMetadata('k'), 'SyntaxError');
    const log = await takeLog(env);
    eq(log[0].url, 'https://fake-host/k?urlencoded=true&cache_ttl=60');
    eq(log.length, 5);
  },
};

export const errors = {
  async test(ctrl, env) {
    await takeLog(env);
    await respond(env, { status: 503, statusText: 'Nope', body: 'bad' });
    await rejects(env.KV.get('err'), 'Error', 'KV GET failed: 503 Nope');
    await respond(env, { status: 302, statusText: 'Found', headers: { location: 'https://elsewhere/' } });
    await rejects(env.KV.get('err'), 'Error', 'KV GET failed: 302 Found', 'redirects are not followed');
    await respond(env, { status: 500, statusText: 'Internal Server Error', body: '' });
    await rejects(env.KV.put('err', 'x'), 'Error', 'KV PUT failed: 500 Internal Server Error');
    await respond(env, { status: 403, statusText: 'Forbidden', body: '' });
    await rejects(env.KV.delete('err'), 'Error', 'KV DELETE failed: 403 Forbidden');
    await respond(env, { status: 400, statusText: 'Bad Request', body: '' });
    await rejects(env.KV.list(), 'Error', 'KV GET failed: 400 Bad Request');
    eq((await takeLog(env)).length, 5);
  },
};

export const keyValidation = {
  async test(ctrl, env) {
    await takeLog(env);
    await rejects(env.KV.get(''), 'TypeError', 'Key name cannot be empty.');
    await rejects(env.KV.get('.'), 'TypeError', '"." is not allowed as a key name.');
    await rejects(env.KV.put('..', 'x'), 'TypeError', '".." is not allowed as a key name.');
    await rejects(env.KV.delete(''), 'TypeError', 'Key name cannot be empty.');
    await rejects(env.KV.get('x'.repeat(513)), 'Error', 'KV GET failed: 414 UTF-8 encoded length of 513 exceeds key length limit of 512.');
    await rejects(env.KV.put('x'.repeat(600), 'v'), 'Error', 'KV PUT failed: 414 UTF-8 encoded length of 600 exceeds key length limit of 512.');
    await rejects(env.KV.delete('\u00e9'.repeat(257)), 'Error', 'KV DELETE failed: 414 UTF-8 encoded length of 514 exceeds key length limit of 512.');
    // getWithMetadata validates synchronously in workerd: a throw, not a rejection
    throws(() => env.KV.getWithMetadata('\u20ac'.repeat(171)), 'Error', 'KV GET failed: 414 UTF-8 encoded length of 513 exceeds key length limit of 512.');
    throws(() => env.KV.getWithMetadata(''), 'TypeError', 'Key name cannot be empty.');
    throws(() => env.KV.get(), 'TypeError', "Failed to execute 'get' on 'KvNamespace': parameter 1 is not of type 'string or Array'.");
    throws(() => env.KV.getWithMetadata(), 'TypeError', "Failed to execute 'getWithMetadata' on 'KvNamespace': parameter 1 is not of type 'Array or string'.");
    await rejects(env.KV.put(), 'TypeError', "Failed to execute 'put' on 'KvNamespace': parameter 1 is not of type 'string'.");
    await rejects(env.KV.put('k', 'v', 5), 'TypeError', "Failed to execute 'put' on 'KvNamespace': parameter 3 is not of type 'PutOptions'.");
    await rejects(env.KV.delete(), 'TypeError', "Failed to execute 'delete' on 'KvNamespace': parameter 1 is not of type 'string'.");
    await rejects(env.KV.put('k'), 'TypeError', "Failed to execute 'put' on 'KvNamespace': parameter 2 is not of type 'string or Object'.");
    eq((await takeLog(env)).length, 0, 'nothing was sent');
    await respond(env, { status: 404 });
    eq(await env.KV.get('x'.repeat(512)), null, '512 bytes is allowed');
    eq((await takeLog(env)).length, 1);
  },
};

export const list = {
  async test(ctrl, env) {
    await takeLog(env);
    await respond(env, {
      body: JSON.stringify({ keys: [{ name: 'a', metadata: '{"x":1}' }, { name: 'b', expiration: 123, metadata: { y: 2 } }], list_complete: false, cursor: 'next' }),
      headers: { 'cf-cache-status': 'MISS' },
    });
    deq(await env.KV.list({ prefix: 'p/ x', limit: 10, cursor: 'c+ /' }), {
      keys: [{ name: 'a', metadata: { x: 1 } }, { name: 'b', expiration: 123, metadata: { y: 2 } }],
      list_complete: false, cursor: 'next', cacheStatus: 'MISS',
    });
    const url = 'https://fake-host?key_count_limit=10&prefix=p%2F+x&cursor=c%2B+%2F';
    expectRequest(await one(env), 'GET', url, [flprod(url)]);
    await respond(env, { body: '{"keys":[],"list_complete":true}' });
    deq(await env.KV.list(), { keys: [], list_complete: true, cacheStatus: null });
    expectRequest(await one(env), 'GET', 'https://fake-host', [flprod('https://fake-host')]);
    // limit <= 0 and null prefix/cursor are not sent; an empty prefix is
    await respond(env, { body: '{"keys":[],"list_complete":true}' });
    await env.KV.list({ limit: -5, prefix: null, cursor: undefined });
    eq(norm((await one(env)).url), 'https://fake-host/');
    await respond(env, { body: '{"keys":[],"list_complete":true}' });
    await env.KV.list({ limit: 0, prefix: '' });
    eq(norm((await one(env)).url), 'https://fake-host/?prefix=');
    // www-form encoding of query values
    let all = ''; for (let i = 0x20; i < 0x7f; i++) all += String.fromCharCode(i);
    await respond(env, { body: '{"keys":[],"list_complete":true}' });
    await env.KV.list({ prefix: all + '\u00e9' });
    eq(norm((await one(env)).url), norm('https://fake-host/?prefix=+%21%22%23%24%25%26%27%28%29*%2B%2C-.%2F0123456789%3A%3B%3C%3D%3E%3F%40ABCDEFGHIJKLMNOPQRSTUVWXYZ%5B%5C%5D%5E_%60abcdefghijklmnopqrstuvwxyz%7B%7C%7D%7E%C3%A9'));
    await rejects(env.KV.list(5), 'TypeError', "Failed to execute 'list' on 'KvNamespace': parameter 1 is not of type 'ListOptions'.");
  },
};

export const put = {
  async test(ctrl, env) {
    await takeLog(env);
    eq(await env.KV.put('k', 'v', { expiration: 1999999999, metadata: { a: 1 } }), undefined);
    let url = 'https://fake-host/k?urlencoded=true&expiration=1999999999';
    expectRequest(await one(env), 'PUT', url, [flprod(url), ['cf-kv-metadata', '{"a":1}'], ['content-type', 'text/plain;charset=UTF-8']], 'v');
    await env.KV.put('k', new Uint8Array([1, 2, 3]), { expirationTtl: 60 });
    url = 'https://fake-host/k?urlencoded=true&expiration_ttl=60';
    expectRequest(await one(env), 'PUT', url, [flprod(url)], '\x01\x02\x03');
    await env.KV.put('k', new Uint16Array([1, 2]).subarray(1));
    eq((await one(env)).body, '\x02\x00', 'only the view');
    await env.KV.put('k', new Uint8Array([7]).buffer, { expiration: '100', expirationTtl: 1.7, metadata: null });
    url = 'https://fake-host/k?urlencoded=true&expiration=100&expiration_ttl=1';
    expectRequest(await one(env), 'PUT', url, [flprod(url)], '\x07');
    await env.KV.put('k', new ReadableStream({ start(c) { c.enqueue(new Uint8Array([65, 66])); c.close(); } }));
    url = 'https://fake-host/k?urlencoded=true';
    expectRequest(await one(env), 'PUT', url, [flprod(url)], 'AB');
    // primitives are strings; other objects are refused
    await env.KV.put('k', 5);
    eq((await one(env)).body, '5');
    await env.KV.put('k', null, { metadata: 'str' });
    const r = await one(env);
    eq(r.body, 'null');
    deq(r.headers[1], ['cf-kv-metadata', '"str"']);
    await rejects(env.KV.put('k', {}), 'TypeError', 'KV put() accepts only strings, ArrayBuffers, ArrayBufferViews, and ReadableStreams as values.');
    await rejects(env.KV.put('k', new Blob(['x'])), 'TypeError', 'KV put() accepts only strings, ArrayBuffers, ArrayBufferViews, and ReadableStreams as values.');
    eq((await takeLog(env)).length, 0);
    // metadata JSON with non-ASCII characters means the same JSON value on the other side
    await env.KV.put('k', 'v', { metadata: { n: '\u00e9\u20ac' } });
    deq(JSON.parse((await one(env)).headers[1][1]), { n: '\u00e9\u20ac' });
  },
};

export const del = {
  async test(ctrl, env) {
    await takeLog(env);
    eq(await env.KV.delete('d e/f'), undefined);
    let url = 'https://fake-host/d%20e%2Ff?urlencoded=true';
    expectRequest(await one(env), 'DELETE', url, [flprod(url)]);
    // encodeURIComponent's set, not the path set
    await env.KV.delete("sp$,;:@[]{}|^`<>\\\" \u00e9+&=~!*()'");
    url = "https://fake-host/sp%24%2C%3B%3A%40%5B%5D%7B%7D%7C%5E%60%3C%3E%5C%22%20%C3%A9%2B%26%3D~!*()'?urlencoded=true";
    expectRequest(await one(env), 'DELETE', url, [flprod(url)]);
  },
};

export const bulk = {
  async test(ctrl, env) {
    await takeLog(env);
    await respond(env, { body: '{"a":"v-a","none":null}' });
    const m = await env.KV.get(['a', 'none']);
    ok(m instanceof Map, 'a Map');
    deq([...m], [['a', 'v-a'], ['none', null]]);
    const url = 'https://fake-host/bulk/get';
    expectRequest(await one(env), 'POST', url, [flprod(url), ['content-type', 'application/json']], '{"keys":["a","none"]}');
    await respond(env, { body: '{"a":{"k":"a"}}' });
    deq([...await env.KV.get(['a'], 'json')], [['a', { k: 'a' }]]);
    eq((await one(env)).body, '{"keys":["a"],"type":"json"}');
    await respond(env, { body: '{"a":{"value":"x","metadata":{"m":1}}}' });
    deq([...await env.KV.getWithMetadata(['a', 'b'], { cacheTtl: 100 })], [['a', { value: 'x', metadata: { m: 1 } }]]);
    eq((await one(env)).body, '{"keys":["a","b"],"withMetadata":true,"cacheTtl":"100"}');
    await respond(env, { status: 500, statusText: 'Oops' });
    await rejects(env.KV.get(['a']), 'Error', 'KV GET_BULK failed: 500 Oops');
    eq((await takeLog(env)).length, 1);
  },
};

export const shape = {
  async test(ctrl, env) {
    eq(Object.prototype.toString.call(env.KV), '[object KvNamespace]');
    eq(JSON.stringify(env.KV), '{}');
    deq(Object.keys(env.KV), []);
    const proto = Object.getPrototypeOf(env.KV);
    for (const m of ['get', 'list', 'put', 'getWithMetadata', 'delete']) {
      eq(typeof proto[m], 'function', m);
      eq(Object.getOwnPropertyDescriptor(proto, m).enumerable, true, m + ' is enumerable');
    }
    try { new env.KV.constructor(); throw new Error('constructed'); } catch (e) { eq(e.name, 'TypeError'); eq(e.message, 'Illegal constructor'); }
    eq(typeof globalThis.KvNamespace, 'undefined', 'not a global');
  },
};
