export class Counter {
  constructor(state, env) { this.state = state; }
  async fetch(request) {
    let value = (await this.state.storage.get("value")) || 0;
    value += 1;
    await this.state.storage.put("value", value);
    return new Response(String(value));
  }
}
