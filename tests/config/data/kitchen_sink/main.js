import { DurableObject, WorkerEntrypoint } from "cloudflare:workers";
export class Counter extends DurableObject {}
export class Api extends WorkerEntrypoint { fetch() { return new Response("api"); } }
export default { fetch() { return new Response("main"); } };
