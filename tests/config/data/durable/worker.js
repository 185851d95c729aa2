import { Counter } from "./counter.js";
export { Counter };

export class Scratch {
  constructor(state, env) { this.state = state; }
  async fetch(request) { return new Response("scratch"); }
}

export default {
  async fetch(request, env) {
    const id = env.COUNTER.idFromName("a");
    return env.COUNTER.get(id).fetch(request);
  },
};
