// Before response_redirect_url_standard (2023-03-14) Response.redirect() parses with workerd's
// legacy URL parser (nothing percent-encoded, no IDNA, ports unchecked); before
// fetch_standard_url (2024-06-03) Request.url is the string as given, checked by fetch().
import { eq, same, ok, throws, rejects } from './assert.js';

export const redirect = {
  test() {
    const loc = (u) => Response.redirect(u).headers.get('location');
    eq(loc('http://x.test/a b'), 'http://x.test/a b');
    eq(loc('HTTP://A.TEST/./x/../y'), 'http://a.test/y');
    eq(loc('https://a.test/ü'), 'https://a.test/ü');
    eq(loc('http://a.test/?q=a b#h h'), 'http://a.test/?q=a b#h h');
    eq(loc('http://a.test:99999/'), 'http://a.test:99999/');
    eq(loc('http://[::1]/'), 'http://[::1]/');
    for (const u of ['http://münchen.de/', '/relative', 'mailto:x@y.test']) throws(() => loc(u), 'TypeError', `Unable to parse URL: ${u}`);
  },
};

export const requestUrl = {
  test() {
    const url = (u) => new Request(u).url;
    for (const u of ['http://x.test/a b', 'HTTP://A.TEST/./x/../y', 'https://a.test/ü', 'http://a.test:99999/', 'http://a.test/{}', 'mailto:x@y.test']) eq(url(u), u);
    // anything goes; fetch() refuses what it cannot parse
    eq(url('nope'), 'nope');
    eq(url('/relative'), '/relative');
  },
};

export const fetchChecksUrl = {
  async test() {
    for (const u of ['nope', '/relative', 'a b']) await rejects(fetch(u), 'TypeError', `Fetch API cannot load: ${u}`);
  },
};
