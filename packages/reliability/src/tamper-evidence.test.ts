/**
 * 2. Tamper evidence. The audit trail is hash-chained, its head kept apart, and it vouches for the state of every
 * assignment and comment. Someone with the database file edits, deletes, reorders or re-hashes rows, or changes the
 * records the trail vouches for; `pnpm --silent cli audit verify` (exit 1) and the API's `audit.verify` with
 * `full: true` name the first divergence. After each case the rows are put back and the trail verifies again. A
 * rewrite of the whole chain and its head is caught only by a signed checkpoint kept elsewhere (`cli audit checkpoint`).
 *
 * The PostgreSQL counterpart (issue 13): the same tamperings written in SQL on a PostgreSQL database (edits, a deleted
 * event, a truncated tail, a row re-hashed, the chain rewritten, an assignment's state and a comment changed), each on
 * a fresh copy of one sound database (`create database … template`, in place of SQLite's put-back): `cli audit
 * verify` with DATABASE_URL (exit 1) and audit.verify of a server on the copy name the first broken event. The
 * SQLite-only cases (sqlite_sequence, the id swap) have no PostgreSQL form here.
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { auditEventHash } from "@countersign/db";
import { Browser, signedIn } from "./support/client.js";
import { recordFigures } from "./support/figures.js";
import { databaseOn } from "./support/engines.js";
import type { EngineDatabase, Look } from "./support/engines.js";
import { freshDatabase, scratchDir } from "./support/fixture.js";
import { runCli, startServer } from "./support/server.js";
import type { StartedServer } from "./support/server.js";

interface EventRow {
  id: number;
  seq: number;
  at: string;
  type: string;
  actor_user_id: number | null;
  actor_username: string | null;
  actor_role: string | null;
  actor_department: string | null;
  plan_id: number | null;
  measure_number: number | null;
  assignment_id: number | null;
  department: string | null;
  from_status: string | null;
  to_status: string | null;
  payload: string;
  prev_hash: string;
  hash: string;
}

interface Verification {
  ok: boolean;
  mode: "full" | "incremental";
  events: number;
  head: { seq: number; hash: string } | null;
  firstBroken: { id: number | null; seq: number; reason: string; message: string } | null;
}

/** The operator's checkpoint key (kept outside the database). */
const checkpointEnv = { AUDIT_CHECKPOINT_KEY: "reliability-suite-checkpoint-key-0123456789" };

let server: StartedServer;
let dbPath: string;
let miit: Browser;

beforeAll(async () => {
  dbPath = freshDatabase("tamper");
  server = await startServer({ dbPath });
  miit = await signedIn(server.url, "miit");
});
afterAll(async () => {
  await server.stop();
});

function withDb<T>(fn: (db: Database.Database) => T): T {
  const db = new Database(dbPath);
  try {
    return fn(db);
  } finally {
    db.close();
  }
}

const allRows = (db: Database.Database): EventRow[] => db.prepare("select * from audit_events order by id").all() as EventRow[];

/** The hash the server would give a row (the attacker who knows the algorithm). */
function rehash(row: EventRow): string {
  return auditEventHash({
    seq: row.seq,
    at: row.at,
    type: row.type,
    actorUserId: row.actor_user_id,
    actorUsername: row.actor_username,
    actorRole: row.actor_role,
    actorDepartment: row.actor_department,
    planId: row.plan_id,
    measureNumber: row.measure_number,
    assignmentId: row.assignment_id,
    department: row.department,
    fromStatus: row.from_status,
    toStatus: row.to_status,
    payload: row.payload,
    prevHash: row.prev_hash,
  });
}

/** The records the trail vouches for, besides the events: put back after each case. */
interface Snapshot {
  events: EventRow[];
  head: Record<string, unknown>;
  assignments: Array<Record<string, unknown>>;
  comments: Array<Record<string, unknown>>;
  counter: number;
}

function snapshot(db: Database.Database): Snapshot {
  return {
    events: allRows(db),
    head: db.prepare("select * from audit_chain_head").get() as Record<string, unknown>,
    assignments: db.prepare("select * from assignments order by id").all() as Array<Record<string, unknown>>,
    comments: db.prepare("select * from comments order by id").all() as Array<Record<string, unknown>>,
    counter: (db.prepare("select seq from sqlite_sequence where name = 'audit_events'").get() as { seq: number }).seq,
  };
}

function putBack(original: Snapshot): void {
  withDb((db) => {
    const refill = (table: string, rows: Array<Record<string, unknown>>): void => {
      const columns = Object.keys(rows[0] ?? {});
      const insert = db.prepare(`insert into ${table} (${columns.join(",")}) values (${columns.map((c) => `@${c}`).join(",")})`);
      db.prepare(`delete from ${table}`).run();
      for (const row of rows) insert.run(row);
    };
    db.pragma("foreign_keys = OFF");
    db.transaction(() => {
      refill("audit_events", original.events as unknown as Array<Record<string, unknown>>);
      refill("audit_chain_head", [original.head]);
      refill("comments", original.comments);
      refill("assignments", original.assignments);
      db.prepare("update sqlite_sequence set seq = ? where name = 'audit_events'").run(original.counter);
    })();
    db.pragma("foreign_keys = ON");
  });
}

/** The last event of an assignment: where a state divergence is reported. */
const lastSeqOf = (db: Database.Database, assignmentId: number): number =>
  (db.prepare("select max(seq) as s from audit_events where assignment_id = ?").get(assignmentId) as { s: number }).s;

async function apiVerify(full = true): Promise<Verification> {
  const answer = await miit.query("audit.verify", full ? { full: true } : undefined);
  if (!answer.ok) throw new Error(`audit.verify: ${answer.status} ${answer.message}`);
  return answer.data as Verification;
}

interface TamperCase {
  name: string;
  /** One of the five tamperings issue 18 found passing `audit verify`. */
  issue18?: boolean;
  /** Changes the file; returns the seq of the event that must be named, and CLI arguments if any. */
  tamper(db: Database.Database, rows: EventRow[], k: number): { seq: number; reason: string; cliArgs?: string[] };
}

let checkpointFile = "";

const cases: TamperCase[] = [
  {
    name: "edit a payload (the summary of a sign-off)",
    tamper: (db, rows) => {
      const target = rows.find((r) => r.type === "assignment.signed_off") ?? rows[10];
      if (target === undefined) throw new Error("no event to edit");
      db.prepare("update audit_events set payload = ? where id = ?").run(JSON.stringify({ summary: "伪造 forged" }), target.id);
      return { seq: target.seq, reason: "hash_mismatch" };
    },
  },
  {
    name: "edit the actor's department",
    tamper: (db, _rows, k) => {
      db.prepare("update audit_events set actor_department = 'NDRC' where seq = ?").run(k);
      return { seq: k, reason: "hash_mismatch" };
    },
  },
  {
    name: "delete a row",
    tamper: (db, _rows, k) => {
      db.prepare("delete from audit_events where seq = ?").run(k);
      return { seq: k, reason: "seq_gap" };
    },
  },
  {
    name: "reorder two rows (swap seq)",
    tamper: (db, _rows, k) => {
      db.transaction(() => {
        db.prepare("update audit_events set seq = -1 where seq = ?").run(k);
        db.prepare("update audit_events set seq = ? where seq = ?").run(k, k + 1);
        db.prepare("update audit_events set seq = ? where seq = -1").run(k + 1);
      })();
      return { seq: k, reason: "prev_hash_mismatch" };
    },
  },
  {
    name: "edit a hash",
    tamper: (db, _rows, k) => {
      db.prepare("update audit_events set hash = ? where seq = ?").run("f".repeat(64), k);
      return { seq: k, reason: "hash_mismatch" };
    },
  },
  {
    name: "edit a row and recompute its hash",
    tamper: (db, rows, k) => {
      const row = rows.find((r) => r.seq === k);
      if (row === undefined) throw new Error("no row");
      const forged = { ...row, payload: JSON.stringify({ note: "forged" }) };
      db.prepare("update audit_events set payload = ?, hash = ? where seq = ?").run(forged.payload, rehash(forged), k);
      return { seq: k + 1, reason: "prev_hash_mismatch" };
    },
  },
  {
    name: "delete the last rows (truncate the tail)",
    tamper: (db, rows) => {
      const last = rows.at(-1);
      if (last === undefined) throw new Error("no rows");
      db.prepare("delete from audit_events where seq >= ?").run(last.seq - 2);
      return { seq: last.seq - 2, reason: "tail_missing" };
    },
  },
  {
    name: "set an assigned assignment to signed_off",
    issue18: true,
    tamper: (db) => {
      const row = db.prepare("select id from assignments where status = 'assigned' order by id limit 1").get() as { id: number } | undefined;
      if (row === undefined) throw new Error("no assigned assignment");
      db.prepare("update assignments set status = 'signed_off' where id = ?").run(row.id);
      return { seq: lastSeqOf(db, row.id), reason: "state_mismatch" };
    },
  },
  {
    name: "undo a sign-off (back to in progress, version as before it)",
    issue18: true,
    tamper: (db) => {
      const row = db.prepare("select id from assignments where status = 'signed_off' order by id limit 1").get() as { id: number } | undefined;
      if (row === undefined) throw new Error("no signed-off assignment");
      db.prepare("update assignments set status = 'in_progress', version = version - 1 where id = ?").run(row.id);
      return { seq: lastSeqOf(db, row.id), reason: "state_mismatch" };
    },
  },
  {
    name: "rewrite a comment",
    issue18: true,
    tamper: (db) => {
      const row = db.prepare("select id, assignment_id as assignmentId from comments order by id limit 1").get() as { id: number; assignmentId: number } | undefined;
      if (row === undefined) throw new Error("no comment");
      db.prepare("update comments set body = ? where id = ?").run("伪造的意见 forged comment", row.id);
      return { seq: lastSeqOf(db, row.assignmentId), reason: "comment_mismatch" };
    },
  },
  {
    name: "swap two events' ids",
    issue18: true,
    tamper: (db, rows, k) => {
      const a = rows.find((r) => r.seq === k);
      const b = rows.find((r) => r.seq === k + 5);
      if (a === undefined || b === undefined) throw new Error("no rows");
      db.transaction(() => {
        db.prepare("update audit_events set id = -1 where id = ?").run(a.id);
        db.prepare("update audit_events set id = ? where id = ?").run(a.id, b.id);
        db.prepare("update audit_events set id = ? where id = -1").run(b.id);
      })();
      return { seq: k, reason: "id_order" };
    },
  },
  {
    name: "delete the last events and reset the id counter",
    issue18: true,
    tamper: (db, rows) => {
      const last = rows.at(-1);
      if (last === undefined) throw new Error("no rows");
      db.prepare("delete from audit_events where seq >= ?").run(last.seq - 2);
      db.prepare("update sqlite_sequence set seq = ? where name = 'audit_events'").run(last.id - 3);
      return { seq: last.seq - 2, reason: "tail_missing" };
    },
  },
  {
    name: "rewrite the chain from an edit on (caught by the chain head)",
    tamper: (db, rows, k) => {
      const head = rows.at(-1);
      if (head === undefined) throw new Error("no rows");
      rewriteFrom(db, rows, k);
      return { seq: head.seq, reason: "head_mismatch" };
    },
  },
  {
    name: "rewrite the chain and its head (caught only by a signed checkpoint)",
    tamper: (db, rows, k) => {
      const head = rows.at(-1);
      if (head === undefined) throw new Error("no rows");
      const newHead = rewriteFrom(db, rows, k);
      db.prepare("update audit_chain_head set hash = ?").run(newHead);
      return { seq: head.seq, reason: "anchor_mismatch", cliArgs: ["--checkpoint", checkpointFile] };
    },
  },
];

/** An attacker who knows the algorithm: edits event k and rehashes every event from it. Returns the new last hash. */
function rewriteFrom(db: Database.Database, rows: EventRow[], k: number): string {
  let prev = rows.find((r) => r.seq === k - 1)?.hash ?? "";
  const update = db.prepare("update audit_events set payload = ?, prev_hash = ?, hash = ? where id = ?");
  db.transaction(() => {
    for (const row of rows.filter((r) => r.seq >= k)) {
      const forged = { ...row, prev_hash: prev, payload: row.seq === k ? JSON.stringify({ note: "forged" }) : row.payload };
      const hash = rehash(forged);
      update.run(forged.payload, prev, hash, row.id);
      prev = hash;
    }
  })();
  return prev;
}

describe("tamper evidence", () => {
  it("the chain verifies as the server wrote it, through the CLI and the API", async () => {
    const cli = await runCli(["audit", "verify"], dbPath);
    expect(cli.code).toBe(0);
    expect(cli.stdout).toMatch(/^ok, \d+ events \(head \d+:[0-9a-f]{64}\)/);
    const api = await apiVerify();
    expect(api).toMatchObject({ ok: true, firstBroken: null });
    expect(cli.stdout).toContain(`ok, ${api.events} events`);
  });

  it("answers audit.verify to the coordinator, observers and admins, refuses liaisons and anonymous callers", async () => {
    for (const who of ["observer", "admin"]) {
      expect((await (await signedIn(server.url, who)).query("audit.verify")).status).toBe(200);
    }
    const mof = await (await signedIn(server.url, "mof")).query("audit.verify");
    expect(mof).toMatchObject({ status: 403, error: { refusalCode: "forbidden_role" } });
    expect((await new Browser(server.url).query("audit.verify")).status).toBe(401);
  });

  it("detects each kind of tampering and names the first broken event", async () => {
    // The operator's signed checkpoint, taken while the trail is sound and kept outside the database.
    const taken = await runCli(["audit", "checkpoint"], dbPath, undefined, checkpointEnv);
    expect(taken.code).toBe(0);
    checkpointFile = join(scratchDir("checkpoint"), "audit-checkpoint.json");
    writeFileSync(checkpointFile, taken.stdout);
    const sound = await runCli(["audit", "verify", "--checkpoint", checkpointFile], dbPath, undefined, checkpointEnv);
    expect(sound.code).toBe(0);

    const saved = withDb(snapshot);
    const original = saved.events;
    const k = Math.floor(original.length / 2);
    const results: Array<{ name: string; expected: number; cli: string; api: string; detected: boolean; issue18: boolean }> = [];
    for (const c of cases) {
      const expected = withDb((db) => c.tamper(db, original, k));
      const cli = await runCli(["audit", "verify", ...(expected.cliArgs ?? [])], dbPath, undefined, checkpointEnv);
      // The API has no anchor: a chain rewritten from the start is the CLI's (and the operator's) to catch.
      const api = expected.cliArgs === undefined ? await apiVerify() : null;
      const apiNames = api === null || (!api.ok && api.firstBroken?.seq === expected.seq && api.firstBroken.reason === expected.reason);
      const cliNames = cli.code === 1 && cli.stdout.startsWith(`BROKEN at event ${expected.seq}:`);
      results.push({
        name: c.name,
        expected: expected.seq,
        cli: `${cli.code} ${cli.stdout.trim().split("\n")[0] ?? ""}`,
        api: api === null ? "-" : JSON.stringify(api.firstBroken),
        detected: cliNames && apiNames,
        issue18: c.issue18 === true,
      });
      putBack(saved);
      expect((await runCli(["audit", "verify"], dbPath)).code).toBe(0);
    }
    process.stdout.write(`tamper evidence:\n${results.map((r) => `  ${r.detected ? "detected" : "MISSED  "} ${r.name}: ${r.cli} | api ${r.api}`).join("\n")}\n`);
    const missed = results.filter((r) => !r.detected);
    const issue18 = results.filter((r) => r.issue18);
    recordFigures({
      area: "2 tamper evidence (issue 18's five)",
      figure: "tamperings / detected / missed",
      values: [issue18.length, issue18.filter((r) => r.detected).length, issue18.filter((r) => !r.detected).length],
      failures: issue18.filter((r) => !r.detected).length,
      detail: "assigned set to signed_off; sign-off undone; comment rewritten; two event ids swapped; last events deleted with the id counter reset: each named by the real `cli audit verify` (exit 1) and audit.verify {full: true}",
    });
    recordFigures({
      area: "2 tamper evidence",
      figure: "tamperings / detected / missed",
      values: [results.length, results.length - missed.length, missed.length],
      failures: missed.length,
      detail: `${results.map((r) => r.name).join("; ")}: each named by \`cli audit verify\` (exit 1) and audit.verify; chain ok again after each repair`,
    });
    expect(missed).toEqual([]);
    expect((await apiVerify()).ok).toBe(true);
  });

  it("audit.verify is incremental from the server's last verified point; the full walk (with the state replay) is on demand", async () => {
    // The median of five calls, each over HTTP.
    const timed = async (full: boolean): Promise<{ v: Verification; ms: number }> => {
      const runs: Array<{ v: Verification; ms: number }> = [];
      for (let i = 0; i < 5; i += 1) {
        const t0 = performance.now();
        const v = await apiVerify(full);
        runs.push({ v, ms: performance.now() - t0 });
      }
      runs.sort((a, b) => a.ms - b.ms);
      const median = runs[2];
      if (median === undefined) throw new Error("no runs");
      return median;
    };
    const full = await timed(true);
    expect(full.v).toMatchObject({ ok: true, mode: "full" });
    const incremental = await timed(false);
    expect(incremental.v).toMatchObject({ ok: true, mode: "incremental", events: full.v.events });

    const saved = withDb(snapshot);
    // An old event edited: behind the verified point, so the page-load check does not look; the full walk does.
    withDb((db) => db.prepare("update audit_events set payload = '{}' where seq = 3").run());
    expect(await apiVerify(false)).toMatchObject({ ok: true, mode: "incremental" });
    expect(await apiVerify(true)).toMatchObject({ ok: false, firstBroken: { seq: 3, reason: "hash_mismatch" } });
    putBack(saved);
    expect((await apiVerify(true)).ok).toBe(true);

    // The newest events deleted: the verified point itself is gone, which the page-load check sees.
    const last = saved.events.at(-1);
    if (last === undefined) throw new Error("no events");
    withDb((db) => db.prepare("delete from audit_events where seq >= ?").run(last.seq - 1));
    expect(await apiVerify(false)).toMatchObject({ ok: false, mode: "incremental", firstBroken: { seq: last.seq, reason: "verified_checkpoint_mismatch" } });
    putBack(saved);
    expect((await apiVerify(true)).ok).toBe(true);

    recordFigures({
      area: "2 tamper evidence: audit.verify",
      figure: "events / full walk ms / incremental ms (medians of 5)",
      values: [full.v.events, Math.round(full.ms), Math.round(incremental.ms)],
      failures: 0,
      detail: "over HTTP on the demo database; the tracking page asks for the incremental check, the full walk (chain, head, state replay) on demand",
    });
  });
});

/** A tampering written in SQL for PostgreSQL: changes the database through `look`, answers what must be named. */
interface PostgresTamperCase {
  name: string;
  tamper(look: Look, rows: EventRow[], k: number): Promise<{ seq: number; reason: string }>;
}

const lastSeqOn = async (look: Look, assignmentId: number): Promise<number> =>
  (await look.row<{ s: number }>("select max(seq) as s from audit_events where assignment_id = ?", [assignmentId]))?.s ?? -1;

/** `rewriteFrom` in SQL: edits event k and rehashes every event from it. Returns the new last hash. */
async function rewriteFromOn(look: Look, rows: EventRow[], k: number): Promise<string> {
  let prev = rows.find((r) => r.seq === k - 1)?.hash ?? "";
  for (const row of rows.filter((r) => r.seq >= k)) {
    const forged = { ...row, prev_hash: prev, payload: row.seq === k ? JSON.stringify({ note: "forged" }) : row.payload };
    const hash = rehash(forged);
    await look.run("update audit_events set payload = ?, prev_hash = ?, hash = ? where id = ?", [forged.payload, prev, hash, row.id]);
    prev = hash;
  }
  return prev;
}

const postgresCases: PostgresTamperCase[] = [
  {
    name: "edit a payload (the summary of a sign-off)",
    tamper: async (look, rows) => {
      const target = rows.find((r) => r.type === "assignment.signed_off") ?? rows[10];
      if (target === undefined) throw new Error("no event to edit");
      await look.run("update audit_events set payload = ? where id = ?", [JSON.stringify({ summary: "伪造 forged" }), target.id]);
      return { seq: target.seq, reason: "hash_mismatch" };
    },
  },
  {
    name: "edit the actor's department",
    tamper: async (look, _rows, k) => {
      await look.run("update audit_events set actor_department = 'NDRC' where seq = ?", [k]);
      return { seq: k, reason: "hash_mismatch" };
    },
  },
  {
    name: "delete an event",
    tamper: async (look, _rows, k) => {
      await look.run("delete from audit_events where seq = ?", [k]);
      return { seq: k, reason: "seq_gap" };
    },
  },
  {
    name: "edit a row and recompute its hash",
    tamper: async (look, rows, k) => {
      const row = rows.find((r) => r.seq === k);
      if (row === undefined) throw new Error("no row");
      const forged = { ...row, payload: JSON.stringify({ note: "forged" }) };
      await look.run("update audit_events set payload = ?, hash = ? where seq = ?", [forged.payload, rehash(forged), k]);
      return { seq: k + 1, reason: "prev_hash_mismatch" };
    },
  },
  {
    name: "delete the last rows (truncate the tail)",
    tamper: async (look, rows) => {
      const last = rows.at(-1);
      if (last === undefined) throw new Error("no rows");
      await look.run("delete from audit_events where seq >= ?", [last.seq - 2]);
      return { seq: last.seq - 2, reason: "tail_missing" };
    },
  },
  {
    name: "set an assigned assignment to signed_off",
    tamper: async (look) => {
      const row = await look.row<{ id: number }>("select id from assignments where status = 'assigned' order by id limit 1");
      if (row === undefined) throw new Error("no assigned assignment");
      await look.run("update assignments set status = 'signed_off' where id = ?", [row.id]);
      return { seq: await lastSeqOn(look, row.id), reason: "state_mismatch" };
    },
  },
  {
    name: "rewrite a comment",
    tamper: async (look) => {
      const row = await look.row<{ id: number; assignmentId: number }>(`select id, assignment_id as "assignmentId" from comments order by id limit 1`);
      if (row === undefined) throw new Error("no comment");
      await look.run("update comments set body = ? where id = ?", ["伪造的意见 forged comment", row.id]);
      return { seq: await lastSeqOn(look, row.assignmentId), reason: "comment_mismatch" };
    },
  },
  {
    name: "rewrite the chain from an edit on (caught by the chain head)",
    tamper: async (look, rows, k) => {
      const head = rows.at(-1);
      if (head === undefined) throw new Error("no rows");
      await rewriteFromOn(look, rows, k);
      return { seq: head.seq, reason: "head_mismatch" };
    },
  },
];

describe("tamper evidence on PostgreSQL", () => {
  let sound: EngineDatabase;
  beforeAll(async () => {
    sound = await databaseOn("postgres", "tamper");
  });
  afterAll(async () => {
    await sound.drop();
  });

  it("SQL edits and deletions on PostgreSQL: cli audit verify and audit.verify name the first broken event", async () => {
    const cli = await sound.cli(["audit", "verify"]);
    expect(cli.code, cli.stdout + cli.stderr).toBe(0);
    expect(cli.stdout).toMatch(/^ok, \d+ events \(head \d+:[0-9a-f]{64}\)/);
    const results: Array<{ name: string; expected: number; cli: string; api: string; detected: boolean }> = [];
    for (const c of postgresCases) {
      // A copy of the sound database for each case (the put-back of SQLite's cases), with a server on it whose
      // coordinator signs in first: the tampering then comes after every event the server writes, as on SQLite.
      const copy = await sound.fork("tamper-case");
      const server = await copy.start();
      try {
        const coordinator = await signedIn(server.url, "miit");
        const tampering = copy.look(true);
        const expected = await (async () => {
          const original = await tampering.rows<EventRow>("select * from audit_events order by id");
          return c.tamper(tampering, original, Math.floor(original.length / 2));
        })().finally(() => tampering.close());
        const verdict = await copy.cli(["audit", "verify"]);
        const answer = await coordinator.query("audit.verify", { full: true });
        if (!answer.ok) throw new Error(`audit.verify: ${answer.status} ${answer.message}`);
        const api = answer.data as Verification;
        const apiNames = !api.ok && api.firstBroken?.seq === expected.seq && api.firstBroken.reason === expected.reason;
        const cliNames = verdict.code === 1 && verdict.stdout.startsWith(`BROKEN at event ${expected.seq}:`);
        results.push({
          name: c.name,
          expected: expected.seq,
          cli: `${verdict.code} ${verdict.stdout.trim().split("\n")[0] ?? ""}`,
          api: JSON.stringify(api.firstBroken),
          detected: cliNames && apiNames,
        });
      } finally {
        await server.stop();
        await copy.drop();
      }
    }
    process.stdout.write(`tamper evidence (postgres):\n${results.map((r) => `  ${r.detected ? "detected" : "MISSED  "} ${r.name}: ${r.cli} | api ${r.api}`).join("\n")}\n`);
    const missed = results.filter((r) => !r.detected);
    recordFigures({
      area: "2 tamper evidence, PostgreSQL",
      figure: "tamperings / detected / missed",
      values: [results.length, results.length - missed.length, missed.length],
      failures: missed.length,
      detail: `${results.map((r) => r.name).join("; ")}: SQL on a copy of a sound PostgreSQL database, each named by \`cli audit verify\` with DATABASE_URL (exit 1) and audit.verify {full: true}`,
    });
    expect(missed).toEqual([]);
  });
});
