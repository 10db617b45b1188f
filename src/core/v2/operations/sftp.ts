// import/sftp and export/sftp (wire spec 6.1, 6.3): transfer processes that read one file from,
// or write the input tasks' files to, the user's SFTP server. The host passes the private-address
// guard here when it is an IP literal and again where the worker connects; the password, private
// key and passphrase are stored sealed and never shown.
import { TRANSFER_PLAN } from '../../catalog/resolve.js';
import { cleanFilename } from '../../filenames.js';
import { assertAllowedHost } from '../../net/address-guard.js';
import { DEFAULT_SFTP_PORT, checkRemotePath, hostKeyProblem, lastSegment, privateKeyProblem, type RemoteSecret, type SftpServer } from '../../remote/index.js';
import { FieldReader, without } from './fields.js';
import { checkedFilename } from './imports.js';
import { sourceOf } from './processing.js';
import type { CheckContext, OperationHandler } from './types.js';

/** Fields of the SFTP operations that carry credentials: stored sealed, never shown. */
export const SFTP_SECRET_FIELDS = ['password', 'private_key', 'passphrase'] as const;

/** The server and login fields both operations share; adds field errors to `fields`. */
function readSftpLogin(fields: FieldReader, context: CheckContext): RemoteSecret {
  const host = fields.string('host', { required: true, max: 255 });
  if (host !== undefined) {
    try {
      assertAllowedHost(host.replace(/^\[|\]$/g, ''), { allowPrivate: context.allowPrivateUrls });
    } catch (error) {
      fields.fail('host', error instanceof Error ? error.message : 'The host is not allowed.');
    }
  }
  fields.integer('port', { min: 1, max: 65535 });
  const hostKey = fields.string('host_key', { max: 200 });
  const keyProblem = hostKey === undefined ? undefined : hostKeyProblem(hostKey);
  if (keyProblem !== undefined) fields.fail('host_key', `The host_key field ${keyProblem}.`);
  const user = fields.string('username', { required: true, max: 255 }) ?? '';
  const password = fields.string('password', { max: 1024 });
  const privateKey = fields.string('private_key', { max: 32_768 });
  const passphrase = fields.string('passphrase', { max: 1024 });
  if (password === undefined && privateKey === undefined) fields.fail('password', 'The password or private_key field is required (the SFTP login\'s password or private key).');
  const pemProblem = privateKey === undefined ? undefined : privateKeyProblem(privateKey);
  if (pemProblem !== undefined) fields.fail('private_key', `The private_key field ${pemProblem}.`);
  return { kind: 'sftp', user, ...(password === undefined ? {} : { password }), ...(privateKey === undefined ? {} : { privateKey }), ...(passphrase === undefined ? {} : { passphrase }) };
}

function remotePath(fields: FieldReader, field: string): string | undefined {
  const value = fields.string(field, { max: 1024 });
  if (value === undefined) return undefined;
  try {
    return checkRemotePath(value, field);
  } catch (error) {
    return fields.fail(field, error instanceof Error ? error.message : `The ${field} field is not a valid path.`);
  }
}

const text = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : typeof v === 'number' ? String(v) : undefined);

/** The server of a checked payload (the port may come as a string: the Java SDK sends one). */
function serverOf(payload: Readonly<Record<string, unknown>>): SftpServer {
  const hostKey = text(payload.host_key);
  return { host: String(payload.host).replace(/^\[|\]$/g, ''), port: Number(text(payload.port) ?? DEFAULT_SFTP_PORT), ...(hostKey === undefined ? {} : { hostKey }) };
}

export const importSftp: OperationHandler = {
  takesInput: false,
  check(payload, context) {
    const fields = new FieldReader(payload);
    const secret = readSftpLogin(fields, context);
    const file = remotePath(fields, 'file');
    const folder = remotePath(fields, 'path');
    if (file === undefined && folder === undefined && fields.errors.file === undefined && fields.errors.path === undefined) fields.fail('file', 'The file field (the path of the file to import on the SFTP server) or path (a folder: import its regular files) is required.');
    checkedFilename(fields);
    fields.done();
    return { payload: without(payload, SFTP_SECRET_FIELDS), secrets: { input: secret } };
  },
  start(payload) {
    // Without file, every regular file of the folder `path` (not its sub-folders).
    if (text(payload.file) === undefined) return { kind: 'process', spec: { plan: TRANSFER_PLAN, source: { kind: 'listing', place: { kind: 'sftp', ...serverOf(payload) }, prefix: String(payload.path) } } };
    const path = String(payload.file);
    const filename = text(payload.filename) ?? cleanFilename(lastSegment(path), 'file');
    return { kind: 'process', spec: { plan: TRANSFER_PLAN, source: { kind: 'sftp', path, ...serverOf(payload) }, filename } };
  },
};

export const exportSftp: OperationHandler = {
  takesInput: true,
  check(payload, context) {
    const fields = new FieldReader(payload);
    const secret = readSftpLogin(fields, context);
    remotePath(fields, 'file');
    remotePath(fields, 'path');
    fields.done();
    return { payload: without(payload, SFTP_SECRET_FIELDS), secrets: { output: secret } };
  },
  start(payload, inputs) {
    const file = text(payload.file);
    const folder = text(payload.path);
    // One file with `file`: that path; else each file in the folder `path` with its own name
    // (several files with only `file`: numbered next to it, see targetPaths).
    const path = file !== undefined && (inputs.length === 1 || folder === undefined) ? file : folder !== undefined ? (folder.endsWith('/') ? folder : `${folder}/`) : undefined;
    const outputTarget = { kind: 'sftp' as const, ...serverOf(payload), ...(path === undefined ? {} : { path }) };
    const { source, filename } = sourceOf(inputs);
    return { kind: 'process', spec: { plan: TRANSFER_PLAN, source, ...(filename === undefined ? {} : { filename }), outputTarget } };
  },
};
