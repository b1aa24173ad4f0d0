import { transition } from "@countersign/domain";
import type { AssignmentState, AssignmentStatus, Role } from "@countersign/domain";
import { nextAuditEventRow } from "@countersign/db";
import { connectPostgres } from "@countersign/db-postgres";
import type { Slot } from "../harness/bench-data.js";
import { note } from "./writes.js";

export interface RawLoopResult {
  transactions: number;
  seconds: number;
  perSecond: number;
  /** Transactions that lost a version race or a serialisation check and were not counted (0 with one slot per worker). */
  retried: number;
}

interface AssignmentRow {
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
}

/**
 * The write ceiling on PostgreSQL: the same transaction as the server's `assignment.reportProgress` and as the raw
 * better-sqlite3 loop, in raw node-postgres on a pool, one worker per connection, each on its own assignment
 * (`slots`), at PostgreSQL's defaults (read committed, `synchronous_commit = on`: durable at COMMIT). Each
 * transaction: read the assignment, its measure and the other departments' states; ask the domain's `transition`;
 * update conditionally on the version; lock the audit chain head `FOR UPDATE` (as the store's `appendAuditEvent`),
 * insert the hash-chained event, move the head; commit. The head row serialises the appends, as in the server.
 */
export async function rawPostgresLoop(input: {
  url: string;
  user: { id: number; username: string; department: string };
  slots: readonly Slot[];
  connections: number;
  seconds: number;
}): Promise<RawLoopResult> {
  const workers = Math.min(input.connections, input.slots.length);
  const connection = connectPostgres(input.url, { maxConnections: workers });
  const actor = { role: "liaison" as const, department: input.user.department };
  let transactions = 0;
  let retried = 0;
  const started = performance.now();
  const deadline = started + input.seconds * 1000;
  // Named statements: each connection prepares them once, as a server's pool would.
  const statement = (name: string, text: string, values: unknown[]) => ({ name: `bench_raw_${name}`, text, values });
  async function worker(slot: Slot): Promise<void> {
    const client = await connection.pool.connect();
    try {
      while (performance.now() < deadline) {
        await client.query("begin");
        try {
          const found = await client.query<AssignmentRow>(
            statement(
              "assignment",
              "select id, measure_id, plan_id, measure_number, department, role, status, due_date, pending_extension_until, pending_extension_reason, version from assignments where id = $1",
              [slot.id],
            ),
          );
          const row = found.rows[0];
          if (row === undefined) throw new Error(`raw loop: assignment ${slot.id} is gone`);
          const measure = (await client.query<{ closed: boolean }>(statement("measure", "select closed from measures where id = $1", [row.measure_id]))).rows[0];
          const others = (
            await client.query<{ department: string; role: Role; status: AssignmentStatus }>(
              statement("others", "select department, role, status from assignments where measure_id = $1 and id <> $2", [row.measure_id, row.id]),
            )
          ).rows;
          const state: AssignmentState = {
            status: row.status,
            department: row.department,
            role: row.role,
            dueDate: row.due_date,
            pendingExtension: row.pending_extension_until === null ? null : { until: row.pending_extension_until, reason: row.pending_extension_reason ?? "" },
          };
          const result = transition(state, { type: "reportProgress", note }, actor, { measureClosed: measure?.closed === true, others });
          if (!result.ok) throw new Error(`raw loop: ${result.refusal.message}`);
          const at = new Date().toISOString();
          // Like the server, only what changes (an indexed column set to its own value still costs index work).
          const changed =
            result.next.status === row.status
              ? await client.query(statement("touch", "update assignments set version = version + 1, updated_at = $1 where id = $2 and version = $3", [at, row.id, row.version]))
              : await client.query(
                  statement("update", "update assignments set status = $1, version = version + 1, updated_at = $2 where id = $3 and version = $4", [
                    result.next.status,
                    at,
                    row.id,
                    row.version,
                  ]),
                );
          if (changed.rowCount !== 1) throw new Error("raw loop: lost the version race");
          for (const e of result.events) {
            const head = (await client.query<{ seq: number; hash: string }>(statement("head", "select seq, hash from audit_chain_head where id = 1 for update", []))).rows[0];
            if (head === undefined) throw new Error("raw loop: audit_chain_head has no row (the copy writes it)");
            const c = nextAuditEventRow(
              {
                at,
                type: e.type,
                actorUserId: input.user.id,
                actorUsername: input.user.username,
                actorRole: "liaison",
                actorDepartment: input.user.department,
                planId: row.plan_id,
                measureNumber: row.measure_number,
                assignmentId: row.id,
                department: row.department,
                fromStatus: e.from,
                toStatus: e.to,
                payload: e.payload,
              },
              { seq: Number(head.seq), hash: head.hash },
            );
            await client.query(
              statement(
                "insert",
                `insert into audit_events (seq, at, type, actor_user_id, actor_username, actor_role, actor_department, plan_id, measure_number,
                   assignment_id, department, from_status, to_status, payload, prev_hash, hash) values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)`,
                [c.seq, c.at, c.type, c.actorUserId, c.actorUsername, c.actorRole, c.actorDepartment, c.planId, c.measureNumber, c.assignmentId, c.department, c.fromStatus, c.toStatus, c.payload, c.prevHash, c.hash],
              ),
            );
            await client.query(statement("move", "update audit_chain_head set seq = $1, hash = $2, updated_at = $3 where id = 1", [c.seq, c.hash, c.at]));
          }
          await client.query("commit");
          transactions += 1;
        } catch (error) {
          await client.query("rollback").catch(() => undefined);
          // 40001/40P01: PostgreSQL asks for the transaction again; anything else is a failure of the loop.
          const code = (error as { code?: unknown }).code;
          if (code === "40001" || code === "40P01") retried += 1;
          else throw error;
        }
      }
    } finally {
      client.release();
    }
  }
  try {
    await Promise.all(input.slots.slice(0, workers).map((slot) => worker(slot)));
  } finally {
    await connection.close();
  }
  const seconds = (performance.now() - started) / 1000;
  return { transactions, seconds, perSecond: transactions / seconds, retried };
}
