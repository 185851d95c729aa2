// atob and btoa (https://html.spec.whatwg.org/multipage/webappapis.html#atob).
import { eq, same, ok, throws, rejects } from './assert.js';
const BAD = "atob() called with invalid base64-encoded data. (Only whitespace, '+', '/', alphanumeric ASCII, and up to two terminal '=' signs when the input data length is divisible by 4 are allowed.)";

export const atobDecodes = {
  test() {
    same([atob('aGk='), atob(' aG k\t\n'), atob('aGk'), atob(''), atob('/w=='), atob('+/+/')], ['hi', 'hi', 'hi', '', '\xff', '\xfb\xff\xbf']);
    eq(atob(1234), '\xd7m\xf8');
    eq(atob(null), '\x9e\xe9e', 'null is the string "null"');
    for (const bad of ['a', '**', 'aGk==', 'a===', 'aG=k', 'é', undefined]) {
      const e = throws(() => atob(bad), 'InvalidCharacterError', BAD, String(bad));
      ok(e instanceof DOMException);
      eq(e.code, 5);
    }
    throws(() => atob(), 'TypeError', "Failed to execute 'atob' on 'ServiceWorkerGlobalScope': parameter 1 is not of type 'string'.");
  },
};

export const btoaEncodes = {
  test() {
    same([btoa('hi'), btoa(''), btoa('\xff'), btoa('abc'), btoa('abcd'), btoa(null), btoa(12)], ['aGk=', '', '/w==', 'YWJj', 'YWJjZA==', 'bnVsbA==', 'MTI=']);
    const e = throws(() => btoa('€'), 'InvalidCharacterError', 'btoa() can only operate on characters in the Latin1 (ISO/IEC 8859-1) range.');
    ok(e instanceof DOMException);
    throws(() => btoa(), 'TypeError', "Failed to execute 'btoa' on 'ServiceWorkerGlobalScope': parameter 1 is not of type 'String'.");
    eq(atob(btoa('\x00\x01\xfe\xff')), '\x00\x01\xfe\xff');
  },
};
