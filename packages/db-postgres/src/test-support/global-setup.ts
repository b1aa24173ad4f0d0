import { execFileSync } from "node:child_process";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import type { TestProject } from "vitest/node";

declare module "vitest" {
  export interface ProvidedContext {
    /** A PostgreSQL URL whose role may create and drop databases (each test file makes its own). */
    pgAdminUrl: string;
  }
}

const script = resolve(fileURLToPath(new URL(".", import.meta.url)), "../../../../scripts/postgres.sh");

/** A free TCP port on 127.0.0.1 (the OS picks it; five engineers share this machine). */
function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const server = createServer();
    server.once("error", fail);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => (typeof address === "object" && address !== null ? done(address.port) : fail(new Error("no port"))));
    });
  });
}

/**
 * Uses DATABASE_URL_PG when set; otherwise starts a throw-away cluster with scripts/postgres.sh (installing Debian's
 * postgresql when missing, as root) and stops and removes it after the run. Fails the run, loudly, when neither works:
 * the PostgreSQL adapter is tested against a real server or not at all.
 */
export default async function setup(project: TestProject): Promise<(() => void) | undefined> {
  const given = process.env["DATABASE_URL_PG"];
  if (given !== undefined && given !== "") {
    project.provide("pgAdminUrl", given);
    return undefined;
  }
  const port = await freePort();
  const dir = join(tmpdir(), `countersign-pg-test-${process.pid}`);
  const url = execFileSync("bash", [script, "start", dir, String(port)], { encoding: "utf8", stdio: ["ignore", "pipe", "inherit"] }).trim();
  project.provide("pgAdminUrl", url);
  return () => {
    execFileSync("bash", [script, "stop", dir], { stdio: ["ignore", "ignore", "inherit"] });
  };
}
