// input=sftp: streams `file` from the user's SFTP server into the job's folder, with the owner's
// size limit checked before (stat) and while the bytes arrive.
import { createWriteStream } from 'node:fs';
import { unlink } from 'node:fs/promises';
import { pipeline } from 'node:stream/promises';
import { appError } from '../../src/core/errors.js';
import { secretValues } from '../../src/core/remote/redact.js';
import { byteLimit } from '../../src/core/storage/local-file-store.js';
import { explainSftpError, withSftp, type SessionTrouble } from '../remote/sftp.js';
import { requireSecret, type RemoteSettings } from '../remote/settings.js';
import type { InputAdapter, InputLister } from './types.js';

export function sftpInput(settings: RemoteSettings): InputAdapter<'sftp'> {
  return {
    async fetch(source, destination, context) {
      const secret = requireSecret(context.secret, 'sftp', 'input');
      const trouble: SessionTrouble = { hostKeyRejected: false };
      try {
        return await withSftp(source, secret, settings, context.signal, async (client) => {
          const { size } = await client.stat(source.path);
          if (size > context.maxBytes) throw appError('TOO_LARGE', `The input file (${size} bytes) is larger than the limit of ${context.maxBytes} bytes.`);
          const counter = byteLimit(context.maxBytes);
          const writing = pipeline(counter, createWriteStream(destination));
          try {
            await client.get(source.path, counter);
          } catch (error) {
            counter.destroy();
            await writing.catch(() => undefined);
            throw error;
          }
          await writing;
          return counter.bytes;
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
