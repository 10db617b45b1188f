// One pino logger per process; secrets are redacted wherever they might appear: the
// Authorization header, `apikey` in URLs and parameters, passwords, S3 secrets and tokens.
// LOG_FORMAT=pretty formats the same (already redacted) lines as text, in this process: a
// pino-pretty stream, not a transport thread, so nothing is lost or left running at exit.
import { pino, type DestinationStream, type Logger as Pino } from 'pino';
import { PinoPretty } from 'pino-pretty';
import type { LogFormat } from '../config/index.js';

const SECRET_FIELDS = ['apikey', 'password', 'secretaccesskey', 'sessiontoken', 'secret', 'token', 'accesstoken', 'refreshtoken', 'storage_access_key', 'sas_token', 'private_key', 'accessKey', 'sasToken', 'privateKey'];

/** Query parameter names (or bracket segments of them) whose values never reach a log line. */
const SECRET_PARAMS = new Set([...SECRET_FIELDS, 'access_token', 'refresh_token', 'key']);

/** Percent-decodes like a lenient server would; a malformed escape stays as written, never throws. */
function decodeLoosely(text: string): string {
  const plus = text.replace(/\+/g, ' ');
  try {
    return decodeURIComponent(plus);
  } catch {
    // Invalid UTF-8 somewhere: still decode each ASCII escape, so `api%6Bey%FF` reads as `apikey%FF`.
    return plus.replace(/%([0-7][0-9a-f])/gi, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
  }
}

/** True when a parameter name such as `output[s3][secretaccesskey]`, `api%6Bey` or `APIKEY ` names a secret. */
export function isSecretParam(rawName: string): boolean {
  const segments = decodeLoosely(rawName).toLowerCase().split(/[[\]]/);
  return segments.some((segment) => SECRET_PARAMS.has(segment.trim()));
}

/**
 * The URL with the values of secret query parameters replaced (v1 clients send `?apikey=`).
 * Names are normalised first (percent-decoded, lower-cased, split at brackets), because the
 * server reads `api%6Bey` and `output%5Bs3%5D%5Bsecretaccesskey%5D` as the real names.
 */
export function redactUrl(url: string): string {
  const query = url.indexOf('?');
  if (query < 0) return url;
  const hash = url.indexOf('#', query);
  const end = hash < 0 ? url.length : hash;
  const pairs = url.slice(query + 1, end).split('&').map((pair) => {
    const eq = pair.indexOf('=');
    return eq >= 0 && isSecretParam(pair.slice(0, eq)) ? `${pair.slice(0, eq + 1)}[redacted]` : pair;
  });
  return `${url.slice(0, query + 1)}${pairs.join('&')}${url.slice(end)}`;
}

interface RequestLike {
  readonly method?: string;
  readonly url?: string;
  readonly hostname?: string;
  readonly ip?: string;
  readonly id?: string;
}

/** Text for a person: one line a record, then its fields; colours only on a terminal. */
function prettyStream(destination: DestinationStream | undefined): DestinationStream {
  const toTerminal = destination === undefined && process.stdout.isTTY;
  return PinoPretty({ destination: destination ?? 1, sync: true, colorize: toTerminal, translateTime: 'SYS:yyyy-mm-dd HH:MM:ss.l', ignore: 'hostname' });
}

export function createLogger(level: string, name: string, destination?: DestinationStream, format: LogFormat = 'json'): Pino {
  const options = {
    name,
    level,
    // pid is in pino's base bindings: every line says which process wrote it.
    serializers: {
      req: (req: RequestLike) => ({ method: req.method, url: redactUrl(req.url ?? ''), host: req.hostname, remoteAddress: req.ip, id: req.id }),
    },
    redact: {
      paths: ['req.headers.authorization', 'req.headers.cookie', ...SECRET_FIELDS, ...SECRET_FIELDS.map((f) => `*.${f}`), ...SECRET_FIELDS.map((f) => `*.*.${f}`)],
      censor: '[redacted]',
    },
  };
  if (format === 'pretty') return pino(options, prettyStream(destination));
  return destination === undefined ? pino(options) : pino(options, destination);
}
