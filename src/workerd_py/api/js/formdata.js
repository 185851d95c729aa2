// XHR standard: FormData (https://xhr.spec.whatwg.org/#interface-formdata), its multipart/form-data
// serialization (https://html.spec.whatwg.org/multipage/form-control-infrastructure.html#multipart/form-data-encoding-algorithm)
// and the parsing used by Body.formData() (https://fetch.spec.whatwg.org/#dom-body-formdata).
// Multipart parsing runs in the host (api/formdata.py).
(function (internal, host) {
  'use strict';
  internal.require('blob'); // defines internal.isBlob/isFile/newFile/blobView
  const usv = internal.toUSVString;
  const illegalInvocation = () => new TypeError('Illegal invocation: function called with incorrect `this` reference.');

  // https://xhr.spec.whatwg.org/#create-an-entry, as workerd does it: a Blob that is not a File
  // becomes a File named after the entry (the spec says "blob"); a filename for a string value
  // is ignored (the spec's overloads make it a TypeError).
  const makeEntry = (name, value, filename) => {
    name = usv(name);
    if (!internal.isBlob(value)) return [name, usv(value)];
    const isFile = internal.isFile(value);
    if (!isFile || filename !== undefined) {
      const fname = filename !== undefined ? usv(filename) : isFile ? value.name : name;
      value = internal.newFile(internal.blobView(value), fname, value.type, undefined);
    }
    return [name, value];
  };
  const argc = (n, method, need) => {
    if (n < need) throw new TypeError(`Failed to execute '${method}' on 'FormData': ${need} argument${need > 1 ? 's' : ''} required, but only ${n} present.`);
  };

  let entriesOf, isFormData;
  class FormData {
    #list = [];
    constructor(form = undefined) {
      if (form !== undefined) throw new TypeError("Failed to construct 'FormData': parameter 1 is not of type 'HTMLFormElement'.");
    }
    static {
      isFormData = (v) => v !== null && typeof v === 'object' && #list in v;
      entriesOf = (fd) => { if (!isFormData(fd)) throw illegalInvocation(); return fd.#list; };
    }
    append(name, value, filename = undefined) {
      const list = entriesOf(this);
      argc(arguments.length, 'append', 2);
      list.push(makeEntry(name, value, filename));
    }
    delete(name) {
      const list = entriesOf(this);
      argc(arguments.length, 'delete', 1);
      name = usv(name);
      for (let i = list.length - 1; i >= 0; i--) if (list[i][0] === name) list.splice(i, 1);
    }
    get(name) {
      const list = entriesOf(this);
      argc(arguments.length, 'get', 1);
      name = usv(name);
      for (const e of list) if (e[0] === name) return e[1];
      return null;
    }
    getAll(name) {
      const list = entriesOf(this);
      argc(arguments.length, 'getAll', 1);
      name = usv(name);
      const out = [];
      for (const e of list) if (e[0] === name) out.push(e[1]);
      return out;
    }
    has(name) {
      const list = entriesOf(this);
      argc(arguments.length, 'has', 1);
      name = usv(name);
      return list.some((e) => e[0] === name);
    }
    set(name, value, filename = undefined) {
      const list = entriesOf(this);
      argc(arguments.length, 'set', 2);
      const entry = makeEntry(name, value, filename);
      const i = list.findIndex((e) => e[0] === entry[0]);
      if (i < 0) { list.push(entry); return; }
      list[i] = entry;
      for (let j = list.length - 1; j > i; j--) if (list[j][0] === entry[0]) list.splice(j, 1);
    }
    // iteration is live over the entry list (https://webidl.spec.whatwg.org/#idl-iterable)
    *entries() { const list = entriesOf(this); for (let i = 0; i < list.length; i++) yield [list[i][0], list[i][1]]; }
    *keys() { const list = entriesOf(this); for (let i = 0; i < list.length; i++) yield list[i][0]; }
    *values() { const list = entriesOf(this); for (let i = 0; i < list.length; i++) yield list[i][1]; }
    forEach(callback, thisArg = undefined) {
      const list = entriesOf(this);
      if (typeof callback !== 'function') throw new TypeError("Failed to execute 'forEach' on 'FormData': parameter 1 is not of type 'Function'.");
      for (let i = 0; i < list.length; i++) callback.call(thisArg, list[i][1], list[i][0], this);
    }
  }
  FormData.prototype[Symbol.iterator] = FormData.prototype.entries;
  Object.defineProperty(FormData.prototype, Symbol.toStringTag, { value: 'FormData', configurable: true });

  // ---- serialization ----
  // https://html.spec.whatwg.org/multipage/form-control-infrastructure.html#multipart/form-data-encoding-algorithm
  // in workerd's form: names and filenames are escaped but line breaks in names and values are
  // not normalized to CRLF, the boundary is 32 random hex digits and nothing follows the close
  // delimiter.
  const escapeName = (s) => s.replace(/\n/g, '%0A').replace(/\r/g, '%0D').replace(/"/g, '%22');
  const newBoundary = () => {
    let s = '';
    for (let i = 0; i < 4; i++) s += Math.floor(Math.random() * 0x100000000).toString(16).padStart(8, '0');
    return s;
  };
  internal.serializeFormData = (fd) => {
    const list = entriesOf(fd);
    const boundary = newBoundary();
    const parts = [];
    let text = '';
    for (const [name, value] of list) {
      text += `--${boundary}\r\nContent-Disposition: form-data; name="${escapeName(name)}"`;
      if (typeof value === 'string') {
        text += `\r\n\r\n${value}\r\n`;
      } else {
        text += `; filename="${escapeName(value.name)}"\r\nContent-Type: ${value.type || 'application/octet-stream'}\r\n\r\n`;
        parts.push(host.utf8Encode(text), internal.blobView(value));
        text = '\r\n';
      }
    }
    text += `--${boundary}--`;
    parts.push(host.utf8Encode(text));
    let total = 0;
    for (const p of parts) total += p.length;
    const out = new Uint8Array(total);
    let o = 0;
    for (const p of parts) { out.set(p, o); o += p.length; }
    return [out, `multipart/form-data; boundary=${boundary}`];
  };

  // ---- parsing (https://fetch.spec.whatwg.org/#body-mixin, "package data" for FormData) ----
  // Returns [essence, params] of a MIME type (https://mimesniff.spec.whatwg.org/#parse-a-mime-type), simplified.
  const parseMime = (ct) => {
    const semi = ct.indexOf(';');
    const essence = (semi < 0 ? ct : ct.slice(0, semi)).trim().toLowerCase();
    const params = new Map();
    let rest = semi < 0 ? '' : ct.slice(semi + 1);
    const re = /\s*([^=;\s]+)\s*=\s*("(?:[^"\\]|\\.)*"|[^;]*)\s*(?:;|$)/y;
    let m;
    while (rest.length && (m = re.exec(rest)) !== null) {
      const k = m[1].toLowerCase();
      let v = m[2];
      if (v[0] === '"') v = v.slice(1, -1).replace(/\\(.)/g, '$1'); else v = v.trim();
      if (!params.has(k)) params.set(k, v);
      if (re.lastIndex >= rest.length) break;
    }
    return [essence, params];
  };
  internal.parseFormData = (u8, contentType) => {
    const [essence, params] = parseMime(String(contentType || ''));
    const fd = new FormData();
    const list = entriesOf(fd);
    if (essence === 'multipart/form-data') {
      const boundary = params.get('boundary');
      if (!boundary) throw new TypeError("No boundary string in Content-Type header. The multipart/form-data MIME type requires a boundary parameter, e.g. 'Content-Type: multipart/form-data; boundary=\"abcd\"'. See RFC 7578, section 4.");
      const files = !!internal.flags.formdata_parser_supports_files;
      // flat [name, value, filename|null, type|null, ...]; value is a string, or bytes for file parts
      const flat = host.parseMultipart(u8, boundary);
      for (let i = 0; i < flat.length; i += 4) {
        const name = flat[i], value = flat[i + 1], filename = flat[i + 2], type = flat[i + 3];
        if (filename === null) list.push([name, value]);
        else if (files) list.push([name, internal.newFile(value, filename, type || '', Date.now())]);
        else list.push([name, host.decode('utf-8', value, false, false)]);
      }
      return fd;
    }
    if (essence === 'application/x-www-form-urlencoded') {
      const flat = host.formParse(host.decode('utf-8', u8, false, true));
      for (let i = 0; i < flat.length; i += 2) list.push([flat[i], flat[i + 1]]);
      return fd;
    }
    throw new TypeError('Unrecognized Content-Type header value. FormData can only parse the following MIME types: multipart/form-data, application/x-www-form-urlencoded');
  };
  internal.isFormData = isFormData;

  const ex = { FormData };
  internal.defineGlobal('FormData', FormData);
  internal.modules.formdata = ex;
})
