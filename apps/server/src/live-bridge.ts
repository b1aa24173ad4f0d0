import type { AnyStore, LiveEvent as StoreLiveEvent } from "@countersign/db";
import type { LiveBus, LiveIdSource } from "./live.js";
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
 * How the process's `LiveBus` numbers events on `store`'s engine: PostgreSQL's store assigns ids at commit (the same
 * on every instance: a browser resumes on any of them), SQLite's process numbers its own.
 */
export function liveIdsOf(store: AnyStore): LiveIdSource {
  if (store.engine !== "postgres") return { kind: "process" };
  const bus = store.live;
  return bus.lastAssignedId === undefined ? { kind: "database" } : { kind: "database", lastAssignedId: () => bus.lastAssignedId?.() ?? Promise.resolve(0) };
}

/**
 * Feeds the process's `LiveBus` (the browsers' `live.changes` streams, with its ring for reconnects) from the store's
 * bus: on SQLite the changes this process committed through the seam; on PostgreSQL those committed by every
 * instance on the database (LISTEN/NOTIFY), so a browser connected here hears of a change made through another
 * instance, each with the id assigned at its commit, and its delivery state (a re-sync after the LISTEN connection
 * was lost resyncs every open stream: see `LiveBus.synced`). Resolves once listening; the returned function stops.
 */
export async function bridgeStoreLiveEvents(store: AnyStore, live: LiveBus): Promise<() => Promise<void>> {
  const unwatch = store.live.watchDelivery?.((state) => {
    if (state.kind === "whole") live.synced(state.watermark);
  });
  const unsubscribe = await store.live.subscribe((event) => {
    const envelope = envelopeOfStoreEvent(event);
    // A bus numbering its own changes (one process; or a test's) numbers these too: the store's ids go unused.
    if (live.takesDatabaseIds && event.id !== undefined) live.publishCommitted(envelope, event.id);
    else if (!live.takesDatabaseIds) live.publish(envelope);
    else console.error("live bridge: a change without a database id was dropped: the store assigns every id on this engine");
  });
  return async () => {
    unwatch?.();
    await unsubscribe();
  };
}
