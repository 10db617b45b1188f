// The one place that reads process.env: turns the environment into a validated, typed Config.
// A bad value fails at start with a message naming the variable, never later at run time.
import { availableParallelism } from 'node:os';
import path from 'node:path';
import { keyFailureLimits, metricsKey, requestTimeouts, trustProxy, type KeyFailureLimits } from './access.js';
import { loadStorageConfig, type EnvReaders, type StorageConfig } from './storage.js';

export type { KeyFailureLimits } from './access.js';

export interface AccountLimits {
  /** Longest time one conversion may run, in seconds (reported as `maxtime`). */
  readonly maxtimeSeconds: number;
  /** Largest input accepted, in MiB (reported as `maxsize`). */
  readonly maxsizeMb: number;
  /** Conversions one key may run at once (reported as `concurrent`). */
  readonly concurrent: number;
  /** Conversion minutes of the key; each finished conversion uses at least one. */
  readonly minutes: number;
  /** Requests allowed per window on the key-authenticated routes; 0 turns the limit off. */
  readonly rateLimitRequests: number;
  readonly rateLimitWindowSeconds: number;
}

export interface Config {
  readonly server: {
    readonly host: string;
    readonly port: number;
    /** When set, URLs in responses use this host (and its scheme for absolute URLs). */
    readonly publicUrl: URL | undefined;
    /** Emit `http(s)://host/...` instead of protocol-relative `//host/...` URLs. */
    readonly absoluteUrls: boolean;
    /** Largest JSON / form body (raw and base64 inputs travel inside it), in bytes. */
    readonly maxBodyBytes: number;
    /**
     * Time to receive a whole request (headers and body); 0: no limit. It ends when the body has
     * arrived, so long `?wait` answers are not cut; slow uploads stuck half-way are.
     */
    readonly requestTimeoutMs: number;
    /** Time to receive a request's headers. */
    readonly headersTimeoutMs: number;
    /**
     * Which proxies' X-Forwarded-For / -Proto to believe (Fastify's trustProxy): false, true
     * (any), or their addresses and CIDRs. The client address decides the failed-key throttle.
     */
    readonly trustProxy: boolean | string;
    /** Bytes of file parts all requests together may spool to disk before their API key is known. */
    readonly unauthenticatedSpoolBytes: number;
  };
  /** Throttle of failed API-key attempts per client address. */
  readonly keyFailures: KeyFailureLimits;
  /** METRICS_KEY: when set, /metrics (API and worker) and the /readyz details need it; undefined: open. */
  readonly metricsKey: string | undefined;
  /** Undefined means: the `npm start` entry starts an embedded redis-server. */
  readonly redisUrl: string | undefined;
  /** Prefix of every Redis key and BullMQ queue, so several deployments can share one Redis. */
  readonly redisPrefix: string;
  readonly dataDir: string;
  /** Undefined means: the `npm start` entry generates one key and stores it under dataDir. */
  readonly apiKeys: readonly string[] | undefined;
  /** Limits of keys from API_KEYS, and the defaults of keys from KEYS_FILE. */
  readonly account: AccountLimits;
  /** JSON file of keys with their own name, email and limits (see README). */
  readonly keysFile: string | undefined;
  /** JSON file of presets every key can use. */
  readonly presetsFile: string | undefined;
  readonly queue: {
    /** Answer 503 at creation when no worker is alive. */
    readonly requireWorker: boolean;
    /** Answer 503 at creation when this many conversions already wait. */
    readonly maxDepth: number;
  };
  readonly notifications: {
    readonly callbackAttempts: number;
    readonly callbackDelayMs: number;
    readonly callbackTimeoutMs: number;
    /** smtp(s)://user:pass@host:port; undefined turns `email` off. */
    readonly smtpUrl: string | undefined;
    readonly mailFrom: string;
    /** Whether `email=<address>` may name any address; off by default (only `email=true`, the key's own), so the server cannot be used to mail strangers. */
    readonly allowAnyEmail: boolean;
  };
  readonly input: {
    readonly allowPrivateUrls: boolean;
    readonly downloadTimeoutMs: number;
    readonly maxRedirects: number;
  };
  readonly image: {
    /** Decompression-bomb guard: inputs with more pixels than this are refused. */
    readonly maxPixels: number;
    /** Multi-page images (TIFF pages, GIF/WebP frames) with more pages are refused: one output file or frame each. */
    readonly maxPages: number;
  };
  readonly media: {
    readonly ffmpeg: string;
    readonly ffprobe: string;
    /** Whether the raw `command` converter option may run (off by default). */
    readonly allowCommand: boolean;
    readonly maxDurationSeconds: number;
    readonly maxWidth: number;
    readonly maxHeight: number;
  };
  readonly pdf: {
    readonly mutool: string;
    /** Ghostscript, for mode=compress of PDFs. */
    readonly ghostscript: string;
    /** PDFs with more pages are refused. */
    readonly maxPages: number;
  };
  readonly chromium: {
    /** The Chromium binary driven by puppeteer-core. */
    readonly path: string;
    /** Warm browsers per worker. */
    readonly poolSize: number;
    /** A browser is replaced after this many captures. */
    readonly maxCaptures: number;
    /** A browser whose processes hold more resident memory after a capture is replaced; 0: no limit. */
    readonly maxRssBytes: number;
    /** A capture (load, waits, screenshot or print) taking longer is aborted. */
    readonly captureTimeoutMs: number;
    /** Full-page screenshots are cut at this many pixels of height. */
    readonly maxPageHeight: number;
    /** A page receiving more bytes (all its requests together) fails. */
    readonly maxPageBytes: number;
    /** Run Chromium in its sandbox (it needs user namespaces; as root Chromium always runs without). */
    readonly sandbox: boolean;
  };
  readonly ebook: {
    /** calibre's ebook-convert. */
    readonly ebookConvert: string;
  };
  readonly vector: {
    readonly inkscape: string;
    readonly ghostscript: string;
  };
  readonly trace: {
    /** potrace, for raster → vector tracing. */
    readonly potrace: string;
  };
  readonly archive: {
    /** Extraction refuses archives with more entries than this. */
    readonly maxEntries: number;
    /** Extraction refuses archives whose files add up to more than this. */
    readonly maxTotalBytes: number;
    /** Extraction refuses entries that expand more than this many times their packed size. */
    readonly maxRatio: number;
  };
  readonly office: {
    /** soffice.bin of LibreOffice (the office process itself, not the soffice shell wrapper). */
    readonly soffice: string;
    /** A Python with LibreOffice's `uno` module. */
    readonly python: string;
    /** Running LibreOffice instances per worker. */
    readonly poolSize: number;
    /** An instance is replaced after this many conversions. */
    readonly maxConversions: number;
    /** An instance whose processes hold more resident memory after a document is replaced; 0: no limit. */
    readonly maxRssBytes: number;
    readonly startTimeoutMs: number;
    /** One conversion longer than this is a hang: its instance is killed. */
    readonly hangTimeoutMs: number;
  };
  /** The sandbox of every external tool (workers/tools/sandbox). */
  readonly sandbox: {
    /** auto: bubblewrap where namespaces work, else limits only; bubblewrap: required; rlimits: limits only. */
    readonly mode: SandboxMode;
    readonly bwrap: string;
    /** The user and group tools run as when the worker runs as root (0: root, not recommended). */
    readonly uid: number;
    readonly gid: number;
    /** Writable private memory of each tool process. */
    readonly memoryBytes: number;
    /** CPU seconds of each one-shot tool process. */
    readonly cpuSeconds: number;
    /** Largest file a tool may write. */
    readonly fileSizeBytes: number;
    /** Processes and threads of the tools' user. */
    readonly processes: number;
    /** LANG, LC_ALL, LC_CTYPE and TZ of the worker, read once, passed on to tools. */
    readonly locale: Readonly<Record<string, string>>;
  };
  readonly worker: {
    readonly concurrency: number;
    /** Attempts per job; only infrastructure failures (e.g. a worker crash) are retried. */
    readonly attempts: number;
    readonly lockDurationMs: number;
    readonly stalledIntervalMs: number;
    readonly tempDir: string;
    /** SIGTERM lets running conversions finish this long, then hands them back to the queue. */
    readonly shutdownGraceMs: number;
    /** Port of a worker-only process's /healthz and /metrics; 0: none. */
    readonly metricsPort: number;
  };
  readonly retention: {
    /** A process never started expires this long after its creation. */
    readonly unstartedSeconds: number;
    readonly finishedSeconds: number;
    readonly errorSeconds: number;
    readonly savedSeconds: number;
    /** How long a process record stays listable after it ended. */
    readonly recordSeconds: number;
    readonly sweepIntervalMs: number;
  };
  /** The file store (DATA_DIR or S3), user S3/FTP inputs and outputs, cloud drives. */
  readonly storage: StorageConfig;
  readonly logLevel: string;
}

export class ConfigError extends Error {
  constructor(readonly variable: string, problem: string) {
    super(`Invalid configuration: ${variable} ${problem}`);
    this.name = 'ConfigError';
  }
}

type Env = Readonly<Record<string, string | undefined>>;

function read(env: Env, name: string): string | undefined {
  const value = env[name];
  return value === undefined || value.trim() === '' ? undefined : value.trim();
}

function int(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = read(env, name);
  if (raw === undefined) return fallback;
  if (!/^-?\d+$/.test(raw)) throw new ConfigError(name, `must be a whole number, got "${raw}"`);
  const value = Number(raw);
  if (value < min || value > max) throw new ConfigError(name, `must be between ${min} and ${max}, got ${value}`);
  return value;
}

function bool(env: Env, name: string, fallback: boolean): boolean {
  const raw = read(env, name);
  if (raw === undefined) return fallback;
  if (/^(true|1|yes|on)$/i.test(raw)) return true;
  if (/^(false|0|no|off)$/i.test(raw)) return false;
  throw new ConfigError(name, `must be true or false, got "${raw}"`);
}

function url(env: Env, name: string, protocols: readonly string[]): URL | undefined {
  const raw = read(env, name);
  if (raw === undefined) return undefined;
  let parsed: URL;
  try {
    parsed = new URL(raw);
  } catch {
    throw new ConfigError(name, `must be a URL such as ${protocols[0]}//host:port, got "${raw}"`);
  }
  if (!protocols.includes(parsed.protocol)) {
    throw new ConfigError(name, `must use ${protocols.join(' or ')}, got "${parsed.protocol}"`);
  }
  return parsed;
}

function apiKeys(env: Env): string[] | undefined {
  const raw = read(env, 'API_KEYS');
  if (raw === undefined) return undefined;
  const keys = raw.split(',').map((k) => k.trim()).filter((k) => k !== '');
  for (const key of keys) {
    if (!/^[A-Za-z0-9._~-]{8,200}$/.test(key)) {
      throw new ConfigError('API_KEYS', 'must be comma-separated keys of 8 to 200 characters from A-Z a-z 0-9 . _ ~ -');
    }
  }
  return keys.length > 0 ? keys : undefined;
}

/** The readers above, bound to `env`, for the config parts kept in their own files. */
function readersOf(env: Env): EnvReaders {
  return {
    read: (name) => read(env, name),
    int: (name, fallback, min, max) => int(env, name, fallback, min, max),
    bool: (name, fallback) => bool(env, name, fallback),
    url: (name, protocols) => url(env, name, protocols),
    fail: (name, problem) => {
      throw new ConfigError(name, problem);
    },
  };
}

export const SANDBOX_MODES = ['auto', 'bubblewrap', 'rlimits'] as const;
export type SandboxMode = (typeof SANDBOX_MODES)[number];

/** The only variables of the worker's environment that external tools see: no keys, no Redis URL. */
const LOCALE_VARIABLES = ['LANG', 'LC_ALL', 'LC_CTYPE', 'TZ'] as const;

function oneOf<T extends string>(env: Env, name: string, values: readonly T[], fallback: T): T {
  const raw = read(env, name);
  if (raw === undefined) return fallback;
  if (!(values as readonly string[]).includes(raw)) throw new ConfigError(name, `must be one of ${values.join(', ')}, got "${raw}"`);
  return raw as T;
}

function sandbox(env: Env, maxtimeSeconds: number): Config['sandbox'] {
  const cores = Math.max(1, availableParallelism());
  return {
    mode: oneOf(env, 'TOOL_SANDBOX', SANDBOX_MODES, 'auto'),
    bwrap: read(env, 'BWRAP_PATH') ?? 'bwrap',
    uid: int(env, 'SANDBOX_UID', 65534, 0, 2 ** 31 - 1),
    gid: int(env, 'SANDBOX_GID', 65534, 0, 2 ** 31 - 1),
    memoryBytes: int(env, 'TOOL_MEMORY_MB', 4096, 64, 1024 * 1024) * 1024 * 1024,
    // A tool may keep every core busy for the whole of the longest conversion, not longer.
    cpuSeconds: int(env, 'TOOL_CPU_SECONDS', maxtimeSeconds * cores, 1, 365 * 86400),
    fileSizeBytes: int(env, 'TOOL_MAX_FILE_MB', 16384, 1, 1024 * 1024 * 1024) * 1024 * 1024,
    processes: int(env, 'TOOL_MAX_PROCESSES', 4096, 16, 4_194_304),
    locale: Object.fromEntries(LOCALE_VARIABLES.flatMap((name) => (env[name] === undefined ? [] : [[name, env[name]]]))),
  };
}

export function loadConfig(env: Env = process.env, cwd: string = process.cwd()): Config {
  const dataDir = path.resolve(cwd, read(env, 'DATA_DIR') ?? './data');
  const redis = url(env, 'REDIS_URL', ['redis:', 'rediss:']);
  const prefix = read(env, 'REDIS_PREFIX') ?? 'cc';
  if (!/^[A-Za-z0-9_-]{1,40}$/.test(prefix)) throw new ConfigError('REDIS_PREFIX', 'must be 1 to 40 of A-Z a-z 0-9 _ -');
  return {
    server: {
      host: read(env, 'HOST') ?? '0.0.0.0',
      port: int(env, 'PORT', 8080, 0, 65535),
      publicUrl: url(env, 'PUBLIC_URL', ['http:', 'https:']),
      absoluteUrls: bool(env, 'ABSOLUTE_URLS', false),
      maxBodyBytes: int(env, 'MAX_BODY_MB', 64, 1, 4096) * 1024 * 1024,
      ...requestTimeouts(readersOf(env)),
      trustProxy: trustProxy(readersOf(env)),
      unauthenticatedSpoolBytes: int(env, 'UNAUTHENTICATED_SPOOL_MB', 256, 0, 1024 * 1024) * 1024 * 1024,
    },
    keyFailures: keyFailureLimits(readersOf(env)),
    metricsKey: metricsKey(readersOf(env)),
    redisUrl: redis?.toString(),
    redisPrefix: prefix,
    dataDir,
    apiKeys: apiKeys(env),
    account: {
      maxtimeSeconds: int(env, 'MAX_TIME_SECONDS', 18000, 1, 7 * 24 * 3600),
      maxsizeMb: int(env, 'MAX_SIZE_MB', 1024, 1, 1024 * 1024),
      concurrent: int(env, 'CONCURRENT', 5, 1, 10000),
      minutes: int(env, 'MINUTES', 999999, 0, 2 ** 31 - 1),
      rateLimitRequests: int(env, 'RATE_LIMIT_REQUESTS', 600, 0, 1_000_000),
      rateLimitWindowSeconds: int(env, 'RATE_LIMIT_WINDOW_SECONDS', 60, 1, 86400),
    },
    keysFile: read(env, 'KEYS_FILE') === undefined ? undefined : path.resolve(cwd, read(env, 'KEYS_FILE') ?? ''),
    presetsFile: read(env, 'PRESETS_FILE') === undefined ? undefined : path.resolve(cwd, read(env, 'PRESETS_FILE') ?? ''),
    queue: {
      requireWorker: bool(env, 'REQUIRE_WORKER', true),
      maxDepth: int(env, 'MAX_QUEUE_DEPTH', 10000, 1, 10_000_000),
    },
    notifications: {
      callbackAttempts: int(env, 'CALLBACK_ATTEMPTS', 5, 1, 50),
      callbackDelayMs: int(env, 'CALLBACK_DELAY_MS', 5000, 0, 3600_000),
      callbackTimeoutMs: int(env, 'CALLBACK_TIMEOUT_SECONDS', 10, 1, 600) * 1000,
      smtpUrl: url(env, 'SMTP_URL', ['smtp:', 'smtps:'])?.toString(),
      mailFrom: read(env, 'MAIL_FROM') ?? 'openconvert <noreply@localhost>',
      allowAnyEmail: bool(env, 'EMAIL_ALLOW_ANY_ADDRESS', false),
    },
    input: {
      allowPrivateUrls: bool(env, 'ALLOW_PRIVATE_URLS', false),
      downloadTimeoutMs: int(env, 'DOWNLOAD_TIMEOUT_SECONDS', 300, 1, 86400) * 1000,
      maxRedirects: int(env, 'DOWNLOAD_MAX_REDIRECTS', 5, 0, 20),
    },
    image: {
      maxPixels: int(env, 'MAX_IMAGE_PIXELS', 268_402_689, 1, 2 ** 40),
      maxPages: int(env, 'IMAGE_MAX_PAGES', 500, 1, 100_000),
    },
    media: {
      ffmpeg: read(env, 'FFMPEG_PATH') ?? 'ffmpeg',
      ffprobe: read(env, 'FFPROBE_PATH') ?? 'ffprobe',
      allowCommand: bool(env, 'FFMPEG_ALLOW_COMMAND', false),
      maxDurationSeconds: int(env, 'MEDIA_MAX_DURATION_SECONDS', 4 * 3600, 1, 7 * 86400),
      maxWidth: int(env, 'MEDIA_MAX_WIDTH', 7680, 16, 65536),
      maxHeight: int(env, 'MEDIA_MAX_HEIGHT', 4320, 16, 65536),
    },
    pdf: {
      mutool: read(env, 'MUTOOL_PATH') ?? 'mutool',
      ghostscript: read(env, 'GHOSTSCRIPT_PATH') ?? 'gs',
      maxPages: int(env, 'PDF_MAX_PAGES', 2000, 1, 1_000_000),
    },
    chromium: {
      path: read(env, 'CHROMIUM_PATH') ?? '/usr/bin/chromium',
      poolSize: int(env, 'CHROMIUM_POOL_SIZE', int(env, 'WORKER_CONCURRENCY', 2, 1, 256), 1, 64),
      maxCaptures: int(env, 'CHROMIUM_MAX_CAPTURES', 100, 1, 1_000_000),
      maxRssBytes: int(env, 'CHROMIUM_MAX_RSS_MB', 2048, 0, 1024 * 1024) * 1024 * 1024,
      captureTimeoutMs: int(env, 'CHROMIUM_CAPTURE_TIMEOUT_SECONDS', 60, 1, 3600) * 1000,
      maxPageHeight: int(env, 'CHROMIUM_MAX_PAGE_HEIGHT', 16_384, 100, 100_000),
      maxPageBytes: int(env, 'CHROMIUM_MAX_PAGE_MB', 100, 1, 100_000) * 1024 * 1024,
      sandbox: bool(env, 'CHROMIUM_SANDBOX', true),
    },
    ebook: {
      ebookConvert: read(env, 'EBOOK_CONVERT_PATH') ?? 'ebook-convert',
    },
    vector: {
      inkscape: read(env, 'INKSCAPE_PATH') ?? 'inkscape',
      ghostscript: read(env, 'GHOSTSCRIPT_PATH') ?? 'gs',
    },
    trace: {
      potrace: read(env, 'POTRACE_PATH') ?? 'potrace',
    },
    archive: {
      maxEntries: int(env, 'ARCHIVE_MAX_ENTRIES', 10_000, 1, 10_000_000),
      maxTotalBytes: int(env, 'ARCHIVE_MAX_TOTAL_MB', 4096, 1, 1024 * 1024) * 1024 * 1024,
      maxRatio: int(env, 'ARCHIVE_MAX_RATIO', 200, 2, 100_000),
    },
    office: {
      soffice: read(env, 'SOFFICE_PATH') ?? '/usr/lib/libreoffice/program/soffice.bin',
      python: read(env, 'LIBREOFFICE_PYTHON') ?? '/usr/bin/python3',
      poolSize: int(env, 'LIBREOFFICE_POOL_SIZE', int(env, 'WORKER_CONCURRENCY', 2, 1, 256), 1, 64),
      maxConversions: int(env, 'LIBREOFFICE_MAX_CONVERSIONS', 200, 1, 1_000_000),
      maxRssBytes: int(env, 'LIBREOFFICE_MAX_RSS_MB', 1024, 0, 1024 * 1024) * 1024 * 1024,
      startTimeoutMs: int(env, 'LIBREOFFICE_START_TIMEOUT_SECONDS', 60, 1, 600) * 1000,
      hangTimeoutMs: int(env, 'LIBREOFFICE_HANG_TIMEOUT_SECONDS', 300, 1, 86400) * 1000,
    },
    sandbox: sandbox(env, int(env, 'MAX_TIME_SECONDS', 18000, 1, 7 * 24 * 3600)),
    worker: {
      concurrency: int(env, 'WORKER_CONCURRENCY', 2, 1, 256),
      attempts: int(env, 'JOB_ATTEMPTS', 3, 1, 20),
      lockDurationMs: int(env, 'JOB_LOCK_MS', 30000, 1000, 3600_000),
      stalledIntervalMs: int(env, 'JOB_STALLED_INTERVAL_MS', 30000, 500, 3600_000),
      tempDir: path.resolve(cwd, read(env, 'TEMP_DIR') ?? path.join(dataDir, 'tmp')),
      shutdownGraceMs: int(env, 'SHUTDOWN_GRACE_SECONDS', 30, 0, 24 * 3600) * 1000,
      metricsPort: int(env, 'METRICS_PORT', 0, 0, 65535),
    },
    retention: {
      unstartedSeconds: int(env, 'RETENTION_UNSTARTED_SECONDS', 43200, 1, 30 * 86400),
      finishedSeconds: int(env, 'RETENTION_FINISHED_SECONDS', 43200, 1, 30 * 86400),
      errorSeconds: int(env, 'RETENTION_ERROR_SECONDS', 1800, 1, 30 * 86400),
      savedSeconds: int(env, 'RETENTION_SAVED_SECONDS', 86400, 1, 30 * 86400),
      recordSeconds: int(env, 'RETENTION_RECORD_SECONDS', 7 * 86400, 60, 365 * 86400),
      sweepIntervalMs: int(env, 'SWEEP_INTERVAL_SECONDS', 60, 1, 86400) * 1000,
    },
    storage: loadStorageConfig(readersOf(env), dataDir),
    logLevel: read(env, 'LOG_LEVEL') ?? 'info',
  };
}
