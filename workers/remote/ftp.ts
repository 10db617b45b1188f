// FTP sessions with the user's server: the host is resolved through the private-address guard
// and the connection goes to that checked address (basic-ftp then opens data connections only to
// the same address), passive mode, FTPS when asked. Failures become messages that name the
// parameter to fix, with the password cut out of anything the server said.
import { networkReason } from '../../src/core/net/network-errors.js';
import { isIP } from 'node:net';
import { Client, FTPError } from 'basic-ftp';
import { AppError, appError } from '../../src/core/errors.js';
import { guardedLookup, type AddressPolicy } from '../../src/core/net/address-guard.js';
import type { FtpServer } from '../../src/core/remote/locations.js';
import { redact } from '../../src/core/remote/redact.js';
import type { RemoteSettings } from './settings.js';

/** The host's address, through the private-address guard (shared with SFTP). */
export function resolve(host: string, policy: AddressPolicy): Promise<string> {
  return new Promise((done, fail) => {
    guardedLookup(policy)(host, {}, (error, address) => (error ? fail(error) : done(address as string)));
  });
}

/**
 * Runs `work` with a logged-in client (working directory: the login directory) and closes it
 * afterwards; an abort of `signal` closes it at once, so pending commands fail.
 */
export async function withFtp<T>(
  server: FtpServer,
  login: { readonly user: string; readonly password: string },
  settings: RemoteSettings,
  signal: AbortSignal,
  work: (client: Client) => Promise<T>,
): Promise<T> {
  signal.throwIfAborted();
  const address = await resolve(server.host, settings);
  const client = new Client(settings.timeoutMs);
  const onAbort = (): void => client.close();
  signal.addEventListener('abort', onAbort, { once: true });
  try {
    await client.access({
      host: address,
      port: server.port,
      user: login.user,
      password: login.password,
      secure: server.secure === 'none' ? false : server.secure === 'implicit' ? 'implicit' : true,
      // Certificates are checked against the name the user gave, not the resolved address.
      secureOptions: isIP(server.host) === 0 ? { servername: server.host } : {},
    });
    return await work(client);
  } finally {
    signal.removeEventListener('abort', onAbort);
    client.close();
  }
}

export interface FtpFailureContext {
  readonly direction: 'input' | 'output';
  readonly server: FtpServer;
  readonly path: string;
  readonly secrets: readonly string[];
}

function reason(error: unknown, context: FtpFailureContext): string {
  const field = `${context.direction}[ftp]`;
  const said = redact(error instanceof Error ? error.message : String(error), context.secrets, 200);
  if (error instanceof FTPError) {
    if (error.code === 530) return `the server refused the login (${said}). Check ${field}[user] and ${field}[password]`;
    if (error.code === 550 || error.code === 551 || error.code === 553) {
      return context.direction === 'input'
        ? `the server could not give the file "${context.path}" (${said}). Check the parameter file and that the user may read it`
        : `the server refused to write "${context.path}" (${said}). Check ${field}[path] and that the user may write there`;
    }
    if (error.code === 534 || error.code === 504 || error.code === 502) return `the server does not support what was asked (${said}). Check ${field}[secure]`;
    return `the server answered ${said}`;
  }
  const code = (error as NodeJS.ErrnoException).code ?? '';
  const network = networkReason(code);
  if (network !== undefined) return `could not reach ${context.server.host}:${context.server.port}: ${network}. Check ${field}[host] and ${field}[port]`;
  if (/timeout/i.test(said)) return `${context.server.host}:${context.server.port} did not answer in time. Check ${field}[host] and ${field}[port]`;
  if (/certificate|SSL|TLS/i.test(said) || code.startsWith('ERR_TLS') || code.includes('CERT')) return `the TLS connection failed (${said}). Check ${field}[secure] and the server's certificate`;
  return said;
}

/** An AppError for a failed FTP session; AppErrors (guard, limits) pass through. */
export function explainFtpError(error: unknown, context: FtpFailureContext): AppError {
  if (error instanceof AppError) return error;
  const text = redact(reason(error, context), context.secrets, 600);
  return context.direction === 'input'
    ? appError('INPUT_UNAVAILABLE', `Could not read the input file from FTP: ${text}.`)
    : appError('OUTPUT_FAILED', `Could not store the output on FTP: ${text}.`);
}
