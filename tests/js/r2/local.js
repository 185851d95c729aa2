// The local R2 backend (an r2Bucket binding naming a writable disk service): R2's behaviour as
// documented at https://developers.cloudflare.com/r2/api/workers/workers-api-reference/
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
const hex = (ab) => [...new Uint8Array(ab)].map((b) => b.toString(16).padStart(2, '0')).join('');
const digest = async (alg, s) => hex(await crypto.subtle.digest(alg, new TextEncoder().encode(s)));

export const roundtrip = {
  async test(ctrl, { R2 }) {
    const before = Date.now();
    const put = await R2.put('rt/a.txt', 'hello', { httpMetadata: { contentType: 'text/plain', cacheExpiry: new Date(1700000000000) }, customMetadata: { who: '\u00e9' } });
    eq(put.key, 'rt/a.txt');
    eq(put.size, 5);
    eq(put.etag, '5d41402abc4b2a76b9719d911017c592', 'etag = MD5 hex');
    eq(put.httpEtag, '"5d41402abc4b2a76b9719d911017c592"');
    ok(/^[0-9a-f]{32}$/.test(put.version), 'version');
    ok(put.uploaded.getTime() >= before - 1000 && put.uploaded.getTime() <= Date.now() + 1000, 'uploaded now');
    eq(hex(put.checksums.md5), put.etag);
    eq(put.storageClass, 'Standard');
    const o = await R2.get('rt/a.txt');
    eq(await o.text(), 'hello');
    eq(o.etag, put.etag); eq(o.version, put.version); eq(o.uploaded.getTime(), put.uploaded.getTime());
    deq(o.httpMetadata, { contentType: 'text/plain', cacheExpiry: '2023-11-14T22:13:20.000Z' });
    deq(o.customMetadata, { who: '\u00e9' });
    eq(o.range, undefined);
    const h = await R2.head('rt/a.txt');
    eq(h.size, 5); eq('body' in h, false);
    const headers = new Headers();
    h.writeHttpMetadata(headers);
    deq([...headers], [['content-type', 'text/plain'], ['expires', 'Tue, 14 Nov 2023 22:13:20 GMT']]);
    eq(await R2.get('rt/missing'), null);
    eq(await R2.head('rt/missing'), null);
    // replace, then the value types
    const p2 = await R2.put('rt/a.txt', new Uint8Array([1, 2, 3]));
    ok(p2.version !== put.version, 'a new version');
    deq([...new Uint8Array(await (await R2.get('rt/a.txt')).arrayBuffer())], [1, 2, 3]);
    deq((await R2.get('rt/a.txt')).httpMetadata, {}, 'replaced metadata');
    await R2.put('rt/blob', new Blob(['blob!']));
    eq(await (await R2.get('rt/blob')).text(), 'blob!');
    await R2.put('rt/empty', null);
    const e = await R2.get('rt/empty');
    eq(e.size, 0); eq(await e.text(), '');
    const { readable, writable } = new FixedLengthStream(4);
    const w = writable.getWriter(); w.write(new Uint8Array([9, 8])); w.write(new Uint8Array([7, 6])); w.close();
    await R2.put('rt/fixed', readable);
    deq([...await (await R2.get('rt/fixed')).bytes()], [9, 8, 7, 6]);
    // a stream of unknown length (read into memory here; workerd requires a known length)
    await R2.put('rt/stream', new Response('streamed').body);
    eq(await (await R2.get('rt/stream')).text(), 'streamed');
  },
};

export const large = {
  async test(ctrl, { R2 }) {
    const n = 3 * 1024 * 1024 + 7;
    const data = new Uint8Array(n);
    for (let i = 0; i < 4093; i++) data[i] = (i * 31) & 255;
    for (let have = 4093; have < n; have *= 2) data.copyWithin(have, 0, Math.min(have, n - have));
    const put = await R2.put('large/bin', data);
    eq(put.size, n);
    const o = await R2.get('large/bin');
    const back = new Uint8Array(await o.arrayBuffer());
    eq(back.length, n);
    eq(hex(await crypto.subtle.digest('SHA-256', back)), hex(await crypto.subtle.digest('SHA-256', data)), 'same bytes');
    const r = await R2.get('large/bin', { range: { offset: n - 10 } });
    deq([...new Uint8Array(await r.arrayBuffer())], [...data.subarray(n - 10)]);
    deq(r.range, { offset: n - 10, length: 10 });
  },
};

export const ranges = {
  async test(ctrl, { R2 }) {
    await R2.put('rg/x', '0123456789');
    const cases = [
      [{ offset: 2, length: 3 }, '234', { offset: 2, length: 3 }],
      [{ offset: 7 }, '789', { offset: 7, length: 3 }],
      [{ length: 2 }, '01', { offset: 0, length: 2 }],
      [{ suffix: 4 }, '6789', { offset: 6, length: 4 }],
      [{ suffix: 40 }, '0123456789', { offset: 0, length: 10 }],
      [{ offset: 8, length: 50 }, '89', { offset: 8, length: 2 }],
      [new Headers({ range: 'bytes=1-3' }), '123', { offset: 1, length: 3 }],
      [new Headers({ range: 'bytes=-2' }), '89', { offset: 8, length: 2 }],
      [new Headers({ range: 'bytes=5-' }), '56789', { offset: 5, length: 5 }],
      [new Headers({}), '0123456789', undefined],
    ];
    for (const [range, text, echo] of cases) {
      const o = await R2.get('rg/x', { range });
      eq(await o.text(), text, JSON.stringify(range));
      deq(o.range, echo, 'range ' + JSON.stringify(range));
      eq(o.size, 10);
    }
    await rejects(R2.get('rg/x', { range: { offset: 11 } }), 'Error', 'get: The requested range is not satisfiable (10039)');
    await rejects(R2.get('rg/x', { range: new Headers({ range: 'bytes=20-30' }) }), 'Error', 'get: The requested range is not satisfiable (10039)');
  },
};

export const conditionals = {
  async test(ctrl, { R2 }) {
    const put = await R2.put('cd/x', 'data');
    const etag = put.etag;
    const t = put.uploaded.getTime();
    const body = async (options) => { const o = await R2.get('cd/x', options); return 'body' in o ? await o.text() : 'no body'; };
    eq(await body({ onlyIf: { etagMatches: etag } }), 'data');
    eq(await body({ onlyIf: { etagMatches: 'other' } }), 'no body');
    eq(await body({ onlyIf: { etagMatches: '*' } }), 'data');
    eq(await body({ onlyIf: { etagDoesNotMatch: etag } }), 'no body');
    eq(await body({ onlyIf: { etagDoesNotMatch: 'other' } }), 'data');
    eq(await body({ onlyIf: { uploadedBefore: new Date(t + 60000) } }), 'data');
    eq(await body({ onlyIf: { uploadedBefore: new Date(t - 60000) } }), 'no body');
    eq(await body({ onlyIf: { uploadedAfter: new Date(t - 60000) } }), 'data');
    eq(await body({ onlyIf: { uploadedAfter: new Date(t + 60000) } }), 'no body');
    eq(await body({ onlyIf: new Headers({ 'if-none-match': `W/"${etag}"` }) }), 'no body', 'weak comparison for if-none-match');
    eq(await body({ onlyIf: new Headers({ 'if-match': `W/"${etag}"` }) }), 'no body', 'strong comparison for if-match');
    eq(await body({ onlyIf: new Headers({ 'if-match': `"nope", "${etag}"` }) }), 'data');
    eq(await body({ onlyIf: new Headers({ 'if-modified-since': new Date(t).toUTCString() }) }), 'no body', 'not modified since its own second');
    eq(await body({ onlyIf: new Headers({ 'if-unmodified-since': new Date(t).toUTCString() }) }), 'data');
    // an If-Match that holds overrides If-Unmodified-Since (RFC 9110)
    eq(await body({ onlyIf: { etagMatches: etag, uploadedBefore: new Date(t - 60000) } }), 'data');
    const failed = await R2.get('cd/x', { onlyIf: { etagMatches: 'other' } });
    eq(failed.etag, etag); eq(failed.size, 4);
    // conditional writes
    eq(await R2.put('cd/x', 'new', { onlyIf: { etagMatches: 'other' } }), null);
    eq(await (await R2.get('cd/x')).text(), 'data', 'unchanged');
    eq(await R2.put('cd/x', 'new', { onlyIf: { etagDoesNotMatch: '*' } }), null, 'create-only on an existing key');
    await R2.delete('cd/new');
    ok(await R2.put('cd/new', 'created', { onlyIf: { etagDoesNotMatch: '*' } }), 'create-only on a new key');
    eq(await R2.put('cd/absent', 'x', { onlyIf: { etagMatches: '*' } }), null, 'if-match on a missing key');
    ok(await R2.put('cd/x', 'newer', { onlyIf: { etagMatches: etag } }), 'if-match on the current etag');
    eq(await (await R2.get('cd/x')).text(), 'newer');
  },
};

export const checksums = {
  async test(ctrl, { R2 }) {
    const sha256 = await digest('SHA-256', 'abc');
    const p = await R2.put('ck/x', 'abc', { sha256 });
    eq(hex(p.checksums.sha256), sha256);
    eq(hex(p.checksums.md5), '900150983cd24fb0d6963f7d28e17f72');
    deq(Object.keys(p.checksums.toJSON()), ['md5', 'sha256'], 'only the checksums it has');
    eq(JSON.stringify(p.checksums), `{"md5":"900150983cd24fb0d6963f7d28e17f72","sha256":"${sha256}"}`);
    eq(hex((await R2.head('ck/x')).checksums.sha256), sha256);
    const sha1 = await digest('SHA-1', 'abc');
    eq(hex((await R2.put('ck/y', 'abc', { sha1 })).checksums.sha1), sha1);
    ok(await R2.put('ck/z', 'abc', { md5: '900150983cd24fb0d6963f7d28e17f72' }), 'md5 verified');
    const e = await rejects(R2.put('ck/bad', 'abc', { sha256: '00'.repeat(32) }), 'Error');
    ok(e.message.startsWith('put: The SHA-256 checksum you specified did not match what we received.'), e.message);
    ok(e.message.endsWith('(10037)'), e.message);
    await rejects(R2.put('ck/bad', 'abc', { md5: '00'.repeat(16) }), 'Error');
    eq(await R2.head('ck/bad'), null, 'nothing stored');
  },
};

export const deleting = {
  async test(ctrl, { R2 }) {
    for (const k of ['dl/a', 'dl/b', 'dl/c']) await R2.put(k, k);
    await R2.delete('dl/a');
    eq(await R2.head('dl/a'), null);
    await R2.delete(['dl/b', 'dl/c', 'dl/never']);
    eq((await R2.list({ prefix: 'dl/' })).objects.length, 0);
    await R2.delete('dl/never');
  },
};

export const listing = {
  async test(ctrl, { R2 }) {
    const keys = ['ls/a', 'ls/b/1', 'ls/b/2', 'ls/c', 'ls/d/x/1', 'ls/e', 'ls/\u00e9'];
    for (const k of keys) await R2.put(k, 'v', { httpMetadata: { contentType: 'text/x' }, customMetadata: { k } });
    const all = await R2.list({ prefix: 'ls/' });
    deq(all.objects.map((o) => o.key), keys);
    eq(all.truncated, false);
    eq(all.cursor, undefined);
    deq(all.delimitedPrefixes, []);
    eq(all.objects[0].httpMetadata, undefined, 'no metadata unless included');
    const inc = await R2.list({ prefix: 'ls/', include: ['httpMetadata', 'customMetadata'], limit: 2 });
    deq(inc.objects[0].httpMetadata, { contentType: 'text/x' });
    deq(inc.objects[1].customMetadata, { k: 'ls/b/1' });
    eq(inc.truncated, true);
    const d = await R2.list({ prefix: 'ls/', delimiter: '/' });
    deq(d.objects.map((o) => o.key), ['ls/a', 'ls/c', 'ls/e', 'ls/\u00e9']);
    deq(d.delimitedPrefixes, ['ls/b/', 'ls/d/']);
    // pages of 2, delimited prefixes count toward the limit
    const seen = [];
    let cursor;
    for (;;) {
      const page = await R2.list({ prefix: 'ls/', delimiter: '/', limit: 2, cursor });
      seen.push(...page.objects.map((o) => o.key), ...page.delimitedPrefixes);
      ok(page.objects.length + page.delimitedPrefixes.length <= 2, 'limit');
      if (!page.truncated) break;
      cursor = page.cursor;
    }
    deq(seen.sort(), ['ls/a', 'ls/b/', 'ls/c', 'ls/d/', 'ls/e', 'ls/\u00e9']);
    deq((await R2.list({ prefix: 'ls/', startAfter: 'ls/c' })).objects.map((o) => o.key), ['ls/d/x/1', 'ls/e', 'ls/\u00e9']);
    await rejects(R2.list({ limit: 0 }), 'Error', 'list: MaxKeys params must be positive integer <= 1000. (10022)');
    await rejects(R2.list({ limit: 1001 }), 'Error', 'list: MaxKeys params must be positive integer <= 1000. (10022)');
  },
};

export const multipart = {
  async test(ctrl, { R2 }) {
    const upload = await R2.createMultipartUpload('mp/big', { httpMetadata: { contentType: 'application/x-big' }, customMetadata: { parts: '2' } });
    eq(upload.key, 'mp/big');
    ok(upload.uploadId.length > 10, 'an upload id');
    const size = 5 * 1024 * 1024;
    const part1 = new Uint8Array(size).fill(97);
    const p1 = await upload.uploadPart(1, part1);
    const p2 = await upload.uploadPart(2, 'tail');
    eq(p1.partNumber, 1); ok(/^[0-9a-f]{32}$/.test(p1.etag), 'part etag');
    const obj = await upload.complete([p2, p1]);
    eq(obj.key, 'mp/big');
    eq(obj.size, size + 4);
    ok(/^[0-9a-f]{32}-2$/.test(obj.etag), 'multipart etag: ' + obj.etag);
    deq(obj.httpMetadata, { contentType: 'application/x-big' });
    deq(obj.customMetadata, { parts: '2' });
    eq(obj.checksums.md5, undefined, 'no md5 for multipart objects');
    const tail = await R2.get('mp/big', { range: { suffix: 6 } });
    eq(await tail.text(), 'aatail');
    // errors
    await rejects(upload.uploadPart(3, 'x'), 'Error', 'uploadPart: The specified multipart upload does not exist. (10024)');
    const u2 = await R2.createMultipartUpload('mp/small');
    const a = await u2.uploadPart(1, 'small');
    const b = await u2.uploadPart(2, 'parts');
    await rejects(u2.complete([a, b]), 'Error', 'completeMultipartUpload: Your proposed upload is smaller than the minimum allowed object size. (10011)');
    await rejects(u2.complete([{ partNumber: 1, etag: 'wrong' }]), 'Error', 'completeMultipartUpload: One or more of the specified parts could not be found. (10025)');
    const single = await u2.complete([a]);
    eq(single.size, 5);
    const u3 = await R2.createMultipartUpload('mp/aborted');
    await u3.uploadPart(1, 'x');
    await u3.abort();
    await rejects(u3.complete([{ partNumber: 1, etag: 'x' }]), 'Error', 'completeMultipartUpload: The specified multipart upload does not exist. (10024)');
    eq(await R2.head('mp/aborted'), null);
    const resumed = R2.resumeMultipartUpload('mp/resumed', (await R2.createMultipartUpload('mp/resumed')).uploadId);
    const rp = await resumed.uploadPart(1, 'resumed');
    eq((await resumed.complete([rp])).size, 7);
  },
};

export const limits = {
  async test(ctrl, { R2 }) {
    await rejects(R2.put('x'.repeat(1025), 'v'), 'Error', 'put: The specified object name is not valid. (10020)');
    ok(await R2.put('x'.repeat(1024), 'v'), '1024 bytes is fine');
    await rejects(R2.put('lim/meta', 'v', { customMetadata: { k: 'v'.repeat(2100) } }), 'Error', 'put: Your metadata headers exceed the maximum allowed metadata size. (10012)');
    await rejects(R2.put('lim/class', 'v', { storageClass: 'Glacier' }), 'Error');
    eq((await R2.put('lim/ia', 'v', { storageClass: 'InfrequentAccess' })).storageClass, 'InfrequentAccess');
    await rejects(R2.get('lim/ia', { ssecKey: 'ab'.repeat(32) }), 'Error', 'get: SSE-C is not supported by the local R2 backend. (10001)');
  },
};
