// Whether a tool is installed, before a pool starts it ahead of any job: a pool warmed at the
// worker's start must skip an engine that is not there (a slim image without LibreOffice) rather
// than fail or spawn a doomed process.
import { access, constants, stat } from 'node:fs/promises';
import path from 'node:path';

/**
 * The executable file `command` names: itself when it holds a slash (relative to the worker's
 * folder), else the first match in the folders of `searchPath` (the tools' PATH, as the sandbox
 * hands it to them); undefined when there is none.
 */
export async function findExecutable(command: string, searchPath: string): Promise<string | undefined> {
  const candidates = command.includes('/') ? [path.resolve(command)] : searchPath.split(':').filter((dir) => dir !== '').map((dir) => path.join(dir, command));
  for (const candidate of candidates) {
    if (await isExecutableFile(candidate)) return candidate;
  }
  return undefined;
}

async function isExecutableFile(file: string): Promise<boolean> {
  try {
    await access(file, constants.X_OK);
    return (await stat(file)).isFile();
  } catch {
    return false;
  }
}
