/**
 * The benchmark's procedures and route: served only by the benchmark's own entry point (its router and routes given
 * to the app), never by the production app whatever the environment says, and answering exactly the bytes of the
 * department's own inbox page (the benchmark compares like with like).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { FastifyInstance } from "fastify";
import { buildApp } from "../app.js";
import { demoPassword } from "../demo/demo-accounts.js";
import { defaultSessionPolicy } from "../services/auth/session-policy.js";
import { createHarness } from "../test-support/harness.js";
import { benchAppRouter, registerBenchRoutes } from "./bench-router.js";
import type { Harness } from "../test-support/harness.js";

let h: Harness;
const apps: FastifyInstance[] = [];

async function serve(bench: boolean): Promise<string> {
  const deps = { store: h.store, db: h.database.db, live: h.live, sessionPolicy: defaultSessionPolicy, now: () => h.clock.now, secureCookies: false };
  const app = await buildApp(deps, {
    allowedOrigins: [],
    bodyLimitBytes: 64 * 1024,
    webDist: null,
    trustProxy: false,
    logRequests: false,
    ...(bench ? { router: benchAppRouter } : {}),
  });
  if (bench) registerBenchRoutes(app, deps);
  apps.push(app);
  await app.listen({ port: 0, host: "127.0.0.1" });
  const address = app.server.address();
  if (address === null || typeof address === "string") throw new Error("no port");
  return `http://127.0.0.1:${address.port}`;
}

const query = (procedure: string, input: unknown): string => `/trpc/${procedure}?input=${encodeURIComponent(JSON.stringify(input))}`;

beforeAll(async () => {
  h = await createHarness();
  await h.as("miit").plan.issue({ planId: h.planId, dueDate: "2026-12-31" });
});

afterAll(async () => {
  for (const app of apps) await app.close();
  await h.close();
});

describe("bench.* (the benchmark's entry point only)", () => {
  it("is no part of the production app, even with the old COUNTERSIGN_BENCH=1 flag set", async () => {
    const before = process.env["COUNTERSIGN_BENCH"];
    process.env["COUNTERSIGN_BENCH"] = "1";
    try {
      const base = await serve(false);
      expect((await fetch(base + query("bench.constant", { department: "MOF", limit: 50 }))).status).toBe(404);
      expect((await fetch(`${base}/bench/constant?department=MOF&limit=50`)).status).toBe(404);
    } finally {
      if (before === undefined) delete process.env["COUNTERSIGN_BENCH"];
      else process.env["COUNTERSIGN_BENCH"] = before;
    }
  });

  it("is never imported by the production start: no module main.ts reaches names bench-support", async () => {
    const { readFileSync } = await import("node:fs");
    const { dirname, join, resolve } = await import("node:path");
    const { fileURLToPath } = await import("node:url");
    const src = resolve(dirname(fileURLToPath(import.meta.url)), "..");
    const seen = new Set<string>();
    const visit = (file: string): void => {
      if (seen.has(file)) return;
      seen.add(file);
      const text = readFileSync(file, "utf8");
      for (const match of text.matchAll(/(?:from|import\()\s*"(\.{1,2}\/[^"]+)\.js"/g)) {
        const spec = match[1];
        if (spec !== undefined) visit(join(dirname(file), `${spec}.ts`));
      }
    };
    visit(join(src, "main.ts"));
    expect(seen.size).toBeGreaterThan(50);
    expect([...seen].filter((f) => f.includes("bench"))).toEqual([]);
  });

  it("answers the same bytes as the department's own first inbox page, on both stacks", async () => {
    const base = await serve(true);
    const login = await fetch(`${base}/trpc/auth.login`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ username: "mof", password: demoPassword }),
    });
    expect(login.status).toBe(200);
    const cookie = (login.headers.getSetCookie()[0] ?? "").split(";")[0] ?? "";
    const inbox = await fetch(base + query("inbox.list", { limit: 50 }), { headers: { cookie } }).then((r) => r.text());
    expect(JSON.parse(inbox).result.data.rows.length).toBeGreaterThan(0);
    const constant = await fetch(base + query("bench.constant", { department: "MOF", limit: 50 })).then((r) => r.text());
    const signedIn = await fetch(base + query("bench.constantSignedIn", { department: "MOF", limit: 50 }), { headers: { cookie } });
    const fastify = await fetch(`${base}/bench/constant?department=MOF&limit=50`).then((r) => r.text());
    expect(constant).toBe(inbox);
    expect(await signedIn.text()).toBe(inbox);
    expect(fastify).toBe(inbox);
    expect((await fetch(base + query("bench.constantSignedIn", { department: "MOF", limit: 50 }))).status).toBe(401);
  });
});
