// The office engine: documents, spreadsheets and presentations to PDF and between office
// formats, on a warm pool of LibreOffice instances driven through a Python UNO bridge.
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { appError } from '../../../src/core/errors.js';
import type { ConvertRequest, Converter, ConverterContext, OutputFile, PoolWarmer } from '../types.js';
import { buildConvertRequest } from './command.js';
import { assertOfficeInput } from './input-check.js';
import { InstanceFailure } from './instance.js';
import { OfficePool } from './pool.js';
import type { Sandbox } from '../../tools/sandbox/index.js';

export interface OfficeEngineSettings {
  readonly soffice: string;
  readonly python: string;
  readonly poolSize: number;
  readonly maxConversions: number;
  /** An instance holding more resident memory after a conversion is replaced; 0: no limit. */
  readonly maxRssBytes: number;
  readonly startTimeoutMs: number;
  readonly hangTimeoutMs: number;
  /** Every instance runs in it, seeing only its own folder. */
  readonly sandbox: Sandbox;
  /** Documents with more pages are refused (PDF_MAX_PAGES). */
  readonly maxPages: number;
  /** Parent folder of the instances' profiles (a folder of its own is made inside). */
  readonly tempDir: string;
}

export interface OfficeEngine extends Converter<'libreoffice'>, PoolWarmer {
  /** Stops every soffice (also those still starting) and removes every profile folder. */
  close(): Promise<void>;
}

const BRIDGE = fileURLToPath(new URL('./bridge.py', import.meta.url));

function failure(error: unknown): unknown {
  if (error instanceof InstanceFailure) {
    return appError('CONVERSION_FAILED', error.hung ? `${error.message}; the document may be too large or malformed.` : `${error.message} while converting this document; it may be malformed.`);
  }
  return error;
}

export function createOfficeEngine(settings: OfficeEngineSettings): OfficeEngine {
  const pool = new OfficePool({
    soffice: settings.soffice,
    python: settings.python,
    bridgeScript: BRIDGE,
    size: settings.poolSize,
    maxConversions: settings.maxConversions,
    maxRssBytes: settings.maxRssBytes,
    startTimeoutMs: settings.startTimeoutMs,
    hangTimeoutMs: settings.hangTimeoutMs,
    sandbox: settings.sandbox,
    profileRoot: path.join(settings.tempDir, `libreoffice-${process.pid}-${Date.now().toString(36)}`),
  });

  return {
    async convert(request: ConvertRequest<'libreoffice'>, context: ConverterContext): Promise<readonly OutputFile[]> {
      const name = `${request.outputName}.${request.outputFormat}`;
      const output = path.join(request.outputDir, name);
      const payload = (input: string, staged: string) => buildConvertRequest(input, staged, request.inputFormat, request.outputFormat, request.options, settings.maxPages);
      const hadPassword = request.options.password !== null;
      await assertOfficeInput(request.inputPath, request.inputFormat);
      const reply = await pool.run({ input: request.inputPath, output }, payload, context.signal).catch((error: unknown) => Promise.reject(context.signal.aborted ? error : failure(error)));
      if (reply.code === 'too_many_pages') throw appError('CONVERSION_FAILED', `LibreOffice refused the ${request.inputFormat} file: ${reply.error ?? 'too many pages'}.`);
      if (!reply.ok) {
        const hint = hadPassword ? ' Check the password.' : ' If the document is password-protected, give converteroptions[password].';
        throw appError('CONVERSION_FAILED', `LibreOffice could not convert the ${request.inputFormat} file: ${reply.error ?? 'unknown error'}.${hint}`);
      }
      const size = await stat(output).then((s) => s.size, () => 0);
      if (size === 0) throw appError('CONVERSION_FAILED', `LibreOffice wrote no ${request.outputFormat} output for this document.`);
      return [{ path: output, name }];
    },
    warm: () => pool.warm(),
    close: () => pool.close(),
  };
}
