// Hello world in service-worker syntax.
addEventListener("fetch", (event) => {
  event.respondWith(new Response("Hello World\n"));
});
