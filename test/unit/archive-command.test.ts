// The pure builders of the archive engine: bsdtar arguments for packing, the list file, the
// signatures checked before reading, and where each format's tar stream comes from.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { buildPackArgs, compressCommand, decompressCommand, decompressedName, hasSignature, headLength, isExtractFormat, isPackFormat, isSingleFileFormat, packListContents, tarSource } from '../../workers/converters/archive/command.js';

const base = { output: '/w/out/pack.x', folder: '/w/stage', listFile: '/w/stage.list', level: null };
/** The value following `flag` in `args`. */
const after = (args: readonly string[], flag: string): string | undefined => args[args.indexOf(flag) + 1];

describe('buildPackArgs', () => {
  it('creates each format with bsdtar, names read from a NUL-separated list relative to the staging folder', () => {
    const expected = {
      zip: ['zip', []],
      tar: ['pax', []],
      'tar.gz': ['pax', ['-z']],
      'tar.bz2': ['pax', ['-j']],
      'tar.xz': ['pax', ['-J']],
      'tar.zst': ['pax', ['--zstd']],
      'tar.lz': ['pax', ['--lzip']],
      'tar.lz4': ['pax', ['--lz4']],
      '7z': ['7zip', []],
    } as const;
    for (const [format, [bsdFormat, filter]] of Object.entries(expected)) {
      assert.ok(isPackFormat(format as 'zip'));
      const args = buildPackArgs({ ...base, format: format as 'zip' });
      assert.deepEqual(args.slice(0, 3), ['-c', '-f', '/w/out/pack.x'], format);
      assert.equal(after(args, '--format'), bsdFormat, format);
      for (const flag of ['-z', '-j', '-J', '--zstd', '--lzip', '--lz4']) assert.equal(args.includes(flag), (filter as readonly string[]).includes(flag), `${format} ${flag}`);
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
    assert.equal(option('tar.zst' as 'zip', 9), 'zstd:compression-level=9');
    assert.equal(option('tar.lz' as 'zip', 2), 'lzip:compression-level=2');
    assert.equal(option('tar.lz4' as 'zip', 4), 'lz4:compression-level=4');
    assert.equal(option('tar.lzma' as 'zip', 7), 'lzma:compression-level=7');
    for (const format of ['cpio', 'ar', 'iso'] as const) assert.ok(!buildPackArgs({ ...base, format, level: 9 }).includes('--options'), format);
    assert.ok(!buildPackArgs({ ...base, format: 'tar', level: 9 }).includes('--options'));
  });

  it('writes tar.lzma through bsdtar\'s lzma filter, cpio as SVR4 newc, ar in the GNU form and iso as ISO 9660', () => {
    const args = (format: 'tar.lzma' | 'cpio' | 'ar' | 'iso'): string[] => buildPackArgs({ ...base, format, level: null });
    assert.equal(after(args('tar.lzma'), '--format'), 'pax');
    assert.ok(args('tar.lzma').includes('--lzma'));
    assert.equal(after(args('cpio'), '--format'), 'newc');
    assert.equal(after(args('ar'), '--format'), 'argnu');
    assert.equal(after(args('iso'), '--format'), 'iso9660');
  });

  it('writes no other format (one-file formats are compressed by their own tool, not bsdtar)', () => {
    assert.equal(isPackFormat('rar'), false);
    for (const format of ['gz', 'zst', 'lzma', 'deb', 'rpm', 'cab'] as const) assert.equal(isPackFormat(format), false, format);
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
    for (const format of ['zip', 'tar', 'tar.gz', 'tar.bz2', 'tar.xz', 'tar.zst', 'tar.lz', 'tar.lz4', '7z', 'rar', 'gz', 'bz2', 'xz', 'zst', 'lz', 'lz4', 'cab', 'iso', 'deb', 'rpm'] as const) {
      assert.ok(isExtractFormat(format), format);
    }
    assert.equal(isExtractFormat('pdf'), false);
  });
  it('reads tar.lzma and lzma, never cpio or ar (libarchive would guess an uuencoded mtree inside them)', () => {
    for (const format of ['tar.lzma', 'lzma'] as const) assert.ok(isExtractFormat(format), format);
    for (const format of ['cpio', 'ar'] as const) assert.equal(isExtractFormat(format), false, format);
  });
});

describe('tarSource', () => {
  it('reads a tar as it is and only decompresses compressed tars (libarchive never guesses their format)', () => {
    assert.deepEqual(tarSource('tar', '/w/in.tar', 'bsdtar'), { kind: 'file' });
    assert.deepEqual(tarSource('tar.gz', '/w/in', 'bsdtar'), { kind: 'tool', binary: 'gzip', args: ['-dc', '--', '/w/in'], label: 'gzip' });
    assert.deepEqual(tarSource('tar.bz2', '/w/in', 'bsdtar'), { kind: 'tool', binary: 'bzip2', args: ['-dc', '--', '/w/in'], label: 'bzip2' });
    assert.deepEqual(tarSource('tar.xz', '/w/in', 'bsdtar'), { kind: 'tool', binary: 'xz', args: ['-dc', '--format=xz', '--', '/w/in'], label: 'xz' });
    assert.deepEqual(tarSource('tar.zst', '/w/in', 'bsdtar'), { kind: 'tool', binary: 'zstd', args: ['-q', '-dc', '--', '/w/in'], label: 'zstd' });
    assert.deepEqual(tarSource('tar.lz', '/w/in', 'bsdtar'), { kind: 'tool', binary: 'lzip', args: ['-q', '-dc', '--', '/w/in'], label: 'lzip' });
    assert.deepEqual(tarSource('tar.lz4', '/w/in', 'bsdtar'), { kind: 'tool', binary: 'lz4', args: ['-q', '-dc', '--', '/w/in'], label: 'lz4' });
    assert.deepEqual(tarSource('tar.lzma', '/w/in', 'bsdtar'), { kind: 'tool', binary: 'xz', args: ['-dc', '--format=lzma', '--', '/w/in'], label: 'xz' });
  });
  it('reads a .deb\'s installed files as the tar dpkg-deb takes out of it', () => {
    assert.deepEqual(tarSource('deb', '/w/in', 'bsdtar'), { kind: 'tool', binary: 'dpkg-deb', args: ['--fsys-tarfile', '--', '/w/in'], label: 'dpkg-deb' });
  });
  it('converts zip, 7z, rar, cab, iso and rpm to a pax stream on stdout with bsdtar, without a terminal', () => {
    for (const format of ['zip', '7z', 'rar', 'cab', 'iso', 'rpm'] as const) {
      assert.deepEqual(tarSource(format, '/w/in', '/usr/bin/bsdtar'), {
        kind: 'tool',
        binary: 'setsid',
        args: ['-w', '/usr/bin/bsdtar', '-c', '-f', '-', '--format', 'pax', '@/w/in'],
        label: 'bsdtar',
      });
    }
  });
});

describe('one-file formats', () => {
  it('compresses one file to stdout with its own tool, the level as -N and the file after "--"', () => {
    assert.deepEqual(compressCommand('gz', '/w/in/a.txt', null), { binary: 'gzip', args: ['-c', '-n', '--', '/w/in/a.txt'], label: 'gzip' });
    assert.deepEqual(compressCommand('zst', '/w/in/-rf', 9), { binary: 'zstd', args: ['-q', '-c', '-9', '--', '/w/in/-rf'], label: 'zstd' });
    assert.deepEqual(compressCommand('lz4', '/w/a', 1).args, ['-q', '-c', '-1', '--', '/w/a']);
    assert.deepEqual(compressCommand('lz', '/w/a', 5).args, ['-q', '-c', '-5', '--', '/w/a']);
    assert.deepEqual(compressCommand('bz2', '/w/a', 5).args, ['-c', '-5', '--', '/w/a']);
    assert.deepEqual(compressCommand('xz', '/w/a', null).args, ['-c', '--', '/w/a']);
    assert.deepEqual(compressCommand('lzma', '/w/a', 3), { binary: 'xz', args: ['-c', '--format=lzma', '-3', '--', '/w/a'], label: 'xz' });
  });
  it('decompresses to stdout; xz reads only the xz format (not .lzma)', () => {
    assert.deepEqual(decompressCommand('xz', '/w/a'), { binary: 'xz', args: ['-dc', '--format=xz', '--', '/w/a'], label: 'xz' });
    assert.deepEqual(decompressCommand('gz', '/w/a').args, ['-dc', '--', '/w/a']);
    assert.deepEqual(decompressCommand('lzma', '/w/a').args, ['-dc', '--format=lzma', '--', '/w/a']);
  });
  it('knows which formats hold one file', () => {
    for (const format of ['gz', 'bz2', 'xz', 'zst', 'lz', 'lz4'] as const) assert.ok(isSingleFileFormat(format), format);
    for (const format of ['tar.gz', 'zip', 'iso'] as const) assert.equal(isSingleFileFormat(format), false, format);
  });
  it('names the file inside after the archive without its suffix', () => {
    assert.equal(decompressedName('notes.txt.gz'), 'notes.txt');
    assert.equal(decompressedName('data.JSON.ZST'), 'data.JSON');
    assert.equal(decompressedName('backup.tgz'), 'backup.tar');
    assert.equal(decompressedName('backup.txz'), 'backup.tar');
    assert.equal(decompressedName('image.raw.lz4'), 'image.raw');
    assert.equal(decompressedName('report.lz'), 'report');
    assert.equal(decompressedName('notes.txt.lzma'), 'notes.txt');
    assert.equal(decompressedName('backup.tlzma'), 'backup.tar');
    assert.equal(decompressedName('no-suffix'), 'no-suffix');
    assert.equal(decompressedName('.gz'), '.gz');
  });
});

describe('signatures of the new formats', () => {
  const head = (hex: string): Buffer => Buffer.from(hex, 'hex');
  it('accepts each one\'s own start, and refuses another format\'s', () => {
    for (const format of ['zst', 'tar.zst'] as const) assert.ok(hasSignature(format, head('28b52ffd0058')), format);
    for (const format of ['lz4', 'tar.lz4'] as const) assert.ok(hasSignature(format, head('04224d1864')), format);
    for (const format of ['lz', 'tar.lz'] as const) assert.ok(hasSignature(format, Buffer.from('LZIP\x01', 'latin1')), format);
    assert.ok(hasSignature('gz', head('1f8b08')));
    assert.ok(hasSignature('cab', Buffer.from('MSCF\0\0\0\0x', 'latin1')));
    assert.ok(hasSignature('deb', Buffer.from('!<arch>\ndebian-binary   ', 'latin1')));
    assert.ok(hasSignature('rpm', head('edabeedb0300')));
    assert.equal(hasSignature('deb', Buffer.from('!<arch>\nfoo.o', 'latin1')), false, 'an ar archive that is no package');
    assert.equal(hasSignature('zst', head('1f8b08')), false);
    assert.equal(hasSignature('cab', Buffer.from('#mtree\n', 'latin1')), false);
    for (const format of ['lzma', 'tar.lzma'] as const) {
      for (const dictionary of ['00000400', '00008000', '00000004']) assert.ok(hasSignature(format, head(`5d${dictionary}ffffffffffffffff`)), `${format} ${dictionary}`);
      assert.equal(hasSignature(format, head('fd377a585a00')), false, `an xz stream named ${format}`);
      assert.equal(hasSignature(format, Buffer.from('#mtree\n', 'latin1')), false, format);
    }
  });
  it('finds an ISO image\'s "CD001" at byte 32769, and reads that far', () => {
    assert.equal(headLength('iso'), 32774);
    assert.equal(headLength('zip'), 1024);
    const iso = Buffer.alloc(32774);
    iso.write('\x01CD001', 32768, 'latin1');
    assert.ok(hasSignature('iso', iso));
    assert.equal(hasSignature('iso', iso.subarray(0, 1024)), false, 'a head too short to hold it');
    const disguised = Buffer.from(iso);
    disguised.write('#mtree\n./x type=file contents=/etc/passwd\n', 0, 'latin1');
    assert.equal(hasSignature('iso', disguised), false, 'mtree text before the volume descriptor');
    disguised.write('begin 644 x\n', 0, 'latin1');
    assert.equal(hasSignature('iso', disguised), false, 'uuencode text before the volume descriptor');
    const hybrid = Buffer.from(iso);
    hybrid.write('33ed9090', 0, 'hex');
    assert.ok(hasSignature('iso', hybrid), 'a hybrid image\'s boot code');
  });
});
