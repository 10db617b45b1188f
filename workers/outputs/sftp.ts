// output=sftp: each file is sent from disk in chunks with many requests in flight (ssh2's
// fastPut: a few MiB of buffers whatever the size, and faster than one write at a time), under a
// hidden temporary name in its folder (created when missing), renamed into place once complete,
// so no half-written file carries the final name. A failure removes the temporary file and the
// files this delivery already wrote, over a fresh connection when the first one is gone.
import { posix } from 'node:path';
import type SftpClient from 'ssh2-sftp-client';
import type { RemoteSecret, SftpServer } from '../../src/core/remote/locations.js';
import { targetPaths } from '../../src/core/remote/paths.js';
import { secretValues } from '../../src/core/remote/redact.js';
import { explainSftpError, withSftp, type SessionTrouble } from '../remote/sftp.js';
import { requireSecret, type RemoteSettings } from '../remote/settings.js';
import { temporaryName, type Progress } from './temporary-name.js';
import type { OutputDeliverer, OutputFileRef } from './types.js';


async function upload(client: SftpClient, files: readonly OutputFileRef[], paths: readonly string[], progress: Progress, report: (bytes: number) => void): Promise<void> {
  let done = 0;
  for (const [i, file] of files.entries()) {
    const remote = paths[i] ?? file.name;
    const dir = posix.dirname(remote);
    if (dir !== '.' && dir !== '/' && (await client.exists(dir)) === false) await client.mkdir(dir, true);
    progress.temp = temporaryName(remote);
    await client.fastPut(file.path, progress.temp, { step: (sent) => report(done + sent) });
    // Replace what was there, as FTP's rename and S3's PUT do (plain SFTP rename refuses).
    if ((await client.exists(remote)) !== false) await client.delete(remote);
    await client.rename(progress.temp, remote);
    progress.temp = undefined;
    progress.written.push(remote);
    done += file.size;
  }
}

/** Best effort: removes what a failed delivery left, on a connection of its own. */
async function rollBack(server: SftpServer, login: Extract<RemoteSecret, { kind: 'sftp' }>, settings: RemoteSettings, progress: Progress): Promise<void> {
  const leftovers = [...(progress.temp === undefined ? [] : [progress.temp]), ...progress.written];
  if (leftovers.length === 0) return;
  await withSftp(server, login, settings, AbortSignal.timeout(settings.timeoutMs), async (client) => {
    for (const path of leftovers) await client.delete(path, true).catch(() => undefined);
  }).catch(() => undefined);
}

export function sftpOutput(settings: RemoteSettings): OutputDeliverer<'sftp'> {
  return {
    async deliver(target, files, context) {
      const secret = requireSecret(context.secret, 'sftp', 'output');
      const paths = targetPaths(target.path, files.map((f) => f.name));
      const progress: Progress = { temp: undefined, written: [] };
      const trouble: SessionTrouble = { hostKeyRejected: false };
      try {
        await withSftp(target, secret, settings, context.signal, (client) => upload(client, files, paths, progress, context.progress), trouble);
      } catch (error) {
        await rollBack(target, secret, settings, progress);
        if (context.signal.aborted) throw error;
        throw explainSftpError(error, { direction: 'output', server: target, path: paths[progress.written.length] ?? '', secrets: secretValues(secret), trouble });
      }
      return { type: 'sftp', place: { host: target.host, port: target.port }, files: paths };
    },
  };
}
