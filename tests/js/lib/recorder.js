// A backing service for binding wire tests: records every request it receives and answers with
// the responses queued by the test (POST http://control/respond), FIFO; GET http://control/log
// returns and clears the record. Bodies are binary strings (one char per byte).
let log = [];
const next = [];
const binary = (u8) => { let s = ''; for (const b of u8) s += String.fromCharCode(b); return s; };
const bytes = (s) => { const u8 = new Uint8Array(s.length); for (let i = 0; i < s.length; i++) u8[i] = s.charCodeAt(i); return u8; };

export default {
  async fetch(req) {
    const url = new URL(req.url);
    if (url.hostname === 'control') {
      if (url.pathname === '/log') { const l = log; log = []; return Response.json(l); }
      if (url.pathname === '/respond') { next.push(await req.json()); return new Response('ok'); }
      if (url.pathname === '/reset') { log = []; next.length = 0; return new Response('ok'); }
    }
    const body = binary(new Uint8Array(await req.arrayBuffer()));
    // content-length / transfer-encoding are framing, not part of what the binding sends
    const headers = [...req.headers].filter(([k]) => k !== 'content-length' && k !== 'transfer-encoding');
    log.push({ method: req.method, url: req.url, headers, body });
    const r = next.shift() || { status: 200, body: '' };
    const nullBody = r.body === null || r.status === 204 || r.status === 304;
    return new Response(nullBody ? null : bytes(r.body || ''), { status: r.status || 200, statusText: r.statusText, headers: r.headers || {} });
  },
  // not a test: this worker only answers the binding's requests
  test() {},
};
