/**
 * The outbox on either engine, through the store seam (issue 13): a real webhook receiver and a real SMTP server
 * (smtp-server) on 127.0.0.1. On PostgreSQL two dispatchers, as two server instances on one database, share the
 * outbox: every event is delivered once, in order, one send at a time, with failed sends retried after the back-off.
 */
import { createServer } from "node:http";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { and, eq } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { SMTPServer } from "smtp-server";
import type { AnyStore } from "@countersign/db";
import { assignmentsTable } from "@countersign/db/schema";
import { createHarness, harnessEngines } from "../../test-support/harness.js";
import type { Harness } from "../../test-support/harness.js";
import { notifyOnSeam } from "./notify.js";
import type { OutboundChannels } from "./notify.js";
import { startOutboxDispatcher } from "./outbound-config.js";
import { backoffMs, OutboxDispatcher, webhookSignature } from "./outbox-dispatcher.js";
import { smtpMailSender } from "./smtp-mail.js";

const secret = "test-webhook-secret";
const webhookOnly: OutboundChannels = { webhook: true, email: false, emailTo: [] };

interface Receiver {
  url: string;
  /** Event ids answered 2xx, in the order their requests arrived. */
  accepted: string[];
  /** Every request's event id, failed ones included. */
  requests: string[];
  badSignatures: number;
  /** The most requests in flight at once. */
  maxInFlight: number;
  stop(): Promise<void>;
}

/**
 * A webhook receiver that checks signatures, takes `delayMs` over each request, and answers 503 to the first
 * request of every event `failFirst` picks.
 */
async function startReceiver(options: { delayMs?: number; failFirst?: (eventIndex: number) => boolean; order?: string[] } = {}): Promise<Receiver> {
  let inFlight = 0;
  const failedOnce = new Set<string>();
  const r: Omit<Receiver, "url" | "stop"> = { accepted: [], requests: [], badSignatures: 0, maxInFlight: 0 };
  const server: Server = createServer((req, res) => {
    inFlight += 1;
    r.maxInFlight = Math.max(r.maxInFlight, inFlight);
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      setTimeout(() => {
        inFlight -= 1;
        const body = Buffer.concat(chunks).toString("utf8");
        const timestamp = String(req.headers["x-countersign-timestamp"] ?? "");
        if (req.headers["x-countersign-signature"] !== webhookSignature(secret, timestamp, body)) {
          r.badSignatures += 1;
          res.writeHead(401).end();
          return;
        }
        const event = JSON.parse(body) as { id: string; data: { n?: number } };
        r.requests.push(event.id);
        if (options.failFirst?.(Number(event.data.n)) === true && !failedOnce.has(event.id)) {
          failedOnce.add(event.id);
          res.writeHead(503).end();
          return;
        }
        r.accepted.push(event.id);
        res.writeHead(204).end();
      }, options.delayMs ?? 0);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return Object.assign(r, {
    url: `http://127.0.0.1:${port}/hook`,
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  });
}

/** `count` webhook events written through the seam, one unit of work each; returns their event ids in id order. */
async function enqueue(store: AnyStore, count: number, at: Date): Promise<string[]> {
  for (let n = 1; n <= count; n += 1) {
    await store.transaction((tx) => notifyOnSeam(tx.repos, { kind: "round.opened", params: { n }, link: `/rounds/${n}` }, webhookOnly, at));
  }
  return outboxIds(store);
}

async function outboxIds(store: AnyStore): Promise<string[]> {
  const rows = await store.read((repos) => repos.notifications.deliveries(1000));
  return rows.reverse().map((row) => row.eventId);
}

const deliveriesOf = (store: AnyStore) => store.read(async (repos) => (await repos.notifications.deliveries(1000)).reverse());

describe.each(harnessEngines)("the outbox on %s", (engine) => {
  let h: Harness;
  beforeEach(async () => {
    // The plan issued in the seed (plan.issue is not on the seam yet), so that its assignments can be reminded.
    h = await createHarness({ engine, seed: async ({ planId, as }) => {
        await as("miit").plan.issue({ planId, dueDate: "2026-06-30" });
      },
    });
  });
  afterEach(async () => {
    await h.close();
  });

  it("a receiver down for a while gets every event once, in order, signed; each failure backs off", async () => {
    let clock = new Date("2026-03-02T02:00:00Z");
    const ids = await enqueue(h.store, 4, clock);
    expect(ids).toHaveLength(4);
    // Nothing listens on the first receiver's port once it is stopped.
    const gone = await startReceiver();
    await gone.stop();
    const down = new OutboxDispatcher(h.store, { webhook: { url: gone.url, secret }, mail: null, now: () => clock, timeoutMs: 2000 });
    for (let attempt = 1; attempt <= 3; attempt += 1) {
      expect(await down.tick()).toBe(0);
      const [head, ...rest] = await deliveriesOf(h.store);
      expect(head).toMatchObject({ attempts: attempt, deliveredAt: null });
      expect(head?.lastError).toBeTruthy();
      expect(Date.parse(head?.nextAttemptAt ?? "") - clock.getTime()).toBe(backoffMs(attempt, 2000, 600_000));
      // The failed head holds the rest.
      expect(rest.every((row) => row.attempts === 0)).toBe(true);
      // Not due yet: nothing is tried.
      expect(await down.tick()).toBe(0);
      expect((await deliveriesOf(h.store))[0]?.attempts).toBe(attempt);
      clock = new Date(clock.getTime() + 60_000);
    }
    const r = await startReceiver();
    try {
      const up = new OutboxDispatcher(h.store, { webhook: { url: r.url, secret }, mail: null, now: () => clock, timeoutMs: 2000 });
      expect(await up.tick()).toBe(4);
      expect(await up.tick()).toBe(0);
    } finally {
      await r.stop();
    }
    expect(r.accepted).toEqual(ids);
    expect(r.requests).toEqual(ids);
    expect(r.badSignatures).toBe(0);
    const rows = await deliveriesOf(h.store);
    expect(rows.map((row) => [row.attempts, row.lastStatus, row.lastError, row.deliveredAt !== null])).toEqual([
      [4, 204, null, true],
      [1, 204, null, true],
      [1, 204, null, true],
      [1, 204, null, true],
    ]);
  });

  it("email through SMTP, to a local smtp-server", async () => {
    const received: string[] = [];
    const smtp = new SMTPServer({
      authOptional: true,
      disabledCommands: ["STARTTLS"],
      onData(stream, _session, callback) {
        const chunks: Buffer[] = [];
        stream.on("data", (c: Buffer) => chunks.push(c));
        stream.on("end", () => {
          received.push(Buffer.concat(chunks).toString("utf8"));
          callback();
        });
      },
    });
    await new Promise<void>((resolve) => smtp.listen(0, "127.0.0.1", resolve));
    const { port } = smtp.server.address() as AddressInfo;
    const mail = smtpMailSender(`smtp://127.0.0.1:${port}`, "countersign@example.gov.cn");
    try {
      const channels: OutboundChannels = { webhook: false, email: true, emailTo: ["office@example.gov.cn"] };
      const notice = { kind: "round.opened" as const, params: { title: "第一季度进展", dueDate: "2026-04-10" }, link: "/rounds/1", departments: ["MOF"] };
      await h.store.transaction((tx) => notifyOnSeam(tx.repos, notice, channels, new Date()));
      const dispatcher = new OutboxDispatcher(h.store, { webhook: null, mail, now: () => new Date() });
      expect(await dispatcher.tick()).toBe(1);
      expect(await dispatcher.tick()).toBe(0);
      expect(received).toHaveLength(1);
      expect(received[0]).toContain("office@example.gov.cn");
      const [row] = await deliveriesOf(h.store);
      expect(received[0]?.toLowerCase()).toContain(`x-countersign-event-id: ${row?.eventId}`);
      expect(row).toMatchObject({ channel: "email", attempts: 1, lastStatus: null });
      expect(row?.deliveredAt).not.toBeNull();
    } finally {
      mail.close();
      await new Promise<void>((resolve) => smtp.close(() => resolve()));
    }
  });

  it("a row claimed by an instance that died mid-send waits for the claim's lease, then another instance sends it", async () => {
    let clock = new Date("2026-03-02T02:00:00Z");
    const [first] = await enqueue(h.store, 1, clock);
    const [row] = await deliveriesOf(h.store);
    if (row === undefined) throw new Error("no outbox row");
    const lease = new Date(clock.getTime() + 300_000).toISOString();
    // The dead instance's claim (as its dispatcher makes it); a second claim on what was read is refused.
    expect(await h.store.transaction((tx) => tx.repos.outbox.claim(row.id, row.nextAttemptAt, lease))).toBe(true);
    expect(await h.store.transaction((tx) => tx.repos.outbox.claim(row.id, row.nextAttemptAt, lease))).toBe(false);
    const r = await startReceiver();
    try {
      const other = new OutboxDispatcher(h.store, { webhook: { url: r.url, secret }, mail: null, now: () => clock });
      expect(await other.tick()).toBe(0);
      expect(r.requests).toEqual([]);
      clock = new Date(clock.getTime() + 300_001);
      expect(await other.tick()).toBe(1);
      expect(r.accepted).toEqual([first]);
      // The dead instance's result, written late, no longer applies: its claim was taken over.
      const late = await h.store.transaction((tx) => tx.repos.outbox.markFailed(row.id, lease, { attempts: 9, nextAttemptAt: lease, lastStatus: null, lastError: "late" }));
      expect(late).toBe(false);
      expect((await deliveriesOf(h.store))[0]).toMatchObject({ attempts: 1, lastStatus: 204, lastError: null });
    } finally {
      await r.stop();
    }
  });

  it("of many claims on one row from two instances at once, exactly one holds it", async () => {
    await enqueue(h.store, 1, new Date());
    const [row] = await deliveriesOf(h.store);
    if (row === undefined) throw new Error("no outbox row");
    const second = await h.anotherStore();
    try {
      const claims = Array.from({ length: 12 }, (_x, i) => {
        const store = i % 2 === 0 ? h.store : second.store;
        const lease = new Date(Date.parse(row.nextAttemptAt) + 300_000 + i).toISOString();
        return store.transaction((tx) => tx.repos.outbox.claim(row.id, row.nextAttemptAt, lease));
      });
      expect((await Promise.all(claims)).filter((won) => won)).toHaveLength(1);
    } finally {
      await second.close();
    }
  });

  it("the server's outbound start configures the channels: a reminder made through the API reaches the webhook", async () => {
    const r = await startReceiver();
    const env = { WEBHOOK_URL: r.url, WEBHOOK_SECRET: secret, OUTBOX_INTERVAL_SECONDS: "0.05" };
    const outbound = startOutboxDispatcher(h.store, env, () => new Date());
    try {
      const seeded = h.database.db
        .select({ id: assignmentsTable.id })
        .from(assignmentsTable)
        .where(and(eq(assignmentsTable.planId, h.planId), eq(assignmentsTable.measureNumber, 9), eq(assignmentsTable.department, "CBIRC")))
        .get();
      const target = await h.store.read((repos) => repos.assignments.find(seeded?.id ?? 0));
      if (target === undefined) throw new Error("no assignment of CBIRC on (9)");
      await h.as("miit").assignment.remind({ id: target.id, expectedVersion: target.version, message: "请尽快签收。" });
      const deadline = Date.now() + 10_000;
      while (r.accepted.length === 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
      expect(r.accepted).toHaveLength(1);
      expect(await outboxIds(h.store)).toEqual(r.accepted);
    } finally {
      await outbound.stop();
      await r.stop();
    }
  });

  it("two instances' dispatchers on one database deliver each event once, in order, one send at a time, retrying failures", async () => {
    const ids = await enqueue(h.store, 24, new Date());
    const second = await h.anotherStore();
    // Every fifth event's first send fails (503): retried after the back-off, by whichever instance gets there.
    const r = await startReceiver({ delayMs: 5, failFirst: (n) => n % 5 === 0 });
    const options = { webhook: { url: r.url, secret }, mail: null, now: () => new Date(), baseBackoffMs: 20, maxBackoffMs: 20, batch: 5 };
    const instances = [new OutboxDispatcher(h.store, options), new OutboxDispatcher(second.store, options)];
    try {
      const deadline = Date.now() + 20_000;
      // Both instances tick without pause, at the same time, until everything is delivered.
      await Promise.all(
        instances.map(async (dispatcher) => {
          while (r.accepted.length < ids.length && Date.now() < deadline) {
            await dispatcher.tick();
            await new Promise((resolve) => setImmediate(resolve));
          }
        }),
      );
    } finally {
      await second.close();
      await r.stop();
    }
    expect(r.accepted).toEqual(ids);
    const failing = ids.filter((_id, i) => (i + 1) % 5 === 0);
    expect(r.requests).toHaveLength(ids.length + failing.length);
    expect(r.maxInFlight).toBe(1);
    const rows = await deliveriesOf(h.store);
    expect(rows.every((row) => row.deliveredAt !== null && row.lastStatus === 204)).toBe(true);
    expect(rows.filter((row) => row.attempts === 2).map((row) => row.eventId)).toEqual(failing);
  });
});
