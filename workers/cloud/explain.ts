// Words a storage failure for the task: which storage, which place, what to fix. Secrets are cut
// out of anything the remote side said.
import { appError, AppError } from '../../src/core/errors.js';
import { CLOUD_STORAGE_NAMES, describeCloudPlace, type CloudSecret } from '../../src/core/remote/cloud-locations.js';
import { redact, secretValues } from '../../src/core/remote/redact.js';
import { CloudStoreError, type CloudPlace } from './types.js';

const FIX = {
  'azure-blob': 'Check storage_account and storage_access_key (or sas_token: it must allow read for import, create and write for export, and not be expired).',
  gcs: 'Check client_email and private_key (the service account needs Storage Object Viewer for import, Storage Object Creator for export).',
  swift: 'Check username, password, tenant_name and auth_url.',
} as const;

export function explainCloudError(error: unknown, at: { place: CloudPlace<CloudSecret['kind']>; secret: CloudSecret; who: string; object: string; direction: 'input' | 'output' }): AppError {
  if (error instanceof AppError) return error;
  const code = at.direction === 'input' ? 'INPUT_UNAVAILABLE' : 'OUTPUT_FAILED';
  const name = CLOUD_STORAGE_NAMES[at.place.kind];
  const secrets = secretValues(at.secret);
  const detail = redact(error instanceof CloudStoreError ? error.detail : error instanceof Error ? error.message : String(error), secrets);
  const reason = error instanceof CloudStoreError ? error.reason : 'failed';
  const place = describeCloudPlace(at.place);
  const message =
    reason === 'credentials' ? `${name} refused the credentials for ${at.who}: ${detail}. ${FIX[at.place.kind]}`
    : reason === 'not-found' ? `${place} has no object "${redact(at.object, secrets, 200)}" (or the container/bucket does not exist): ${detail}. Check the name and the container or bucket.`
    : `${place} failed for "${redact(at.object, secrets, 200)}": ${detail}.`;
  return appError(code, message);
}
