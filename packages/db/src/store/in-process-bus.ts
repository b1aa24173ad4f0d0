import { encodeLiveEvent } from "./ports.js";
import type { LiveEvent, LiveEventBus } from "./ports.js";

/**
 * The live-event bus of one process (the SQLite deployment: one server instance on one file). Events are delivered
 * to every listener in publication order; a listener that throws does not stop the others. Events over
 * `maxLiveEventBytes` are refused (`RangeError`) as on PostgreSQL.
 */
export class InProcessLiveEventBus implements LiveEventBus {
  private readonly listeners = new Set<(event: LiveEvent) => void>();

  async publish(event: LiveEvent): Promise<void> {
    // The same size limit as PostgreSQL's NOTIFY, so that code passing here passes there.
    encodeLiveEvent(event);
    for (const listener of [...this.listeners]) {
      try {
        listener(event);
      } catch (error) {
        console.error("live event listener failed", error);
      }
    }
  }

  async subscribe(listener: (event: LiveEvent) => void): Promise<() => Promise<void>> {
    // A wrapper per subscription, so that one function subscribed twice is two subscriptions.
    const entry = (event: LiveEvent) => listener(event);
    this.listeners.add(entry);
    return async () => {
      this.listeners.delete(entry);
    };
  }

  async close(): Promise<void> {
    this.listeners.clear();
  }
}
