// What a start decides about the user's storage: the input file from S3 or FTP, and where the
// outputs go. Checks here need the config: the private-address guard for endpoints and hosts
// given as IP literals (host names are checked again where the worker connects), and which
// cloud drives the operator linked.
import type { Config } from '../config/index.js';
import { appError } from '../core/errors.js';
import { cleanFilename, splitFilename, validateFilename } from '../core/filenames.js';
import { assertAllowedHost } from '../core/net/address-guard.js';
import type { InputFileInfo } from '../core/process/record.js';
import { SUPPORTED_DRIVES, carriesCredentials, lastSegment, type OutputRequest, type ProcessSecrets, type RemoteInputSource, type StorageInput } from '../core/remote/index.js';

/** The host a source or target connects to: the S3 endpoint's, AWS's, or the FTP server's. */
function hostOf(place: { readonly kind: string; readonly endpoint?: string; readonly host?: string }): string | undefined {
  if (place.kind === 'ftp' || place.kind === 'sftp') return place.host;
  return place.endpoint === undefined ? undefined : new URL(place.endpoint).hostname;
}

function guard(place: { readonly kind: string; readonly endpoint?: string; readonly host?: string }, config: Config): void {
  const host = hostOf(place);
  if (host !== undefined) assertAllowedHost(host, { allowPrivate: config.input.allowPrivateUrls });
}

export interface StorageInputDecision {
  readonly input: InputFileInfo;
  readonly source: RemoteInputSource;
  readonly message: string;
}

/** input=s3 / ftp: the file's name (`filename`, else the key's last segment) and its place. */
export function decideStorageInput(request: StorageInput, filename: string | undefined, fallbackName: string, config: Config): StorageInputDecision {
  guard(request.source, config);
  const where = request.source.kind === 's3' ? request.source.key : request.source.path;
  const name = filename !== undefined ? validateFilename(filename, 'filename') : cleanFilename(lastSegment(where), fallbackName);
  const { name: base, ext } = splitFilename(name);
  return { input: { type: request.source.kind, filename: name, name: base, ext }, source: request.source, message: 'Preparing process' };
}

/** Refuses a target this server cannot reach: a private address, or a drive not linked. */
export function checkOutputRequest(request: OutputRequest, config: Config): OutputRequest {
  const { target } = request;
  if (carriesCredentials(target)) {
    guard(target, config);
    return request;
  }
  if (config.storage.drives[target.kind] === undefined) {
    const linked = SUPPORTED_DRIVES.filter((d) => config.storage.drives[d] !== undefined);
    throw appError(
      'INVALID_PARAMETER',
      `output=${target.kind} is not available: this server does not link users' cloud drives, and its operator has not set up a ${target.kind === 'dropbox' ? 'Dropbox' : 'Google Drive'} account for it. Use output s3 or ftp${linked.length > 0 ? `, ${linked.join(', ')}` : ''}, or download the result from output.url.`,
    );
  }
  return request;
}

/** How long the secrets may live: the wait for an upload plus the longest run, with margin. */
export const secretsTtlSeconds = (maxtimeSeconds: number): number => 2 * maxtimeSeconds + 600;

/** The secrets of a start, if it has any. */
export function secretsOf(input: StorageInput | undefined, output: OutputRequest | undefined): ProcessSecrets {
  return { ...(input === undefined ? {} : { input: input.secret }), ...(output?.secret === undefined ? {} : { output: output.secret }) };
}
