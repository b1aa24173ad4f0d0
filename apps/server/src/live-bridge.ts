import type { AnyStore, LiveEvent as StoreLiveEvent } from "@countersign/db";
import type { LiveBus } from "./live.js";
import type { LiveEnvelope } from "./services/shared/live-change.js";

/** The `live.changes` envelope of a change the store announced (same fields: ids to refetch and who may hear). */
export function envelopeOfStoreEvent(event: StoreLiveEvent): LiveEnvelope {
  return {
    change: {
      planId: event.planId,
      assignmentIds: event.assignmentIds,
      measureNumbers: event.measureNumbers,
      departments: event.departments,
      at: event.at,
    },
    audience: event.audience,
  };
}

/** The store's form of an envelope, for `tx.afterCommit` (the inverse of `envelopeOfStoreEvent`). */
export function storeEventOfEnvelope(envelope: LiveEnvelope): StoreLiveEvent {
  return { ...envelope.change, audience: envelope.audience };
}

/**
 * Feeds the process's `LiveBus` (the browsers' `live.changes` streams, with its ring for reconnects) from the store's
 * bus: on SQLite the changes this process committed through the seam; on PostgreSQL those committed by every
 * instance on the database (LISTEN/NOTIFY), so a browser connected here hears of a change made through another
 * instance. Resolves once listening; the returned function stops.
 */
export async function bridgeStoreLiveEvents(store: AnyStore, live: LiveBus): Promise<() => Promise<void>> {
  return store.live.subscribe((event) => live.publish(envelopeOfStoreEvent(event)));
}
