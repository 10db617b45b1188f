// A real SMTP server on 127.0.0.1 (smtp-server) that keeps every message it receives, parsed
// (mailparser), so e-mail tests check what actually went over the wire.
import type { AddressInfo } from 'node:net';
import { simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { until } from './wait.js';

export interface ReceivedMail {
  /** Envelope recipients (RCPT TO). */
  readonly to: string[];
  readonly from: string;
  readonly subject: string;
  readonly text: string;
}

export interface SmtpSink {
  /** smtp://127.0.0.1:PORT, for SMTP_URL. */
  readonly url: string;
  readonly mails: ReceivedMail[];
  /** Resolves with the first mail to `address` (fails after `timeoutMs`). */
  mailTo(address: string, timeoutMs?: number): Promise<ReceivedMail>;
  stop(): Promise<void>;
}

export async function startSmtpSink(): Promise<SmtpSink> {
  const mails: ReceivedMail[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, session, callback) {
      simpleParser(stream)
        .then((parsed) => {
          mails.push({
            to: session.envelope.rcptTo.map((r) => r.address),
            from: session.envelope.mailFrom === false ? '' : session.envelope.mailFrom.address,
            subject: parsed.subject ?? '',
            text: parsed.text ?? '',
          });
          callback();
        })
        .catch((error: unknown) => callback(error as Error));
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const port = (server.server.address() as AddressInfo).port;
  return {
    url: `smtp://127.0.0.1:${port}`,
    mails,
    async mailTo(address, timeoutMs = 10000) {
      await until(async () => mails.some((m) => m.to.includes(address)), timeoutMs, `a mail to ${address}`);
      const mail = mails.find((m) => m.to.includes(address));
      if (mail === undefined) throw new Error(`no mail to ${address}`);
      return mail;
    },
    stop: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
