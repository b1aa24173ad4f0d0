import type { AnyStore } from "@countersign/db";
import { configureStoreOutbound } from "./notify.js";
import { OutboxDispatcher } from "./outbox-dispatcher.js";
import { smtpMailSender } from "./smtp-mail.js";

/**
 * Reads the outbound settings and starts the outbox's dispatcher, on either engine (the rounds' scheduler is
 * rounds/rounds-scheduler.ts):
 * - `WEBHOOK_URL` + `WEBHOOK_SECRET` (both, or neither): signed JSON POSTs of every notice;
 * - `SMTP_URL` + `SMTP_FROM` + `NOTIFY_EMAIL_TO` (comma-separated): every notice by email; off by default;
 * - `OUTBOX_INTERVAL_SECONDS` (default 2).
 * The channels are set for the store's units of work.
 * Throws when only one of WEBHOOK_URL and WEBHOOK_SECRET is set.
 */
export function startOutboxDispatcher(store: AnyStore, env: NodeJS.ProcessEnv, now: () => Date): { stop(): Promise<void> } {
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
  const dispatcher = new OutboxDispatcher(store, { webhook: url === "" ? null : { url, secret }, mail, now });
  dispatcher.start(Number(env["OUTBOX_INTERVAL_SECONDS"] ?? 2) * 1000);
  return {
    async stop() {
      await dispatcher.stop();
      mail?.close();
    },
  };
}
