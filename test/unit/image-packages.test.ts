// The worker image converts with the same Debian packages as the machines the tests run on: the
// runtime packages of scripts/setup.sh and the `worker` target's apt-get lists must be the same
// set, apart from the two explicit lists below.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { before, describe, it } from 'node:test';
import { parseDockerfile } from '../helpers/dockerfile.js';

/** In setup.sh for the tests only, never run by the server: kept out of the image. */
const TEST_ONLY = new Set([
  'docker-compose', // validates docker-compose.yml (test/unit/compose.test.ts)
  'zip', // builds archive fixtures (test/helpers/archives.ts, download-headers.test.ts)
  'unzip', // reads archives the tests get back
  '7zip', // builds 7z fixtures (test/helpers/archives.ts)
  'gcab', // builds cab samples (test/formats/parts/archives-extra.ts)
  'genisoimage', // builds iso samples (test/formats/parts/archives-extra.ts)
  'rpm', // rpmbuild builds rpm samples (test/formats/parts/archives-extra.ts)
  'fonttools', // pyftsubset: subsets the font samples (test/formats/parts/fonts.ts)
  'eot-utils', // eotinfo: reads EOT outputs back (test/formats/parts/fonts.ts)
  'asciidoc-base', // reads back AsciiDoc outputs in the format matrix (test/formats/parts/markup.ts)
  'python3-ezdxf', // draws the DXF samples (test/formats/parts/cad.ts)
  'cpio', // reads back cpio outputs (test/formats/parts/archives-more.ts)
  'poppler-utils', // pdfinfo and pdftotext read the v2 PDF tools' results back (test/integration/v2-pdf-tools.test.ts)
  'libheif-examples', // heif-enc and heif-info make and read HEIF samples (test/formats/parts/images-extra.ts)
  'openssh-server', // sshd serves the SFTP tests (test/helpers/sftp-server.ts)
]);

/** In the image only: what a container needs and a developer's machine already has. */
const IMAGE_ONLY = new Set([
  'tini', // PID 1: reaps tool processes, forwards SIGTERM
  'ca-certificates', // TLS to S3, callbacks and downloads from a slim base
]);

/** The packages scripts/setup.sh installs: its tool → packages table and its font list. */
function setupPackages(script: string): string[] {
  const table = /declare -A PACKAGES=\(([\s\S]*?)\n\)/.exec(script)?.[1];
  const fonts = /^FONTS=\(([^)]*)\)/m.exec(script)?.[1];
  assert.ok(table !== undefined && fonts !== undefined, 'setup.sh has its PACKAGES table and FONTS list');
  const fromTable = [...table.matchAll(/^\s*\[[^\]]+\]=("([^"]*)"|\S+)/gm)].flatMap((m) => (m[2] ?? m[1] ?? '').split(/\s+/));
  return [...new Set([...fromTable, ...fonts.trim().split(/\s+/)])].filter((p) => p !== '');
}

/** What differs between setup.sh's runtime packages and the worker target's, both ways. */
function mismatch(setup: readonly string[], image: readonly string[]): { missingFromImage: string[]; notInSetup: string[] } {
  const runtime = setup.filter((p) => !TEST_ONLY.has(p));
  return {
    missingFromImage: runtime.filter((p) => !image.includes(p)).sort(),
    notInSetup: image.filter((p) => !runtime.includes(p) && !IMAGE_ONLY.has(p)).sort(),
  };
}

describe('the worker image and scripts/setup.sh install the same runtime packages', () => {
  let setup: string;
  let dockerfile: string;
  const workerPackages = (text: string): readonly string[] => parseDockerfile(text).find((s) => s.name === 'worker')?.packages ?? [];
  before(async () => {
    setup = await readFile('scripts/setup.sh', 'utf8');
    dockerfile = await readFile('Dockerfile', 'utf8');
  });

  it('reads both lists (the parsers find what they should)', () => {
    const fromSetup = setupPackages(setup);
    for (const pkg of ['ffmpeg', 'python3-uno', 'libreoffice-impress-nogui', 'docker-compose', 'fonts-noto-cjk', 'fonts-thai-tlwg']) assert.ok(fromSetup.includes(pkg), `setup.sh: ${pkg}`);
    for (const pkg of ['ffmpeg', 'python3-uno', 'tini', 'fonts-noto-cjk']) assert.ok(workerPackages(dockerfile).includes(pkg), `Dockerfile: ${pkg}`);
  });

  it('match, apart from the test-only and image-only lists', () => {
    assert.deepEqual(mismatch(setupPackages(setup), workerPackages(dockerfile)), { missingFromImage: [], notInSetup: [] });
  });

  it('a runtime package added to setup.sh alone, or to the image alone, is reported', () => {
    const moreSetup = setup.replace('[potrace]=potrace', '[potrace]=potrace\n  [gm]=graphicsmagick');
    assert.deepEqual(mismatch(setupPackages(moreSetup), workerPackages(dockerfile)).missingFromImage, ['graphicsmagick']);
    const moreImage = dockerfile.replace('      inkscape potrace \\', '      inkscape potrace graphicsmagick \\');
    assert.deepEqual(mismatch(setupPackages(setup), workerPackages(moreImage)).notInSetup, ['graphicsmagick']);
  });

  it('the exception lists hold only packages that are really there', () => {
    const fromSetup = setupPackages(setup);
    for (const pkg of TEST_ONLY) assert.ok(fromSetup.includes(pkg) && !workerPackages(dockerfile).includes(pkg), `${pkg}: in setup.sh, not in the image`);
    for (const pkg of IMAGE_ONLY) assert.ok(workerPackages(dockerfile).includes(pkg), `${pkg}: in the image`);
  });
});
