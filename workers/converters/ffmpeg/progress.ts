// Pure: ffmpeg's `-progress pipe:1` output (key=value lines) to seconds of output written.
export class ProgressParser {
  private buffer = '';

  /** Feeds a chunk; returns the latest output time in seconds it contained, if any. */
  push(chunk: string): number | undefined {
    this.buffer += chunk;
    const lines = this.buffer.split('\n');
    this.buffer = lines.pop() ?? '';
    let latest: number | undefined;
    for (const line of lines) {
      const match = /^out_time_us=(\d+)/.exec(line.trim());
      if (match?.[1] !== undefined) latest = Number(match[1]) / 1e6;
    }
    return latest;
  }
}
