// Records to wire objects: the status object of wire-spec 6.1 and its smaller relatives. A
// success body never contains `error` (the Node client treats any body with it as a failure).
import type { ModeEntry } from '../../core/catalog/mode-entries.js';
import type { Account } from '../../core/accounts.js';
import type { ConversionType } from '../../core/catalog/index.js';
import { optionDefaults } from '../../core/catalog/options.js';
import type { ProcessRecord } from '../../core/process/record.js';
import { httpStatusFor } from '../http-status.js';
import { downloadUrl, processUrl, uploadUrl } from '../../core/process/urls.js';

const pad = (n: number): string => String(n).padStart(2, '0');

/** `YYYY-MM-DD HH:MM:SS` in server-local time, as the v1 API printed dates. */
export function localDateTime(unixSeconds: number): string {
  const d = new Date(unixSeconds * 1000);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}

function outputObject(record: ProcessRecord, absolute: boolean): Record<string, unknown> {
  if (record.step === 'error' || (record.plan?.mode === 'info' && (record.step !== 'finished' || record.output === undefined))) return {};
  if (!record.started) return {};
  const url = downloadUrl(record, absolute);
  const save = record.save ? { save: true } : {};
  const output = record.output;
  if (record.step !== 'finished' || output === undefined) return { url, ...save };
  return {
    url,
    filename: output.filename,
    ext: output.ext,
    ...(output.files === undefined ? {} : { files: output.files }),
    size: output.size,
    downloads: record.filesDeleted === true ? 1 : 0,
    ...save,
    // Where the `output` parameter sent the files: {type, bucket/region or host/port, files}.
    ...(output.storage === undefined ? {} : { storage: { type: output.storage.type, ...output.storage.place, files: output.storage.files, ...(output.storage.ids === undefined ? {} : { ids: output.storage.ids }) } }),
  };
}

/** The status object of GET <process url> and of start responses. */
export function statusObject(record: ProcessRecord, absolute: boolean): Record<string, unknown> {
  const plan = record.plan;
  const waitingForUpload = record.started && record.step === 'input' && record.input?.type === 'upload' && record.inputSource === undefined;
  return {
    id: record.id,
    url: processUrl(record, absolute),
    percent: record.percent,
    message: record.message,
    step: record.step,
    starttime: record.startTime ?? record.createdAt,
    expire: record.expire,
    input: record.input ?? {},
    output: outputObject(record, absolute),
    ...(waitingForUpload ? { upload: { url: uploadUrl(record, absolute) } } : {}),
    ...(plan === undefined ? {} : { converter: { mode: plan.mode, format: plan.outputFormat, type: plan.engine, options: plan.options }, group: plan.group }),
    minutes: record.step === 'finished' ? 1 : 0,
    ...(record.endTime === undefined ? {} : { endtime: record.endTime }),
    ...(record.info === undefined ? {} : { info: record.info }),
    ...(record.notice === undefined ? {} : { notice: record.notice }),
    ...(record.step === 'error' ? { code: httpStatusFor(record.errorCode ?? 'INTERNAL') } : {}),
  };
}

/** The answer to POST /process. */
export function createResponse(record: ProcessRecord, account: Account, absolute: boolean, minutesLeft = account.limits.minutes): Record<string, unknown> {
  return {
    url: processUrl(record, absolute),
    id: record.id,
    host: record.host,
    expires: localDateTime(record.expire),
    maxtime: account.limits.maxtimeSeconds,
    maxsize: account.limits.maxsizeMb,
    concurrent: account.limits.concurrent,
    minutes: minutesLeft,
  };
}

/** GET /user: the key's name, minutes left and limits; `output` lists the operator's linked cloud drives. */
export function userResponse(account: Account, minutesLeft: number, drives: readonly string[] = []): Record<string, unknown> {
  return {
    user: account.name,
    minutes: minutesLeft,
    output: drives,
    maxtime: account.limits.maxtimeSeconds,
    maxsize: account.limits.maxsizeMb,
    concurrent: account.limits.concurrent,
  };
}

/** One element of GET /processes. */
export function listItem(record: ProcessRecord, absolute: boolean): Record<string, unknown> {
  return {
    id: record.id,
    host: record.host,
    step: record.step,
    starttime: localDateTime(record.startTime ?? record.createdAt),
    endtime: record.endTime === undefined ? '0000-00-00 00:00:00' : localDateTime(record.endTime),
    url: processUrl(record, absolute),
  };
}

/** One element of GET /conversiontypes. */
/** A mode's entry: the same fields plus `mode`. */
export function modeEntryItem(entry: ModeEntry): Record<string, unknown> {
  return {
    inputformat: entry.inputformat,
    outputformat: entry.outputformat,
    converter: entry.engine,
    converteroptions: optionDefaults(entry.options),
    group: entry.group,
    note: entry.note,
    mode: entry.mode,
  };
}

export function conversionTypeItem(type: ConversionType): Record<string, unknown> {
  return {
    inputformat: type.inputformat,
    outputformat: type.outputformat,
    converter: type.engine,
    converteroptions: optionDefaults(type.options),
    group: type.group,
    note: type.note,
  };
}
