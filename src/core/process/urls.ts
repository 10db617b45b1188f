// The URLs of a process as clients receive them: protocol-relative by default (`//host/...`, as
// CloudConvert sent them), absolute when the operator sets ABSOLUTE_URLS (clients that glue
// "https:" in front only when a URL lacks a scheme).
import type { ProcessRecord } from './record.js';

type UrlParts = Pick<ProcessRecord, 'host' | 'scheme' | 'id' | 'uploadToken' | 'downloadToken'>;

const base = (record: UrlParts, absolute: boolean): string => `${absolute ? `${record.scheme}:` : ''}//${record.host}`;

export const processUrl = (record: UrlParts, absolute: boolean): string => `${base(record, absolute)}/process/${record.id}`;
export const uploadUrl = (record: UrlParts, absolute: boolean): string => `${base(record, absolute)}/upload/~${record.uploadToken}`;
export const downloadUrl = (record: UrlParts, absolute: boolean): string => `${base(record, absolute)}/download/~${record.downloadToken}`;
