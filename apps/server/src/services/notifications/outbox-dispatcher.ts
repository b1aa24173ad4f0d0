/**
 * Delivers the durable outbox (notify.ts writes it in the act's transaction): webhooks as signed JSON POSTs, email
 * through SMTP (nodemailer). At least once, in order per channel: the oldest undelivered row goes first, and a row
 * that fails holds the ones after it until it is delivered (retried with exponential backoff). A receiver drops a
 * repeat by the event's `id` (also in `X-Countersign-Event-Id`).
 *
 * On either engine, through the store seam (`repos.outbox`). Several server instances on one database each run a
 * dispatcher: before sending a row an instance claims it with a conditional update that moves its `next_attempt_at`
 * to the end of a lease (`leaseMs`, default 5 min), so another instance sees the row as not yet due, holds the rows
 * after it, and never sends it at the same time; the result is written only while the claim holds. A send is cut
 * off well inside the lease; an instance that dies mid-send leaves the row to be retried once its lease has passed.
 *
 * The signature: `X-Countersign-Signature: sha256=<hex HMAC-SHA256(secret, "<timestamp>.<body>")>` with
 * `X-Countersign-Timestamp: <unix seconds>`; a receiver recomputes it and refuses old timestamps (docs/api.md).
 */
import { createHmac } from "node:crypto";
import type { AnyStore, OutboxDelivery } from "@countersign/db";

export interface WebhookTarget {
  url: string;
  /** The HMAC key shared with the receiver. */
  secret: string;
}

export interface MailSender {
  /** Sends one message; throws on failure. */
  send(message: { to: readonly string[]; subject: string; text: string; eventId: string }): Promise<void>;
}

export interface DispatcherOptions {
  webhook: WebhookTarget | null;
  mail: MailSender | null;
  now: () => Date;
  /** First retry delay, doubled per failure up to `maxBackoffMs` (defaults 2 s and 10 min). */
  baseBackoffMs?: number;
  maxBackoffMs?: number;
  /** A webhook call that takes longer fails (default 10 s). */
  timeoutMs?: number;
  /** Rows per channel per tick (default 100). */
  batch?: number;
  /**
   * How long a claim keeps other instances off a row (default 5 min). A send still unsettled after half of it
   * counts as failed, so no other instance sends the row while its claimer may still be sending it.
   */
  leaseMs?: number;
}

/** The delay before attempt `attempts + 1`, after `attempts` failures (≥ 1). */
export function backoffMs(attempts: number, baseMs: number, maxMs: number): number {
  return Math.min(maxMs, baseMs * 2 ** Math.max(0, attempts - 1));
}

/** The signature header's value for one body. */
export function webhookSignature(secret: string, timestamp: string, body: string): string {
  return `sha256=${createHmac("sha256", secret).update(`${timestamp}.${body}`).digest("hex")}`;
}

export class OutboxDispatcher {
  private readonly options: Required<Omit<DispatcherOptions, "webhook" | "mail">> & Pick<DispatcherOptions, "webhook" | "mail">;
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<number> | null = null;

  constructor(
    private readonly store: AnyStore,
    options: DispatcherOptions,
  ) {
    this.options = { baseBackoffMs: 2000, maxBackoffMs: 600_000, timeoutMs: 10_000, batch: 100, leaseMs: 300_000, ...options };
  }

  /** Delivers what is due now on every channel; returns the number delivered. One tick at a time. */
  tick(): Promise<number> {
    this.running ??= this.deliverAll().finally(() => {
      this.running = null;
    });
    return this.running;
  }

  /** Ticks every `intervalMs` until `stop()`. */
  start(intervalMs = 2000): void {
    if (this.timer !== null) return;
    this.timer = setInterval(() => void this.tick().catch(() => undefined), intervalMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    if (this.timer !== null) clearInterval(this.timer);
    this.timer = null;
    await this.running?.catch(() => undefined);
  }

  private async deliverAll(): Promise<number> {
    let delivered = 0;
    if (this.options.webhook !== null) delivered += await this.deliverChannel("webhook", (row) => this.postWebhook(row));
    if (this.options.mail !== null) delivered += await this.deliverChannel("email", (row) => this.sendMail(row));
    return delivered;
  }

  private async deliverChannel(channel: string, send: (row: OutboxDelivery) => Promise<number | null>): Promise<number> {
    const rows = await this.store.read((repos) => repos.outbox.undelivered(channel, this.options.batch));
    let delivered = 0;
    for (const row of rows) {
      // In order: a row not yet due again (backing off, or claimed by another instance) holds every row after it.
      const now = this.options.now();
      if (Date.parse(row.nextAttemptAt) > now.getTime()) break;
      const lease = new Date(now.getTime() + this.options.leaseMs).toISOString();
      // Another instance claimed or delivered it since the read: it goes on from here, this one stops.
      if (!(await this.store.transaction((tx) => tx.repos.outbox.claim(row.id, row.nextAttemptAt, lease)))) break;
      let status: number | null;
      try {
        status = await withinMs(send(row), this.options.leaseMs / 2);
      } catch (error) {
        const attempts = row.attempts + 1;
        const next = new Date(this.options.now().getTime() + backoffMs(attempts, this.options.baseBackoffMs, this.options.maxBackoffMs));
        const failure = {
          attempts,
          nextAttemptAt: next.toISOString(),
          lastError: (error instanceof Error ? error.message : String(error)).slice(0, 500),
          lastStatus: error instanceof DeliveryError ? error.status : null,
        };
        await this.store.transaction((tx) => tx.repos.outbox.markFailed(row.id, lease, failure));
        break;
      }
      const result = { deliveredAt: this.options.now().toISOString(), attempts: row.attempts + 1, lastStatus: status };
      await this.store.transaction((tx) => tx.repos.outbox.markDelivered(row.id, lease, result));
      delivered += 1;
    }
    return delivered;
  }

  private async postWebhook(row: OutboxDelivery): Promise<number> {
    const target = this.options.webhook;
    if (target === null) throw new Error("no webhook configured");
    const timestamp = String(Math.floor(this.options.now().getTime() / 1000));
    const response = await fetch(target.url, {
      method: "POST",
      headers: {
        "Content-Type": "application/json",
        "X-Countersign-Event-Id": row.eventId,
        "X-Countersign-Timestamp": timestamp,
        "X-Countersign-Signature": webhookSignature(target.secret, timestamp, row.payload),
      },
      body: row.payload,
      signal: AbortSignal.timeout(this.options.timeoutMs),
      redirect: "error",
    });
    await response.arrayBuffer().catch(() => undefined);
    if (response.status < 200 || response.status > 299) throw new DeliveryError(`The receiver answered ${response.status}.`, response.status);
    return response.status;
  }

  private async sendMail(row: OutboxDelivery): Promise<null> {
    const mail = this.options.mail;
    if (mail === null) throw new Error("no SMTP configured");
    const message = JSON.parse(row.payload) as { to: string[]; subject: string; text: string; eventId: string };
    await mail.send(message);
    return null;
  }
}

/** `work`, or a rejection once `ms` have passed without it settling. */
async function withinMs<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`No answer within ${Math.round(ms / 1000)} s.`)), ms);
  });
  try {
    return await Promise.race([work, late]);
  } finally {
    clearTimeout(timer);
  }
}

class DeliveryError extends Error {
  constructor(
    message: string,
    readonly status: number,
  ) {
    super(message);
  }
}
