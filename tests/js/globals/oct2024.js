// Before enable_navigator_language (2025-05-19): no navigator.language or languages.
import { eq, same, ok, throws, rejects } from './assert.js';

export default {
  test() {
    eq(navigator.userAgent, 'Cloudflare-Workers');
    eq('language' in navigator, false);
    eq(navigator.languages, undefined);
    same(Object.getOwnPropertyNames(navigator), ['platform', 'hardwareConcurrency', 'userAgent']);
  },
};
