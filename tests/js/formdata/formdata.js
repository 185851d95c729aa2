// FormData: the entry list, iteration, Blob/File values, serialization, and parsing by Body.formData().
import { eq, ok } from './assert.js';
const rejects = async (p, name, m) => {
  try { await p; } catch (e) { if (name && e.name !== name) throw new Error(`${m || 'rejects'}: expected ${name}, got ${e.name}: ${e.message}`); return e; }
  throw new Error(`${m || 'rejects'}: did not reject`);
};
const throws = (f, name, m) => {
  try { f(); } catch (e) { if (name && e.name !== name) throw new Error(`${m || 'throws'}: expected ${name}, got ${e.name}: ${e.message}`); return e; }
  throw new Error(`${m || 'throws'}: did not throw`);
};
const parse = (body, ct) => new Response(body, { headers: { 'content-type': ct } }).formData();

export const entryList = {
  async test() {
    const fd = new FormData();
    eq(Object.prototype.toString.call(fd), '[object FormData]');
    fd.append('a', '1');
    fd.append('b', '2');
    fd.append('a', '3');
    eq(fd.get('a'), '1');
    eq(fd.getAll('a').join(), '1,3');
    eq(fd.get('zz'), null);
    eq(fd.getAll('zz').length, 0);
    ok(fd.has('b'));
    fd.set('a', '4');
    eq(JSON.stringify([...fd]), '[["a","4"],["b","2"]]', 'set replaces the first and removes the rest');
    fd.set('c', '5');
    eq([...fd.keys()].join(), 'a,b,c');
    eq([...fd.values()].join(), '4,2,5');
    fd.delete('b');
    eq(fd.has('b'), false);
    const seen = [];
    fd.forEach(function (v, k, obj) { seen.push(k + '=' + v); ok(obj === fd); });
    eq(seen.join(), 'a=4,c=5');
    eq(JSON.stringify([...fd.entries()]), '[["a","4"],["c","5"]]');
    // values are converted to strings
    fd.append('n', 42);
    eq(fd.get('n'), '42');
    throws(() => fd.append('x'), 'TypeError', 'missing value');
    throws(() => fd.get(), 'TypeError', 'missing name');
    throws(() => FormData.prototype.get.call({}, 'a'), 'TypeError');
    // iteration sees entries appended during iteration
    const live = new FormData();
    live.append('k', '1');
    let count = 0;
    for (const _ of live) { if (count++ === 0) live.append('k', '2'); }
    eq(count, 2);
  },
};

export const fileValues = {
  async test() {
    const fd = new FormData();
    const blob = new Blob(['blob data'], { type: 'text/plain' });
    fd.append('b', blob);
    const v = fd.get('b');
    ok(v instanceof File, 'a Blob value becomes a File');
    ok(v !== blob);
    eq(v.name, 'b', 'named after the entry, as in workerd');
    eq(v.type, 'text/plain');
    eq(await v.text(), 'blob data');
    const file = new File(['f'], 'orig.txt', { lastModified: 7 });
    fd.append('f', file);
    ok(fd.get('f') === file, 'a File without a filename is kept as is');
    fd.append('g', file, 'renamed.txt');
    eq(fd.get('g').name, 'renamed.txt');
    ok(fd.get('g').lastModified > 7, 'a renamed File is new (workerd: lastModified is now)');
    fd.set('h', blob, 'h.bin');
    eq(fd.get('h').name, 'h.bin');
    fd.append('s', 'str', 'ignored');
    eq(fd.get('s'), 'str', 'a filename with a string value is ignored (workerd)');
  },
};

export const serialize = {
  async test() {
    const fd = new FormData();
    fd.append('field', 'value');
    fd.append('na"me\n', 'multi\r\nline');
    fd.append('file', new File(['file body'], 'a "b".txt', { type: 'text/plain' }));
    fd.append('bin', new Blob([new Uint8Array([0, 255])]));
    const res = new Response(fd);
    const ct = res.headers.get('content-type');
    const m = /^multipart\/form-data; boundary=(.+)$/.exec(ct);
    ok(m, 'content-type has a boundary: ' + ct);
    const boundary = m[1];
    const bytes = new Uint8Array(await res.arrayBuffer());
    const text = new TextDecoder('latin1').decode(bytes);
    ok(text.startsWith(`--${boundary}\r\nContent-Disposition: form-data; name="field"\r\n\r\nvalue\r\n`), text);
    ok(text.includes('name="na%22me%0A"'), 'names are escaped');
    ok(text.includes('Content-Disposition: form-data; name="file"; filename="a %22b%22.txt"\r\nContent-Type: text/plain\r\n\r\nfile body\r\n'));
    ok(text.includes('name="bin"; filename="bin"\r\nContent-Type: application/octet-stream\r\n\r\n\x00\xff\r\n'));
    ok(text.trimEnd().endsWith(`--${boundary}--`));
    // boundaries differ between serializations
    const ct2 = new Response(fd).headers.get('content-type');
    ok(ct2 !== ct);
    // round trip
    const back = await parse(bytes, ct);
    eq(back.get('field'), 'value');
    eq(back.get('na%22me%0A'), 'multi\r\nline');
    const f = back.get('file');
    ok(f instanceof File);
    eq(f.name, 'a %22b%22.txt');
    eq(f.type, 'text/plain');
    eq(await f.text(), 'file body');
    const b = back.get('bin');
    eq(b.size, 2);
    eq(new Uint8Array(await b.arrayBuffer())[1], 255);
  },
};

export const parseMultipart = {
  async test() {
    const body = [
      'preamble', '--xyz',
      'Content-Disposition: form-data; name="a"', '', 'one',
      '--xyz',
      'Content-Disposition: form-data; name="up"; filename="u.txt"', 'Content-Type: text/x-up', '', 'file\r\ncontent',
      '--xyz',
      'Content-Disposition: form-data; name="e"; filename=""', '', 'empty filename is a field',
      '--xyz',
      'content-disposition: form-data; name="h\u00e9"', '', '\u00e9t\u00e9',
      '--xyz--', 'epilogue',
    ].join('\r\n');
    const fd = await parse(body, 'multipart/form-data; boundary=xyz');
    eq(fd.get('a'), 'one');
    const up = fd.get('up');
    ok(up instanceof File);
    eq(up.name, 'u.txt');
    eq(up.type, 'text/x-up');
    eq(await up.text(), 'file\r\ncontent');
    eq(fd.get('e'), 'empty filename is a field');
    eq(fd.get('h\u00e9'), '\u00e9t\u00e9');
    // quoted boundary, case-insensitive MIME type, bare LF line breaks
    const fd2 = await parse('--a b\nContent-Disposition: form-data; name="x"\n\nv\n--a b--', 'Multipart/Form-Data; boundary="a b"');
    eq(fd2.get('x'), 'v');
    eq([...(await parse('--b--', 'multipart/form-data; boundary=b'))].length, 0);
  },
};

export const parseErrors = {
  async test() {
    const mp = 'multipart/form-data; boundary=b';
    await rejects(parse('', mp), 'TypeError', 'no initial boundary');
    await rejects(parse('--b\r\nContent-Disposition: form-data; name="a"\r\n\r\nv\r\n', mp), 'TypeError', 'no closing boundary');
    await rejects(parse('--b\r\nContent-Type: text/plain\r\n\r\nv\r\n--b--', mp), 'TypeError', 'no Content-Disposition');
    await rejects(parse('--b\r\nContent-Disposition: form-data\r\n\r\nv\r\n--b--', mp), 'TypeError', 'no name');
    await rejects(parse('--b\r\nContent-Disposition: attachment; name="a"\r\n\r\nv\r\n--b--', mp), 'TypeError', 'not form-data');
    await rejects(parse('--b\r\nContent-Disposition: form-data; name="a"\r\nv\r\n--b--', mp), 'TypeError', 'no header end');
    await rejects(parse('x', 'multipart/form-data'), 'TypeError', 'no boundary parameter');
    await rejects(parse('a=1', 'text/plain'), 'TypeError', 'unsupported type');
    await rejects(new Response('a=1').formData(), 'TypeError', 'text/plain default');
  },
};

export const parseUrlencoded = {
  async test() {
    const fd = await parse('a=1&b=%20x+y&a=2&c', 'application/x-www-form-urlencoded');
    eq(JSON.stringify([...fd]), '[["a","1"],["b"," x y"],["a","2"],["c",""]]');
    const fd2 = await parse('k=%E2%82%AC', 'application/x-www-form-urlencoded;charset=UTF-8');
    eq(fd2.get('k'), '\u20ac');
    // a URLSearchParams body round-trips
    const fd3 = await new Response(new URLSearchParams({ q: 'a b', r: '&' })).formData();
    eq(fd3.get('q'), 'a b'); eq(fd3.get('r'), '&');
    // Request bodies too
    const req = new Request('https://example.com/', { method: 'POST', body: 'z=9', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    eq((await req.formData()).get('z'), '9');
  },
};
