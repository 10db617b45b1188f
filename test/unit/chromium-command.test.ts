// The pure pieces of the website engine: the launch arguments, the website URL check, the
// capture plan made from the catalog's options, the full-page clip and the HTML charset.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { findConversionType, listConversionTypes, type EngineOptions } from '../../src/core/catalog/index.js';
import { validateOptions } from '../../src/core/catalog/options.js';
import { AppError } from '../../src/core/errors.js';
import { buildLaunchArgs, buildLaunchEnv, htmlContentType, parseWebsiteUrl, planCapture, screenshotClip, type ImageOutput, type PdfOutput } from '../../workers/converters/chromium/command.js';

const LIMITS = { maxHeightPx: 16_384, maxPdfPages: 1000 };

/** The options a converter receives for a pair: the pair's validated values, the others null. */
function optionsFor(input: 'website' | 'html', output: string, raw: Record<string, unknown> = {}): EngineOptions['chromium'] {
  const type = findConversionType(input, output as never);
  assert.ok(type !== undefined && type.engine === 'chromium', `${input} → ${output} is a chromium pair`);
  const all = Object.fromEntries(Object.keys(findConversionType('website', 'png')!.options).concat(Object.keys(findConversionType('website', 'pdf')!.options), ['quality']).map((k) => [k, null]));
  return { ...all, ...validateOptions(type.options, raw, 'test').values } as EngineOptions['chromium'];
}

describe('chromium catalog', () => {
  it('offers website and html to png, jpg, webp and pdf with CloudConvert option names', () => {
    const pairs = listConversionTypes({ inputformat: 'website' }).map((t) => `${t.outputformat}:${t.engine}`);
    assert.deepEqual(pairs.sort(), ['jpg:chromium', 'pdf:chromium', 'png:chromium', 'webp:chromium']);
    for (const output of ['png', 'jpg', 'webp']) assert.equal(findConversionType('html', output as never)?.engine, 'chromium');
    const png = findConversionType('website', 'png')!.options;
    for (const name of ['screen_width', 'screen_height', 'fullpage', 'zoom', 'javascript', 'wait_until', 'wait_time', 'wait_for_element', 'print_media_type']) assert.ok(name in png, name);
    const pdf = findConversionType('website', 'pdf')!.options;
    for (const name of ['page_size', 'page_orientation', 'margin_top', 'margin_bottom', 'margin_left', 'margin_right', 'print_background', 'print_media_type']) assert.ok(name in pdf, name);
  });

  it('validates ranges, enums, booleans and selectors with clear messages', () => {
    const png = findConversionType('website', 'png')!.options;
    assert.throws(() => validateOptions(png, { screen_width: 50 }, 'website to png'), (e: AppError) => e.code === 'INVALID_OPTION' && /screen_width.*100 to 4096/.test(e.message));
    assert.throws(() => validateOptions(png, { wait_time: 60_000 }, 'x'), /wait_time/);
    assert.throws(() => validateOptions(png, { wait_until: 'never' }, 'x'), /one of load, domcontentloaded, networkidle0, networkidle2/);
    assert.equal(validateOptions(png, { javascript: 'off' }, 'x').values.javascript, false);
    assert.equal(validateOptions(png, { javascript: 'on' }, 'x').values.javascript, true);
    assert.equal(validateOptions(png, { wait_for_element: '#main .chart > svg[data-ready="1"]' }, 'x').values.wait_for_element, '#main .chart > svg[data-ready="1"]');
    for (const bad of ['xpath///div', 'div::-p-text(hi)', 'a{color:red}', 'a\nb', 'x'.repeat(201)]) {
      assert.throws(() => validateOptions(png, { wait_for_element: bad }, 'x'), /wait_for_element[\s\S]*CSS selector/, bad);
    }
    const pdf = findConversionType('website', 'pdf')!.options;
    assert.equal(validateOptions(pdf, { page_size: 'letter' }, 'x').values.page_size, 'Letter');
    assert.throws(() => validateOptions(pdf, { page_orientation: 'sideways' }, 'x'), /portrait, landscape/);
    assert.throws(() => validateOptions(pdf, { margin_top: -1 }, 'x'), /margin_top/);
  });
});

describe('planCapture', () => {
  it('sizes the window from screen_width and screen_height, 1024x768 by default', () => {
    const plan = planCapture('png', optionsFor('website', 'png', { screen_width: 800, screen_height: 600 }), LIMITS);
    assert.deepEqual(plan.viewport, { width: 800, height: 600, deviceScaleFactor: 1 });
    assert.deepEqual(plan.output, { kind: 'image', type: 'png', quality: undefined, fullPage: false, maxHeightPx: 16_384 });
    assert.deepEqual(planCapture('png', optionsFor('website', 'png'), LIMITS).viewport, { width: 1024, height: 768, deviceScaleFactor: 1 });
  });

  it('keeps the image size under zoom: fewer CSS pixels drawn larger', () => {
    const plan = planCapture('png', optionsFor('website', 'png', { screen_width: 1000, screen_height: 500, zoom: 2 }), LIMITS);
    assert.deepEqual(plan.viewport, { width: 500, height: 250, deviceScaleFactor: 2 });
    assert.deepEqual(screenshotClip(plan, plan.output as ImageOutput, 250), { width: 500, height: 250 });
  });

  it('gives jpg and webp a quality (85 by default), png none', () => {
    assert.deepEqual([(planCapture('jpg', optionsFor('website', 'jpg'), LIMITS).output as ImageOutput).quality, (planCapture('jpg', optionsFor('website', 'jpg'), LIMITS).output as ImageOutput).type], [85, 'jpeg']);
    assert.equal((planCapture('webp', optionsFor('html', 'webp', { quality: 40 }), LIMITS).output as ImageOutput).quality, 40);
  });

  it('maps javascript, waiting and media', () => {
    const plan = planCapture('png', optionsFor('website', 'png', { javascript: false, wait_until: 'networkidle0', wait_time: 250, wait_for_element: '#ready', print_media_type: true }), LIMITS);
    assert.deepEqual([plan.javascript, plan.waitUntil, plan.waitTimeMs, plan.waitForElement, plan.media], [false, 'networkidle0', 250, '#ready', 'print']);
    const defaults = planCapture('png', optionsFor('website', 'png'), LIMITS);
    assert.deepEqual([defaults.javascript, defaults.waitUntil, defaults.waitTimeMs, defaults.waitForElement, defaults.media], [true, 'load', 0, undefined, 'screen']);
  });

  it('prints A4 portrait with 10 mm margins and backgrounds by default, in print media', () => {
    const plan = planCapture('pdf', optionsFor('website', 'pdf'), LIMITS);
    const output = plan.output as PdfOutput;
    assert.equal(plan.media, 'print');
    assert.deepEqual([output.paperWidth, output.paperHeight], [8.2677, 11.6929]);
    assert.deepEqual(output.margins, { top: 0.3937, bottom: 0.3937, left: 0.3937, right: 0.3937 });
    assert.deepEqual([output.printBackground, output.scale, output.pageRanges, output.pageRangeGiven], [true, 1, '1-1000', false]);
  });

  it('swaps the paper for landscape and maps Letter, margins, zoom, page_range and screen media', () => {
    const output = planCapture('pdf', optionsFor('website', 'pdf', { page_size: 'Letter', page_orientation: 'landscape', margin_top: 25.4, margin_left: 0, zoom: 0.5, page_range: '2-3', print_background: false }), LIMITS).output as PdfOutput;
    assert.deepEqual([output.paperWidth, output.paperHeight], [11, 8.5]);
    assert.deepEqual([output.margins.top, output.margins.left, output.margins.bottom], [1, 0, 0.3937]);
    assert.deepEqual([output.scale, output.pageRanges, output.pageRangeGiven, output.printBackground], [0.5, '2-3', true, false]);
    assert.equal(planCapture('pdf', optionsFor('website', 'pdf', { print_media_type: false }), LIMITS).media, 'screen');
  });

  it('refuses an output it cannot write', () => {
    assert.throws(() => planCapture('gif', optionsFor('website', 'png'), LIMITS), (e: AppError) => e.code === 'UNSUPPORTED_CONVERSION');
  });
});

describe('screenshotClip', () => {
  const plan = planCapture('png', optionsFor('website', 'png', { screen_width: 800, screen_height: 600, fullpage: true }), { maxHeightPx: 5000, maxPdfPages: 1 });
  const output = plan.output as ImageOutput;
  it('covers the whole page, at least the window, at most the height limit', () => {
    assert.deepEqual(screenshotClip(plan, output, 3000), { width: 800, height: 3000 });
    assert.deepEqual(screenshotClip(plan, output, 200), { width: 800, height: 600 });
    assert.deepEqual(screenshotClip(plan, output, 90_000), { width: 800, height: 5000 });
    const window = planCapture('png', optionsFor('website', 'png', { screen_width: 800, screen_height: 600 }), LIMITS);
    assert.deepEqual(screenshotClip(window, window.output as ImageOutput, 3000), { width: 800, height: 600 });
  });
});

describe('parseWebsiteUrl', () => {
  it('accepts http and https pages and trims the file content', () => {
    assert.equal(parseWebsiteUrl('  https://example.com/a?b=1\n', false).href, 'https://example.com/a?b=1');
    assert.equal(parseWebsiteUrl('http://127.0.0.1:8080/', true).host, '127.0.0.1:8080');
  });

  it('refuses other schemes, credentials, private IP literals and junk, naming the problem', () => {
    for (const [text, pattern] of [
      ['file:///etc/passwd', /scheme file: is not allowed/],
      ['chrome://settings', /scheme chrome: is not allowed/],
      ['ftp://example.com/x', /scheme ftp: is not allowed/],
      ['data:text/html,<h1>x</h1>', /scheme data: is not allowed/],
      ['javascript:alert(1)', /scheme javascript: is not allowed/],
      ['https://user:pw@example.com/', /credentials/],
      ['not a url', /is not a URL/],
      ['', /empty/],
    ] as const) {
      assert.throws(() => parseWebsiteUrl(text, true), (e: AppError) => e.code === 'INVALID_PARAMETER' && pattern.test(e.message), text);
    }
    assert.throws(() => parseWebsiteUrl('http://127.0.0.1/', false), (e: AppError) => e.code === 'URL_FORBIDDEN');
    assert.throws(() => parseWebsiteUrl('http://[::1]/', false), (e: AppError) => e.code === 'URL_FORBIDDEN');
    assert.throws(() => parseWebsiteUrl(`https://example.com/${'a'.repeat(9000)}`, false), /longer than/);
  });
});

describe('buildLaunchArgs', () => {
  it('is headless with a profile, without sandbox only as root or when the operator says so, and no direct network', () => {
    const asRoot = buildLaunchArgs({ userDataDir: '/tmp/p1', asRoot: true, sandbox: true });
    assert.ok(asRoot.includes('--headless=new'));
    assert.ok(asRoot.includes('--no-sandbox'));
    assert.ok(asRoot.includes('--user-data-dir=/tmp/p1'));
    assert.ok(asRoot.includes('--disable-dev-shm-usage'));
    assert.ok(asRoot.some((a) => a.startsWith('--proxy-server=')), 'the default context has a dead proxy');
    assert.ok(asRoot.some((a) => a.startsWith('--host-resolver-rules=MAP * ~NOTFOUND')), 'Chromium resolves no name itself');
    assert.ok(asRoot.includes('--force-webrtc-ip-handling-policy=disable_non_proxied_udp'));
    assert.ok(!buildLaunchArgs({ userDataDir: '/tmp/p1', asRoot: false, sandbox: true }).includes('--no-sandbox'));
    assert.ok(buildLaunchArgs({ userDataDir: '/tmp/p1', asRoot: false, sandbox: false }).includes('--no-sandbox'));
  });
});

describe('buildLaunchEnv', () => {
  it('gives Chromium none of the worker\'s environment, and its profile as home', () => {
    const env = buildLaunchEnv('/tmp/profile-1');
    assert.deepEqual(Object.keys(env).sort(), ['HOME', 'LANG', 'PATH', 'XDG_CACHE_HOME', 'XDG_CONFIG_HOME']);
    assert.equal(env['HOME'], '/tmp/profile-1');
  });
});

describe('htmlContentType', () => {
  it('serves valid UTF-8 as UTF-8 unless the page declares its charset', () => {
    assert.equal(htmlContentType('<p>héllo</p>', true), 'text/html; charset=utf-8');
    assert.equal(htmlContentType('<p>h\xe9llo</p>', false), 'text/html');
    assert.equal(htmlContentType('<head><meta charset="windows-1252"></head>', true), 'text/html');
    assert.equal(htmlContentType(`${' '.repeat(2000)}<meta charset="x">`, true), 'text/html; charset=utf-8');
  });
});
