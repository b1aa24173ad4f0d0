/**
 * The ceiling of the machine: a bare node:http server answering every request with the same bytes (the body of a
 * real inbox page), run as its own process like the real server. Usage: bare-server.js <body file> <content type>.
 * PORT and HOST come from the environment; GET /health answers the same bytes.
 */
import { readFileSync } from "node:fs";
import { createServer } from "node:http";

const [bodyFile, contentType = "application/json"] = process.argv.slice(2);
if (bodyFile === undefined) {
  process.stderr.write("usage: bare-server.js <body file> [content type]\n");
  process.exit(2);
}
const body = readFileSync(bodyFile);
const server = createServer((req, res) => {
  req.resume();
  res.writeHead(200, { "content-type": contentType, "content-length": body.length });
  res.end(body);
});
server.listen(Number(process.env["PORT"] ?? 0), process.env["HOST"] ?? "127.0.0.1");
process.on("SIGTERM", () => server.close(() => process.exit(0)));
