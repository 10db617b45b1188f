// input=download: fetches an http(s) URL with redirects, a size limit and a timeout. Every hop
// goes through the private-address guard, checked on the address the socket connects to.
import http from 'node:http';
import https from 'node:https';
import { appError, AppError } from '../../src/core/errors.js';
import { assertAllowedHost, guardedLookup, type AddressPolicy } from '../../src/core/net/address-guard.js';
import { networkReason } from '../../src/core/net/network-errors.js';
import type { InputAdapter } from './types.js';
import { refuseAnnouncedSize, writeWithinLimit } from './within-limit.js';

export interface DownloadSettings extends AddressPolicy {
  readonly timeoutMs: number;
  readonly maxRedirects: number;
}

const REDIRECTS = new Set([301, 302, 303, 307, 308]);

function request(url: URL, settings: DownloadSettings, signal: AbortSignal): Promise<http.IncomingMessage> {
  const client = url.protocol === 'https:' ? https : http;
  return new Promise((resolve, reject) => {
    const req = client.get(url, { agent: false, lookup: guardedLookup(settings), signal, headers: { 'user-agent': 'openconvert/1 (CloudConvert v1 compatible)', accept: '*/*' } }, resolve);
    req.once('error', reject);
  });
}

function explain(error: unknown, url: URL, settings: DownloadSettings): AppError {
  if (error instanceof AppError) return error;
  const code = (error as NodeJS.ErrnoException).code ?? '';
  const reason = code === 'ABORT_ERR' ? `it did not answer within ${settings.timeoutMs / 1000} seconds` : (networkReason(code) ?? (error as Error).message);
  return appError('INPUT_UNAVAILABLE', `Could not download the input file from ${url.host}: ${reason}.`);
}

export function downloadInput(settings: DownloadSettings): InputAdapter<'download'> {
  return {
    async fetch(source, destination, context) {
      let url = new URL(source.url);
      const signal = AbortSignal.any([context.signal, AbortSignal.timeout(settings.timeoutMs)]);
      for (let hop = 0; ; hop++) {
        if (url.protocol !== 'http:' && url.protocol !== 'https:') throw appError('INPUT_UNAVAILABLE', `The input URL redirected to ${url.protocol}, which is not fetched. Only http and https are.`);
        assertAllowedHost(url.hostname, settings);
        let response: http.IncomingMessage;
        try {
          response = await request(url, settings, signal);
        } catch (error) {
          if (context.signal.aborted) throw error;
          throw explain(error, url, settings);
        }
        const status = response.statusCode ?? 0;
        if (REDIRECTS.has(status) && response.headers.location !== undefined) {
          response.resume();
          if (hop >= settings.maxRedirects) throw appError('INPUT_UNAVAILABLE', `The input URL redirected more than ${settings.maxRedirects} times.`);
          url = new URL(response.headers.location, url);
          continue;
        }
        if (status !== 200) {
          response.resume();
          throw appError('INPUT_UNAVAILABLE', `Could not download the input file: ${url.host} answered HTTP ${status}. Check that the URL is public and correct.`);
        }
        const length = response.headers['content-length'];
        refuseAnnouncedSize(length === undefined ? undefined : Number(length), context.maxBytes, response);
        try {
          return await writeWithinLimit(response, destination, context.maxBytes, signal);
        } catch (error) {
          if (context.signal.aborted) throw error;
          throw explain(error, url, settings);
        }
      }
    },
  };
}
