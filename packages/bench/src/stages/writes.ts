import Database from "better-sqlite3";
import type autocannon from "autocannon";
import { transition } from "@countersign/domain";
import type { AssignmentState, AssignmentStatus, Role } from "@countersign/domain";
import { auditEventHash, canonicalJson, genesisHash } from "@countersign/db";
import type { AuditEventRow } from "@countersign/db";
import { runLoad } from "../harness/load.js";
import { rawPostgresLoop } from "./writes-postgres.js";
import type { BenchData, Slot } from "../harness/bench-data.js";
import type { ServerProcess } from "../harness/server-process.js";
import type { Figure } from "../report.js";
import type { LoadSettings } from "./reads.js";

export interface WritesInput {
  server: ServerProcess;
  /** The SQLite file: the raw loop's database on SQLite. */
  dbPath: string;
  /** The database the server runs on: where the slots and their versions are read. */
  data: BenchData;
  /** On PostgreSQL, the database the server runs on: the raw loop runs there instead (writes-postgres.ts). */
  databaseUrl: string | null;
  cookie: string;
  /** The signed-in liaison: their department's open assignments are the ones reported on. */
  user: { id: number; username: string; department: string };
  load: LoadSettings;
  log: (line: string) => void;
}

export const note = "已完成阶段性任务，下一步将会同有关部门推进。";

/** The version in a reportProgress answer, or in a CONFLICT's `current`. */
export function versionIn(body: string): number | null {
  try {
    const parsed = JSON.parse(body) as { result?: { data?: { version?: unknown } }; error?: { data?: { current?: { version?: unknown } } } };
    const v = parsed.result?.data?.version ?? parsed.error?.data?.current?.version;
    return typeof v === "number" ? v : null;
  } catch {
    return null;
  }
}

/**
 * The write load's request: `assignment.reportProgress` on a free one of `slots` (each in use by one request at a
 * time, its version carried from the answer), with the signed-in `cookie`. Used by the writes stage and the soak.
 */
export function progressReportRequest(slots: Slot[], cookie: string): autocannon.Request {
  const bySlot = new WeakMap<object, Slot>();
  return {
    method: "POST",
    path: "/trpc/assignment.reportProgress",
    headers: { "content-type": "application/json", cookie },
    setupRequest: (request, context) => {
      const slot = slots.find((s) => !s.busy);
      if (slot === undefined) throw new Error("no free assignment for the next request");
      slot.busy = true;
      bySlot.set(context, slot);
      return { ...request, body: JSON.stringify({ id: slot.id, expectedVersion: slot.version, note }) };
    },
    onResponse: (_status, body, context) => {
      const slot = bySlot.get(context);
      if (slot === undefined) return;
      const version = versionIn(body);
      if (version !== null) slot.version = version;
      slot.busy = false;
    },
  };
}

/**
 * `assignment.reportProgress` over HTTP under load, each connection reporting on its own assignment with the
 * version it was last given. Its ceiling is `benchRawWrites`: on SQLite the same transaction in a raw better-sqlite3
 * loop on the same file with the same pragmas (WAL, synchronous = FULL): read the assignment, its measure and the
 * other departments' states, ask the domain's `transition`, update conditionally on the version, append the
 * hash-chained audit event, commit.
 */
export async function benchWrites(input: WritesInput): Promise<Figure[]> {
  const { server, cookie, load, log } = input;
  // One more assignment than connections: a free one is always there for the next request.
  const slots = await input.data.openAssignments(input.user.department, load.connections * 2, load.connections + 1);
  const requests = [progressReportRequest(slots, cookie)];
  const fmt = (n: number, d = 0): string => n.toLocaleString("en-US", { maximumFractionDigits: d, minimumFractionDigits: d });
  log("writes: assignment.reportProgress over HTTP under load");
  const commitsBefore = await groupCommitOf(server.url);
  const http = await runLoad({
    url: `${server.url}/trpc/assignment.reportProgress`,
    connections: load.connections,
    seconds: load.seconds,
    warmupSeconds: load.warmupSeconds,
    requests,
    beforeEachRun: async () => {
      await new Promise((resolve) => setTimeout(resolve, 300));
      await input.data.refreshVersions(slots);
    },
  });
  const commitsAfter = await groupCommitOf(server.url);
  if (http.failures > 0) throw new Error(`reportProgress: ${http.failures} failed requests under load`);
  if (http.requests === 0) throw new Error("reportProgress: no request completed");

  return [
    {
      id: "writes.http",
      section: "writes",
      name: "assignment.reportProgress over HTTP (state check, update, audit event)",
      value: http.rps,
      unit: "tx/s",
      digits: 0,
      detail: `p50 ${fmt(http.p50Ms, 1)} ms, p99 ${fmt(http.p99Ms, 1)} ms, ${load.connections} connections; ${groupCommitDetail(commitsBefore, commitsAfter, fmt)}`,
    },
  ];
}

/**
 * The HTTP figure ÷ the raw loop's. Issue 17 sets a target on SQLite only ("≥ 0.5 × the raw loop on SQLite at
 * synchronous = FULL, and the PostgreSQL figure beside its own raw loop"): on PostgreSQL the ratio is reported
 * without one.
 */
export function writesRatio(http: Figure, raw: Figure, engine: "sqlite" | "postgres"): Figure {
  const ratio: Figure = { id: "writes.ratio", section: "writes", name: "HTTP ÷ raw loop", value: http.value / raw.value, unit: "", digits: 2 };
  return engine === "sqlite" ? { ...ratio, target: { op: "≥", value: 0.5 } } : ratio;
}

/**
 * The write ceiling: the same transaction as reportProgress without the server, on the server's engine (on SQLite
 * a raw better-sqlite3 loop on one assignment, on PostgreSQL raw node-postgres on a pool, writes-postgres.ts).
 */
export async function benchRawWrites(input: Omit<WritesInput, "server" | "cookie">): Promise<Figure> {
  const { load, log } = input;
  const fmt = (n: number, d = 0): string => n.toLocaleString("en-US", { maximumFractionDigits: d, minimumFractionDigits: d });
  const slots = await input.data.openAssignments(input.user.department, load.connections * 2, load.connections + 1);
  if (input.databaseUrl === null) {
    log("writes: the same transaction in a raw better-sqlite3 loop");
    const raw = rawLoop(input.dbPath, input.user, slots[0]?.id ?? 0, load.seconds);
    return {
      id: "writes.raw",
      section: "writes",
      name: "ceiling: the same transaction, raw better-sqlite3 loop, synchronous = FULL",
      value: raw.perSecond,
      unit: "tx/s",
      digits: 0,
      detail: `${fmt(raw.transactions)} transactions in ${fmt(raw.seconds, 1)} s`,
    };
  }
  log(`writes: the same transaction in raw node-postgres on a pool of ${load.connections}`);
  const raw = await rawPostgresLoop({ url: input.databaseUrl, user: input.user, slots, connections: load.connections, seconds: load.seconds });
  return {
    id: "writes.raw",
    section: "writes",
    name: `ceiling: the same transaction, raw node-postgres on a pool (${load.connections} connections, each its own assignment), synchronous_commit = on`,
    value: raw.perSecond,
    unit: "tx/s",
    digits: 0,
    detail: `${fmt(raw.transactions)} transactions in ${fmt(raw.seconds, 1)} s${raw.retried === 0 ? "" : `, ${fmt(raw.retried)} retried`}; the audit chain head row (FOR UPDATE) serialises the appends`,
  };
}

interface GroupCommitReading {
  /** The store's units of work and the COMMITs holding them (SQLite's group commit); null on PostgreSQL. */
  seam: { batches: number; units: number; syncs?: number } | null;
}

/** The server's group commit counts (GET /bench/group-commit), or null from a server without the route. */
async function groupCommitOf(url: string): Promise<GroupCommitReading | null> {
  const response = await fetch(`${url}/bench/group-commit`);
  if (!response.ok) return null;
  return (await response.json()) as GroupCommitReading;
}

/** "4.2 writes per COMMIT (group commit)", from the readings around the load. */
function groupCommitDetail(before: GroupCommitReading | null, after: GroupCommitReading | null, fmt: (n: number, d?: number) => string): string {
  if (after === null) return "group commit unknown";
  if (after.seam === null) return "no group commit (PostgreSQL: each unit of work commits on its own connection)";
  const batches = after.seam.batches - (before?.seam?.batches ?? 0);
  const writes = after.seam.units - (before?.seam?.units ?? 0);
  if (batches === 0) return "group commit: no COMMIT during the load";
  const perCommit = `group commit: ${fmt(writes / batches, 1)} writes per COMMIT`;
  if (after.seam.syncs === undefined) return `${perCommit}, each COMMIT synced in place`;
  const syncs = after.seam.syncs - (before?.seam?.syncs ?? 0);
  return syncs === 0 ? perCommit : `${perCommit}, ${fmt(writes / syncs, 1)} per sync of the WAL off the event loop`;
}

function rawLoop(dbPath: string, user: { id: number; username: string; department: string }, assignmentId: number, seconds: number) {
  const db = new Database(dbPath);
  db.pragma("journal_mode = WAL");
  db.pragma("synchronous = FULL");
  db.pragma("foreign_keys = ON");
  db.pragma("busy_timeout = 5000");
  try {
    const getAssignment = db.prepare(
      "SELECT id, measure_id, plan_id, measure_number, department, role, status, due_date, pending_extension_until, pending_extension_reason, version FROM assignments WHERE id = ?",
    );
    const getMeasure = db.prepare("SELECT title, closed FROM measures WHERE id = ?");
    const getOthers = db.prepare("SELECT id, department, role, status FROM assignments WHERE measure_id = ? AND id <> ?");
    // Like the server, only what changes: setting an indexed column, even to its own value, rewrites its indexes.
    const update = db.prepare("UPDATE assignments SET status = ?, version = version + 1, updated_at = ? WHERE id = ? AND version = ?");
    const touch = db.prepare("UPDATE assignments SET version = version + 1, updated_at = ? WHERE id = ? AND version = ?");
    // As the server's append: the chain head row read, the events chained on it, the head moved in the same transaction.
    const head = db.prepare("SELECT seq, hash FROM audit_chain_head WHERE id = 1");
    const moveHead = db.prepare(
      "INSERT INTO audit_chain_head (id, seq, hash, updated_at) VALUES (1, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET seq = excluded.seq, hash = excluded.hash, updated_at = excluded.updated_at",
    );
    const insert = db.prepare(
      `INSERT INTO audit_events (seq, at, type, actor_user_id, actor_username, actor_role, actor_department, plan_id, measure_number,
         assignment_id, department, from_status, to_status, payload, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    const actor = { role: "liaison" as const, department: user.department };
    const once = db.transaction(() => {
      const row = getAssignment.get(assignmentId) as {
        id: number;
        measure_id: number;
        plan_id: number;
        measure_number: number;
        department: string;
        role: Role;
        status: AssignmentStatus;
        due_date: string;
        pending_extension_until: string | null;
        pending_extension_reason: string | null;
        version: number;
      };
      const measure = getMeasure.get(row.measure_id) as { title: string; closed: number };
      const others = getOthers.all(row.measure_id, row.id) as Array<{ department: string; role: Role; status: AssignmentStatus }>;
      const state: AssignmentState = {
        status: row.status,
        department: row.department,
        role: row.role,
        dueDate: row.due_date,
        pendingExtension: row.pending_extension_until === null ? null : { until: row.pending_extension_until, reason: row.pending_extension_reason ?? "" },
      };
      const result = transition(state, { type: "reportProgress", note }, actor, { measureClosed: measure.closed === 1, others });
      if (!result.ok) throw new Error(`raw loop: ${result.refusal.message}`);
      const at = new Date().toISOString();
      const changed =
        result.next.status === row.status ? touch.run(at, row.id, row.version) : update.run(result.next.status, at, row.id, row.version);
      if (changed.changes !== 1) throw new Error("raw loop: lost the version race");
      let last = head.get() as { seq: number; hash: string } | undefined;
      for (const e of result.events) {
        const content: Omit<AuditEventRow, "id" | "hash"> = {
          seq: (last?.seq ?? 0) + 1,
          at,
          type: e.type,
          actorUserId: user.id,
          actorUsername: user.username,
          actorRole: "liaison",
          actorDepartment: user.department,
          planId: row.plan_id,
          measureNumber: row.measure_number,
          assignmentId: row.id,
          department: row.department,
          fromStatus: e.from,
          toStatus: e.to,
          payload: canonicalJson(e.payload),
          prevHash: last?.hash ?? genesisHash,
        };
        const c = content;
        const hash = auditEventHash(content);
        insert.run(c.seq, c.at, c.type, c.actorUserId, c.actorUsername, c.actorRole, c.actorDepartment, c.planId, c.measureNumber, c.assignmentId, c.department, c.fromStatus, c.toStatus, c.payload, c.prevHash, hash);
        last = { seq: c.seq, hash };
      }
      if (last !== undefined) moveHead.run(last.seq, last.hash, at);
    });
    const started = performance.now();
    const deadline = started + seconds * 1000;
    let transactions = 0;
    while (performance.now() < deadline) {
      once.immediate();
      transactions += 1;
    }
    const elapsed = (performance.now() - started) / 1000;
    return { transactions, seconds: elapsed, perSecond: transactions / elapsed };
  } finally {
    db.close();
  }
}
