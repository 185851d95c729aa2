// The globalOutbound of the fetch tests: answers with a JSON description of the request.
// /redirect/<status>?to=<url> redirects, /slow waits before answering.
export default {
  async fetch(req) {
    const u = new URL(req.url);
    if (u.pathname.startsWith('/redirect/')) {
      return new Response(null, { status: Number(u.pathname.slice(10)), headers: { location: u.searchParams.get('to') || '/final' } });
    }
    if (u.pathname === '/slow') await new Promise((r) => setTimeout(r, 2000));
    if (u.pathname === '/status') return new Response('s', { status: Number(u.searchParams.get('s')), statusText: u.searchParams.get('t') || undefined, headers: { 'x-origin': 'echo' } });
    const body = req.body === null ? null : await req.text();
    return Response.json({ url: req.url, method: req.method, headers: [...req.headers], body });
  },
  test() {},
};
