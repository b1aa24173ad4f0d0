/**
 * 2. Tamper evidence. The audit trail is hash-chained. Someone with the database file edits, deletes, reorders or
 * re-hashes rows directly; `pnpm --silent cli audit verify` (exit 1) and the API's `audit.verify` (what the tracking
 * page shows) name the first broken event. After each case the rows are put back and the chain verifies again.
 */
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { auditEventHash } from "@countersign/db";
import { Browser, signedIn } from "./support/client.js";
import { recordFigures } from "./support/figures.js";
import { freshDatabase } from "./support/fixture.js";
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
  events: number;
  head: { seq: number; hash: string } | null;
  firstBroken: { id: number | null; seq: number; reason: string; message: string } | null;
}

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

function putBack(rows: EventRow[]): void {
  withDb((db) => {
    const columns = Object.keys(rows[0] ?? {});
    const insert = db.prepare(`insert into audit_events (${columns.join(",")}) values (${columns.map((c) => `@${c}`).join(",")})`);
    db.transaction(() => {
      db.prepare("delete from audit_events").run();
      for (const row of rows) insert.run(row);
    })();
  });
}

async function apiVerify(): Promise<Verification> {
  const answer = await miit.query("audit.verify");
  if (!answer.ok) throw new Error(`audit.verify: ${answer.status} ${answer.message}`);
  return answer.data as Verification;
}

interface TamperCase {
  name: string;
  /** Changes the file; returns the seq of the event that must be named, and CLI arguments if any. */
  tamper(db: Database.Database, rows: EventRow[], k: number): { seq: number; reason: string; cliArgs?: string[] };
}

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
    name: "rewrite the chain from an edit on (caught by an anchor noted earlier)",
    tamper: (db, rows, k) => {
      const head = rows.at(-1);
      if (head === undefined) throw new Error("no rows");
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
      return { seq: head.seq, reason: "anchor_mismatch", cliArgs: ["--anchor", `${head.seq}:${head.hash}`] };
    },
  },
];

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
    const original = withDb(allRows);
    const k = Math.floor(original.length / 2);
    const results: Array<{ name: string; expected: number; cli: string; api: string; detected: boolean }> = [];
    for (const c of cases) {
      const expected = withDb((db) => c.tamper(db, original, k));
      const cli = await runCli(["audit", "verify", ...(expected.cliArgs ?? [])], dbPath);
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
      });
      putBack(original);
      expect((await runCli(["audit", "verify"], dbPath)).code).toBe(0);
    }
    process.stdout.write(`tamper evidence:\n${results.map((r) => `  ${r.detected ? "detected" : "MISSED  "} ${r.name}: ${r.cli} | api ${r.api}`).join("\n")}\n`);
    const missed = results.filter((r) => !r.detected);
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
});
