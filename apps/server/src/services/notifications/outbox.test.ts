/**
 * The outbox delivered for real: a webhook receiver on 127.0.0.1 that is down for a while, and an SMTP server
 * (smtp-server) on 127.0.0.1. Every event arrives once (by its idempotency id), in order, signed.
 */
import { createServer } from "node:http";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { SMTPServer } from "smtp-server";
import { asc } from "drizzle-orm";
import { writeTransaction } from "@countersign/db";
import { outboxTable } from "@countersign/db/schema";
import { createHarness } from "../../test-support/harness.js";
import type { Harness } from "../../test-support/harness.js";
import { configureOutbound, enqueueOutbound, notify, notifyAssignmentEvent } from "./notify.js";
import { backoffMs, OutboxDispatcher, webhookSignature } from "./outbox-dispatcher.js";
import { smtpMailSender } from "./smtp-mail.js";
import { listNotifications } from "./list-notifications.js";
import { markNotificationsRead } from "./read-state.js";
import type { ActingUser } from "../shared/acting-user.js";

let h: Harness;

/** The account's notification centre, as `notification.list` reads it (through the store). */
const listOf = (user: ActingUser) => h.store.read((repos) => listNotifications(repos, user, 10, null));
beforeEach(async () => {
  h = await createHarness();
});
afterEach(() => h.close());

const secret = "test-webhook-secret";

async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

/** A receiver that verifies signatures, drops repeats by id, and (once) fails after recording, as a flaky one would. */
function receiver(port: number) {
  const seen: string[] = [];
  const deliveries: string[] = [];
  let badSignatures = 0;
  let failAfterRecordingOnce = true;
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const body = Buffer.concat(chunks).toString("utf8");
      const timestamp = String(req.headers["x-countersign-timestamp"] ?? "");
      if (req.headers["x-countersign-signature"] !== webhookSignature(secret, timestamp, body)) {
        badSignatures += 1;
        res.writeHead(401).end();
        return;
      }
      const event = JSON.parse(body) as { id: string; type: string };
      expect(req.headers["x-countersign-event-id"]).toBe(event.id);
      deliveries.push(event.id);
      if (!seen.includes(event.id)) seen.push(event.id);
      if (failAfterRecordingOnce && seen.length === 3) {
        // Processed, but the answer is lost: the sender must retry and the receiver drop the repeat.
        failAfterRecordingOnce = false;
        res.writeHead(500).end();
        return;
      }
      res.writeHead(204).end();
    });
  });
  return {
    seen,
    deliveries,
    badSignatures: () => badSignatures,
    start: () => new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve)),
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

describe("the outbox", () => {
  it("writes nothing outbound unless a channel is on", () => {
    writeTransaction(h.database.db, (tx) => enqueueOutbound(tx, "round.opened", { title: "x" }, new Date()));
    expect(h.database.db.select().from(outboxTable).orderBy(asc(outboxTable.id)).all()).toEqual([]);
  });

  it("an outbox row is written with the act or not at all", () => {
    configureOutbound(h.database.db, { webhook: true, email: false, emailTo: [] });
    expect(() =>
      writeTransaction(h.database.db, (tx) => {
        notify(tx, { kind: "round.opened", params: { title: "rolled back" }, link: "/rounds/1", departments: ["MOF"] }, new Date());
        throw new Error("the act fails");
      }),
    ).toThrow("the act fails");
    expect(h.database.db.select().from(outboxTable).orderBy(asc(outboxTable.id)).all()).toEqual([]);
  });

  it("a receiver down for a while gets every event once, in order, signed (at least once + idempotency id)", async () => {
    configureOutbound(h.database.db, { webhook: true, email: false, emailTo: [] });
    const port = await freePort();
    const r = receiver(port);
    let clock = new Date("2026-03-02T02:00:00Z");
    const dispatcher = new OutboxDispatcher(h.store, { webhook: { url: `http://127.0.0.1:${port}/hook`, secret }, mail: null, now: () => clock, timeoutMs: 2000 });
    for (let i = 1; i <= 6; i += 1) {
      writeTransaction(h.database.db, (tx) => enqueueOutbound(tx, "round_report.submitted", { n: i }, clock));
    }
    const ids = h.database.db.select({ id: outboxTable.eventId }).from(outboxTable).orderBy(asc(outboxTable.id)).all().map((x) => x.id);

    // Down: each tick fails on the first row and holds the rest; the retry waits longer each time.
    for (let attempt = 1; attempt <= 3; attempt += 1) {
      expect(await dispatcher.tick()).toBe(0);
      const head = h.database.db.select().from(outboxTable).orderBy(asc(outboxTable.id)).all()[0];
      expect(head?.attempts).toBe(attempt);
      expect(Date.parse(head?.nextAttemptAt ?? "") - clock.getTime()).toBe(backoffMs(attempt, 2000, 600_000));
      // Not due yet: nothing is tried.
      expect(await dispatcher.tick()).toBe(0);
      expect(h.database.db.select().from(outboxTable).orderBy(asc(outboxTable.id)).all()[0]?.attempts).toBe(attempt);
      clock = new Date(clock.getTime() + 60_000);
    }
    expect(h.database.db.select().from(outboxTable).orderBy(asc(outboxTable.id)).all().slice(1).every((row) => row.attempts === 0)).toBe(true);

    await r.start();
    try {
      let rounds = 0;
      while (h.database.db.select().from(outboxTable).orderBy(asc(outboxTable.id)).all().some((row) => row.deliveredAt === null) && rounds < 20) {
        await dispatcher.tick();
        clock = new Date(clock.getTime() + 60_000);
        rounds += 1;
      }
    } finally {
      await r.stop();
    }
    expect(r.seen).toEqual(ids);
    // The third was sent twice (its answer was lost) and dropped the second time by id.
    expect(r.deliveries.length).toBe(ids.length + 1);
    expect(r.badSignatures()).toBe(0);
    const rows = h.database.db.select().from(outboxTable).orderBy(asc(outboxTable.id)).all();
    expect(rows.every((row) => row.deliveredAt !== null && row.lastStatus === 204)).toBe(true);
  });

  it("email through SMTP when configured, to a local smtp-server", async () => {
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
      configureOutbound(h.database.db, { webhook: false, email: true, emailTo: ["office@example.gov.cn"] });
      writeTransaction(h.database.db, (tx) =>
        notify(tx, { kind: "round.opened", params: { title: "第一季度进展", dueDate: "2026-04-10" }, link: "/rounds/1", departments: ["MOF"] }, new Date()),
      );
      const dispatcher = new OutboxDispatcher(h.store, { webhook: null, mail, now: () => new Date() });
      expect(await dispatcher.tick()).toBe(1);
      expect(await dispatcher.tick()).toBe(0);
      expect(received).toHaveLength(1);
      expect(received[0]).toContain("office@example.gov.cn");
      expect(received[0]?.toLowerCase()).toContain("x-countersign-event-id");
    } finally {
      mail.close();
      await new Promise<void>((resolve) => smtp.close(() => resolve()));
    }
  });

  it("in-app notices: one per account of the department, marked read by their owner only", async () => {
    writeTransaction(h.database.db, (tx) => notify(tx, { kind: "round.opened", params: { title: "Q1" }, link: "/rounds/1", departments: ["MOF"] }, new Date()));
    const mof = h.user("mof");
    const sta = h.user("sta");
    const list = await listOf(mof);
    expect(list.unread).toBe(1);
    expect(list.items[0]).toMatchObject({ kind: "round.opened", link: "/rounds/1", params: { title: "Q1" }, read: false });
    expect((await listOf(sta)).items).toEqual([]);
    const id = list.items[0]?.id ?? 0;
    expect(await h.store.transaction((tx) => markNotificationsRead(tx.repos, sta, [id], new Date()))).toBe(0);
    expect((await listOf(mof)).unread).toBe(1);
    expect(await h.store.transaction((tx) => markNotificationsRead(tx.repos, mof, [id], new Date()))).toBe(0);
    expect((await listOf(mof)).items[0]?.read).toBe(true);
  });

  it("the hook for assignment events tells the department's accounts and the outbox, linking to the assignment", async () => {
    configureOutbound(h.database.db, { webhook: true, email: false, emailTo: [] });
    const told = writeTransaction(h.database.db, (tx) =>
      notifyAssignmentEvent(tx, { type: "assignment.returned", assignmentId: 42, planId: h.planId, measureNumber: 7, department: "MOF", text: "请补充佐证材料" }, ["MOF"], new Date()),
    );
    expect(told).toBe(1);
    expect((await listOf(h.user("mof"))).items[0]).toMatchObject({
      kind: "assignment.event",
      link: "/assignments/42",
      params: { event: "assignment.returned", measureNumber: 7, text: "请补充佐证材料" },
    });
    const body = JSON.parse(h.database.db.select().from(outboxTable).all()[0]?.payload ?? "{}") as { type: string; data: Record<string, unknown> };
    expect(body).toMatchObject({ type: "assignment.event", data: { event: "assignment.returned", assignmentId: 42, link: "/assignments/42" } });
  });
});
