// How much each OS package of the worker image adds to it, from Debian's own metadata: the
// dependency closure (without recommends, as the Dockerfile installs) of the worker target's
// apt-get list, its installed size, and each package's share (what leaving it out would save).
// Run on a Debian 12 machine where the packages are installed (scripts/setup.sh):
//   node --import tsx scripts/image-footprint.ts [Dockerfile]
// No Docker engine runs here; this is the figure an image build adds on top of the base image.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

const dockerfile = readFileSync(process.argv[2] ?? 'Dockerfile', 'utf8');
const workerStage = dockerfile.slice(dockerfile.indexOf('FROM base AS worker'));
const install = /apt-get install -y --no-install-recommends\s*\\?\n?([\s\S]*?)&&/.exec(workerStage)?.[1] ?? '';
const packages = install.split(/[\s\\]+/).filter((p) => /^[a-z0-9][a-z0-9.+-]+$/.test(p));

const sh = (cmd: string, args: string[]): string => execFileSync(cmd, args, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });

const installed = new Map<string, number>();
for (const line of sh('dpkg-query', ['-W', '-f=${Package} ${Installed-Size} ${Priority}\\n']).split('\n')) {
  const [name, size] = line.split(' ');
  if (name !== undefined && size !== undefined) installed.set(name, Number(size));
}
/** Packages every Debian system has (priority required): the base image holds them already. */
const required = new Set(sh('dpkg-query', ['-W', '-f=${Package} ${Priority}\\n']).split('\n').filter((l) => l.endsWith(' required')).map((l) => l.split(' ')[0]));

const closureCache = new Map<string, Set<string>>();
function closure(roots: readonly string[]): Set<string> {
  const key = [...roots].sort().join(' ');
  const cached = closureCache.get(key);
  if (cached !== undefined) return cached;
  const out = sh('apt-cache', ['depends', '--recurse', '--no-recommends', '--no-suggests', '--no-conflicts', '--no-breaks', '--no-replaces', '--no-enhances', ...roots]);
  const names = new Set(out.split('\n').filter((l) => /^[a-z0-9]/.test(l)).map((l) => l.trim()).filter((n) => installed.has(n) && !required.has(n)));
  closureCache.set(key, names);
  return names;
}
const size = (names: Set<string>): number => [...names].reduce((sum, n) => sum + (installed.get(n) ?? 0), 0);
const mb = (kb: number): string => `${(kb / 1024).toFixed(0)} MB`;

const all = closure(packages);
console.log(`worker packages: ${packages.length}; closure: ${all.size} packages, ${mb(size(all))} installed (beyond Debian's required set)`);
const shares = packages.map((p) => ({ p, share: size(all) - size(closure(packages.filter((q) => q !== p))) })).sort((a, b) => b.share - a.share);
console.log('| package | adds (alone) |\n|---|---:|');
for (const { p, share } of shares) console.log(`| ${p} | ${mb(share)} |`);
