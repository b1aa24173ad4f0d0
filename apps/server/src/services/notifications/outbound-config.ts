import { writeTransaction } from "@countersign/db";
import type { AnyStore, CountersignDb } from "@countersign/db";
import { tickRounds } from "../rounds/close-round.js";
import { configureOutbound, configureStoreOutbound } from "./notify.js";
import { OutboxDispatcher } from "./outbox-dispatcher.js";
import { smtpMailSender } from "./smtp-mail.js";

/**
 * Reads the outbound settings and starts the outbox's dispatcher, on either engine:
 * - `WEBHOOK_URL` + `WEBHOOK_SECRET` (both, or neither): signed JSON POSTs of every notice;
 * - `SMTP_URL` + `SMTP_FROM` + `NOTIFY_EMAIL_TO` (comma-separated): every notice by email; off by default;
 * - `OUTBOX_INTERVAL_SECONDS` (default 2).
 * The channels are set for the store's units of work (and on SQLite for the synchronous writers on `db` too).
 * Throws when only one of WEBHOOK_URL and WEBHOOK_SECRET is set.
 */
export function startOutboxDispatcher(db: CountersignDb, store: AnyStore, env: NodeJS.ProcessEnv, now: () => Date): { stop(): Promise<void> } {
  const url = env["WEBHOOK_URL"] ?? "";
  const secret = env["WEBHOOK_SECRET"] ?? "";
  if ((url === "") !== (secret === "")) throw new Error("Set WEBHOOK_URL and WEBHOOK_SECRET together (the secret signs every call).");
  const smtpUrl = env["SMTP_URL"] ?? "";
  const emailTo = (env["NOTIFY_EMAIL_TO"] ?? "")
    .split(",")
    .map((a) => a.trim())
    .filter((a) => a !== "");
  const mail = smtpUrl === "" ? null : smtpMailSender(smtpUrl, env["SMTP_FROM"] ?? "countersign@localhost");
  const channels = { webhook: url !== "", email: mail !== null && emailTo.length > 0, emailTo };
  configureStoreOutbound(store, channels);
  if (store.engine === "sqlite") configureOutbound(db, channels);
  const dispatcher = new OutboxDispatcher(store, { webhook: url === "" ? null : { url, secret }, mail, now });
  dispatcher.start(Number(env["OUTBOX_INTERVAL_SECONDS"] ?? 2) * 1000);
  return {
    async stop() {
      await dispatcher.stop();
      mail?.close();
    },
  };
}

/**
 * SQLite: the outbox's dispatcher (`startOutboxDispatcher`) and the rounds' tick (`ROUNDS_TICK_SECONDS`, default 300).
 */
export function startOutbound(db: CountersignDb, store: AnyStore, env: NodeJS.ProcessEnv, now: () => Date): { stop(): Promise<void> } {
  const outbox = startOutboxDispatcher(db, store, env, now);
  const tickMs = Number(env["ROUNDS_TICK_SECONDS"] ?? 300) * 1000;
  const tick = setInterval(() => {
    try {
      writeTransaction(db, (tx) => tickRounds(tx, now()));
    } catch (error) {
      process.stderr.write(`rounds tick failed: ${error instanceof Error ? error.message : String(error)}\n`);
    }
  }, tickMs);
  tick.unref();
  return {
    async stop() {
      clearInterval(tick);
      await outbox.stop();
    },
  };
}
