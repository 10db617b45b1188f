// Fails a test's setup with an install hint when a tool it needs is not on PATH.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const exec = promisify(execFile);

/** Resolves when every tool is on PATH; otherwise rejects naming the missing ones and the fix. */
export async function requireTools(tools: readonly string[]): Promise<void> {
  const missing: string[] = [];
  for (const tool of tools) {
    await exec('sh', ['-c', 'command -v "$1"', 'sh', tool]).catch(() => missing.push(tool));
  }
  if (missing.length > 0) throw new Error(`Missing tools: ${missing.join(', ')}. Run \`bash scripts/setup.sh\` (it installs them with apt-get).`);
}
