import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ProgressParser } from '../../workers/converters/ffmpeg/progress.js';

/** One block as ffmpeg writes it with `-progress pipe:1`. */
const block = (outTimeUs: string, progress: 'continue' | 'end' = 'continue'): string =>
  [
    'frame=120', 'fps=30.00', 'stream_0_0_q=28.0', 'bitrate= 512.3kbits/s', 'total_size=262144',
    `out_time_us=${outTimeUs}`, `out_time_ms=${outTimeUs}`, 'out_time=00:00:04.000000', 'dup_frames=0', 'drop_frames=0', 'speed=2.01x', `progress=${progress}`,
  ].join('\n') + '\n';

describe('ProgressParser', () => {
  it('reads out_time_us as seconds', () => {
    assert.equal(new ProgressParser().push(block('4000000')), 4);
    assert.equal(new ProgressParser().push('out_time_us=1500000\n'), 1.5);
    assert.equal(new ProgressParser().push('out_time_us=0\n'), 0);
  });

  it('joins a line split across chunks', () => {
    const parser = new ProgressParser();
    assert.equal(parser.push('frame=10\nout_time_'), undefined);
    assert.equal(parser.push('us=12'), undefined);
    assert.equal(parser.push('34567'), undefined);
    assert.equal(parser.push('\nspeed=1x\n'), 1.234567);
  });

  it('does not report a value before its line is complete', () => {
    const parser = new ProgressParser();
    assert.equal(parser.push('out_time_us=2000000'), undefined, 'the line could still continue');
    assert.equal(parser.push('0\n'), 20);
  });

  it('returns the latest value of a chunk', () => {
    const parser = new ProgressParser();
    assert.equal(parser.push(block('1000000') + block('2000000') + block('3500000', 'end')), 3.5);
  });

  it('reports per chunk: a later chunk without a value gives undefined', () => {
    const parser = new ProgressParser();
    assert.equal(parser.push(block('1000000')), 1);
    assert.equal(parser.push('progress=continue\n'), undefined);
    assert.equal(parser.push(block('2000000')), 2);
  });

  it('is undefined when no out_time_us is given, or it is not a number', () => {
    const parser = new ProgressParser();
    assert.equal(parser.push('frame=1\nfps=0.0\nprogress=continue\n'), undefined);
    assert.equal(parser.push('out_time_us=N/A\nout_time=N/A\n'), undefined);
    assert.equal(parser.push('out_time_us=-9223372036854775807\n'), undefined, 'ffmpeg prints a negative sentinel before the first frame');
    assert.equal(parser.push(''), undefined);
  });

  it('does not mistake out_time_ms or out_time for out_time_us', () => {
    assert.equal(new ProgressParser().push('out_time_ms=5000000\nout_time=00:00:05.000000\n'), undefined);
  });

  it('tolerates CRLF line ends and surrounding spaces', () => {
    assert.equal(new ProgressParser().push('frame=3\r\n  out_time_us=750000 \r\n'), 0.75);
  });
});
