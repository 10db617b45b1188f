// What is running: the package's name and version (from package.json, found by walking up from
// this file, so it works from the sources and from compiled JavaScript alike), the Node version
// and the source commit when the build said it (BUILD_COMMIT). Read once, on first use.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export interface BuildInfo {
  readonly name: string;
  readonly version: string;
  /** process.version, e.g. "v20.20.0". */
  readonly node: string;
  /** The source commit; absent when the build did not set BUILD_COMMIT. */
  readonly commit?: string;
}

let packageInfo: { name: string; version: string } | undefined;

function readPackage(): { name: string; version: string } {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const file = path.join(dir, 'package.json');
    if (existsSync(file)) {
      const parsed = JSON.parse(readFileSync(file, 'utf8')) as { name?: unknown; version?: unknown };
      return { name: String(parsed.name ?? 'openconvert'), version: String(parsed.version ?? '0.0.0') };
    }
    const parent = path.dirname(dir);
    if (parent === dir) return { name: 'openconvert', version: '0.0.0' };
    dir = parent;
  }
}

export function buildInfo(commit: string | undefined): BuildInfo {
  packageInfo ??= readPackage();
  return commit === undefined ? { ...packageInfo, node: process.version } : { ...packageInfo, node: process.version, commit };
}
