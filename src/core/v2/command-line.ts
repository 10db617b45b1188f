// The `command` operation's arguments (wire spec 6.2): a shell-like string split into argv
// without a shell, checked so a command reads and writes only `/input/...` and `/output/...`,
// and those two prefixes mapped onto the job's real folders. Pure: the API checks a payload
// with it when the task is created, the worker maps the paths when it runs.

export const COMMAND_ENGINES = ['ffmpeg', 'imagemagick', 'graphicsmagick'] as const;
export type CommandEngine = (typeof COMMAND_ENGINES)[number];

/** The commands of each engine this server runs (ImageMagick 6 on Debian: `convert`, `identify`). */
export const COMMANDS_OF = { ffmpeg: ['ffmpeg', 'ffprobe'], imagemagick: ['convert', 'identify'], graphicsmagick: ['gm'] } as const;
export type CommandTool = 'ffmpeg' | 'ffprobe' | 'convert' | 'identify';

/** Longest `arguments` string and most tokens: a command line, not a script. */
export const MAX_ARGUMENTS_LENGTH = 8192;
const MAX_TOKENS = 500;

export class CommandLineError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CommandLineError';
  }
}

/**
 * Splits like a POSIX shell without expansions: blanks separate, '...' is literal, "..." keeps
 * blanks (\" and \\ escape inside), \x outside quotes is x. `;`, `|`, `$(...)` stay plain text.
 */
export function tokenize(line: string): string[] {
  const tokens: string[] = [];
  let current: string | undefined;
  let quote: "'" | '"' | undefined;
  for (let i = 0; i < line.length; i += 1) {
    const c = line[i] as string;
    if (quote === "'") {
      if (c === "'") quote = undefined;
      else current += c;
    } else if (quote === '"') {
      if (c === '"') quote = undefined;
      else if (c === '\\' && (line[i + 1] === '"' || line[i + 1] === '\\')) current += line[++i] as string;
      else current += c;
    } else if (/\s/.test(c)) {
      if (current !== undefined) tokens.push(current);
      current = undefined;
    } else if (c === "'" || c === '"') {
      quote = c;
      current ??= '';
    } else if (c === '\\' && i + 1 < line.length) {
      current = (current ?? '') + (line[++i] as string);
    } else current = (current ?? '') + c;
  }
  if (quote !== undefined) throw new CommandLineError(`arguments has an unterminated ${quote === '"' ? 'double' : 'single'} quote. Close every quote.`);
  if (current !== undefined) tokens.push(current);
  if (tokens.length > MAX_TOKENS) throw new CommandLineError(`arguments has ${tokens.length} words; at most ${MAX_TOKENS}.`);
  return tokens;
}

/** Characters after which a path or protocol may start inside a word (options, filter arguments, tee's `[...]`). */
const SEPARATORS = `\\s=:,;'"[\\]()@<>|`;
/** Where a path may start inside a word: its start, or after a separator of options and filters. */
const PATH_START = new RegExp(`(?:^|[${SEPARATORS}])(\\/[^\\s,;:'"\\]|)]*)`, 'g');
/** A relative path with a folder (`etc/passwd`): tools may start in `/`, where it would name a system file. */
const RELATIVE_PATH = new RegExp(`(?:^|[${SEPARATORS}])([A-Za-z_.~][\\w.~-]*\\/+[A-Za-z_.])`);
/** ffmpeg options and filters that read further commands or files named inside a file, or load libraries. */
const FFMPEG_INDIRECT = /^-(?:filter_script|filter_complex_script|\/)|(?:^|[\s=,;'"[\]])(?:a?movie|ladspa|lv2|frei0r|frei0r_src)\b/;
/** ffmpeg options that write where a file's own data says, or change which protocols and formats open. */
const FFMPEG_OPTIONS = /^-(?:dump_attachment|protocol_whitelist|protocol_blacklist|format_whitelist|codec_whitelist|report)(?::|$)/;
/** Muxers that write further files or network outputs named inside their own arguments. */
const FFMPEG_MUXERS = new Set(['tee', 'segment', 'ssegment', 'stream_segment', 'hls', 'dash', 'fifo', 'image2pipe']);
const ALLOWED_ROOTS = ['/input/', '/output/'];
/** ffmpeg's protocols (`ffmpeg -protocols` of Debian 12's build, and more) and the demuxers that open other files. */
const FFMPEG_PROTOCOLS = 'amqp|async|bluray|cache|concat|concatf|crypto|data|fd|ffrtmpcrypt|ffrtmphttp|file|ftp|gopher|gophers|hls|http|httpproxy|https|icecast|ipfs|ipns|librist|librtmp|libsmbclient|libsrt|libssh|md5|mmsh|mmst|pipe|prompeg|rist|rtmp|rtmpe|rtmps|rtmpt|rtmpte|rtmpts|rtp|rtsp|sctp|sftp|smb|srt|srtp|subfile|tcp|tee|tls|udp|udplite|unix|zmq';
const FFMPEG_PROTOCOL = new RegExp(`(?:^|[${SEPARATORS}])(?:${FFMPEG_PROTOCOLS}):`, 'i');
/** ImageMagick coders that read scripts, text files, other programs or the network. */
const MAGICK_CODERS = 'msl|mvg|text|txt|url|http|https|ftp|file|ephemeral|show|win|x|vid|fd|pipe|inline|pango|ps|eps|epi|pdf|ai|svg|msvg|rsvg|mpeg|delegate|clipboard|scan|print';
const MAGICK_CODER = new RegExp(`(?:^|[${SEPARATORS}])(?:${MAGICK_CODERS}):`, 'i');

/** Why `token` may not be passed to `tool`, or undefined when it may. */
function refusal(token: string, engine: CommandEngine): string | undefined {
  if (/(?:^|[\s/\\=:,;'"[\]])\.\.(?:[/\\\s]|$)/.test(token) || token === '..') return `"${shorten(token)}" leaves its folder through "..". Name files as /input/<task>/<file> and /output/<file>.`;
  if (token.startsWith('|')) return `"${shorten(token)}" starts with "|", which some tools read as a command to run. Name files as /input/<task>/<file> and /output/<file>.`;
  if (token.includes('\\')) return `"${shorten(token)}" holds a backslash; escapes could hide a path from this check. Quote the word instead.`;
  if (token.includes('://')) return `"${shorten(token)}" is a URL. Commands read only their input tasks' files: import the file with an import task instead.`;
  if (token.includes('//')) return `"${shorten(token)}" holds "//"; a doubled slash could hide a path from this check. Write one slash.`;
  for (const match of token.matchAll(PATH_START)) {
    const found = match[1] as string;
    if (!ALLOWED_ROOTS.some((root) => found.startsWith(root))) return `"${shorten(token)}" names ${shorten(found)}, outside /input and /output. Read /input/<task>/<file> and write /output/<file>.`;
  }
  const relative = RELATIVE_PATH.exec(token);
  if (relative !== null) return `"${shorten(token)}" names a relative path (${shorten(relative[1] ?? '')}...). Name files as /input/<task>/<file> and /output/<file>.`;
  if (engine === 'ffmpeg' && FFMPEG_INDIRECT.test(token)) return `"${shorten(token)}" reads filters or files named inside another file, or loads a library (filter scripts, the movie filters, ladspa, lv2, frei0r), which is refused here. Give the filters in the arguments.`;
  if (engine === 'ffmpeg' && FFMPEG_OPTIONS.test(token)) return `"${shorten(token)}" is an ffmpeg option this server sets itself or that writes where a file's data says (-dump_attachment, -report, the protocol and format whitelists), which is refused here.`;
  if (engine === 'ffmpeg' && FFMPEG_MUXERS.has(token)) return `"${shorten(token)}" is an ffmpeg muxer that writes further files or network outputs named in its arguments (tee, segment, hls, dash, fifo), which is refused here. Write one file per output to /output/.`;
  if (engine === 'ffmpeg' && FFMPEG_PROTOCOL.test(token)) return `"${shorten(token)}" names an ffmpeg protocol, which could read outside the job. Use /input/<task>/<file> paths.`;
  if (engine !== 'ffmpeg') {
    if (MAGICK_CODER.test(token)) return `"${shorten(token)}" names an ImageMagick coder that reads scripts, text files or the network. Use /input/<task>/<file> paths.`;
    if (/(?:^|:)@/.test(token)) return `"${shorten(token)}" reads a file through "@", which is refused here. Pass the values directly.`;
  }
  return undefined;
}

function shorten(text: string): string {
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

/** The argv of `arguments`; throws CommandLineError naming the first word that is refused. */
export function checkedArguments(line: string, engine: CommandEngine): string[] {
  const tokens = tokenize(line);
  for (const token of tokens) {
    const reason = refusal(token, engine);
    if (reason !== undefined) throw new CommandLineError(`arguments: ${reason}`);
  }
  return tokens;
}

/** The argv with `/input/` and `/output/` (where a path starts) moved onto the job's folders. */
export function mapPaths(tokens: readonly string[], folders: { readonly input: string; readonly output: string }): string[] {
  return tokens.map((token) => token.replace(PATH_START, (whole: string, found: string) => {
    const lead = whole.slice(0, whole.length - found.length);
    const root = found.startsWith('/input/') ? folders.input : folders.output;
    const rest = found.slice(found.indexOf('/', 1) + 1);
    return `${lead}${root.replace(/\/+$/, '')}/${rest}`;
  }));
}

/** Text of the tool (messages, captured output) with the job's folders shown as /input and /output again. */
export function unmapPaths(text: string, folders: { readonly input: string; readonly output: string }): string {
  const strip = (folder: string): string => folder.replace(/\/+$/, '');
  return text.split(strip(folders.input)).join('/input').split(strip(folders.output)).join('/output');
}
