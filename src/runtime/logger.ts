// One pino logger per process; secrets are redacted wherever they might appear: the
// Authorization header, `apikey` in URLs and parameters, passwords, S3 secrets and tokens.
import { pino, type DestinationStream, type Logger as Pino } from 'pino';

const SECRET_FIELDS = ['apikey', 'password', 'secretaccesskey', 'sessiontoken', 'secret', 'token', 'accesstoken', 'refreshtoken'];

/** The URL with the values of secret query parameters replaced (v1 clients send `?apikey=`). */
export function redactUrl(url: string): string {
  return url.replace(/([?&](?:[^=&]*\[)?(apikey|password|secretaccesskey|sessiontoken|token|access_token)\]?=)[^&#]*/gi, '$1[redacted]');
}

interface RequestLike {
  readonly method?: string;
  readonly url?: string;
  readonly hostname?: string;
  readonly ip?: string;
  readonly id?: string;
}

export function createLogger(level: string, name: string, destination?: DestinationStream): Pino {
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
  return destination === undefined ? pino(options) : pino(options, destination);
}
