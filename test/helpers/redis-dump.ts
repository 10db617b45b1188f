// Everything a Redis holds, read with the real `redis-cli` as an operator (or anyone with a
// backup) would: every key by SCAN with its values by type, and the whole dataset as an RDB
// snapshot written without compression (LZF would hide text from a search).
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** The command that lists a key's values, by TYPE. */
const READ_BY_TYPE: Readonly<Record<string, readonly string[]>> = {
  string: ['GET'],
  hash: ['HGETALL'],
  list: ['LRANGE', '{key}', '0', '-1'],
  set: ['SMEMBERS'],
  zset: ['ZRANGE', '{key}', '0', '-1', 'WITHSCORES'],
  stream: ['XRANGE', '{key}', '-', '+'],
};

export interface RedisDump {
  /** Key name → what redis-cli printed for its values. */
  readonly values: ReadonlyMap<string, string>;
  /** The RDB snapshot's bytes, as latin1 text (ASCII secrets show as themselves). */
  readonly snapshot: string;
}

async function cli(port: number, ...args: string[]): Promise<string> {
  const { stdout } = await run('redis-cli', ['-p', String(port), '--raw', ...args], { maxBuffer: 256 * 1024 * 1024 });
  return stdout;
}

/** Dumps the Redis on 127.0.0.1:`port`; the snapshot is written into `dir`. */
export async function dumpRedis(port: number, dir: string): Promise<RedisDump> {
  const keys = (await cli(port, '--scan')).split('\n').filter((key) => key !== '');
  const values = new Map<string, string>();
  for (const key of keys) {
    const type = (await cli(port, 'TYPE', key)).trim();
    if (type === 'none') continue; // gone since the scan (a TTL ran out)
    const command = READ_BY_TYPE[type];
    if (command === undefined) throw new Error(`dumpRedis: ${key} has type ${type}, which it cannot read`);
    const args = command.length === 1 ? [...command, key] : command.map((arg) => (arg === '{key}' ? key : arg));
    values.set(key, await cli(port, ...args));
  }
  await cli(port, 'CONFIG', 'SET', 'rdbcompression', 'no');
  const file = path.join(dir, `dump-${Date.now()}.rdb`);
  await run('redis-cli', ['-p', String(port), '--rdb', file]);
  return { values, snapshot: (await readFile(file)).toString('latin1') };
}
