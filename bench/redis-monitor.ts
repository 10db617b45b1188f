// The Redis commands a server sends, read from MONITOR, named so that a reader can tell them
// apart: BullMQ's EVALSHA by script name (ioredis names a script by the SHA-1 of its text), our
// own EVAL scripts by their first line, keys with the process id, tokens and owner replaced.
// Commands that Lua scripts run show up with the source "lua": they are counted as the script's
// inner commands, not as round trips.
import { createHash } from 'node:crypto';
import { once } from 'node:events';
import { createRequire } from 'node:module';
import { connect, type Socket } from 'node:net';
import { Redis } from 'ioredis';

export interface MonitoredCommand {
  /** Seconds since the epoch, as redis-server stamps it. */
  readonly time: number;
  /** "ip:port" of the client connection, or "lua" for a command run by a script. */
  readonly source: string;
  readonly args: readonly string[];
}

export interface Monitor {
  /** Everything seen since `start`, in the order redis-server ran it. */
  readonly seen: readonly MonitoredCommand[];
  /** Sends `ECHO <text>` on a connection of its own; `isMarker` tells its commands apart. */
  mark(text: string): Promise<void>;
  isMarker(command: MonitoredCommand): boolean;
  stop(): Promise<void>;
}

export async function startMonitor(redisUrl: string): Promise<Monitor> {
  const seen: MonitoredCommand[] = [];
  const feed = await openMonitor(redisUrl, (command) => seen.push(command));
  const marker = new Redis(redisUrl);
  // MONITOR's feed comes on another connection: wait until it shows the marker's ECHO.
  const echo = async (text: string): Promise<MonitoredCommand | undefined> => {
    await marker.echo(text);
    const deadline = Date.now() + 2000;
    let found: MonitoredCommand | undefined;
    while ((found = seen.find((c) => c.args[0]?.toLowerCase() === 'echo' && c.args[1] === text)) === undefined && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5));
    return found;
  };
  const markerSource = (await echo('bench:hello'))?.source;
  if (markerSource === undefined) throw new Error('MONITOR did not show the marker connection');
  return {
    seen,
    async mark(text) {
      await echo(text);
    },
    isMarker: (command) => command.source === markerSource,
    async stop() {
      feed.destroy();
      marker.disconnect();
    },
  };
}

/**
 * A raw MONITOR connection. Not ioredis's monitor(): a feed line arriving in the same packet as
 * MONITOR's +OK reaches it before it has switched modes ("Command queue state error").
 */
async function openMonitor(redisUrl: string, onCommand: (command: MonitoredCommand) => void): Promise<Socket> {
  const url = new URL(redisUrl);
  const socket = connect(Number(url.port || 6379), url.hostname);
  await once(socket, 'connect');
  socket.write('MONITOR\r\n');
  let buffered = '';
  let ok = false;
  const ready = new Promise<void>((resolve) => {
    socket.on('data', (chunk: Buffer) => {
      buffered += chunk.toString('latin1');
      let end: number;
      while ((end = buffered.indexOf('\r\n')) >= 0) {
        const line = buffered.slice(0, end);
        buffered = buffered.slice(end + 2);
        if (line === '+OK' && !ok) {
          ok = true;
          resolve();
        } else if (line.startsWith('+')) onCommand(parseMonitorLine(line.slice(1)));
      }
    });
  });
  await ready;
  return socket;
}

/** `1339518083.107412 [0 127.0.0.1:60866] "set" "a \\"b\\"" "c"` (strings escaped as by sdscatrepr). */
export function parseMonitorLine(line: string): MonitoredCommand {
  const time = Number(line.slice(0, line.indexOf(' ')));
  const bracket = /\[(\d+) ([^\]]+)\]/.exec(line);
  const args = [...line.slice(line.indexOf(']') + 1).matchAll(/"((?:[^"\\]|\\.)*)"/g)].map((m) => unescapeRepr(m[1] ?? ''));
  return { time, source: bracket?.[2] ?? '', args };
}

function unescapeRepr(text: string): string {
  return text.replace(/\\(x[0-9a-fA-F]{2}|.)/g, (_, code: string) => {
    if (code.startsWith('x') && code.length === 3) return String.fromCharCode(parseInt(code.slice(1), 16));
    return ({ n: '\n', r: '\r', t: '\t', a: '\x07', b: '\b' } as Record<string, string>)[code] ?? code;
  });
}

/** BullMQ's scripts by the SHA-1 ioredis sends with EVALSHA. */
export function bullScriptNames(): Map<string, string> {
  const require = createRequire(import.meta.url);
  const scripts = require('bullmq/dist/cjs/scripts/index.js') as Record<string, { name: string; content: string }>;
  const names = new Map<string, string>();
  for (const script of Object.values(scripts)) names.set(createHash('sha1').update(script.content).digest('hex'), script.name);
  return names;
}

/** Replaces the ids that differ from run to run, so commands can be counted by shape. */
export function normalizeKey(key: string, ids: ReadonlyMap<string, string>): string {
  let out = key;
  for (const [value, name] of ids) out = out.split(value).join(name);
  // Other 128-bit ids (the upload token, another process) as one name.
  return out.replace(/(?<=:)[A-Za-z0-9_-]{22}(?=$|:)/g, '<token>');
}

/** The first line of a Lua script that says what it does (not a comment, not blank). */
function scriptHeadline(lua: string): string {
  const line = lua.split('\n').map((l) => l.trim()).find((l) => l !== '' && !l.startsWith('--')) ?? '';
  return line.length > 60 ? `${line.slice(0, 57)}...` : line;
}

/** A command's name for counting: `EVALSHA moveToActive`, `EVAL <first line> [first key]`, `HGETALL cc:p:<id>`. */
export function describe(command: MonitoredCommand, scripts: ReadonlyMap<string, string>, ids: ReadonlyMap<string, string>): string {
  const [name = '', ...rest] = command.args;
  const upper = name.toUpperCase();
  if (upper === 'EVALSHA') {
    const keys = Number(rest[1] ?? 0);
    const first = keys > 0 && rest[2] !== undefined ? ` [${normalizeKey(rest[2], ids)}]` : '';
    return `EVALSHA ${scripts.get(rest[0] ?? '') ?? (rest[0] ?? '').slice(0, 8)}${first}`;
  }
  if (upper === 'EVAL') {
    const keys = Number(rest[1] ?? 0);
    const first = keys > 0 && rest[2] !== undefined ? ` [${normalizeKey(rest[2], ids)}]` : '';
    return `EVAL "${scriptHeadline(rest[0] ?? '')}"${first}`;
  }
  if (['MULTI', 'EXEC', 'PING', 'ECHO'].includes(upper) || rest.length === 0) return upper;
  return `${upper} ${normalizeKey(rest[0] ?? '', ids)}`;
}

/** Counts of `items`, most frequent first. */
export function tally(items: readonly string[]): Array<[string, number]> {
  const counts = new Map<string, number>();
  for (const item of items) counts.set(item, (counts.get(item) ?? 0) + 1);
  return [...counts].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
}

/**
 * Round trips among `commands` of one connection: a MULTI ... EXEC block is one (ioredis sends
 * it as one write), every other command is one. Commands that ioredis pipelines without MULTI
 * (Promise.all of several calls) are counted each, which overstates them slightly.
 */
export function roundTrips(commands: readonly MonitoredCommand[]): number {
  let trips = 0;
  let inMulti = false;
  for (const command of commands) {
    const name = (command.args[0] ?? '').toUpperCase();
    if (name === 'MULTI') {
      inMulti = true;
      trips += 1;
    } else if (name === 'EXEC' || name === 'DISCARD') inMulti = false;
    else if (!inMulti) trips += 1;
  }
  return trips;
}
