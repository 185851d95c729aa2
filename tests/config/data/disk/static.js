export default {
  async fetch(req, env) {
    const url = new URL(req.url);
    let path = url.pathname === "/" ? "/index.html" : url.pathname;
    return env.files.fetch("http://dummy" + path);
  },
};
