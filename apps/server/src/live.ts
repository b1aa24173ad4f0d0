import { randomBytes } from "node:crypto";
import { EventEmitter, on } from "node:events";
import type { LiveEnvelope } from "./services/shared/live-change.js";

/** A committed change with its event id, `<boot>.<sequence>`: the boot part tells ids of an earlier process apart. */
export interface LiveEvent {
  id: string;
  envelope: LiveEnvelope;
}

/** What a listener receives: each change, or once, when the changes since its last id are no longer known, `resync`. */
export type LiveDelivery = { kind: "change"; event: LiveEvent } | { kind: "resync"; id: string };

/**
 * How many recent changes are kept for listeners that reconnect: a client away for a few seconds misses a handful;
 * one away longer than about this many changes refetches everything it shows instead (`resync`). About 300 bytes
 * each, so at most some 300 KB.
 */
export const liveRingCapacity = 1024;

/**
 * Where event ids come from. "process" (SQLite: one instance): this bus numbers the changes it publishes,
 * `<boot>.<n>`. "database" (PostgreSQL: several instances): the store assigned each change its id at commit, the
 * same on every instance, in commit order (`LiveEvent.id` of @countersign/db), written `db.<n>`; a browser that
 * reconnects to another instance resumes there. `lastAssignedId` (the database's highest id so far) lets a listener
 * resume from an id this instance has not heard yet (its notification still on the way); without it that id resyncs.
 */
export type LiveIdSource = { kind: "process" } | { kind: "database"; lastAssignedId?: () => Promise<number> };

/** What the emitter carries: a delivery with its place in the order (sequence, or database id). */
interface Ordered {
  at: number;
  delivery: LiveDelivery;
}

/**
 * In-process announcements of committed changes, for the `live.changes` subscription. Services return the change;
 * the router publishes it only after the transaction has committed. Each change has an id, and the last `capacity`
 * changes are kept in a ring so that a listener that reconnects with the last id it saw gets what it missed (tRPC
 * `tracked()` ids, sent back as `lastEventId`), exactly once and in order, or one `resync` when they are not all
 * known. With ids from the database (`LiveIdSource`), the ring is known complete only above the watermark of the
 * last re-sync (`synced`), and every open listener is told `resync` at a re-sync (it missed what came meanwhile).
 */
export class LiveBus {
  private readonly emitter = new EventEmitter();
  /** Tells this process's ids from those of an earlier one (after a restart every id the client holds is unknown). */
  private readonly boot = randomBytes(4).toString("hex");
  /** The id prefix: this process's boot ("process"), or "db" (ids the same on every instance). */
  private readonly prefix: string;
  /** The last id published (process: a sequence; database: the last id heard, or the re-sync's watermark). */
  private head = 0;
  /**
   * Every change with an id above this one is in the ring or after it; null: nothing is known (database ids, before the
   * first re-sync). Process ids: moves as the ring drops its oldest.
   */
  private completeAbove: number | null;
  /** The most recent changes, oldest first, ids growing. */
  private readonly ring: Array<{ n: number; event: LiveEvent }> = [];
  /** Aborted by `close`: every listener ends, as if its connection had dropped. */
  private readonly closing = new AbortController();

  constructor(
    private readonly capacity: number = liveRingCapacity,
    private readonly ids: LiveIdSource = { kind: "process" },
  ) {
    // One listener per open subscription; there is no leak to warn about.
    this.emitter.setMaxListeners(0);
    this.prefix = ids.kind === "database" ? "db" : this.boot;
    this.completeAbove = ids.kind === "database" ? null : 0;
  }

  /** A change committed by this process (process ids only: with database ids the change comes with its id, `publishCommitted`). */
  publish(change: LiveEnvelope | null): void {
    if (change === null) return;
    if (this.ids.kind === "database") {
      // Every change on this engine comes from the store's bus with its id; one without would break the order.
      throw new Error("LiveBus: this bus takes ids from the database; use publishCommitted");
    }
    this.add(this.head + 1, change);
  }

  /**
   * A change with the id the database assigned at its commit (database ids). Ids at or below the last one are
   * dropped: heard before, or committed before the last re-sync's watermark (listeners have resynced past them).
   */
  publishCommitted(change: LiveEnvelope, id: number): void {
    if (this.ids.kind !== "database") throw new Error("LiveBus: this bus numbers its own changes; use publish");
    if (!Number.isSafeInteger(id) || id <= this.head) return;
    this.add(id, change);
  }

  /**
   * Database ids: delivery is whole again (or for the first time) above `watermark` (every change with a higher id
   * is published here from now on). What was kept before cannot be joined to what comes (changes in between may be
   * lost): the ring empties, and every open listener gets one `resync` with the id of the watermark.
   */
  synced(watermark: number): void {
    if (this.ids.kind !== "database") return;
    this.ring.length = 0;
    this.head = Math.max(this.head, watermark);
    this.completeAbove = this.head;
    const delivery: LiveDelivery = { kind: "resync", id: this.idOf(this.head) };
    this.emitter.emit("change", { at: this.head, delivery } satisfies Ordered);
  }

  /** Whether changes come with the ids the database assigned at commit (`publishCommitted`), not numbered here. */
  get takesDatabaseIds(): boolean {
    return this.ids.kind === "database";
  }

  /** The id of the latest change (or of none yet): where a listener that resynchronises resumes from. */
  headId(): string {
    return this.idOf(this.head);
  }

  private add(n: number, change: LiveEnvelope): void {
    const event: LiveEvent = { id: this.idOf(n), envelope: change };
    this.head = n;
    this.ring.push({ n, event });
    if (this.ring.length > this.capacity) {
      const dropped = this.ring.shift();
      if (dropped !== undefined && this.completeAbove !== null) this.completeAbove = Math.max(this.completeAbove, dropped.n);
    }
    this.emitter.emit("change", { at: n, delivery: { kind: "change", event } } satisfies Ordered);
  }

  private idOf(n: number): string {
    return `${this.prefix}.${n}`;
  }

  /**
   * Changes after `lastEventId` (those kept in the ring), then changes from now on, until `signal` aborts. Without
   * `lastEventId`, changes from now on only. When the changes after `lastEventId` are not all known (an id of an
   * earlier process, older than the ring, from before a re-sync, or not an id at all) it first delivers one
   * `resync`: refetch everything. Database ids: an id above this instance's head that the database has assigned
   * (heard by another instance first) resumes after it; any other resyncs.
   */
  async *listen(signal: AbortSignal | undefined, lastEventId?: string | null): AsyncGenerator<LiveDelivery> {
    if (this.closing.signal.aborted) throw closedError();
    const both = signal === undefined ? this.closing.signal : AbortSignal.any([signal, this.closing.signal]);
    // Listen before reading the ring, so that nothing published in between is lost; duplicates are skipped below.
    const live = on(this.emitter, "change", { signal: both });
    let delivered = this.head;
    try {
      if (lastEventId !== undefined && lastEventId !== null) {
        const last = this.numberOf(lastEventId);
        const complete = this.completeAbove;
        if (last !== null && complete !== null && last >= complete && last <= this.head) {
          const missed = this.ring.filter((kept) => kept.n > last);
          for (const kept of missed) yield { kind: "change", event: kept.event };
        } else if (last !== null && complete !== null && last > this.head && (await this.assigned(last))) {
          // Heard elsewhere first: what follows it arrives here; what precedes it the client has.
          delivered = Math.max(delivered, last);
        } else {
          yield { kind: "resync", id: this.headId() };
        }
      }
      for await (const args of live) {
        const [ordered] = args as [Ordered];
        if (ordered.at <= delivered && ordered.delivery.kind === "change") continue;
        delivered = Math.max(delivered, ordered.at);
        yield ordered.delivery;
      }
    } catch (error) {
      if (signal?.aborted) return;
      if (this.closing.signal.aborted) throw closedError();
      throw error;
    } finally {
      await live.return?.();
    }
  }

  /** Database ids: whether the database has assigned `n` already (false without a way to ask, or if asking fails). */
  private async assigned(n: number): Promise<boolean> {
    if (this.ids.kind !== "database" || this.ids.lastAssignedId === undefined) return false;
    try {
      return n <= (await this.ids.lastAssignedId());
    } catch {
      return false;
    }
  }

  /**
   * Ends every listener, now and later, with an error named "AbortError": tRPC then ends the server-sent event
   * stream without its `return` event, which a browser's EventSource takes as a dropped connection and reconnects
   * (with its last event id) to whichever instance answers. For a graceful shutdown.
   */
  close(): void {
    this.closing.abort();
  }

  /** Open subscriptions, for tests and the health view. */
  listeners(): number {
    return this.emitter.listenerCount("change");
  }

  /** The number in an id of this bus's kind (this process's boot, or "db"), or null (another's id, or not an id). */
  private numberOf(id: string): number | null {
    const [prefix, digits, ...rest] = id.split(".");
    if (prefix !== this.prefix || digits === undefined || rest.length > 0 || !/^\d{1,15}$/.test(digits)) return null;
    const n = Number(digits);
    // Process ids: a future id is not one this process gave.
    if (this.ids.kind === "process" && n > this.head) return null;
    return n;
  }
}

/** What a listener of a closed bus ends with: named "AbortError", which tRPC's stream ends on quietly. */
function closedError(): Error {
  return Object.assign(new Error("The server is shutting down; reconnect."), { name: "AbortError" });
}
