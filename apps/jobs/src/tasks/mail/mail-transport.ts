import type { OutgoingMail, SendMail } from '@atum-desk/core/server';
import { createTransport } from 'nodemailer';

/** How long each SMTP step may take before the attempt fails and waits for its retry. */
const TIMEOUTS = { connectionTimeout: 30_000, greetingTimeout: 30_000, socketTimeout: 120_000 };

/**
 * The SMTP transport of SMTP_URL (smtp:// or smtps://, credentials in the URL). One connection per
 * mail, no pool: after an outage nothing stale is left to recover, and mail volume is a helpdesk's.
 * `mailFrom` is MAIL_FROM. Resolves when the server accepted the message.
 */
export function smtpSender(smtpUrl: string, mailFrom: string): SendMail {
  const transport = createTransport({ url: smtpUrl, ...TIMEOUTS });
  return async (mail: OutgoingMail) => {
    await transport.sendMail({
      from: mailFrom,
      to: { name: mail.to.name, address: mail.to.address },
      subject: mail.subject,
      text: mail.text,
      html: mail.html,
      messageId: mail.messageId,
      ...(mail.inReplyTo ? { inReplyTo: mail.inReplyTo } : {}),
      ...(mail.references.length > 0 ? { references: mail.references } : {}),
      // RFC 3834: an automatic message, so auto-responders do not answer it.
      headers: { 'Auto-Submitted': 'auto-generated' },
    });
  };
}
