import { eq } from "drizzle-orm";
import { verifyAuditChain } from "@countersign/db";
import type { Queryable } from "@countersign/db";
import { auditEventsTable } from "@countersign/db/schema";

export type AuditBreak =
  /** The event's content no longer matches its hash: edited. */
  | "hash_mismatch"
  /** The event does not name the previous event's hash: reordered, replaced or inserted. */
  | "prev_hash_mismatch"
  /** A sequence number is missing: an event was deleted. */
  | "seq_gap"
  /** The id counter is past the last event: events at the end were deleted. */
  | "tail_missing"
  /** The event named by an anchor noted earlier is gone or has another hash: the chain was rewritten. */
  | "anchor_mismatch";

export interface AuditVerification {
  ok: boolean;
  /** Events that verified, from the first; all of them when `ok`. */
  events: number;
  /** The last event that verified: note it elsewhere (e.g. with a backup) to check later with an anchor. */
  head: { seq: number; hash: string } | null;
  /** The first event that does not verify, with why, in words naming it. */
  firstBroken: { id: number | null; seq: number; reason: AuditBreak; message: string } | null;
  checkedAt: string;
}

/**
 * Walks the whole hash chain of the audit trail (each event's hash covers its content and the previous hash) and
 * names the first event that does not verify, including deleted newest events (the db's check of the id counter). An anchor (`seq`, `hash`) noted earlier catches a
 * chain recomputed from the start by someone who knows the algorithm.
 */
export function verifyAuditTrail(db: Queryable, now: Date, anchor?: { seq: number; hash: string }): AuditVerification {
  const checkedAt = now.toISOString();
  const verdict = verifyAuditChain(db);
  const headOf = (seq: number) => {
    const row = db.select({ seq: auditEventsTable.seq, hash: auditEventsTable.hash }).from(auditEventsTable).where(eq(auditEventsTable.seq, seq)).get();
    return row ?? null;
  };
  if (!verdict.ok) {
    const { id, seq } = verdict.firstBroken;
    const expected = verdict.events + 1;
    const message =
      verdict.reason === "hash_mismatch"
        ? `Event ${seq} (id ${id}) was altered: its content does not match its hash.`
        : verdict.reason === "prev_hash_mismatch"
          ? `Event ${seq} (id ${id}) does not follow event ${seq - 1}: events were reordered, replaced or inserted.`
          : verdict.reason === "tail_missing"
            ? `Events after event ${verdict.events} are missing: ids past ${id - 1}, the last stored, were given out.`
            : `Event ${expected} is missing: the next stored event is ${seq} (id ${id}).`;
    return {
      ok: false,
      events: verdict.events,
      head: verdict.events === 0 ? null : headOf(verdict.events),
      firstBroken: { id, seq: verdict.reason === "seq_gap" ? expected : seq, reason: verdict.reason, message },
      checkedAt,
    };
  }
  const head = verdict.events === 0 ? null : { seq: verdict.events, hash: verdict.headHash };
  if (anchor !== undefined) {
    const noted = headOf(anchor.seq);
    if (noted === null || noted.hash !== anchor.hash) {
      return {
        ok: false,
        events: verdict.events,
        head,
        firstBroken: {
          id: null,
          seq: anchor.seq,
          reason: "anchor_mismatch",
          message:
            noted === null
              ? `Event ${anchor.seq}, noted earlier, is no longer in the trail.`
              : `Event ${anchor.seq} has another hash than the one noted earlier: the chain was rewritten.`,
        },
        checkedAt,
      };
    }
  }
  return { ok: true, events: verdict.events, head, firstBroken: null, checkedAt };
}
