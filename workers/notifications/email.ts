// Sends the e-mail notice of an ended process through the configured SMTP server.
import nodemailer, { type Transporter } from 'nodemailer';
import type { EmailJob } from '../../src/core/jobs.js';

export interface EmailSettings {
  readonly smtpUrl: string;
  readonly from: string;
}

/** Pure: subject and text of the notice. */
export function composeEmail(job: EmailJob, absoluteProcessUrl: string): { subject: string; text: string } {
  const what = job.filename === null ? 'Your conversion' : `The conversion of ${job.filename}`;
  const subject = job.step === 'finished' ? `${what} finished` : `${what} failed`;
  const text = [
    job.step === 'finished' ? `${what} has finished.` : `${what} failed: ${job.message}`,
    '',
    `Process: ${absoluteProcessUrl}`,
    job.step === 'finished' ? 'The status there has the download URL (output.url).' : '',
  ].join('\n');
  return { subject, text };
}

export class Mailer {
  private readonly transport: Transporter;

  constructor(private readonly settings: EmailSettings) {
    this.transport = nodemailer.createTransport(settings.smtpUrl);
  }

  async send(job: EmailJob): Promise<void> {
    const absolute = job.processUrl.startsWith('//') ? `http:${job.processUrl}` : job.processUrl;
    const { subject, text } = composeEmail(job, absolute);
    await this.transport.sendMail({ from: this.settings.from, to: job.to, subject, text });
  }

  close(): void {
    this.transport.close();
  }
}
