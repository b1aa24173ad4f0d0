import { asc, eq, gt, sql } from "drizzle-orm";
import { AuditChainWalker, auditTailAgainstHead } from "@countersign/db";
import type { AuditChainVerdict } from "@countersign/db";
import type { PostgresConnection, PostgresDb } from "./connect.js";
import { auditChainHeadTable } from "./schema/audit-chain-head.js";
import { auditEventsTable } from "./schema/audit-events.js";

/** Drizzle on one transaction's connection (what `db.transaction` hands its callback). */
type PostgresTransaction = Parameters<Parameters<PostgresDb["transaction"]>[0]>[0];

/**
 * Walks the audit chain of what `tx` sees, 5,000 events a read, and checks its tail against the chain head row (written
 * with every append, as on SQLite). `tx` must be a repeatable-read transaction, so that the walk and the head are one
 * snapshot and concurrent appends cannot look like a missing tail.
 */
export async function walkAuditChain(tx: PostgresTransaction): Promise<AuditChainVerdict> {
  const walker = new AuditChainWalker();
  for (;;) {
    const batch = await tx.select().from(auditEventsTable).where(gt(auditEventsTable.seq, walker.lastSeq)).orderBy(asc(auditEventsTable.seq)).limit(5000);
    if (batch.length === 0) break;
    if (walker.next(batch) !== null) return walker.verdict(null);
  }
  const [head] = await tx.select().from(auditChainHeadTable).where(eq(auditChainHeadTable.id, 1));
  return walker.verdict(auditTailAgainstHead(head, walker.last));
}

/**
 * Runs `work(snapshot)` while a read-only repeatable-read transaction holds an exported snapshot (`pg_export_snapshot`),
 * and walks the audit chain in that same snapshot meanwhile: a `pg_dump --snapshot=<snapshot>` run as `work` then holds
 * exactly the state whose chain was verified (PostgreSQL keeps an exported snapshot importable only while its
 * transaction is open, so `work` must finish inside it). Returns the chain's verdict and what `work` returned; rejects
 * with `work`'s error (the transaction is rolled back, nothing was written).
 */
export async function verifyAuditChainInExportedSnapshot<T>(
  connection: PostgresConnection,
  work: (snapshot: string) => Promise<T>,
): Promise<{ verdict: AuditChainVerdict; result: T }> {
  return connection.db.transaction(
    async (tx) => {
      const exported = await tx.execute<{ snapshot: string }>(sql`select pg_export_snapshot() as snapshot`);
      const snapshot = exported.rows[0]?.snapshot;
      if (snapshot === undefined) throw new Error("pg_export_snapshot() answered no row");
      const [verdict, result] = await Promise.all([walkAuditChain(tx), work(snapshot)]);
      return { verdict, result };
    },
    { isolationLevel: "repeatable read", accessMode: "read only" },
  );
}
