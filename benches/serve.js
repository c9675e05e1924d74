// Serve DIR on 127.0.0.1:PORT, every file read once into memory, with no
// ETag or Last-Modified (every fetch is a full 200). Usage: node serve.js DIR PORT
const fs = require("fs");
const http = require("http");
const path = require("path");
const [dir, port] = process.argv.slice(2);
const pages = new Map();
for (const name of fs.readdirSync(dir)) pages.set("/" + name, fs.readFileSync(path.join(dir, name)));
http
  .createServer((req, res) => {
    const body = pages.get(req.url.split("?")[0]);
    if (!body) {
      res.writeHead(404, { "content-length": 0 });
      return res.end();
    }
    res.writeHead(200, { "content-type": "text/html; charset=utf-8", "content-length": body.length });
    res.end(body);
  })
  .listen(Number(port), "127.0.0.1");
