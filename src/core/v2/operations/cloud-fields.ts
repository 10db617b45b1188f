// The fields of the Azure Blob, Google Cloud Storage and OpenStack Swift operations (wire-spec
// 6.1/6.3): which name the place, which are credentials (stored sealed, never shown), and how
// each becomes the process's source/target. Read once at creation (errors name each field) and
// again at start from the stored payload, which no longer holds the credentials.
import type { AzureContainer, CloudSecret, CloudStorage, GcsBucket, SwiftContainer } from '../../remote/cloud-locations.js';
import type { FieldReader } from './fields.js';

type PlaceOf<K extends CloudStorage> = K extends 'azure-blob' ? AzureContainer : K extends 'gcs' ? GcsBucket : SwiftContainer;

export interface CloudOperationFields<K extends CloudStorage> {
  readonly kind: K;
  /** The field naming one object (`blob`, `file`) and the one naming a prefix. */
  readonly object: string;
  readonly prefix: string;
  /** Removed from the payload before it is stored or shown. */
  readonly secretFields: readonly string[];
  /** The place; `allowPrivate` decides whether endpoints may be private addresses. */
  place(fields: FieldReader, allowPrivate: boolean): PlaceOf<K>;
  secret(fields: FieldReader): Extract<CloudSecret, { kind: K }>;
}

const AZURE_ACCOUNT = /^[a-z0-9]{3,24}$/;
const AZURE_CONTAINER = /^(\$root|[a-z0-9](?:[a-z0-9]|-(?=[a-z0-9])){2,62})$/;

const endpointOf = (fields: FieldReader, field: string, allowPrivate: boolean): string | undefined => fields.url(field, allowPrivate)?.toString().replace(/\/$/, '');

export const AZURE_FIELDS: CloudOperationFields<'azure-blob'> = {
  kind: 'azure-blob',
  object: 'blob',
  prefix: 'blob_prefix',
  secretFields: ['storage_access_key', 'sas_token'],
  place(fields, allowPrivate) {
    const account = fields.string('storage_account', { required: true, max: 24 }) ?? '';
    if (account !== '' && !AZURE_ACCOUNT.test(account)) fields.fail('storage_account', 'The storage_account must be the account name: 3 to 24 lowercase letters and digits.');
    const container = fields.string('container', { required: true, max: 63 }) ?? '';
    if (container !== '' && !AZURE_CONTAINER.test(container)) fields.fail('container', 'The container must be a container name: 3 to 63 lowercase letters, digits and single hyphens.');
    const endpoint = endpointOf(fields, 'endpoint', allowPrivate);
    return { account, container, ...(endpoint === undefined ? {} : { endpoint }) };
  },
  secret(fields) {
    const accessKey = fields.string('storage_access_key', { max: 512 });
    const sasToken = fields.string('sas_token', { max: 4096 });
    if (accessKey === undefined && sasToken === undefined) fields.fail('storage_access_key', 'Give storage_access_key (the account key) or sas_token.');
    if (accessKey !== undefined && sasToken !== undefined) fields.fail('sas_token', 'Give either storage_access_key or sas_token, not both.');
    return { kind: 'azure-blob', ...(accessKey === undefined ? {} : { accessKey }), ...(sasToken === undefined ? {} : { sasToken }) };
  },
};

export const GCS_FIELDS: CloudOperationFields<'gcs'> = {
  kind: 'gcs',
  object: 'file',
  prefix: 'file_prefix',
  secretFields: ['private_key'],
  place(fields, allowPrivate) {
    const projectId = fields.string('project_id', { required: true, max: 128 }) ?? '';
    const bucket = fields.string('bucket', { required: true, max: 222 }) ?? '';
    // The Google client library follows redirects and resolves names again on its own, past the
    // address guard: a custom endpoint could send it to an internal address. It is honoured only
    // where the operator lets the server reach private addresses anyway (tests, an on-premises
    // GCS-compatible store); Google's own endpoint needs none.
    if (!allowPrivate && fields.payload.endpoint !== undefined && fields.payload.endpoint !== null && fields.payload.endpoint !== '') {
      fields.fail('endpoint', 'A custom Google Cloud Storage endpoint is accepted only when the operator sets ALLOW_PRIVATE_URLS=true. Leave endpoint out to use storage.googleapis.com.');
    }
    const endpoint = endpointOf(fields, 'endpoint', allowPrivate);
    const tokenUri = endpointOf(fields, 'token_uri', allowPrivate);
    return { projectId, bucket, ...(endpoint === undefined ? {} : { endpoint }), ...(tokenUri === undefined ? {} : { tokenUri }) };
  },
  secret(fields) {
    const clientEmail = fields.string('client_email', { required: true, max: 320 }) ?? '';
    const privateKey = fields.string('private_key', { required: true, max: 16_384 }) ?? '';
    if (privateKey !== '' && !privateKey.includes('PRIVATE KEY')) fields.fail('private_key', 'The private_key must be the PEM key of the service account key file ("-----BEGIN PRIVATE KEY-----...").');
    return { kind: 'gcs', clientEmail, privateKey };
  },
};

export const SWIFT_FIELDS: CloudOperationFields<'swift'> = {
  kind: 'swift',
  object: 'file',
  prefix: 'file_prefix',
  secretFields: ['password'],
  place(fields, allowPrivate) {
    const authUrl = endpointOf(fields, 'auth_url', allowPrivate) ?? (fields.payload.auth_url === undefined || fields.payload.auth_url === null || fields.payload.auth_url === '' ? fields.fail('auth_url', 'The auth_url field is required (the Keystone URL, e.g. https://auth.example.com:5000).') : undefined) ?? '';
    const container = fields.string('container', { required: true, max: 256 }) ?? '';
    if (container.includes('/')) fields.fail('container', 'The container name may not contain "/".');
    const region = fields.string('region', { max: 128 });
    const tenantName = fields.string('tenant_name', { max: 256 });
    return { authUrl, container, ...(region === undefined ? {} : { region }), ...(tenantName === undefined ? {} : { tenantName }) };
  },
  secret(fields) {
    const username = fields.string('username', { required: true, max: 256 }) ?? '';
    const password = fields.string('password', { required: true, max: 1024 }) ?? '';
    return { kind: 'swift', username, password };
  },
};
