// A tiny local stand-in for the Lambda Invoke API
// (POST /2015-03-31/functions/<name>/invocations), enough to run handlers unchanged.
// Usage: node invoke_shim.js <port>   — prints "listening <port>" when ready.
const http = require("http");
const path = require("path");

const port = Number(process.argv[2] || 0);
const server = http.createServer((req, res) => {
  const match = req.url.match(/^\/2015-03-31\/functions\/([^/]+)\/invocations/);
  if (req.method !== "POST" || !match) {
    res.writeHead(404, { "content-type": "application/json" });
    res.end(JSON.stringify({ message: "not found" }));
    return;
  }
  let body = "";
  req.on("data", (chunk) => (body += chunk));
  req.on("end", async () => {
    const name = decodeURIComponent(match[1]);
    try {
      const handler = require(path.join(__dirname, `${name}.js`)).handler;
      const result = await handler(JSON.parse(body));
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify(result));
    } catch (err) {
      // What the Invoke API returns for a function error.
      res.writeHead(200, {
        "content-type": "application/json",
        "x-amz-function-error": "Unhandled",
      });
      res.end(JSON.stringify({ errorType: "Error", errorMessage: String(err.message || err) }));
    }
  });
});
server.listen(port, "127.0.0.1", () => {
  console.log(`listening ${server.address().port}`);
});
