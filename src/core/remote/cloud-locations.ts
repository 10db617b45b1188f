// The object storages API v2 reaches with the user's own credentials besides S3: Azure Blob
// Storage, Google Cloud Storage and OpenStack Swift (wire-spec 6.1/6.3). As for S3, the place
// lives in the process record and the credentials only beside it (sealed, see secrets.ts).

/** The kinds of source/target; `azure-blob` is the task's `import/azure/blob`. */
export const CLOUD_STORAGES = ['azure-blob', 'gcs', 'swift'] as const;
export type CloudStorage = (typeof CLOUD_STORAGES)[number];

export const isCloudStorage = (kind: unknown): kind is CloudStorage => (CLOUD_STORAGES as readonly unknown[]).includes(kind);

/** The names users know, for messages. */
export const CLOUD_STORAGE_NAMES: Readonly<Record<CloudStorage, string>> = { 'azure-blob': 'Azure Blob Storage', gcs: 'Google Cloud Storage', swift: 'OpenStack Swift' };

export interface AzureContainer {
  readonly account: string;
  readonly container: string;
  /** The account's blob service URL when not `https://<account>.blob.core.windows.net` (Azurite, Azure Stack). */
  readonly endpoint?: string;
}

export interface GcsBucket {
  readonly projectId: string;
  readonly bucket: string;
  /** The JSON/upload API base when not Google's (an on-prem or emulated service). */
  readonly endpoint?: string;
  /** Where the service account's JWT is exchanged for a token (the key file's `token_uri`). */
  readonly tokenUri?: string;
}

export interface SwiftContainer {
  /** Keystone's base URL (v3 password auth at `<authUrl>/v3/auth/tokens`). */
  readonly authUrl: string;
  /** Picks the object-store endpoint of the catalog; absent: the first public one. */
  readonly region?: string;
  readonly container: string;
  /** The project the token is scoped to (Keystone v3 calls a tenant a project). */
  readonly tenantName?: string;
}

/** One object to fetch; `name` is the blob name / object name. */
export type CloudInputSource =
  | ({ readonly kind: 'azure-blob'; readonly name: string } & AzureContainer)
  | ({ readonly kind: 'gcs'; readonly name: string } & GcsBucket)
  | ({ readonly kind: 'swift'; readonly name: string } & SwiftContainer);

/** Where outputs go: `name` for a single file, else `prefix` + each file's name (literally, as CloudConvert does). */
export interface CloudObjectNaming {
  readonly name?: string;
  readonly prefix?: string;
}
export type CloudOutputTarget =
  | ({ readonly kind: 'azure-blob' } & CloudObjectNaming & AzureContainer)
  | ({ readonly kind: 'gcs' } & CloudObjectNaming & GcsBucket)
  | ({ readonly kind: 'swift' } & CloudObjectNaming & SwiftContainer);

/** The object name of each output file, in order. */
export function cloudObjectNames(naming: CloudObjectNaming, files: readonly string[]): string[] {
  if (naming.name !== undefined && files.length === 1) return [naming.name];
  return files.map((file) => `${naming.prefix ?? ''}${file}`);
}

/** The user's credentials; Azure takes an account key or a SAS token (one of them). */
export type CloudSecret =
  | { readonly kind: 'azure-blob'; readonly accessKey?: string; readonly sasToken?: string }
  | { readonly kind: 'gcs'; readonly clientEmail: string; readonly privateKey: string }
  | { readonly kind: 'swift'; readonly username: string; readonly password: string };

/** "Azure Blob Storage account a, container c", for messages (never a secret). */
export function describeCloudPlace(place: CloudInputSource | CloudOutputTarget): string {
  switch (place.kind) {
    case 'azure-blob':
      return `Azure Blob Storage account ${place.account}, container ${place.container}`;
    case 'gcs':
      return `Google Cloud Storage bucket ${place.bucket}`;
    case 'swift':
      return `OpenStack Swift container ${place.container} (${new URL(place.authUrl).host})`;
  }
}

/** The secret values of a cloud credential that must never be shown. */
export function cloudSecretValues(secret: CloudSecret): string[] {
  switch (secret.kind) {
    case 'azure-blob':
      return [secret.accessKey ?? '', secret.sasToken ?? '', (secret.sasToken ?? '').replace(/^\?/, '')];
    case 'gcs':
      return [secret.privateKey];
    case 'swift':
      return [secret.password];
  }
}
