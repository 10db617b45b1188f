// One start of one process. A multipart start may deliver the file before the parameters, so the
// session first takes the file (staged under the process), then the parameters; anything that
// fails releases the claim and removes the staged file, leaving the process startable again.
import { stat } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { MULTI_INPUT_MODES, type Mode } from '../core/catalog/index.js';
import { resolvePlan, type CatalogPlan } from '../core/catalog/resolve.js';
import { appError } from '../core/errors.js';
import { cleanFilename, splitFilename, validateFilename } from '../core/filenames.js';
import { EMAIL_PATTERN } from '../core/accounts.js';
import { assertAllowedHost } from '../core/net/address-guard.js';
import { nowSeconds } from '../core/process/lifecycle.js';
import type { InputFileInfo, InputSource, ProcessPatch, ProcessRecord, RequestTrace } from '../core/process/record.js';
import { storageKeys, type StoredFile } from '../core/storage/file-store.js';
import { MAX_INPUT_FILES, type StartParams } from './params.js';
import { decideMultiInput, decodeBase64, multiInputMode, type StagedPart } from './multi-input.js';
import type { ServiceDeps } from './deps.js';
import { checkOutputRequest, decideStorageInput, secretsOf, secretsTtlSeconds } from './remote-storage.js';

/** What the input method decided: the file info, where the worker finds it, and the step. */
interface InputDecision {
  readonly input: InputFileInfo;
  readonly source: InputSource | undefined;
  readonly message: string;
}

const isMultiInputMode = (mode: Mode): boolean => (MULTI_INPUT_MODES as readonly string[]).includes(mode);

export class StartSession {
  /** File parts of this start, in order (several only for mode=combine / archive). */
  private readonly staged: StagedPart[] = [];
  private done = false;

  constructor(
    private readonly deps: ServiceDeps,
    private readonly record: ProcessRecord,
  ) {}

  get processId(): string {
    return this.record.id;
  }

  private get limits() {
    return this.deps.accounts.get(this.record.owner)?.limits ?? this.deps.config.account;
  }

  private get maxBytes(): number {
    return this.limits.maxsizeMb * 1024 * 1024;
  }

  /** Stores an uploaded file part as an input (streamed, atomic; all parts together within the size limit). */
  async stageUpload(stream: Readable, filename: string): Promise<StoredFile> {
    const part = this.nextPart(filename);
    const stored = await this.deps.store.put(part.key, stream, { maxBytes: part.room });
    this.staged.push({ filename: part.name, size: stored.size, key: part.key });
    return stored;
  }

  /**
   * Stores a file part already on this machine's disk (spooled before the API key was known) as
   * an input, within the same limits: hard-linked into a local store on the same file system, so
   * its bytes are not written a second time.
   */
  async stageFile(localPath: string, filename: string): Promise<StoredFile> {
    const part = this.nextPart(filename);
    const { size } = await stat(localPath);
    if (size > part.room) throw appError('TOO_LARGE', `The file is larger than the limit of ${part.room} bytes.`);
    const stored = await this.deps.store.putFile(part.key, localPath);
    this.staged.push({ filename: part.name, size: stored.size, key: part.key });
    return stored;
  }

  /** The next file part's checked name, its key, and the bytes left for it under the size limit. */
  private nextPart(filename: string): { name: string; key: string; room: number } {
    const name = validateFilename(filename, 'upload file name');
    const index = this.staged.length;
    if (index >= MAX_INPUT_FILES) throw appError('INVALID_PARAMETER', `At most ${MAX_INPUT_FILES} file parts are accepted in one start.`);
    const used = this.staged.reduce((sum, part) => sum + part.size, 0);
    return { name, key: storageKeys.input(this.record.id, index), room: this.maxBytes - used };
  }

  /**
   * Validates the parameters, records the start and enqueues the conversion; `trace` names the
   * starting request. Answers the record as the start wrote it: the admission may have queued it
   * behind its key's running processes since, so an answer sent now reads it again.
   */
  async commit(params: StartParams, trace?: RequestTrace): Promise<ProcessRecord> {
    const preset = params.preset === undefined ? undefined : await this.deps.presets.get(this.record.owner, params.preset);
    const converteroptions = preset === undefined ? params.converteroptions : { ...preset.converteroptions, ...params.converteroptions };
    const outputformat = params.outputformat ?? this.record.outputFormat ?? preset?.outputformat ?? undefined;
    const several = this.staged.length > 1 || params.files !== undefined;
    const asked = params.mode ?? this.record.mode;
    const mode = several ? multiInputMode(asked, outputformat) : asked;
    // Several inputs may be of any format: the first one's extension says nothing about the rest.
    const firstExt = this.staged[0] === undefined || isMultiInputMode(mode) ? undefined : splitFilename(this.staged[0].filename).ext || undefined;
    const inputformat = params.inputformat ?? this.record.inputFormat ?? firstExt;
    const plan = resolvePlan({ mode, inputformat: inputformat ?? preset?.inputformat ?? undefined, outputformat, converteroptions });
    const callback = params.callback === undefined ? undefined : checkHttpUrl(params.callback, 'callback', this.deps.config.input.allowPrivateUrls).toString();
    const { email, notice } = params.email === undefined ? { email: undefined, notice: undefined } : this.emailAddress(params.email);
    if (plan.mode === 'convert' && plan.engine === 'ffmpeg' && plan.options.command !== null && !this.deps.config.media.allowCommand) {
      throw appError('INVALID_OPTION', 'The converter option command is disabled on this server. Use the other options, or ask the operator to set FFMPEG_ALLOW_COMMAND=true.');
    }
    const output = params.output === undefined ? undefined : checkOutputRequest(params.output, this.deps.config);
    const decision = several ? await this.decideSeveral(params, plan) : await this.decideInput(params, plan);
    const outputName = several && params.filename !== undefined ? splitFilename(validateFilename(params.filename, 'filename')).name : undefined;
    const now = nowSeconds();
    const maxtime = this.limits.maxtimeSeconds;
    await this.deps.secrets.put(this.record.id, secretsOf(params.storageInput ?? params.files?.[0]?.storage, output), secretsTtlSeconds(maxtime));
    const patch: ProcessPatch = {
      started: true,
      mode,
      step: isInStore(decision.source) ? 'wait' : 'input',
      message: decision.message,
      startTime: now,
      expire: now + maxtime,
      plan,
      input: decision.input,
      inputSource: decision.source,
      outputName,
      outputTarget: output?.target,
      save: params.save,
      tag: params.tag,
      callback,
      email,
      ...(notice === undefined ? {} : { notice }),
      timeoutSeconds: params.timeout !== undefined && params.timeout > 0 ? Math.min(params.timeout, maxtime) : maxtime,
      trace,
    };
    const result = await this.deps.repository.updateAndGet(this.record.id, patch, { fromSteps: ['input'] });
    if (!result.ok) throw appError(result.reason === 'missing' ? 'PROCESS_NOT_FOUND' : 'WRONG_STATE');
    this.done = true;
    if (decision.source !== undefined) await this.deps.endings.admit(result.record);
    return result.record;
  }

  /**
   * The address `email` names, if this server may mail it. Without SMTP the conversion still runs
   * (an application that always asks for e-mail must work here) and the status says no notice
   * goes out, unless the operator chose EMAIL_WITHOUT_SMTP=refuse.
   */
  private emailAddress(email: true | string): { email?: string; notice?: string } {
    const { smtpUrl, allowAnyEmail, emailWithoutSmtp } = this.deps.config.notifications;
    if (smtpUrl === undefined) {
      if (emailWithoutSmtp === 'refuse') throw appError('NOT_SUPPORTED_YET', 'E-mail notification is not configured on this server (the operator sets SMTP_URL). Remove the email parameter or use callback.');
      return { notice: 'No e-mail notice will be sent: this server has no SMTP configured (the operator sets SMTP_URL). Use callback to be told when the process ends.' };
    }
    const own = this.deps.accounts.get(this.record.owner)?.email ?? null;
    if (email === true) {
      if (own === null) throw appError('INVALID_PARAMETER', 'email=true needs an e-mail address for this API key, and it has none. Give the address: email=you@example.com.');
      return { email: own };
    }
    if (!EMAIL_PATTERN.test(email) || email.length > 254) throw appError('INVALID_PARAMETER', `The parameter email "${email.slice(0, 80)}" is not an e-mail address. Use email=true or email=you@example.com.`);
    if (!allowAnyEmail && email !== own) throw appError('INVALID_PARAMETER', "This server mails only the API key's own address: use email=true.");
    return { email };
  }

  /** Undoes a start that failed: the claim goes, the staged file goes. */
  async abandon(): Promise<void> {
    if (this.done) return;
    await this.deps.store.deleteFolder(storageKeys.folder(this.record.id)).catch(() => undefined);
    await this.deps.secrets.delete(this.record.id).catch(() => undefined);
    await this.deps.repository.releaseClaim(this.record.id, 'start');
  }

  private decideSeveral(params: StartParams, plan: CatalogPlan): Promise<InputDecision> {
    const allowPrivate = this.deps.config.input.allowPrivateUrls;
    const context = { deps: this.deps, processId: this.record.id, maxBytes: this.maxBytes, plan, checkUrl: (value: string, field: string) => checkHttpUrl(value, field, allowPrivate), nameFromUrl: filenameFromUrl };
    return decideMultiInput(context, params.input, this.staged, params.files);
  }

  private async decideInput(params: StartParams, plan: CatalogPlan): Promise<InputDecision> {
    const fallbackName = `file.${plan.inputFormat}`;
    const part = this.staged[0];
    if (part !== undefined) return { input: describe('upload', part.filename, part.size), source: { kind: 'stored', key: part.key }, message: 'Waiting in queue' };
    if (params.input === 'upload' && isMultiInputMode(plan.mode)) {
      throw appError('MISSING_PARAMETER', `mode=${plan.mode} takes several files: send them as file parts of one multipart POST to the process URL, or list them in files (URLs, or {"file", "filename"} objects with input=raw/base64/s3/ftp).`);
    }
    switch (params.input) {
      case 'upload':
        // SWIFT sends `file: "file:///local/path"` with input=upload: a file string is ignored.
        return { input: { type: 'upload' }, source: undefined, message: 'Waiting for the upload of input files' };
      case 'raw':
      case 'base64': {
        if (params.file === undefined) throw appError('MISSING_PARAMETER', `With input=${params.input}, the parameter file must hold the file's content${params.input === 'base64' ? ', base64-encoded' : ''}.`);
        if (params.filename === undefined) throw appError('MISSING_PARAMETER', `With input=${params.input}, the parameter filename (e.g. ${fallbackName}) is required.`);
        const filename = validateFilename(params.filename, 'filename');
        const content = params.input === 'raw' ? Buffer.from(params.file, 'utf8') : decodeBase64(params.file);
        if (content.length > this.maxBytes) throw appError('TOO_LARGE', `The file is larger than the limit of ${this.maxBytes} bytes.`);
        const stored = await this.deps.store.put(storageKeys.input(this.record.id), Readable.from([content]));
        return { input: describe(params.input, filename, stored.size), source: { kind: 'stored', key: storageKeys.input(this.record.id) }, message: 'Waiting in queue' };
      }
      case 'download': {
        const url = checkDownloadUrl(params.file, this.deps.config.input.allowPrivateUrls);
        const fromUrl = plan.inputFormat === 'website' ? `${url.hostname}.website` : filenameFromUrl(url, fallbackName);
        const filename = params.filename !== undefined ? validateFilename(params.filename, 'filename') : fromUrl;
        return { input: describe('download', filename), source: { kind: 'download', url: url.toString() }, message: 'Preparing process' };
      }
      case 's3':
      case 'ftp':
      case 'sftp':
        if (params.storageInput === undefined) throw appError('MISSING_PARAMETER', `With input=${params.input}, give the storage as input[${params.input}][...].`);
        return decideStorageInput(params.storageInput, params.filename, fallbackName, this.deps.config);
    }
  }
}

/** True when every input is in the file store already: the process waits only for a worker. */
function isInStore(source: InputSource | undefined): boolean {
  if (source === undefined) return false;
  return source.kind === 'many' ? source.files.every((f) => f.source.kind === 'stored') : source.kind === 'stored';
}

function describe(type: InputFileInfo['type'], filename: string, size?: number): InputFileInfo {
  const { name, ext } = splitFilename(filename);
  return size === undefined ? { type, filename, name, ext } : { type, filename, name, ext, size };
}

function checkDownloadUrl(file: string | undefined, allowPrivate: boolean): URL {
  if (file === undefined) throw appError('MISSING_PARAMETER', 'With input=download, the parameter file must be the URL of the input file (http:// or https://).');
  return checkHttpUrl(file, 'file', allowPrivate);
}

/** An http(s) URL without credentials whose host, if an IP literal, passes the address guard. */
function checkHttpUrl(value: string, field: string, allowPrivate: boolean): URL {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw appError('INVALID_PARAMETER', `The parameter ${field} "${value.slice(0, 100)}" is not a URL. Give a full http:// or https:// URL.`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw appError('INVALID_PARAMETER', `The URL scheme ${url.protocol} of ${field} is not allowed. Give an http:// or https:// URL.`);
  }
  if (url.username !== '' || url.password !== '') {
    throw appError('INVALID_PARAMETER', `URLs with credentials (user:password@host) are not accepted in ${field}. Use a signed URL instead.`);
  }
  assertAllowedHost(url.hostname, { allowPrivate });
  return url;
}

function filenameFromUrl(url: URL, fallback: string): string {
  const last = url.pathname.split('/').pop() ?? '';
  let decoded = last;
  try {
    decoded = decodeURIComponent(last);
  } catch {
    // keep the raw segment
  }
  return cleanFilename(decoded, fallback);
}
