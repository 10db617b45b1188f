// One capture on a prepared page: load the target under the plan's settings, wait as asked,
// then write the screenshot or the printed PDF. Every step races the capture's abort signal
// (time limit, byte limit, cancel), so an abort ends the capture at once; the pool then closes
// the page's context, which also stops whatever the page was still doing.
import type { HTTPResponse, Page } from 'puppeteer-core';
import { appError, AppError } from '../../../src/core/errors.js';
import { screenshotClip, type CapturePlan, type ImageOutput, type PdfOutput } from './command.js';
import { PROBLEM_HEADER, type GuardProxy } from './network-guard.js';
import { abortable } from '../../tools/abort.js';

export interface CaptureJob {
  /** The page to load (a website, or the guard's URL of an uploaded HTML file). */
  readonly url: string;
  /** How the target is named in messages. */
  readonly shown: string;
  readonly plan: CapturePlan;
  readonly outputPath: string;
  /** Aborts with the reason the capture must stop (an AppError for the limits). */
  readonly signal: AbortSignal;
  /** Tells the engine which phase is running (for the time-limit message). */
  readonly phase: (name: string) => void;
  readonly progress: (percent: number, message: string) => void;
}

export async function capture(page: Page, guard: GuardProxy, job: CaptureJob): Promise<void> {
  // A crashed tab never finishes what it was doing: the crash ends the capture at once.
  let crash: (error: Error) => void = () => undefined;
  const crashed = new Promise<never>((_, reject) => (crash = reject));
  crashed.catch(() => undefined);
  page.once('error', () => crash(appError('CONVERSION_FAILED', `The page ${job.shown} crashed the browser tab; it may be too large or too complex to render.`)));
  const step: Step = (promise) => Promise.race([abortable(promise, job.signal, (late) => void late.catch(() => undefined)), crashed]);
  const { plan } = job;
  // A dialog (alert, confirm) would stop the page's scripts until answered.
  page.on('dialog', (dialog) => void dialog.dismiss().catch(() => undefined));
  if (!plan.javascript) await step(page.setJavaScriptEnabled(false));
  await step(page.setViewport(plan.viewport));
  const naturalMedia = plan.output.kind === 'pdf' ? 'print' : 'screen';
  if (plan.media !== naturalMedia) await step(page.emulateMediaType(plan.media));

  job.phase(`loading the page (wait_until=${plan.waitUntil})`);
  job.progress(10, 'Loading the page');
  const response = await step(page.goto(job.url, { waitUntil: plan.waitUntil, timeout: 0 })).catch((error: unknown) => {
    throw loadFailure(error, guard, job);
  });
  refusedAnswer(response, guard);

  await waitAsAsked(page, job, step);

  job.phase(plan.output.kind === 'pdf' ? 'printing the PDF' : 'taking the screenshot');
  job.progress(70, plan.output.kind === 'pdf' ? 'Printing the page' : 'Taking the screenshot');
  if (plan.output.kind === 'pdf') await step(printPdf(page, plan.output, job.outputPath));
  else await step(screenshot(page, plan, plan.output, job.outputPath));
}

type Step = <T>(promise: Promise<T>) => Promise<T>;

/** wait_for_element, then wait_time. */
async function waitAsAsked(page: Page, job: CaptureJob, step: Step): Promise<void> {
  const { plan } = job;
  if (plan.waitForElement !== undefined) {
    const selector = plan.waitForElement;
    // A string expression (the worker has no DOM types); the selector is a JSON string literal.
    const valid = await step(page.evaluate(`(() => { try { document.createDocumentFragment().querySelector(${JSON.stringify(selector)}); return true; } catch { return false; } })()`));
    if (valid !== true) throw appError('INVALID_OPTION', `Invalid converter option wait_for_element = "${selector}": it is not a valid CSS selector. Give one such as #content or .chart svg.`);
    job.phase(`waiting for the element ${selector} (wait_for_element)`);
    await step(page.waitForSelector(selector, { timeout: 0 }));
  }
  if (plan.waitTimeMs > 0) {
    job.phase(`waiting ${plan.waitTimeMs} ms (wait_time)`);
    await step(new Promise((resolve) => setTimeout(resolve, plan.waitTimeMs)));
  }
}

async function screenshot(page: Page, plan: CapturePlan, output: ImageOutput, outputPath: string): Promise<void> {
  const options = { path: outputPath, type: output.type, optimizeForSpeed: true, ...(output.quality === undefined ? {} : { quality: output.quality }) } as const;
  if (!output.fullPage) {
    await page.screenshot({ ...options, captureBeyondViewport: false });
    return;
  }
  const scrollHeight = Number(await page.evaluate('Math.max(document.documentElement.scrollHeight, document.body ? document.body.scrollHeight : 0)'));
  await page.screenshot({ ...options, clip: { x: 0, y: 0, ...screenshotClip(plan, output, scrollHeight) }, captureBeyondViewport: true });
}

async function printPdf(page: Page, output: PdfOutput, outputPath: string): Promise<void> {
  const inch = (n: number): string => `${n}in`;
  await page
    .pdf({
      path: outputPath,
      width: inch(output.paperWidth),
      height: inch(output.paperHeight),
      margin: { top: inch(output.margins.top), bottom: inch(output.margins.bottom), left: inch(output.margins.left), right: inch(output.margins.right) },
      printBackground: output.printBackground,
      scale: output.scale,
      pageRanges: output.pageRanges,
      timeout: 0,
    })
    .catch((error: unknown) => {
      if (output.pageRangeGiven && /page range/i.test((error as Error).message)) {
        throw appError('INVALID_OPTION', `Invalid converter option page_range = "${output.pageRanges}": the printed page has fewer pages. Give pages that exist, such as 1.`);
      }
      throw error;
    });
}

/** The guard's refusal or failure behind the answer to the page itself, if it was one. */
function refusedAnswer(response: HTTPResponse | null, guard: GuardProxy): void {
  const problem = guard.problem(response?.headers()[PROBLEM_HEADER]);
  if (problem !== undefined) throw problem.error;
}

/** Why the page could not load: the guard's refusal when there was one, else Chromium's error. */
function loadFailure(error: unknown, guard: GuardProxy, job: CaptureJob): unknown {
  if (job.signal.aborted || error instanceof AppError) return error;
  const last = guard.problems.at(-1);
  if (last !== undefined) return last.error;
  const reason = ((error as Error).message.split('\n')[0] ?? '').replace(/ at \S+$/, '');
  return appError('INPUT_UNAVAILABLE', `The page ${job.shown} could not be loaded: ${reason}. Check the URL and that the site answers.`);
}
