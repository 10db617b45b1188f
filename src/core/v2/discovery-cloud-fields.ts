// The fields of the Azure Blob, Google Cloud Storage and OpenStack operations for GET
// /v2/operations (operations/cloud-fields.ts decides what is accepted). Credentials are stored
// sealed and never shown back.
import { MAX_LISTED_OBJECTS } from '../remote/listings.js';

// (TextOption's shape, restated: discovery-fields.ts imports this file.)
interface TextOption {
  readonly name: string;
  readonly type: 'string';
  readonly default: null;
  readonly description: string;
}

const text = (name: string, description: string): TextOption => ({ name, type: 'string', default: null, description });
const FILENAME = text('filename', 'Name of the imported file (a name without folders; default: the object name\'s last segment).');
const SEALED = '(kept sealed, never shown back)';

const AZURE = [
  text('storage_account', 'The storage account name (required).'),
  text('container', 'The container (required).'),
  text('storage_access_key', `The account key; this or sas_token is required ${SEALED}.`),
  text('sas_token', `A shared access signature instead of the account key ${SEALED}.`),
  text('endpoint', 'Extension: the blob service URL of the account when it is not https://<account>.blob.core.windows.net (Azure Stack, Azurite).'),
];
const GCS = [
  text('project_id', 'The Google Cloud project (required).'),
  text('bucket', 'The bucket (required).'),
  text('client_email', 'The service account\'s client_email (required).'),
  text('private_key', `The service account\'s private_key, PEM (required) ${SEALED}.`),
  text('endpoint', 'Extension: the Storage API base URL when it is not Google\'s.'),
  text('token_uri', 'Extension: the OAuth token URI when it is not Google\'s (the key file\'s token_uri).'),
];
const OPENSTACK = [
  text('auth_url', 'The Keystone URL (required), e.g. https://auth.example.com:5000; v3 password auth.'),
  text('username', 'The user name (required).'),
  text('password', `The password (required) ${SEALED}.`),
  text('region', 'The region of the object-store endpoint (default: the first in the catalog).'),
  text('tenant_name', 'The project (tenant) the token is scoped to.'),
  text('container', 'The container (required).'),
];

export const CLOUD_TRANSFER_FIELDS = {
  'import/azure/blob': [...AZURE, text('blob', 'The blob to import (this or blob_prefix is required).'), text('blob_prefix', `Instead of blob: import every object whose name starts with this prefix (at most ${MAX_LISTED_OBJECTS} objects, folder markers skipped); each becomes a file of the task named after its last segment.`), FILENAME],
  'export/azure/blob': [...AZURE, text('blob', 'The blob name of a single file.'), text('blob_prefix', 'A prefix put before each file\'s name (e.g. "results/").')],
  'import/google-cloud-storage': [...GCS, text('file', 'The object to import (this or file_prefix is required).'), text('file_prefix', `Instead of file: import every object whose name starts with this prefix (at most ${MAX_LISTED_OBJECTS} objects, folder markers skipped); each becomes a file of the task named after its last segment.`), FILENAME],
  'export/google-cloud-storage': [...GCS, text('file', 'The object name of a single file.'), text('file_prefix', 'A prefix put before each file\'s name (e.g. "results/").')],
  'import/openstack': [...OPENSTACK, text('file', 'The object to import (this or file_prefix is required).'), text('file_prefix', `Instead of file: import every object whose name starts with this prefix (at most ${MAX_LISTED_OBJECTS} objects, folder markers skipped); each becomes a file of the task named after its last segment.`), FILENAME],
  'export/openstack': [...OPENSTACK, text('file', 'The object name of a single file.'), text('file_prefix', 'A prefix put before each file\'s name (e.g. "results/").')],
} as const satisfies Record<string, readonly TextOption[]>;
