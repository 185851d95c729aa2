// A worker reaching the objects of another worker (binding with serviceName).
const eq = (a, b, what = "") => {
  if (!Object.is(a, b)) throw new Error(`${what}: expected ${JSON.stringify(b)}, got ${JSON.stringify(a)}`);
};

export default {
  async test(ctrl, env) {
    const ns = env.REMOTE;
    eq(ns.idFromName("foo").toString(), "1cf6edffe08a747ace2c6219cb305178399ab858e09fdc3b71ab8e53f43f9f6c", "same unique key, same ids");
    const s = ns.getByName("from-client");
    eq(await s.bump(), 1, "rpc"); eq(await s.bump(), 2, "same object");
    const r = await s.fetch("http://do/echo", { method: "PUT", body: "b", headers: { "x-h": "c" } });
    eq(await r.text(), "PUT http://do/echo c b 3", "fetch across workers");
    const v = await s.echo(new Date(1), new Map([["k", new Set([1])]]), 7n);
    eq(v[0].getTime(), 1, "Date"); eq(v[1].get("k").has(1), true, "Map of Set"); eq(v[2], 7n, "BigInt");
    try { await s.fail(); throw new Error("no error"); } catch (e) {
      eq(e instanceof RangeError, true, "RangeError across workers"); eq(e.message, "bad thing", "message"); eq(e.remote, true, "remote");
    }
  },
};
