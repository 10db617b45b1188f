// Failures of the user's S3 bucket as messages that say what went wrong and which parameter to
// fix. Built from S3's error code and our own words; S3's text is shown only for codes not
// known here, and then with every secret cut out.
import { networkReason } from '../net/network-errors.js';
import { AppError, appError } from '../errors.js';
import { redact } from './redact.js';
import { s3ErrorCode, s3HttpStatus } from './s3.js';

export interface S3FailureContext {
  readonly direction: 'input' | 'output';
  readonly bucket: string;
  readonly key: string;
  /** Where the endpoint is, for network failures: host[:port] or "AWS S3 (region)". */
  readonly endpoint: string;
  readonly secrets: readonly string[];
}

function reason(code: string, status: number | undefined, context: S3FailureContext, raw: string): string {
  const field = `${context.direction}[s3]`;
  const needs = context.direction === 'input' ? 's3:GetObject' : 's3:PutObject (and s3:PutObjectAcl for an acl other than private)';
  switch (code) {
    case 'NoSuchKey':
    case 'NotFound':
      return `the object "${context.key}" does not exist in bucket "${context.bucket}". Check the parameter file`;
    case 'NoSuchBucket':
      return `the bucket "${context.bucket}" does not exist. Check ${field}[bucket] (and ${field}[region] or ${field}[endpoint])`;
    case 'InvalidAccessKeyId':
      return `S3 does not know the access key id. Check ${field}[accesskeyid]`;
    case 'SignatureDoesNotMatch':
      return `S3 refused the request signature. Check that ${field}[secretaccesskey] belongs to ${field}[accesskeyid]`;
    case 'ExpiredToken':
    case 'InvalidToken':
    case 'TokenRefreshRequired':
      return `S3 refused the session token (${code}). Send a valid ${field}[sessiontoken]`;
    case 'AccessDenied':
    case 'Forbidden':
    case 'AllAccessDisabled':
      return `S3 denied access to bucket "${context.bucket}" (${code}). The access key needs ${needs} on it`;
    case 'PermanentRedirect':
    case 'AuthorizationHeaderMalformed':
    case 'IllegalLocationConstraintException':
      return `the bucket "${context.bucket}" is in another region. Set ${field}[region] to the bucket's region`;
    case 'AccessControlListNotSupported':
      return `the bucket "${context.bucket}" does not accept ACLs (object ownership is "bucket owner enforced"). Leave ${field}[acl] out or set it to private`;
    case 'InvalidArgument':
      return `S3 refused an argument: ${raw}. Check ${field}[acl] and ${field}[path]`;
  }
  const network = networkReason(code);
  if (network !== undefined) return `could not reach ${context.endpoint}: ${network}. Check ${field}[endpoint] or ${field}[region]`;
  if (status === 403) return `S3 denied access (HTTP 403). The access key needs ${needs} on bucket "${context.bucket}"`;
  if (status === 404) return `S3 answered "not found" (HTTP 404) for bucket "${context.bucket}", object "${context.key}"`;
  return `S3 answered ${code}${status === undefined ? '' : ` (HTTP ${status})`}: ${raw}`;
}

/** An AppError for a failed S3 call on the user's bucket; AppErrors (guard, limits) pass through. */
export function explainS3Error(error: unknown, context: S3FailureContext): AppError {
  if (error instanceof AppError) return error;
  const code = s3ErrorCode(error);
  const raw = redact(error instanceof Error ? error.message : String(error), context.secrets, 200);
  const text = redact(reason(code, s3HttpStatus(error), context, raw), context.secrets, 600);
  return context.direction === 'input'
    ? appError('INPUT_UNAVAILABLE', `Could not read the input file from S3: ${text}.`)
    : appError('OUTPUT_FAILED', `Could not store the output in S3: ${text}.`);
}
