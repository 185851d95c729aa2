// Before fetch_refuses_unknown_protocols (2021-11-10) fetch() sends any scheme as if it were
// http (workerd logs a warning); data: URLs are still answered locally. Before
// formdata_parser_supports_files (2021-11-03) formData() turns uploaded files into strings.
import { eq, same, ok, throws, rejects } from './assert.js';

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
