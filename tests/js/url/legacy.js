// Before urlsearchparams_delete_has_value_arg (2023-07-01), delete() and has() ignore a value.
import { eq, same, ok, throws, rejects } from './assert.js';

export default {
  test() {
    const p = new URLSearchParams('a=1&a=2&b=3');
    eq(p.has('a', 'nope'), true);
    p.delete('a', '1');
    eq(p.toString(), 'b=3');
  },
};
