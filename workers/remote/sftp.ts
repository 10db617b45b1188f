// SFTP sessions with the user's server (ssh2-sftp-client over ssh2, pure JS): the host is
// resolved through the private-address guard and the connection goes to that checked address;
// the host key is accepted on first use unless the user pinned its fingerprint. A handshake is
// bounded by the remote timeout, and keepalives close a session whose server stops answering,
// so no step waits forever. Failures become messages naming SFTP, the host and the field to fix,
// with every secret cut out.
import SftpClient from 'ssh2-sftp-client';
import { AppError, appError } from '../../src/core/errors.js';
import { networkReason } from '../../src/core/net/network-errors.js';
import { hostKeyMatches, redact, type RemoteSecret, type SftpServer } from '../../src/core/remote/index.js';
import { resolve } from './ftp.js';
import type { RemoteSettings } from './settings.js';

type SftpLogin = Extract<RemoteSecret, { kind: 'sftp' }>;

/** What went wrong below the library's wrapped errors, for the message. */
interface SessionTrouble {
  hostKeyRejected: boolean;
  /** ssh2's error level of the connection's first error ('client-authentication', 'client-timeout'...). */
  level?: string;
}

// The library's default listeners print to the console; errors reach us through its promises.
const QUIET = { error: () => undefined, end: () => undefined, close: () => undefined };

/**
 * Runs `work` with a connected client (working directory: the login's start folder) and closes
 * it afterwards; an abort of `signal` ends the connection at once, so pending operations fail.
 */
export async function withSftp<T>(server: SftpServer, login: SftpLogin, settings: RemoteSettings, signal: AbortSignal, work: (client: SftpClient) => Promise<T>, trouble: SessionTrouble = { hostKeyRejected: false }): Promise<T> {
  signal.throwIfAborted();
  const address = await resolve(server.host, settings);
  const client = new SftpClient('sftp', QUIET);
  const raw = (client as unknown as { client: import('node:events').EventEmitter }).client;
  // The first error says why; later ones are the fallout of the closed socket.
  raw.on('error', (error: Error & { level?: string }) => {
    trouble.level ??= error.level;
  });
  const destroy = (): void => (raw as unknown as { destroy(): void }).destroy();
  signal.addEventListener('abort', destroy, { once: true });
  try {
    await client.connect({
      host: address,
      port: server.port,
      username: login.user,
      ...(login.password === undefined ? {} : { password: login.password }),
      ...(login.privateKey === undefined ? {} : { privateKey: login.privateKey }),
      ...(login.passphrase === undefined ? {} : { passphrase: login.passphrase }),
      readyTimeout: settings.timeoutMs,
      keepaliveInterval: Math.max(1000, Math.floor(settings.timeoutMs / 3)),
      keepaliveCountMax: 3,
      hostVerifier: (key: Buffer) => {
        const accepted = server.hostKey === undefined || hostKeyMatches(key, server.hostKey);
        trouble.hostKeyRejected = !accepted;
        return accepted;
      },
    });
    return await work(client);
  } finally {
    signal.removeEventListener('abort', destroy);
    await client.end().catch(() => undefined);
    destroy();
  }
}

export interface SftpFailureContext {
  readonly direction: 'input' | 'output';
  readonly server: SftpServer;
  readonly path: string;
  readonly secrets: readonly string[];
  readonly trouble: SessionTrouble;
}

/** SFTP status codes (draft-ietf-secsh-filexfer) as ssh2 reports them, and their errno twins. */
const NO_SUCH_FILE = new Set<unknown>([2, 'ENOENT']);
const PERMISSION_DENIED = new Set<unknown>([3, 'EACCES']);

function reason(error: unknown, context: SftpFailureContext): string {
  const field = `${context.direction}[sftp]`;
  const where = `${context.server.host}:${context.server.port}`;
  const said = redact(error instanceof Error ? error.message : String(error), context.secrets, 200);
  const code = (error as { code?: unknown }).code;
  if (context.trouble.hostKeyRejected) return `the host key of ${where} does not match the pinned fingerprint. Check ${field}[host_key] (ssh-keygen -l -E sha256 -f <host key>.pub prints it)`;
  if (context.trouble.level === 'client-authentication') return `${where} refused the login. Check ${field}[username], and ${field}[password] or ${field}[private_key]`;
  if (context.trouble.level === 'client-timeout') return `${where} did not answer in time. Check ${field}[host] and ${field}[port]`;
  const network = typeof code === 'string' ? networkReason(code) : undefined;
  if (network !== undefined) return `could not reach ${where}: ${network}. Check ${field}[host] and ${field}[port]`;
  if (NO_SUCH_FILE.has(code)) {
    return context.direction === 'input' ? `${where} has no file "${context.path}". Check the parameter file` : `${where} has no folder for "${context.path}". Check ${field}[path]`;
  }
  if (PERMISSION_DENIED.has(code)) {
    return context.direction === 'input' ? `${where} does not let the user read "${context.path}". Check the parameter file and the user's rights` : `${where} does not let the user write "${context.path}". Check ${field}[path] and the user's rights`;
  }
  return `${where}: ${said}`;
}

/** An AppError for a failed SFTP session; AppErrors (guard, limits) pass through. */
export function explainSftpError(error: unknown, context: SftpFailureContext): AppError {
  if (error instanceof AppError) return error;
  const text = redact(reason(error, context), context.secrets, 600);
  return context.direction === 'input'
    ? appError('INPUT_UNAVAILABLE', `Could not read the input file over SFTP: ${text}.`)
    : appError('OUTPUT_FAILED', `Could not store the output over SFTP: ${text}.`);
}

export type { SessionTrouble };
