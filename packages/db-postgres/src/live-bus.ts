import { sql } from "drizzle-orm";
import { decodeLiveEvent, encodeLiveEvent } from "@countersign/db";
import type { LiveEvent, LiveEventBus } from "@countersign/db";
import pg from "pg";
import type { PostgresDb } from "./connect.js";

/** The NOTIFY channel every instance on one database listens on. */
export const liveChannel = "countersign_live";

/**
 * The live-event bus across server instances: PostgreSQL LISTEN/NOTIFY. Payloads are a `LiveEvent`'s JSON (ids
 * only; `encodeLiveEvent` refuses more than 7,900 bytes, NOTIFY's limit being 8,000). A NOTIFY sent inside a
 * transaction is delivered when it commits and never if it rolls back, which is how the store's `tx.afterCommit`
 * announces changes.
 *
 * Listening takes one dedicated connection per bus (not a pooled one: LISTEN belongs to a session). When that
 * connection is lost the bus connects and listens again after `reconnectDelayMs`; events NOTIFYed in between are
 * not delivered (a client catches up by refetching; resuming from event ids is issue 13's next step).
 */
export class PostgresLiveEventBus implements LiveEventBus {
  private readonly listeners = new Set<(event: LiveEvent) => void>();
  private client: pg.Client | null = null;
  private connecting: Promise<void> | null = null;
  private closed = false;
  private reconnectTimer: NodeJS.Timeout | null = null;

  /**
   * @param url the database to listen on (a connection of its own is opened on the first `subscribe`)
   * @param pool where `publish` sends its NOTIFY
   */
  constructor(
    private readonly url: string,
    private readonly pool: pg.Pool,
    private readonly reconnectDelayMs = 500,
  ) {}

  async publish(event: LiveEvent): Promise<void> {
    await this.pool.query("select pg_notify($1, $2)", [liveChannel, encodeLiveEvent(event)]);
  }

  /** Sends `event` from inside an open transaction: delivered on its commit only. */
  async notifyWithin(tx: Pick<PostgresDb, "execute">, event: LiveEvent): Promise<void> {
    await tx.execute(sql`select pg_notify(${liveChannel}, ${encodeLiveEvent(event)})`);
  }

  async subscribe(listener: (event: LiveEvent) => void): Promise<() => Promise<void>> {
    if (this.closed) throw new Error("the live-event bus is closed");
    const entry = (event: LiveEvent) => listener(event);
    this.listeners.add(entry);
    await this.listen();
    return async () => {
      this.listeners.delete(entry);
      if (this.listeners.size === 0) await this.stopListening();
    };
  }

  /** True while a connection is LISTENing (for `/ready` and tests). */
  get listening(): boolean {
    return this.client !== null;
  }

  /** The server process id of the LISTEN connection, or null when not listening (tests end it to prove the reconnect). */
  async listenerBackendPid(): Promise<number | null> {
    if (this.client === null) return null;
    try {
      const result = await this.client.query<{ pid: number }>("select pg_backend_pid() as pid");
      return result.rows[0]?.pid ?? null;
    } catch {
      return null; // the connection is being lost: the bus is listening again shortly
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    this.listeners.clear();
    await this.stopListening();
  }

  private listen(): Promise<void> {
    if (this.client !== null) return Promise.resolve();
    if (this.connecting === null) {
      this.connecting = this.connect().finally(() => {
        this.connecting = null;
      });
    }
    return this.connecting;
  }

  private async connect(): Promise<void> {
    const client = new pg.Client({ connectionString: this.url });
    client.on("notification", (message) => {
      if (message.channel !== liveChannel || message.payload === undefined) return;
      let event: LiveEvent;
      try {
        event = decodeLiveEvent(message.payload);
      } catch (error) {
        console.error("live-event bus: a malformed notification was ignored", error);
        return;
      }
      for (const listener of [...this.listeners]) {
        try {
          listener(event);
        } catch (error) {
          console.error("live event listener failed", error);
        }
      }
    });
    const lost = () => {
      if (this.client !== client) return;
      this.client = null;
      client.end().catch(() => undefined);
      this.scheduleReconnect();
    };
    client.on("error", (error) => {
      console.error("live-event bus: the LISTEN connection failed", error.message);
      lost();
    });
    client.on("end", lost);
    await client.connect();
    await client.query(`LISTEN ${liveChannel}`);
    this.client = client;
  }

  private scheduleReconnect(): void {
    if (this.closed || this.listeners.size === 0 || this.reconnectTimer !== null) return;
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = null;
      this.listen().catch((error: unknown) => {
        console.error("live-event bus: listening again failed; will retry", error);
        this.scheduleReconnect();
      });
    }, this.reconnectDelayMs);
  }

  private async stopListening(): Promise<void> {
    if (this.reconnectTimer !== null) {
      clearTimeout(this.reconnectTimer);
      this.reconnectTimer = null;
    }
    if (this.connecting !== null) await this.connecting.catch(() => undefined);
    const client = this.client;
    this.client = null;
    if (client !== null) await client.end();
  }
}
