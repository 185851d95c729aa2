// The auth worker: a bearer token names the user.
const TOKENS = { "secret-alice": "alice", "secret-bob": "bob" };
export default {
  async fetch(request) {
    const header = request.headers.get("authorization") || "";
    const user = TOKENS[header.replace(/^Bearer /, "")];
    return user ? new Response(user) : new Response("no", { status: 403 });
  },
};
