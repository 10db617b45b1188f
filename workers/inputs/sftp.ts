// input=sftp: streams `file` from the user's SFTP server into the job's folder, with the owner's
// size limit checked before (stat) and while the bytes arrive.
import { unlink } from 'node:fs/promises';
import { secretValues } from '../../src/core/remote/redact.js';
import { explainSftpError, withSftp, type SessionTrouble } from '../remote/sftp.js';
import { requireSecret, type RemoteSettings } from '../remote/settings.js';
import type { InputAdapter, InputLister } from './types.js';
import { receiveWithinLimit, refuseAnnouncedSize } from './within-limit.js';

export function sftpInput(settings: RemoteSettings): InputAdapter<'sftp'> {
  return {
    async fetch(source, destination, context) {
      const secret = requireSecret(context.secret, 'sftp', 'input');
      const trouble: SessionTrouble = { hostKeyRejected: false };
      try {
        return await withSftp(source, secret, settings, context.signal, async (client) => {
          refuseAnnouncedSize((await client.stat(source.path)).size, context.maxBytes);
          return await receiveWithinLimit(destination, context.maxBytes, (sink) => client.get(source.path, sink));
        }, trouble);
      } catch (error) {
        await unlink(destination).catch(() => undefined);
        if (context.signal.aborted) throw error;
        throw explainSftpError(error, { direction: 'input', server: source, path: source.path, secrets: secretValues(secret), trouble });
      }
    },
  };
}

/**
 * path (a folder): its regular files, without recursing into sub-folders (CloudConvert imports
 * the folder's files; a tree would need names that keep the folders).
 */
export function sftpLister(settings: RemoteSettings): InputLister<'sftp'> {
  return {
    async list(place, folder, limit, context) {
      const secret = requireSecret(context.secret, 'sftp', 'input');
      const trouble: SessionTrouble = { hostKeyRejected: false };
      const base = folder.replace(/\/+$/, '');
      try {
        return await withSftp(place, secret, settings, context.signal, async (client) => {
          const entries = await client.list(base === '' ? '/' : base);
          const files = entries.filter((e) => e.type === '-').sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
          return files.slice(0, limit).map((e) => ({ name: `${base}/${e.name}`, size: e.size }));
        }, trouble);
      } catch (error) {
        if (context.signal.aborted) throw error;
        throw explainSftpError(error, { direction: 'input', server: place, path: folder, secrets: secretValues(secret), trouble });
      }
    },
  };
}
