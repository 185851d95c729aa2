// With formdata_parser_converts_files_to_strings, file parts parse as strings.
import { eq } from './assert.js';
export default {
  async test() {
    const body = '--b\r\nContent-Disposition: form-data; name="f"; filename="a.txt"\r\nContent-Type: text/plain\r\n\r\nfile content\r\n--b--';
    const fd = await new Response(body, { headers: { 'content-type': 'multipart/form-data; boundary=b' } }).formData();
    eq(typeof fd.get('f'), 'string');
    eq(fd.get('f'), 'file content');
  },
};
