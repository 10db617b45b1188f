// What the FTP and SFTP deliverers share: each file is written under a hidden temporary name in
// its folder and renamed into place once complete, and a failure removes what was written.
import { randomBytes } from 'node:crypto';
import { posix } from 'node:path';

/** `.name.<random>.partial` beside `remote`: hidden, and never taken for the finished file. */
export const temporaryName = (remote: string): string => {
  const dir = posix.dirname(remote);
  return `${dir === '.' ? '' : `${dir.replace(/\/$/, '')}/`}.${posix.basename(remote)}.${randomBytes(4).toString('hex')}.partial`;
};

/** What a delivery has written so far: the file in flight, and the finished ones (to remove on failure). */
export interface Progress {
  temp: string | undefined;
  readonly written: string[];
}
