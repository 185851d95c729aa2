// Headers before http_headers_getsetcookie (2023-03-01): no getSetCookie(), and iteration
// combines set-cookie values like any other header.
import { eq, same } from './assert.js';

export default {
  test() {
    const h = new Headers([['set-cookie', 'a=1'], ['Set-Cookie', 'b=2']]);
    eq(typeof h.getSetCookie, 'undefined');
    eq('getSetCookie' in Headers.prototype, false);
    same([...h], [['set-cookie', 'a=1, b=2']]);
    eq(h.get('set-cookie'), 'a=1, b=2');
    same(h.getAll('set-cookie'), ['a=1', 'b=2']);
  },
};
