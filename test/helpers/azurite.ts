// Azurite (Microsoft's Azure Storage emulator, npm `azurite`) for tests: its blob service on a
// free 127.0.0.1 port, data in a temp dir, the well-known dev account, path-style URLs. It checks
// Shared Key signatures, so a wrong account key is refused as by Azure.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { BlobServiceClient, StorageSharedKeyCredential } from '@azure/storage-blob';
import { freePort } from '../../src/runtime/embedded-redis.js';

/** Azurite's documented development account and key (public, not a secret). */
export const AZURITE_ACCOUNT = 'devstoreaccount1';
export const AZURITE_KEY = 'Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==';

export interface AzuriteServer {
  /** http://127.0.0.1:PORT/devstoreaccount1 (the account's blob service URL). */
  readonly endpoint: string;
  /** A client with the dev account's key. */
  readonly client: BlobServiceClient;
  createContainer(name: string): Promise<void>;
  putBlob(container: string, name: string, body: Buffer | string): Promise<void>;
  /** The blob's bytes, or undefined when it does not exist. */
  getBlob(container: string, name: string): Promise<Buffer | undefined>;
  listBlobs(container: string): Promise<string[]>;
  /** Azurite's process id (for memory sampling in the benchmark). */
  readonly pid: number;
  stop(): Promise<void>;
}

async function listening(port: number, child: ChildProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`Azurite exited with code ${child.exitCode} before listening`);
    const up = await new Promise<boolean>((resolve) => {
      const socket = net.connect(port, '127.0.0.1', () => resolve(socket.end() !== undefined));
      socket.on('error', () => resolve(false));
    });
    if (up) return;
    if (Date.now() > deadline) throw new Error(`Azurite did not listen on ${port} within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

export async function startAzurite(containers: readonly string[] = []): Promise<AzuriteServer> {
  const bin = path.resolve('node_modules/.bin/azurite-blob');
  if (!existsSync(bin)) throw new Error('Azurite is not installed: run `npm install` (it is a dev dependency, npm package azurite).');
  const location = await mkdtemp(path.join(os.tmpdir(), 'oc-azurite-'));
  const port = await freePort();
  const child = spawn(bin, ['--blobHost', '127.0.0.1', '--blobPort', String(port), '--location', location, '--silent', '--skipApiVersionCheck', '--loose'], { stdio: 'ignore' });
  try {
    await listening(port, child, 60_000);
  } catch (error) {
    child.kill();
    throw error;
  }
  const endpoint = `http://127.0.0.1:${port}/${AZURITE_ACCOUNT}`;
  const client = new BlobServiceClient(endpoint, new StorageSharedKeyCredential(AZURITE_ACCOUNT, AZURITE_KEY));
  const server: AzuriteServer = {
    endpoint,
    client,
    pid: child.pid ?? 0,
    async createContainer(name) {
      await client.getContainerClient(name).createIfNotExists();
    },
    async putBlob(container, name, body) {
      const data = Buffer.from(body);
      await client.getContainerClient(container).getBlockBlobClient(name).upload(data, data.length);
    },
    async getBlob(container, name) {
      const blob = client.getContainerClient(container).getBlobClient(name);
      if (!(await blob.exists())) return undefined;
      return blob.downloadToBuffer();
    },
    async listBlobs(container) {
      const names: string[] = [];
      for await (const item of client.getContainerClient(container).listBlobsFlat()) names.push(item.name);
      return names;
    },
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill();
        await exited;
      }
      await rm(location, { recursive: true, force: true });
    },
  };
  for (const name of containers) await server.createContainer(name);
  return server;
}
