// Which demuxers read each media input: local files only, the declared format's container
// family, never a playlist; and the message when ffmpeg found another format.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AUDIO_FORMATS, SUBTITLE_FORMATS, VIDEO_FORMATS, VIDEO_READ_ONLY } from '../../src/core/catalog/engines/media.js';
import { buildRawCommandArgs, buildThumbnailArgs } from '../../workers/converters/ffmpeg/command.js';
import { describeFormatRefusal, inputWhitelistArgs } from '../../workers/converters/ffmpeg/demuxers.js';

const IN = '/work/job 1/in put.mp4';
const OUT = '/work/job 1/out.file';
const INPUT = { path: IN, format: 'mp4' } as const;
const WHITELISTS = ['-protocol_whitelist', 'file', '-format_whitelist', 'mov'];

describe('input whitelists', () => {
  it('gives every catalog media input local files only and its family\'s demuxers, never a playlist', () => {
    for (const format of [...VIDEO_FORMATS, ...VIDEO_READ_ONLY, ...AUDIO_FORMATS, ...SUBTITLE_FORMATS, 'gif'] as const) {
      const args = inputWhitelistArgs(format);
      assert.deepEqual(args.slice(0, 3), ['-protocol_whitelist', 'file', '-format_whitelist'], format);
      assert.doesNotMatch(args[3] ?? '', /(^|,)(hls|dash|concat|image2|subfile|ffmetadata|tee|lavfi)(,|$)/, format);
    }
    assert.equal(inputWhitelistArgs('mp4')[3], 'mov');
    assert.equal(inputWhitelistArgs('m4a')[3], 'mov');
    assert.equal(inputWhitelistArgs('webm')[3], 'matroska');
    assert.throws(() => inputWhitelistArgs('pdf'), /no demuxer list for pdf/);
  });
  it('puts them before the input of thumbnails and of the raw command, which cannot widen them', () => {
    const thumb = buildThumbnailArgs({ path: IN, format: 'mkv' }, OUT, 1, 'png', null);
    assert.deepEqual(thumb.slice(thumb.indexOf('-i') - 4, thumb.indexOf('-i')), ['-protocol_whitelist', 'file', '-format_whitelist', 'matroska']);
    const raw = buildRawCommandArgs('-format_whitelist hls -i {INPUTFILE} {OUTPUTFILE}', INPUT, OUT);
    assert.deepEqual(raw.slice(8), ['-format_whitelist', 'hls', ...WHITELISTS, '-i', `file:${IN}`, `file:${OUT}`]);
  });
  it('turns ffmpeg\'s refusal into a message naming the format found', () => {
    const stderr = "[hls @ 0x55e4c4503280] Format not on whitelist 'mov'\nfile:/w/in.mp4: Invalid argument\n";
    assert.match(describeFormatRefusal(stderr, 'mp4') ?? '', /^The file is not a mp4 file: ffmpeg reads it as hls, which is not read for inputformat mp4/);
    assert.match(describeFormatRefusal("[mov,mp4,m4a,3gp,3g2,mj2 @ 0x1] Format not on whitelist 'matroska'", 'webm') ?? '', /reads it as mov,/);
    assert.equal(describeFormatRefusal('file:/w/in.mp4: Invalid data found when processing input', 'mp4'), undefined);
  });
});
