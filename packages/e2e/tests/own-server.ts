// A spec whose story would change what the other specs see on the shared demo server (issuing a second plan)
// runs against a server of its own: the built server on a free port and a fresh database in a temporary folder.
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { expect, test } from "@playwright/test";

const serverDir = fileURLToPath(new URL("../../../apps/server/dist/", import.meta.url));

export interface OwnAccount {
  username: string;
  role: "coordinator" | "liaison" | "observer" | "admin";
  department: string;
  password: string;
}

export interface OwnServer {
  /** `http://127.0.0.1:<port>`, once the server answers (from the file's beforeAll on). */
  readonly origin: string;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const address = probe.address();
      probe.close(() => (typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port"))));
    });
  });
}

/**
 * Starts the server before the calling file's tests and stops it, database and all, after them. `demo` seeds the
 * demo plan and accounts (the demo password); otherwise the default plan is loaded as a draft and `accounts` are
 * created first with the CLI, as on a real deployment.
 */
export function useOwnServer(options: {
  demo: boolean;
  accounts?: readonly OwnAccount[];
  /** More environment for the server, computed in beforeAll from its origin (e.g. an identity provider started there). */
  env?: (origin: string) => Promise<Record<string, string>>;
}): OwnServer {
  let server: ChildProcess | null = null;
  let dir = "";
  let origin = "";

  test.beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "countersign-e2e-own-"));
    const env = { ...process.env, DATABASE_PATH: join(dir, "countersign.sqlite"), NODE_ENV: "production" };
    for (const account of options.accounts ?? []) {
      const args = ["user", "add", "--username", account.username, "--role", account.role, "--department", account.department];
      const created = spawnSync(process.execPath, [join(serverDir, "cli.js"), ...args, "--password-stdin"], {
        env,
        input: account.password,
        encoding: "utf8",
      });
      expect(created.status, created.stderr).toBe(0);
    }
    const port = await freePort();
    const address = `http://127.0.0.1:${port}`;
    const main = [join(serverDir, "main.js"), ...(options.demo ? ["--demo"] : [])];
    const more = options.env === undefined ? {} : await options.env(address);
    server = spawn(process.execPath, main, { env: { ...env, ...more, PORT: String(port), HOST: "127.0.0.1" }, stdio: "ignore" });
    await expect
      .poll(async () => (await fetch(`${address}/health`).catch(() => null))?.status ?? 0, { timeout: 30_000 })
      .toBe(200);
    origin = address;
  });

  test.afterAll(() => {
    server?.kill();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  return {
    get origin() {
      if (!origin) throw new Error("The spec's own server is started in beforeAll: read its origin inside a test.");
      return origin;
    },
  };
}
