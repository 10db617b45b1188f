// The command operation's argument handling: shell-like splitting without a shell, the refusal
// of anything that reads or writes outside /input and /output, and the mapping of those paths.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { checkedArguments, CommandLineError, mapPaths, tokenize } from '../../src/core/v2/command-line.js';

describe('command arguments', () => {
  it('splits on blanks and keeps quoted text as one word, with no shell meaning', () => {
    assert.deepEqual(tokenize(`-i /input/a/my file.mp4`), ['-i', '/input/a/my', 'file.mp4']);
    assert.deepEqual(tokenize(`-i "/input/a/my file.mp4" -vf 'scale=320:-1' x\\ y`), ['-i', '/input/a/my file.mp4', '-vf', 'scale=320:-1', 'x y']);
    assert.deepEqual(tokenize(`a;rm -rf $(id) "say \\"hi\\""`), ['a;rm', '-rf', '$(id)', 'say "hi"']);
    assert.deepEqual(tokenize(`''  ""`), ['', '']);
    assert.throws(() => tokenize(`-i "open`), /unterminated double quote/);
  });

  it('accepts /input and /output paths, filters and option values', () => {
    const argv = checkedArguments('-i /input/in/a.wav -c:a libmp3lame -b:a 96k -af volume=0.5 -r 30000/1001 /output/out.mp3', 'ffmpeg');
    assert.equal(argv.length, 11);
    assert.doesNotThrow(() => checkedArguments('/input/in/a.png -resize 50% -size 10x10 xc:red /output/b.png', 'imagemagick'));
  });

  const refused: Array<[string, 'ffmpeg' | 'imagemagick', RegExp]> = [
    ['-i /etc/passwd /output/x.mp3', 'ffmpeg', /outside \/input and \/output/],
    ['-i /input/../../etc/passwd /output/x.mp3', 'ffmpeg', /"\.\."/],
    ['-i ../x /output/x.mp3', 'ffmpeg', /"\.\."/],
    ['-i http://127.0.0.1/ /output/x.mp3', 'ffmpeg', /is a URL/],
    ['-i concat:/input/a/b|/input/a/c /output/x.mp3', 'ffmpeg', /ffmpeg protocol/],
    ['-i file:x.wav /output/x.mp3', 'ffmpeg', /ffmpeg protocol/],
    ['-f lavfi -i movie=/etc/hosts /output/x.mp4', 'ffmpeg', /outside/],
    ['-i /input/a/b.wav /tmp/x.mp3', 'ffmpeg', /outside/],
    ['msl:/input/a/b.msl /output/x.png', 'imagemagick', /ImageMagick coder/],
    ['text:@/input/a/b /output/x.png', 'imagemagick', /ImageMagick coder/],
    ['@/input/a/list /output/x.png', 'imagemagick', /through "@"/],
    ['label:@x /output/x.png', 'imagemagick', /through "@"/],
    ['-i etc/passwd /output/x.mp3', 'ffmpeg', /relative path/],
    ['-i /input/a/b.wav -af "volume=1" proc/self/environ', 'ffmpeg', /relative path/],
    ['-vf "movie=\\/etc\\/passwd" /output/x.mp4', 'ffmpeg', /backslash/],
    ['-i /input/a/b.mp4 -filter_complex_script /input/a/f.txt /output/x.mp4', 'ffmpeg', /filter scripts/],
    ['-f lavfi -i "amovie=/input/a/list.m3u8" /output/x.mp3', 'ffmpeg', /movie filters/],
    ['-vf "scale=320:-1, /etc/x" /output/x.mp4', 'ffmpeg', /outside/],
    ['/input/a/b.png -draw "image over 0,0 0,0 \'/etc/passwd\'" /output/x.png', 'imagemagick', /outside/],
    // Found by review: plugin libraries the client uploads, attachments written where the file's
    // tag says, tee's [..] outputs, the protocols ffmpeg 5.1 has beyond the first list, our own
    // whitelist options, "//" and " .." slipping past the path checks, and a leading "|".
    ['-i /input/a/b.wav -af "ladspa=file=/input/a/evil.so:p=x" /output/x.wav', 'ffmpeg', /loads a library/],
    ['-i /input/a/b.mp4 -vf frei0r=filter_name=/input/a/evil.so /output/x.mp4', 'ffmpeg', /loads a library/],
    ['-i /input/a/b.wav -af lv2=p=http /output/x.wav', 'ffmpeg', /loads a library/],
    ['-dump_attachment:t "" -i /input/a/x.mkv /output/x.mp3', 'ffmpeg', /-dump_attachment/],
    ['-i /input/a/b.wav "[f=mpegts]/output/x.ts|[f=mpegts]/tmp/evil.ts"', 'ffmpeg', /outside/],
    ['-i /input/a/b.wav -f tee /output/x.ts', 'ffmpeg', /muxer/],
    ['-i /input/a/b.wav -f segment /output/x%d.ts', 'ffmpeg', /muxer/],
    ['-i /input/a/b.wav -f mpegts rist:1.2.3.4:5', 'ffmpeg', /ffmpeg protocol/],
    ['-i /input/a/b.wav -f mpegts amqp:x', 'ffmpeg', /ffmpeg protocol/],
    ['-protocol_whitelist file,tcp -i /input/a/b.wav /output/x.mp3', 'ffmpeg', /whitelist/],
    ['-i /input/a/b.mp4 -vf drawtext=textfile=etc//passwd /output/x.mp4', 'ffmpeg', /"\/\/"/],
    ['-i /input/a/b.mp4 -vf "subtitles= ..//x" /output/x.mp4', 'ffmpeg', /"\.\."/],
    ['/input/a/b.png -write "|touch x" /output/x.png', 'imagemagick', /starts with "\|"/],
  ];
  for (const [line, engine, message] of refused) {
    it(`refuses ${engine} ${line}`, () => {
      assert.throws(() => checkedArguments(line, engine), (error: unknown) => error instanceof CommandLineError && message.test(error.message));
    });
  }

  it('maps /input and /output where a path starts, and nothing else', () => {
    const folders = { input: '/jobs/1/cmd-input', output: '/jobs/1/output/' };
    assert.deepEqual(mapPaths(['-i', '/input/a/x.wav', '-vf', 'movie=/input/b/y.png', '/output/o.mp3', 'a/input/b'], folders), ['-i', '/jobs/1/cmd-input/a/x.wav', '-vf', 'movie=/jobs/1/cmd-input/b/y.png', '/jobs/1/output/o.mp3', 'a/input/b']);
  });
});

describe('command output', () => {
  it('shows the job folders as /input and /output again', async () => {
    const { unmapPaths } = await import('../../src/core/v2/command-line.js');
    assert.equal(unmapPaths("from '/jobs/1/cmd-input/a/x.wav' to /jobs/1/output/o.mp3", { input: '/jobs/1/cmd-input', output: '/jobs/1/output/' }), "from '/input/a/x.wav' to /output/o.mp3");
  });
});

describe('ffmpeg command limits', () => {
  it('puts the file-only protocol and a demuxer list without playlists before every input', async () => {
    const { fileOnlyCommandArgs } = await import('../../workers/converters/ffmpeg/command.js');
    const argv = fileOnlyCommandArgs('ffmpeg', ['-i', '/a.wav', '-i', '/b.wav', '/o.mp3']);
    assert.equal(argv[0], '-nostdin');
    assert.equal(argv.filter((a) => a === '-protocol_whitelist').length, 2);
    const formats = String(argv[argv.indexOf('-format_whitelist') + 1]).split(',');
    assert.ok(formats.includes('wav') && formats.includes('lavfi'));
    for (const playlist of ['hls', 'concat', 'dash', 'image2']) assert.equal(formats.includes(playlist), false, playlist);
    assert.deepEqual(fileOnlyCommandArgs('ffprobe', ['/a.wav']).slice(0, 2), ['-protocol_whitelist', 'file']);
  });
});
