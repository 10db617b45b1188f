// One pino logger per process; secrets are redacted wherever they might appear.
import { pino, type Logger as Pino } from 'pino';

export function createLogger(level: string, name: string): Pino {
  return pino({
    name,
    level,
    redact: { paths: ['req.headers.authorization', 'apikey', '*.apikey', 'password', '*.password', '*.secretaccesskey'], censor: '[redacted]' },
  });
}
