// The storage part of the config: where the server keeps its own files (DATA_DIR or an S3
// bucket), limits for the user's S3 and FTP inputs and outputs, and the operator's cloud drive
// accounts. Read by loadConfig through the readers it passes in, so process.env stays there.

/** Readers over the environment, provided by loadConfig; `fail` throws its ConfigError. */
export interface EnvReaders {
  read(name: string): string | undefined;
  int(name: string, fallback: number, min: number, max: number): number;
  bool(name: string, fallback: boolean): boolean;
  url(name: string, protocols: readonly string[]): URL | undefined;
  fail(name: string, problem: string): never;
}

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

const base = (env: EnvReaders, name: string, fallback: string): string => (env.url(name, ['http:', 'https:'])?.toString() ?? fallback).replace(/\/+$/, '');

function s3Credentials(env: EnvReaders): S3Credentials | undefined {
  const accessKeyId = env.read('STORAGE_S3_ACCESS_KEY_ID');
  const secretAccessKey = env.read('STORAGE_S3_SECRET_ACCESS_KEY');
  if (accessKeyId === undefined && secretAccessKey === undefined) return undefined;
  if (accessKeyId === undefined || secretAccessKey === undefined) {
    env.fail(accessKeyId === undefined ? 'STORAGE_S3_ACCESS_KEY_ID' : 'STORAGE_S3_SECRET_ACCESS_KEY', 'must be set together with its partner (or neither, for the AWS default credentials)');
  }
  const sessionToken = env.read('STORAGE_S3_SESSION_TOKEN');
  return sessionToken === undefined ? { accessKeyId, secretAccessKey } : { accessKeyId, secretAccessKey, sessionToken };
}

function fileStore(env: EnvReaders, dataDir: string): FileStoreConfig {
  const raw = env.read('STORAGE_URL');
  if (raw === undefined) return { kind: 'local', dir: dataDir };
  const match = /^s3:\/\/([A-Za-z0-9._-]{3,255})(?:\/(.*))?$/.exec(raw);
  if (match?.[1] === undefined) env.fail('STORAGE_URL', `must be s3://bucket or s3://bucket/prefix, got "${raw}"`);
  const prefix = (match[2] ?? '').replace(/^\/+|\/+$/g, '');
  if (prefix.split('/').some((s) => s === '.' || s === '..' || /[\u0000-\u001f\\]/.test(s)) || prefix.includes('//')) env.fail('STORAGE_URL', `has an invalid prefix "${prefix}"`);
  const endpoint = env.url('STORAGE_S3_ENDPOINT', ['http:', 'https:'])?.toString().replace(/\/+$/, '');
  return {
    kind: 's3',
    bucket: match[1],
    prefix,
    region: env.read('STORAGE_S3_REGION') ?? 'us-east-1',
    endpoint,
    forcePathStyle: env.bool('STORAGE_S3_FORCE_PATH_STYLE', endpoint !== undefined),
    credentials: s3Credentials(env),
    presignedDownloads: env.bool('STORAGE_PRESIGNED_DOWNLOADS', false),
    presignSeconds: env.int('STORAGE_PRESIGN_SECONDS', 300, 10, 7 * 86400),
  };
}

/** `<PREFIX>_ACCESS_TOKEN`, or `<PREFIX>_REFRESH_TOKEN` with the app's id and secret; else undefined. */
function driveAuth(env: EnvReaders, prefix: string, idName: string, secretName: string, tokenUrl: string): DriveAuth | undefined {
  const accessToken = env.read(`${prefix}_ACCESS_TOKEN`);
  const refreshToken = env.read(`${prefix}_REFRESH_TOKEN`);
  if (refreshToken !== undefined) {
    const clientId = env.read(`${prefix}_${idName}`);
    const clientSecret = env.read(`${prefix}_${secretName}`);
    if (clientId === undefined) env.fail(`${prefix}_${idName}`, `is required with ${prefix}_REFRESH_TOKEN`);
    if (clientSecret === undefined) env.fail(`${prefix}_${secretName}`, `is required with ${prefix}_REFRESH_TOKEN`);
    return { kind: 'refresh', refreshToken, clientId, clientSecret, tokenUrl };
  }
  return accessToken === undefined ? undefined : { kind: 'token', accessToken };
}

function dropbox(env: EnvReaders): DropboxConfig | undefined {
  const apiUrl = base(env, 'DROPBOX_API_URL', 'https://api.dropboxapi.com');
  const auth = driveAuth(env, 'DROPBOX', 'APP_KEY', 'APP_SECRET', `${apiUrl}/oauth2/token`);
  if (auth === undefined) return undefined;
  const folder = `/${(env.read('DROPBOX_FOLDER') ?? '/openconvert').replace(/^\/+|\/+$/g, '')}`.replace(/^\/$/, '');
  if (folder.split('/').some((s) => s === '.' || s === '..')) env.fail('DROPBOX_FOLDER', 'must not contain "." or ".." segments');
  return { auth, folder, apiUrl, contentUrl: base(env, 'DROPBOX_CONTENT_URL', 'https://content.dropboxapi.com') };
}

function googleDrive(env: EnvReaders): GoogleDriveConfig | undefined {
  const auth = driveAuth(env, 'GOOGLEDRIVE', 'CLIENT_ID', 'CLIENT_SECRET', base(env, 'GOOGLEDRIVE_TOKEN_URL', 'https://oauth2.googleapis.com/token'));
  if (auth === undefined) return undefined;
  return { auth, folderId: env.read('GOOGLEDRIVE_FOLDER_ID'), apiUrl: base(env, 'GOOGLEDRIVE_API_URL', 'https://www.googleapis.com') };
}

export function loadStorageConfig(env: EnvReaders, dataDir: string): StorageConfig {
  return {
    fileStore: fileStore(env, dataDir),
    remote: {
      timeoutMs: env.int('REMOTE_TIMEOUT_SECONDS', 60, 1, 3600) * 1000,
      partSizeBytes: env.int('S3_PART_SIZE_MB', 8, 5, 5120) * 1024 * 1024,
    },
    drives: { dropbox: dropbox(env), googledrive: googleDrive(env) },
  };
}
