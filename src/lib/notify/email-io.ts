/**
 * Mail to a list over SMTP (nodemailer). The list does subscriptions; we
 * send one mail per entry with a stable Message-ID, so a resend after a crash
 * is the same message to any list software or mail client that dedupes.
 */
import nodemailer from 'nodemailer';
import type { Channel } from './deliver.ts';
import type { NotifyEntry } from './entries.ts';
import { mailFor } from './messages.ts';

export interface SmtpSettings {
  host: string;
  port: number;
  security: 'starttls' | 'tls' | 'none';
  username?: string;
  password?: string;
  from: string;
  to: string;
  headers: Record<string, string>;
}

export function emailChannel(smtp: SmtpSettings, site: { name: string; host: string }): Channel<NotifyEntry> {
  let transport: ReturnType<typeof nodemailer.createTransport> | undefined;
  return {
    key: 'email',
    target: `${smtp.to} via ${smtp.host}:${smtp.port}`,
    accepts: () => true,
    async open() {
      transport = nodemailer.createTransport({
        host: smtp.host,
        port: smtp.port,
        secure: smtp.security === 'tls',
        requireTLS: smtp.security === 'starttls',
        ignoreTLS: smtp.security === 'none',
        pool: true,
        maxConnections: 1,
        connectionTimeout: 15_000,
        greetingTimeout: 15_000,
        socketTimeout: 30_000,
        ...(smtp.username ? { auth: { user: smtp.username, pass: smtp.password ?? '' } } : {}),
      });
    },
    async send(entry) {
      if (!transport) throw new Error('not connected');
      const mail = mailFor(entry, site.name, site.host, smtp.headers);
      const info = await transport.sendMail({
        from: smtp.from,
        to: smtp.to,
        subject: mail.subject,
        text: mail.text,
        html: mail.html,
        messageId: mail.messageId,
        headers: mail.headers,
      });
      if (info.rejected.length > 0) throw new Error(`the server refused ${info.rejected.join(', ')}: ${info.response}`);
    },
    async close() {
      transport?.close();
      transport = undefined;
    },
  };
}
