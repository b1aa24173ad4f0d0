/**
 * 7. Backup and restore. `pnpm --silent cli db backup <file>` while clients keep writing: the copy is one consistent
 * committed state (its trail is a prefix of the live chain, its rows agree with its trail), holds everything
 * acknowledged before the backup began, and verifies. `cli db restore` puts it in place; a server started on it
 * answers with the same counts and a verifying chain, and takes new work.
 *
 * The PostgreSQL counterpart (issue 13): `cli db backup` with DATABASE_URL is `pg_dump --format=custom` while clients
 * keep writing; the archive, restored with `pg_restore` into a fresh database, is one committed state (its trail a
 * prefix of the live one, its rows agreeing with its trail), holds everything acknowledged before the backup began,
 * verifies (`cli audit verify`), and a server started on it answers with the same counts and takes new work. The
 * backup command itself only lists the archive back (`pg_restore --list`: it reads, and holds the trail's rows); it
 * does not verify the archive's chain: this test does, after the restore.
 */
import { execFile } from "node:child_process";
import { accessSync, constants, copyFileSync, existsSync, readdirSync, statSync } from "node:fs";
import { promisify } from "node:util";
import { delimiter, dirname, join } from "node:path";
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { dataOf, liaisonOf, signedIn } from "./support/client.js";
import type { Browser } from "./support/client.js";
import { recordFigures } from "./support/figures.js";
import { freshDatabaseUrl } from "@countersign/db-postgres/test-support";
import { databaseOn, lookAt } from "./support/engines.js";
import type { EngineDatabase } from "./support/engines.js";
import { freshDatabase, issueDrillPlan, measuresOf, scratchDir } from "./support/fixture.js";
import { runCli, startServer } from "./support/server.js";
import type { StartedServer } from "./support/server.js";

let server: StartedServer;
let dbPath: string;
const failures: string[] = [];


interface FileFacts {
  integrity: string;
  events: Array<{ seq: number; hash: string; payload: string }>;
  counts: { assignments: number; comments: number; events: number };
  /** Assignments whose version is not 1 + their events after issue: the rows and the trail disagree. */
  disagreeing: number[];
}

function factsOf(path: string): FileFacts {
  const db = new Database(path, { readonly: true, fileMustExist: true });
  try {
    const count = (table: string) => (db.prepare(`select count(*) as n from ${table}`).get() as { n: number }).n;
    const disagreeing = (
      db
        .prepare(
          `select a.id from assignments a
           where a.version != 1 + (select count(*) from audit_events e where e.assignment_id = a.id and e.type like 'assignment.%' and e.type != 'assignment.issued')`,
        )
        .all() as Array<{ id: number }>
    ).map((r) => r.id);
    return {
      integrity: String(db.pragma("integrity_check", { simple: true })),
      events: db.prepare("select seq, hash, payload from audit_events order by seq").all() as FileFacts["events"],
      counts: { assignments: count("assignments"), comments: count("comments"), events: count("audit_events") },
      disagreeing,
    };
  } finally {
    db.close();
  }
}

describe("backup and restore", () => {
  beforeAll(async () => {
    dbPath = freshDatabase("backup");
    server = await startServer({ dbPath });
  });
  afterAll(async () => {
    await server.stop();
  });

  it("backs up online while writes go on, and restores a copy that a server runs on", async () => {
    const miit = await signedIn(server.url, "miit");
    const planId = await issueDrillPlan(server.url, miit);
    const assignments = (await measuresOf(miit, planId)).flatMap((m) => m.assignments);
    const departments = [...new Set(assignments.map((a) => a.department))].slice(0, 4);
    const writers: Array<{ browser: Browser; ids: number[] }> = [];
    for (const d of departments) writers.push({ browser: await signedIn(server.url, liaisonOf(d)), ids: assignments.filter((a) => a.department === d).map((a) => a.id) });
    writers.push({ browser: miit, ids: assignments.map((a) => a.id) });
    const versions = new Map(assignments.map((a) => [a.id, a.version]));

    // Writers comment without pause; each acknowledged comment is noted with the time its answer came.
    const acknowledged: Array<{ token: string; at: number }> = [];
    let stopping = false;
    let n = 0;
    const loops = writers.map(async (w, i) => {
      while (!stopping) {
        const id = w.ids[Math.floor(Math.random() * w.ids.length)] ?? 0;
        const token = `backup-w${i}-n${n++}`;
        const answer = await w.browser.mutate("assignment.comment", { id, expectedVersion: versions.get(id) ?? 1, body: `${token} 意见` });
        if (answer.ok) {
          acknowledged.push({ token, at: performance.now() });
          versions.set(id, (answer.data as { version: number }).version);
        } else if (answer.error?.current !== null && answer.error?.current !== undefined) versions.set(id, answer.error.current.version);
      }
    });
    await new Promise((r) => setTimeout(r, 400));
    const backupFile = join(scratchDir("backup-out"), "countersign-backup.sqlite");
    const backupStarted = performance.now();
    const backup = await runCli(["db", "backup", backupFile], dbPath);
    const writesDuringBackup = acknowledged.filter((a) => a.at > backupStarted).length;
    await new Promise((r) => setTimeout(r, 300));
    stopping = true;
    await Promise.all(loops);

    if (backup.code !== 0 || !/integrity ok; audit chain ok/.test(backup.stdout)) failures.push(`backup: ${backup.code} ${backup.stdout}${backup.stderr}`);
    const copy = factsOf(backupFile);
    const live = factsOf(dbPath);
    const head = copy.events.at(-1);
    // One committed state: the copy's trail is exactly the first events of the live trail.
    const prefix = head !== undefined && live.events[head.seq - 1]?.hash === head.hash && copy.events.every((e, i) => live.events[i]?.hash === e.hash);
    if (!prefix) failures.push("the backup's trail is not a prefix of the live trail");
    if (copy.integrity !== "ok") failures.push(`backup integrity ${copy.integrity}`);
    if (copy.disagreeing.length > 0) failures.push(`in the backup, versions disagree with the trail: ${copy.disagreeing.join(",")}`);
    if (live.disagreeing.length > 0) failures.push(`live, versions disagree with the trail: ${live.disagreeing.join(",")}`);
    const inCopy = new Set(copy.events.flatMap((e) => /backup-w\d+-n\d+/.exec(e.payload)?.[0] ?? []));
    const before = acknowledged.filter((a) => a.at < backupStarted);
    const missing = before.filter((a) => !inCopy.has(a.token));
    if (missing.length > 0) failures.push(`${missing.length} acknowledged before the backup are not in it`);
    const verifyCopy = await runCli(["audit", "verify"], backupFile);
    if (verifyCopy.code !== 0 || !verifyCopy.stdout.startsWith(`ok, ${copy.counts.events} events`)) failures.push(`verify the copy: ${verifyCopy.stdout}`);
    expect(readdirSync(dirname(backupFile)).filter((f) => f !== "countersign-backup.sqlite"), "the backup is one self-contained file").toEqual([]);

    // A tampered backup is refused by restore.
    const tampered = join(scratchDir("tampered"), "tampered.sqlite");
    copyFileSync(backupFile, tampered);
    const t = new Database(tampered);
    t.prepare("update audit_events set payload = '{}' where seq = 5").run();
    t.close();
    const refused = await runCli(["db", "restore", tampered], join(scratchDir("nowhere"), "db.sqlite"));
    if (refused.code !== 1 || !/Event 5/.test(refused.stderr)) failures.push(`restore of a tampered backup: ${refused.code} ${refused.stderr}`);

    // Restore over an existing database (the server stopped): the old file and its WAL are kept beside.
    await server.stop();
    const restoredPath = join(scratchDir("restored"), "countersign.sqlite");
    copyFileSync(dbPath, restoredPath);
    const withoutForce = await runCli(["db", "restore", backupFile], restoredPath);
    const restore = await runCli(["db", "restore", backupFile, "--force"], restoredPath);
    if (withoutForce.code !== 2) failures.push(`restore over a database without --force: ${withoutForce.code}`);
    if (restore.code !== 0) failures.push(`restore: ${restore.code} ${restore.stderr}`);
    const kept = readdirSync(dirname(restoredPath)).filter((f) => f.includes(".replaced-"));
    if (kept.length === 0) failures.push("the replaced database was not kept");
    expect(existsSync(`${restoredPath}-wal`)).toBe(false);

    server = await startServer({ dbPath: restoredPath });
    const miit2 = await signedIn(server.url, "miit");
    const verify = dataOf<{ ok: boolean; events: number }>(await miit2.query("audit.verify"));
    const overview = dataOf<{ totals: { assignments: number } }>(await miit2.query("tracking.overview", { planId }));
    const plans = dataOf<Array<{ assignments: number }>>(await miit2.query("catalog.plans"));
    // The restored server: its trail is the backup's plus this sign-in (and its refusal-free reads).
    if (!verify.ok || verify.events !== copy.counts.events + 1) failures.push(`restored audit.verify: ${JSON.stringify(verify)} (backup had ${copy.counts.events})`);
    const allAssignments = plans.reduce((s, p) => s + p.assignments, 0);
    if (allAssignments !== copy.counts.assignments) failures.push(`restored assignments ${allAssignments} != ${copy.counts.assignments}`);
    const target = (await measuresOf(miit2, planId)).flatMap((m) => m.assignments)[0];
    if (target === undefined || overview.totals.assignments === 0) throw new Error("nothing restored");
    const after = await miit2.mutate("assignment.comment", { id: target.id, expectedVersion: target.version, body: "恢复后继续办理" });
    if (!after.ok) failures.push(`a new change on the restored database: ${after.status} ${after.message}`);
    const final = await runCli(["audit", "verify"], restoredPath);
    if (final.code !== 0) failures.push(`final verify: ${final.stdout}`);

    recordFigures({
      area: "7 backup and restore",
      figure: "events backed up / acknowledged before the backup / missing",
      values: [copy.counts.events, before.length, missing.length],
      failures: failures.length,
      detail: `${writesDuringBackup} writes acknowledged while the backup ran; the copy is one self-contained file whose trail is a prefix of the live one (${prefix ? "yes" : "NO"}), integrity ${copy.integrity}, every version agrees with the trail; restore refuses a tampered copy, keeps the replaced file; the restored server verifies ${verify.events} events and takes new work`,
    });
    process.stdout.write(`backup and restore: ${copy.counts.events} events backed up, ${before.length} acknowledged before, ${missing.length} missing, ${writesDuringBackup} during; ${failures.join("; ") || "no failures"}\n${backup.stdout}`);
    expect(failures).toEqual([]);
    expect(writesDuringBackup).toBeGreaterThan(0);
  });
});

/** `pg_restore`: the first on PATH, else the newest in Debian's /usr/lib/postgresql/<major>/bin (as `cli db backup` finds pg_dump). */
function pgRestoreProgram(): string | undefined {
  const runnable = (path: string): boolean => {
    try {
      accessSync(path, constants.X_OK);
      return statSync(path).isFile();
    } catch {
      return false;
    }
  };
  const onPath = (process.env["PATH"] ?? "").split(delimiter).map((dir) => join(dir, "pg_restore"));
  let debian: string[] = [];
  try {
    debian = readdirSync("/usr/lib/postgresql")
      .filter((v) => /^\d+$/.test(v))
      .sort((a, b) => Number(b) - Number(a))
      .map((v) => join("/usr/lib/postgresql", v, "bin", "pg_restore"));
  } catch {
    debian = [];
  }
  return [...onPath, ...debian].find(runnable);
}

interface DatabaseFacts {
  events: Array<{ seq: number; hash: string; payload: string }>;
  counts: { assignments: number; comments: number; events: number };
  disagreeing: number[];
}

/** `factsOf` on a PostgreSQL database (no integrity_check there). */
async function postgresFactsOf(url: string): Promise<DatabaseFacts> {
  const look = lookAt("", url);
  try {
    const count = async (table: string): Promise<number> => (await look.row<{ n: number }>(`select count(*) as n from ${table}`))?.n ?? -1;
    const disagreeing = (
      await look.rows<{ id: number }>(
        `select a.id from assignments a
         where a.version != 1 + (select count(*) from audit_events e where e.assignment_id = a.id and e.type like 'assignment.%' and e.type != 'assignment.issued')`,
      )
    ).map((r) => r.id);
    return {
      events: await look.rows<DatabaseFacts["events"][number]>("select seq, hash, payload from audit_events order by seq"),
      counts: { assignments: await count("assignments"), comments: await count("comments"), events: await count("audit_events") },
      disagreeing,
    };
  } finally {
    await look.close();
  }
}

describe("backup and restore on PostgreSQL", () => {
  let database: EngineDatabase;
  let restored: { url: string; drop: () => Promise<void> } | null = null;
  let pgServer: StartedServer | null = null;
  const problems: string[] = [];
  beforeAll(async () => {
    database = await databaseOn("postgres", "backup");
    pgServer = await database.start();
  });
  afterAll(async () => {
    await pgServer?.stop();
    await database.drop();
    await restored?.drop();
  });

  it("cli db backup (pg_dump) while writes go on; pg_restore into a fresh database: one committed state, verified, served", async () => {
    if (pgServer === null) throw new Error("no server");
    const base = pgServer.url;
    const miit = await signedIn(base, "miit");
    const planId = await issueDrillPlan(base, miit);
    const assignments = (await measuresOf(miit, planId)).flatMap((m) => m.assignments);
    const departments = [...new Set(assignments.map((a) => a.department))].slice(0, 4);
    const writers: Array<{ browser: Browser; ids: number[] }> = [];
    for (const d of departments) writers.push({ browser: await signedIn(base, liaisonOf(d)), ids: assignments.filter((a) => a.department === d).map((a) => a.id) });
    writers.push({ browser: miit, ids: assignments.map((a) => a.id) });
    const versions = new Map(assignments.map((a) => [a.id, a.version]));
    const acknowledged: Array<{ token: string; at: number }> = [];
    let stopping = false;
    let n = 0;
    const loops = writers.map(async (w, i) => {
      while (!stopping) {
        const id = w.ids[Math.floor(Math.random() * w.ids.length)] ?? 0;
        const token = `backup-w${i}-n${n++}`;
        const answer = await w.browser.mutate("assignment.comment", { id, expectedVersion: versions.get(id) ?? 1, body: `${token} 意见` });
        if (answer.ok) {
          acknowledged.push({ token, at: performance.now() });
          versions.set(id, (answer.data as { version: number }).version);
        } else if (answer.error?.current !== null && answer.error?.current !== undefined) versions.set(id, answer.error.current.version);
      }
    });
    await new Promise((r) => setTimeout(r, 400));
    const backupFile = join(scratchDir("backup-pg-out"), "countersign.pgdump");
    const backupStarted = performance.now();
    const backup = await database.cli(["db", "backup", backupFile]);
    const writesDuringBackup = acknowledged.filter((a) => a.at > backupStarted).length;
    await new Promise((r) => setTimeout(r, 300));
    stopping = true;
    await Promise.all(loops);
    if (backup.code !== 0) problems.push(`backup: ${backup.code} ${backup.stdout}${backup.stderr}`);
    expect(statSync(backupFile).size).toBeGreaterThan(0);

    // pg_restore into a fresh, empty database of the cluster (as docs/deploy.md's Backups says).
    restored = await freshDatabaseUrl();
    const pgRestore = pgRestoreProgram();
    if (pgRestore === undefined) throw new Error("pg_restore is not installed");
    await promisify(execFile)(pgRestore, ["--no-owner", "--exit-on-error", `--dbname=${restored.url}`, backupFile]);

    const copy = await postgresFactsOf(restored.url);
    const live = await postgresFactsOf(database.url ?? "");
    const head = copy.events.at(-1);
    const prefix = head !== undefined && live.events[head.seq - 1]?.hash === head.hash && copy.events.every((e, i) => live.events[i]?.hash === e.hash);
    if (!prefix) problems.push("the restored trail is not a prefix of the live trail");
    if (copy.disagreeing.length > 0) problems.push(`restored, versions disagree with the trail: ${copy.disagreeing.join(",")}`);
    if (live.disagreeing.length > 0) problems.push(`live, versions disagree with the trail: ${live.disagreeing.join(",")}`);
    const inCopy = new Set(copy.events.flatMap((e) => /backup-w\d+-n\d+/.exec(e.payload)?.[0] ?? []));
    const before = acknowledged.filter((a) => a.at < backupStarted);
    const missing = before.filter((a) => !inCopy.has(a.token));
    if (missing.length > 0) problems.push(`${missing.length} acknowledged before the backup are not in it`);
    const verifyCopy = await runCli(["audit", "verify"], "", undefined, { DATABASE_URL: restored.url });
    if (verifyCopy.code !== 0 || !verifyCopy.stdout.startsWith(`ok, ${copy.counts.events} events`)) problems.push(`verify the restored copy: ${verifyCopy.stdout}${verifyCopy.stderr}`);

    // A server on the restored database: the same counts, a verifying chain, new work.
    await pgServer.stop();
    pgServer = await startServer({ dbPath: "", env: { DATABASE_URL: restored.url } });
    const miit2 = await signedIn(pgServer.url, "miit");
    const verify = dataOf<{ ok: boolean; events: number }>(await miit2.query("audit.verify"));
    const plans = dataOf<Array<{ assignments: number }>>(await miit2.query("catalog.plans"));
    if (!verify.ok || verify.events !== copy.counts.events + 1) problems.push(`restored audit.verify: ${JSON.stringify(verify)} (backup had ${copy.counts.events})`);
    const allAssignments = plans.reduce((s, p) => s + p.assignments, 0);
    if (allAssignments !== copy.counts.assignments) problems.push(`restored assignments ${allAssignments} != ${copy.counts.assignments}`);
    const target = (await measuresOf(miit2, planId)).flatMap((m) => m.assignments)[0];
    if (target === undefined) throw new Error("nothing restored");
    const after = await miit2.mutate("assignment.comment", { id: target.id, expectedVersion: target.version, body: "恢复后继续办理" });
    if (!after.ok) problems.push(`a new change on the restored database: ${after.status} ${after.message}`);
    const final = await runCli(["audit", "verify"], "", undefined, { DATABASE_URL: restored.url });
    if (final.code !== 0) problems.push(`final verify: ${final.stdout}`);

    recordFigures({
      area: "7 backup and restore, PostgreSQL",
      figure: "events backed up / acknowledged before the backup / missing",
      values: [copy.counts.events, before.length, missing.length],
      failures: problems.length,
      detail: `cli db backup = pg_dump custom format, ${writesDuringBackup} writes acknowledged while it ran; pg_restore into a fresh database: trail a prefix of the live one (${prefix ? "yes" : "NO"}), every version agrees with the trail, cli audit verify ok; the restored server verifies ${verify.events} events and takes new work. The backup command lists the archive, it does not verify its chain`,
    });
    process.stdout.write(`backup and restore (postgres): ${copy.counts.events} events restored, ${before.length} acknowledged before, ${missing.length} missing, ${writesDuringBackup} during; ${problems.join("; ") || "no failures"}\n${backup.stdout}`);
    expect(problems).toEqual([]);
    expect(writesDuringBackup).toBeGreaterThan(0);
  });
});
