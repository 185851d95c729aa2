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

  // JS RPC through service bindings (env.SVC.method(...args)). Arguments, results and thrown
  // values cross isolates only as bytes of V8's serialization format (v8serialize.js, RPC mode:
  // structured clone as workerd's RPC does it). The host (server/services/worker.py) carries them:
  // - caller: internal.rpcEncode(args) -> bytes (a DataCloneError rejects the call);
  //   internal.rpcDecode(ok, bytes) -> the result, or throws what the method threw;
  // - target: internal.dispatchRpc(exp, name, argBytes, env, props) -> a promise of [ok, bytes]
  //   that never rejects.
  // A thrown value reaches the caller as workerd tunnels it: [kind, name, message, detail]. The
  // caller rebuilds a DOMException (kind 'dom') or an error of one of REMOTE_ERRORS, whose message
  // is the thrown error's; another name is kept in the message ("MyError: boom" in an Error), a
  // non-error becomes Error(its text). With enhanced_error_serialization on both sides, `detail`
  // (the thrown object, serialized with its own properties, cause and name) is what the caller
  // gets instead. Either way it carries `remote = true` and a stack of its first line only.
  let rpc = null;
  const rpcState = () => {
    if (rpc !== null) return rpc;
    const s = internal.require('v8serialize');
    const enhanced = !!internal.flags.enhanced_error_serialization;
    rpc = { s, enhanced, mode: s.RPC | (enhanced ? s.ENHANCED : 0) };
    return rpc;
  };
  const REMOTE_ERRORS = { Error, EvalError, RangeError, ReferenceError, SyntaxError, TypeError, URIError, AggregateError };
  const RESERVED_RPC = new Set(['alarm', 'webSocketMessage', 'webSocketClose', 'webSocketError', 'dup']);
  const objToString = Object.prototype.toString;
  const errorHead = (name, msg) => (name === '' ? msg : msg === '' ? name : `${name}: ${msg}`);
  // [kind, name, message] of a thrown value, as workerd's exception tunnel describes it
  const describe = (e) => {
    if (e instanceof DOMException) return ['dom', String(e.name), String(e.message)];
    if (e instanceof Error) {
      const name = typeof e.name === 'string' ? e.name : 'Error';
      const msg = e.message === undefined ? '' : String(e.message);
      return Object.hasOwn(REMOTE_ERRORS, name) ? ['js', name, msg] : ['js', 'Error', errorHead(name, msg)];
    }
    let text; // V8's side-effect-free text: "#<Foo>" for objects with the default toString
    try {
      if (e !== null && typeof e === 'object') text = e.toString === objToString ? `#<${rpcState().s.ctorName(e)}>` : objToString.call(e);
      else text = typeof e === 'symbol' ? e.toString() : String(e);
    } catch (x) { text = objToString.call(e); }
    return ['js', 'Error', text];
  };
  const rpcFailure = (e) => {
    const { s, enhanced } = rpcState();
    let detail = null;
    if (enhanced && e !== null && typeof e === 'object' && !(e instanceof DOMException)) {
      try { detail = s.serialize(e, s.ENHANCED); } catch (x) { detail = null; } // not serializable: the description only
    }
    return [false, s.serialize([...describe(e), detail])];
  };
  const rpcSuccess = (v) => {
    const { s, mode } = rpcState();
    try { return [true, s.serialize(v, mode)]; } catch (e) { return rpcFailure(e); }
  };
  const notImplemented = (name) => new TypeError(`The RPC receiver does not implement the method "${name}".`);
  // the property `name` of an RPC receiver: methods of a WorkerEntrypoint class (its prototype
  // chain, not the instance's own properties), or anything of a handler object but Object.prototype's
  const rpcLookup = (obj, name, classBased) => {
    let p = classBased ? Object.getPrototypeOf(obj) : obj;
    const stop = classBased ? WorkerEntrypoint.prototype : Object.prototype;
    while (p !== null && p !== stop && p !== Object.prototype) {
      const d = Object.getOwnPropertyDescriptor(p, name);
      if (d !== undefined) return d;
      p = Object.getPrototypeOf(p);
    }
    return undefined;
  };
  const rpcInvoke = (exp, name, argBytes, env, props, get) => {
    const { s, mode } = rpcState();
    const args = s.deserialize(argBytes, true, mode);
    if (exp === null || exp === undefined) throw notImplemented(name);
    const classBased = typeof exp === 'function' && !!exp.prototype;
    if (classBased && !(exp.prototype instanceof WorkerEntrypoint)) {
      throw new TypeError(`The RPC receiver does not support RPC, because its class "${exp.name}" was not declared with \`extends WorkerEntrypoint\` (import it from "cloudflare:workers").`);
    }
    if (RESERVED_RPC.has(name)) throw new TypeError(`'${name}' is a reserved method and cannot be called over RPC.`);
    const ctx = new ExecutionContext(props);
    const obj = instantiate(exp, env, ctx);
    const d = rpcLookup(obj, name, classBased);
    if (d === undefined) throw notImplemented(name);
    const v = d.get !== undefined ? d.get.call(obj) : d.value;
    // `await env.SVC.prop` reads a property; calling one that is not a method is a TypeError
    if (get) return v;
    if (typeof v !== 'function') throw new TypeError(`"${name}" is not a function.`);
    if (classBased) return v.apply(obj, args);
    // a handler object's method is called like an event handler: (arg, env, ctx)
    if (args.length !== 1) throw new TypeError(`Attempted to call RPC function "${name}" with the wrong number of arguments. When calling a top-level handler function that is not declared as part of a class, you must always send exactly one argument. In order to support variable numbers of arguments, the server must use class-based syntax (extending WorkerEntrypoint) instead.`);
    return v.call(obj, args[0], env, ctx);
  };
  internal.dispatchRpc = (exp, name, argBytes, env, props, get) => {
    let r;
    try { r = rpcInvoke(exp, name, argBytes, env, props, get); } catch (e) { return Promise.resolve(rpcFailure(e)); }
    return Promise.resolve(r).then(rpcSuccess, rpcFailure);
  };
  // a service-binding fetch whose target threw: the thrown value as bytes for the caller's
  // rpcDecode(false, bytes), which throws it there as workerd tunnels exceptions across a hop
  internal.tunnelError = (e) => rpcFailure(e)[1];
  internal.rpcEncode = (args) => { const { s, mode } = rpcState(); return s.serialize(args, mode); };
  const setStack = (e, stack) => {
    try { Object.defineProperty(e, 'stack', { value: stack, writable: true, configurable: true, enumerable: false }); } catch (x) { /* keep it */ }
  };
  internal.rpcDecode = (ok, bytes) => {
    const { s, enhanced, mode } = rpcState();
    if (ok) return s.deserialize(bytes, true, mode);
    const [kind, name, message, detail] = s.deserialize(bytes);
    if (enhanced && detail !== null) {
      let v;
      try { v = s.deserialize(detail, false, s.ENHANCED); } catch (x) { v = undefined; }
      if (v !== null && typeof v === 'object') {
        try { v.remote = true; } catch (x) { /* frozen */ }
        throw v;
      }
    }
    let e;
    if (kind === 'dom') e = new DOMException(message, name);
    else if (name === 'AggregateError') { e = new AggregateError([], message); delete e.errors; }
    else e = new (Object.hasOwn(REMOTE_ERRORS, name) ? REMOTE_ERRORS[name] : Error)(message);
    setStack(e, errorHead(kind === 'dom' ? name : e.name, message));
    e.remote = true;
    throw e;
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
