// R2 binding: the exact requests the binding sends and how it reads the answers.
// https://developers.cloudflare.com/r2/api/workers/workers-api-reference/ ; the expected
// requests and results were recorded from workerd 2026-11-17.
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
// workerd sends "https://fake-host"; workerd-py's Fetcher normalizes it to "https://fake-host/"
const norm = (u) => u.replace(/^https:\/\/fake-host(?=\?|$)/, 'https://fake-host/');
const utf8 = (s) => { let o = ''; for (const b of new TextEncoder().encode(s)) o += String.fromCharCode(b); return o; };
// an answer with N bytes of JSON metadata followed by the payload
const withMeta = (meta, payload = '', extra = {}) => {
  const m = utf8(JSON.stringify(meta));
  return { body: m + payload, headers: { 'cf-r2-metadata-size': String(m.length), ...(extra.headers || {}) }, status: extra.status };
};
const r2Error = (status, code, message, extra = {}) => ({ status, body: extra.body === undefined ? null : extra.body, headers: { 'cf-r2-error': JSON.stringify({ version: 1, v4code: code, message }), ...(extra.headers || {}) } });
const readReq = (r) => { eq(r.method, 'GET'); eq(norm(r.url), 'https://fake-host/'); deq(r.headers.map((h) => h[0]), ['cf-r2-request']); return JSON.parse(r.headers[0][1]); };
const writeReq = (r) => {
  eq(r.method, 'PUT'); eq(norm(r.url), 'https://fake-host/');
  deq(r.headers.map((h) => h[0]), ['cf-r2-metadata-size']);
  const n = Number(r.headers[0][1]);
  return [r.body.slice(0, n), r.body.slice(n)];
};
const one = async (env) => { const log = await takeLog(env); eq(log.length, 1, 'one request'); return log[0]; };

const FULL = {
  name: 'k', version: 'v1', size: 5, etag: 'e1', uploaded: 1700000000000,
  httpFields: { contentType: 'text/plain', contentLanguage: 'en', contentDisposition: 'inline', contentEncoding: 'identity', cacheControl: 'no-cache', cacheExpiry: 1700000000000 },
  customFields: [{ k: 'a', v: 'b' }], checksums: { 0: '00112233445566778899aabbccddeeff', 2: 'ab'.repeat(32) },
  range: { offset: 1, length: 3 }, storageClass: 'Standard',
};
const FULL_JSON = '{"storageClass":"Standard","range":{"offset":1,"length":3},"customMetadata":{"a":"b"},"httpMetadata":{"contentType":"text/plain","contentLanguage":"en","contentDisposition":"inline","contentEncoding":"identity","cacheControl":"no-cache","cacheExpiry":"2023-11-14T22:13:20.000Z"},"uploaded":"2023-11-14T22:13:20.000Z","checksums":{"md5":"00112233445566778899aabbccddeeff","sha256":"abababababababababababababababababababababababababababababababab"},"httpEtag":"\\"e1\\"","etag":"e1","size":5,"version":"v1","key":"k"}';
const KEYS = ['ssecKeyMd5', 'storageClass', 'range', 'customMetadata', 'httpMetadata', 'uploaded', 'checksums', 'httpEtag', 'etag', 'size', 'version', 'key'];

export const get = {
  async test(ctrl, env) {
    await takeLog(env);
    await respond(env, withMeta(FULL, 'hello'));
    const o = await env.R2.get('k');
    deq(readReq(await one(env)), { version: 1, method: 'get', object: 'k' });
    eq(Object.prototype.toString.call(o), '[object GetResult]');
    eq(JSON.stringify(o), FULL_JSON);
    deq(Object.keys(o), KEYS);
    const d = Object.getOwnPropertyDescriptor(o, 'key');
    deq([d.writable, d.enumerable], [false, true]);
    eq(typeof o.size, 'number');
    ok(o.uploaded instanceof Date && o.httpMetadata.cacheExpiry instanceof Date, 'dates');
    deq(o.range, { offset: 1, length: 3 });
    eq(Object.prototype.toString.call(o.checksums), '[object Checksums]');
    ok(o.checksums.md5 instanceof ArrayBuffer, 'md5 is an ArrayBuffer');
    eq(o.checksums.md5.byteLength, 16);
    eq(o.checksums.sha1, undefined);
    deq(Object.keys(o.checksums), ['sha512', 'sha384', 'sha256', 'sha1', 'md5']);
    const h = new Headers();
    o.writeHttpMetadata(h);
    deq([...h], [['cache-control', 'no-cache'], ['content-disposition', 'inline'], ['content-encoding', 'identity'],
      ['content-language', 'en'], ['content-type', 'text/plain'], ['expires', 'Tue, 14 Nov 2023 22:13:20 GMT']]);
    eq(o.bodyUsed, false);
    ok(o.body instanceof ReadableStream, 'body is a stream');
    eq(await o.text(), 'hello');
    eq(o.bodyUsed, true);
    await rejects(o.text(), 'TypeError', 'Body has already been used. It can only be used once. Use tee() first if you need to read it twice.');
    await respond(env, withMeta(FULL, 'hello'));
    deq([...new Uint8Array(await (await env.R2.get('k')).arrayBuffer())], [104, 101, 108, 108, 111]);
    await respond(env, withMeta(FULL, 'hello'));
    const b = await (await env.R2.get('k')).blob();
    eq(b.type, 'text/plain'); eq(b.size, 5);
    await respond(env, withMeta(FULL, '{"j":[1]}'));
    deq(await (await env.R2.get('k')).json(), { j: [1] });
    await respond(env, withMeta(FULL, 'xyz'));
    eq(await new Response((await env.R2.get('k')).body).text(), 'xyz');
    // metadata and payload split across the answer's chunks, large payload
    const big = 'z'.repeat(70000);
    await respond(env, withMeta({ name: 'big', version: 'v', size: big.length, etag: 'e', uploaded: 1 }, big));
    eq((await (await env.R2.get('big')).text()).length, big.length);
    eq((await takeLog(env)).length, 5);
  },
};

export const head = {
  async test(ctrl, env) {
    await takeLog(env);
    await respond(env, withMeta(FULL));
    const o = await env.R2.head('\u00e9\u20ac');
    deq(readReq(await one(env)), { version: 1, method: 'head', object: '\u00e9\u20ac' });
    eq(Object.prototype.toString.call(o), '[object HeadResult]');
    eq('body' in o, false);
    eq(typeof o.text, 'undefined');
    eq(JSON.stringify(o), FULL_JSON);
    // minimal metadata: 64-bit numbers may come as strings; missing metadata becomes {}
    await respond(env, withMeta({ name: 'k', version: 'v', size: '7', etag: 'e', uploaded: '1000', ssec: { keyMd5: 'abc' } }));
    const m = await env.R2.head('k');
    eq(JSON.stringify(m), '{"ssecKeyMd5":"abc","storageClass":"","customMetadata":{},"httpMetadata":{},"uploaded":"1970-01-01T00:00:01.000Z","checksums":{},"httpEtag":"\\"e\\"","etag":"e","size":7,"version":"v","key":"k"}');
    eq('range' in m, true);
    eq(m.range, undefined);
    await respond(env, r2Error(404, 10007, 'The specified key does not exist.'));
    eq(await env.R2.head('missing'), null);
    await rejects(env.R2.head(), 'TypeError', "Failed to execute 'head' on 'R2Bucket': parameter 1 is not of type 'string'.");
    eq((await takeLog(env)).length, 2);
  },
};

export const errors = {
  async test(ctrl, env) {
    await takeLog(env);
    await respond(env, r2Error(404, 10007, 'nf'));
    eq(await env.R2.get('missing'), null);
    await respond(env, r2Error(500, 10001, 'Internal boom'));
    await rejects(env.R2.get('boom'), 'Error', 'get: Internal boom (10001)');
    await respond(env, { status: 500 });
    await rejects(env.R2.head('noheader'), 'Error', 'head: Unspecified error (0)');
    await respond(env, r2Error(500, 10001, 'Internal boom'));
    await rejects(env.R2.put('boom', 'x'), 'Error', 'put: Internal boom (10001)');
    await respond(env, r2Error(404, 10007, 'nf'));
    eq(await env.R2.delete('missing'), undefined);
    await respond(env, r2Error(500, 10001, 'Internal boom'));
    await rejects(env.R2.delete('boom'), 'Error', 'delete: Internal boom (10001)');
    await respond(env, r2Error(404, 10007, 'nf'));
    await rejects(env.R2.list(), 'Error', 'list: nf (10007)', 'list does not treat "not found" specially');
    await respond(env, r2Error(400, 10020, 'bad name'));
    await rejects(env.R2.createMultipartUpload('k'), 'Error', 'createMultipartUpload: bad name (10020)');
    eq((await takeLog(env)).length, 8);
  },
};

export const preconditions = {
  async test(ctrl, env) {
    await takeLog(env);
    await respond(env, r2Error(412, 10031, 'precondition', withMeta({ name: 'pre', version: 'v', size: 3, etag: 'e', uploaded: 1700000000000 })));
    const o = await env.R2.get('pre', { onlyIf: { etagMatches: 'x' } });
    deq(readReq(await one(env)), { version: 1, method: 'get', object: 'pre', onlyIf: { etagMatches: [{ value: 'x', type: 'strong' }] } });
    eq(Object.prototype.toString.call(o), '[object HeadResult]', 'an object without a body');
    eq(JSON.stringify(o), '{"storageClass":"","customMetadata":{},"httpMetadata":{},"uploaded":"2023-11-14T22:13:20.000Z","checksums":{},"httpEtag":"\\"e\\"","etag":"e","size":3,"version":"v","key":"pre"}');
    await respond(env, r2Error(412, 10031, 'precondition'));
    eq(await env.R2.put('pre', 'x', { onlyIf: { etagDoesNotMatch: '*' } }), null);
    const [meta, payload] = writeReq(await one(env));
    eq(meta, '{"version":1,"method":"put","object":"pre","onlyIf":{"etagDoesNotMatch":[{"type":"wildcard"}]}}');
    eq(payload, 'x');
  },
};

export const getOptions = {
  async test(ctrl, env) {
    await takeLog(env);
    const cases = [
      [{ range: { offset: 1, length: 2 }, onlyIf: { etagMatches: 'abc', uploadedBefore: new Date(1700000000000) } },
        { range: { offset: '1', length: '2' }, onlyIf: { etagMatches: [{ value: 'abc', type: 'strong' }], uploadedBefore: '1700000000000' } }],
      [{ range: { suffix: 3 } }, { range: { suffix: '3' } }],
      [{ range: { length: 1 } }, { range: { length: '1' } }],
      [{ range: { offset: '3' } }, { range: { offset: '3' } }],
      [{ onlyIf: new Headers({ 'if-none-match': '"x", W/"y"' }), range: new Headers({ range: 'bytes=0-1' }) },
        { onlyIf: { etagDoesNotMatch: [{ value: 'x', type: 'strong' }, { value: 'y', type: 'weak' }] }, rangeHeader: 'bytes=0-1' }],
      [{ onlyIf: { etagDoesNotMatch: '*', uploadedAfter: new Date(5), secondsGranularity: true } },
        { onlyIf: { etagDoesNotMatch: [{ type: 'wildcard' }], uploadedAfter: '5', secondsGranularity: true } }],
      [{ onlyIf: new Headers({ 'if-match': '*', 'if-modified-since': 'Tue, 14 Nov 2023 22:13:20 GMT' }) },
        { onlyIf: { etagMatches: [{ type: 'wildcard' }], uploadedAfter: '1700000000000', secondsGranularity: true } }],
      [{ onlyIf: { secondsGranularity: true, uploadedAfter: 1000 }, range: { offset: 0 } },
        { range: { offset: '0' }, onlyIf: { uploadedAfter: '1000', secondsGranularity: true } }],
      [{ onlyIf: { secondsGranularity: true } }, { onlyIf: {} }],
      [{ range: {}, onlyIf: {}, ssecKey: 'ab'.repeat(32) }, { range: {}, onlyIf: {}, ssec: { key: 'ab'.repeat(32) } }],
    ];
    for (const [options, expected] of cases) {
      await respond(env, withMeta(FULL, 'hello'));
      await (await env.R2.get('k', options)).arrayBuffer();
      deq(readReq(await one(env)), { version: 1, method: 'get', object: 'k', ...expected }, JSON.stringify(expected));
    }
    await rejects(env.R2.get('k', { range: { offset: -1 } }), 'RangeError', 'Invalid range. Starting offset (-1) must be greater than or equal to 0.');
    await rejects(env.R2.get('k', { range: { offset: 1.5 } }), 'RangeError', 'Invalid range. Starting offset (1.5) must be an integer, not floating point.');
    await rejects(env.R2.get('k', { range: { length: -2 } }), 'RangeError', 'Invalid range. Length (-2) must be greater than or equal to 0.');
    await rejects(env.R2.get('k', { range: { suffix: 1, offset: 1 } }), 'TypeError', 'Suffix is incompatible with offset.');
    await rejects(env.R2.get('k', { range: { suffix: 1, length: 1 } }), 'TypeError', 'Suffix is incompatible with length.');
    await rejects(env.R2.get('k', { range: 5 }), 'TypeError', "Incorrect type for the 'range' field on 'GetOptions': the provided value is not of type 'Range or Headers'.");
    await rejects(env.R2.get('k', { onlyIf: { etagMatches: '"q"' } }), 'TypeError', 'Conditional ETag should not be wrapped in quotes ("q").');
    await rejects(env.R2.get('k', { onlyIf: { etagMatches: 5 } }), 'TypeError', "Incorrect type for the 'etagMatches' field on 'Conditional': the provided value is not of type 'string'.");
    await rejects(env.R2.get('k', { onlyIf: new Headers({ 'if-match': '"a" "b"' }) }), 'Error', 'Comma was expected to separate etags. Encountered a double quote character \'"\' instead. This would otherwise indicate the start of a new strong etag.');
    await rejects(env.R2.get('k', { onlyIf: new Headers({ 'if-match': '"a' }) }), 'Error', 'Unclosed double quote for Etag');
    await rejects(env.R2.get('k', { ssecKey: 'ab' }), 'Error', 'SSE-C Key must be 32 bytes in length');
    await rejects(env.R2.get('k', { ssecKey: 'XY'.repeat(32) }), 'Error', 'SSE-C Key has invalid format');
    await rejects(env.R2.get('k', 5), 'TypeError', "Failed to execute 'get' on 'R2Bucket': parameter 2 is not of type 'GetOptions'.");
    eq((await takeLog(env)).length, 0, 'invalid options send nothing');
  },
};

const PUT_META = { name: 'k', version: 'v1', size: 5, etag: 'e1', uploaded: 1700000000000, checksums: { 0: '00112233445566778899aabbccddeeff' } };

export const put = {
  async test(ctrl, env) {
    await takeLog(env);
    await respond(env, { body: JSON.stringify(PUT_META) });
    const p = await env.R2.put('k', 'hello', {
      httpMetadata: { contentType: 'text/plain', cacheExpiry: new Date(1700000000000) }, customMetadata: { a: 'b' },
      md5: '00112233445566778899aabbccddeeff',
    });
    let [meta, payload] = writeReq(await one(env));
    eq(meta, '{"version":1,"method":"put","object":"k","customFields":[{"k":"a","v":"b"}],"httpFields":{"contentType":"text/plain","cacheExpiry":"1700000000000"},"md5":"ABEiM0RVZneImaq7zN3u/w=="}');
    eq(payload, 'hello');
    eq(Object.prototype.toString.call(p), '[object HeadResult]');
    eq(JSON.stringify(p), '{"storageClass":"","customMetadata":{"a":"b"},"httpMetadata":{"contentType":"text/plain","cacheExpiry":"2023-11-14T22:13:20.000Z"},"uploaded":"2023-11-14T22:13:20.000Z","checksums":{"md5":"00112233445566778899aabbccddeeff"},"httpEtag":"\\"e1\\"","etag":"e1","size":5,"version":"v1","key":"k"}');
    const cases = [
      [new Uint8Array([1, 2]), { sha256: '00'.repeat(32) }, '"sha256":"' + '00'.repeat(32) + '"', '\x01\x02'],
      ['x', { sha1: new Uint8Array(20).buffer }, '"sha1":"' + '00'.repeat(20) + '"', 'x'],
      ['x', { md5: new Uint8Array(16).buffer }, '"md5":"AAAAAAAAAAAAAAAAAAAAAA=="', 'x'],
      ['x', { sha384: 'AB'.repeat(48), storageClass: 'InfrequentAccess' }, '"sha384":"' + 'ab'.repeat(48) + '","storageClass":"InfrequentAccess"', 'x'],
      ['x', { sha512: '01'.repeat(64) }, '"sha512":"' + '01'.repeat(64) + '"', 'x'],
      [null, { httpMetadata: new Headers({ 'content-type': 'a/b', expires: 'Tue, 14 Nov 2023 22:13:20 GMT', 'cache-control': 'x' }) }, '"httpFields":{"contentType":"a/b","cacheControl":"x","cacheExpiry":"1700000000000"}', ''],
      [new Blob(['ab']), {}, '', 'ab'],
      [new Uint16Array([1, 2]).subarray(1), {}, '', '\x02\x00'],
      ['v', { ssecKey: 'ab'.repeat(32), storageClass: 'Standard', customMetadata: {}, httpMetadata: {} }, '"customFields":[],"httpFields":{},"storageClass":"Standard","ssec":{"key":"' + 'ab'.repeat(32) + '"}', 'v'],
      ['v', { customMetadata: { '\u00e9': '\u20ac', n: 1 } }, '"customFields":[{"k":"\u00e9","v":"\u20ac"},{"k":"n","v":"1"}]', 'v'],
      ['v', { httpMetadata: { contentType: 5, cacheExpiry: 1000 } }, '"httpFields":{"contentType":"5","cacheExpiry":"1000"}', 'v'],
      ['v', { onlyIf: new Headers({ 'if-match': '"a", W/"b"', 'if-unmodified-since': 'garbage' }) }, '"onlyIf":{"etagMatches":[{"value":"a","type":"strong"},{"value":"b","type":"weak"}],"uploadedBefore":"0","secondsGranularity":true}', 'v'],
    ];
    for (const [value, options, fields, body] of cases) {
      await respond(env, { body: JSON.stringify(PUT_META) });
      await env.R2.put('k', value, options);
      [meta, payload] = writeReq(await one(env));
      eq(meta, utf8('{"version":1,"method":"put","object":"k"' + (fields ? ',' + fields : '') + '}'), JSON.stringify(options));
      eq(payload, body);
    }
    // a stream of known length
    const { readable, writable } = new FixedLengthStream(3);
    const w = writable.getWriter(); w.write(new Uint8Array([1, 2, 3])); w.close();
    await respond(env, { body: JSON.stringify(PUT_META) });
    await env.R2.put('k', readable);
    eq(writeReq(await one(env))[1], '\x01\x02\x03');
    // refused values and options (nothing is sent)
    const badValue = "Failed to execute 'put' on 'R2Bucket': parameter 2 is not of type 'JsReadableStream or ArrayBuffer or ArrayBufferView or string or Blob'.";
    await rejects(env.R2.put('k'), 'TypeError', badValue);
    await rejects(env.R2.put('k', 5), 'TypeError', badValue);
    await rejects(env.R2.put('k', {}), 'TypeError', badValue);
    await rejects(env.R2.put('k', 'x', { md5: 'zz' }), 'TypeError', 'MD5 is 32 hex characters, not 2');
    await rejects(env.R2.put('k', 'x', { md5: 'zz'.repeat(16) }), 'TypeError', "Provided MD5 wasn't a valid hex string");
    await rejects(env.R2.put('k', 'x', { sha1: new Uint8Array(3) }), 'TypeError', 'SHA-1 is 20 bytes, not 3');
    await rejects(env.R2.put('k', 'x', { sha256: 'a' }), 'TypeError', 'SHA-256 is 64 hex characters, not 1');
    await rejects(env.R2.put('k', 'x', { md5: '00'.repeat(16), sha1: '00'.repeat(20) }), 'TypeError', 'You cannot specify multiple hashing algorithms.');
    await rejects(env.R2.put('k', 'x', { customMetadata: 5 }), 'TypeError', "Incorrect type for the 'customMetadata' field on 'PutOptions': the provided value is not of type 'object'.");
    eq((await takeLog(env)).length, 0);
  },
};

export const del = {
  async test(ctrl, env) {
    await takeLog(env);
    await respond(env, { body: '{}' });
    eq(await env.R2.delete('k'), undefined);
    eq(writeReq(await one(env))[0], '{"version":1,"method":"delete","object":"k"}');
    await respond(env, { body: '{}' });
    await env.R2.delete(['k', 'k2', 5]);
    eq(writeReq(await one(env))[0], '{"version":1,"method":"delete","objects":["k","k2","5"]}');
    await respond(env, { body: '{}' });
    await env.R2.delete([]);
    eq(writeReq(await one(env))[0], '{"version":1,"method":"delete","objects":[]}');
    await rejects(env.R2.delete(), 'TypeError', "Failed to execute 'delete' on 'R2Bucket': parameter 1 is not of type 'string or Array'.");
  },
};

const LISTED = withMeta({
  objects: [{ name: 'a', version: 'v', size: 1, etag: 'e', uploaded: 1, httpFields: { contentType: 'x' } }, { name: 'b', version: 'v', size: '2', etag: 'e2', uploaded: '2' }],
  truncated: true, cursor: 'cur', delimitedPrefixes: ['p/'],
});

export const list = {
  async test(ctrl, env) {
    await takeLog(env);
    await respond(env, LISTED);
    const l = await env.R2.list();
    deq(readReq(await one(env)), { version: 1, method: 'list', newRuntime: true });
    eq(JSON.stringify(l), '{"objects":[{"storageClass":"","httpMetadata":{"contentType":"x"},"uploaded":"1970-01-01T00:00:00.001Z","checksums":{},"httpEtag":"\\"e\\"","etag":"e","size":1,"version":"v","key":"a"},{"storageClass":"","uploaded":"1970-01-01T00:00:00.002Z","checksums":{},"httpEtag":"\\"e2\\"","etag":"e2","size":2,"version":"v","key":"b"}],"truncated":true,"cursor":"cur","delimitedPrefixes":["p/"]}');
    eq(Object.prototype.toString.call(l.objects[0]), '[object HeadResult]');
    deq(Object.keys(l), ['objects', 'truncated', 'cursor', 'delimitedPrefixes']);
    // writeHttpMetadata needs the http metadata
    try { l.objects[1].writeHttpMetadata(new Headers()); throw new Error('no throw'); } catch (e) {
      eq(e.message, "HTTP metadata unknown for key `b`. Did you forget to add 'httpMetadata' to `include` when listing?");
    }
    await respond(env, LISTED);
    const l2 = await env.R2.list({ include: ['httpMetadata'] });
    deq(readReq(await one(env)), { version: 1, method: 'list', include: [0], newRuntime: true });
    deq(l2.objects[1].httpMetadata, {}, 'asked-for metadata defaults to {}');
    eq(l2.objects[1].customMetadata, undefined);
    await respond(env, LISTED);
    await env.R2.list({ prefix: 'p', delimiter: '/', cursor: 'c', limit: 5, include: ['httpMetadata', 'customMetadata'], startAfter: 's' });
    deq(readReq(await one(env)), { version: 1, method: 'list', limit: 5, prefix: 'p', cursor: 'c', delimiter: '/', startAfter: 's', include: [0, 1], newRuntime: true });
    await respond(env, LISTED);
    await env.R2.list({ limit: 0 });
    deq(readReq(await one(env)), { version: 1, method: 'list', limit: 0, include: [], newRuntime: true });
    await respond(env, LISTED);
    await env.R2.list({ prefix: '', cursor: '', delimiter: '', startAfter: '' });
    deq(readReq(await one(env)), { version: 1, method: 'list', prefix: '', cursor: '', delimiter: '', startAfter: '', include: [], newRuntime: true });
    await respond(env, withMeta({}));
    deq(await env.R2.list(), { objects: [], truncated: false, delimitedPrefixes: [] });
    await takeLog(env);
    await rejects(env.R2.list({ include: ['bad'] }), 'RangeError', 'Unsupported include value bad');
    await rejects(env.R2.list({ prefix: 5 }), 'TypeError', "Incorrect type for the 'prefix' field on 'ListOptions': the provided value is not of type 'string'.");
    await rejects(env.R2.list(5), 'TypeError', "Failed to execute 'list' on 'R2Bucket': parameter 1 is not of type 'ListOptions'.");
    eq((await takeLog(env)).length, 0);
  },
};

export const multipart = {
  async test(ctrl, env) {
    await takeLog(env);
    await respond(env, { body: '{"uploadId":"up1"}' });
    const mp = await env.R2.createMultipartUpload('big', { httpMetadata: { contentType: 'a/b' }, customMetadata: { x: 'y' } });
    eq(writeReq(await one(env))[0], '{"version":1,"method":"createMultipartUpload","object":"big","customFields":[{"k":"x","v":"y"}],"httpFields":{"contentType":"a/b"}}');
    eq(Object.prototype.toString.call(mp), '[object R2MultipartUpload]');
    eq(JSON.stringify(mp), '{"uploadId":"up1","key":"big"}');
    await respond(env, { body: '{"etag":"pe1"}' });
    const p1 = await mp.uploadPart(1, 'abc');
    deq(p1, { partNumber: 1, etag: 'pe1' });
    let [meta, payload] = writeReq(await one(env));
    eq(meta, '{"version":1,"method":"uploadPart","object":"big","uploadId":"up1","partNumber":1}');
    eq(payload, 'abc');
    await respond(env, { body: '{"etag":"pe2"}' });
    await mp.uploadPart(2, new Uint8Array([9]), { ssecKey: 'ab'.repeat(32) });
    [meta, payload] = writeReq(await one(env));
    eq(meta, '{"version":1,"method":"uploadPart","object":"big","uploadId":"up1","partNumber":2,"ssec":{"key":"' + 'ab'.repeat(32) + '"}}');
    eq(payload, '\x09');
    await respond(env, { body: JSON.stringify(FULL) });
    const done = await mp.complete([p1, { partNumber: 2, etag: 'x' }]);
    eq(writeReq(await one(env))[0], '{"version":1,"method":"completeMultipartUpload","object":"big","uploadId":"up1","parts":[{"etag":"pe1","part":1},{"etag":"x","part":2}]}');
    eq(JSON.stringify(done), FULL_JSON);
    await respond(env, { body: '{}' });
    eq(await mp.abort(), undefined);
    eq(writeReq(await one(env))[0], '{"version":1,"method":"abortMultipartUpload","object":"big","uploadId":"up1"}');
    await respond(env, r2Error(404, 10007, 'nf'));
    eq(await mp.abort(), undefined, 'aborting a missing upload is fine');
    await respond(env, r2Error(404, 10024, 'The specified multipart upload does not exist.'));
    await rejects(mp.uploadPart(3, 'x'), 'Error', 'uploadPart: The specified multipart upload does not exist. (10024)');
    await takeLog(env);
    const r = env.R2.resumeMultipartUpload('big', 'up9');
    eq(r.uploadId, 'up9'); eq(r.key, 'big');
    await rejects(mp.uploadPart(0, 'abc'), 'TypeError', 'Part number must be between 1 and 10000 (inclusive). Actual value was: 0');
    await rejects(mp.uploadPart(1), 'TypeError', "Failed to execute 'uploadPart' on 'R2MultipartUpload': parameter 2 is not of type 'JsReadableStream or ArrayBuffer or ArrayBufferView or string or Blob'.");
    await rejects(mp.complete([{ partNumber: 10001, etag: 'x' }]), 'TypeError', 'Part number must be between 1 and 10000 (inclusive). Actual value was: 10001');
    await rejects(mp.complete(5), 'TypeError', "Failed to execute 'complete' on 'R2MultipartUpload': parameter 1 is not of type 'Array'.");
    try { env.R2.resumeMultipartUpload('k'); throw new Error('no throw'); } catch (e) {
      eq(e.message, "Failed to execute 'resumeMultipartUpload' on 'R2Bucket': parameter 2 is not of type 'string'.");
    }
    eq((await takeLog(env)).length, 0);
  },
};

export const shape = {
  async test(ctrl, env) {
    eq(Object.prototype.toString.call(env.R2), '[object R2Bucket]');
    eq(JSON.stringify(env.R2), '{}');
    const proto = Object.getPrototypeOf(env.R2);
    deq(Object.keys(proto), ['head', 'get', 'put', 'createMultipartUpload', 'resumeMultipartUpload', 'delete', 'list']);
    try { new env.R2.constructor(); throw new Error('constructed'); } catch (e) { eq(e.message, 'Illegal constructor'); }
    for (const g of ['R2Bucket', 'R2Object', 'R2ObjectBody', 'HeadResult', 'GetResult']) eq(typeof globalThis[g], 'undefined', g);
  },
};
