import { EventEmitter, on } from "node:events";
import type { LiveEnvelope } from "./services/shared/live-change.js";

/**
 * In-process announcements of committed changes, for the `live.changes` subscription. Services return the change;
 * the router publishes it only after the transaction has committed.
 */
export class LiveBus {
  private readonly emitter = new EventEmitter();

  constructor() {
    // One listener per open subscription; there is no leak to warn about.
    this.emitter.setMaxListeners(0);
  }

  publish(change: LiveEnvelope | null): void {
    if (change !== null) this.emitter.emit("change", change);
  }

  /** Changes from now on, until `signal` aborts. */
  async *listen(signal: AbortSignal | undefined): AsyncGenerator<LiveEnvelope> {
    try {
      for await (const args of on(this.emitter, "change", signal === undefined ? {} : { signal })) {
        const [change] = args as [LiveEnvelope];
        yield change;
      }
    } catch (error) {
      if (signal?.aborted) return;
      throw error;
    }
  }

  /** Open subscriptions, for tests and the health view. */
  listeners(): number {
    return this.emitter.listenerCount("change");
  }
}
