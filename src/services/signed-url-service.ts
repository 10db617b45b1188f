// Signed URLs (wire spec 13) as the route uses them: check the signature of the operator's base,
// run the job as the base's API key (the same checks as POST /v2/jobs), wait for it within
// SIGNED_URL_TIMEOUT_SECONDS and give the URL of its first export/url file. With a cache_key the
// job is remembered per base and key (SIGNED_URL_CACHE_SECONDS): the same key reuses its result,
// also while it is still running. Knows nothing of HTTP.
import { createHash } from 'node:crypto';
import type { SignedUrlBase } from '../config/signed-urls.js';
import { appError, isAppError } from '../core/errors.js';
import { jobStatus } from '../core/v2/model.js';
import { decodeJob, parseSignedRequest, signatureMatches, SignedUrlError } from '../core/v2/signed-url.js';
import { exportFileUrl } from '../core/v2/wire.js';
import type { Account } from '../core/accounts.js';
import type { ServiceDeps } from './deps.js';
import type { JobView, V2Service } from './v2-service.js';

/** The job did not end within SIGNED_URL_TIMEOUT_SECONDS (it goes on running). */
export class SignedUrlTimeoutError extends Error {
  constructor(seconds: number) {
    super(`The job did not end within ${seconds} s (SIGNED_URL_TIMEOUT_SECONDS). It goes on running: with a cache_key, the same URL picks up its result later.`);
    this.name = 'SignedUrlTimeoutError';
  }
}

const text = (value: unknown): string | undefined => (typeof value === 'string' && value !== '' ? value : undefined);

/** The first file of the job's export/url tasks, or a 422 saying why there is none. */
function firstExport(view: JobView): string {
  const failed = view.tasks.find((t) => t.status === 'error' && !t.ignoreError);
  if (jobStatus(view.tasks) === 'error' && failed !== undefined) throw appError('CONVERSION_FAILED', `Task ${failed.name ?? failed.id} failed: ${failed.message ?? 'no message'}`);
  const task = view.tasks.find((t) => t.operation === 'export/url' && (t.files?.length ?? 0) > 0);
  const file = task?.files?.[0];
  if (task === undefined || file === undefined) throw appError('CONVERSION_FAILED', 'The job made no export/url file to redirect to. Add an export/url task to the signed job.');
  return exportFileUrl(task, file.filename);
}

export class SignedUrlService {
  private readonly bases: ReadonlyMap<string, SignedUrlBase>;

  constructor(private readonly deps: ServiceDeps, private readonly v2: V2Service) {
    this.bases = new Map(deps.config.v2.signedUrls.map((b) => [b.id, b]));
  }

  /** Runs (or reuses) the signed job; resolves the URL of its first export/url file. */
  async run(id: string, publicBase: string, rawTarget: string, clientGone: AbortSignal): Promise<string> {
    const base = this.bases.get(id);
    if (base === undefined) throw new SignedUrlError(`No signed URL base ${id.slice(0, 64)} on this server. Use a base the operator configured in SIGNED_URLS.`);
    const request = parseSignedRequest(publicBase, rawTarget);
    if (!signatureMatches(base.secret, request)) throw new SignedUrlError('The signature (s) does not match this URL. Sign the whole URL before &s= with the base\'s signing secret, and change nothing after signing.');
    const job = decodeJob(request.job);
    const account = this.accountOf(base);
    const entry = request.cacheKey === undefined ? undefined : `${base.id}:${createHash('sha256').update(request.cacheKey).digest('hex')}`;
    const jobId = (entry === undefined ? undefined : await this.reusable(account, entry)) ?? (await this.start(account, job, publicBase, entry));
    const timeout = AbortSignal.timeout(this.deps.config.v2.signedUrlTimeoutMs);
    try {
      const view = await this.v2.waitJob(account, jobId, AbortSignal.any([clientGone, timeout]));
      if (entry !== undefined && jobStatus(view.tasks) === 'error') await this.deps.tasks.forgetCachedJob(entry);
      return firstExport(view);
    } catch (error) {
      if (timeout.aborted && !isAppError(error)) throw new SignedUrlTimeoutError(Math.round(this.deps.config.v2.signedUrlTimeoutMs / 1000));
      throw error;
    }
  }

  private accountOf(base: SignedUrlBase): Account {
    try {
      return this.deps.accounts.resolve(base.apiKey);
    } catch {
      throw new SignedUrlError(`The signed URL base ${base.id} names an API key this server does not know. The operator must fix its api_key in SIGNED_URLS.`);
    }
  }

  /** The remembered job of this cache entry, unless it is gone or failed. */
  private async reusable(account: Account, entry: string): Promise<string | undefined> {
    const jobId = await this.deps.tasks.cachedJob(entry);
    if (jobId === undefined) return undefined;
    const view = await this.v2.job(account, jobId).catch(() => undefined);
    if (view !== undefined && jobStatus(view.tasks) !== 'error') return jobId;
    await this.deps.tasks.forgetCachedJob(entry);
    return undefined;
  }

  /** Creates the job; with a cache entry, keeps whichever job took the entry first. */
  private async start(account: Account, job: Record<string, unknown>, publicBase: string, entry: string | undefined): Promise<string> {
    const view = await this.v2.createJob(account, { tasks: job.tasks, tag: text(job.tag), webhookUrl: text(job.webhook_url) }, publicBase);
    if (entry === undefined) return view.job.id;
    const ttl = Math.min(this.deps.config.v2.signedUrlCacheSeconds, this.deps.config.retention.finishedSeconds);
    const kept = await this.deps.tasks.cacheJob(entry, view.job.id, ttl);
    if (kept !== view.job.id) await this.v2.deleteJob(account, view.job.id).catch(() => undefined);
    return kept;
  }
}
