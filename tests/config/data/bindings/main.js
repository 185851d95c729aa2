import { shout } from "./lib/util.js";
import data from "./data.json";
import note from "./note.txt";

export default {
  async fetch(request, env, ctx) {
    const url = new URL(request.url);
    if (url.pathname === "/backend") {
      return env.BACKEND.fetch("http://backend/x");
    }
    if (url.pathname === "/backend-default") {
      return env.BACKEND_DEFAULT.fetch("http://backend/y");
    }
    if (url.pathname === "/greeter") {
      return env.GREETER.fetch("http://greeter/");
    }
    const body = {
      greeting: shout(env.GREETING),
      settings: env.SETTINGS,
      blob: new TextDecoder().decode(env.BLOB),
      answer: data.answer,
      note,
    };
    return new Response(JSON.stringify(body), { headers: { "content-type": "application/json" } });
  },
};
