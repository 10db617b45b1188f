// Inputs of the throughput benchmark, made at run time: a photo-like PNG (noise that is blurred,
// under a gradient: it compresses like a photo, not like flat shapes), a tiny PNG, a test-pattern
// video, and the checks that the external tools are there.
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import sharp from 'sharp';

const run = promisify(execFile);

/**
 * A `width`x`height` RGB PNG that compresses about as badly as a photo (about 1.4 MB at 1 MP):
 * gaussian noise blurred a little, multiplied with a diagonal colour gradient, written with
 * adaptive filtering as photo tools do.
 */
export async function photoPng(width: number, height: number): Promise<Buffer> {
  const noise = await sharp({ create: { width, height, channels: 3, background: '#b0b0b0', noise: { type: 'gaussian', mean: 128, sigma: 16 } } })
    .blur(1)
    .png()
    .toBuffer();
  const gradient = Buffer.from(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}"><defs><linearGradient id="g" x1="0" y1="0" x2="1" y2="1"><stop offset="0" stop-color="#3a7bd5"/><stop offset="0.5" stop-color="#f2f2f2"/><stop offset="1" stop-color="#d38312"/></linearGradient></defs><rect width="${width}" height="${height}" fill="url(#g)"/></svg>`,
  );
  return sharp(noise).composite([{ input: gradient, blend: 'multiply' }]).removeAlpha().png({ adaptiveFiltering: true, compressionLevel: 9 }).toBuffer();
}

/** Throws with what to install when `command --version` (or `args`) cannot run. */
export async function requireTool(command: string, install: string, args: readonly string[] = ['--version']): Promise<void> {
  try {
    await run(command, [...args]);
  } catch {
    throw new Error(`\`${command}\` is missing or does not run: ${install}`);
  }
}

/**
 * LibreOffice as the server runs it (soffice, and the uno module in the server's Python: its
 * LIBREOFFICE_PYTHON, /usr/bin/python3 by default, not whichever python3 is first on the PATH).
 */
export async function requireLibreOffice(env: Readonly<Record<string, string>>): Promise<void> {
  await requireTool('soffice', 'install LibreOffice (apt-get install libreoffice-writer-nogui python3-uno, or `bash scripts/setup.sh`).');
  const python = env['LIBREOFFICE_PYTHON'] ?? '/usr/bin/python3';
  await requireTool(python, 'install python3-uno (apt-get install python3-uno) or point LIBREOFFICE_PYTHON at a Python that has it.', ['-c', 'import uno']);
}

/**
 * A `seconds`-long 1280x720 30 fps test-pattern MP4 (x264 ultrafast, with a sine tone) in `dir`;
 * cheap to make and to upload, slow to re-encode (about 1.3 CPU-seconds per second to VP9 here).
 */
export async function testVideo(dir: string, seconds: number): Promise<Buffer> {
  await requireTool('ffmpeg', 'install ffmpeg (apt-get install ffmpeg).', ['-version']);
  const file = path.join(dir, 'testsrc.mp4');
  const args = ['-v', 'error', '-y', '-f', 'lavfi', '-i', 'testsrc=size=1280x720:rate=30', '-f', 'lavfi', '-i', 'sine=frequency=440:sample_rate=48000'];
  await run('ffmpeg', [...args, '-t', String(seconds), '-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p', '-c:a', 'aac', '-shortest', file]);
  return readFile(file);
}
