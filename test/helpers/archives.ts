// Archive fixtures made at test time with the real tools (tar, zip, 7zz, bsdtar), malicious ones
// crafted with Python's tarfile/zipfile, and RAR 4 archives written by hand (no free RAR writer
// exists; the format of a stored entry is simple enough to build here).
import { execFile } from 'node:child_process';
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { promisify } from 'node:util';
import { crc32 } from 'node:zlib';

const execute = promisify(execFile);

export const ARCHIVE_TOOLS = ['bsdtar', 'tar', 'zip', '7zz', 'gzip', 'bzip2', 'xz', 'setsid'] as const;

/** Fails with a message saying how to install the archive tools when one is missing. */
export async function requireArchiveTools(): Promise<void> {
  for (const tool of ARCHIVE_TOOLS) {
    await execute('sh', ['-c', `command -v ${tool}`]).catch(() => {
      throw new Error(`${tool} is missing: run \`bash scripts/setup.sh\` (apt-get install libarchive-tools 7zip zip xz-utils bzip2).`);
    });
  }
}

/** Runs a tool in `cwd` (no shell). */
export async function run(cwd: string, binary: string, args: readonly string[]): Promise<void> {
  await execute(binary, [...args], { cwd, maxBuffer: 16 * 1024 * 1024 });
}

/** Runs a Python script (Debian's python3: tarfile and zipfile can write any entry). */
export async function python(cwd: string, script: string): Promise<void> {
  await execute('/usr/bin/python3', ['-c', script], { cwd });
}

function rarBlock(type: number, flags: number, body: Buffer): Buffer {
  const header = Buffer.alloc(5);
  header.writeUInt8(type, 0);
  header.writeUInt16LE(flags, 1);
  header.writeUInt16LE(7 + body.length, 3);
  const crc = Buffer.alloc(2);
  crc.writeUInt16LE(crc32(Buffer.concat([header, body])) & 0xffff, 0);
  return Buffer.concat([crc, header, body]);
}

/** A RAR 4 archive of stored (uncompressed) files; names use "/" as RAR on Unix does. */
export function rar4(files: ReadonlyArray<{ readonly name: string; readonly data: Buffer }>): Buffer {
  const parts = [Buffer.from('Rar!\x1a\x07\x00', 'latin1'), rarBlock(0x73, 0, Buffer.alloc(6))];
  for (const { name, data } of files) {
    const nameBytes = Buffer.from(name, 'utf8');
    const body = Buffer.alloc(25);
    body.writeUInt32LE(data.length, 0); // packed size
    body.writeUInt32LE(data.length, 4); // unpacked size
    body.writeUInt8(3, 8); // host OS: Unix
    body.writeUInt32LE(crc32(data), 9);
    body.writeUInt32LE(0x5b7a0000, 13); // DOS date and time
    body.writeUInt8(20, 17); // version needed
    body.writeUInt8(0x30, 18); // method: store
    body.writeUInt16LE(nameBytes.length, 19);
    body.writeUInt32LE(0o100644, 21); // Unix mode of a regular file
    parts.push(rarBlock(0x74, 0x8000, Buffer.concat([body, nameBytes])), data);
  }
  parts.push(rarBlock(0x7b, 0x4000, Buffer.alloc(0)));
  return Buffer.concat(parts);
}

/**
 * Every entry under `dir` (files, links, anything), as paths relative to it. Retried while a
 * worker still removes a job folder (a folder vanishing mid-listing).
 */
export async function entriesUnder(dir: string): Promise<string[]> {
  for (let attempt = 1; ; attempt++) {
    try {
      const entries = await readdir(dir, { recursive: true, withFileTypes: true });
      return entries.map((e) => path.relative(dir, path.join(e.parentPath, e.name)));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT' || attempt === 20) throw error;
      await delay(50);
    }
  }
}
