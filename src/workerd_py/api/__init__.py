"""Web platform APIs: JS glue (js/*.js, compiled to bytecode once per process) over Python host
functions (one module per API). `registry.install()` sets them up in an isolate."""
