import { createTransport } from "nodemailer";
import type { MailSender } from "./outbox-dispatcher.js";

/**
 * Email through SMTP (nodemailer), when `SMTP_URL` is set (e.g. `smtp://user:pass@mail.example.gov.cn:587`); off by
 * default. `from` is the sender address (SMTP_FROM); `timeoutMs` bounds the connection, the greeting and each wait on
 * the socket. The event id goes in a header so a mailbox rule can drop repeats.
 */
export function smtpMailSender(url: string, from: string, timeoutMs = 30_000): MailSender & { close(): void } {
  // Bounded waits (nodemailer's own defaults reach 10 min): a send settles well inside the dispatcher's claim.
  const transport = createTransport({ url, connectionTimeout: timeoutMs, greetingTimeout: timeoutMs, socketTimeout: timeoutMs });
  return {
    async send(message) {
      await transport.sendMail({
        from,
        to: [...message.to],
        subject: message.subject,
        text: message.text,
        headers: { "X-Countersign-Event-Id": message.eventId },
        messageId: `<${message.eventId}@countersign>`,
      });
    },
    close: () => transport.close(),
  };
}
