# Every part of the schema the plan carries (for wire-compatibility tests against the real workerd).
# key.pem / cert.pem are written by the test (trustme).
using Workerd = import "/workerd/workerd.capnp";

const config :Workerd.Config = (
  services = [
    (name = "main", worker = .mainWorker),
    (name = "sw", worker = (serviceWorkerScript = "addEventListener('fetch', e => e.respondWith(new Response('sw')));",
                            compatibilityDate = "2023-02-28", compatibilityFlags = ["nodejs_compat"])),
    (name = "net", network = (allow = ["public", "private", "10.1.0.0/16"], deny = ["10.1.2.0/24"],
                              tlsOptions = (trustBrowserCas = true, minVersion = tls1Dot2, cipherList = "HIGH"))),
    (name = "ext", external = (address = "127.0.0.1:9", https = (options = (style = proxy), certificateHost = "h.example",
                                tlsOptions = (trustedCertificates = [embed "cert.pem"])))),
    (name = "ext-tcp", external = (address = "127.0.0.1:10", tcp = (certificateHost = "t.example"))),
    (name = "ext-http", external = (address = "unix:/tmp/x.sock", http = (capnpConnectHost = "cc", cfBlobHeader = "CF-Blob"))),
    (name = "files", disk = (path = "/tmp", writable = true, allowDotfiles = true)),
  ],
  sockets = [
    (name = "http", address = "127.0.0.1:0", http = (style = host, forwardedProtoHeader = "X-Proto",
       injectRequestHeaders = [(name = "X-In", value = "1")], injectResponseHeaders = [(name = "X-Out", value = "2")]),
     service = (name = "main", entrypoint = "Api", props = (json = "{\"a\": 1}"))),
    (name = "https", address = "[::1]:0", https = (options = (), tlsOptions = (
       keypair = (privateKey = embed "key.pem", certificateChain = embed "cert.pem"),
       requireClientCerts = true, minVersion = tls1Dot3)), service = "sw"),
    (name = "tcp", address = "127.0.0.1:0", tcp = (), service = "main"),
  ],
  v8Flags = ["--no-opt"],
  autogates = ["workerd-autogate-x"],
  structuredLogging = true,
  logging = (structuredLogging = true, stdoutPrefix = "out: ", stderrPrefix = "err: "),
  extensions = [ (modules = [ (name = "ext:lib", esModule = "export const x = 1;", internal = true),
                              (name = "ext:pub", esModule = "export function make(env) { return env; }") ]) ],
);

const mainWorker :Workerd.Worker = (
  modules = [
    (name = "main.js", esModule = embed "main.js"),
    (name = "cjs.js", commonJsModule = "module.exports = 1;", namedExports = ["a", "b"]),
    (name = "t.txt", text = "text"),
    (name = "d.bin", data = 0x"0001"),
    (name = "m.wasm", wasm = 0x"0061736d01000000"),
    (name = "j.json", json = "[1]"),
    (name = "p.py", pythonModule = "print(1)"),
  ],
  compatibilityDate = "2024-10-01",
  compatibilityFlags = ["nodejs_compat", "no_global_navigator"],
  bindings = [
    (name = "T", text = "t"), (name = "D", data = 0x"01"), (name = "J", json = "{}"),
    (name = "W", wasmModule = 0x"0061736d01000000"),
    (name = "K", cryptoKey = (hex = "00ff", algorithm = (name = "HMAC"), usages = [sign], extractable = true)),
    (name = "S", service = (name = "sw")),
    (name = "DOC", durableObjectClass = (name = "main", entrypoint = "Counter")),
    (name = "DON", durableObjectNamespace = (className = "Counter")),
    (name = "KV", kvNamespace = "ext-http"), (name = "R2", r2Bucket = "ext-http"),
    (name = "R2A", obsolete0 = "ext-http"),
    (name = "WR", wrapped = (moduleName = "ext:pub", entrypoint = "make", innerBindings = [(name = "I", text = "i")])),
    (name = "Q", queue = "ext-http"), (name = "ENV", fromEnvironment = "HOME"),
    (name = "AE", analyticsEngine = "ext-http"),
    (name = "HD", hyperdrive = (designator = "ext-tcp", database = "d", user = "u", password = "p", scheme = "postgres")),
    (name = "EV", unsafeEval = void),
    (name = "MC", memoryCache = (id = "m", limits = (maxKeys = 1, maxValueSize = 2, maxTotalValueSize = 3))),
    (name = "WL", workerLoader = (id = "w")),
    (name = "DBG", workerdDebugPort = void),
  ],
  globalOutbound = "net",
  cacheApiOutbound = (name = "ext-http"),
  durableObjectNamespaces = [
    (className = "Counter", uniqueKey = "abc", preventEviction = true, enableSql = true),
  ],
  durableObjectUniqueKeyModifier = "mod",
  durableObjectStorage = (localDisk = "files"),
  moduleFallback = "localhost:8888",
  tails = ["sw"],
  streamingTails = [(name = "sw")],
);
