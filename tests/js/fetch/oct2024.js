// Before upper_case_all_http_methods (2024-10-14): only the six standard methods are
// case-insensitive; the other methods workerd knows must be written in uppercase. Also before
// cache_option_enabled and strip_authorization_on_cross_origin_redirect.
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
    const m = (x) => new Request('http://a.test/', { method: x }).method;
    for (const x of ['get', 'Post', 'put', 'delete', 'head', 'options']) eq(m(x), x.toUpperCase());
    for (const x of ['PATCH', 'PURGE', 'PROPFIND', 'QUERY', 'MSEARCH']) eq(m(x), x);
    for (const x of ['patch', 'Patch', 'purge', 'foo', 'CONNECT']) throws(() => m(x), 'TypeError', `Invalid HTTP method string: ${x}`);
    await rejects(fetch('http://a.test/', { method: 'patch', body: 'x' }), 'TypeError', 'Invalid HTTP method string: patch');
    const r = await (await fetch('http://a.test/', { method: 'PATCH', body: 'x' })).json();
    same([r.method, r.body], ['PATCH', 'x']);
    // before strip_authorization_on_cross_origin_redirect (2025-09-01) Authorization follows any redirect
    const r2 = await (await fetch('http://a.test/redirect/302?to=http%3A%2F%2Fb.test%2F', { headers: { authorization: 'secret' } })).json();
    same([r2.url, r2.headers], ['http://b.test/', [['authorization', 'secret']]]);
    // 'no-store' is the only cache mode (cache_option_enabled is 2024-11-11)
    throws(() => new Request('http://a.test/', { cache: 'no-store' }), 'Error', "The 'cache' field on 'RequestInitializerDict' is not implemented.");
  },
};
