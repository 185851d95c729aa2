import { WorkerEntrypoint } from "cloudflare:workers";

export class Admin extends WorkerEntrypoint {
  async fetch(request) {
    return new Response(`admin ${new URL(request.url).pathname} role=${this.ctx.props.role}`);
  }
}

export default {
  async fetch(request) {
    return new Response(`backend ${new URL(request.url).pathname}`);
  },
};
