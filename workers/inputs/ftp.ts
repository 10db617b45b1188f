// input=ftp: downloads `file` from the user's FTP server (passive mode, FTPS when asked) into the
// job's folder, with the owner's size limit checked before (SIZE) and while the bytes arrive.
import { unlink } from 'node:fs/promises';
import type { Client } from 'basic-ftp';
import { secretValues } from '../../src/core/remote/redact.js';
import { explainFtpError, withFtp } from '../remote/ftp.js';
import { requireSecret, type RemoteSettings } from '../remote/settings.js';
import type { InputAdapter } from './types.js';
import { receiveWithinLimit, refuseAnnouncedSize } from './within-limit.js';

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
          refuseAnnouncedSize(await announcedSize(client, source.path), context.maxBytes);
          return await receiveWithinLimit(destination, context.maxBytes, (sink) => client.downloadTo(sink, source.path));
        });
      } catch (error) {
        await unlink(destination).catch(() => undefined);
        if (context.signal.aborted) throw error;
        throw explainFtpError(error, { direction: 'input', server: source, path: source.path, secrets: secretValues(secret) });
      }
    },
  };
}
