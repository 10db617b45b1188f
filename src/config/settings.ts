// Every setting of the server, declared once: its variable, kind, default, range, unit and meaning.
// The Config type, the validation at start and docs/configuration.md's table all come from
// here (`npm run docs:config` regenerates the table). Sections keep the Config's field names;
// those that configure one engine name it.
import { availableParallelism } from 'node:os';
import path from 'node:path';
import { METRICS_KEY_PATTERN, parseTrustProxy } from './access.js';
import { fail } from './error.js';
import { parseSecretsKeys, SECRETS_KEY_RULE } from './secrets-key.js';
import { parseSignedUrls, SIGNED_URLS_RULE } from './signed-urls.js';
import { bool, command, custom, filePath, int, list, oneOf, passthrough, sameAs, secret, text, url, urlText } from './kinds.js';
import { derived, rootSection, section } from './setting.js';
import { dataDir, storage } from './storage.js';
import { telemetry } from './telemetry.js';

export const EMAIL_WITHOUT_SMTP_CHOICES = ['run', 'refuse'] as const;
export const SANDBOX_MODES = ['auto', 'bubblewrap', 'rlimits'] as const;
export type SandboxMode = (typeof SANDBOX_MODES)[number];

/** pino's levels: anything else would make the logger throw after the start, not at it. */
export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** json: one JSON object a line, for collectors; pretty: coloured text for a person at a terminal. */
export const LOG_FORMATS = ['json', 'pretty'] as const;
export type LogFormat = (typeof LOG_FORMATS)[number];

const DAY = 86400;
/** Pools of long-lived tool processes: each instance takes hundreds of MB, so far fewer than conversions. */
const MAX_POOL = 64;

// Settings that others derive their default from, or that appear twice in the Config.
const maxTime = int('MAX_TIME_SECONDS', { default: 18000, min: 1, max: 7 * DAY }, 'Longest conversion (`maxtime`); `timeout` is capped by it.');
const cores = (): number => Math.max(1, availableParallelism());
// The heavy class keeps the variable's old name: its conversions are the ones it was sized for.
const concurrency = int('WORKER_CONCURRENCY', { default: derived('the number of cores', cores), min: 0, max: 256 }, 'Heavy conversions (ffmpeg, LibreOffice, Chromium, calibre, Inkscape, pandoc, fonts, CAD, assimp, `combine`, API v2 imports and exports) one worker runs at once, from their own queue (`0`: this worker takes none, e.g. an image-only worker).');
const lightConcurrency = int('WORKER_LIGHT_CONCURRENCY', { default: derived('4 × the number of cores', () => 4 * cores()), min: 0, max: 1024 }, 'Light conversions (sharp and ImageMagick images, mupdf pages, Ghostscript, archives, potrace) one worker runs at once, from their own queue, so a burst of small images never waits behind a long video. Light jobs spend part of their time on Redis and disk, so more of them than cores keep the CPU busy. `0`: this worker takes none.');
const ghostscript = command('GHOSTSCRIPT_PATH', 'gs', 'Ghostscript, for mode=compress of PDFs, the v2 pdf/a and pdf/x (and PostScript in the vector engine).');
const requestTimeout = int('REQUEST_TIMEOUT_SECONDS', { default: 1800, min: 0, max: 7 * DAY, to: 'ms' }, 'Time a client has to send a whole request, headers and body (`0`: no limit); a slower one is cut off with 408. The answer is not limited: `?wait`, `wait=true` and downloads may take longer. Raise it for very large uploads over slow links.');
const headersTimeout = int('HEADERS_TIMEOUT_SECONDS', { default: 30, min: 1, max: 3600, to: 'ms' }, 'Time a client has to send the headers of a request; not more than `REQUEST_TIMEOUT_SECONDS`.');
const poolOfWorker = derived(`\`${concurrency.name}\``, (get) => get(concurrency));

/** Node refuses headers allowed longer than the whole request. */
function headersWithinRequest(values: { readonly requestTimeoutMs: number; readonly headersTimeoutMs: number }): void {
  const { requestTimeoutMs: request, headersTimeoutMs: headers } = values;
  if (request > 0 && headers > request) fail(headersTimeout.name, `must not be longer than ${requestTimeout.name} (${request / 1000}), got ${headers / 1000}`);
}

const server = section('Server', {
  host: text('HOST', { default: '0.0.0.0' }, 'Address the API listens on.'),
  port: int('PORT', { default: 8080, min: 0, max: 65535 }, 'Port the API listens on (`0`: any free port).'),
  syncPort: int('SYNC_PORT', { default: 0, min: 0, max: 65535 }, 'A second port where every API v2 `GET /v2/jobs/{id}` and `/v2/tasks/{id}` blocks until the job or task has ended, as on CloudConvert\'s sync host (for SDKs such as the Java one that keep only host and port of their sync URL); `0`: no second port.'),
  socketIo: bool('SOCKET_IO', true, 'The API v2 real-time API: a socket.io server on the API\'s own port (path `/socket.io/`) whose clients subscribe to job, task and user channels. Changes of jobs and tasks are published through Redis for it; set the same value on workers. `false`: no socket server, nothing published.'),
  publicUrl: url('PUBLIC_URL', { protocols: ['http:', 'https:'], unset: '(Host header)' }, 'Base URL put into process, upload and download URLs.'),
  absoluteUrls: bool('ABSOLUTE_URLS', false, '`http(s)://host/...` instead of `//host/...` (for clients that prefix `https:` only to scheme-less URLs).'),
  maxBodyBytes: int('MAX_BODY_MB', { default: 64, min: 1, max: 4096, to: 'bytes' }, 'Largest JSON/form body (raw and base64 inputs travel in it), and the most all text fields of one multipart body may hold together once its API key is known (1 MiB before).'),
  requestTimeoutMs: requestTimeout,
  headersTimeoutMs: headersTimeout,
  trustProxy: custom('TRUST_PROXY', { type: '`true`, `false`, or addresses and CIDRs', default: '`false`', parse: (raw, name) => parseTrustProxy(name, raw) }, "Whose `X-Forwarded-For` / `X-Forwarded-Proto` to believe: `true` (any peer; only when nothing else can reach the port), or the proxies' addresses and CIDRs (`10.0.0.0/8,::1`). Behind a proxy set it, or every client shares the proxy's address for the failed-key throttle."),
  unauthenticatedSpoolBytes: int('UNAUTHENTICATED_SPOOL_MB', { default: 256, min: 0, max: 1024 * 1024, to: 'bytes' }, 'File parts that reach `/convert` before the API key (file part first, key in a later field) are spooled to `TEMP_DIR`; all such requests of one API process share this many MiB at a time, beyond which they get 401 "send the API key before the file". `0`: a file before the key is always refused.'),
}, { check: headersWithinRequest });

const keyFailures = section('Failed API keys', {
  limit: int('KEY_FAILURE_LIMIT', { default: 20, min: 0, max: 1_000_000 }, 'After this many unknown API keys from one client address (IPv6: its /64) within the window, every key request from it gets 429 with `Retry-After` until the window ends; counted in Redis, so across all API processes. `0` turns it off.'),
  windowSeconds: int('KEY_FAILURE_WINDOW_SECONDS', { default: 600, min: 1, max: 7 * DAY }, 'The window of `KEY_FAILURE_LIMIT`.'),
});

const redis = rootSection('Redis', {
  // A Redis URL may carry its password (redis://:password@host).
  redisUrl: secret(urlText('REDIS_URL', { protocols: ['redis:', 'rediss:'], unset: '(embedded)' }, 'Redis for records and the queue; without it `npm start` runs its own `redis-server`.')),
  redisCommandTimeoutMs: int('REDIS_COMMAND_TIMEOUT_MS', { default: 5000, min: 100, max: 600_000 }, "A Redis command of the API that has no answer after this long fails its request with 503 and `Retry-After` (a Redis that stopped answering without closing the connection). While Redis is unreachable, requests get that 503 at once; workers wait for Redis instead."),
  redisPrefix: text('REDIS_PREFIX', { default: 'cc', pattern: { test: /^[A-Za-z0-9_-]{1,40}$/, rule: '1 to 40 of A-Z a-z 0-9 _ -' } }, 'Prefix of every key and queue, so deployments can share a Redis.'),
});

const keys = rootSection('API keys and files', {
  dataDir,
  apiKeys: secret(list('API_KEYS', { item: { test: /^[A-Za-z0-9._~-]{8,200}$/, rule: 'keys of 8 to 200 characters from A-Z a-z 0-9 . _ ~ -' }, unset: '(generated)' }, 'The keys of the server; without them (and `KEYS_FILE`) `npm start` generates one and stores it under `DATA_DIR`.')),
  keysFile: filePath('KEYS_FILE', { unset: '(none)' }, 'Keys with their own name, e-mail and limits (see [API v1](api-v1.md#notifications-presets-keys-and-limits)).'),
  presetsFile: filePath('PRESETS_FILE', { unset: '(none)' }, 'Read-only presets for every key.'),
});

const account = section('Account limits (of `API_KEYS`, defaults of `KEYS_FILE`)', {
  maxtimeSeconds: maxTime,
  maxsizeMb: int('MAX_SIZE_MB', { default: 1024, min: 1, max: 1024 * 1024 }, 'Largest input (`maxsize`); larger uploads get 413.'),
  concurrent: int('CONCURRENT', { default: 5, min: 1, max: 10_000 }, 'Conversions one key runs at once in each engine class: its light conversions (images, PDF pages) have slots of their own beside its heavy ones (see Scaling).'),
  minutes: int('MINUTES', { default: 999999, min: 0, max: 2 ** 31 - 1 }, 'Conversion minutes of a key; each finished conversion uses at least one.'),
  rateLimitRequests: int('RATE_LIMIT_REQUESTS', { default: 600, min: 0, max: 1_000_000 }, 'Requests per key per window on the key routes; `0` turns it off.'),
  rateLimitWindowSeconds: int('RATE_LIMIT_WINDOW_SECONDS', { default: 60, min: 1, max: DAY }, 'The window of `RATE_LIMIT_REQUESTS`.'),
});

const queue = section('Queue', {
  requireWorker: bool('REQUIRE_WORKER', true, 'Answer 503 at creation when no worker is alive.'),
  maxDepth: int('MAX_QUEUE_DEPTH', { default: 10_000, min: 1, max: 10_000_000 }, 'Answer 503 at creation when this many conversions already wait.'),
});

const notifications = section('Notifications', {
  callbackAttempts: int('CALLBACK_ATTEMPTS', { default: 5, min: 1, max: 50 }, 'Attempts to deliver a callback.'),
  callbackDelayMs: int('CALLBACK_DELAY_MS', { default: 5000, min: 0, max: 3_600_000 }, 'Delay before the first retry of a callback (it grows with each one).'),
  callbackTimeoutMs: int('CALLBACK_TIMEOUT_SECONDS', { default: 10, min: 1, max: 600, to: 'ms' }, 'A callback not answered in this time counts as failed.'),
  smtpUrl: secret(urlText('SMTP_URL', { protocols: ['smtp:', 'smtps:'], unset: '(none: no e-mail)' }, 'E-mail notification (`smtp(s)://user:pass@host:port`).')),
  mailFrom: text('MAIL_FROM', { default: 'openconvert <noreply@localhost>' }, 'Sender of notification e-mails.'),
  emailWithoutSmtp: oneOf('EMAIL_WITHOUT_SMTP', EMAIL_WITHOUT_SMTP_CHOICES, 'run', '`email=...` on a server without SMTP_URL: `run` converts anyway and the status carries a `notice` that no mail is sent; `refuse` answers 400.'),
  allowAnyEmail: bool('EMAIL_ALLOW_ANY_ADDRESS', false, "`email=<address>` may name any address (else only `email=true`, the key's own), so the server cannot be used to mail strangers."),
});

const input = section('Input', {
  allowPrivateUrls: bool('ALLOW_PRIVATE_URLS', false, 'Let `input=download`, callbacks, S3 endpoints and FTP hosts reach loopback, private and link-local addresses.'),
  downloadTimeoutMs: int('DOWNLOAD_TIMEOUT_SECONDS', { default: 300, min: 1, max: DAY, to: 'ms' }, 'Longest `input=download`.'),
  maxRedirects: int('DOWNLOAD_MAX_REDIRECTS', { default: 5, min: 0, max: 20 }, 'Redirects `input=download` follows.'),
});

const image = section('Images', {
  maxPixels: int('MAX_IMAGE_PIXELS', { default: 268_402_689, min: 1, max: 2 ** 40 }, 'Images with more pixels are refused (decompression bombs); also the most pixels of one rendered PDF page and of each page of an image turned into a PDF.'),
  maxPages: int('IMAGE_MAX_PAGES', { default: 500, min: 1, max: 100_000 }, 'Multi-page images (TIFF pages, GIF and WebP frames) with more pages are refused (one output file or animation frame each).'),
  // Node's own variable, which libuv reads once when the process starts: declared here only so
  // the image engine knows how many threads it shares with every file operation.
  threads: int('UV_THREADPOOL_SIZE', { default: 4, min: 1, max: 1024 }, "Node's worker threads (libuv; Node reads it only when the process starts, so set it in the environment). sharp's image operations and every file operation of the process share them: the image engine runs at most this many minus 2 at once, so reading and writing files never waits behind images. `npm start` and the image set it to 4 × cores + 4 for the light class."),
}, { engine: 'sharp' });

const media = section('Audio and video', {
  ffmpeg: command('FFMPEG_PATH', 'ffmpeg', 'ffmpeg.'),
  ffprobe: command('FFPROBE_PATH', 'ffprobe', 'ffprobe.'),
  allowCommand: bool('FFMPEG_ALLOW_COMMAND', false, 'Allow the raw `command` converter option.'),
  maxDurationSeconds: int('MEDIA_MAX_DURATION_SECONDS', { default: 4 * 3600, min: 1, max: 7 * DAY }, 'Longer audio/video is refused.'),
  maxWidth: int('MEDIA_MAX_WIDTH', { default: 7680, min: 16, max: 65536 }, 'Wider video is refused.'),
  maxHeight: int('MEDIA_MAX_HEIGHT', { default: 4320, min: 16, max: 65536 }, 'Higher video is refused.'),
}, { engine: 'ffmpeg' });

const pdf = section('PDF', {
  mutool: command('MUTOOL_PATH', 'mutool', 'The PDF renderer (MuPDF); it also reads XPS and OpenXPS.'),
  ddjvu: command('DDJVU_PATH', 'ddjvu', 'The DjVu decoder (djvulibre): DjVu pages become a TIFF that mutool turns into a PDF.'),
  djvudump: command('DJVUDUMP_PATH', 'djvudump', "djvulibre's DjVu structure dump: the page count and each page's size, checked before ddjvu decodes."),
  ghostscript,
  qpdf: command('QPDF_PATH', 'qpdf', 'qpdf, for the v2 PDF tools: pdf/encrypt, pdf/decrypt, pdf/split-pages, pdf/extract-pages, pdf/rotate-pages.'),
  ocrmypdf: command('OCRMYPDF_PATH', 'ocrmypdf', 'ocrmypdf (with Tesseract and its language packages, e.g. tesseract-ocr-eng), for pdf/ocr.'),
  pdfaIccProfile: filePath('PDFA_ICC_PROFILE', { default: '/usr/share/color/icc/ghostscript/srgb.icc' }, 'The sRGB ICC profile pdf/a writes as the OutputIntent (shipped with Ghostscript).'),
  pdfxIccProfile: filePath('PDFX_ICC_PROFILE', { default: '/usr/share/color/icc/ghostscript/default_cmyk.icc' }, 'The CMYK output ICC profile pdf/x embeds as the OutputIntent (shipped with Ghostscript: a SWOP-like profile). Ghostscript converts the colours to CMYK with its own default profile, so another profile should describe a similar printing condition.'),
  maxPages: int('PDF_MAX_PAGES', { default: 2000, min: 1, max: 1_000_000 }, 'Longer PDFs and office documents (and longer combined results) are refused.'),
}, { engine: 'mupdf' });

const chromium = section('Website capture', {
  path: command('CHROMIUM_PATH', '/usr/bin/chromium', 'The browser, driven by puppeteer-core.'),
  poolSize: int('CHROMIUM_POOL_SIZE', { default: poolOfWorker, min: 1, max: MAX_POOL }, 'Warm browsers per worker (started with the worker, or on first use: see `WARM_POOLS`).'),
  maxCaptures: int('CHROMIUM_MAX_CAPTURES', { default: 100, min: 1, max: 1_000_000 }, 'A browser is replaced after this many captures.'),
  maxRssBytes: int('CHROMIUM_MAX_RSS_MB', { default: 2048, min: 0, max: 1024 * 1024, to: 'bytes' }, 'A browser whose processes hold more resident memory after a capture is replaced (`0`: no limit).'),
  captureTimeoutMs: int('CHROMIUM_CAPTURE_TIMEOUT_SECONDS', { default: 60, min: 1, max: 3600, to: 'ms' }, 'A capture (load, waits, screenshot or print) taking longer fails.'),
  maxPageHeight: int('CHROMIUM_MAX_PAGE_HEIGHT', { default: 16_384, min: 100, max: 100_000 }, 'Full-page screenshots are cut at this height in pixels.'),
  maxPageBytes: int('CHROMIUM_MAX_PAGE_MB', { default: 100, min: 1, max: 100_000, to: 'bytes' }, 'A page receiving more (all its requests together) fails.'),
  sandbox: bool('CHROMIUM_SANDBOX', true, "Chromium's own sandbox inside the tool sandbox (it needs user namespaces; Docker's default seccomp profile blocks them: allow them or set `false`). Where tools run as root (`SANDBOX_UID=0`) Chromium always runs without it."),
}, { engine: 'chromium' });

const ebook = section('E-books', {
  ebookConvert: command('EBOOK_CONVERT_PATH', 'ebook-convert', "calibre's converter."),
}, { engine: 'calibre' });

const inkscape = command('INKSCAPE_PATH', 'inkscape', 'Inkscape.');

const vector = section('Vector graphics', {
  inkscape,
  ghostscript: sameAs(ghostscript),
}, { engine: 'inkscape' });

const trace = section('Tracing', {
  potrace: command('POTRACE_PATH', 'potrace', 'potrace, for raster → vector tracing.'),
}, { engine: 'potrace' });

// exiftool is no catalog engine (no format pairs): API v2's metadata operations call it directly.
const metadata = section('Metadata (exiftool)', {
  exiftool: command('EXIFTOOL_PATH', 'exiftool', 'exiftool (Debian: libimage-exiftool-perl), for the v2 operations `metadata/write` and `metadata`.'),
});

const fonts = section('Fonts', {
  python: command('FONT_PYTHON', '/usr/bin/python3', 'A Python 3 with the `fontTools`, `brotli`, `fontforge` and `PIL` modules (Debian: python3-fonttools, python3-brotli, python3-fontforge, python3-pil), for font conversions and specimens.'),
}, { engine: 'fonttools' });

const markup = section('Markup documents', {
  pandoc: command('PANDOC_PATH', 'pandoc', 'pandoc, for Markdown, reStructuredText, Org, LaTeX, notebooks and the other markup formats.'),
  python: command('WEASYPRINT_PYTHON', '/usr/bin/python3', 'A Python with the `weasyprint` module (Debian package weasyprint), which lays out the PDF output of markup documents.'),
}, { engine: 'pandoc' });
const cad = section('CAD drawings', {
  python: command('CAD_PYTHON_PATH', '/usr/bin/python3', "The Python that runs Inkscape's DXF importer (with python3-lxml and python3-cssselect): the system one, not a virtualenv's."),
  dxfImporter: filePath('CAD_DXF_IMPORTER', { default: '/usr/share/inkscape/extensions/dxf_input.py' }, "Inkscape's DXF importer (DXF → SVG), shipped with Inkscape."),
  inkscape: sameAs(inkscape),
  maxBytes: int('CAD_MAX_FILE_MB', { default: 100, min: 1, max: 100_000, to: 'bytes' }, 'DXF files larger than this are refused before the importer reads them (it holds the whole drawing in memory).'),
}, { engine: 'cad' });

const model = section('3D models', {
  assimp: command('ASSIMP_PATH', 'assimp', "assimp's command line (assimp-utils)."),
  maxVertices: int('MODEL_MAX_VERTICES', { default: 3_000_000, min: 1, max: 1_000_000_000 }, 'Models with more vertices are refused: stl, ply, glb and gltf before assimp reads them (their headers say); other formats are bounded by `TOOL_MEMORY_MB` (assimp needs about 1 KB per vertex: 280 MB for 250 000) and `TOOL_CPU_SECONDS`.'),
}, { engine: 'assimp' });

const moreImages = section('More images', {
  convert: command('IMAGEMAGICK_CONVERT_PATH', 'convert', "ImageMagick 6's convert (bmp, ico, psd, tga, pcx, netpbm, xbm, xpm, exr, hdr, dds, jp2, heif)."),
  identify: command('IMAGEMAGICK_IDENTIFY_PATH', 'identify', "ImageMagick 6's identify (each input's size, read before it is decoded)."),
  cjxl: command('CJXL_PATH', 'cjxl', 'The JPEG XL encoder (libjxl-tools).'),
  djxl: command('DJXL_PATH', 'djxl', 'The JPEG XL decoder (libjxl-tools).'),
  jxlinfo: command('JXLINFO_PATH', 'jxlinfo', 'The JPEG XL header reader (libjxl-tools).'),
  dcrawEmu: command('DCRAW_EMU_PATH', 'dcraw_emu', "LibRaw's developer of camera RAW files (libraw-bin)."),
  rawIdentify: command('RAW_IDENTIFY_PATH', 'raw-identify', "LibRaw's RAW header reader (libraw-bin)."),
  ghostscript: sameAs(ghostscript),
}, { engine: 'imagemagick' });

const archive = section('Archives', {
  maxEntries: int('ARCHIVE_MAX_ENTRIES', { default: 10_000, min: 1, max: 10_000_000 }, 'mode=extract refuses archives with more entries.'),
  maxTotalBytes: int('ARCHIVE_MAX_TOTAL_MB', { default: 4096, min: 1, max: 1024 * 1024, to: 'bytes' }, 'mode=extract refuses archives whose files add up to more.'),
  maxRatio: int('ARCHIVE_MAX_RATIO', { default: 200, min: 2, max: 100_000 }, 'mode=extract refuses entries that expand more times their packed size.'),
}, { engine: 'archive' });

const office = section('Office documents', {
  soffice: command('SOFFICE_PATH', '/usr/lib/libreoffice/program/soffice.bin', "LibreOffice's office binary (not the `soffice` shell wrapper)."),
  python: command('LIBREOFFICE_PYTHON', '/usr/bin/python3', "A Python with LibreOffice's `uno` module."),
  poolSize: int('LIBREOFFICE_POOL_SIZE', { default: poolOfWorker, min: 1, max: MAX_POOL }, 'Running LibreOffice instances per worker (started with the worker, or on first use: see `WARM_POOLS`).'),
  maxConversions: int('LIBREOFFICE_MAX_CONVERSIONS', { default: 200, min: 1, max: 1_000_000 }, 'An instance is replaced after this many documents.'),
  maxRssBytes: int('LIBREOFFICE_MAX_RSS_MB', { default: 1024, min: 0, max: 1024 * 1024, to: 'bytes' }, 'An instance whose processes hold more resident memory after a document is replaced (`0`: no limit).'),
  startTimeoutMs: int('LIBREOFFICE_START_TIMEOUT_SECONDS', { default: 60, min: 1, max: 600, to: 'ms' }, 'How long an instance may take to start.'),
  hangTimeoutMs: int('LIBREOFFICE_HANG_TIMEOUT_SECONDS', { default: 300, min: 1, max: DAY, to: 'ms' }, 'A document taking longer is a hang: its instance is killed.'),
}, { engine: 'libreoffice' });

const toolMemory = int('TOOL_MEMORY_MB', { default: 4096, min: 64, max: 1024 * 1024, to: 'bytes' }, 'Writable memory of each tool process (heap and anonymous mappings) a heavy conversion runs, and of the long-lived pools (LibreOffice, Chromium); over it the conversion fails with a 422 naming this setting.');
// Follows TOOL_MEMORY_MB when that is lower, so a deployment that lowered it does not fail at start.
const lightToolMemory = int('LIGHT_TOOL_MEMORY_MB', { default: derived(`\`1024\`, or \`${toolMemory.name}\` when lower`, (get) => Math.min(1024, get(toolMemory) / 2 ** 20)), min: 64, max: 1024 * 1024, to: 'bytes' }, 'Writable memory of each tool process a light conversion runs (mutool, Ghostscript, 7z/bsdtar, potrace, ImageMagick; sharp runs inside the worker, bounded by `MAX_IMAGE_PIXELS`); over it the conversion fails with a 422 naming this setting. Not above `TOOL_MEMORY_MB`: light conversions run many at once (`WORKER_LIGHT_CONCURRENCY`), so a small limit each is what lets a worker\'s memory hold them all.');

/** The light limit exists to be the smaller one: a larger one would break the sizing of the worker's memory. */
function lightWithinHeavy(values: { readonly memoryBytes: number; readonly lightMemoryBytes: number }): void {
  if (values.lightMemoryBytes > values.memoryBytes) fail(lightToolMemory.name, `must not be above ${toolMemory.name} (${values.memoryBytes / 2 ** 20}), got ${values.lightMemoryBytes / 2 ** 20}`);
}

const sandbox = section('Tool sandbox', {
  mode: oneOf('TOOL_SANDBOX', SANDBOX_MODES, 'auto', 'How external tools are confined (see [security.md](security.md)): `auto` uses bubblewrap where it works, else limits and a separate user only; `bubblewrap` refuses to start without it; `rlimits` never uses namespaces.'),
  bwrap: command('BWRAP_PATH', 'bwrap', 'bubblewrap.'),
  uid: int('SANDBOX_UID', { default: 65534, min: 0, max: 2 ** 31 - 1 }, 'The user tools run as when the worker runs as root (`0` keeps root: not recommended).'),
  gid: int('SANDBOX_GID', { default: 65534, min: 0, max: 2 ** 31 - 1 }, 'The group tools run as when the worker runs as root.'),
  memoryBytes: toolMemory,
  lightMemoryBytes: lightToolMemory,
  heavyNiceness: int('HEAVY_TOOL_NICENESS', { default: 10, min: 0, max: 19 }, 'CPU priority (`nice`) of the tools of heavy conversions (ffmpeg, LibreOffice, Chromium, calibre, Inkscape, pandoc; their pools too): when the cores are busy, light conversions, the API and Redis go first, so small images stay fast beside long encodes, which still get every idle cycle. `0`: the same priority as everything else.'),
  // A tool may keep every core busy for the whole of the longest conversion, not longer.
  cpuSeconds: int('TOOL_CPU_SECONDS', { default: derived(`\`${maxTime.name}\` × cores`, (get) => get(maxTime) * Math.max(1, availableParallelism())), min: 1, max: 365 * DAY }, 'CPU time of each one-shot tool process.'),
  fileSizeBytes: int('TOOL_MAX_FILE_MB', { default: 16384, min: 1, max: 1024 ** 3, to: 'bytes' }, 'Largest file a tool may write.'),
  processes: int('TOOL_MAX_PROCESSES', { default: 4096, min: 16, max: 4_194_304 }, "Processes and threads of the tools' user."),
  locale: passthrough(['LANG', 'LC_ALL', 'LC_CTYPE', 'TZ'], 'The only variables of the worker that tools see (no keys, no Redis URL).'),
}, { check: lightWithinHeavy });

const shutdownGrace = int('SHUTDOWN_GRACE_SECONDS', { default: 30, min: 0, max: DAY, to: 'ms' }, 'On SIGTERM a worker lets running conversions finish this long, then hands them back to the queue.');

/** The hard deadline must leave the running conversions their grace period. */
function deadlineAfterGrace(values: { readonly shutdownGraceMs: number; readonly shutdownTimeoutMs: number }): void {
  if (values.shutdownTimeoutMs < values.shutdownGraceMs) fail('SHUTDOWN_TIMEOUT_SECONDS', `must not be shorter than SHUTDOWN_GRACE_SECONDS (${values.shutdownGraceMs / 1000}), got ${values.shutdownTimeoutMs / 1000}`);
}

/** A worker that takes no class would sit idle while looking alive. */
function someClassTaken(values: { readonly concurrency: number; readonly lightConcurrency: number }): void {
  if (values.concurrency === 0 && values.lightConcurrency === 0) fail(concurrency.name, `and ${lightConcurrency.name} are both 0: the worker would take no conversion; set at least one above 0`);
}

const worker = section('Worker', {
  concurrency,
  lightConcurrency,
  warmPools: bool('WARM_POOLS', true, 'Start every LibreOffice instance and Chromium browser of the pools (`LIBREOFFICE_POOL_SIZE`, `CHROMIUM_POOL_SIZE`) as the worker starts, in the background (it takes jobs at once), so the first documents and a rise in load do not wait for a cold start; a pool whose tool is not installed is skipped. `false`: each starts on first use.'),
  attempts: int('JOB_ATTEMPTS', { default: 3, min: 1, max: 20 }, 'Attempts per conversion when a worker dies (bad input is never retried).'),
  lockDurationMs: int('JOB_LOCK_MS', { default: 30_000, min: 1000, max: 3_600_000 }, "How fast a dead worker's job is taken over: its lock expires after this."),
  stalledIntervalMs: int('JOB_STALLED_INTERVAL_MS', { default: 30_000, min: 500, max: 3_600_000 }, 'How often workers look for jobs whose lock expired.'),
  tempDir: filePath('TEMP_DIR', { default: derived(`\`$${dataDir.name}/tmp\``, (get) => path.join(get(dataDir), 'tmp')) }, 'Job folders of the worker, removed after each job.'),
  shutdownGraceMs: shutdownGrace,
  // Here rather than in its own section so the check below can compare it with the grace period.
  shutdownTimeoutMs: int('SHUTDOWN_TIMEOUT_SECONDS', { default: derived(`\`${shutdownGrace.name}\` + 15`, (get) => get(shutdownGrace) / 1000 + 15), min: 1, max: DAY + 3600, to: 'ms' }, 'Hard deadline after SIGTERM for every entry (API, worker, `npm start`): whatever is still closing then (a slow download, a Redis that is gone, an encode still running) is abandoned and the process ends itself with SIGKILL (exit status 137). Not shorter than `SHUTDOWN_GRACE_SECONDS`; keep the grace period of the orchestrator (compose `stop_grace_period`, Kubernetes `terminationGracePeriodSeconds`) above it.'),
  metricsPort: int('METRICS_PORT', { default: 0, min: 0, max: 65535 }, 'A worker-only process serves `/metrics` and `/healthz` on this port (`0`: none; the image sets `9464`).'),
}, { check: (values) => { deadlineAfterGrace(values); someClassTaken(values); } });

const retention = section('Retention', {
  unstartedSeconds: int('RETENTION_UNSTARTED_SECONDS', { default: 43200, min: 1, max: 30 * DAY }, 'A process never started, or an API v2 upload form never used, expires after this.'),
  finishedSeconds: int('RETENTION_FINISHED_SECONDS', { default: 43200, min: 1, max: 30 * DAY }, 'When the files of a finished process go.'),
  errorSeconds: int('RETENTION_ERROR_SECONDS', { default: 1800, min: 1, max: 30 * DAY }, 'When the files of a failed process go.'),
  savedSeconds: int('RETENTION_SAVED_SECONDS', { default: DAY, min: 1, max: 30 * DAY }, 'When the files of a saved process go.'),
  recordSeconds: int('RETENTION_RECORD_SECONDS', { default: 7 * DAY, min: 60, max: 365 * DAY }, 'How long an ended process stays listable.'),
  sweepIntervalMs: int('SWEEP_INTERVAL_SECONDS', { default: 60, min: 1, max: DAY, to: 'ms' }, 'How often expired files are removed.'),
});

const v2 = section('API v2 extras', {
  commandEnabled: bool('V2_COMMAND_ENABLED', false, 'Allow the `command` operation (ffmpeg, ffprobe, ImageMagick `convert` and `identify` with the client\'s own arguments, in the tool sandbox, reading only `/input` and writing only `/output`). Off, it answers 422.'),
  signedUrls: secret(custom('SIGNED_URLS', { type: SIGNED_URLS_RULE, default: '(none)', parse: parseSignedUrls }, 'Signed-URL bases: `GET /v2/signed-urls/<id>?job=...&s=...` runs the job as `api_key` and redirects to its first export/url file. Also `SIGNED_URLS_FILE`.')),
  signedUrlTimeoutMs: int('SIGNED_URL_TIMEOUT_SECONDS', { default: 300, min: 1, max: DAY, to: 'ms' }, 'Longest a signed URL waits for its job before it answers 504.'),
  signedUrlCacheSeconds: int('SIGNED_URL_CACHE_SECONDS', { default: DAY, min: 1, max: 30 * DAY }, 'How long a signed URL\'s result is reused for the same `cache_key` (not beyond the export\'s own retention).'),
});

const operations = rootSection('Logs and metrics', {
  logLevel: oneOf('LOG_LEVEL', LOG_LEVELS, 'info', 'pino level of the log lines.'),
  logFormat: oneOf('LOG_FORMAT', LOG_FORMATS, 'json', '`json`: one JSON object a line (for log collectors); `pretty`: readable text for a terminal. Secrets are redacted in both.'),
  buildCommit: text('BUILD_COMMIT', { unset: '(none)', pattern: { test: /^[0-9a-f]{7,64}$/i, rule: '7 to 64 hexadecimal digits' } }, 'The source commit of this build, shown by `/version` and the `openconvert_build_info` metric (set it at build time, e.g. from `git rev-parse HEAD`).'),
  metricsKey: secret(text('METRICS_KEY', { unset: '(none: open)', pattern: METRICS_KEY_PATTERN }, 'Operator key for `/metrics` (API and worker) and the details of `/readyz`: `Authorization: Bearer <key>` or `?key=`. Unset, both are open to anyone who can reach the port.')),
});

const protection = rootSection('Queue dashboard and secrets at rest', {
  adminKey: secret(text('ADMIN_KEY', { unset: '(none: no dashboard)', pattern: METRICS_KEY_PATTERN }, 'Operator key of the queue dashboard at `/admin/queues` and of `/admin/pending`: `Authorization: Bearer <key>`, or `?key=` once in a browser (which then keeps a session cookie). Unset, `/admin` answers 404.')),
  adminWrite: bool('ADMIN_WRITE', false, 'Let the dashboard retry, promote and remove notification jobs (callbacks, e-mails). The conversion queue stays read-only: its jobs hold the per-key slots of the fair queue.'),
  secretsKeys: secret(custom('SECRETS_KEY', { type: `comma-separated keys: ${SECRETS_KEY_RULE}`, default: '(`DATA_DIR/secrets-key`, generated)', parse: parseSecretsKeys }, "Seals the S3 and FTP credentials of processes (and the passwords of the v2 PDF tools) in Redis (AES-256-GCM). Unset, each entry uses `DATA_DIR/secrets-key`, created on first start: set it when API and workers do not share `DATA_DIR`. Several keys rotate: the first seals, all open.")),
});

/** The declaration: Config keys of nested sections, in the README's order. */
export const SECTIONS = {
  server, keyFailures, redis, keys, account, queue, notifications, input, image, media, pdf, chromium,
  moreImages, ebook, vector, trace, metadata, fonts, markup, cad, model, archive, office, sandbox, worker, retention, v2, storage, operations, telemetry, protection,
};
