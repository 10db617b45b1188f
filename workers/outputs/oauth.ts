// The operator's access token for a cloud drive: a fixed token, or one obtained with the refresh
// token (OAuth 2 refresh_token grant) and kept until shortly before it expires.
import type { DriveAuth } from '../../src/config/storage.js';
import { appError } from '../../src/core/errors.js';
import { httpRequest, jsonOf } from './http.js';

export class AccessToken {
  private cached: { token: string; until: number } | undefined;

  constructor(
    private readonly auth: DriveAuth,
    /** For messages: "Dropbox", "Google Drive". */
    private readonly service: string,
    private readonly timeoutMs: number,
  ) {}

  async get(signal: AbortSignal): Promise<string> {
    if (this.auth.kind === 'token') return this.auth.accessToken;
    if (this.cached !== undefined && Date.now() < this.cached.until) return this.cached.token;
    const form = new URLSearchParams({ grant_type: 'refresh_token', refresh_token: this.auth.refreshToken, client_id: this.auth.clientId, client_secret: this.auth.clientSecret });
    const reply = await httpRequest(this.auth.tokenUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
      body: Buffer.from(form.toString()),
      signal,
      timeoutMs: this.timeoutMs,
    });
    const body = jsonOf(reply);
    const token = body?.['access_token'];
    if (reply.status !== 200 || typeof token !== 'string') {
      const code = typeof body?.['error'] === 'string' ? ` (${body['error'].slice(0, 60)})` : '';
      throw appError('OUTPUT_FAILED', `The server's ${this.service} account could not be used: renewing its access token failed with HTTP ${reply.status}${code}. Ask the operator to check the ${this.service} settings.`);
    }
    const seconds = typeof body?.['expires_in'] === 'number' ? body['expires_in'] : 3600;
    this.cached = { token, until: Date.now() + Math.max(0, seconds - 60) * 1000 };
    return token;
  }

  /** Forgets a token the API refused, so the next call gets a fresh one. */
  forget(): void {
    this.cached = undefined;
  }
}
