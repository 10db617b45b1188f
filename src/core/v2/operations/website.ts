// capture-website: a page captured by the Chromium engine, like v1's `website` input format. The
// URL goes through the address guard here and again in the engine's proxy.
import { FieldReader } from './fields.js';
import { checkedFilename } from './imports.js';
import { planOrFieldError, processFor } from './processing.js';
import { resolvePlan } from '../../catalog/resolve.js';
import type { OperationHandler } from './types.js';

/** What a capture writes. */
export const CAPTURE_OUTPUTS = ['pdf', 'png', 'jpg'] as const;
const IGNORED = ['operation', 'url', 'output_format', 'filename', 'timeout', 'engine', 'engine_version', 'ignore_error', 'headers', 'name'];

/** v2's page options under the catalog's names. */
function websiteOptions(payload: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const options: Record<string, unknown> = Object.fromEntries(Object.entries(payload).filter(([k]) => !IGNORED.includes(k)));
  if (options.pages !== undefined) options.page_range ??= options.pages;
  if (payload.screen_width === undefined && payload.page_width !== undefined && typeof payload.page_width === 'number' && payload.page_width >= 100) options.screen_width = Math.round(payload.page_width);
  return options;
}

export const captureWebsite: OperationHandler = {
  takesInput: false,
  check(payload, context) {
    const fields = new FieldReader(payload);
    fields.url('url', context.allowPrivateUrls, { required: true });
    const output = fields.oneOf('output_format', CAPTURE_OUTPUTS, { required: true });
    checkedFilename(fields);
    fields.integer('timeout', { min: 1, max: 5 * 3600 });
    if (output !== undefined) planOrFieldError(fields, { mode: 'convert', inputformat: 'website', outputformat: output, converteroptions: websiteOptions(payload) });
    fields.done();
    return { payload };
  },
  start(payload) {
    const url = new URL(String(payload.url));
    const plan = resolvePlan({ mode: 'convert', inputformat: 'website', outputformat: String(payload.output_format).toLowerCase(), converteroptions: websiteOptions(payload) });
    const run = processFor(plan, [{ filename: `${url.hostname}.website`, size: 0, key: 'unused' }], payload);
    if (run.kind !== 'process') return run;
    return { kind: 'process', spec: { ...run.spec, source: { kind: 'download', url: url.toString() }, filename: `${url.hostname}.website` } };
  },
};
