// Content checks shared by the format parts: a file's first bytes, the entries of a ZIP or any
// archive, a tool's output. Each throws an AssertionError naming the file and what is wrong.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';

const execute = promisify(execFile);

/** Runs a tool (no shell) and returns its stdout; `cwd` defaults to the current folder. */
export async function tool(binary: string, args: readonly string[], cwd?: string): Promise<string> {
  const { stdout } = await execute(binary, [...args], { cwd, maxBuffer: 64 * 1024 * 1024, timeout: 600_000 });
  return stdout;
}

/** Runs a tool (no shell) and returns both its outputs (tools that report on stderr). */
export async function toolOutput(binary: string, args: readonly string[], cwd?: string): Promise<{ stdout: string; stderr: string }> {
  return execute(binary, [...args], { cwd, maxBuffer: 64 * 1024 * 1024, timeout: 600_000 });
}

/** Asserts the file has `bytes` (latin1 text or a Buffer) at byte `at`. */
export async function assertStartsWith(file: string, bytes: string | Buffer, at = 0): Promise<Buffer> {
  const data = await readFile(file);
  const expected = typeof bytes === 'string' ? Buffer.from(bytes, 'latin1') : bytes;
  assert.ok(data.subarray(at, at + expected.length).equals(expected), `${path.basename(file)} does not have ${JSON.stringify(expected.toString('latin1'))} at byte ${at} (it starts ${JSON.stringify(data.subarray(0, 16).toString('latin1'))})`);
  return data;
}

/** The entry names of a ZIP file (unzip -Z1), after checking its signature. */
export async function zipEntries(file: string): Promise<string[]> {
  await assertStartsWith(file, 'PK\x03\x04');
  return (await tool('unzip', ['-Z1', file])).split('\n').filter((l) => l !== '');
}

/** Asserts a ZIP file holds `entry`; with `content`, that the entry has that text. */
export async function assertZipEntry(file: string, entry: string, content?: string): Promise<void> {
  const entries = await zipEntries(file);
  assert.ok(entries.includes(entry), `${path.basename(file)} has no ${entry} (entries: ${entries.slice(0, 8).join(', ')})`);
  if (content !== undefined) assert.equal((await tool('unzip', ['-p', file, entry])).trim(), content, `${entry} of ${path.basename(file)}`);
}

/** The entry names of any archive bsdtar reads. */
export async function archiveEntries(file: string): Promise<string[]> {
  return (await tool('bsdtar', ['-tf', file])).split('\n').filter((l) => l !== '');
}

/** Asserts the file is text (no NUL byte) containing `pattern`. */
export async function assertText(file: string, pattern: RegExp): Promise<string> {
  const data = await readFile(file);
  assert.ok(!data.includes(0), `${path.basename(file)} has NUL bytes: not text`);
  const text = data.toString('utf8');
  assert.match(text, pattern, `${path.basename(file)}`);
  return text;
}

/** Asserts every file of `files` passes `check` (page-per-file outputs). */
export async function eachFile(files: readonly string[], check: (file: string) => Promise<unknown>): Promise<void> {
  assert.ok(files.length > 0, 'no output files');
  for (const file of files) await check(file);
}
