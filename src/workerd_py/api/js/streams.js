// Streams Standard (https://streams.spec.whatwg.org/) plus workerd's IdentityTransformStream and
// FixedLengthStream, and TextEncoderStream/TextDecoderStream (https://encoding.spec.whatwg.org/#interface-mixin-generictransformstream).
//
// How this works: every public object (stream, reader, writer, controller, BYOB request) holds one
// private record `#r`. The spec's abstract operations below work on records whose fields are named
// after the spec's internal slots; `rec.obj` points back at the public object for the few places
// where one is handed to user code. Algorithms are plain functions, not closures per object, and
// every section cites the spec algorithms it implements (names follow the spec, shortened).
(function (internal, host) {
  'use strict';
  // ---- promise helpers (https://webidl.spec.whatwg.org/#es-promise-manipulation) ----
  const noop = () => {};
  const P = Promise, pThen = P.prototype.then;
  const resolved = (v) => P.resolve(v);
  const rejected = (e) => P.reject(e);
  const then = (p, f, r) => pThen.call(p, f, r);
  const markHandled = (p) => { pThen.call(p, undefined, noop); return p; };
  // A promise whose state we can inspect (the spec reads [[PromiseState]] of ready/closed promises).
  class Deferred {
    constructor() { this.state = 0; this.promise = new P((res, rej) => { this.res = res; this.rej = rej; }); }
    resolve(v) { if (this.state === 0) { this.state = 1; this.res(v); } }
    reject(e) { if (this.state === 0) { this.state = 2; this.rej(e); } }
  }
  const deferredResolved = () => { const d = new Deferred(); d.resolve(undefined); return d; };
  const deferredRejected = (e) => { const d = new Deferred(); markHandled(d.promise); d.reject(e); return d; };
  const call0 = (fn, self) => { try { return resolved(fn.call(self)); } catch (e) { return rejected(e); } };
  const call1 = (fn, self, a) => { try { return resolved(fn.call(self, a)); } catch (e) { return rejected(e); } };
  const call2 = (fn, self, a, b) => { try { return resolved(fn.call(self, a, b)); } catch (e) { return rejected(e); } };
  const isObj = (v) => v !== null && (typeof v === 'object' || typeof v === 'function');
  const illegalInvocation = () => new TypeError('Illegal invocation: function called with incorrect `this` reference.');
  const kCreate = Object.freeze({}); // sentinel: internal construction of public objects
  const illegalCtor = (key) => { if (key !== kCreate) throw new TypeError('Illegal constructor'); };
  const dict = (v, what) => {
    if (v === undefined || v === null) return {};
    if (!isObj(v)) throw new TypeError(`Failed to convert ${what} to a dictionary.`);
    return v;
  };
  const fnMember = (d, name, what) => {
    const f = d[name];
    if (f === undefined) return undefined;
    if (typeof f !== 'function') throw new TypeError(`${what}.${name} must be a function.`);
    return f;
  };
  // [EnforceRange] unsigned long long (https://webidl.spec.whatwg.org/#abstract-opdef-converttoint)
  const enforceRange = (v, what) => {
    const n = Number(v);
    if (!Number.isFinite(n)) throw new TypeError(`${what} must be a finite number.`);
    const i = Math.trunc(n);
    if (i < 0 || i > Number.MAX_SAFE_INTEGER) throw new TypeError(`${what} is outside the accepted range.`);
    return i;
  };

  // ---- queuing strategies (https://streams.spec.whatwg.org/#qs) ----
  const one = () => 1;
  // https://streams.spec.whatwg.org/#validate-and-normalize-high-water-mark
  // (workerd throws TypeError rather than the spec's RangeError for a negative or NaN value)
  const extractHWM = (s, def) => {
    const h = s.highWaterMark;
    if (h === undefined) return def;
    const n = Number(h);
    if (Number.isNaN(n) || n < 0) throw new TypeError('The highWaterMark must be a non-negative number.');
    return n;
  };
  // Like workerd, a start() that throws errors the stream instead of throwing from the constructor.
  const runStart = (start) => { try { return resolved(start()); } catch (e) { return rejected(e); } };
  const extractSize = (s) => {
    const f = fnMember(s, 'size', 'strategy');
    return f === undefined ? one : (chunk) => f(chunk);
  };
  const byteLengthSize = ({ size(chunk) { return chunk.byteLength; } }).size;
  const countSize = ({ size() { return 1; } }).size;
  const strategyInit = (init, name) => {
    if (!isObj(init)) throw new TypeError(`Failed to construct '${name}': the init argument must be an object.`);
    if (init.highWaterMark === undefined) throw new TypeError(`Failed to construct '${name}': highWaterMark is required.`);
    return Number(init.highWaterMark);
  };
  class ByteLengthQueuingStrategy {
    #hwm;
    constructor(init) { this.#hwm = strategyInit(init, 'ByteLengthQueuingStrategy'); }
    get highWaterMark() { if (!(#hwm in this)) throw illegalInvocation(); return this.#hwm; }
    get size() { if (!(#hwm in this)) throw illegalInvocation(); return byteLengthSize; }
  }
  class CountQueuingStrategy {
    #hwm;
    constructor(init) { this.#hwm = strategyInit(init, 'CountQueuingStrategy'); }
    get highWaterMark() { if (!(#hwm in this)) throw illegalInvocation(); return this.#hwm; }
    get size() { if (!(#hwm in this)) throw illegalInvocation(); return countSize; }
  }

  // ---- queue-with-sizes (https://streams.spec.whatwg.org/#queue-with-sizes) ----
  const enqueueWithSize = (c, value, size) => {
    if (typeof size !== 'number' || !(size >= 0) || size === Infinity) throw new TypeError('The size of a chunk must be a finite, non-negative number.');
    c.queue.push(value); c.sizes.push(size); c.total += size;
  };
  const dequeueValue = (c) => {
    const v = c.queue.shift();
    c.total -= c.sizes.shift();
    if (c.total < 0) c.total = 0; // rounding errors
    return v;
  };
  const resetQueue = (c) => { c.queue = []; if (c.sizes) c.sizes = []; c.total = 0; };

  // ---- byte helpers ----
  const TA = { Int8Array, Uint8Array, Uint8ClampedArray, Int16Array, Uint16Array, Int32Array, Uint32Array, Float32Array, Float64Array, BigInt64Array, BigUint64Array };
  if (typeof Float16Array === 'function') TA.Float16Array = Float16Array;
  const taName = Object.getOwnPropertyDescriptor(Object.getPrototypeOf(Uint8Array.prototype), Symbol.toStringTag).get;
  const isView = ArrayBuffer.isView;
  const isDetached = (buf) => buf.detached === true;
  // https://streams.spec.whatwg.org/#transfer-array-buffer
  const transfer = (buf) => {
    if (!(buf instanceof ArrayBuffer)) throw new TypeError('Cannot transfer a SharedArrayBuffer.');
    if (isDetached(buf)) throw new TypeError('The ArrayBuffer is detached.');
    return buf.transfer();
  };
  const copyBytes = (dst, dstOff, src, srcOff, n) => { new Uint8Array(dst, dstOff, n).set(new Uint8Array(src, srcOff, n)); };

  // =================================================================================================
  // ReadableStream (https://streams.spec.whatwg.org/#rs-class)
  //
  // How this works: a stream record is 'readable' -> 'closed' | 'errored'. At most one reader
  // (default or BYOB) holds the lock; pending reads wait in reader.reqs as {chunk, close, error}
  // steps. The controller (default: queue of chunks; byte: queue of byte ranges plus pending
  // pull-into descriptors for BYOB reads) calls the source's pull() whenever the queue is below its
  // high-water mark or a read is waiting, never more than one pull at a time (pulling/pullAgain).
  // =================================================================================================
  let rsRec, readerRec, byobReaderRec, rsCtrlRec, byteCtrlRec, byobReqRec;
  const getRS = (o) => { const r = rsRec(o); if (r === null) throw illegalInvocation(); return r; };

  class ReadableStream {
    #r;
    constructor(source = undefined, strategy = undefined) {
      this.#r = { obj: this, state: 'readable', reader: null, storedError: undefined, disturbed: false, controller: null, length: null };
      if (source === kCreate) return;
      const st = dict(strategy, 'strategy');
      const hwmRaw = st.highWaterMark, sizeFn = fnMember(st, 'size', 'strategy');
      const src = dict(source, 'underlyingSource');
      const auto = src.autoAllocateChunkSize;
      const cancel = fnMember(src, 'cancel', 'underlyingSource');
      const expectedLength = src.expectedLength; // workerd extension: a known body length
      const pull = fnMember(src, 'pull', 'underlyingSource');
      const start = fnMember(src, 'start', 'underlyingSource');
      let type = src.type;
      if (type !== undefined) {
        type = String(type);
        if (type !== 'bytes') throw new TypeError(`'${type}' is not a valid type of ReadableStream; the only supported type is 'bytes'.`);
      }
      const self = source === undefined ? null : source;
      const strat = { highWaterMark: hwmRaw };
      if (expectedLength !== undefined) this.#r.length = enforceRange(expectedLength, 'expectedLength');
      if (type === 'bytes') {
        // https://streams.spec.whatwg.org/#set-up-readable-byte-stream-controller-from-underlying-source
        if (sizeFn !== undefined) throw new RangeError('The strategy for a byte stream cannot have a size function.');
        const hwm = extractHWM(strat, 0);
        let chunk;
        if (auto !== undefined) {
          chunk = enforceRange(auto, 'autoAllocateChunkSize');
          if (chunk === 0) throw new TypeError('autoAllocateChunkSize must be greater than 0.');
        }
        const c = newByteController();
        setUpByteController(this.#r, c,
          start ? () => start.call(self, c.obj) : noop,
          pull ? () => call1(pull, self, c.obj) : () => resolved(),
          cancel ? (r) => call1(cancel, self, r) : () => resolved(),
          hwm, chunk);
      } else {
        // https://streams.spec.whatwg.org/#set-up-readable-stream-default-controller-from-underlying-source
        const size = sizeFn === undefined ? one : (ch) => sizeFn(ch);
        const hwm = extractHWM(strat, 1);
        const c = newDefaultController();
        setUpDefaultController(this.#r, c,
          start ? () => start.call(self, c.obj) : noop,
          pull ? () => call1(pull, self, c.obj) : () => resolved(),
          cancel ? (r) => call1(cancel, self, r) : () => resolved(),
          hwm, size);
      }
    }
    static { rsRec = (o) => (isObj(o) && #r in o ? o.#r : null); }
    get locked() { return getRS(this).reader !== null; }
    cancel(reason = undefined) {
      const s = rsRec(this);
      if (s === null) throw illegalInvocation();
      if (s.reader !== null) return rejected(new TypeError('This ReadableStream is currently locked to a reader.'));
      return rsCancel(s, reason);
    }
    getReader(options = undefined) {
      const s = getRS(this);
      const mode = dict(options, 'options').mode;
      if (mode === undefined) return acquireDefaultReader(s).obj;
      if (String(mode) !== 'byob') throw new TypeError(`'${mode}' is not a valid reader mode; the only supported mode is 'byob'.`);
      return acquireBYOBReader(s).obj;
    }
    // https://streams.spec.whatwg.org/#rs-pipe-through
    pipeThrough(transform, options = undefined) {
      const s = getRS(this);
      if (!isObj(transform)) throw new TypeError('pipeThrough() requires a {readable, writable} pair.');
      const readable = transform.readable, writable = transform.writable;
      const rs = rsRec(readable), ws = wsRec(writable);
      if (rs === null) throw new TypeError('pipeThrough(): transform.readable must be a ReadableStream.');
      if (ws === null) throw new TypeError('pipeThrough(): transform.writable must be a WritableStream.');
      const o = pipeOptions(options);
      if (s.reader !== null) throw new TypeError('This ReadableStream is currently locked to a reader.');
      if (ws.writer !== null) throw new TypeError('This WritableStream is currently locked to a writer.');
      markHandled(pipeTo(s, ws, o.preventClose, o.preventAbort, o.preventCancel, o.signal));
      return readable;
    }
    // https://streams.spec.whatwg.org/#rs-pipe-to
    pipeTo(destination, options = undefined) {
      const s = rsRec(this);
      if (s === null) throw illegalInvocation();
      const ws = wsRec(destination);
      if (ws === null) return rejected(new TypeError('pipeTo() requires a WritableStream destination.'));
      let o;
      try { o = pipeOptions(options); } catch (e) { return rejected(e); }
      if (s.reader !== null) return rejected(new TypeError('This ReadableStream is currently locked to a reader.'));
      if (ws.writer !== null) return rejected(new TypeError('This WritableStream is currently locked to a writer.'));
      return pipeTo(s, ws, o.preventClose, o.preventAbort, o.preventCancel, o.signal);
    }
    tee() {
      const s = getRS(this);
      const [a, b] = s.controller.byte ? byteTee(s) : defaultTee(s);
      return [a.obj, b.obj];
    }
    values(options = undefined) {
      const s = getRS(this);
      const preventCancel = !!dict(options, 'options').preventCancel;
      return new RSAsyncIterator(kCreate, acquireDefaultReader(s), preventCancel);
    }
    // https://streams.spec.whatwg.org/#rs-from
    static from(asyncIterable) { return readableFromIterable(asyncIterable).obj; }
  }
  ReadableStream.prototype[Symbol.asyncIterator] = ReadableStream.prototype.values;

  // Internal construction (https://streams.spec.whatwg.org/#create-readable-stream)
  const createReadable = (start, pull, cancel, hwm = 1, size = one) => {
    const s = rsRec(new ReadableStream(kCreate));
    setUpDefaultController(s, newDefaultController(), start, pull, cancel, hwm, size);
    return s;
  };
  // https://streams.spec.whatwg.org/#abstract-opdef-createreadablebytestream
  const createByteReadable = (start, pull, cancel, hwm = 0, auto = undefined) => {
    const s = rsRec(new ReadableStream(kCreate));
    setUpByteController(s, newByteController(), start, pull, cancel, hwm, auto);
    return s;
  };

  // https://streams.spec.whatwg.org/#readable-stream-cancel
  const rsCancel = (s, reason) => {
    s.disturbed = true;
    if (s.state === 'closed') return resolved(undefined);
    if (s.state === 'errored') return rejected(s.storedError);
    rsClose(s);
    const reader = s.reader;
    if (reader !== null && reader.byob) {
      const reqs = reader.reqs; reader.reqs = [];
      for (const r of reqs) r.close(undefined);
    }
    return then(cancelSteps(s.controller, reason), noop);
  };
  // https://streams.spec.whatwg.org/#readable-stream-close
  const rsClose = (s) => {
    s.state = 'closed';
    const reader = s.reader;
    if (reader === null) return;
    reader.closed.resolve(undefined);
    if (!reader.byob) {
      const reqs = reader.reqs; reader.reqs = [];
      for (const r of reqs) r.close();
    }
  };
  // https://streams.spec.whatwg.org/#readable-stream-error
  const rsError = (s, e) => {
    s.state = 'errored'; s.storedError = e;
    const reader = s.reader;
    if (reader === null) return;
    markHandled(reader.closed.promise); reader.closed.reject(e);
    errorRequests(reader, e);
  };
  const errorRequests = (reader, e) => { const reqs = reader.reqs; reader.reqs = []; for (const r of reqs) r.error(e); };
  // https://streams.spec.whatwg.org/#readable-stream-fulfill-read-request (and -read-into-request)
  const fulfillRead = (s, chunk, done) => {
    const r = s.reader.reqs.shift();
    if (done) r.close(chunk); else r.chunk(chunk);
  };
  const numReads = (s) => (s.reader === null ? 0 : s.reader.reqs.length);
  const hasDefaultReader = (s) => s.reader !== null && !s.reader.byob;
  const hasBYOBReader = (s) => s.reader !== null && s.reader.byob;

  // ---- readers (https://streams.spec.whatwg.org/#generic-reader-mixin) ----
  const newReaderRec = (byob) => ({ obj: null, stream: null, closed: null, reqs: [], byob });
  // https://streams.spec.whatwg.org/#readable-stream-reader-generic-initialize
  const readerInit = (r, s) => {
    if (s.reader !== null) throw new TypeError('This ReadableStream is currently locked to a reader.');
    r.stream = s; s.reader = r;
    if (s.state === 'readable') r.closed = new Deferred();
    else if (s.state === 'closed') r.closed = deferredResolved();
    else r.closed = deferredRejected(s.storedError);
  };
  // https://streams.spec.whatwg.org/#readable-stream-reader-generic-release
  const readerRelease = (r) => {
    const s = r.stream;
    const e = new TypeError('This ReadableStream reader has been released.');
    if (s.state === 'readable') { markHandled(r.closed.promise); r.closed.reject(e); } else r.closed = deferredRejected(e);
    releaseSteps(s.controller);
    s.reader = null; r.stream = null;
    errorRequests(r, new TypeError('This ReadableStream reader has been released.'));
  };
  const acquireDefaultReader = (s) => readerRec(new ReadableStreamDefaultReader(s.obj));
  const acquireBYOBReader = (s) => byobReaderRec(new ReadableStreamBYOBReader(s.obj));
  // https://streams.spec.whatwg.org/#readable-stream-default-reader-read
  const readerRead = (r, req) => {
    const s = r.stream;
    s.disturbed = true;
    if (s.state === 'closed') req.close();
    else if (s.state === 'errored') req.error(s.storedError);
    else pullSteps(s.controller, req);
  };
  const readRequest = (res, rej) => ({
    chunk: (value) => res({ value, done: false }),
    close: (value) => res({ value, done: true }),
    error: rej,
  });
  const releasedReader = () => new TypeError('This ReadableStream reader has been released.');

  class ReadableStreamDefaultReader {
    #r;
    constructor(stream) {
      const s = rsRec(stream);
      if (s === null) throw new TypeError("Failed to construct 'ReadableStreamDefaultReader': argument is not a ReadableStream.");
      const r = newReaderRec(false);
      readerInit(r, s);
      r.obj = this; this.#r = r;
    }
    static { readerRec = (o) => (isObj(o) && #r in o ? o.#r : null); }
    get closed() { const r = readerRec(this); if (r === null) throw illegalInvocation(); return r.closed.promise; }
    cancel(reason = undefined) {
      const r = readerRec(this);
      if (r === null) throw illegalInvocation();
      if (r.stream === null) return rejected(releasedReader());
      return rsCancel(r.stream, reason);
    }
    read() {
      const r = readerRec(this);
      if (r === null) throw illegalInvocation();
      if (r.stream === null) return rejected(releasedReader());
      return new P((res, rej) => readerRead(r, readRequest(res, rej)));
    }
    releaseLock() {
      const r = readerRec(this);
      if (r === null) throw illegalInvocation();
      if (r.stream !== null) readerRelease(r);
    }
  }

  class ReadableStreamBYOBReader {
    #r;
    constructor(stream) {
      const s = rsRec(stream);
      if (s === null) throw new TypeError("Failed to construct 'ReadableStreamBYOBReader': argument is not a ReadableStream.");
      if (s.reader !== null) throw new TypeError('This ReadableStream is currently locked to a reader.');
      if (!s.controller.byte) throw new TypeError('This ReadableStream does not support BYOB reads; only byte streams (type: "bytes") do.');
      const r = newReaderRec(true);
      readerInit(r, s);
      r.obj = this; this.#r = r;
    }
    static { byobReaderRec = (o) => (isObj(o) && #r in o ? o.#r : null); }
    get closed() { const r = byobReaderRec(this); if (r === null) throw illegalInvocation(); return r.closed.promise; }
    cancel(reason = undefined) {
      const r = byobReaderRec(this);
      if (r === null) throw illegalInvocation();
      if (r.stream === null) return rejected(releasedReader());
      return rsCancel(r.stream, reason);
    }
    // https://streams.spec.whatwg.org/#byob-reader-read
    read(view, options = undefined) {
      const r = byobReaderRec(this);
      if (r === null) throw illegalInvocation();
      try {
        if (!isView(view)) throw new TypeError('read() requires an ArrayBufferView argument.');
        if (view.byteLength === 0) throw new TypeError('The view passed to read() must not be empty.');
        if (view.buffer.byteLength === 0) throw new TypeError("The view's buffer must not be empty or detached.");
        if (isDetached(view.buffer)) throw new TypeError("The view's buffer is detached.");
        let min = dict(options, 'options').min;
        min = min === undefined ? 1 : enforceRange(min, 'min');
        if (min === 0) throw new TypeError('The min option must be greater than 0.');
        const isTA = taName.call(view) !== undefined;
        if (min > (isTA ? view.length : view.byteLength)) throw new RangeError('The min option must not exceed the length of the view.');
        if (r.stream === null) throw releasedReader();
        const elem = isTA ? view.BYTES_PER_ELEMENT : 1;
        return new P((res, rej) => byobRead(r, view, min * elem, readRequest(res, rej)));
      } catch (e) { return rejected(e); }
    }
    // workerd extension: resolves once at least minBytes bytes have been read into view
    readAtLeast(minBytes, view) {
      const r = byobReaderRec(this);
      if (r === null) throw illegalInvocation();
      try {
        if (!isView(view)) throw new TypeError('readAtLeast() requires an ArrayBufferView argument.');
        const min = enforceRange(minBytes, 'minBytes');
        if (view.byteLength === 0) throw new TypeError('The view passed to readAtLeast() must not be empty.');
        if (min === 0 || min > view.byteLength) throw new RangeError('minBytes must be between 1 and the byte length of the view.');
        const elem = taName.call(view) !== undefined ? view.BYTES_PER_ELEMENT : 1;
        if (min % elem !== 0) throw new TypeError('minBytes must be a multiple of the element size of the view.');
        if (r.stream === null) throw releasedReader();
        return new P((res, rej) => byobRead(r, view, min, readRequest(res, rej)));
      } catch (e) { return rejected(e); }
    }
    releaseLock() {
      const r = byobReaderRec(this);
      if (r === null) throw illegalInvocation();
      if (r.stream !== null) readerRelease(r);
    }
  }
  // https://streams.spec.whatwg.org/#readable-stream-byob-reader-read
  const byobRead = (r, view, minBytes, req) => {
    const s = r.stream;
    s.disturbed = true;
    if (s.state === 'errored') req.error(s.storedError);
    else bytePullInto(s.controller, view, minBytes, req);
  };

  // ---- controller dispatch ([[CancelSteps]], [[PullSteps]], [[ReleaseSteps]]) ----
  const cancelSteps = (c, reason) => {
    if (c.byte) clearPendingPullIntos(c);
    resetQueue(c);
    const p = c.cancel(reason);
    clearAlgorithms(c);
    return p;
  };
  const clearAlgorithms = (c) => { c.pull = undefined; c.cancel = undefined; c.size = undefined; };
  const pullSteps = (c, req) => (c.byte ? bytePullSteps(c, req) : defaultPullSteps(c, req));
  const releaseSteps = (c) => {
    // https://streams.spec.whatwg.org/#rbs-controller-private-release
    if (c.byte && c.pending.length > 0) { const first = c.pending[0]; first.readerType = 'none'; c.pending = [first]; }
  };

  // ---- ReadableStreamDefaultController (https://streams.spec.whatwg.org/#rs-default-controller-class) ----
  const newDefaultController = () => rsCtrlRec(new ReadableStreamDefaultController(kCreate));
  class ReadableStreamDefaultController {
    #r;
    constructor(key) {
      illegalCtor(key);
      this.#r = { obj: this, byte: false, stream: null, queue: [], sizes: [], total: 0, started: false, closeRequested: false, pullAgain: false, pulling: false, size: undefined, hwm: 1, pull: undefined, cancel: undefined };
    }
    static { rsCtrlRec = (o) => (isObj(o) && #r in o ? o.#r : null); }
    get desiredSize() { const c = rsCtrlRec(this); if (c === null) throw illegalInvocation(); return dcDesiredSize(c); }
    close() {
      const c = rsCtrlRec(this);
      if (c === null) throw illegalInvocation();
      if (!dcCanCloseOrEnqueue(c)) throw new TypeError('The ReadableStream cannot be closed: it is already closed, closing or errored.');
      dcClose(c);
    }
    enqueue(chunk = undefined) {
      const c = rsCtrlRec(this);
      if (c === null) throw illegalInvocation();
      if (!dcCanCloseOrEnqueue(c)) throw new TypeError('Cannot enqueue into a ReadableStream that is closed, closing or errored.');
      // a failing size() errors the stream; like workerd, enqueue() itself does not throw then
      try { dcEnqueue(c, chunk); } catch (e) { if (c.stream.state !== 'errored') throw e; }
    }
    error(e = undefined) { const c = rsCtrlRec(this); if (c === null) throw illegalInvocation(); dcError(c, e); }
  }
  // https://streams.spec.whatwg.org/#set-up-readable-stream-default-controller
  const setUpDefaultController = (s, c, start, pull, cancel, hwm, size) => {
    c.stream = s; s.controller = c;
    c.hwm = hwm; c.size = size; c.pull = pull; c.cancel = cancel;
    then(runStart(start), () => { c.started = true; dcCallPullIfNeeded(c); }, (r) => dcError(c, r));
  };
  // https://streams.spec.whatwg.org/#readable-stream-default-controller-call-pull-if-needed
  const dcCallPullIfNeeded = (c) => {
    if (!dcShouldCallPull(c)) return;
    if (c.pulling) { c.pullAgain = true; return; }
    c.pulling = true;
    then(c.pull(), () => {
      c.pulling = false;
      if (c.pullAgain) { c.pullAgain = false; dcCallPullIfNeeded(c); }
    }, (e) => dcError(c, e));
  };
  const dcShouldCallPull = (c) => {
    if (!dcCanCloseOrEnqueue(c) || !c.started) return false;
    if (c.stream.reader !== null && numReads(c.stream) > 0) return true;
    return dcDesiredSize(c) > 0;
  };
  const dcCanCloseOrEnqueue = (c) => !c.closeRequested && c.stream.state === 'readable';
  const dcDesiredSize = (c) => {
    const st = c.stream.state;
    return st === 'errored' ? null : st === 'closed' ? 0 : c.hwm - c.total;
  };
  const dcHasBackpressure = (c) => !dcShouldCallPull(c);
  const dcClose = (c) => {
    if (!dcCanCloseOrEnqueue(c)) return;
    c.closeRequested = true;
    if (c.queue.length === 0) { clearAlgorithms(c); rsClose(c.stream); }
  };
  // https://streams.spec.whatwg.org/#readable-stream-default-controller-enqueue
  const dcEnqueue = (c, chunk) => {
    if (!dcCanCloseOrEnqueue(c)) return;
    const s = c.stream;
    if (s.reader !== null && numReads(s) > 0) fulfillRead(s, chunk, false);
    else {
      try { enqueueWithSize(c, chunk, c.size(chunk)); } catch (e) { dcError(c, e); throw e; }
    }
    dcCallPullIfNeeded(c);
  };
  const dcError = (c, e) => {
    if (c.stream.state !== 'readable') return;
    resetQueue(c); clearAlgorithms(c);
    rsError(c.stream, e);
  };
  // https://streams.spec.whatwg.org/#rs-default-controller-private-pull
  const defaultPullSteps = (c, req) => {
    const s = c.stream;
    if (c.queue.length > 0) {
      const chunk = dequeueValue(c);
      if (c.closeRequested && c.queue.length === 0) { clearAlgorithms(c); rsClose(s); } else dcCallPullIfNeeded(c);
      req.chunk(chunk);
    } else {
      s.reader.reqs.push(req);
      dcCallPullIfNeeded(c);
    }
  };

  // ---- ReadableByteStreamController (https://streams.spec.whatwg.org/#rbs-controller-class) ----
  // The queue holds {buffer, byteOffset, byteLength} ranges of transferred buffers; `pending`
  // holds pull-into descriptors: {buffer, bufferByteLength, byteOffset, byteLength, bytesFilled,
  // minimumFill, elementSize, ctor, readerType: 'default' | 'byob' | 'none'}.
  const newByteController = () => byteCtrlRec(new ReadableByteStreamController(kCreate));
  class ReadableByteStreamController {
    #r;
    constructor(key) {
      illegalCtor(key);
      this.#r = { obj: this, byte: true, stream: null, queue: [], total: 0, started: false, closeRequested: false, pullAgain: false, pulling: false, hwm: 0, pull: undefined, cancel: undefined, size: undefined, auto: undefined, pending: [], byobRequest: null };
    }
    static { byteCtrlRec = (o) => (isObj(o) && #r in o ? o.#r : null); }
    get byobRequest() { const c = byteCtrlRec(this); if (c === null) throw illegalInvocation(); return bcGetBYOBRequest(c); }
    get desiredSize() { const c = byteCtrlRec(this); if (c === null) throw illegalInvocation(); return dcDesiredSize(c); }
    close() {
      const c = byteCtrlRec(this);
      if (c === null) throw illegalInvocation();
      if (c.closeRequested) throw new TypeError('The ReadableStream is already closing.');
      if (c.stream.state !== 'readable') throw new TypeError('The ReadableStream cannot be closed: it is already closed or errored.');
      bcClose(c);
    }
    enqueue(chunk) {
      const c = byteCtrlRec(this);
      if (c === null) throw illegalInvocation();
      if (!isView(chunk)) throw new TypeError('The chunk enqueued into a byte stream must be an ArrayBufferView.');
      if (chunk.byteLength === 0) throw new TypeError('The chunk must not be empty.');
      if (chunk.buffer.byteLength === 0) throw new TypeError("The chunk's buffer must not be empty or detached.");
      if (c.closeRequested) throw new TypeError('Cannot enqueue into a ReadableStream that is closing.');
      if (c.stream.state !== 'readable') throw new TypeError('Cannot enqueue into a ReadableStream that is closed or errored.');
      bcEnqueue(c, chunk);
    }
    error(e = undefined) { const c = byteCtrlRec(this); if (c === null) throw illegalInvocation(); bcError(c, e); }
  }
  // https://streams.spec.whatwg.org/#set-up-readable-byte-stream-controller
  const setUpByteController = (s, c, start, pull, cancel, hwm, auto) => {
    c.stream = s; s.controller = c;
    c.hwm = hwm; c.pull = pull; c.cancel = cancel; c.auto = auto;
    then(runStart(start), () => { c.started = true; bcCallPullIfNeeded(c); }, (r) => bcError(c, r));
  };
  const bcCallPullIfNeeded = (c) => {
    if (!bcShouldCallPull(c)) return;
    if (c.pulling) { c.pullAgain = true; return; }
    c.pulling = true;
    then(c.pull(), () => {
      c.pulling = false;
      if (c.pullAgain) { c.pullAgain = false; bcCallPullIfNeeded(c); }
    }, (e) => bcError(c, e));
  };
  // https://streams.spec.whatwg.org/#readable-byte-stream-controller-should-call-pull
  const bcShouldCallPull = (c) => {
    const s = c.stream;
    if (s.state !== 'readable' || c.closeRequested || !c.started) return false;
    if (numReads(s) > 0) return true;
    return dcDesiredSize(c) > 0;
  };
  const clearPendingPullIntos = (c) => { bcInvalidateBYOBRequest(c); c.pending = []; };
  // https://streams.spec.whatwg.org/#readable-byte-stream-controller-close
  const bcClose = (c) => {
    const s = c.stream;
    if (c.closeRequested || s.state !== 'readable') return;
    if (c.total > 0) { c.closeRequested = true; return; }
    if (c.pending.length > 0) {
      const first = c.pending[0];
      if (first.bytesFilled % first.elementSize !== 0) {
        const e = new TypeError('Insufficient bytes to fill elements in the given buffer.');
        bcError(c, e); throw e;
      }
    }
    clearAlgorithms(c);
    rsClose(s);
  };
  // https://streams.spec.whatwg.org/#readable-byte-stream-controller-commit-pull-into-descriptor
  const bcCommitPullInto = (s, pd) => {
    const done = s.state === 'closed';
    fulfillRead(s, bcConvertPullInto(pd), done);
  };
  const bcConvertPullInto = (pd) => new pd.ctor(transfer(pd.buffer), pd.byteOffset, pd.bytesFilled / pd.elementSize);
  // https://streams.spec.whatwg.org/#readable-byte-stream-controller-enqueue
  const bcEnqueue = (c, chunk) => {
    const s = c.stream;
    if (c.closeRequested || s.state !== 'readable') return;
    const { buffer, byteOffset, byteLength } = chunk;
    if (isDetached(buffer)) throw new TypeError("The chunk's buffer is detached.");
    const tb = transfer(buffer);
    if (c.pending.length > 0) {
      const first = c.pending[0];
      if (isDetached(first.buffer)) throw new TypeError('The BYOB request buffer has been detached.');
      bcInvalidateBYOBRequest(c);
      first.buffer = transfer(first.buffer);
      if (first.readerType === 'none') bcEnqueueDetachedPullInto(c, first);
    }
    if (hasDefaultReader(s)) {
      bcProcessReadRequestsUsingQueue(c);
      if (numReads(s) === 0) bcEnqueueChunk(c, tb, byteOffset, byteLength);
      else {
        if (c.pending.length > 0) c.pending.shift();
        fulfillRead(s, new Uint8Array(tb, byteOffset, byteLength), false);
      }
    } else if (hasBYOBReader(s)) {
      bcEnqueueChunk(c, tb, byteOffset, byteLength);
      for (const pd of bcProcessPullIntosUsingQueue(c)) bcCommitPullInto(s, pd);
    } else bcEnqueueChunk(c, tb, byteOffset, byteLength);
    bcCallPullIfNeeded(c);
  };
  const bcEnqueueChunk = (c, buffer, byteOffset, byteLength) => { c.queue.push({ buffer, byteOffset, byteLength }); c.total += byteLength; };
  const bcEnqueueCloned = (c, buffer, off, len) => {
    let clone;
    try { clone = buffer.slice(off, off + len); } catch (e) { bcError(c, e); throw e; }
    bcEnqueueChunk(c, clone, 0, len);
  };
  const bcEnqueueDetachedPullInto = (c, pd) => {
    if (pd.bytesFilled > 0) bcEnqueueCloned(c, pd.buffer, pd.byteOffset, pd.bytesFilled);
    c.pending.shift();
  };
  const bcError = (c, e) => {
    if (c.stream.state !== 'readable') return;
    clearPendingPullIntos(c); resetQueue(c); clearAlgorithms(c);
    rsError(c.stream, e);
  };
  // https://streams.spec.whatwg.org/#readable-byte-stream-controller-fill-pull-into-descriptor-from-queue
  const bcFillPullIntoFromQueue = (c, pd) => {
    const maxCopy = Math.min(c.total, pd.byteLength - pd.bytesFilled);
    const maxFilled = pd.bytesFilled + maxCopy;
    let remaining = maxCopy, ready = false;
    const maxAligned = maxFilled - (maxFilled % pd.elementSize);
    if (maxAligned >= pd.minimumFill) { remaining = maxAligned - pd.bytesFilled; ready = true; }
    const q = c.queue;
    while (remaining > 0) {
      const head = q[0];
      const n = Math.min(remaining, head.byteLength);
      copyBytes(pd.buffer, pd.byteOffset + pd.bytesFilled, head.buffer, head.byteOffset, n);
      if (head.byteLength === n) q.shift(); else { head.byteOffset += n; head.byteLength -= n; }
      c.total -= n;
      pd.bytesFilled += n;
      remaining -= n;
    }
    return ready;
  };
  // https://streams.spec.whatwg.org/#readable-byte-stream-controller-get-byob-request
  const bcGetBYOBRequest = (c) => {
    if (c.byobRequest === null && c.pending.length > 0) {
      const first = c.pending[0];
      const view = new Uint8Array(first.buffer, first.byteOffset + first.bytesFilled, first.byteLength - first.bytesFilled);
      c.byobRequest = byobReqRec(new ReadableStreamBYOBRequest(kCreate, c, view));
    }
    return c.byobRequest === null ? null : c.byobRequest.obj;
  };
  const bcHandleQueueDrain = (c) => {
    if (c.total === 0 && c.closeRequested) { clearAlgorithms(c); rsClose(c.stream); } else bcCallPullIfNeeded(c);
  };
  const bcInvalidateBYOBRequest = (c) => {
    if (c.byobRequest === null) return;
    c.byobRequest.controller = undefined; c.byobRequest.view = null;
    c.byobRequest = null;
  };
  const bcProcessPullIntosUsingQueue = (c) => {
    const filled = [];
    while (c.pending.length > 0 && c.total > 0) {
      const pd = c.pending[0];
      if (bcFillPullIntoFromQueue(c, pd)) { c.pending.shift(); filled.push(pd); }
    }
    return filled;
  };
  const bcProcessReadRequestsUsingQueue = (c) => {
    const reqs = c.stream.reader.reqs;
    while (reqs.length > 0 && c.total > 0) bcFillReadRequestFromQueue(c, reqs.shift());
  };
  const bcFillReadRequestFromQueue = (c, req) => {
    const e = c.queue.shift();
    c.total -= e.byteLength;
    bcHandleQueueDrain(c);
    req.chunk(new Uint8Array(e.buffer, e.byteOffset, e.byteLength));
  };
  // https://streams.spec.whatwg.org/#readable-byte-stream-controller-pull-into
  const bytePullInto = (c, view, minimumFill, req) => {
    const s = c.stream;
    const name = taName.call(view);
    const ctor = name === undefined ? DataView : TA[name];
    const elementSize = name === undefined ? 1 : view.BYTES_PER_ELEMENT;
    const { byteOffset, byteLength } = view;
    let buffer;
    try { buffer = transfer(view.buffer); } catch (e) { req.error(e); return; }
    const pd = { buffer, bufferByteLength: buffer.byteLength, byteOffset, byteLength, bytesFilled: 0, minimumFill, elementSize, ctor, readerType: 'byob' };
    if (c.pending.length > 0) { c.pending.push(pd); s.reader.reqs.push(req); return; }
    if (s.state === 'closed') { req.close(new ctor(pd.buffer, pd.byteOffset, 0)); return; }
    if (c.total > 0) {
      if (bcFillPullIntoFromQueue(c, pd)) {
        const v = bcConvertPullInto(pd);
        bcHandleQueueDrain(c);
        req.chunk(v);
        return;
      }
      if (c.closeRequested) {
        const e = new TypeError('Insufficient bytes to fill elements in the given buffer.');
        bcError(c, e); req.error(e); return;
      }
    }
    c.pending.push(pd);
    s.reader.reqs.push(req);
    bcCallPullIfNeeded(c);
  };
  // https://streams.spec.whatwg.org/#readable-byte-stream-controller-respond
  const bcRespond = (c, bytesWritten) => {
    const first = c.pending[0];
    if (c.stream.state === 'closed') {
      if (bytesWritten !== 0) throw new TypeError('bytesWritten must be 0 when calling respond() on a closed stream.');
    } else {
      if (bytesWritten === 0) throw new TypeError('bytesWritten must be greater than 0 when calling respond() on a readable stream.');
      if (first.bytesFilled + bytesWritten > first.byteLength) throw new RangeError('bytesWritten out of range.');
    }
    first.buffer = transfer(first.buffer);
    bcRespondInternal(c, bytesWritten);
  };
  const bcRespondInternal = (c, bytesWritten) => {
    const first = c.pending[0];
    bcInvalidateBYOBRequest(c);
    if (c.stream.state === 'closed') {
      // https://streams.spec.whatwg.org/#readable-byte-stream-controller-respond-in-closed-state
      if (first.readerType === 'none') c.pending.shift();
      const s = c.stream;
      if (hasBYOBReader(s)) while (numReads(s) > 0) bcCommitPullInto(s, c.pending.shift());
    } else bcRespondInReadableState(c, bytesWritten, first);
    bcCallPullIfNeeded(c);
  };
  // https://streams.spec.whatwg.org/#readable-byte-stream-controller-respond-in-readable-state
  const bcRespondInReadableState = (c, bytesWritten, pd) => {
    pd.bytesFilled += bytesWritten;
    if (pd.readerType === 'none') {
      bcEnqueueDetachedPullInto(c, pd);
      for (const f of bcProcessPullIntosUsingQueue(c)) bcCommitPullInto(c.stream, f);
      return;
    }
    if (pd.bytesFilled < pd.minimumFill) return;
    c.pending.shift();
    const rem = pd.bytesFilled % pd.elementSize;
    if (rem > 0) {
      bcEnqueueCloned(c, pd.buffer, pd.byteOffset + pd.bytesFilled - rem, rem);
      pd.bytesFilled -= rem;
    }
    const filled = bcProcessPullIntosUsingQueue(c);
    bcCommitPullInto(c.stream, pd);
    for (const f of filled) bcCommitPullInto(c.stream, f);
  };
  // https://streams.spec.whatwg.org/#readable-byte-stream-controller-respond-with-new-view
  const bcRespondWithNewView = (c, view) => {
    const first = c.pending[0];
    if (c.stream.state === 'closed') {
      if (view.byteLength !== 0) throw new TypeError('The view must be empty when calling respondWithNewView() on a closed stream.');
    } else if (view.byteLength === 0) throw new TypeError('The view must not be empty when calling respondWithNewView() on a readable stream.');
    if (first.byteOffset + first.bytesFilled !== view.byteOffset) throw new RangeError('The region specified by view does not match byobRequest.');
    if (first.bufferByteLength !== view.buffer.byteLength) throw new RangeError('The buffer of view has different capacity than byobRequest.');
    if (first.bytesFilled + view.byteLength > first.byteLength) throw new RangeError('The region specified by view is larger than byobRequest.');
    const n = view.byteLength;
    first.buffer = transfer(view.buffer);
    bcRespondInternal(c, n);
  };
  // https://streams.spec.whatwg.org/#rbs-controller-private-pull
  const bytePullSteps = (c, req) => {
    const s = c.stream;
    if (c.total > 0) { bcFillReadRequestFromQueue(c, req); return; }
    if (c.auto !== undefined) {
      let buffer;
      try { buffer = new ArrayBuffer(c.auto); } catch (e) { req.error(e); return; }
      c.pending.push({ buffer, bufferByteLength: c.auto, byteOffset: 0, byteLength: c.auto, bytesFilled: 0, minimumFill: 1, elementSize: 1, ctor: Uint8Array, readerType: 'default' });
    }
    s.reader.reqs.push(req);
    bcCallPullIfNeeded(c);
  };

  // https://streams.spec.whatwg.org/#rs-byob-request-class
  class ReadableStreamBYOBRequest {
    #r;
    constructor(key, controller, view) { illegalCtor(key); this.#r = { obj: this, controller, view }; }
    static { byobReqRec = (o) => (isObj(o) && #r in o ? o.#r : null); }
    get view() { const r = byobReqRec(this); if (r === null) throw illegalInvocation(); return r.view; }
    respond(bytesWritten) {
      const r = byobReqRec(this);
      if (r === null) throw illegalInvocation();
      const n = enforceRange(bytesWritten, 'bytesWritten');
      if (r.controller === undefined) throw new TypeError('This BYOB request has been invalidated.');
      if (isDetached(r.view.buffer)) throw new TypeError("The BYOB request's buffer has been detached.");
      bcRespond(r.controller, n);
    }
    respondWithNewView(view) {
      const r = byobReqRec(this);
      if (r === null) throw illegalInvocation();
      if (!isView(view)) throw new TypeError('respondWithNewView() requires an ArrayBufferView.');
      if (r.controller === undefined) throw new TypeError('This BYOB request has been invalidated.');
      if (isDetached(view.buffer)) throw new TypeError("The view's buffer has been detached.");
      bcRespondWithNewView(r.controller, view);
    }
  }

  // ---- tee (https://streams.spec.whatwg.org/#readable-stream-tee) ----
  // How this works: one default reader on the source; each pull on either branch reads one chunk
  // and enqueues it into both branches (a copy for the second branch of a byte stream, since
  // enqueueing transfers the buffer). Cancelling both branches cancels the source with both reasons.
  // Byte streams tee into byte streams (BYOB reads on a branch are filled from the copied chunks).
  const teeImpl = (s, bytes) => {
    const reader = acquireDefaultReader(s);
    let reading = false, readAgain = false, canceled1 = false, canceled2 = false, reason1, reason2;
    let b1, b2;
    const cancelPromise = new Deferred();
    const enq = (b, chunk) => (bytes ? bcEnqueue(b.controller, chunk) : dcEnqueue(b.controller, chunk));
    const close = (b) => {
      if (!bytes) { dcClose(b.controller); return; }
      try {
        bcClose(b.controller);
        if (b.controller.pending.length > 0) bcRespond(b.controller, 0);
      } catch (e) { /* bcClose errored the branch */ }
    };
    const pull = () => {
      if (reading) { readAgain = true; return resolved(undefined); }
      reading = true;
      readerRead(reader, {
        chunk: (chunk) => {
          // https://streams.spec.whatwg.org/#ref-for-read-request-chunk-steps: defer so that
          // errors/closes observed in the same tick win over the chunk.
          then(resolved(undefined), () => {
            readAgain = false;
            let c1 = chunk, c2 = chunk;
            if (bytes && !canceled1 && !canceled2) {
              try { c2 = new Uint8Array(chunk.buffer.slice(chunk.byteOffset, chunk.byteOffset + chunk.byteLength)); } catch (e) {
                bcError(b1.controller, e); bcError(b2.controller, e); cancelPromise.resolve(rsCancel(s, e)); return;
              }
            }
            try {
              if (!canceled1) enq(b1, c1);
              if (!canceled2) enq(b2, c2);
            } catch (e) { /* a branch errored (e.g. its size() threw) */ }
            reading = false;
            if (readAgain) pull();
          });
        },
        close: () => {
          reading = false;
          if (!canceled1) close(b1);
          if (!canceled2) close(b2);
          if (!canceled1 || !canceled2) cancelPromise.resolve(undefined);
        },
        error: () => { reading = false; },
      });
      return resolved(undefined);
    };
    const cancelBoth = () => cancelPromise.resolve(rsCancel(s, [reason1, reason2]));
    const cancel1 = (r) => { canceled1 = true; reason1 = r; if (canceled2) cancelBoth(); return cancelPromise.promise; };
    const cancel2 = (r) => { canceled2 = true; reason2 = r; if (canceled1) cancelBoth(); return cancelPromise.promise; };
    if (bytes) { b1 = createByteReadable(noop, pull, cancel1); b2 = createByteReadable(noop, pull, cancel2); } else {
      b1 = createReadable(noop, pull, cancel1); b2 = createReadable(noop, pull, cancel2);
    }
    then(reader.closed.promise, undefined, (r) => {
      if (bytes) { bcError(b1.controller, r); bcError(b2.controller, r); } else { dcError(b1.controller, r); dcError(b2.controller, r); }
      if (!canceled1 || !canceled2) cancelPromise.resolve(undefined);
    });
    return [b1, b2];
  };
  const defaultTee = (s) => teeImpl(s, false);
  const byteTee = (s) => teeImpl(s, true);

  // ---- ReadableStream.from (https://streams.spec.whatwg.org/#readable-stream-from-iterable) ----
  const readableFromIterable = (iterable) => {
    if (!isObj(iterable) && typeof iterable !== 'string') throw new TypeError('ReadableStream.from() requires an iterable or async iterable.');
    let method = iterable[Symbol.asyncIterator], iterator, next, sync = false;
    if (method === undefined || method === null) { method = iterable[Symbol.iterator]; sync = true; }
    if (typeof method !== 'function') throw new TypeError('ReadableStream.from() requires an iterable or async iterable.');
    iterator = method.call(iterable);
    if (!isObj(iterator)) throw new TypeError('The iterator method must return an object.');
    next = iterator.next;
    let s;
    const pull = () => {
      let result;
      try { result = next.call(iterator); } catch (e) { return rejected(e); }
      if (sync) {
        // CreateAsyncFromSyncIterator: await the value of a sync iterator's result
        if (!isObj(result)) return rejected(new TypeError('The iterator result must be an object.'));
        const done = !!result.done;
        return then(resolved(result.value), (value) => { if (done) dcClose(s.controller); else dcEnqueue(s.controller, value); });
      }
      return then(resolved(result), (r) => {
        if (!isObj(r)) throw new TypeError('The iterator result must be an object.');
        if (r.done) dcClose(s.controller); else dcEnqueue(s.controller, r.value);
      });
    };
    const cancel = (reason) => {
      let ret;
      try { ret = iterator.return; } catch (e) { return rejected(e); }
      if (ret === undefined || ret === null) return resolved(undefined);
      let result;
      try { result = ret.call(iterator, reason); } catch (e) { return rejected(e); }
      return then(resolved(result), (r) => { if (!isObj(r)) throw new TypeError('The iterator result must be an object.'); });
    };
    s = createReadable(noop, pull, cancel, 0);
    return s;
  };

  // ---- async iteration (https://streams.spec.whatwg.org/#rs-asynciterator) ----
  // WebIDL async iterator semantics: calls to next()/return() are queued behind the ongoing one.
  const AsyncIteratorPrototype = Object.getPrototypeOf(Object.getPrototypeOf(async function* () {}).prototype);
  let iterRec;
  class RSAsyncIterator {
    #r;
    constructor(key, reader, preventCancel) { illegalCtor(key); this.#r = { reader, preventCancel, ongoing: undefined, finished: false }; }
    static { iterRec = (o) => (isObj(o) && #r in o ? o.#r : null); }
    next() {
      const it = iterRec(this);
      if (it === null) throw illegalInvocation();
      const steps = () => {
        if (it.finished) return resolved({ value: undefined, done: true });
        const reader = it.reader;
        const p = new P((res, rej) => {
          if (reader.stream === null) { rej(releasedReader()); return; }
          readerRead(reader, {
            chunk: (value) => res({ value, done: false }),
            close: () => { readerRelease(reader); res({ value: undefined, done: true }); },
            error: (e) => { readerRelease(reader); rej(e); },
          });
        });
        return then(p, (r) => { it.ongoing = undefined; if (r.done) it.finished = true; return r; },
          (e) => { it.ongoing = undefined; it.finished = true; throw e; });
      };
      it.ongoing = it.ongoing ? then(it.ongoing, steps, steps) : steps();
      return it.ongoing;
    }
    return(value = undefined) {
      const it = iterRec(this);
      if (it === null) throw illegalInvocation();
      const steps = () => {
        if (it.finished) return resolved({ value, done: true });
        it.finished = true;
        const reader = it.reader;
        if (reader.stream === null) return resolved({ value, done: true });
        if (!it.preventCancel) {
          const r = rsCancel(reader.stream, value);
          readerRelease(reader);
          return then(r, () => ({ value, done: true }));
        }
        readerRelease(reader);
        return resolved({ value, done: true });
      };
      it.ongoing = it.ongoing ? then(it.ongoing, steps, steps) : steps();
      return it.ongoing;
    }
  }
  Object.setPrototypeOf(RSAsyncIterator.prototype, AsyncIteratorPrototype);
  Object.defineProperty(RSAsyncIterator.prototype, Symbol.toStringTag, { value: 'ReadableStream Async Iterator', configurable: true });

  // ---- pipeTo (https://streams.spec.whatwg.org/#readable-stream-pipe-to) ----
  // How this works: loop { wait for the writer's ready promise; read one chunk; write it (not
  // awaited; `currentWrite` remembers the last write) }. Watchers on both ends' closed promises
  // apply the spec's four propagation rules, and an abort signal triggers the same shutdown.
  // Shutting down waits for writes already started, runs the action (abort/cancel/close), then
  // releases both locks and settles the returned promise.
  const pipeOptions = (options) => {
    const o = dict(options, 'options');
    const signal = o.signal;
    const r = { preventAbort: !!o.preventAbort, preventCancel: !!o.preventCancel, preventClose: !!o.preventClose, signal };
    if (signal !== undefined && !(signal instanceof internal.require('events').AbortSignal)) throw new TypeError('The signal option must be an AbortSignal.');
    return r;
  };
  const pipeTo = (source, dest, preventClose, preventAbort, preventCancel, signal) => {
    const reader = acquireDefaultReader(source);
    const writer = acquireWriter(dest);
    source.disturbed = true;
    let shuttingDown = false, currentWrite = resolved(undefined), abortAlgo = null;
    const result = new Deferred();
    const finalize = (isError, error) => {
      writerRelease(writer);
      readerRelease(reader);
      if (abortAlgo !== null) signal.removeEventListener('abort', abortAlgo);
      if (isError) result.reject(error); else result.resolve(undefined);
    };
    const waitForWrites = () => {
      const old = currentWrite;
      return then(currentWrite, () => (old !== currentWrite ? waitForWrites() : undefined));
    };
    const shutdown = (action, isError, error) => {
      if (shuttingDown) return;
      shuttingDown = true;
      const rest = () => {
        if (action === null) finalize(isError, error);
        else then(action(), () => finalize(isError, error), (e) => finalize(true, e));
      };
      if (dest.state === 'writable' && !wsCloseQueuedOrInFlight(dest)) then(waitForWrites(), rest);
      else rest();
    };
    if (signal !== undefined) {
      abortAlgo = () => {
        const error = signal.reason;
        shutdown(() => P.all([
          !preventAbort && dest.state === 'writable' ? wsAbort(dest, error) : resolved(undefined),
          !preventCancel && source.state === 'readable' ? rsCancel(source, error) : resolved(undefined),
        ]), true, error);
      };
      if (signal.aborted) { abortAlgo(); return result.promise; }
      signal.addEventListener('abort', abortAlgo);
    }
    const onSourceError = (e) => { if (!preventAbort) shutdown(() => wsAbort(dest, e), true, e); else shutdown(null, true, e); };
    const onDestError = (e) => { if (!preventCancel) shutdown(() => rsCancel(source, e), true, e); else shutdown(null, true, e); };
    const onSourceClose = () => { if (!preventClose) shutdown(() => writerCloseWithErrorPropagation(writer), false); else shutdown(null, false); };
    const onDestClosed = () => {
      const e = new TypeError('The destination WritableStream closed before the pipe finished.');
      if (!preventCancel) shutdown(() => rsCancel(source, e), true, e); else shutdown(null, true, e);
    };
    // Check the current states first (in spec order), then watch for changes.
    if (source.state === 'errored') onSourceError(source.storedError);
    else then(reader.closed.promise, () => { if (!shuttingDown) onSourceClose(); }, onSourceError);
    if (dest.state === 'errored' || dest.state === 'erroring') onDestError(dest.storedError);
    else then(writer.closed.promise, undefined, onDestError);
    if (source.state === 'closed') onSourceClose();
    if (wsCloseQueuedOrInFlight(dest) || dest.state === 'closed') onDestClosed();
    const step = () => {
      if (shuttingDown) return;
      then(writer.ready.promise, () => {
        if (shuttingDown) return;
        readerRead(reader, {
          chunk: (chunk) => {
            currentWrite = writerWrite(writer, chunk);
            markHandled(currentWrite);
            step();
          },
          close: noop,
          error: noop,
        });
      }, noop);
    };
    step();
    return result.promise;
  };

  // =================================================================================================
  // WritableStream (https://streams.spec.whatwg.org/#ws-class)
  //
  // How this works: 'writable' -> 'erroring' -> 'errored', or 'writable' -> 'closed'. Writes wait
  // in writeRequests (deferreds) and their chunks in the controller's queue; one write or the close
  // is "in flight" at the sink at a time. An error or abort first moves to 'erroring' so that the
  // in-flight operation can finish, then to 'errored' (running the sink's abort() if requested).
  // Backpressure (queue size >= highWaterMark) toggles the writer's ready promise.
  // =================================================================================================
  let wsRec, writerRec, wsCtrlRec;
  const getWS = (o) => { const r = wsRec(o); if (r === null) throw illegalInvocation(); return r; };
  class WritableStream {
    #r;
    constructor(sink = undefined, strategy = undefined) {
      this.#r = { obj: this, state: 'writable', storedError: undefined, writer: null, controller: null, inFlightWrite: null, closeRequest: null, inFlightClose: null, pendingAbort: null, writeRequests: [], backpressure: false };
      if (sink === kCreate) return;
      const st = dict(strategy, 'strategy');
      const hwmRaw = st.highWaterMark, sizeFn = fnMember(st, 'size', 'strategy');
      const d = dict(sink, 'underlyingSink');
      const abort = fnMember(d, 'abort', 'underlyingSink'), close = fnMember(d, 'close', 'underlyingSink');
      const start = fnMember(d, 'start', 'underlyingSink'), type = d.type, write = fnMember(d, 'write', 'underlyingSink');
      if (type !== undefined) throw new RangeError('Invalid type is specified for the WritableStream.');
      const size = sizeFn === undefined ? one : (ch) => sizeFn(ch);
      const hwm = extractHWM({ highWaterMark: hwmRaw }, 1);
      const self = sink === undefined ? null : sink;
      // https://streams.spec.whatwg.org/#set-up-writable-stream-default-controller-from-underlying-sink
      const c = newWSController();
      setUpWSController(this.#r, c,
        start ? () => start.call(self, c.obj) : noop,
        write ? (chunk) => call2(write, self, chunk, c.obj) : () => resolved(undefined),
        close ? () => call0(close, self) : () => resolved(undefined),
        abort ? (r) => call1(abort, self, r) : () => resolved(undefined),
        hwm, size);
    }
    static { wsRec = (o) => (isObj(o) && #r in o ? o.#r : null); }
    get locked() { return getWS(this).writer !== null; }
    abort(reason = undefined) {
      const s = wsRec(this);
      if (s === null) throw illegalInvocation();
      if (s.writer !== null) return rejected(new TypeError('This WritableStream is currently locked to a writer.'));
      return wsAbort(s, reason);
    }
    close() {
      const s = wsRec(this);
      if (s === null) throw illegalInvocation();
      if (s.writer !== null) return rejected(new TypeError('This WritableStream is currently locked to a writer.'));
      if (wsCloseQueuedOrInFlight(s)) return rejected(new TypeError('This WritableStream is already closing.'));
      return wsClose(s);
    }
    getWriter() { return acquireWriter(getWS(this)).obj; }
  }
  // https://streams.spec.whatwg.org/#create-writable-stream
  const createWritable = (start, write, close, abort, hwm = 1, size = one) => {
    const s = wsRec(new WritableStream(kCreate));
    setUpWSController(s, newWSController(), start, write, close, abort, hwm, size);
    return s;
  };
  // https://streams.spec.whatwg.org/#writable-stream-abort
  const wsAbort = (s, reason) => {
    if (s.state === 'closed' || s.state === 'errored') return resolved(undefined);
    const c = s.controller;
    c.aborted = true; c.abortReason = reason;
    if (c.abortCtl) c.abortCtl.abort(reason);
    if (c.abortHook) c.abortHook(reason);
    const state = s.state;
    if (state === 'closed' || state === 'errored') return resolved(undefined);
    if (s.pendingAbort !== null) return s.pendingAbort.d.promise;
    let wasAlreadyErroring = false;
    if (state === 'erroring') { wasAlreadyErroring = true; reason = undefined; }
    const d = new Deferred();
    s.pendingAbort = { d, reason, wasAlreadyErroring };
    if (!wasAlreadyErroring) wsStartErroring(s, reason);
    return d.promise;
  };
  // https://streams.spec.whatwg.org/#writable-stream-close
  const wsClose = (s) => {
    if (s.state === 'closed' || s.state === 'errored') return rejected(new TypeError('The WritableStream is already closed or errored.'));
    const d = new Deferred();
    s.closeRequest = d;
    const w = s.writer;
    if (w !== null && s.backpressure && s.state === 'writable') w.ready.resolve(undefined);
    enqueueWithSize(s.controller, kCloseSentinel, 0);
    wscAdvanceQueueIfNeeded(s.controller);
    return d.promise;
  };
  const kCloseSentinel = {};
  const wsDealWithRejection = (s, e) => { if (s.state === 'writable') wsStartErroring(s, e); else wsFinishErroring(s); };
  // https://streams.spec.whatwg.org/#writable-stream-finish-erroring
  const wsFinishErroring = (s) => {
    s.state = 'errored';
    resetQueue(s.controller);
    const e = s.storedError;
    for (const d of s.writeRequests) d.reject(e);
    s.writeRequests = [];
    const ab = s.pendingAbort;
    if (ab === null) { wsRejectCloseAndClosedIfNeeded(s); return; }
    s.pendingAbort = null;
    if (ab.wasAlreadyErroring) { ab.d.reject(e); wsRejectCloseAndClosedIfNeeded(s); return; }
    const c = s.controller;
    const p = c.abort(ab.reason);
    clearWSAlgorithms(c);
    then(p, () => { ab.d.resolve(undefined); wsRejectCloseAndClosedIfNeeded(s); }, (r) => { ab.d.reject(r); wsRejectCloseAndClosedIfNeeded(s); });
  };
  const wsFinishInFlightClose = (s) => {
    s.inFlightClose.resolve(undefined); s.inFlightClose = null;
    if (s.state === 'erroring') {
      s.storedError = undefined;
      if (s.pendingAbort !== null) { s.pendingAbort.d.resolve(undefined); s.pendingAbort = null; }
    }
    s.state = 'closed';
    if (s.writer !== null) s.writer.closed.resolve(undefined);
  };
  const wsFinishInFlightCloseWithError = (s, e) => {
    s.inFlightClose.reject(e); s.inFlightClose = null;
    if (s.pendingAbort !== null) { s.pendingAbort.d.reject(e); s.pendingAbort = null; }
    wsDealWithRejection(s, e);
  };
  const wsCloseQueuedOrInFlight = (s) => s.closeRequest !== null || s.inFlightClose !== null;
  const wsRejectCloseAndClosedIfNeeded = (s) => {
    if (s.closeRequest !== null) { s.closeRequest.reject(s.storedError); s.closeRequest = null; }
    const w = s.writer;
    if (w !== null) { markHandled(w.closed.promise); w.closed.reject(s.storedError); }
  };
  // https://streams.spec.whatwg.org/#writable-stream-start-erroring
  const wsStartErroring = (s, reason) => {
    s.state = 'erroring'; s.storedError = reason;
    if (s.writer !== null) writerEnsureReadyRejected(s.writer, reason);
    if (s.inFlightWrite === null && s.inFlightClose === null && s.controller.started) wsFinishErroring(s);
  };
  const wsUpdateBackpressure = (s, bp) => {
    const w = s.writer;
    if (w !== null && bp !== s.backpressure) {
      if (bp) w.ready = new Deferred(); else w.ready.resolve(undefined);
    }
    s.backpressure = bp;
  };

  // ---- WritableStreamDefaultWriter (https://streams.spec.whatwg.org/#default-writer-class) ----
  const acquireWriter = (s) => writerRec(new WritableStreamDefaultWriter(s.obj));
  class WritableStreamDefaultWriter {
    #r;
    constructor(stream) {
      const s = wsRec(stream);
      if (s === null) throw new TypeError("Failed to construct 'WritableStreamDefaultWriter': argument is not a WritableStream.");
      if (s.writer !== null) throw new TypeError('This WritableStream is currently locked to a writer.');
      // https://streams.spec.whatwg.org/#set-up-writable-stream-default-writer
      const w = { obj: this, stream: s, ready: null, closed: null };
      s.writer = w;
      const st = s.state;
      if (st === 'writable') {
        w.ready = !wsCloseQueuedOrInFlight(s) && s.backpressure ? new Deferred() : deferredResolved();
        w.closed = new Deferred();
      } else if (st === 'erroring') {
        w.ready = deferredRejected(s.storedError); w.closed = new Deferred();
      } else if (st === 'closed') {
        w.ready = deferredResolved(); w.closed = deferredResolved();
      } else {
        w.ready = deferredRejected(s.storedError); w.closed = deferredRejected(s.storedError);
      }
      this.#r = w;
    }
    static { writerRec = (o) => (isObj(o) && #r in o ? o.#r : null); }
    get closed() { const w = writerRec(this); if (w === null) throw illegalInvocation(); return w.closed.promise; }
    get ready() { const w = writerRec(this); if (w === null) throw illegalInvocation(); return w.ready.promise; }
    get desiredSize() {
      const w = writerRec(this);
      if (w === null) throw illegalInvocation();
      if (w.stream === null) throw releasedWriter();
      return writerDesiredSize(w);
    }
    abort(reason = undefined) {
      const w = writerRec(this);
      if (w === null) throw illegalInvocation();
      if (w.stream === null) return rejected(releasedWriter());
      return wsAbort(w.stream, reason);
    }
    close() {
      const w = writerRec(this);
      if (w === null) throw illegalInvocation();
      const s = w.stream;
      if (s === null) return rejected(releasedWriter());
      if (wsCloseQueuedOrInFlight(s)) return rejected(new TypeError('This WritableStream is already closing.'));
      return wsClose(s);
    }
    releaseLock() {
      const w = writerRec(this);
      if (w === null) throw illegalInvocation();
      if (w.stream !== null) writerRelease(w);
    }
    write(chunk = undefined) {
      const w = writerRec(this);
      if (w === null) throw illegalInvocation();
      if (w.stream === null) return rejected(releasedWriter());
      return writerWrite(w, chunk);
    }
  }
  const releasedWriter = () => new TypeError('This WritableStream writer has been released.');
  const writerDesiredSize = (w) => {
    const st = w.stream.state;
    if (st === 'errored' || st === 'erroring') return null;
    if (st === 'closed') return 0;
    const c = w.stream.controller;
    return c.hwm - c.total;
  };
  const writerCloseWithErrorPropagation = (w) => {
    const s = w.stream;
    if (wsCloseQueuedOrInFlight(s) || s.state === 'closed') return resolved(undefined);
    if (s.state === 'errored') return rejected(s.storedError);
    return wsClose(s);
  };
  const writerEnsureReadyRejected = (w, e) => {
    if (w.ready.state === 0) { markHandled(w.ready.promise); w.ready.reject(e); } else w.ready = deferredRejected(e);
  };
  const writerEnsureClosedRejected = (w, e) => {
    if (w.closed.state === 0) { markHandled(w.closed.promise); w.closed.reject(e); } else w.closed = deferredRejected(e);
  };
  // https://streams.spec.whatwg.org/#writable-stream-default-writer-release
  const writerRelease = (w) => {
    const s = w.stream;
    const e = releasedWriter();
    writerEnsureReadyRejected(w, e);
    writerEnsureClosedRejected(w, e);
    s.writer = null; w.stream = null;
  };
  // https://streams.spec.whatwg.org/#writable-stream-default-writer-write
  const writerWrite = (w, chunk) => {
    const s = w.stream, c = s.controller;
    const size = wscGetChunkSize(c, chunk);
    if (s !== w.stream) return rejected(releasedWriter());
    const st = s.state;
    if (st === 'errored') return rejected(s.storedError);
    if (wsCloseQueuedOrInFlight(s) || st === 'closed') return rejected(new TypeError('This WritableStream is closed or closing.'));
    if (st === 'erroring') return rejected(s.storedError);
    const d = new Deferred();
    s.writeRequests.push(d);
    // https://streams.spec.whatwg.org/#writable-stream-default-controller-write
    try { enqueueWithSize(c, chunk, size); } catch (e) { wscErrorIfNeeded(c, e); return d.promise; }
    if (!wsCloseQueuedOrInFlight(s) && s.state === 'writable') wsUpdateBackpressure(s, c.hwm - c.total <= 0);
    wscAdvanceQueueIfNeeded(c);
    return d.promise;
  };

  // ---- WritableStreamDefaultController (https://streams.spec.whatwg.org/#ws-default-controller-class) ----
  const newWSController = () => wsCtrlRec(new WritableStreamDefaultController(kCreate));
  class WritableStreamDefaultController {
    #r;
    constructor(key) {
      illegalCtor(key);
      this.#r = { obj: this, stream: null, queue: [], sizes: [], total: 0, started: false, hwm: 1, size: undefined, write: undefined, close: undefined, abort: undefined, abortCtl: null, aborted: false, abortReason: undefined, abortHook: null };
    }
    static { wsCtrlRec = (o) => (isObj(o) && #r in o ? o.#r : null); }
    get signal() {
      const c = wsCtrlRec(this);
      if (c === null) throw illegalInvocation();
      if (c.abortCtl === null) {
        c.abortCtl = new (internal.require('events').AbortController)();
        if (c.aborted) c.abortCtl.abort(c.abortReason);
      }
      return c.abortCtl.signal;
    }
    error(e = undefined) {
      const c = wsCtrlRec(this);
      if (c === null) throw illegalInvocation();
      if (c.stream.state !== 'writable') return;
      wscError(c, e);
    }
  }
  // https://streams.spec.whatwg.org/#set-up-writable-stream-default-controller
  const setUpWSController = (s, c, start, write, close, abort, hwm, size) => {
    c.stream = s; s.controller = c;
    c.hwm = hwm; c.size = size; c.write = write; c.close = close; c.abort = abort;
    wsUpdateBackpressure(s, c.hwm - c.total <= 0);
    then(runStart(start), () => { c.started = true; wscAdvanceQueueIfNeeded(c); },
      (r) => { c.started = true; wsDealWithRejection(s, r); });
  };
  const clearWSAlgorithms = (c) => { c.write = undefined; c.close = undefined; c.abort = undefined; c.size = undefined; };
  const wscError = (c, e) => { clearWSAlgorithms(c); wsStartErroring(c.stream, e); };
  const wscErrorIfNeeded = (c, e) => { if (c.stream.state === 'writable') wscError(c, e); };
  const wscGetChunkSize = (c, chunk) => {
    if (c.size === undefined) return 1;
    try { return c.size(chunk); } catch (e) { wscErrorIfNeeded(c, e); return 1; }
  };
  // https://streams.spec.whatwg.org/#writable-stream-default-controller-advance-queue-if-needed
  const wscAdvanceQueueIfNeeded = (c) => {
    const s = c.stream;
    if (!c.started || s.inFlightWrite !== null) return;
    if (s.state === 'erroring') { wsFinishErroring(s); return; }
    if (c.queue.length === 0) return;
    const value = c.queue[0];
    if (value === kCloseSentinel) {
      // https://streams.spec.whatwg.org/#writable-stream-default-controller-process-close
      s.inFlightClose = s.closeRequest; s.closeRequest = null;
      dequeueValue(c);
      const p = c.close();
      clearWSAlgorithms(c);
      then(p, () => wsFinishInFlightClose(s), (r) => wsFinishInFlightCloseWithError(s, r));
    } else {
      // https://streams.spec.whatwg.org/#writable-stream-default-controller-process-write
      s.inFlightWrite = s.writeRequests.shift();
      then(c.write(value), () => {
        s.inFlightWrite.resolve(undefined); s.inFlightWrite = null;
        dequeueValue(c);
        if (!wsCloseQueuedOrInFlight(s) && s.state === 'writable') wsUpdateBackpressure(s, c.hwm - c.total <= 0);
        wscAdvanceQueueIfNeeded(c);
      }, (r) => {
        if (s.state === 'writable') clearWSAlgorithms(c);
        s.inFlightWrite.reject(r); s.inFlightWrite = null;
        wsDealWithRejection(s, r);
      });
    }
  };

  // =================================================================================================
  // TransformStream (https://streams.spec.whatwg.org/#ts-class)
  //
  // How this works: a writable whose sink runs transform() and a readable whose source only
  // toggles backpressure. While the readable is full (backpressure), writes wait on
  // bpChange, which resolves when the readable is pulled. Close runs flush() then closes the
  // readable; abort/cancel run the transformer's cancel() once (finish) and error the other side.
  // =================================================================================================
  let tsRec, tsCtrlRec;
  class TransformStream {
    #r;
    constructor(transformer = undefined, writableStrategy = undefined, readableStrategy = undefined) {
      const ts = this.#r = { obj: this, readable: null, writable: null, backpressure: undefined, bpChange: undefined, controller: null };
      if (transformer === kCreate) return;
      const wst = dict(writableStrategy, 'writableStrategy');
      const wHwmRaw = wst.highWaterMark, wSizeFn = fnMember(wst, 'size', 'writableStrategy');
      const rst = dict(readableStrategy, 'readableStrategy');
      const rHwmRaw = rst.highWaterMark, rSizeFn = fnMember(rst, 'size', 'readableStrategy');
      const d = dict(transformer, 'transformer');
      const cancel = fnMember(d, 'cancel', 'transformer'), flush = fnMember(d, 'flush', 'transformer');
      const readableType = d.readableType, start = fnMember(d, 'start', 'transformer');
      const transform = fnMember(d, 'transform', 'transformer'), writableType = d.writableType;
      if (readableType !== undefined) throw new RangeError('Invalid readableType specified.');
      if (writableType !== undefined) throw new RangeError('Invalid writableType specified.');
      const rHwm = extractHWM({ highWaterMark: rHwmRaw }, 0), rSize = rSizeFn === undefined ? one : (ch) => rSizeFn(ch);
      const wHwm = extractHWM({ highWaterMark: wHwmRaw }, 1), wSize = wSizeFn === undefined ? one : (ch) => wSizeFn(ch);
      const startPromise = new Deferred();
      initTransformStream(ts, startPromise.promise, wHwm, wSize, rHwm, rSize);
      // https://streams.spec.whatwg.org/#set-up-transform-stream-default-controller-from-transformer
      const self = transformer === undefined ? null : transformer;
      const c = tsCtrlRec(new TransformStreamDefaultController(kCreate));
      setUpTSController(ts, c,
        transform ? (chunk) => call2(transform, self, chunk, c.obj) : (chunk) => identityTransform(c, chunk),
        flush ? () => call1(flush, self, c.obj) : () => resolved(undefined),
        cancel ? (r) => call1(cancel, self, r) : () => resolved(undefined));
      startPromise.resolve(start ? runStart(() => start.call(self, c.obj)) : undefined);
    }
    static { tsRec = (o) => (isObj(o) && #r in o ? o.#r : null); }
    get readable() { const t = tsRec(this); if (t === null) throw illegalInvocation(); return t.readable.obj; }
    get writable() { const t = tsRec(this); if (t === null) throw illegalInvocation(); return t.writable.obj; }
  }
  const identityTransform = (c, chunk) => { try { tscEnqueue(c, chunk); return resolved(undefined); } catch (e) { return rejected(e); } };
  // https://streams.spec.whatwg.org/#initialize-transform-stream
  const initTransformStream = (ts, startPromise, wHwm, wSize, rHwm, rSize) => {
    const start = () => startPromise;
    ts.writable = createWritable(start, (chunk) => tsSinkWrite(ts, chunk), () => tsSinkClose(ts), (r) => tsSinkAbort(ts, r), wHwm, wSize);
    ts.readable = createReadable(start, () => tsSourcePull(ts), (r) => tsSourceCancel(ts, r), rHwm, rSize);
    ts.backpressure = undefined; ts.bpChange = undefined;
    tsSetBackpressure(ts, true);
  };
  const tsError = (ts, e) => { dcError(ts.readable.controller, e); tsErrorWritableAndUnblockWrite(ts, e); };
  const tsErrorWritableAndUnblockWrite = (ts, e) => {
    clearTSAlgorithms(ts.controller);
    wscErrorIfNeeded(ts.writable.controller, e);
    tsUnblockWrite(ts);
  };
  const tsUnblockWrite = (ts) => { if (ts.backpressure) tsSetBackpressure(ts, false); };
  const tsSetBackpressure = (ts, bp) => {
    if (ts.bpChange !== undefined) ts.bpChange.resolve(undefined);
    ts.bpChange = new Deferred();
    ts.backpressure = bp;
  };
  class TransformStreamDefaultController {
    #r;
    constructor(key) { illegalCtor(key); this.#r = { obj: this, stream: null, transform: undefined, flush: undefined, cancel: undefined, finish: undefined }; }
    static { tsCtrlRec = (o) => (isObj(o) && #r in o ? o.#r : null); }
    get desiredSize() { const c = tsCtrlRec(this); if (c === null) throw illegalInvocation(); return dcDesiredSize(c.stream.readable.controller); }
    enqueue(chunk = undefined) { const c = tsCtrlRec(this); if (c === null) throw illegalInvocation(); tscEnqueue(c, chunk); }
    error(reason = undefined) { const c = tsCtrlRec(this); if (c === null) throw illegalInvocation(); tsError(c.stream, reason); }
    terminate() {
      const c = tsCtrlRec(this);
      if (c === null) throw illegalInvocation();
      // https://streams.spec.whatwg.org/#transform-stream-default-controller-terminate
      const ts = c.stream;
      dcClose(ts.readable.controller);
      tsErrorWritableAndUnblockWrite(ts, new TypeError('The TransformStream has been terminated.'));
    }
  }
  const setUpTSController = (ts, c, transform, flush, cancel) => {
    c.stream = ts; ts.controller = c;
    c.transform = transform; c.flush = flush; c.cancel = cancel;
  };
  const clearTSAlgorithms = (c) => { c.transform = undefined; c.flush = undefined; c.cancel = undefined; };
  // https://streams.spec.whatwg.org/#transform-stream-default-controller-enqueue
  const tscEnqueue = (c, chunk) => {
    const ts = c.stream, rc = ts.readable.controller;
    if (!dcCanCloseOrEnqueue(rc)) throw new TypeError('The readable side of the TransformStream is closed or errored.');
    try { dcEnqueue(rc, chunk); } catch (e) { tsErrorWritableAndUnblockWrite(ts, e); throw ts.readable.storedError; }
    const bp = dcHasBackpressure(rc);
    if (bp !== ts.backpressure) tsSetBackpressure(ts, true);
  };
  const tscPerformTransform = (c, chunk) => then(c.transform(chunk), undefined, (r) => { tsError(c.stream, r); throw r; });
  // https://streams.spec.whatwg.org/#transform-stream-default-sink-write-algorithm
  const tsSinkWrite = (ts, chunk) => {
    const c = ts.controller;
    if (ts.backpressure) {
      return then(ts.bpChange.promise, () => {
        const w = ts.writable;
        if (w.state === 'erroring') throw w.storedError;
        return tscPerformTransform(c, chunk);
      });
    }
    return tscPerformTransform(c, chunk);
  };
  // https://streams.spec.whatwg.org/#transform-stream-default-sink-abort-algorithm
  const tsSinkAbort = (ts, reason) => {
    const c = ts.controller;
    if (c.finish !== undefined) return c.finish.promise;
    const rs = ts.readable;
    const f = c.finish = new Deferred();
    const p = c.cancel(reason);
    clearTSAlgorithms(c);
    then(p, () => {
      if (rs.state === 'errored') f.reject(rs.storedError);
      else { dcError(rs.controller, reason); f.resolve(undefined); }
    }, (r) => { dcError(rs.controller, r); f.reject(r); });
    return f.promise;
  };
  // https://streams.spec.whatwg.org/#transform-stream-default-sink-close-algorithm
  const tsSinkClose = (ts) => {
    const c = ts.controller;
    if (c.finish !== undefined) return c.finish.promise;
    const rs = ts.readable;
    const f = c.finish = new Deferred();
    const p = c.flush();
    clearTSAlgorithms(c);
    then(p, () => {
      if (rs.state === 'errored') f.reject(rs.storedError);
      else { dcClose(rs.controller); f.resolve(undefined); }
    }, (r) => { dcError(rs.controller, r); f.reject(r); });
    return f.promise;
  };
  // https://streams.spec.whatwg.org/#transform-stream-default-source-cancel
  const tsSourceCancel = (ts, reason) => {
    const c = ts.controller;
    if (c.finish !== undefined) return c.finish.promise;
    const ws = ts.writable;
    const f = c.finish = new Deferred();
    const p = c.cancel(reason);
    clearTSAlgorithms(c);
    then(p, () => {
      if (ws.state === 'errored') f.reject(ws.storedError);
      else { wscErrorIfNeeded(ws.controller, reason); tsUnblockWrite(ts); f.resolve(undefined); }
    }, (r) => { wscErrorIfNeeded(ws.controller, r); tsUnblockWrite(ts); f.reject(r); });
    return f.promise;
  };
  const tsSourcePull = (ts) => { tsSetBackpressure(ts, false); return ts.bpChange.promise; };

  // =================================================================================================
  // workerd's IdentityTransformStream and FixedLengthStream: a writable of bytes feeding a byte
  // readable (BYOB reads supported). How this works: write() enqueues a copy into the readable and
  // resolves once the readable has drained (its pull() is called again), so writes are paced by
  // reads. FixedLengthStream also counts bytes: more than `length` (at a write) or fewer (at close)
  // errors the readable side, as workerd does.
  // =================================================================================================
  const notBytes = () => new TypeError('This TransformStream is being used as a byte stream, but received an object of non-ArrayBuffer/ArrayBufferView type on its writable side.');
  const setUpIdentity = (ts, hwm, length) => {
    let waiter = null, written = 0;
    const wake = (err) => { const w = waiter; waiter = null; if (w !== null) { if (err === undefined) w.resolve(undefined); else w.reject(err); } };
    const rs = createByteReadable(noop, () => { wake(); return resolved(undefined); }, (reason) => {
      wscErrorIfNeeded(ws.controller, reason);
      wake(reason);
      return resolved(undefined);
    }, Math.max(hwm, 1));
    const rc = rs.controller;
    const ws = createWritable(noop, (chunk) => {
      let u8;
      if (typeof chunk === 'string') u8 = host.utf8Encode(chunk); // workerd encodes strings as UTF-8
      else if (internal.isBufferSource(chunk)) u8 = internal.copyBytes(chunk);
      else return rejected(notBytes());
      if (length !== null) {
        written += u8.length;
        if (written > length) {
          // like workerd: the readable side errors, the write itself does not fail
          const e = new TypeError('Attempt to write too many bytes through a FixedLengthStream.');
          bcError(rc, e);
          wscErrorIfNeeded(ws.controller, e);
          return resolved(undefined);
        }
      }
      if (u8.length === 0) return resolved(undefined);
      if (rs.state !== 'readable') return rejected(rs.state === 'errored' ? rs.storedError : new TypeError('The readable side was closed.'));
      bcEnqueue(rc, u8);
      if (dcDesiredSize(rc) > 0) return resolved(undefined);
      waiter = new Deferred();
      return waiter.promise;
    }, () => {
      if (length !== null && written < length) {
        bcError(rc, new TypeError('FixedLengthStream did not see all expected bytes before close().'));
        return resolved(undefined);
      }
      if (rs.state === 'readable' && !rc.closeRequested) {
        bcClose(rc);
        if (rc.pending.length > 0) bcRespond(rc, 0);
      }
      return resolved(undefined);
    }, (reason) => { bcError(rc, reason); return resolved(undefined); }, 1);
    // an abort must not wait for a write that waits for a reader
    ws.controller.abortHook = (reason) => { bcError(rc, reason); wake(reason); };
    rs.length = length;
    ts.readable = rs; ts.writable = ws;
  };
  const identityOptions = (o) => {
    o = dict(o, 'options');
    return o.highWaterMark === undefined ? 0 : enforceRange(o.highWaterMark, 'highWaterMark');
  };
  let fixedLength = null; // passes FixedLengthStream's length through IdentityTransformStream's constructor
  class IdentityTransformStream extends TransformStream {
    constructor(options = undefined) {
      const length = fixedLength;
      fixedLength = null;
      super(kCreate);
      setUpIdentity(tsRec(this), identityOptions(options), length);
    }
  }
  class FixedLengthStream extends IdentityTransformStream {
    constructor(expectedLength, options = undefined) {
      // workerd accepts a number or a BigInt up to 2^53 - 1
      if (arguments.length === 0) throw new TypeError("Failed to construct 'FixedLengthStream': 1 argument required, but only 0 present.");
      const n = Number(expectedLength);
      if (!Number.isInteger(n) || n < 0 || n > Number.MAX_SAFE_INTEGER) throw new TypeError('FixedLengthStream requires a non-negative integer expected length.');
      fixedLength = n;
      super(options);
    }
  }

  // ---- TextEncoderStream / TextDecoderStream (https://encoding.spec.whatwg.org/#interface-textencoderstream) ----
  class TextEncoderStream extends TransformStream {
    constructor() {
      const enc = new (internal.require('encoding').TextEncoder)();
      let pending = ''; // a high surrogate left over from the previous chunk
      super({
        // https://encoding.spec.whatwg.org/#encode-and-enqueue-a-chunk
        transform(chunk, c) {
          let s = pending + String(chunk);
          pending = '';
          const last = s.charCodeAt(s.length - 1);
          if (last >= 0xd800 && last <= 0xdbff) { pending = s[s.length - 1]; s = s.slice(0, -1); }
          if (s.length > 0) c.enqueue(enc.encode(s));
        },
        // https://encoding.spec.whatwg.org/#encode-and-flush
        flush(c) { if (pending) c.enqueue(new Uint8Array([0xef, 0xbf, 0xbd])); },
      });
    }
    get encoding() { return 'utf-8'; }
  }
  let tdsDecoder;
  class TextDecoderStream extends TransformStream {
    #dec;
    constructor(label = 'utf-8', options = undefined) {
      const dec = new (internal.require('encoding').TextDecoder)(label, options);
      super({
        // https://encoding.spec.whatwg.org/#decode-and-enqueue-a-chunk
        transform(chunk, c) {
          if (!internal.isBufferSource(chunk)) throw new TypeError('TextDecoderStream only accepts ArrayBuffer or ArrayBufferView chunks.');
          const s = dec.decode(chunk, { stream: true });
          if (s) c.enqueue(s);
        },
        // https://encoding.spec.whatwg.org/#flush-and-enqueue
        flush(c) { const s = dec.decode(); if (s) c.enqueue(s); },
      });
      this.#dec = dec;
    }
    static { tdsDecoder = (o) => { if (!isObj(o) || !(#dec in o)) throw illegalInvocation(); return o.#dec; }; }
    get encoding() { return tdsDecoder(this).encoding; }
    get fatal() { return tdsDecoder(this).fatal; }
    get ignoreBOM() { return tdsDecoder(this).ignoreBOM; }
  }

  // ---- exports ----
  const ex = {
    ReadableStream, ReadableStreamDefaultReader, ReadableStreamBYOBReader, ReadableStreamDefaultController,
    ReadableByteStreamController, ReadableStreamBYOBRequest, WritableStream, WritableStreamDefaultWriter,
    WritableStreamDefaultController, TransformStream, TransformStreamDefaultController,
    ByteLengthQueuingStrategy, CountQueuingStrategy, IdentityTransformStream, FixedLengthStream,
    TextEncoderStream, TextDecoderStream,
  };
  for (const k in ex) {
    Object.defineProperty(ex[k].prototype, Symbol.toStringTag, { value: k, configurable: true });
    internal.defineGlobal(k, ex[k]);
  }
  internal.isReadableStream = (v) => rsRec(v) !== null;
  internal.isWritableStream = (v) => wsRec(v) !== null;
  internal.isDisturbed = (v) => { const s = rsRec(v); return s !== null && s.disturbed; };
  // For transformers that produce output in pieces (compression): resolves once the readable side
  // wants more (no backpressure), so a transform can pace its enqueues by the reader.
  internal.whenPulled = (controller) => {
    const c = tsCtrlRec(controller);
    const ts = c === null ? null : c.stream;
    return ts !== null && ts.backpressure ? ts.bpChange.promise : resolved(undefined);
  };
  internal.streamLength = (v) => { const s = rsRec(v); return s === null ? null : s.length; };
  // For other glue (compression, sockets): build streams from algorithms without user-visible hooks.
  internal.createReadable = (start, pull, cancel, hwm, size) => createReadable(start, pull, cancel, hwm, size).obj;
  internal.createByteReadable = (start, pull, cancel, hwm, auto) => createByteReadable(start, pull, cancel, hwm, auto).obj;
  internal.createWritable = (start, write, close, abort, hwm, size) => createWritable(start, write, close, abort, hwm, size).obj;
  internal.modules.streams = ex;
})
