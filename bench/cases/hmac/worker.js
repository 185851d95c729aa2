// An HMAC-SHA256 signature per request (key imported once); answers the hex signature.
const enc = new TextEncoder();
const keyPromise = crypto.subtle.importKey("raw", enc.encode("bench-secret-key"), { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);

export default {
  async fetch(request, env, ctx) {
    const key = await keyPromise;
    const sig = new Uint8Array(await crypto.subtle.sign("HMAC", key, enc.encode(request.url)));
    let hex = "";
    for (const b of sig) hex += b.toString(16).padStart(2, "0");
    return new Response(hex);
  },
};
