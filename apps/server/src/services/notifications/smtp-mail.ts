import { createTransport } from "nodemailer";
import type { MailSender } from "./outbox-dispatcher.js";

/**
 * Email through SMTP (nodemailer), when `SMTP_URL` is set (e.g. `smtp://user:pass@mail.example.gov.cn:587`); off by
 * default. `from` is the sender address (SMTP_FROM). The event id goes in a header so a mailbox rule can drop repeats.
 */
export function smtpMailSender(url: string, from: string): MailSender & { close(): void } {
  const transport = createTransport(url);
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
