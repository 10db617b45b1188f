// How much the worker image's OS packages weigh, and what each line of the Dockerfile's install
// list (one area per line: ffmpeg, LibreOffice, fonts...) adds, from Debian's own metadata: apt
// resolves the install against an empty package state (`apt-get -s`, alternatives chosen as a
// real install chooses them, without recommends as the Dockerfile installs), and the installed
// sizes are summed, leaving out Debian's required packages (every base image has them).
//   node --import tsx scripts/image-footprint.ts [Dockerfile]
// No Docker engine runs here; this is the figure an image build adds on top of the base image.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const dockerfile = readFileSync(process.argv[2] ?? 'Dockerfile', 'utf8');
const workerStage = dockerfile.slice(dockerfile.indexOf('FROM base AS worker'));
const install = /apt-get install -y --no-install-recommends\s*\\\n([\s\S]*?)\n && /.exec(workerStage)?.[1] ?? '';
/** The install list's lines, each an area's packages. */
const lines = install.split('\n').map((l) => l.replace(/\\$/, '').trim().split(/\s+/).filter((p) => /^[a-z0-9][a-z0-9.+-]+$/.test(p))).filter((l) => l.length > 0);

const sh = (cmd: string, args: string[]): string => execFileSync(cmd, args, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
const emptyStatus = path.join(mkdtempSync(path.join(os.tmpdir(), 'footprint-')), 'status');
writeFileSync(emptyStatus, '');

const sizes = new Map<string, number>();
const required = new Set<string>();
for (const block of sh('apt-cache', ['dumpavail']).split('\n\n')) {
  const name = /^Package: (.+)$/m.exec(block)?.[1];
  if (name === undefined) continue;
  const size = Number(/^Installed-Size: (\d+)$/m.exec(block)?.[1] ?? 0);
  sizes.set(name, Math.max(sizes.get(name) ?? 0, size));
  if (/^Priority: required$/m.test(block)) required.add(name);
}

/** The packages apt installs for `packages` on an empty system, minus the required ones. */
function resolve(packages: readonly string[]): Set<string> {
  const out = sh('apt-get', ['-s', '-o', `Dir::State::status=${emptyStatus}`, 'install', '--no-install-recommends', ...packages]);
  return new Set([...out.matchAll(/^Inst (\S+)/gm)].map((m) => (m[1] ?? '').replace(/:.*$/, '')).filter((n) => !required.has(n)));
}
const size = (names: Set<string>): number => [...names].reduce((sum, n) => sum + (sizes.get(n) ?? 0), 0);
const mb = (kb: number): string => `${(kb / 1024).toFixed(0)} MB`;

const all = resolve(lines.flat());
console.log(`worker packages: ${lines.flat().length}; apt installs ${all.size} packages, ${mb(size(all))} (beyond Debian's required set)`);
console.log('| install line | adds (what leaving it out would save) |\n|---|---:|');
const shares = lines.map((line, i) => ({ line, share: size(all) - size(resolve(lines.filter((_, j) => j !== i).flat())) })).sort((a, b) => b.share - a.share);
for (const { line, share } of shares) console.log(`| ${line.join(' ')} | ${share >= 0 ? mb(share) : `${mb(share)} (leaving it out costs ${mb(-share)})`} |`);
