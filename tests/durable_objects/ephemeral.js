import { DurableObject } from "cloudflare:workers";

const eq = (a, b, what = "") => {
  if (!Object.is(a, b)) throw new Error(`${what}: expected ${JSON.stringify(b)}, got ${JSON.stringify(a)}`);
};

export class Room extends DurableObject {
  n = 0;
  hello() { return [typeof this.ctx.storage, this.ctx.id, ++this.n]; }
  async fetch(request) { return new Response(`room ${this.ctx.id} ${request.method}`); }
}

export default {
  async test(ctrl, env) {
    const ns = env.ROOMS;
    eq(ns.constructor.name, "ColoLocalActorNamespace", "class");
    eq(Object.getOwnPropertyNames(Object.getPrototypeOf(ns)).sort().join(), "constructor,get", "methods");
    eq(typeof ns.newUniqueId, "undefined", "no ids");
    const s = ns.get("lobby");
    eq(s.constructor.name, "ServiceStub", "stub class");
    eq(String(s.id), "[object JsRpcProperty]", "no id on the stub");
    eq(JSON.stringify(await s.hello()), '["undefined","lobby",1]', "first call");
    eq(JSON.stringify(await ns.get("lobby").hello()), '["undefined","lobby",2]', "same object by name");
    eq(JSON.stringify(await ns.get(5).hello()), '["undefined","5",1]', "names are strings");
    eq(await (await s.fetch("http://x/", { method: "POST" })).text(), "room lobby POST", "fetch");
  },
};
