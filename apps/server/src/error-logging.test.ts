/**
 * Every internal error is logged with the request's id, which the answer carries as X-Request-Id (docs/api.md), and
 * the client is told nothing more than "Internal server error.".
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { FastifyInstance } from "fastify";
import { createSqliteStore, loadDefaultPlan, openDatabase } from "@countersign/db";
import type { OpenedDatabase } from "@countersign/db";
import { buildApp } from "./app.js";
import { LiveBus } from "./live.js";
import { defaultSessionPolicy } from "./services/auth/session-policy.js";

let dir: string;
let database: OpenedDatabase;
let app: FastifyInstance;
let base: string;
const lines: string[] = [];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "countersign-log-"));
  database = openDatabase(join(dir, "countersign.sqlite"));
  loadDefaultPlan(database.db);
  app = await buildApp(
    { store: createSqliteStore(database), db: database.db, live: new LiveBus(), sessionPolicy: defaultSessionPolicy, now: () => new Date(), secureCookies: false },
    {
      allowedOrigins: [],
      bodyLimitBytes: 64 * 1024,
      webDist: null,
      trustProxy: false,
      logRequests: false,
      logStream: { write: (line) => void lines.push(line) },
    },
  );
  await app.listen({ port: 0, host: "127.0.0.1" });
  const address = app.server.address();
  if (address === null || typeof address === "string") throw new Error("no port");
  base = `http://127.0.0.1:${address.port}`;
});

afterAll(async () => {
  await app.close();
  rmSync(dir, { recursive: true, force: true });
});

describe("internal errors", () => {
  it("are logged with the request id the answer names, and answered without details", async () => {
    // A fault no input can cause: the database connection gone.
    database.close();
    const response = await fetch(`${base}/trpc/auth.login`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ username: "mof", password: "any-password-at-all" }),
    });
    expect(response.status).toBe(500);
    const body = (await response.json()) as { error: { message: string } };
    expect(body.error.message).toBe("Internal server error.");
    const requestId = response.headers.get("x-request-id");
    expect(requestId).toBeTruthy();
    const logged = lines.map((l) => JSON.parse(l) as { reqId?: string; level: number; msg: string }).find((l) => l.reqId === requestId);
    expect(logged).toMatchObject({ level: 50, msg: "tRPC internal error" });

    // /health says so too, and logs it.
    const health = await fetch(`${base}/health`);
    expect(health.status).toBe(503);
    expect(lines.some((l) => l.includes(health.headers.get("x-request-id") ?? "none") && l.includes("unreachable"))).toBe(true);
  });
});
