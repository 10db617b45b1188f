// The storage objects of the v1 wire (wire-spec 7.5): `input: {s3: {...}}` or `input=s3` with a
// top-level `s3` object (likewise ftp and sftp), `file` as the key or path, and `output` as `s3`, `ftp`, a
// cloud drive name, or an object. Field names are matched without regard to case.
import { appError } from '../../core/errors.js';
import {
  CLOUD_DRIVES,
  DEFAULT_FTP_PORT,
  DEFAULT_SFTP_PORT,
  DEFAULT_S3_REGION,
  S3_ACLS,
  SUPPORTED_DRIVES,
  checkRemotePath,
  hostKeyProblem,
  privateKeyProblem,
  isCredentialStorage,
  s3Key,
  type FtpSecurity,
  type FtpServer,
  type OutputRequest,
  type RemoteSecret,
  type S3Acl,
  type S3Bucket,
  type SftpServer,
  type StorageInput,
} from '../../core/remote/index.js';

type Params = Readonly<Record<string, unknown>>;
type Storage = 's3' | 'ftp' | 'sftp';
const LABELS: Readonly<Record<Storage, string>> = { s3: 'S3', ftp: 'FTP', sftp: 'SFTP' };
type Fields = Readonly<Record<string, unknown>>;

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);
/** Storages of the v1 API this server does not implement. */
const OTHER_STORAGES = ['openstack', 'azure', 'googlecloud'];

/** `{s3: {...}}` → ['s3', {...}]; exactly one storage per object. */
function single(value: Record<string, unknown>, field: string): [string, unknown] {
  const entries = Object.entries(value);
  const first = entries[0];
  if (entries.length !== 1 || first === undefined) {
    throw appError('INVALID_PARAMETER', `The parameter ${field} must name exactly one storage, e.g. {"s3": {...}} or {"ftp": {...}}; got ${entries.length === 0 ? 'an empty object' : entries.map(([k]) => k).join(', ')}.`);
  }
  return [first[0].toLowerCase(), first[1]];
}

/** The object of a storage: given inline, or as the top-level parameter of that name. */
function storageFields(params: Params, kind: Storage, inline: unknown, field: string): Fields {
  const value = inline ?? params[kind];
  if (!isObject(value)) {
    throw appError('MISSING_PARAMETER', `With ${field}=${kind}, give the ${kind === 's3' ? 'bucket and credentials' : 'server and login'} as ${field}[${kind}][...] (or an object {"${kind}": {...}}). See the API document's ${LABELS[kind]} section.`);
  }
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k.toLowerCase(), v]));
}

function optionalText(fields: Fields, name: string, prefix: string): string | undefined {
  const value = fields[name];
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  throw appError('INVALID_PARAMETER', `The parameter ${prefix}[${name}] must be a string.`);
}

function requiredText(fields: Fields, name: string, prefix: string, allowEmpty = false): string {
  const value = allowEmpty && fields[name] === '' ? '' : optionalText(fields, name, prefix);
  if (value === undefined) throw appError('MISSING_PARAMETER', `The parameter ${prefix}[${name}] is required.`);
  return value;
}

function s3Place(fields: Fields, prefix: string): S3Bucket {
  const bucket = requiredText(fields, 'bucket', prefix);
  if (!/^[A-Za-z0-9._-]{3,255}$/.test(bucket)) throw appError('INVALID_PARAMETER', `The parameter ${prefix}[bucket] "${bucket.slice(0, 80)}" is not a bucket name (3 to 255 of a-z 0-9 . - _).`);
  const region = optionalText(fields, 'region', prefix) ?? DEFAULT_S3_REGION;
  if (!/^[a-z0-9-]{2,40}$/.test(region)) throw appError('INVALID_PARAMETER', `The parameter ${prefix}[region] "${region.slice(0, 40)}" is not a region, e.g. us-east-1 or eu-west-1.`);
  const endpoint = optionalText(fields, 'endpoint', prefix);
  return endpoint === undefined ? { bucket, region } : { bucket, region, endpoint: endpointUrl(endpoint, `${prefix}[endpoint]`) };
}

function endpointUrl(value: string, field: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw appError('INVALID_PARAMETER', `The parameter ${field} must be a URL such as https://s3.example.com, got "${value.slice(0, 80)}".`);
  }
  if ((url.protocol !== 'http:' && url.protocol !== 'https:') || url.username !== '' || url.password !== '' || url.search !== '' || url.hash !== '' || url.pathname !== '/') {
    throw appError('INVALID_PARAMETER', `The parameter ${field} must be http(s)://host[:port] without a path, user or query, got "${value.slice(0, 80)}".`);
  }
  return url.origin;
}

function s3Secret(fields: Fields, prefix: string): RemoteSecret {
  const accessKeyId = requiredText(fields, 'accesskeyid', prefix);
  const secretAccessKey = requiredText(fields, 'secretaccesskey', prefix);
  const sessionToken = optionalText(fields, 'sessiontoken', prefix);
  return sessionToken === undefined ? { kind: 's3', accessKeyId, secretAccessKey } : { kind: 's3', accessKeyId, secretAccessKey, sessionToken };
}

function hostAndPort(fields: Fields, prefix: string, defaultPort: number): { host: string; port: number } {
  const host = requiredText(fields, 'host', prefix);
  if (!/^(?:[A-Za-z0-9.-]{1,253}|\[?[0-9A-Fa-f:.]{2,45}\]?)$/.test(host)) throw appError('INVALID_PARAMETER', `The parameter ${prefix}[host] "${host.slice(0, 80)}" is not a host name or IP address.`);
  const portText = optionalText(fields, 'port', prefix);
  const port = portText === undefined ? defaultPort : Number(portText);
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw appError('INVALID_PARAMETER', `The parameter ${prefix}[port] must be a port number from 1 to 65535, got "${portText}".`);
  return { host: host.replace(/^\[|\]$/g, ''), port };
}

function ftpPlace(fields: Fields, prefix: string): FtpServer {
  return { ...hostAndPort(fields, prefix, DEFAULT_FTP_PORT), secure: ftpSecurity(optionalText(fields, 'secure', prefix), `${prefix}[secure]`) };
}

/** The host key pin is accepted as host_key, hostkey or fingerprint (keys are lower-cased). */
function sftpPlace(fields: Fields, prefix: string): SftpServer {
  const name = ['host_key', 'hostkey', 'fingerprint'].find((n) => fields[n] !== undefined && fields[n] !== '') ?? 'host_key';
  const hostKey = optionalText(fields, name, prefix);
  const problem = hostKey === undefined ? undefined : hostKeyProblem(hostKey);
  if (problem !== undefined) throw appError('INVALID_PARAMETER', `The parameter ${prefix}[${name}] ${problem}.`);
  return { ...hostAndPort(fields, prefix, DEFAULT_SFTP_PORT), ...(hostKey === undefined ? {} : { hostKey }) };
}

/** user (or username), and a password, a private key (private_key or privatekey), or both. */
function sftpSecret(fields: Fields, prefix: string): RemoteSecret {
  const user = optionalText(fields, 'user', prefix) ?? requiredText(fields, 'username', prefix);
  const password = optionalText(fields, 'password', prefix);
  const privateKey = optionalText(fields, 'private_key', prefix) ?? optionalText(fields, 'privatekey', prefix);
  const passphrase = optionalText(fields, 'passphrase', prefix);
  if (password === undefined && privateKey === undefined) throw appError('MISSING_PARAMETER', `The parameter ${prefix}[password] or ${prefix}[private_key] is required (the SFTP login's password or private key).`);
  const problem = privateKey === undefined ? undefined : privateKeyProblem(privateKey);
  if (problem !== undefined) throw appError('INVALID_PARAMETER', `The parameter ${prefix}[private_key] ${problem}.`);
  return { kind: 'sftp', user, ...(password === undefined ? {} : { password }), ...(privateKey === undefined ? {} : { privateKey }), ...(passphrase === undefined ? {} : { passphrase }) };
}

function ftpSecurity(value: string | undefined, field: string): FtpSecurity {
  if (value === undefined || /^(false|0|no|off|none)$/i.test(value)) return 'none';
  if (/^(true|1|yes|on|explicit)$/i.test(value)) return 'explicit';
  if (/^implicit$/i.test(value)) return 'implicit';
  throw appError('INVALID_PARAMETER', `The parameter ${field} must be true (explicit FTPS), "implicit" or false, got "${value.slice(0, 40)}".`);
}

const ftpSecret = (fields: Fields, prefix: string): RemoteSecret => ({ kind: 'ftp', user: requiredText(fields, 'user', prefix), password: requiredText(fields, 'password', prefix, true) });

/** The storage an `input` object names, or undefined for a plain method name. */
export function inputStorageKind(value: unknown): Storage | undefined {
  if (!isObject(value)) return undefined;
  const [kind] = single(value, 'input');
  if (isCredentialStorage(kind)) return kind;
  if (OTHER_STORAGES.includes(kind)) throw appError('NOT_SUPPORTED_YET', `Input from ${kind} storage is not supported by this server. Use input s3, ftp, sftp, upload, raw, base64 or download.`);
  throw appError('INVALID_PARAMETER', `Unknown input storage "${kind.slice(0, 40)}". Valid: s3, ftp, sftp.`);
}

/** With input=s3 or ftp: where the input is (`file` = key or path) and the secret to read it. */
export function storageInput(params: Params, kind: Storage): StorageInput {
  const inline = isObject(params['input']) ? single(params['input'], 'input')[1] : undefined;
  const fields = storageFields(params, kind, inline, 'input');
  const prefix = `input[${kind}]`;
  const file = params['file'];
  if (typeof file !== 'string' || file === '') {
    throw appError('MISSING_PARAMETER', `With input=${kind}, the parameter file must be the ${kind === 's3' ? 'S3 key' : `path on the ${LABELS[kind]} server`} of the input file, e.g. "folder/photo.png".`);
  }
  checkRemotePath(file, 'file');
  if (kind === 's3') return { source: { kind, key: s3Key(file), ...s3Place(fields, prefix) }, secret: s3Secret(fields, prefix) };
  if (kind === 'sftp') return { source: { kind, path: file, ...sftpPlace(fields, prefix) }, secret: sftpSecret(fields, prefix) };
  return { source: { kind, path: file, ...ftpPlace(fields, prefix) }, secret: ftpSecret(fields, prefix) };
}

/** The canned ACL asked for; absent means private, S3's own default, so no ACL is sent. */
function s3Acl(fields: Fields, prefix: string): S3Acl | undefined {
  const value = optionalText(fields, 'acl', prefix)?.toLowerCase();
  if (value === undefined) return undefined;
  if (!(S3_ACLS as readonly string[]).includes(value)) throw appError('INVALID_PARAMETER', `Invalid ${prefix}[acl] "${value.slice(0, 40)}". Valid values: ${S3_ACLS.join(', ')}.`);
  return value as S3Acl;
}

const outputPath = (fields: Fields, prefix: string): string | undefined => {
  const path = optionalText(fields, 'path', prefix);
  return path === undefined ? undefined : checkRemotePath(path, `${prefix}[path]`);
};

/** `output` as a target and its secret; undefined when absent. Drive names are checked later against the config. */
export function outputRequest(params: Params): OutputRequest | undefined {
  const value = params['output'];
  if (value === undefined || value === null || value === '') return undefined;
  let kind: string;
  let inline: unknown;
  if (isObject(value)) [kind, inline] = single(value, 'output');
  else if (typeof value === 'string') kind = value.toLowerCase();
  else throw appError('INVALID_PARAMETER', 'The parameter output must be a storage name (s3, ftp, sftp, dropbox, googledrive) or an object such as {"s3": {...}}.');
  const prefix = `output[${kind}]`;
  switch (kind) {
    case 's3': {
      const fields = storageFields(params, kind, inline, 'output');
      const path = outputPath(fields, prefix);
      const acl = s3Acl(fields, prefix);
      return { target: { kind, ...s3Place(fields, prefix), ...(acl === undefined ? {} : { acl }), ...(path === undefined ? {} : { path: s3Key(path) }) }, secret: s3Secret(fields, prefix) };
    }
    case 'ftp': {
      const fields = storageFields(params, kind, inline, 'output');
      const path = outputPath(fields, prefix);
      return { target: { kind, ...ftpPlace(fields, prefix), ...(path === undefined ? {} : { path }) }, secret: ftpSecret(fields, prefix) };
    }
    case 'sftp': {
      const fields = storageFields(params, kind, inline, 'output');
      const path = outputPath(fields, prefix);
      return { target: { kind, ...sftpPlace(fields, prefix), ...(path === undefined ? {} : { path }) }, secret: sftpSecret(fields, prefix) };
    }
    case 'dropbox': {
      const path = isObject(inline) ? outputPath(Object.fromEntries(Object.entries(inline).map(([k, v]) => [k.toLowerCase(), v])), prefix) : undefined;
      return { target: path === undefined ? { kind } : { kind, path } };
    }
    case 'googledrive':
      return { target: { kind } };
  }
  if ((CLOUD_DRIVES as readonly string[]).includes(kind)) {
    throw appError('INVALID_PARAMETER', `output=${kind} is not available: this server does not link users' cloud drives, and it cannot upload to ${kind}. Use output s3, ftp or sftp, ${SUPPORTED_DRIVES.join(' or ')} when the operator has set them up, or download the result from output.url.`);
  }
  if (OTHER_STORAGES.includes(kind)) throw appError('NOT_SUPPORTED_YET', `Output to ${kind} storage is not supported by this server. Use output s3, ftp or sftp, or download the result from output.url.`);
  throw appError('INVALID_PARAMETER', `Invalid output "${kind.slice(0, 40)}". Valid values: s3, ftp, sftp, ${SUPPORTED_DRIVES.join(', ')}.`);
}
