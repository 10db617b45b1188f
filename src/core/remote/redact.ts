// Messages from remote servers may echo what they were sent; before such text reaches a status
// object or a log line, every secret of the process is cut out of it.
import { cloudSecretValues } from './cloud-locations.js';
import type { RemoteSecret } from './locations.js';

/** The values of a secret that must never be shown (the S3 access key id and FTP user may be). */
export function secretValues(secret: RemoteSecret | undefined): string[] {
  if (secret === undefined) return [];
  switch (secret.kind) {
    case 's3':
      return [secret.secretAccessKey, secret.sessionToken ?? ''];
    case 'ftp':
      return [secret.password];
    case 'sftp':
      // A key's lines may be echoed one by one: each long line counts as a secret too.
      return [secret.password ?? '', secret.passphrase ?? '', ...keyLines(secret.privateKey)];
    default:
      return cloudSecretValues(secret);
  }
}

function keyLines(key: string | undefined): string[] {
  if (key === undefined) return [];
  return [key, ...key.split(/\r?\n/).filter((line) => line.length >= 16 && !line.startsWith('-----'))];
}

/** `text` with every secret (also URL-encoded) replaced by "[redacted]", cut to `max` characters. */
export function redact(text: string, secrets: readonly string[], max = 300): string {
  let out = text;
  for (const secret of secrets) {
    if (secret === '') continue;
    for (const form of new Set([secret, encodeURIComponent(secret)])) out = out.split(form).join('[redacted]');
  }
  return out.length > max ? `${out.slice(0, max)}...` : out;
}
