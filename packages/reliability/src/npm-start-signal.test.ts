/**
 * 13. Stopping what the README starts. `npm start` (and `npm run demo`) is what an office runs, and a service manager
 * or a terminal stops it by signalling that process, npm. npm passes SIGTERM to its child; when the child was a shell
 * running the start script, the shell died and the server (`node apps/server/dist/main.js`) was left running without
 * a parent, still holding the port (found by a new-user trial). The scripts now `exec` down to node, so the signal
 * reaches the server: it shuts down gracefully (its "closed after" line), the port is free, and npm exits.
 * SQLite only: `npm start` with nothing but Node is the SQLite path; the signal's route through npm does not touch
 * the engine (the graceful shutdown itself runs on both engines in graceful-shutdown.test.ts).
 */
import { spawn } from "node:child_process";
import net from "node:net";
import { afterAll, describe, expect, it } from "vitest";
import { recordFigures } from "./support/figures.js";
import { freshDatabase } from "./support/fixture.js";
import { repoRoot } from "./support/paths.js";

const children: (() => void)[] = [];
afterAll(() => {
  for (const kill of children) kill();
});

/** True when something accepts a TCP connection on 127.0.0.1:`port`. */
function listening(port: number): Promise<boolean> {
  return new Promise((done) => {
    const socket = net.connect({ host: "127.0.0.1", port });
    socket.once("connect", () => {
      socket.destroy();
      done(true);
    });
    socket.once("error", () => done(false));
  });
}

describe("13 stopping npm start", () => {
  it("SIGTERM to npm stops the server gracefully and frees its port", { timeout: 240_000 }, async () => {
    const env: NodeJS.ProcessEnv = {};
    // The suite's own settings stay out: the server gets only what an office would set.
    for (const [k, v] of Object.entries(process.env)) if (!/^(PORT|HOST|DATABASE_PATH|COUNTERSIGN_|npm_|INIT_CWD|VITEST)/.test(k)) env[k] = v;
    const npm = spawn("npm", ["start"], {
      cwd: repoRoot,
      env: { ...env, PORT: "0", HOST: "127.0.0.1", DATABASE_PATH: freshDatabase("npm-start") },
      stdio: ["ignore", "pipe", "pipe"],
    });
    children.push(() => npm.kill("SIGKILL"));
    let output = "";
    npm.stdout.on("data", (chunk: Buffer) => {
      output += chunk.toString();
    });
    npm.stderr.on("data", (chunk: Buffer) => {
      output += chunk.toString();
    });
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((done) => npm.once("exit", (code, signal) => done({ code, signal })));

    const started = Date.now();
    let port = 0;
    while (port === 0 && Date.now() - started < 200_000) {
      const found = /running at http:\/\/[^:]+:(\d+)/.exec(output);
      if (found?.[1] !== undefined) port = Number(found[1]);
      else await new Promise((r) => setTimeout(r, 200));
    }
    expect(port, output.slice(-2000)).toBeGreaterThan(0);
    expect(await listening(port)).toBe(true);

    const signalled = Date.now();
    npm.kill("SIGTERM");
    const exit = await Promise.race([exited, new Promise<null>((r) => setTimeout(() => r(null), 30_000))]);
    // The server's own line: the signal reached it, not only npm.
    await new Promise((r) => setTimeout(r, 200));
    const stoppedMs = Date.now() - signalled;
    const portHeld = await listening(port);
    recordFigures({
      area: "13 stopping npm start",
      figure: "npm exited / server closed gracefully / port still held",
      values: [exit === null ? 0 : 1, /SIGTERM: closed after \d+ ms/.test(output) ? 1 : 0, portHeld ? 1 : 0],
      failures: (exit === null ? 1 : 0) + (portHeld ? 1 : 0),
      detail: `SIGTERM to the npm process of \`npm start\`; everything stopped within ${stoppedMs} ms of the signal`,
    });
    expect(output).toMatch(/SIGTERM: closed after \d+ ms/);
    expect(exit).not.toBeNull();
    expect(portHeld).toBe(false);
  });
});
