// How a process ends: the patches that finish or fail it, with the expiry rules of the wire spec
// (files go 12 h after finishing, 24 h with `save`, 30 min after an error).
import type { Config } from '../../config/index.js';
import { AppError, ERROR_CATALOGUE, type ErrorCode } from '../errors.js';
import type { OutputInfo, ProcessPatch } from './record.js';

export type Retention = Config['retention'];

export const nowSeconds = (): number => Math.floor(Date.now() / 1000);

export function finishedPatch(retention: Retention, save: boolean, result: { output?: OutputInfo; info?: Record<string, unknown>; message?: string; runSeconds?: number }): ProcessPatch {
  const now = nowSeconds();
  return {
    step: 'finished',
    percent: 100,
    message: result.message ?? 'Conversion finished!',
    endTime: now,
    expire: now + (save ? retention.savedSeconds : retention.finishedSeconds),
    output: result.output,
    info: result.info,
    runSeconds: result.runSeconds,
  };
}

export function failedPatch(retention: Retention, code: ErrorCode, message: string): ProcessPatch {
  const now = nowSeconds();
  return { step: 'error', message, errorCode: code, endTime: now, expire: now + retention.errorSeconds };
}

/** The failure patch for any thrown value; unknown errors keep their text out of the status. */
export function failedPatchFor(retention: Retention, error: unknown): ProcessPatch {
  if (error instanceof AppError) return failedPatch(retention, error.code, error.message);
  return failedPatch(retention, 'INTERNAL', ERROR_CATALOGUE.INTERNAL.message);
}

/** How long a record stays once it ended: its files' retention plus the listing retention. */
export const endedRecordTtl = (retention: Retention, patch: ProcessPatch): number =>
  Math.max(1, (patch.expire ?? 0) - nowSeconds()) + retention.recordSeconds;
