/**
 * 6. Sessions and sign-in, against a real server with short timeouts and small limits (all set by environment):
 * sign-in attempts delayed per account name and per address (progressive delays, no lock), with one answer for
 * existing and missing accounts and about the same time; idle and absolute expiry; logout and `cli user disable` end every session of the account;
 * cross-origin mutations (JSON from another origin, form posts, multipart, text/plain) refused; security headers on
 * every response, the web pages included. On both engines (issue 13; on PostgreSQL sessions and sign-in counts live in
 * the database, the CLI runs with DATABASE_URL).
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Browser, demoPassword, signedIn } from "./support/client.js";
import type { Answer } from "./support/client.js";
import { recordFigures } from "./support/figures.js";
import { areaSuffix, databaseOn, engines } from "./support/engines.js";
import type { EngineDatabase } from "./support/engines.js";
import { demoPlanId, measuresOf, scratchDir } from "./support/fixture.js";
import type { StartedServer } from "./support/server.js";

const idleMs = 2400;
const absoluteMs = 6000;
/** The sign-in delay after the free failures (base and longest alike here, so the wait is exactly this). */
const delayMs = 3000;

describe.each(engines)("on %s", (engine) => {
  let server: StartedServer;
  let database: EngineDatabase;
  const checks: Array<{ name: string; ok: boolean; detail: string }> = [];
  function check(name: string, ok: boolean, detail = ""): void {
    checks.push({ name, ok, detail });
  }

  /** A browser whose requests come from `address` (the server trusts X-Forwarded-For here, as behind a proxy). */
  function from(address: string): { browser: Browser; login: (username: string, password?: string) => Promise<{ answer: Answer; ms: number }> } {
    const browser = new Browser(server.url);
    return {
      browser,
      login: async (username, password = demoPassword) => {
        const started = performance.now();
        const answer = await browser.mutate("auth.login", { username, password }, { headers: { "x-forwarded-for": address } });
        return { answer, ms: performance.now() - started };
      },
    };
  }

  const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
  const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;

  beforeAll(async () => {
    database = await databaseOn(engine, "sessions");
    const webDist = scratchDir("web");
    mkdirSync(join(webDist, "assets"));
    writeFileSync(join(webDist, "index.html"), "<!doctype html><title>Countersign</title><script src=/assets/app.js></script>");
    writeFileSync(join(webDist, "assets", "app.js"), "console.log('countersign')");
    server = await database.start({
      webDist,
      env: {
        SESSION_IDLE_MINUTES: String(idleMs / 60_000),
        SESSION_MAX_MINUTES: String(absoluteMs / 60_000),
        LOGIN_FREE_FAILURES_PER_ACCOUNT: "3",
        LOGIN_FREE_FAILURES_PER_ADDRESS: "10",
        LOGIN_BASE_DELAY_SECONDS: String(delayMs / 1000),
        LOGIN_MAX_DELAY_SECONDS: String(delayMs / 1000),
        TRUST_PROXY: "1",
      },
    });
  });
  afterAll(async () => {
    await server.stop();
    await database.drop();
    const failed = checks.filter((c) => !c.ok);
    recordFigures({
      area: `6 sessions and sign-in${areaSuffix(engine)}`,
      figure: "checks / failed",
      values: [checks.length, failed.length],
      failures: failed.length,
      detail: `sign-in delays per account and address (429 with the wait, same answer and about the same time for missing accounts, no lock past the delay), idle ${idleMs / 1000} s and absolute ${absoluteMs / 1000} s expiry, logout and cli user disable end every session, cross-origin / form / multipart / text/plain mutations refused, security headers on every response${failed.length === 0 ? "" : `; FAILED: ${failed.map((c) => c.name).join(", ")}`}`,
    });
    process.stdout.write(`sessions and sign-in (${engine}): checks / failed = ${checks.length} / ${failed.length}\n${checks.map((c) => `  ${c.ok ? "ok    " : "FAILED"} ${c.name}${c.detail === "" ? "" : ` (${c.detail})`}`).join("\n")}\n`);
  });

  describe("sign-in limits", () => {
    it("delays an account name after 3 failures, with the same answer for a missing account, in about the same time", async () => {
      const a = from("198.51.100.1");
      const b = from("198.51.100.2");
      const existing: Answer[] = [];
      const missing: Answer[] = [];
      for (let i = 0; i < 3; i++) {
        existing.push((await a.login("mof", "not-the-password")).answer);
        missing.push((await b.login("ghost-account", "not-the-password")).answer);
      }
      const lockedExisting = (await a.login("mof")).answer; // even the right password
      const lockedMissing = (await b.login("ghost-account")).answer;
      const shape = (x: Answer) => `${x.status} ${x.ok ? "" : `${x.error?.refusalCode} ${x.message}`}`;
      check("failed sign-ins answer 401 invalid_credentials", existing.every((x) => shape(x) === "401 invalid_credentials Wrong username or password."));
      check("a missing account gets the very same answers", JSON.stringify(existing.map(shape)) === JSON.stringify(missing.map(shape)));
      check("the 4th attempt is refused with 429 and a clear message", shape(lockedExisting).startsWith("429 too_many_attempts Too many failed sign-in attempts"), shape(lockedExisting));
      const wait = lockedExisting.ok ? -1 : ((lockedExisting.error as { retryAfterSeconds?: number } | null)?.retryAfterSeconds ?? -1);
      check("the 429 says the wait, the delay and not a lock", wait >= 1 && wait <= delayMs / 1000, `${wait} s`);
      check("a delayed missing account looks the same", shape(lockedExisting) === shape(lockedMissing));
      const other = (await a.login("ndrc")).answer;
      check("another account from the same address still signs in", other.ok);

      // Time: existing and missing accounts both pay for a password hash.
      const times = { existing: [] as number[], missing: [] as number[] };
      const accounts = ["most", "mee", "mara", "mct", "pboc", "gacc", "sta"];
      for (const [i, username] of accounts.entries()) {
        times.existing.push((await from(`203.0.113.${i}`).login(username, "wrong-password")).ms);
        times.missing.push((await from(`203.0.113.${100 + i}`).login(`nobody-${i}`, "wrong-password")).ms);
      }
      const ratio = median(times.existing) / median(times.missing);
      check("failing for a missing account takes about as long as for an existing one", ratio > 0.4 && ratio < 2.5, `median ${median(times.existing).toFixed(0)} ms vs ${median(times.missing).toFixed(0)} ms`);

      await sleep(delayMs + 300);
      check("the owner signs in once the delay has passed", (await a.login("mof")).answer.ok);
    });

    it("delays an address after 10 failures across account names; other addresses are not affected", async () => {
      const c = from("192.0.2.7");
      for (let i = 0; i < 10; i++) await c.login(`guess-${i}`, "password123");
      const locked = (await c.login("mof")).answer;
      check("the address is delayed for every account it has not signed in to", !locked.ok && locked.status === 429, String(locked.status));
      check("another address signs in", (await from("192.0.2.8").login("mof")).answer.ok);
    });
  });

  describe("sessions", () => {
    it("end after the idle timeout, and after the absolute timeout even while in use", async () => {
      const idle = await signedIn(server.url, "cnipa");
      const busy = await signedIn(server.url, "csrc");
      const started = Date.now();
      // Kept busy from the start (a request every 400 ms): alive past the idle timeout, ended at the absolute one.
      let aliveUntil = 0;
      const busyLoop = (async () => {
        while (Date.now() - started < absoluteMs + 2000) {
          const answer = await busy.query("auth.me");
          if (answer.ok && answer.data !== null) aliveUntil = Date.now() - started;
          await sleep(400);
        }
      })();
      await sleep(idleMs + 400);
      const me = await idle.query("auth.me");
      check("an idle session ends", me.ok && me.data === null);
      check("an idle session is refused protected calls", (await idle.query("catalog.departments")).status === 401);
      await busyLoop;
      check("a busy session outlives the idle timeout", aliveUntil > idleMs + 400, `alive for ${aliveUntil} ms`);
      // The last answer that still saw the session may arrive a little after the expiry time (the request's own latency).
      check("a busy session ends at the absolute timeout", aliveUntil < absoluteMs + 1000, `alive for ${aliveUntil} ms`);
    });

    it("logout ends every session of the account (another tab, another device)", async () => {
      const tab = await signedIn(server.url, "ndrc");
      const laptop = await signedIn(server.url, "ndrc");
      const out = await tab.mutate("auth.logout");
      check("logout answers ok and clears the cookie", out.ok && tab.cookie === null);
      check("the account's other session is ended too", (await laptop.query("catalog.departments")).status === 401);
    });

    it("cli user disable ends every session at once and refuses sign-in; enable lets it back", async () => {
      const one = await signedIn(server.url, "samr");
      const two = await signedIn(server.url, "samr");
      const disabled = await database.cli(["user", "disable", "--username", "samr", "--reason", "left the department"]);
      check("cli user disable succeeds", disabled.code === 0 && /samr is now disabled; 2 session\(s\) ended/.test(disabled.stdout), disabled.stdout + disabled.stderr);
      check("both sessions end on their next request", (await one.query("auth.me")).ok && (await one.query("catalog.plans")).status === 401 && (await two.query("catalog.plans")).status === 401);
      const refused = (await from("198.51.100.50").login("samr")).answer;
      check("a disabled account cannot sign in (same answer as a wrong password)", !refused.ok && refused.error?.refusalCode === "invalid_credentials");
      const trail = database.look();
      const event = await trail.row<{ payload: string }>("select payload from audit_events where type = 'user.disabled' order by seq desc limit 1");
      await trail.close();
      check("the disabling is in the trail", event?.payload.includes('"sessionsEnded":2') === true, event?.payload ?? "none");
      const enabled = await database.cli(["user", "enable", "--username", "samr"]);
      check("cli user enable lets the account sign in again", enabled.code === 0 && (await from("198.51.100.51").login("samr")).answer.ok);
    });
  });

  describe("cross-origin requests", () => {
    it("refuses mutations from another origin, form posts, multipart and text/plain, changing nothing", async () => {
      const mof = await signedIn(server.url, "mof");
      const miit = await signedIn(server.url, "miit");
      const planId = await demoPlanId(miit);
      const target = (await measuresOf(miit, planId)).flatMap((m) => m.assignments).find((a) => a.department === "MOF" && a.status !== "withdrawn");
      if (target === undefined) throw new Error("no MOF assignment");
      const input = { id: target.id, expectedVersion: target.version, body: "跨站伪造" };
      const url = "/trpc/assignment.comment";
      const form = new FormData();
      form.set("id", String(target.id));
      const attempts: Array<[string, RequestInit, number]> = [
        ["JSON from another origin", { method: "POST", headers: { "content-type": "application/json", origin: "https://evil.example" }, body: JSON.stringify(input) }, 403],
        ["JSON from a look-alike origin", { method: "POST", headers: { "content-type": "application/json", origin: `${server.url}.evil.example` }, body: JSON.stringify(input) }, 403],
        ["a null origin (sandboxed frame)", { method: "POST", headers: { "content-type": "application/json", origin: "null" }, body: JSON.stringify(input) }, 403],
        ["an HTML form post", { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body: `id=${target.id}&body=x` }, 415],
        ["multipart/form-data", { method: "POST", body: form }, 415],
        ["text/plain", { method: "POST", headers: { "content-type": "text/plain" }, body: JSON.stringify(input) }, 415],
        ["text/plain from another origin", { method: "POST", headers: { "content-type": "text/plain", origin: "https://evil.example" }, body: JSON.stringify(input) }, 403],
        ["a mutation by GET", { method: "GET" }, 405],
      ];
      for (const [name, init, status] of attempts) {
        const answer = await mof.send(name === "a mutation by GET" ? `${url}?input=${encodeURIComponent(JSON.stringify(input))}` : url, init);
        check(`refused: ${name}`, answer.status === status, `${answer.status}`);
      }
      const now = await miit.query("assignment.get", { id: target.id });
      const version = now.ok ? (now.data as { assignment: { version: number } }).assignment.version : -1;
      check("nothing changed", version === target.version, `version ${target.version} → ${version}`);
      const preflight = await fetch(`${server.url}${url}`, { method: "OPTIONS", headers: { origin: "https://evil.example", "access-control-request-method": "POST" } });
      const read = await mof.fetch("/trpc/auth.me", { headers: { origin: "https://evil.example" } });
      check("no CORS grant to another origin", preflight.headers.get("access-control-allow-origin") === null && read.headers.get("access-control-allow-origin") === null);
      const cookie = (await (await fetch(`${server.url}/trpc/auth.login`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ username: "mof", password: demoPassword }) })).headers.getSetCookie())[0] ?? "";
      check("the session cookie is HttpOnly and SameSite", /HttpOnly/i.test(cookie) && /SameSite=(Lax|Strict)/i.test(cookie), cookie.replace(/=[^;]+/, "=…"));
    });

    it("puts the security headers on every response, the web pages included", async () => {
      const mof = await signedIn(server.url, "mof");
      const responses: Array<[string, Response]> = [
        ["the web page /", await fetch(`${server.url}/`, { headers: { accept: "text/html" } })],
        ["an SPA route", await fetch(`${server.url}/inbox/42`, { headers: { accept: "text/html" } })],
        ["a static asset", await fetch(`${server.url}/assets/app.js`)],
        ["/health", await fetch(`${server.url}/health`)],
        ["a query", await mof.fetch("/trpc/catalog.departments")],
        ["a 401", await fetch(`${server.url}/trpc/catalog.departments`)],
        ["a 404", await fetch(`${server.url}/trpc/no.such.thing`)],
        ["a 403", await mof.fetch("/trpc/auth.logout", { method: "POST", headers: { "content-type": "application/json", origin: "https://evil.example" } })],
        ["a 415", await mof.fetch("/trpc/auth.logout", { method: "POST", headers: { "content-type": "text/plain" }, body: "x" })],
        ["a 413", await mof.fetch("/trpc/auth.login", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ username: "x".repeat(300_000) }) })],
        ["an export download", await mof.fetch("/export/matrix.csv")],
        ["a 404 page", await fetch(`${server.url}/nothing.png`)],
      ];
      for (const [name, response] of responses) {
        await response.arrayBuffer();
        const h = response.headers;
        const csp = h.get("content-security-policy") ?? "";
        const ok =
          /frame-ancestors 'none'/.test(csp) &&
          /default-src 'self'/.test(csp) &&
          h.get("x-content-type-options") === "nosniff" &&
          h.get("x-frame-options") === "DENY" &&
          (h.get("referrer-policy") ?? "") !== "";
        check(`security headers on ${name} (${response.status})`, ok, ok ? "" : JSON.stringify(Object.fromEntries(h.entries())));
      }
    });

    it("all checks held", () => {
      expect(checks.filter((c) => !c.ok).map((c) => `${c.name} ${c.detail}`)).toEqual([]);
      expect(checks.length).toBeGreaterThan(25);
    });
  });
});
