// CPU-bound JS: naive recursive fib(25) (242,785 calls) per request.
function fib(n) {
  return n < 2 ? n : fib(n - 1) + fib(n - 2);
}

export default {
  async fetch(request, env, ctx) {
    return new Response(String(fib(25)));
  },
};
