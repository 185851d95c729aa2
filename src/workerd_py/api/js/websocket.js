// WebSockets as workerd has them: WebSocketPair, WebSocket (accept/send/close, events),
// MessageEvent, CloseEvent, ErrorEvent. https://websockets.spec.whatwg.org/ and workerd's
// api/web-socket.c++ (its messages and checks).
//
// How this works: every WebSocket has a peer. A pair's two ends are peers of each other; what
// one sends is delivered to the other (a microtask later, in order), or kept in the other's
// inbox until it calls accept(). An end that is returned in a Response is *coupled* to the host:
// it gets a host id, and what its peer sends goes to the host (host.wsSend), which carries it to
// the client socket or another worker; what the host delivers for that id (internal.wsDeliver)
// is what the far party sent, delivered to the peer. A WebSocket that came from the host (a
// fetch() or service-binding answer) is one end of a pair whose other, hidden end is coupled.
// Messages: [TEXT, string] [BINARY, Uint8Array|ArrayBuffer] [CLOSE, code, reason] [ABORT].
(function (internal, host) {
  'use strict';
  const { Event, EventTarget } = internal.require('events');
  const flags = internal.flags;
  const TEXT = 0, BINARY = 1, CLOSE = 2, ABORT = 3;
  const tag = (C, name) => Object.defineProperty(C.prototype, Symbol.toStringTag, { value: name, configurable: true });

  class MessageEvent extends Event {
    #data;
    constructor(type, init = undefined) {
      if (arguments.length === 0) throw new TypeError("Failed to construct 'MessageEvent': constructor parameter 1 is not of type 'string'.");
      super(type);
      this.#data = init === undefined || init === null ? undefined : init.data;
    }
    get data() { return this.#data; }
    get origin() { return null; }
    get lastEventId() { return null; }
    get source() { return null; }
    get ports() { return undefined; }
  }
  tag(MessageEvent, 'MessageEvent');

  class CloseEvent extends Event {
    #code; #reason; #clean;
    constructor(type, init = undefined) {
      if (arguments.length === 0) throw new TypeError("Failed to construct 'CloseEvent': constructor parameter 1 is not of type 'string'.");
      super(type);
      init = init || {};
      this.#code = init.code === undefined ? 0 : Number(init.code) | 0;
      this.#reason = init.reason === undefined ? '' : String(init.reason);
      this.#clean = init.wasClean === undefined ? false : !!init.wasClean;
    }
    get code() { return this.#code; }
    get reason() { return this.#reason; }
    get wasClean() { return this.#clean; }
  }
  tag(CloseEvent, 'CloseEvent');

  class ErrorEvent extends Event {
    #init;
    constructor(type, init = undefined) {
      if (arguments.length === 0) throw new TypeError("Failed to construct 'ErrorEvent': constructor parameter 1 is not of type 'string'.");
      super(type);
      this.#init = init || {};
    }
    get filename() { return this.#init.filename === undefined ? '' : String(this.#init.filename); }
    get message() { return this.#init.message === undefined ? '' : String(this.#init.message); }
    get lineno() { return this.#init.lineno === undefined ? 0 : this.#init.lineno >>> 0; }
    get colno() { return this.#init.colno === undefined ? 0 : this.#init.colno >>> 0; }
    get error() { return this.#init.error; }
  }
  tag(ErrorEvent, 'ErrorEvent');

  // state: [peer, hostId, accepted, released, closedOutgoing, closedIncoming, inbox, error,
  //         outgoingAborted, url, hostClosedIn, hostClosedOut]
  //         connecting (new WebSocket() before its handshake), protocol, extensions
  const P = 0, HOST = 1, ACC = 2, REL = 3, COUT = 4, CIN = 5, INBOX = 6, ERR = 7, ABORTED = 8, WSURL = 9, HIN = 10, HOUT = 11;
  const CONNECTING = 12, PROTO = 13, EXT = 14, BTYPE = 15;
  // websocket_standard_binary_type (2026-03-17): binaryType starts as "blob" and binary messages
  // arrive as Blobs unless it is set to "arraybuffer"; before, they are always ArrayBuffers
  const standardBinary = !!flags.websocket_standard_binary_type;
  const kS = Symbol('ws');
  let constructing = false;
  const byId = new Map();   // host id -> the coupled WebSocket
  const invalidState = () => new TypeError('You must call one of accept() or state.acceptWebSocket() on this WebSocket before sending messages.');
  const invalidAccess = (msg) => new DOMException(msg, 'InvalidAccessError');

  class WebSocket extends EventTarget {
    // an outbound WebSocket: a fetch() with `Upgrade: websocket` through the worker's
    // globalOutbound; `open` when the origin answered 101 (workerd's WebSocket::constructor)
    constructor(url, protocols = undefined) {
      if (constructing) { super(); return; }
      if (arguments.length === 0) throw new TypeError("Failed to construct 'WebSocket': constructor parameter 1 is not of type 'string'.");
      const str = String(url);
      const err = (m) => new DOMException('WebSocket Constructor: ' + m, 'SyntaxError');
      let u;
      try { u = new URL(str); } catch (e) { throw err('The url is invalid.'); }
      if (u.protocol !== 'ws:' && u.protocol !== 'wss:') throw err('The url scheme must be ws or wss.');
      if (u.hash !== '' || str.includes('#')) throw err('The url fragment must be empty.');
      const headers = { Upgrade: 'websocket' };
      if (protocols !== undefined) {
        let list;
        if (typeof protocols === 'string') {
          if (!validToken(protocols)) throw err('The protocol header token is invalid.');
          list = [protocols];
        } else {
          list = Array.from(protocols, String);
          const seen = new Set();
          for (const p of list) {
            if (!validToken(p)) throw err('One of the protocol header tokens is invalid.');
            if (seen.has(p)) throw err('The protocols header cannot have repeating values.');
            seen.add(p);
          }
        }
        if (list.length) headers['Sec-WebSocket-Protocol'] = list.join(', ');   // (workerd 2026-11-17 accepts [])
      }
      super();
      const s = this[kS] = newState();
      s[WSURL] = str;
      s[CONNECTING] = true;
      s[PROTO] = ''; s[EXT] = '';
      const httpUrl = (u.protocol === 'ws:' ? 'http:' : 'https:') + u.href.slice(u.protocol.length);
      internal.require('fetch').fetch(httpUrl, { headers }).then((res) => {
        if (res.status !== 101 || res.webSocket === null) {
          throw new TypeError(`Failed to establish the WebSocket connection: expected server to reply with HTTP status code 101 (switching protocols), but received ${res.status} instead.`);
        }
        const far = res.webSocket[kS];   // a socket for the connection: this one takes its place
        const hidden = far[P];
        far[REL] = true; far[P] = null;
        hidden[kS][P] = this; s[P] = hidden;
        s[INBOX] = far[INBOX]; far[INBOX] = [];
        s[PROTO] = res.headers.get('sec-websocket-protocol');
        s[EXT] = res.headers.get('sec-websocket-extensions');
        s[CONNECTING] = false;
        if (s[REL]) { transmit(this, [CLOSE, 1000, '']); return; }   // close() was called meanwhile
        this.accept();
        dispatch(this, new Event('open'));
      }).catch((e) => {
        s[CONNECTING] = false;
        s[CIN] = true;
        if (s[ERR] === null) {
          s[ERR] = e;
          s[ABORTED] = true;
          dispatch(this, new ErrorEvent('error', { message: `Uncaught ${e && e.name ? e.name : 'Error'}: ${e && e.message}`, error: e }));
        }
        dispatch(this, new CloseEvent('close', { code: 1006, reason: 'Failed to establish websocket connection', wasClean: false }));
      });
    }
    accept() {
      const s = this[kS];
      if (s[CONNECTING]) throw new TypeError("Websockets obtained from the 'new WebSocket()' constructor cannot call accept");
      if (s[REL]) throw new TypeError("Can't accept() WebSocket that was already used in a response.");
      if (s[ACC]) return;
      s[ACC] = true;
      const inbox = s[INBOX];
      s[INBOX] = [];
      if (inbox.length) later(() => { for (const m of inbox) receive(this, m); });
    }
    send(message) {
      const s = this[kS];
      if (s[COUT]) throw new TypeError("Can't call WebSocket send() after close().");
      if (s[ABORTED] || s[REL]) return;
      if (!s[ACC]) throw invalidState();
      let msg;
      if (message instanceof ArrayBuffer || ArrayBuffer.isView(message)) msg = [BINARY, internal.copyBytes(message)];
      else msg = [TEXT, String(message)];
      transmit(this, msg);
    }
    close(code = undefined, reason = undefined) {
      const s = this[kS];
      if (s[CONNECTING]) { s[REL] = true; return; }   // before the handshake: it is dropped
      if (s[COUT] || s[ABORTED] || s[REL]) return;
      if (!s[ACC]) throw invalidState();
      if (s[ERR] !== null) throw s[ERR];
      if (code !== undefined) {
        code = Number(code);
        code = Number.isFinite(code) ? Math.trunc(code) : 0;
        if (!(code >= 1000 && code < 5000 && code !== 1004 && code !== 1005 && code !== 1006 && code !== 1015)) throw invalidAccess(`Invalid WebSocket close code: ${code}.`);
      }
      if (reason !== undefined) {
        if (code === undefined) throw invalidAccess('If you specify a WebSocket close reason, you must also specify a code.');
        reason = String(reason);
        if (flags.websocket_close_reason_byte_limit && host.utf8Encode(reason).length > 123) throw new DOMException('The close reason must not be longer than 123 bytes.', 'SyntaxError');
      }
      s[COUT] = true;
      transmit(this, [CLOSE, code === undefined ? 1005 : code, reason === undefined ? '' : reason]);
      if (s[CIN]) s[REL] = true;
    }
    serializeAttachment(value) { this[kS].attachment = structuredClone(value); }
    deserializeAttachment() { const a = this[kS].attachment; return a === undefined ? null : structuredClone(a); }
    get readyState() {
      const s = this[kS];
      if ((s[CIN] && s[COUT]) || s[ERR] !== null) return 3;
      if (s[CIN] || s[COUT]) return 2;
      return s[CONNECTING] ? 0 : 1;
    }
    get bufferedAmount() { return 0; }
    get url() { return this[kS][WSURL]; }
    get protocol() { return this[kS][PROTO]; }
    get extensions() { return this[kS][EXT]; }
    get binaryType() { return this[kS][BTYPE]; }
    set binaryType(v) {
      v = String(v);
      if (v === 'arraybuffer' || v === 'blob') this[kS][BTYPE] = v;
    }
  }
  const CONSTANTS = [['READY_STATE_CONNECTING', 0], ['CONNECTING', 0], ['READY_STATE_OPEN', 1], ['OPEN', 1],
    ['READY_STATE_CLOSING', 2], ['CLOSING', 2], ['READY_STATE_CLOSED', 3], ['CLOSED', 3]];
  for (const [k, v] of CONSTANTS) {
    Object.defineProperty(WebSocket, k, { value: v, enumerable: true });
    Object.defineProperty(WebSocket.prototype, k, { value: v, enumerable: true });
  }
  tag(WebSocket, 'WebSocket');

  const newState = () => [null, null, false, false, false, false, [], null, false, null, false, false, false, null, null,
    standardBinary ? 'blob' : 'arraybuffer'];
  const newSocket = () => {
    constructing = true;
    let ws;
    try { ws = new WebSocket(); } finally { constructing = false; }
    ws[kS] = newState();
    return ws;
  };
  // https://datatracker.ietf.org/doc/html/rfc6455#section-4.1 item 10
  const validToken = (p) => p.length > 0 && /^[\x21-\x7e]+$/.test(p) && !/[()<>@,;:\\/[\]?={}]/.test(p);
  const later = (fn) => { Promise.resolve().then(fn).catch((e) => internal.reportError(e)); };

  // what `from` sends goes to its peer: the host (coupled), the peer's listeners, or its inbox
  const transmit = (from, msg) => {
    const to = from[kS][P];
    if (to === null) return;
    const t = to[kS];
    if (t[HOST] !== null) { toHost(to, msg); return; }
    if (t[REL]) return;
    if (!t[ACC]) { t[INBOX].push(msg); return; }
    later(() => receive(to, msg));
  };
  const toHost = (coupled, msg) => {
    const s = coupled[kS];
    const id = s[HOST];
    switch (msg[0]) {
      case TEXT: host.wsSend(id, TEXT, msg[1], 0, null); break;
      case BINARY: host.wsSend(id, BINARY, internal.toUint8Array(msg[1]), 0, null); break;
      case CLOSE: s[HOUT] = true; host.wsSend(id, CLOSE, null, msg[1], msg[2]); if (s[HIN]) forget(coupled); break;
      default: host.wsSend(id, ABORT, null, 0, null); forget(coupled);
    }
  };
  const forget = (coupled) => { byId.delete(coupled[kS][HOST]); };
  const dispatch = (ws, ev) => {
    try { internal.dispatchTrusted(ws, ev); } catch (e) { internal.reportError(e); }
  };
  // a message for `ws` (accepted): its events
  const receive = (ws, msg) => {
    const s = ws[kS];
    switch (msg[0]) {
      case TEXT: if (!s[CIN]) dispatch(ws, new MessageEvent('message', { data: msg[1] })); break;
      case BINARY: {
        if (s[CIN]) break;
        let d = msg[1];
        if (!(d instanceof ArrayBuffer)) d = d.byteOffset === 0 && d.byteLength === d.buffer.byteLength ? d.buffer : d.slice().buffer;
        if (standardBinary && s[BTYPE] === 'blob') d = new (internal.require('blob').Blob)([d]);
        dispatch(ws, new MessageEvent('message', { data: d }));
        break;
      }
      case CLOSE:
        if (s[CIN]) break;
        s[CIN] = true;
        // web_socket_auto_reply_to_close (2026-04-07): the close is answered before the event
        if (flags.web_socket_auto_reply_to_close && !s[COUT] && !s[ABORTED]) {
          s[COUT] = true;
          transmit(ws, [CLOSE, msg[1], msg[2]]);
        }
        if (s[COUT]) s[REL] = true;
        dispatch(ws, new CloseEvent('close', { code: msg[1], reason: msg[2], wasClean: true }));
        break;
      default:
        if (s[CIN]) { s[ABORTED] = true; break; }
        s[CIN] = true; s[ABORTED] = true;
        dispatch(ws, new CloseEvent('close', { code: 1006, reason: 'WebSocket disconnected without sending Close frame.', wasClean: false }));
    }
  };

  class WebSocketPair {
    constructor() {
      const a = newSocket(), b = newSocket();
      a[kS][P] = b; b[kS][P] = a;
      Object.defineProperty(this, 0, { value: a, enumerable: true });
      Object.defineProperty(this, 1, { value: b, enumerable: true });
    }
    *[Symbol.iterator]() { yield this[0]; yield this[1]; }
  }
  tag(WebSocketPair, 'WebSocketPair');

  // ---- host interface ----
  // A WebSocket returned in a Response: [hostId, splice]. `splice`: the socket is only a
  // stand-in for a host connection (a fetch() answer passed on untouched): the host joins that
  // connection to the client directly and no message passes through this isolate.
  internal.wsCouple = (ws) => {
    if (!(ws instanceof WebSocket)) throw new TypeError("Incorrect type for the 'webSocket' field on 'ResponseInit': the provided value is not of type 'WebSocket'.");
    const s = ws[kS];
    if (s[REL] || s[HOST] !== null) throw new TypeError("Can't return WebSocket that was already used in a response.");
    if (s[ACC]) throw new TypeError("Can't return WebSocket in a Response after calling accept().");
    const peer = s[P];
    const ps = peer === null ? null : peer[kS];
    if (ps !== null && ps[HOST] !== null && s[INBOX].length === 0 && !ps[HIN] && !ps[HOUT]) {
      s[REL] = true; ps[REL] = true;
      const id = ps[HOST];
      byId.delete(id);
      return [id, true];
    }
    const id = host.wsNew();
    s[HOST] = id;
    byId.set(id, ws);
    const inbox = s[INBOX];
    s[INBOX] = [];
    for (const m of inbox) toHost(ws, m);
    return [id, false];
  };
  // the far party of host id `id` sent a message: it goes to the coupled socket's peer
  internal.wsDeliver = (id, kind, data, code, reason) => {
    const ws = byId.get(id);
    if (ws === undefined) return;
    const s = ws[kS];
    if (kind === CLOSE) { s[HIN] = true; if (s[HOUT]) forget(ws); transmit(ws, [CLOSE, code, reason]); }
    else if (kind === ABORT) { forget(ws); if (!code) transmit(ws, [ABORT]); }
    else transmit(ws, [kind, data]);
  };
  // a WebSocket standing for host connection `id` (a Response from fetch() or a binding)
  internal.wsFromHost = (id) => {
    const ws = newSocket(), hidden = newSocket();
    ws[kS][P] = hidden; hidden[kS][P] = ws;
    hidden[kS][HOST] = id; hidden[kS][ACC] = true;
    byId.set(id, hidden);
    return ws;
  };
  internal.wsCount = () => byId.size;
  internal.isWebSocket = (v) => v instanceof WebSocket;

  const ex = { WebSocket, WebSocketPair, MessageEvent, CloseEvent, ErrorEvent };
  for (const k in ex) internal.defineGlobal(k, ex[k]);
  internal.modules.websocket = ex;
})
