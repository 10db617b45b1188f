import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { describeMedia, mediaFacts, type ProbeJson } from '../../workers/converters/ffmpeg/probe.js';

/** ffprobe -show_format -show_streams of an NTSC-rate MP4 with cover art, written by hand. */
const MP4: ProbeJson = {
  streams: [
    {
      index: 0, codec_name: 'h264', codec_long_name: 'H.264 / AVC / MPEG-4 AVC / MPEG-4 part 10', profile: 'High', codec_type: 'video',
      codec_tag_string: 'avc1', width: 1920, height: 1080, coded_width: 1920, coded_height: 1080, pix_fmt: 'yuv420p', level: 40,
      r_frame_rate: '30000/1001', avg_frame_rate: '30000/1001', time_base: '1/30000', start_pts: 0, start_time: '0.000000',
      duration_ts: 301301, duration: '10.043367', bit_rate: '4987321', nb_frames: '301',
      disposition: { default: 1, dub: 0, attached_pic: 0 }, tags: { language: 'und', handler_name: 'VideoHandler' },
    },
    {
      index: 1, codec_name: 'aac', codec_long_name: 'AAC (Advanced Audio Coding)', profile: 'LC', codec_type: 'audio', sample_fmt: 'fltp',
      sample_rate: '48000', channels: 2, channel_layout: 'stereo', bits_per_sample: 0, r_frame_rate: '0/0', avg_frame_rate: '0/0',
      time_base: '1/48000', duration: '10.005333', bit_rate: '128000', disposition: { default: 1, attached_pic: 0 },
    },
    {
      index: 2, codec_name: 'mjpeg', codec_type: 'video', width: 600, height: 600, r_frame_rate: '90000/1', avg_frame_rate: '0/0',
      time_base: '1/90000', duration: 'N/A', bit_rate: 'N/A', disposition: { default: 0, attached_pic: 1 },
    },
  ],
  format: {
    filename: 'file:/work/job/in.mp4', nb_streams: 3, nb_programs: 0, format_name: 'mov,mp4,m4a,3gp,3g2,mj2',
    format_long_name: 'QuickTime / MOV', start_time: '0.000000', duration: '10.043367', size: '6432123', bit_rate: '5123456', probe_score: 100,
    tags: { major_brand: 'isom', encoder: 'Lavf60.16.100' },
  },
};

/** An MP3 whose only "video" stream is its cover picture, listed first; some values are N/A. */
const MP3_WITH_COVER: ProbeJson = {
  streams: [
    { index: 0, codec_name: 'png', codec_type: 'video', width: 500, height: 500, r_frame_rate: '90000/1', avg_frame_rate: '0/0', disposition: { default: 0, attached_pic: 1 } },
    { index: 1, codec_name: 'mp3', codec_type: 'audio', sample_rate: '44100', channels: 2, bit_rate: '320000', duration: '215.928163', avg_frame_rate: '0/0', disposition: { attached_pic: 0 } },
  ],
  format: { format_name: 'mp3', duration: '215.928163', size: 'N/A', bit_rate: '320123' },
};

describe('describeMedia', () => {
  it('reports the container and numbers as numbers', () => {
    const info = describeMedia(MP4);
    assert.equal(info['format'], 'mov,mp4,m4a,3gp,3g2,mj2');
    assert.equal(info['duration'], 10.043367);
    assert.equal(info['bit_rate'], 5123456);
    assert.equal(info['size'], 6432123);
  });

  it('describes each stream, with fps 30000/1001 as 29.97', () => {
    const streams = describeMedia(MP4)['streams'];
    assert.ok(Array.isArray(streams));
    assert.equal(streams.length, 3);
    assert.deepEqual(streams[0], {
      index: 0, type: 'video', codec: 'h264', width: 1920, height: 1080, fps: 29.97, sample_rate: null, channels: null, bit_rate: 4987321, duration: 10.043367,
    });
    assert.deepEqual(streams[1], {
      index: 1, type: 'audio', codec: 'aac', width: null, height: null, fps: null, sample_rate: 48000, channels: 2, bit_rate: 128000, duration: 10.005333,
    });
  });

  it('turns N/A into null and falls back to r_frame_rate when avg_frame_rate is 0/0', () => {
    const streams = describeMedia(MP4)['streams'];
    assert.ok(Array.isArray(streams));
    assert.deepEqual(streams[2], {
      index: 2, type: 'video', codec: 'mjpeg', width: 600, height: 600, fps: 90000, sample_rate: null, channels: null, bit_rate: null, duration: null,
    });
    assert.equal(describeMedia(MP3_WITH_COVER)['size'], null);
  });

  it('rounds other fractional rates to three decimals and reads plain numbers', () => {
    const fps = (avg: unknown, r?: unknown): unknown => {
      const streams = describeMedia({ streams: [{ codec_type: 'video', avg_frame_rate: avg, r_frame_rate: r }] })['streams'];
      assert.ok(Array.isArray(streams));
      return (streams[0] as Record<string, unknown>)['fps'];
    };
    assert.equal(fps('24000/1001'), 23.976);
    assert.equal(fps('25/1'), 25);
    assert.equal(fps('25'), 25);
    assert.equal(fps('0/0', '0/0'), null);
    assert.equal(fps('1/0'), null);
    assert.equal(fps('N/A'), null);
    assert.equal(fps(undefined), null);
  });

  it('is all null for an empty probe', () => {
    assert.deepEqual(describeMedia({}), { format: null, duration: null, bit_rate: null, size: null, streams: [] });
    const info = describeMedia({ format: { duration: '' }, streams: [{}] });
    assert.equal(info['duration'], null);
    assert.deepEqual(info['streams'], [
      { index: null, type: null, codec: null, width: null, height: null, fps: null, sample_rate: null, channels: null, bit_rate: null, duration: null },
    ]);
  });
});

describe('mediaFacts', () => {
  it('takes the duration from the format and the size from the first real video stream', () => {
    assert.deepEqual(mediaFacts(MP4), { duration: 10.043367, hasVideo: true, width: 1920, height: 1080 });
  });

  it('does not count an attached picture as video, even when it comes first', () => {
    assert.deepEqual(mediaFacts(MP3_WITH_COVER), { duration: 215.928163, hasVideo: false, width: null, height: null });
  });

  it('a video stream without an attached_pic disposition is video', () => {
    const facts = mediaFacts({ streams: [{ codec_type: 'video', width: '640', height: 360 }], format: { duration: '1.5' } });
    assert.deepEqual(facts, { duration: 1.5, hasVideo: true, width: 640, height: 360 });
  });

  it('an unknown duration is 0 and a missing stream list has no video', () => {
    assert.deepEqual(mediaFacts({ format: { duration: 'N/A' } }), { duration: 0, hasVideo: false, width: null, height: null });
    assert.deepEqual(mediaFacts({}), { duration: 0, hasVideo: false, width: null, height: null });
  });
});
