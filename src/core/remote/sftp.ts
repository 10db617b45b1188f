// SFTP rules both API dialects share: what a pinned host key and a private key may look like,
// and how a server's host key is fingerprinted to compare with the pin. Pure, unit-tested.
import { createHash } from 'node:crypto';

/** OpenSSH's form ("SHA256:" + unpadded base64 of 32 bytes) or MD5 hex, with or without colons. */
const SHA256_PIN = /^SHA256:[A-Za-z0-9+/]{43}=?$/;
const MD5_PIN = /^(?:MD5:)?(?:[0-9a-f]{2}:?){15}[0-9a-f]{2}$/i;

/** Why `value` is not a host key fingerprint, or undefined when it is one. */
export function hostKeyProblem(value: string): string | undefined {
  if (SHA256_PIN.test(value) || MD5_PIN.test(value)) return undefined;
  return 'must be the server\'s host key fingerprint as `ssh-keygen -l -E sha256 -f <host key>.pub` prints it, e.g. "SHA256:47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU" (or its MD5 hex form)';
}

/** Why `value` is not a private key in PEM or OpenSSH form, or undefined. */
export function privateKeyProblem(value: string): string | undefined {
  if (/-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----/.test(value) && /-----END [A-Z0-9 ]*PRIVATE KEY-----/.test(value)) return undefined;
  return 'must be a private key in OpenSSH or PEM form (the whole file, from "-----BEGIN ... PRIVATE KEY-----" to its END line, with its line breaks)';
}

/** Whether the server's raw host key (the SSH wire blob) matches the pinned fingerprint. */
export function hostKeyMatches(key: Buffer, pin: string): boolean {
  if (SHA256_PIN.test(pin)) {
    const digest = createHash('sha256').update(key).digest('base64').replace(/=+$/, '');
    return `SHA256:${digest}` === pin.replace(/=+$/, '');
  }
  const hex = createHash('md5').update(key).digest('hex');
  return hex === pin.replace(/^MD5:/i, '').replace(/:/g, '').toLowerCase();
}
