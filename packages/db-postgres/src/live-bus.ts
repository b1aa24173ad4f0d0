import { randomBytes } from "node:crypto";
import { sql } from "drizzle-orm";
import { decodeLiveEvent, encodeLiveEvent } from "@countersign/db";
import type { LiveDeliveryState, LiveEvent, LiveEventBus } from "@countersign/db";
import pg from "pg";
import type { PostgresDb } from "./connect.js";

/** The NOTIFY channel every instance on one database listens on for live events. */
export const liveChannel = "countersign_live";
/**
 * The NOTIFY channel of commits that announce no live event but wrote (`txid_current_if_assigned()` set): they move
 * every instance's data version (answer caches) as live events do. The payload is empty.
 */
export const commitChannel = "countersign_commit";

/**
 * Any fixed 64-bit key, the same in every instance ("countersign live ids"): the transaction-scoped advisory lock under
 * which a unit of work takes its live-event ids and holds them to its commit, so ids grow in commit order.
 */
export const liveIdLockKey = "7345913042118";

/** What a unit of work (or `publish`) runs its statements on: a drizzle transaction. */
type Executes = Pick<PostgresDb, "execute">;

/**
 * Sends `events` from inside an open transaction, each with the next live-event id, and, when there are none but the
 * transaction wrote, one commit notification. Delivered on its commit only (NOTIFY), to every instance in commit
 * order: the ids are taken under an advisory lock held until the commit, so no other unit of work takes ids between
 * this one's and its commit. Units of work that append audit events already hold the chain head's row lock to their
 * commit, so this lock, always taken last, orders nothing more among them and cannot deadlock with it.
 * One statement either way (`countersign_notify_live`, PostgreSQL migration 0022: the lock, the ids and the NOTIFYs
 * in one round trip), because every round trip here is made while those locks hold every other commit back.
 * Returns the events as sent (with their ids). Throws `RangeError` when an event's JSON with its id would exceed
 * `maxLiveEventBytes`.
 */
export async function notifyCommitted(tx: Executes, events: readonly LiveEvent[]): Promise<LiveEvent[]> {
  if (events.length === 0) {
    await tx.execute(sql`select pg_notify(${commitChannel}, '') where txid_current_if_assigned() is not null`);
    return [];
  }
  const payloads = events.map(payloadWithoutId);
  const taken = await tx.execute<{ ids: string[] }>(sql`select countersign_notify_live(${sql.param(payloads)}::text[])::text[] as ids`);
  const ids = (taken.rows[0]?.ids ?? []).map(Number);
  if (ids.length !== events.length) throw new Error("countersign_notify_live gave fewer ids than events");
  return events.map((event, i) => ({ ...event, id: ids[i] ?? 0 }));
}

/** The largest id a payload is sized for (live_event_seq's ids stay far below it). */
const largestId = Number.MAX_SAFE_INTEGER;

/**
 * The event's JSON without its id, which `countersign_notify_live` puts in first; refused (RangeError) when the JSON
 * with the largest id would exceed NOTIFY's limit.
 */
function payloadWithoutId(event: LiveEvent): string {
  const { id: _id, ...rest } = event;
  encodeLiveEvent({ ...rest, id: largestId });
  return JSON.stringify(rest);
}

/**
 * The live-event bus across server instances: PostgreSQL LISTEN/NOTIFY. Payloads are a `LiveEvent`'s JSON (ids
 * only; `encodeLiveEvent` refuses more than 7,900 bytes, NOTIFY's limit being 8,000), each with the id assigned at
 * commit (`notifyCommitted`), so every instance knows a change by the same id. A NOTIFY sent inside a transaction is
 * delivered when it commits and never if it rolls back, which is how the store's `tx.afterCommit` announces changes.
 *
 * Listening takes one dedicated connection per bus (not a pooled one: LISTEN belongs to a session), asked a `select 1`
 * every `heartbeatMs` so that one that died silently is noticed within twice that. When that connection is lost (an
 * error, its end, or a heartbeat unanswered) the bus tells its delivery observers
 * (`lost`: events may be missed from now on), connects and listens again after `reconnectDelayMs`, and once listening
 * reads the watermark (the highest id assigned, under the ids' lock, so every id above it is delivered from now on)
 * and tells them `whole` before any event heard since. The data version (`dataVersion`) counts every notification
 * heard; it is null from the loss until that re-sync.
 */
export class PostgresLiveEventBus implements LiveEventBus {
  private readonly listeners = new Set<(event: LiveEvent) => void>();
  private readonly observers = new Set<(state: LiveDeliveryState) => void>();
  private client: pg.Client | null = null;
  private connecting: Promise<void> | null = null;
  private closed = false;
  private reconnectTimer: NodeJS.Timeout | null = null;
  /** Tells this bus's data versions from any other's (another instance, or a restart of this one). */
  private readonly busId = randomBytes(6).toString("hex");
  /** How many times listening began and re-synced; 0 before the first. */
  private generation = 0;
  /** Notifications heard in this generation. */
  private heard = 0;
  /** True from a re-sync until the connection is lost. */
  private whole = false;

  /**
   * @param url the database to listen on (a connection of its own is opened on the first `subscribe`)
   * @param pool where `publish` runs its transaction
   * @param reconnectDelayMs the pause before listening again after a loss
   * @param heartbeatMs how often the LISTEN connection is asked a `select 1`; no answer within as long again counts as
   *   a loss, so a connection that died silently (a peer gone without a reset) is noticed within twice this
   */
  constructor(
    private readonly url: string,
    private readonly pool: pg.Pool,
    private readonly reconnectDelayMs = 500,
    private readonly heartbeatMs = 5000,
  ) {}

  /** Announces `event` now, with the next id, in a transaction of its own (as a unit of work's commit does). */
  async publish(event: LiveEvent): Promise<void> {
    const client = await this.pool.connect();
    try {
      await client.query("begin");
      await client.query("select countersign_notify_live($1::text[])", [[payloadWithoutId(event)]]);
      await client.query("commit");
    } catch (error) {
      await client.query("rollback").catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }

  /** Sends `events` from inside an open transaction: delivered on its commit only (see `notifyCommitted`). */
  async notifyWithin(tx: Executes, events: readonly LiveEvent[]): Promise<LiveEvent[]> {
    return notifyCommitted(tx, events);
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

  watchDelivery(observer: (state: LiveDeliveryState) => void): () => void {
    const entry = (state: LiveDeliveryState) => observer(state);
    this.observers.add(entry);
    return () => {
      this.observers.delete(entry);
    };
  }

  async lastAssignedId(): Promise<number> {
    const result = await this.pool.query<{ id: string }>("select case when is_called then last_value else 0 end::text as id from live_event_seq");
    return Number(result.rows[0]?.id ?? 0);
  }

  /**
   * This instance's version of the committed data, from memory: `<bus>.<generation>.<notifications heard>`, which
   * moves when any instance's unit of work that wrote commits (its NOTIFY heard here); null while not listening or
   * not yet re-synced after a loss, when commits may pass unheard.
   */
  dataVersion(): string | null {
    if (!this.whole || this.client === null) return null;
    return `${this.busId}.${this.generation}.${this.heard}`;
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
    this.observers.clear();
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

  private tell(state: LiveDeliveryState): void {
    for (const observer of [...this.observers]) {
      try {
        observer(state);
      } catch (error) {
        console.error("live-event bus: a delivery observer failed", error);
      }
    }
  }

  private deliver(event: LiveEvent): void {
    for (const listener of [...this.listeners]) {
      try {
        listener(event);
      } catch (error) {
        console.error("live event listener failed", error);
      }
    }
  }

  private async connect(): Promise<void> {
    const client = new pg.Client({ connectionString: this.url, keepAlive: true });
    // Until the re-sync is told, what is heard waits here, so that observers learn of `whole` before its events.
    let held: LiveEvent[] | null = [];
    client.on("notification", (message) => {
      if (message.channel === commitChannel) {
        if (held === null) this.heard += 1;
        return;
      }
      if (message.channel !== liveChannel || message.payload === undefined) return;
      let event: LiveEvent;
      try {
        event = decodeLiveEvent(message.payload);
      } catch (error) {
        console.error("live-event bus: a malformed notification was ignored", error);
        return;
      }
      if (held !== null) {
        held.push(event);
        return;
      }
      this.heard += 1;
      this.deliver(event);
    });
    let gone = false;
    const lost = () => {
      if (gone) return;
      gone = true;
      const wasListening = this.client === client;
      if (wasListening) this.client = null;
      // The data version is null from now until the next re-sync: commits may pass unheard.
      this.whole = false;
      client.end().catch(() => undefined);
      if (wasListening) {
        this.tell({ kind: "lost" });
        this.scheduleReconnect();
      }
    };
    client.on("error", (error) => {
      console.error("live-event bus: the LISTEN connection failed", error.message);
      lost();
    });
    client.on("end", lost);
    try {
      await client.connect();
      await client.query(`LISTEN ${liveChannel}`);
      await client.query(`LISTEN ${commitChannel}`);
      // Under the ids' lock no unit of work is between taking ids and its commit: every id up to the watermark has
      // committed (or failed), and every later one commits after LISTEN above, so it is heard.
      await client.query("begin");
      await client.query("select pg_advisory_xact_lock($1::bigint)", [liveIdLockKey]);
      const mark = await client.query<{ id: string }>("select case when is_called then last_value else 0 end::text as id from live_event_seq");
      await client.query("commit");
      if (gone) throw new Error("the LISTEN connection was lost while it started");
      this.client = client;
      this.generation += 1;
      this.heard = 0;
      this.whole = true;
      this.tell({ kind: "whole", watermark: Number(mark.rows[0]?.id ?? 0), generation: this.generation });
      this.beat(client, lost);
      const waiting = held;
      held = null;
      for (const event of waiting) {
        this.heard += 1;
        this.deliver(event);
      }
    } catch (error) {
      gone = true;
      await client.end().catch(() => undefined);
      throw error;
    }
  }

  /** Asks `client` a `select 1` every `heartbeatMs` while it is the listening one; no answer in time: `lost`. */
  private beat(client: pg.Client, lost: () => void): void {
    const timer = setInterval(() => {
      if (this.client !== client) {
        clearInterval(timer);
        return;
      }
      let answered = false;
      const deadline = setTimeout(() => {
        if (answered || this.client !== client) return;
        console.error(`live-event bus: the LISTEN connection did not answer within ${this.heartbeatMs} ms; listening again`);
        clearInterval(timer);
        lost();
      }, this.heartbeatMs);
      deadline.unref();
      client.query("select 1").then(
        () => {
          answered = true;
          clearTimeout(deadline);
        },
        () => {
          answered = true;
          clearTimeout(deadline);
          // The connection's error event reports the loss.
        },
      );
    }, this.heartbeatMs);
    timer.unref();
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
    this.whole = false;
    if (client !== null) await client.end();
  }
}
