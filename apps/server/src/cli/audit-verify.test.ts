import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { runCommand } from "../test-support/cli-run.js";
import { createSqliteStore, loadDefaultPlan, migrationsFolder, openDatabase } from "@countersign/db";
import { connectPostgres, copyFromSqlite, migratePostgres } from "@countersign/db-postgres";
import { freshDatabaseUrl } from "@countersign/db-postgres/test-support";
import { seedDemo } from "../demo/seed-demo.js";
import { verifyStoredAuditTrail } from "../security/audit-verification.js";
import { auditCommand } from "./audit-verify.js";

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function run(args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number; out: string; err: string }> {
  return runCommand(auditCommand, args, env);
}

/** A demo database written by the server, in a fresh folder. */
async function demoDatabase(): Promise<{ dir: string; path: string }> {
  const dir = mkdtempSync(join(tmpdir(), "countersign-audit-"));
  dirs.push(dir);
  const path = join(dir, "db.sqlite");
  const opened = openDatabase(path);
  loadDefaultPlan(opened.db);
  await seedDemo(opened.db, new Date("2026-03-01T02:00:00Z"));
  opened.close();
  return { dir, path };
}

const key = "test-checkpoint-key-0123456789abcdef";

describe("cli audit checkpoint and verify --checkpoint", () => {
  it("signs the head; a checkpoint altered or signed under another key is refused; a missing key is a usage error", async () => {
    const { dir, path } = await demoDatabase();
    const env = { DATABASE_PATH: path, AUDIT_CHECKPOINT_KEY: key };
    const taken = await run(["checkpoint"], env);
    expect(taken.code).toBe(0);
    const checkpoint = JSON.parse(taken.out) as { seq: number; hash: string; at: string; hmac: string };
    expect(checkpoint).toMatchObject({ seq: expect.any(Number), hash: expect.stringMatching(/^[0-9a-f]{64}$/), hmac: expect.stringMatching(/^[0-9a-f]{64}$/) });
    const file = join(dir, "checkpoint.json");
    writeFileSync(file, taken.out);
    expect((await run(["verify", "--checkpoint", file], env)).code).toBe(0);

    writeFileSync(file, JSON.stringify({ ...checkpoint, seq: checkpoint.seq - 1 }));
    const altered = await run(["verify", "--checkpoint", file], env);
    expect(altered.code).toBe(1);
    expect(altered.out).toContain("signature does not verify");
    writeFileSync(file, taken.out);
    expect((await run(["verify", "--checkpoint", file], { ...env, AUDIT_CHECKPOINT_KEY: `${key}-other` })).code).toBe(1);
    expect((await run(["checkpoint"], { DATABASE_PATH: path })).code).toBe(2);
  });
});

describe("databases from before migration 0004", () => {
  it("verify read-only as they are, and after migrating (chain head from the last event, comments' departments filled)", async () => {
    const { path } = await demoDatabase();
    // Back to the shape before 0004: no chain head, no holder department on comments, 0004 not recorded as applied.
    const old = openDatabase(path);
    old.sqlite.exec("drop table audit_chain_head; alter table comments drop column department");
    old.close();
    expect((await run(["verify"], { DATABASE_PATH: path })).out).toMatch(/^ok, \d+ events/);

    // Later migrations are applied already, so the chain-head migration's own statements are run as drizzle would.
    const migrated = openDatabase(path, { migrate: false });
    const file = readdirSync(migrationsFolder).find((name) => name.endsWith("_audit_chain_head.sql"));
    if (file === undefined) throw new Error("the chain-head migration is missing");
    for (const statement of readFileSync(join(migrationsFolder, file), "utf8").split("--> statement-breakpoint")) {
      migrated.sqlite.exec(statement);
    }
    try {
      expect(await verifyStoredAuditTrail(createSqliteStore(migrated), new Date(), { full: true })).toMatchObject({ ok: true, stateChecked: true });
      const blank = migrated.sqlite.prepare("select count(*) as n from comments where department is null").get() as { n: number };
      const all = migrated.sqlite.prepare("select count(*) as n from comments").get() as { n: number };
      expect(all.n).toBeGreaterThan(0);
      expect(blank.n).toBe(0);
    } finally {
      migrated.close();
    }
    expect((await run(["verify"], { DATABASE_PATH: path })).out).toMatch(/^ok, \d+ events/);
  });
});

describe("audit.verify's incremental check", () => {
  it("resumes from the last verified point, and sees that point rewritten", async () => {
    const { path } = await demoDatabase();
    const opened = openDatabase(path);
    const store = createSqliteStore(opened);
    try {
      expect(await verifyStoredAuditTrail(store, new Date())).toMatchObject({ ok: true, mode: "full", stateChecked: false });
      const full = await verifyStoredAuditTrail(store, new Date(), { full: true });
      expect(full).toMatchObject({ ok: true, mode: "full", stateChecked: true });
      const head = full.head;
      if (head === null) throw new Error("no events");
      expect(await verifyStoredAuditTrail(store, new Date())).toMatchObject({ ok: true, mode: "incremental", from: head.seq, events: full.events, stateChecked: false });
      opened.sqlite.prepare("update audit_events set payload = '{}' where seq = ?").run(head.seq);
      expect(await verifyStoredAuditTrail(store, new Date())).toMatchObject({
        ok: false,
        mode: "incremental",
        firstBroken: { seq: head.seq, reason: "verified_checkpoint_mismatch" },
      });
    } finally {
      opened.close();
    }
  });
});

describe("audit verify on PostgreSQL (DATABASE_URL)", () => {
  it("verifies the copied demo trail with its state, checks an anchor and a checkpoint, and finds an event altered in the database", async () => {
    const { path } = await demoDatabase();
    const { url, drop } = await freshDatabaseUrl();
    const connection = connectPostgres(url);
    try {
      await migratePostgres(connection);
      await copyFromSqlite(path, connection);
      const env = { DATABASE_URL: url };
      const ok = await run(["verify"], env);
      expect(ok.code).toBe(0);
      // The same report as on SQLite: the chain, the head and every assignment's replayed state.
      expect(ok.out).toMatch(/^ok, \d+ events \(head \d+:[0-9a-f]{64}\)\n$/);
      const json = JSON.parse((await run(["verify", "--json"], env)).out) as { ok: boolean; stateChecked: boolean };
      expect(json).toMatchObject({ ok: true, stateChecked: true });
      const head = await connection.pool.query<{ seq: number; hash: string }>("select seq, hash from audit_events order by seq desc limit 1");
      const last = head.rows[0];
      if (last === undefined) throw new Error("the copied trail is empty");
      expect((await run(["verify", "--anchor", `${last.seq}:${last.hash}`], env)).code).toBe(0);
      expect((await run(["verify", "--anchor", `${last.seq}:${"0".repeat(64)}`], env)).out).toContain("anchor: anchor_mismatch");
      const taken = await run(["checkpoint"], { ...env, AUDIT_CHECKPOINT_KEY: key });
      expect(taken.code).toBe(0);
      expect(JSON.parse(taken.out)).toMatchObject({ seq: last.seq, hash: last.hash });
      // An assignment changed behind the trail's back: found by the state replay, now on PostgreSQL too.
      await connection.pool.query("update assignments set due_date = '2031-12-31' where id = (select min(id) from assignments)");
      const state = await run(["verify"], env);
      expect(state.code).toBe(1);
      expect(state.out).toMatch(/ {2}chain: ok\n {2}tail: ok\n {2}anchor: ok\n {2}state: state_mismatch: Assignment \d+ .* dueDate 2031-12-31/);
      // Someone with write access to the database rewrites an event's payload.
      await connection.pool.query("update audit_events set payload = '{\"note\":\"rewritten\"}' where seq = 2");
      const broken = await run(["verify"], env);
      expect(broken.code).toBe(1);
      expect(broken.out).toMatch(/^BROKEN at event 2: /);
    } finally {
      await connection.close();
      await drop();
    }
  });
});
