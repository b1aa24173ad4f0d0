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
 * In-process announcements of committed changes, for the `live.changes` subscription. Services return the change;
 * the router publishes it only after the transaction has committed. Each change gets the next id, and the last
 * `capacity` changes are kept in a ring so that a listener that reconnects with the last id it saw gets what it
 * missed (tRPC `tracked()` ids, sent back as `lastEventId`).
 */
export class LiveBus {
  private readonly emitter = new EventEmitter();
  /** Tells this process's ids from those of an earlier one (after a restart every id the client holds is unknown). */
  private readonly boot = randomBytes(4).toString("hex");
  private sequence = 0;
  /** The most recent changes, oldest first; sequences `sequence - ring.length + 1` … `sequence`. */
  private readonly ring: LiveEvent[] = [];
  /** Aborted by `close`: every listener ends, as if its connection had dropped. */
  private readonly closing = new AbortController();

  constructor(private readonly capacity: number = liveRingCapacity) {
    // One listener per open subscription; there is no leak to warn about.
    this.emitter.setMaxListeners(0);
  }

  publish(change: LiveEnvelope | null): void {
    if (change === null) return;
    this.sequence += 1;
    const event: LiveEvent = { id: `${this.boot}.${this.sequence}`, envelope: change };
    this.ring.push(event);
    if (this.ring.length > this.capacity) this.ring.shift();
    this.emitter.emit("change", event);
  }

  /** The id of the latest change (or of none yet): where a listener that resynchronises resumes from. */
  headId(): string {
    return `${this.boot}.${this.sequence}`;
  }

  /**
   * Changes after `lastEventId` (those kept in the ring), then changes from now on, until `signal` aborts. Without
   * `lastEventId`, changes from now on only. When the changes after `lastEventId` are not all known (an id of an
   * earlier process, older than the ring, or not an id at all) it first delivers one `resync`: refetch everything.
   */
  async *listen(signal: AbortSignal | undefined, lastEventId?: string | null): AsyncGenerator<LiveDelivery> {
    if (this.closing.signal.aborted) throw closedError();
    const both = signal === undefined ? this.closing.signal : AbortSignal.any([signal, this.closing.signal]);
    // Listen before reading the ring, so that nothing published in between is lost; duplicates are skipped below.
    const live = on(this.emitter, "change", { signal: both });
    let delivered = this.sequence;
    try {
      if (lastEventId !== undefined && lastEventId !== null) {
        const last = this.sequenceOf(lastEventId);
        const oldestKept = this.sequence - this.ring.length + 1;
        if (last === null || last < oldestKept - 1) {
          yield { kind: "resync", id: this.headId() };
        } else {
          for (const event of this.ring.slice(last - oldestKept + 1)) yield { kind: "change", event };
        }
      }
      for await (const args of live) {
        const [event] = args as [LiveEvent];
        const sequence = this.sequenceOf(event.id) ?? 0;
        if (sequence <= delivered) continue;
        delivered = sequence;
        yield { kind: "change", event };
      }
    } catch (error) {
      if (signal?.aborted) return;
      if (this.closing.signal.aborted) throw closedError();
      throw error;
    } finally {
      await live.return?.();
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

  /** The sequence of an id of this process, or null (another process's id, a future one, or not an id). */
  private sequenceOf(id: string): number | null {
    const [boot, digits, ...rest] = id.split(".");
    if (boot !== this.boot || digits === undefined || rest.length > 0 || !/^\d{1,15}$/.test(digits)) return null;
    const sequence = Number(digits);
    return sequence <= this.sequence ? sequence : null;
  }
}

/** What a listener of a closed bus ends with: named "AbortError", which tRPC's stream ends on quietly. */
function closedError(): Error {
  return Object.assign(new Error("The server is shutting down; reconnect."), { name: "AbortError" });
}
