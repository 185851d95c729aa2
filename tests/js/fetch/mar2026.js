// Flags of 2026: fetch_iterable_type_support (sync and async iterables of byte chunks are bodies)
// and strip_bom_in_read_all_text (text() drops a UTF-8 BOM; json() still does not).
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

export const iterableBodies = {
  async test() {
    eq(await new Response([new Uint8Array([65]), new Uint8Array([66])]).text(), 'AB');
    eq(new Response([new Uint8Array([65])]).headers.get('content-type'), null);
    eq(await new Response(new Set([new Uint8Array([67])])).text(), 'C');
    eq(await new Response((function* () { yield new Uint8Array([68]); })()).text(), 'D');
    eq(await new Response((async function* () { yield new Uint8Array([69]); })()).text(), 'E');
    await rejects(new Response(['a', 'b']).text(), 'TypeError', 'This ReadableStream did not return bytes.');
    eq(await new Request('http://a.test/', { method: 'POST', body: [new Uint8Array([70])] }).text(), 'F');
  },
};

export const bom = {
  async test() {
    const b = new Uint8Array([0xef, 0xbb, 0xbf, 0x61]);
    eq(await new Response(b).text(), 'a');
    eq(await new Request('http://a.test/', { method: 'POST', body: b }).text(), 'a');
    eq(await new Blob([b]).text(), '\ufeffa', 'Blob.text() keeps it');
    await rejects(new Response(b).json(), 'SyntaxError');
  },
};
