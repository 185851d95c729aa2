// Before fetch_refuses_unknown_protocols (2021-11-10) fetch() sends any scheme as if it were
// http (workerd logs a warning); data: URLs are still answered locally. Before
// formdata_parser_supports_files (2021-11-03) formData() turns uploaded files into strings.
const eq = (a, b, m) => { if (a !== b) throw new Error(`${m || 'assert'}: expected ${JSON.stringify(b)}, got ${JSON.stringify(a)}`); };
const same = (a, b, m) => eq(JSON.stringify(a), JSON.stringify(b), m);
const ok = (v, m) => { if (!v) throw new Error(m || 'assertion failed'); };
const throws = (f, name, msg, m) => {
  try { f(); } catch (e) {
    if (name && e.name !== name) throw new Error(`${m || 'throws'}: expected ${name}, got ${e.name}: ${e.message}`);
    if (msg !== undefined && e.message !== msg) throw new Error(`${m || 'throws'}: expected message ${JSON.stringify(msg)}, got ${JSON.stringify(e.message)}`);
    return e;
  }
  throw new Error(`${m || 'throws'}: did not throw`);
};
const rejects = async (p, name, msg, m) => {
  try { await p; } catch (e) {
    if (name && e.name !== name) throw new Error(`${m || 'rejects'}: expected ${name}, got ${e.name}: ${e.message}`);
    if (msg !== undefined && e.message !== msg) throw new Error(`${m || 'rejects'}: expected message ${JSON.stringify(msg)}, got ${JSON.stringify(e.message)}`);
    return e;
  }
  throw new Error(`${m || 'rejects'}: did not reject`);
};

export default {
  async test() {
    for (const u of ['ftp://a.test/x', 'ws://a.test/y', 'file:///z']) {
      const r = await (await fetch(u)).json();
      eq(r.url, u);
    }
    eq(await (await fetch('data:,x')).text(), 'x');
    await rejects(fetch('nope'), 'TypeError', 'Fetch API cannot load: nope');
    const body = '--b\r\nContent-Disposition: form-data; name="f"; filename="a.txt"\r\nContent-Type: text/plain\r\n\r\nfile data\r\n--b--\r\n';
    const fd = await new Response(body, { headers: { 'content-type': 'multipart/form-data; boundary=b' } }).formData();
    eq(fd.get('f'), 'file data');
  },
};
