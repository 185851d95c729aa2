// Before upper_case_all_http_methods (2024-10-14): only the six standard methods are
// case-insensitive; the other methods workerd knows must be written in uppercase. Also before
// cache_option_enabled and strip_authorization_on_cross_origin_redirect.
import { eq, same, ok, throws, rejects } from './assert.js';

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
