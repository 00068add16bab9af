/**
 * Outgoing mail through nodemailer (a well-kept SMTP client: STARTTLS,
 * pooling, address encoding) to the configured SMTP server, or, with none
 * configured, into the `mail_outbox` table the operator API reads. Message
 * bodies never go to the logs.
 */
import { randomUUID } from "node:crypto";
import { desc } from "drizzle-orm";
import nodemailer, { type Transporter } from "nodemailer";
import type { Db } from "../db/index.js";
import { mailOutbox } from "../db/schema.js";

export interface MailMessage {
  to: string;
  subject: string;
  text: string;
  html?: string;
}

export interface Mailer {
  send(message: MailMessage): Promise<void>;
  close(): void;
}

export function createMailer(db: Db, smtpUrl: string | null, from: string): Mailer {
  if (!smtpUrl) {
    return {
      async send(m) {
        await db.insert(mailOutbox).values({ id: randomUUID(), to: m.to, subject: m.subject, text: m.text });
      },
      close() {},
    };
  }
  const transport: Transporter = nodemailer.createTransport(smtpUrl);
  return {
    async send(m) {
      await transport.sendMail({ from, to: m.to, subject: m.subject, text: m.text, ...(m.html ? { html: m.html } : {}) });
    },
    close() {
      transport.close();
    },
  };
}

/** The outbox, newest first (operator API). */
export async function readOutbox(db: Db): Promise<{ id: string; createdAt: Date; to: string; subject: string; text: string }[]> {
  return db.select().from(mailOutbox).orderBy(desc(mailOutbox.createdAt));
}
