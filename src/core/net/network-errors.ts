// Plain-language reasons for the network errors every remote call can meet (downloads, S3,
// FTP, callbacks), so their messages say the same thing the same way.
const REASONS: Readonly<Record<string, string>> = {
  ECONNREFUSED: 'the connection was refused',
  ENOTFOUND: 'its host name could not be resolved',
  EAI_AGAIN: 'its host name could not be resolved',
  ETIMEDOUT: 'it did not answer in time',
  TimeoutError: 'it did not answer in time',
  ECONNRESET: 'the connection was reset',
  EHOSTUNREACH: 'the host is unreachable',
};

/** The reason for an error code such as ECONNREFUSED, or undefined for other errors. */
export function networkReason(code: string): string | undefined {
  return Object.hasOwn(REASONS, code) ? REASONS[code] : undefined;
}
