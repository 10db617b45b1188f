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
import type { InputAdapter } from './types.js';

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
