// Unguessable identifiers: 128 random bits, URL-safe. Process, upload and download URLs need no
// API key, so these ids are the capability.
import { randomBytes } from 'node:crypto';

export const newId = (): string => randomBytes(16).toString('base64url');

const ID_PATTERN = /^[A-Za-z0-9_-]{22}$/;
export const isWellFormedId = (value: string): boolean => ID_PATTERN.test(value);
