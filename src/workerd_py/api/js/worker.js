// Worker glue: event dispatch (fetch, scheduled, test), ExecutionContext, service-worker syntax
// (addEventListener("fetch")) and the classes of "cloudflare:workers".
(function (internal, host) {
  'use strict';
  // Nothing else is loaded until the first event arrives: an idle worker holds only this glue.
  let fetchReady = false;
  const ensureFetch = () => { internal.require('fetch'); fetchReady = true; };

  class ExecutionContext {
    #props;
    constructor(props) { this.#props = props; }
    waitUntil(p) { host.waitUntil(Promise.resolve(p)); }
    passThroughOnException() { host.passThroughOnException(); }
    get props() { return this.#props; }
    abort(reason) { host.abortRequest(String(reason)); }
  }
  internal.ExecutionContext = ExecutionContext;

  // service-worker syntax: listeners on the global scope; the event classes are built on first use
  const listeners = Object.create(null);
  let swClasses = null;
  const sw = () => {
    if (swClasses !== null) return swClasses;
    const { Event } = internal.require('events');
    class ExtendableEvent extends Event {
      waitUntil(p) { host.waitUntil(Promise.resolve(p)); }
    }
    class FetchEvent extends ExtendableEvent {
      #request; #response = null;
      constructor(type, init) { super(type); this.#request = init && init.request; }
      get request() { return this.#request; }
      respondWith(r) {
        if (this.#response !== null) throw new DOMException('FetchEvent.respondWith() has already been called; it can only be called once.', 'InvalidStateError');
        this.#response = Promise.resolve(r);
      }
      passThroughOnException() { host.passThroughOnException(); }
      get _response() { return this.#response; }
    }
    class ScheduledEvent extends ExtendableEvent {
      constructor(type, init) { super(type); this.scheduledTime = init.scheduledTime; this.cron = init.cron; }
      noRetry() {}
    }
    swClasses = { ExtendableEvent, FetchEvent, ScheduledEvent };
    for (const k in swClasses) internal.defineGlobal(k, swClasses[k]);
    return swClasses;
  };
  for (const k of ['ExtendableEvent', 'FetchEvent', 'ScheduledEvent']) {
    Object.defineProperty(globalThis, k, {
      configurable: true, enumerable: false,
      get() { return sw()[k]; },
      set(v) { internal.defineGlobal(k, v); },
    });
  }
  internal.defineGlobal('addEventListener', (type, fn) => {
    if (typeof fn !== 'function' && !(fn && typeof fn.handleEvent === 'function')) throw new TypeError('The "listener" argument must be a function.');
    (listeners[type] || (listeners[type] = [])).push(fn);
  });
  internal.defineGlobal('removeEventListener', (type, fn) => {
    const l = listeners[type]; if (!l) return; const i = l.indexOf(fn); if (i >= 0) l.splice(i, 1);
  });

  const notResponse = () => new TypeError("Incorrect type for Promise: the Promise did not resolve to 'Response'.");
  const finish = (r) => {
    const parts = internal.unpackResponse(r);
    if (parts === null) throw notResponse();
    return parts;
  };

  // The handler object for modules syntax: the default export (object or WorkerEntrypoint class)
  // or a named export. Returns the object whose methods receive events.
  const instantiate = (exp, env, ctx) => {
    if (typeof exp === 'function' && exp.prototype) return new exp(ctx, env);
    return exp;
  };
  internal.getHandler = (exp, env, ctx) => instantiate(exp, env, ctx);

  // dispatchFetch: one host->JS call per request. Returns the unpacked response parts, or a
  // promise of them when the handler is async.
  internal.dispatchFetch = (exp, method, url, flat, bodyId, cf, length, env, props) => {
    if (!fetchReady) ensureFetch();
    const req = internal.makeRequest(method, url, flat, bodyId, cf, length);
    if (exp === null) {
      const ls = listeners.fetch;
      if (!ls || ls.length === 0) throw new Error("No event listener registered for 'fetch' events.");
      const ev = new (sw().FetchEvent)('fetch', { request: req });
      for (const l of ls) {
        if (typeof l === 'function') l.call(globalThis, ev); else l.handleEvent(ev);
        if (ev._response !== null) break;
      }
      const r = ev._response;
      if (r === null) throw new Error('No response! (the fetch event handler did not call respondWith())');
      return r;
    }
    const ctx = props === null ? sharedCtx : new ExecutionContext(props);
    const obj = instantiate(exp, env, ctx);
    if (!obj || typeof obj.fetch !== 'function') throw new Error("Handler does not export a fetch() function.");
    // a Response is unpacked here; a promise goes back to the host, which unpacks its value
    // (internal.unpackResponse) once it settles: no extra promise reaction per request
    const r = obj.fetch(req, env, ctx);
    const parts = internal.unpackResponse(r);
    if (parts !== null) return parts;
    if (r instanceof Promise) return r;
    throw notResponse();
  };
  // the ExecutionContext of requests without props: ctx.waitUntil() and friends act on the
  // request whose code is running (the host tracks it), so one object serves them all
  const sharedCtx = new ExecutionContext({});
  internal.finishResponse = (r) => { if (!fetchReady) ensureFetch(); return finish(r); };

  internal.dispatchScheduled = (exp, scheduledTime, cron, env, props) => {
    if (exp === null) {
      const ev = new (sw().ScheduledEvent)('scheduled', { scheduledTime, cron });
      for (const l of listeners.scheduled || []) l.call(globalThis, ev);
      return Promise.resolve();
    }
    const ctx = new ExecutionContext(props);
    const obj = instantiate(exp, env, ctx);
    if (typeof obj.scheduled !== 'function') throw new Error("Handler does not export a scheduled() function.");
    return Promise.resolve(obj.scheduled({ scheduledTime, cron, noRetry() {} }, env, ctx));
  };

  // test(controller, env, ctx) as `workerd test` runs it
  internal.dispatchTest = (exp, env, props) => {
    const ctx = new ExecutionContext(props);
    const obj = instantiate(exp, env, ctx);
    return Promise.resolve(obj.test({}, env, ctx));
  };
  internal.hasHandler = (exp, name) => {
    if (exp === null || exp === undefined) return false;
    if (typeof exp === 'function' && exp.prototype) return typeof exp.prototype[name] === 'function';
    return typeof exp[name] === 'function';
  };

  // JS RPC basics: call a method of an entrypoint with structured-clonable arguments
  internal.dispatchRpc = (exp, name, args, env, props) => {
    const ctx = new ExecutionContext(props);
    const obj = instantiate(exp, env, ctx);
    if (['fetch', 'constructor', 'scheduled', 'test'].includes(name) && name !== 'fetch') throw new TypeError(`The RPC receiver does not implement the method "${name}".`);
    const fn = obj[name];
    if (typeof fn !== 'function') {
      if (fn === undefined) throw new TypeError(`The RPC receiver does not implement the method "${name}".`);
      return Promise.resolve(fn);
    }
    return Promise.resolve(fn.apply(obj, args));
  };

  // cloudflare:workers
  class WorkerEntrypoint {
    constructor(ctx, env) { this.ctx = ctx; this.env = env; }
  }
  class DurableObject {
    constructor(ctx, env) { this.ctx = ctx; this.env = env; }
  }
  class RpcTarget {}
  class WorkflowEntrypoint { constructor(ctx, env) { this.ctx = ctx; this.env = env; } }
  internal.cloudflareWorkers = { WorkerEntrypoint, DurableObject, RpcTarget, WorkflowEntrypoint };
  internal.modules.worker = { ExecutionContext };
})
