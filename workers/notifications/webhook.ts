// Delivers one API v2 webhook (wire spec 11.1, 11.2): POST <url> with the body built when the
// event happened, signed with CloudConvert-Signature over exactly those bytes, through the
// private-address guard. A network error or a status >= 500 throws, so BullMQ retries; 410 Gone
// disables the account webhook; any other answer ends the delivery.
import http from 'node:http';
import https from 'node:https';
import type { WebhookJob } from '../../src/core/jobs.js';
import { assertAllowedHost, guardedLookup, type AddressPolicy } from '../../src/core/net/address-guard.js';
import { inChildSpan, SpanKind, withTraceHeaders } from '../../src/core/trace-context.js';
import { SIGNATURE_HEADER, webhookSignature } from '../../src/core/v2/webhook-signature.js';
import type { WebhookStore } from '../../src/core/v2/webhooks.js';
import { CallbackFailed } from './callback.js';

export interface WebhookSettings extends AddressPolicy {
  readonly timeoutMs: number;
}

/** What became of one attempt that did not throw. */
export type WebhookOutcome =
  | { readonly kind: 'delivered'; readonly status: number }
  /** 410 Gone: the account webhook is disabled. */
  | { readonly kind: 'disabled'; readonly status: number }
  /** The account webhook was deleted or disabled before the delivery: nothing is sent. */
  | { readonly kind: 'skipped'; readonly reason: string };

export class WebhookDelivery {
  constructor(
    private readonly webhooks: WebhookStore,
    private readonly settings: WebhookSettings,
  ) {}

  /** One attempt; throws (as callbacks do) when it failed, and the worker decides about a retry. */
  async deliver(job: WebhookJob): Promise<WebhookOutcome> {
    const found = job.webhookId === undefined ? undefined : await this.webhooks.withSecret(job.webhookId);
    if (job.webhookId !== undefined && found === undefined) return { kind: 'skipped', reason: 'the webhook was deleted' };
    if (found?.webhook.disabled === true) return { kind: 'skipped', reason: 'the webhook is disabled' };
    const status = await this.post(job, found?.signingSecret ?? (await this.webhooks.jobUrlSecret(job.owner)));
    if (found !== undefined) {
      if (status === 410) await this.webhooks.mark(found.webhook.id, { disabled: true });
      else if (status < 400 && found.webhook.failing) await this.webhooks.mark(found.webhook.id, { failing: false });
    }
    return { kind: status === 410 ? 'disabled' : 'delivered', status };
  }

  /** Called once a delivery failed its last attempt: its account webhook shows `failing: true`. */
  async failed(job: WebhookJob): Promise<void> {
    if (job.webhookId !== undefined) await this.webhooks.mark(job.webhookId, { failing: true });
  }

  /** Resolves with the HTTP status of the answer; throws a retryable CallbackFailed for >= 500. */
  private async post(job: WebhookJob, secret: string): Promise<number> {
    const url = new URL(job.url);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new CallbackFailed(`webhook scheme ${url.protocol} is not allowed`, false);
    assertAllowedHost(url.hostname, this.settings);
    const body = Buffer.from(job.body, 'utf8');
    const client = url.protocol === 'https:' ? https : http;
    // Only the host: the URL's path and query may hold the client's own tokens.
    const attributes = { 'http.request.method': 'POST', 'server.address': url.hostname, 'url.scheme': url.protocol.slice(0, -1), 'openconvert.job_id': job.jobId };
    return inChildSpan('POST', { kind: SpanKind.CLIENT, attributes }, async (span) => {
      const headers = withTraceHeaders({
        'content-type': 'application/json',
        'content-length': String(body.length),
        [SIGNATURE_HEADER]: webhookSignature(secret, body),
        'user-agent': 'openconvert/1 (CloudConvert API v2 compatible)',
      });
      const status = await new Promise<number>((resolve, reject) => {
        const options = { method: 'POST', agent: false, lookup: guardedLookup(this.settings), signal: AbortSignal.timeout(this.settings.timeoutMs), headers };
        const request = client.request(url, options, (response) => {
          response.resume();
          resolve(response.statusCode ?? 0);
        });
        request.once('error', reject);
        request.end(body);
      });
      span.setAttribute('http.response.status_code', status);
      if (status >= 500) throw new CallbackFailed(`webhook target answered HTTP ${status}`, true);
      return status;
    });
  }
}
