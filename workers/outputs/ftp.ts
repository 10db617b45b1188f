// output=ftp: each file is uploaded under a hidden temporary name in its folder (created when
// missing) and renamed into place once complete, so no half-written file ever carries the final
// name. A failure removes the temporary file and the files this delivery already wrote, over a
// fresh connection when the first one is gone.
import { createReadStream } from 'node:fs';
import { posix } from 'node:path';
import type { Client } from 'basic-ftp';
import type { FtpServer } from '../../src/core/remote/locations.js';
import { targetPaths } from '../../src/core/remote/paths.js';
import { secretValues } from '../../src/core/remote/redact.js';
import { explainFtpError, withFtp } from '../remote/ftp.js';
import { requireSecret, type RemoteSettings } from '../remote/settings.js';
import { temporaryName, type Progress } from './temporary-name.js';
import type { OutputDeliverer, OutputFileRef } from './types.js';


async function upload(client: Client, files: readonly OutputFileRef[], paths: readonly string[], progress: Progress, report: (bytes: number) => void): Promise<void> {
  const home = await client.pwd();
  let done = 0;
  client.trackProgress((info) => report(done + info.bytes));
  try {
    for (const [i, file] of files.entries()) {
      const remote = paths[i] ?? file.name;
      const dir = posix.dirname(remote);
      if (dir !== '.' && dir !== '/') {
        await client.ensureDir(dir); // changes the working directory
        await client.cd(home);
      }
      progress.temp = temporaryName(remote);
      await client.uploadFrom(createReadStream(file.path), progress.temp);
      await client.rename(progress.temp, remote);
      progress.temp = undefined;
      progress.written.push(remote);
      done += file.size;
    }
  } finally {
    client.trackProgress();
  }
}

/** Best effort: removes what a failed delivery left, on a connection of its own. */
async function rollBack(server: FtpServer, login: { user: string; password: string }, settings: RemoteSettings, progress: Progress): Promise<void> {
  const leftovers = [...(progress.temp === undefined ? [] : [progress.temp]), ...progress.written];
  if (leftovers.length === 0) return;
  await withFtp(server, login, settings, AbortSignal.timeout(settings.timeoutMs), async (client) => {
    for (const path of leftovers) await client.remove(path, true);
  }).catch(() => undefined);
}

export function ftpOutput(settings: RemoteSettings): OutputDeliverer<'ftp'> {
  return {
    async deliver(target, files, context) {
      const secret = requireSecret(context.secret, 'ftp', 'output');
      const paths = targetPaths(target.path, files.map((f) => f.name));
      const progress: Progress = { temp: undefined, written: [] };
      try {
        await withFtp(target, secret, settings, context.signal, (client) => upload(client, files, paths, progress, context.progress));
      } catch (error) {
        await rollBack(target, secret, settings, progress);
        if (context.signal.aborted) throw error;
        throw explainFtpError(error, { direction: 'output', server: target, path: paths[progress.written.length] ?? '', secrets: secretValues(secret) });
      }
      return { type: 'ftp', place: { host: target.host, port: target.port }, files: paths };
    },
  };
}
