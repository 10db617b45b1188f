// User-side storage: where a process reads its input and writes its outputs besides this server
// (S3, FTP, the operator's cloud drives), the rules for their paths, and the S3 plumbing.
export * from './locations.js';
export { checkRemotePath, lastSegment, s3Key, targetPaths } from './paths.js';
export { redact, secretValues } from './redact.js';
export { hostKeyMatches, hostKeyProblem, privateKeyProblem } from './sftp.js';
export * from './cloud-locations.js';
export * from './listings.js';
