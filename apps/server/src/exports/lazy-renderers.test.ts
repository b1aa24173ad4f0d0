/**
 * Start-up does not wait for the export renderers: building the app loads neither exceljs nor playwright-core, the
 * first export request loads them, and a second request reuses them. Checked in a fresh Node process (this test's
 * own process has loaded them through other test files' imports), over real HTTP on 127.0.0.1.
 */
import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const serverRoot = fileURLToPath(new URL("../..", import.meta.url));

// Runs in the child: CommonJS packages that ESM imports land in require.cache, which tells what was loaded.
const script = `
import { createRequire } from "node:module";
const require = createRequire(import.meta.url);
const loaded = () => ["exceljs", "playwright-core"].filter((name) =>
  Object.keys(require.cache).some((path) => path.includes("/node_modules/" + name + "/")));
const { buildApp } = await import("./src/app.ts");
const { createHarness } = await import("./src/test-support/harness.ts");
const { defaultSessionPolicy } = await import("./src/services/auth/session-policy.ts");
// SQLite, whatever COUNTERSIGN_TEST_ENGINE says: this child is no vitest worker, so it cannot reach the run's
// PostgreSQL cluster (vitest's inject), and what the renderers' loading checks does not depend on the engine.
const h = await createHarness({ engine: "sqlite" });
const afterImport = loaded();
const app = await buildApp(
  { store: h.store, db: h.database.db, live: h.live, sessionPolicy: defaultSessionPolicy, now: () => h.clock.now, secureCookies: false },
  { allowedOrigins: [], bodyLimitBytes: 64 * 1024, webDist: null, trustProxy: false, logRequests: false },
);
await app.listen({ port: 0, host: "127.0.0.1" });
const base = "http://127.0.0.1:" + app.server.address().port;
const afterStart = loaded();
const login = await fetch(base + "/trpc/auth.login", {
  method: "POST",
  headers: { "content-type": "application/json" },
  body: JSON.stringify({ username: "miit", password: "countersign-demo" }),
});
const cookie = (login.headers.getSetCookie()[0] ?? "").split(";")[0];
const first = await fetch(base + "/export/matrix.csv?lang=en", { headers: { cookie } });
const firstText = await first.text();
const afterExport = loaded();
const second = await fetch(base + "/export/matrix.xlsx", { headers: { cookie } });
await second.arrayBuffer();
await app.close();
await h.close();
process.stdout.write(JSON.stringify({ afterImport, afterStart, afterExport, firstStatus: first.status,
  firstRows: firstText.split("\\n").length, secondStatus: second.status }));
`;

describe("export renderers", () => {
  it("load on the first export request, not at start-up", () => {
    const out = execFileSync(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script], {
      cwd: serverRoot,
      encoding: "utf8",
      timeout: 60_000,
    });
    const result = JSON.parse(out) as Record<string, unknown>;
    expect(result).toMatchObject({
      afterImport: [],
      afterStart: [],
      afterExport: ["exceljs", "playwright-core"],
      firstStatus: 200,
      secondStatus: 200,
    });
    // The header and the 25 measures of the 2020 plan, at least.
    expect(result["firstRows"]).toBeGreaterThan(25);
  });
});
