#!/usr/bin/env node
// Times the built server's start-up: from spawning `node apps/server/dist/main.js` until GET /health answers 200,
// several times on one small database (a first, unmeasured start creates and migrates it and loads the default plan,
// so the timed starts measure what every restart pays: loading the modules, opening the file, listening).
// Also times importing the server's modules alone (`dist/app.js`, which the start waits for).
// It builds nothing: run `npx -y pnpm@12.4.2 turbo run build --filter=@countersign/server...` first.
// Usage: node scripts/server-startup.mjs [--runs=N]   (default 7; prints each time and the median, in ms)
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const main = join(root, "apps", "server", "dist", "main.js");
const app = join(root, "apps", "server", "dist", "app.js");
const runsArg = process.argv.find((a) => a.startsWith("--runs="));
const runs = runsArg ? Number(runsArg.slice("--runs=".length)) : 7;

if (!existsSync(main)) {
  console.error(`No server build at ${main}. Build it first.`);
  process.exit(2);
}

function freePort() {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const address = probe.address();
      probe.close(() => resolve(typeof address === "object" && address !== null ? address.port : 0));
    });
  });
}

/** Milliseconds from spawn until /health answers 200; the process is stopped afterwards. */
async function startOnce(databasePath) {
  const port = await freePort();
  const started = performance.now();
  const child = spawn(process.execPath, [main], {
    env: { ...process.env, PORT: String(port), HOST: "127.0.0.1", DATABASE_PATH: databasePath, NODE_ENV: "production" },
    stdio: ["ignore", "ignore", "pipe"],
  });
  let stderr = "";
  child.stderr.on("data", (chunk) => {
    stderr += chunk.toString();
  });
  const exited = new Promise((resolve) => child.once("exit", resolve));
  try {
    for (;;) {
      if (child.exitCode !== null) throw new Error(`the server exited (${child.exitCode}): ${stderr}`);
      try {
        const response = await fetch(`http://127.0.0.1:${port}/health`);
        if (response.status === 200) return performance.now() - started;
      } catch {
        // not listening yet
      }
      if (performance.now() - started > 60_000) throw new Error(`no answer within 60 s: ${stderr}`);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  } finally {
    child.kill("SIGTERM");
    await exited;
  }
}

/** Milliseconds a fresh Node process takes to import dist/app.js (and everything it imports) and exit. */
function importOnce() {
  const script = `const t=performance.now();await import(${JSON.stringify(new URL(`file://${app}`).href)});process.stdout.write(String(performance.now()-t))`;
  const result = spawnSync(process.execPath, ["--input-type=module", "-e", script], { encoding: "utf8" });
  if (result.status !== 0) throw new Error(result.stderr);
  return Number(result.stdout);
}

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
};

const dir = mkdtempSync(join(tmpdir(), "countersign-startup-"));
try {
  const databasePath = join(dir, "countersign.sqlite");
  const first = await startOnce(databasePath);
  const starts = [];
  for (let i = 0; i < runs; i += 1) starts.push(await startOnce(databasePath));
  const imports = [];
  for (let i = 0; i < runs; i += 1) imports.push(importOnce());
  const show = (values) => values.map((v) => v.toFixed(0)).join(", ");
  console.log(`first start (creates the database): ${first.toFixed(0)} ms`);
  console.log(`start until /health answers: median ${median(starts).toFixed(0)} ms (${show(starts)})`);
  console.log(`import of dist/app.js alone: median ${median(imports).toFixed(0)} ms (${show(imports)})`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
