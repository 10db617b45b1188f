// The signatures of the formats issue 18 added to the ffmpeg engine, tested on real files: each
// sample the format matrix makes with ffmpeg starts like its format, and not like the others
// (files of one container family share a start: ISO media, Ogg, RealMedia, BDAV).
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { FORMATS, type Format } from '../../src/core/catalog/formats.js';
import type { Signature } from '../../src/core/catalog/format-groups/format-info.js';
import { matchesSignature, readHead } from '../../src/core/file-signatures.js';
import { MEDIA_EXTRA_PART } from '../formats/parts/media-extra.js';
import { MEDIA_MORE_PART } from '../formats/parts/media-more.js';
import { requireTools } from '../helpers/tools.js';

const FAMILIES: readonly (readonly string[])[] = [['m4b', 'f4v'], ['rm', 'rmvb'], ['mts', 'm2ts']];
const sameFamily = (a: string, b: string): boolean => a === b || FAMILIES.some((f) => f.includes(a) && f.includes(b));
const signatureOf = (format: string): Signature | undefined => (FORMATS[format as Format] as { signature?: Signature }).signature;

describe('signatures of the added audio, video and subtitle formats, on files made by ffmpeg', () => {
  let dir: string;
  const heads = new Map<string, Buffer>();

  before(async () => {
    await requireTools(['ffmpeg']);
    dir = await mkdtemp(path.join(os.tmpdir(), 'oc-media-signatures-'));
    for (const [format, make] of [...Object.entries(MEDIA_EXTRA_PART.samples), ...Object.entries(MEDIA_MORE_PART.samples)]) {
      const folder = path.join(dir, format);
      await mkdir(folder);
      heads.set(format, await readHead(await make(folder)));
    }
  });
  after(async () => {
    if (dir !== undefined) await rm(dir, { recursive: true, force: true });
  });

  it('gives every added format a signature its sample matches', () => {
    assert.ok(heads.size >= 27);
    for (const [format, head] of heads) {
      const signature = signatureOf(format);
      assert.ok(signature !== undefined, `${format} has no signature`);
      assert.ok(matchesSignature(signature, head), `the ${format} sample does not match its signature`);
    }
  });

  it('does not take a sample of one container for another', () => {
    for (const [format, head] of heads) {
      for (const other of heads.keys()) {
        const signature = signatureOf(other);
        if (sameFamily(format, other) || signature === undefined || !('magic' in signature)) continue;
        assert.ok(!matchesSignature(signature, head), `the ${format} sample matches the signature of ${other}`);
      }
    }
  });

  it('refuses binary files for the text subtitle formats and accepts a BOM before WEBVTT and [Script Info]', () => {
    const vtt = signatureOf('vtt');
    const ass = signatureOf('ass');
    assert.ok(vtt !== undefined && ass !== undefined);
    assert.ok(matchesSignature(vtt, Buffer.from('\ufeffWEBVTT\n\n', 'utf8')));
    assert.ok(matchesSignature(ass, Buffer.from('\ufeff[Script Info]\r\n', 'utf8')));
    for (const format of ['srt', 'sub', 'lrc'] as const) assert.ok(!matchesSignature(signatureOf(format) ?? { any: true }, heads.get('mp2') ?? Buffer.alloc(0)), format);
  });
});
