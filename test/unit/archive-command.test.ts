// The pure builders of the archive engine: bsdtar arguments for packing, the list file, the
// signatures checked before reading, and where each format's tar stream comes from.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { buildPackArgs, hasSignature, isExtractFormat, isPackFormat, packListContents, tarSource } from '../../workers/converters/archive/command.js';

const base = { output: '/w/out/pack.x', folder: '/w/stage', listFile: '/w/stage.list', level: null };
/** The value following `flag` in `args`. */
const after = (args: readonly string[], flag: string): string | undefined => args[args.indexOf(flag) + 1];

describe('buildPackArgs', () => {
  it('creates each format with bsdtar, names read from a NUL-separated list relative to the staging folder', () => {
    const expected = { zip: ['zip', []], tar: ['pax', []], 'tar.gz': ['pax', ['-z']], 'tar.bz2': ['pax', ['-j']], 'tar.xz': ['pax', ['-J']], '7z': ['7zip', []] } as const;
    for (const [format, [bsdFormat, filter]] of Object.entries(expected)) {
      assert.ok(isPackFormat(format as 'zip'));
      const args = buildPackArgs({ ...base, format: format as 'zip' });
      assert.deepEqual(args.slice(0, 3), ['-c', '-f', '/w/out/pack.x'], format);
      assert.equal(after(args, '--format'), bsdFormat, format);
      for (const flag of ['-z', '-j', '-J']) assert.equal(args.includes(flag), (filter as readonly string[]).includes(flag), `${format} ${flag}`);
      assert.deepEqual(args.slice(-5), ['-C', '/w/stage', '--null', '-T', '/w/stage.list'], format);
      assert.ok(!args.includes('--options'), `${format}: no level given, no option`);
    }
  });

  it('keeps the server\'s owner names, xattrs, ACLs and flags out of the archive', () => {
    const args = buildPackArgs({ ...base, format: 'tar.gz' });
    assert.equal(after(args, '--uname'), '');
    assert.equal(after(args, '--gname'), '');
    assert.equal(after(args, '--uid'), '0');
    for (const flag of ['--no-xattrs', '--no-acls', '--no-fflags']) assert.ok(args.includes(flag), flag);
  });

  it('passes compression_level as the format\'s own libarchive option, and none for plain tar', () => {
    const option = (format: 'zip', level: number) => after(buildPackArgs({ ...base, format, level }), '--options');
    assert.equal(option('zip', 9), 'zip:compression-level=9');
    assert.equal(option('tar.gz' as 'zip', 1), 'gzip:compression-level=1');
    assert.equal(option('tar.bz2' as 'zip', 5), 'bzip2:compression-level=5');
    assert.equal(option('tar.xz' as 'zip', 6), 'xz:compression-level=6');
    assert.equal(option('7z' as 'zip', 3), '7zip:compression-level=3');
    assert.ok(!buildPackArgs({ ...base, format: 'tar', level: 9 }).includes('--options'));
  });

  it('writes no other format', () => {
    assert.equal(isPackFormat('rar'), false);
    assert.equal(isPackFormat('pdf'), false);
  });
});

describe('packListContents', () => {
  it('ends every name with NUL, so names with spaces, newlines or a leading "-" stay names', () => {
    assert.equal(packListContents(['a b.txt', '-rf', 'x\ny']), 'a b.txt\0-rf\0x\ny\0');
  });
});

describe('hasSignature', () => {
  const head = (hex: string): Buffer => Buffer.from(hex, 'hex');
  it('accepts each format\'s own start', () => {
    assert.ok(hasSignature('zip', Buffer.from('PK\x03\x04rest', 'latin1')));
    assert.ok(hasSignature('zip', Buffer.from('PK\x05\x06', 'latin1')), 'an empty zip');
    assert.ok(hasSignature('7z', head('377abcaf271c0004')));
    assert.ok(hasSignature('rar', Buffer.from('Rar!\x1a\x07\x00', 'latin1')));
    assert.ok(hasSignature('rar', Buffer.from('Rar!\x1a\x07\x01\x00', 'latin1')), 'RAR 5');
    assert.ok(hasSignature('tar.gz', head('1f8b0800')));
    assert.ok(hasSignature('tar.bz2', Buffer.from('BZh9', 'latin1')));
    assert.ok(hasSignature('tar.xz', head('fd377a585a0000')));
    assert.ok(hasSignature('tar', Buffer.from('anything: the tar parser checks every header')));
  });
  it('refuses text (mtree, uuencode) and other formats named as an archive', () => {
    assert.equal(hasSignature('zip', Buffer.from('#mtree\nx type=file contents=/etc/passwd\n')), false);
    assert.equal(hasSignature('7z', Buffer.from('begin 644 x\n')), false);
    assert.equal(hasSignature('rar', Buffer.from('PK\x03\x04', 'latin1')), false);
    assert.equal(hasSignature('tar.gz', Buffer.from('BZh9', 'latin1')), false);
    assert.equal(hasSignature('zip', Buffer.alloc(0)), false, 'an empty file');
  });
  it('knows the formats mode=extract reads', () => {
    for (const format of ['zip', 'tar', 'tar.gz', 'tar.bz2', 'tar.xz', '7z', 'rar'] as const) assert.ok(isExtractFormat(format), format);
    assert.equal(isExtractFormat('pdf'), false);
  });
});

describe('tarSource', () => {
  it('reads a tar as it is and only decompresses compressed tars (libarchive never guesses their format)', () => {
    assert.deepEqual(tarSource('tar', '/w/in.tar', 'bsdtar'), { kind: 'file' });
    assert.deepEqual(tarSource('tar.gz', '/w/in', 'bsdtar'), { kind: 'tool', binary: 'gzip', args: ['-dc', '--', '/w/in'], label: 'gzip' });
    assert.deepEqual(tarSource('tar.bz2', '/w/in', 'bsdtar'), { kind: 'tool', binary: 'bzip2', args: ['-dc', '--', '/w/in'], label: 'bzip2' });
    assert.deepEqual(tarSource('tar.xz', '/w/in', 'bsdtar'), { kind: 'tool', binary: 'xz', args: ['-dc', '--', '/w/in'], label: 'xz' });
  });
  it('converts zip, 7z and rar to a pax stream on stdout with bsdtar, without a terminal', () => {
    for (const format of ['zip', '7z', 'rar'] as const) {
      assert.deepEqual(tarSource(format, '/w/in', '/usr/bin/bsdtar'), {
        kind: 'tool',
        binary: 'setsid',
        args: ['-w', '/usr/bin/bsdtar', '-c', '-f', '-', '--format', 'pax', '@/w/in'],
        label: 'bsdtar',
      });
    }
  });
});
