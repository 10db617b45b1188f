// The storage part of the config: where the server keeps its own files (DATA_DIR or an S3
// bucket), limits for the user's S3 and FTP inputs and outputs, and the operator's cloud drive
// accounts. Declared here rather than in settings.ts because the Config part is assembled from
// several variables (a union, optional accounts) whose checks name them.
import { fail } from './error.js';
import { baseUrl, bool, custom, filePath, int, secret, text } from './kinds.js';
import { composite, derived, type Values } from './setting.js';

export interface S3Credentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken?: string;
}

export type FileStoreConfig =
  | { readonly kind: 'local'; readonly dir: string }
  | {
      readonly kind: 's3';
      readonly bucket: string;
      /** Key prefix, without leading or trailing "/"; "" for the bucket root. */
      readonly prefix: string;
      readonly region: string;
      readonly endpoint: string | undefined;
      readonly forcePathStyle: boolean;
      /** Undefined: the AWS SDK's default chain (AWS_* variables, instance or task role). */
      readonly credentials: S3Credentials | undefined;
      /** Answer downloads with a redirect to a presigned URL instead of streaming through the API. */
      readonly presignedDownloads: boolean;
      readonly presignSeconds: number;
    };

/** An operator's OAuth access: a fixed token, or a refresh token exchanged when needed. */
export type DriveAuth =
  | { readonly kind: 'token'; readonly accessToken: string }
  | { readonly kind: 'refresh'; readonly refreshToken: string; readonly clientId: string; readonly clientSecret: string; readonly tokenUrl: string };

export interface DropboxConfig {
  readonly auth: DriveAuth;
  /** Folder the outputs go to, e.g. "/openconvert". */
  readonly folder: string;
  /** RPC endpoints (files/delete_v2, oauth2/token). */
  readonly apiUrl: string;
  /** Content endpoints (files/upload, upload sessions). */
  readonly contentUrl: string;
}

export interface GoogleDriveConfig {
  readonly auth: DriveAuth;
  /** Parent folder id; undefined puts files into the account's root ("My Drive"). */
  readonly folderId: string | undefined;
  /** Base of drive/v3 and upload/drive/v3. */
  readonly apiUrl: string;
}

export interface StorageConfig {
  readonly fileStore: FileStoreConfig;
  /** The user's S3 and FTP inputs and outputs. */
  readonly remote: {
    /** Connection and idle timeout towards user storage. */
    readonly timeoutMs: number;
    /** Bytes per part of S3 multipart uploads (also for the S3 file store). */
    readonly partSizeBytes: number;
  };
  /** Cloud drives the operator linked; absent ones answer output=<drive> with a 400. */
  readonly drives: {
    readonly dropbox: DropboxConfig | undefined;
    readonly googledrive: GoogleDriveConfig | undefined;
  };
}

/** The bucket and key prefix of STORAGE_URL. */
interface S3Location {
  readonly bucket: string;
  readonly prefix: string;
}

function parseStoreUrl(raw: string | undefined, name: string): S3Location | undefined {
  if (raw === undefined) return undefined;
  const match = /^s3:\/\/([A-Za-z0-9._-]{3,255})(?:\/(.*))?$/.exec(raw);
  if (match?.[1] === undefined) return fail(name, `must be s3://bucket or s3://bucket/prefix, got "${raw}"`);
  const prefix = (match[2] ?? '').replace(/^\/+|\/+$/g, '');
  if (prefix.split('/').some((s) => s === '.' || s === '..' || /[\u0000-\u001f\\]/.test(s)) || prefix.includes('//')) fail(name, `has an invalid prefix "${prefix}"`);
  return { bucket: match[1], prefix };
}

/** "/folder" without trailing slash; "" for the account's root. */
function parseDropboxFolder(raw: string | undefined, name: string): string {
  const folder = `/${(raw ?? '/openconvert').replace(/^\/+|\/+$/g, '')}`.replace(/^\/$/, '');
  if (folder.split('/').some((s) => s === '.' || s === '..')) fail(name, 'must not contain "." or ".." segments');
  return folder;
}

/** The server's own files when STORAGE_URL is not set (also the embedded Redis and the generated key). */
export const dataDir = filePath('DATA_DIR', { default: './data' }, 'Uploads, outputs, the embedded Redis, the generated key (when `STORAGE_URL` is not set).');

const s3Endpoint = baseUrl('STORAGE_S3_ENDPOINT', { unset: '(AWS)' }, 'The S3-compatible service of the `STORAGE_URL` bucket (e.g. MinIO).');
const none = { unset: '(none)' } as const;

const settings = {
  url: custom('STORAGE_URL', { type: '`s3://bucket` or `s3://bucket/prefix`', default: '(none: `DATA_DIR`)', parse: parseStoreUrl }, 'The file store in S3 (see [scaling.md](scaling.md#the-file-store-on-s3)).'),
  s3Endpoint,
  s3Region: text('STORAGE_S3_REGION', { default: 'us-east-1' }, 'Region of that bucket.'),
  s3ForcePathStyle: bool('STORAGE_S3_FORCE_PATH_STYLE', derived('`true` with an endpoint', (get) => get(s3Endpoint) !== undefined), 'Bucket in the path instead of the host name.'),
  // Ids (access key id, app key, client id) are not secret by themselves, but they are kept with
  // their secrets, so they may come from the same mounted files (`<NAME>_FILE`).
  s3AccessKeyId: secret(text('STORAGE_S3_ACCESS_KEY_ID', { unset: '(AWS default chain)' }, 'Access key of that bucket, with its secret (neither: the AWS default chain of `AWS_*` variables and instance or task role).')),
  s3SecretAccessKey: secret(text('STORAGE_S3_SECRET_ACCESS_KEY', { unset: '(AWS default chain)' }, 'The secret of `STORAGE_S3_ACCESS_KEY_ID`.')),
  s3SessionToken: secret(text('STORAGE_S3_SESSION_TOKEN', none, 'Session token of temporary credentials.')),
  presignedDownloads: bool('STORAGE_PRESIGNED_DOWNLOADS', false, 'Redirect downloads to presigned S3 URLs instead of streaming them through the API.'),
  presignSeconds: int('STORAGE_PRESIGN_SECONDS', { default: 300, min: 10, max: 7 * 86400 }, 'How long a presigned download URL is valid.'),
  partSizeBytes: int('S3_PART_SIZE_MB', { default: 8, min: 5, max: 5120, to: 'bytes' }, "Part size of S3 multipart uploads (the file store and the users' buckets)."),
  remoteTimeoutMs: int('REMOTE_TIMEOUT_SECONDS', { default: 60, min: 1, max: 3600, to: 'ms' }, 'Connection and idle timeout towards S3, FTP and SFTP.'),
  dropboxAccessToken: secret(text('DROPBOX_ACCESS_TOKEN', none, "The operator's Dropbox account for `output=dropbox`: a fixed access token, or the next three.")),
  dropboxRefreshToken: secret(text('DROPBOX_REFRESH_TOKEN', none, 'A refresh token of that account, exchanged when needed (with the app key and secret).')),
  dropboxAppKey: secret(text('DROPBOX_APP_KEY', none, "The Dropbox app's key, required with `DROPBOX_REFRESH_TOKEN`.")),
  dropboxAppSecret: secret(text('DROPBOX_APP_SECRET', none, "The Dropbox app's secret, required with `DROPBOX_REFRESH_TOKEN`.")),
  dropboxFolder: custom('DROPBOX_FOLDER', { type: 'folder', default: '`/openconvert`', parse: parseDropboxFolder }, 'Where in the account outputs go.'),
  dropboxApiUrl: baseUrl('DROPBOX_API_URL', { default: 'https://api.dropboxapi.com' }, "Dropbox's RPC endpoints (files, OAuth)."),
  dropboxContentUrl: baseUrl('DROPBOX_CONTENT_URL', { default: 'https://content.dropboxapi.com' }, "Dropbox's content endpoints (uploads)."),
  googledriveAccessToken: secret(text('GOOGLEDRIVE_ACCESS_TOKEN', none, "The operator's Google Drive for `output=googledrive`: a fixed access token, or the next three.")),
  googledriveRefreshToken: secret(text('GOOGLEDRIVE_REFRESH_TOKEN', none, 'A refresh token of that account, exchanged when needed (with the client id and secret).')),
  googledriveClientId: secret(text('GOOGLEDRIVE_CLIENT_ID', none, "The OAuth client's id, required with `GOOGLEDRIVE_REFRESH_TOKEN`.")),
  googledriveClientSecret: secret(text('GOOGLEDRIVE_CLIENT_SECRET', none, "The OAuth client's secret, required with `GOOGLEDRIVE_REFRESH_TOKEN`.")),
  googledriveFolderId: text('GOOGLEDRIVE_FOLDER_ID', { unset: '(root)' }, 'Id of the folder outputs go to.'),
  googledriveApiUrl: baseUrl('GOOGLEDRIVE_API_URL', { default: 'https://www.googleapis.com' }, "Base of Google's drive/v3 and upload/drive/v3."),
  googledriveTokenUrl: baseUrl('GOOGLEDRIVE_TOKEN_URL', { default: 'https://oauth2.googleapis.com/token' }, "Google's OAuth token endpoint."),
};

type StorageValues = Values<typeof settings>;

function s3Credentials(v: StorageValues): S3Credentials | undefined {
  const { s3AccessKeyId: accessKeyId, s3SecretAccessKey: secretAccessKey, s3SessionToken: sessionToken } = v;
  if (accessKeyId === undefined && secretAccessKey === undefined) return undefined;
  if (accessKeyId === undefined || secretAccessKey === undefined) {
    const missing = accessKeyId === undefined ? settings.s3AccessKeyId : settings.s3SecretAccessKey;
    return fail(missing.name, 'must be set together with its partner (or neither, for the AWS default credentials)');
  }
  return sessionToken === undefined ? { accessKeyId, secretAccessKey } : { accessKeyId, secretAccessKey, sessionToken };
}

function fileStore(v: StorageValues, dir: string): FileStoreConfig {
  if (v.url === undefined) return { kind: 'local', dir };
  return {
    kind: 's3',
    ...v.url,
    region: v.s3Region,
    endpoint: v.s3Endpoint,
    forcePathStyle: v.s3ForcePathStyle,
    credentials: s3Credentials(v),
    presignedDownloads: v.presignedDownloads,
    presignSeconds: v.presignSeconds,
  };
}

/** One drive's OAuth settings: their values and the variables that hold them. */
interface DriveAccount {
  readonly accessToken: string | undefined;
  readonly refresh: { readonly token: string | undefined; readonly name: string };
  readonly clientId: { readonly value: string | undefined; readonly name: string };
  readonly clientSecret: { readonly value: string | undefined; readonly name: string };
}

/** A refresh token (which needs the client's id and secret), else an access token, else no account. */
function driveAuth(account: DriveAccount, tokenUrl: string): DriveAuth | undefined {
  const { refresh, clientId, clientSecret } = account;
  if (refresh.token === undefined) return account.accessToken === undefined ? undefined : { kind: 'token', accessToken: account.accessToken };
  if (clientId.value === undefined) return fail(clientId.name, `is required with ${refresh.name}`);
  if (clientSecret.value === undefined) return fail(clientSecret.name, `is required with ${refresh.name}`);
  return { kind: 'refresh', refreshToken: refresh.token, clientId: clientId.value, clientSecret: clientSecret.value, tokenUrl };
}

function dropbox(v: StorageValues): DropboxConfig | undefined {
  const auth = driveAuth(
    {
      accessToken: v.dropboxAccessToken,
      refresh: { token: v.dropboxRefreshToken, name: settings.dropboxRefreshToken.name },
      clientId: { value: v.dropboxAppKey, name: settings.dropboxAppKey.name },
      clientSecret: { value: v.dropboxAppSecret, name: settings.dropboxAppSecret.name },
    },
    `${v.dropboxApiUrl}/oauth2/token`,
  );
  return auth === undefined ? undefined : { auth, folder: v.dropboxFolder, apiUrl: v.dropboxApiUrl, contentUrl: v.dropboxContentUrl };
}

function googleDrive(v: StorageValues): GoogleDriveConfig | undefined {
  const auth = driveAuth(
    {
      accessToken: v.googledriveAccessToken,
      refresh: { token: v.googledriveRefreshToken, name: settings.googledriveRefreshToken.name },
      clientId: { value: v.googledriveClientId, name: settings.googledriveClientId.name },
      clientSecret: { value: v.googledriveClientSecret, name: settings.googledriveClientSecret.name },
    },
    v.googledriveTokenUrl,
  );
  return auth === undefined ? undefined : { auth, folderId: v.googledriveFolderId, apiUrl: v.googledriveApiUrl };
}

/** The StorageConfig interface above stays hand-written: it is a union assembled from several variables. */
export const storage = composite('Storage and cloud drives', settings, (v, get): StorageConfig => ({
  fileStore: fileStore(v, get(dataDir)),
  remote: { timeoutMs: v.remoteTimeoutMs, partSizeBytes: v.partSizeBytes },
  drives: { dropbox: dropbox(v), googledrive: googleDrive(v) },
}));
