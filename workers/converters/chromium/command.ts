// Pure pieces of the website engine: the browser's command line, the page URL a website input
// names, and the capture plan (viewport, waiting, screenshot or print settings) made from the
// typed options. Nothing here touches a browser, the network or the file system.
import { appError } from '../../../src/core/errors.js';
import { assertAllowedHost } from '../../../src/core/net/address-guard.js';
import type { EngineOptions, Format } from '../../../src/core/catalog/index.js';
import type { PAGE_SIZES, WAIT_UNTIL } from '../../../src/core/catalog/engines/website.js';

export type ChromiumOptions = EngineOptions['chromium'];
export type WaitUntil = (typeof WAIT_UNTIL)[number];
type PageSize = (typeof PAGE_SIZES)[number];

/** Paper sizes in millimetres (portrait). */
const PAPER_MM: Readonly<Record<PageSize, readonly [number, number]>> = {
  A0: [841, 1189], A1: [594, 841], A2: [420, 594], A3: [297, 420], A4: [210, 297], A5: [148, 210], A6: [105, 148],
  Letter: [215.9, 279.4], Legal: [215.9, 355.6], Tabloid: [279.4, 431.8], Ledger: [431.8, 279.4],
};

const MM_PER_INCH = 25.4;
/** The longest website URL accepted (the input file holds nothing else). */
export const MAX_URL_LENGTH = 8192;

export interface LaunchSettings {
  readonly userDataDir: string;
  /** Chromium refuses its sandbox as root: --no-sandbox is then always given. */
  readonly asRoot: boolean;
  /** The operator's choice (CHROMIUM_SANDBOX); false gives --no-sandbox for other users too. */
  readonly sandbox: boolean;
}

/**
 * Chromium's arguments (puppeteer adds --remote-debugging-pipe). The browser-wide proxy points
 * at a closed port: only the capture contexts, which get the guard proxy, can reach the network;
 * the resolver rules make sure Chromium itself never resolves a name (the guard does).
 */
export function buildLaunchArgs(settings: LaunchSettings): string[] {
  return [
    '--headless=new',
    ...(settings.asRoot || !settings.sandbox ? ['--no-sandbox'] : []),
    `--user-data-dir=${settings.userDataDir}`,
    '--disable-dev-shm-usage',
    '--disable-gpu',
    '--hide-scrollbars',
    '--mute-audio',
    '--no-first-run',
    '--no-default-browser-check',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--disable-default-apps',
    '--disable-extensions',
    '--disable-breakpad',
    '--disable-domain-reliability',
    '--disable-client-side-phishing-detection',
    '--disable-quic',
    '--deny-permission-prompts',
    '--password-store=basic',
    '--use-mock-keychain',
    '--disable-background-timer-throttling',
    '--disable-backgrounding-occluded-windows',
    '--disable-renderer-backgrounding',
    '--disable-hang-monitor',
    '--disable-ipc-flooding-protection',
    '--font-render-hinting=none',
    '--disable-features=HttpsUpgrades,HttpsFirstBalancedModeAutoEnable,Translate,MediaRouter,OptimizationHints,AutofillServerCommunication,InterestFeedContentSuggestions,DialMediaRouteProvider',
    '--force-webrtc-ip-handling-policy=disable_non_proxied_udp',
    '--proxy-server=http://127.0.0.1:9',
    '--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1',
    'about:blank',
  ];
}

/**
 * Chromium's whole environment: nothing of the worker's (its credentials stay out of reach of a
 * compromised renderer); home, config and cache files live in the browser's profile. Its temp
 * files stay in /tmp: its singleton socket goes there, and a socket path must stay short.
 */
export function buildLaunchEnv(userDataDir: string): Record<string, string> {
  return {
    PATH: '/usr/local/bin:/usr/bin:/bin',
    HOME: userDataDir,
    XDG_CONFIG_HOME: userDataDir,
    XDG_CACHE_HOME: userDataDir,
    LANG: 'C.UTF-8',
  };
}

/**
 * The page a website input names: its file holds the URL. Only http(s) without credentials;
 * an IP-literal host must pass the address guard here (names are checked by the guard proxy).
 */
export function parseWebsiteUrl(text: string, allowPrivate: boolean): URL {
  const value = text.trim();
  if (value === '') throw appError('INVALID_PARAMETER', 'The website input is empty: give the page URL as file (input=url or input=download).');
  if (value.length > MAX_URL_LENGTH) throw appError('INVALID_PARAMETER', `The website URL is longer than ${MAX_URL_LENGTH} characters.`);
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw appError('INVALID_PARAMETER', `The website "${value.slice(0, 100)}" is not a URL. Give a full http:// or https:// URL as file.`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw appError('INVALID_PARAMETER', `The website URL scheme ${url.protocol} is not allowed: only http:// and https:// pages are captured.`);
  }
  if (url.username !== '' || url.password !== '') {
    throw appError('INVALID_PARAMETER', 'Website URLs with credentials (user:password@host) are not accepted.');
  }
  assertAllowedHost(url.hostname, { allowPrivate });
  return url;
}

export interface Viewport {
  /** CSS pixels. */
  readonly width: number;
  readonly height: number;
  readonly deviceScaleFactor: number;
}

export interface ImageOutput {
  readonly kind: 'image';
  readonly type: 'png' | 'jpeg' | 'webp';
  /** jpeg and webp only. */
  readonly quality: number | undefined;
  readonly fullPage: boolean;
  /** Output pixels: a full page is cut at this height. */
  readonly maxHeightPx: number;
}

export interface PdfOutput {
  readonly kind: 'pdf';
  /** Inches, already swapped for landscape. */
  readonly paperWidth: number;
  readonly paperHeight: number;
  readonly margins: { readonly top: number; readonly bottom: number; readonly left: number; readonly right: number };
  readonly printBackground: boolean;
  readonly scale: number;
  /** `1-<max pages>` unless page_range is given. */
  readonly pageRanges: string;
  readonly pageRangeGiven: boolean;
}

export interface CapturePlan {
  readonly viewport: Viewport;
  readonly javascript: boolean;
  readonly media: 'screen' | 'print';
  readonly waitUntil: WaitUntil;
  readonly waitTimeMs: number;
  readonly waitForElement: string | undefined;
  readonly output: ImageOutput | PdfOutput;
}

export interface PlanLimits {
  readonly maxHeightPx: number;
  readonly maxPdfPages: number;
}

const IMAGE_TYPES: Partial<Record<Format, ImageOutput['type']>> = { png: 'png', jpg: 'jpeg', webp: 'webp' };

/**
 * The capture plan for an output format. Options a pair does not show arrive as null and take
 * the defaults of the catalog. For images, zoom scales the content but not the image: the window
 * is screen_width/zoom CSS pixels wide, drawn at zoom device pixels per CSS pixel.
 */
export function planCapture(outputFormat: Format, options: ChromiumOptions, limits: PlanLimits): CapturePlan {
  const zoom = options.zoom ?? 1;
  const loading = {
    javascript: options.javascript ?? true,
    waitUntil: options.wait_until ?? 'load',
    waitTimeMs: options.wait_time ?? 0,
    waitForElement: options.wait_for_element ?? undefined,
  };
  if (outputFormat === 'pdf') {
    const [width, height] = PAPER_MM[options.page_size ?? 'A4'];
    const landscape = options.page_orientation === 'landscape';
    const inches = (mm: number | null): number => round((mm ?? 10) / MM_PER_INCH, 4);
    return {
      viewport: { width: 1024, height: 768, deviceScaleFactor: 1 },
      media: options.print_media_type === false ? 'screen' : 'print',
      ...loading,
      output: {
        kind: 'pdf',
        paperWidth: round((landscape ? height : width) / MM_PER_INCH, 4),
        paperHeight: round((landscape ? width : height) / MM_PER_INCH, 4),
        margins: { top: inches(options.margin_top), bottom: inches(options.margin_bottom), left: inches(options.margin_left), right: inches(options.margin_right) },
        printBackground: options.print_background ?? true,
        scale: zoom,
        pageRanges: options.page_range ?? `1-${limits.maxPdfPages}`,
        pageRangeGiven: options.page_range !== null,
      },
    };
  }
  const type = IMAGE_TYPES[outputFormat];
  if (type === undefined) throw appError('UNSUPPORTED_CONVERSION', `Chromium does not write ${outputFormat} files: choose png, jpg, webp or pdf.`);
  const width = options.screen_width ?? 1024;
  const height = options.screen_height ?? 768;
  return {
    viewport: { width: Math.max(1, Math.round(width / zoom)), height: Math.max(1, Math.round(height / zoom)), deviceScaleFactor: zoom },
    media: options.print_media_type === true ? 'print' : 'screen',
    ...loading,
    output: { kind: 'image', type, quality: type === 'png' ? undefined : (options.quality ?? 85), fullPage: options.fullpage ?? false, maxHeightPx: limits.maxHeightPx },
  };
}

/**
 * The screenshot clip of a page `scrollHeight` CSS pixels tall: the window, or the whole page
 * up to the height limit (in output pixels). Returns CSS pixels.
 */
export function screenshotClip(plan: CapturePlan, output: ImageOutput, scrollHeight: number): { width: number; height: number } {
  const { width, height, deviceScaleFactor } = plan.viewport;
  if (!output.fullPage) return { width, height };
  const maxCss = Math.floor(output.maxHeightPx / deviceScaleFactor);
  return { width, height: Math.max(1, Math.min(Math.max(height, Math.ceil(scrollHeight)), maxCss)) };
}

/**
 * The Content-Type an uploaded HTML file is served with: UTF-8 when it is valid UTF-8 and does
 * not declare its own charset within its first 1024 bytes (as browsers look for it there).
 */
export function htmlContentType(head: string, validUtf8: boolean): string {
  if (/<meta[^>]+charset/i.test(head.slice(0, 1024))) return 'text/html';
  return validUtf8 ? 'text/html; charset=utf-8' : 'text/html';
}

function round(value: number, digits: number): number {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}
