// Where a process reads its input from and writes its outputs to, besides this server: the
// user's S3 bucket, FTP or SFTP server (wire-spec 7.5) and the operator's cloud drives. The places
// live in the process record; the secrets to reach them never do (see secrets.ts).

/** The canned ACLs of the API document; `private` is the default. */
export const S3_ACLS = ['private', 'public-read', 'public-read-write', 'authenticated-read', 'bucket-owner-read', 'bucket-owner-full-control'] as const;
export type S3Acl = (typeof S3_ACLS)[number];

import { describeCloudPlace, isCloudStorage, type CloudInputSource, type CloudOutputTarget, type CloudSecret, type CloudStorage } from './cloud-locations.js';

/** Server-side encryption S3 applies to a stored object (the header x-amz-server-side-encryption). */
export const S3_ENCRYPTIONS = ['AES256', 'aws:kms'] as const;
export type S3Encryption = (typeof S3_ENCRYPTIONS)[number];

/** What export/s3 may ask of each object besides its ACL; each is sent as its S3 header. */
export interface S3ObjectFields {
  readonly cacheControl?: string;
  /** User metadata (x-amz-meta-*). */
  readonly metadata?: Readonly<Record<string, string>>;
  readonly serverSideEncryption?: S3Encryption;
  /** Object tags (x-amz-tagging). */
  readonly tagging?: Readonly<Record<string, string>>;
}

export const DEFAULT_S3_REGION = 'us-east-1';
export const DEFAULT_FTP_PORT = 21;
export const DEFAULT_SFTP_PORT = 22;

/** FTP without TLS, explicit FTPS (AUTH TLS, `secure: true`) or implicit FTPS. */
export const FTP_SECURITY = ['none', 'explicit', 'implicit'] as const;
export type FtpSecurity = (typeof FTP_SECURITY)[number];

/** Cloud drives a v1 client may name as `output`; only the operator's accounts are used. */
export const CLOUD_DRIVES = ['dropbox', 'googledrive', 'onedrive', 'box'] as const;
export type CloudDrive = (typeof CLOUD_DRIVES)[number];
/** The drives this server can upload to, when the operator configured them. */
export const SUPPORTED_DRIVES = ['dropbox', 'googledrive'] as const satisfies readonly CloudDrive[];
export type SupportedDrive = (typeof SUPPORTED_DRIVES)[number];

export interface S3Bucket {
  readonly bucket: string;
  readonly region: string;
  /** An S3-compatible service (http(s)://host[:port]); addressed path-style when set. */
  readonly endpoint?: string;
}

export interface FtpServer {
  readonly host: string;
  readonly port: number;
  readonly secure: FtpSecurity;
}

export interface SftpServer {
  readonly host: string;
  readonly port: number;
  /**
   * The server's host key fingerprint the user pinned ("SHA256:<base64>" as `ssh-keygen -l`
   * prints it, or hex MD5); absent, any host key is accepted (trust on first use).
   */
  readonly hostKey?: string;
}

/** Inputs the worker fetches from user storage; `key` / `path` is the request's `file`. */
/** Storages the user reaches with credentials of their own (kept beside the record, never in it). */
export const CREDENTIAL_STORAGES = ['s3', 'ftp', 'sftp'] as const;
export type CredentialStorage = (typeof CREDENTIAL_STORAGES)[number];

/** Whether a source, target or kind names a storage that needs the user's credentials (v1's or v2's). */
export function carriesCredentials<T extends { readonly kind: string }>(place: T): place is Extract<T, { readonly kind: CredentialStorage | CloudStorage }> {
  return isCredentialStorage(place.kind) || isCloudStorage(place.kind);
}

export function isCredentialStorage(kind: unknown): kind is CredentialStorage {
  return (CREDENTIAL_STORAGES as readonly unknown[]).includes(kind);
}

export type RemoteInputSource =
  | ({ readonly kind: 's3'; readonly key: string } & S3Bucket)
  | ({ readonly kind: 'ftp'; readonly path: string } & FtpServer)
  | ({ readonly kind: 'sftp'; readonly path: string } & SftpServer)
  | CloudInputSource;

/**
 * Where the output files go after they are stored here. `path` ending in "/" is a folder; absent,
 * each file keeps its own name (see targetPaths).
 */
export type OutputTarget =
  /** Without `acl` no ACL is sent and S3 keeps the object private (works with ACLs disabled too). */
  | ({ readonly kind: 's3'; readonly path?: string; readonly acl?: S3Acl; readonly object?: S3ObjectFields } & S3Bucket)
  | ({ readonly kind: 'ftp'; readonly path?: string } & FtpServer)
  | ({ readonly kind: 'sftp'; readonly path?: string } & SftpServer)
  | { readonly kind: 'dropbox'; readonly path?: string }
  | { readonly kind: 'googledrive' }
  | CloudOutputTarget;
export type OutputKind = OutputTarget['kind'];

/** What the user sent to reach their storage. Kept apart from the record, deleted at the end. */
export type RemoteSecret =
  | { readonly kind: 's3'; readonly accessKeyId: string; readonly secretAccessKey: string; readonly sessionToken?: string }
  | { readonly kind: 'ftp'; readonly user: string; readonly password: string }
  /** A password, a private key (PEM/OpenSSH, with its passphrase if encrypted), or both. */
  | { readonly kind: 'sftp'; readonly user: string; readonly password?: string; readonly privateKey?: string; readonly passphrase?: string }
  | CloudSecret;

/**
 * The passwords of a PDF tool task: `password` opens (pdf/decrypt) or is set as the one to open
 * (pdf/encrypt); `ownerPassword` is set as the one that lifts the restrictions (pdf/encrypt).
 */
export interface PdfPasswords {
  readonly password?: string;
  readonly ownerPassword?: string;
}

export interface ProcessSecrets {
  readonly input?: RemoteSecret;
  readonly output?: RemoteSecret;
  readonly pdf?: PdfPasswords;
}

/** Whether there is anything to keep. */
export const hasSecrets = (secrets: ProcessSecrets): boolean => secrets.input !== undefined || secrets.output !== undefined || secrets.pdf !== undefined;

/** A start's input from user storage: the place (recorded) and the secret (not recorded). */
export interface StorageInput {
  /** v1's `input=s3|ftp` (API v2's storages start through their operations instead). */
  readonly source: Extract<RemoteInputSource, { readonly kind: CredentialStorage }>;
  readonly secret: RemoteSecret;
}

/** A start's `output`: the target (recorded) and, for S3 and FTP, the secret (not recorded). */
export interface OutputRequest {
  readonly target: OutputTarget;
  readonly secret?: RemoteSecret;
}

/** Where the outputs went, for the status object: the place without secrets, and each file. */
export interface DeliveredOutput {
  readonly type: OutputKind;
  /** bucket and region, host and port, or a drive folder. */
  readonly place: Readonly<Record<string, string | number>>;
  /** S3 keys, FTP or Dropbox paths, Google Drive file names, in the order of the outputs. */
  readonly files: readonly string[];
  /** Google Drive file ids, in the same order (names are not unique there). */
  readonly ids?: readonly string[];
}

/** For messages: "S3 bucket b", "FTP server h:21", "Dropbox". */
export function describeTarget(target: OutputTarget | RemoteInputSource): string {
  switch (target.kind) {
    case 's3':
      return `S3 bucket ${target.bucket}`;
    case 'ftp':
      return `FTP server ${target.host}:${target.port}`;
    case 'sftp':
      return `SFTP server ${target.host}:${target.port}`;
    case 'dropbox':
      return 'Dropbox';
    case 'googledrive':
      return 'Google Drive';
    default:
      return describeCloudPlace(target);
  }
}
