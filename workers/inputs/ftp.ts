// input=ftp: downloads `file` from the user's FTP server (passive mode, FTPS when asked) into the
// job's folder, with the owner's size limit checked before (SIZE) and while the bytes arrive.
import { createWriteStream } from 'node:fs';
import { unlink } from 'node:fs/promises';
import { pipeline } from 'node:stream/promises';
import type { Client } from 'basic-ftp';
import { appError } from '../../src/core/errors.js';
import { secretValues } from '../../src/core/remote/redact.js';
import { byteLimit } from '../../src/core/storage/local-file-store.js';
import { explainFtpError, withFtp } from '../remote/ftp.js';
import { requireSecret, type RemoteSettings } from '../remote/settings.js';
import type { InputAdapter } from './types.js';

async function announcedSize(client: Client, path: string): Promise<number | undefined> {
  try {
    return await client.size(path);
  } catch {
    return undefined; // SIZE is optional in FTP; the limit is enforced on the bytes anyway
  }
}

export function ftpInput(settings: RemoteSettings): InputAdapter<'ftp'> {
  return {
    async fetch(source, destination, context) {
      const secret = requireSecret(context.secret, 'ftp', 'input');
      try {
        return await withFtp(source, secret, settings, context.signal, async (client) => {
          const size = await announcedSize(client, source.path);
          if (size !== undefined && size > context.maxBytes) throw appError('TOO_LARGE', `The input file (${size} bytes) is larger than the limit of ${context.maxBytes} bytes.`);
          const counter = byteLimit(context.maxBytes);
          const writing = pipeline(counter, createWriteStream(destination));
          try {
            await client.downloadTo(counter, source.path);
          } catch (error) {
            counter.destroy();
            await writing.catch(() => undefined);
            throw error;
          }
          await writing;
          return counter.bytes;
        });
      } catch (error) {
        await unlink(destination).catch(() => undefined);
        if (context.signal.aborted) throw error;
        throw explainFtpError(error, { direction: 'input', server: source, path: source.path, secrets: secretValues(secret) });
      }
    },
  };
}
