// An S3-compatible server on 127.0.0.1 for tests (@20minutes/s3rver in this process, files in a
// temp dir). It accepts only the access key id "S3RVER" but does not check secrets, session
// tokens, regions or ACLs, so tests assert what was sent through `requests`. Requests can be
// slowed down or failed on purpose (`slowDown`, `failWhen`).
import { mkdtemp, rm } from 'node:fs/promises';
import http, { type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import os from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { setTimeout as delay } from 'node:timers/promises';
import S3rver from '@20minutes/s3rver';
import { CreateBucketCommand, GetObjectCommand, ListObjectsV2Command, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { createS3Client } from '../../src/core/remote/s3.js';
import { patchS3rverDeleteRace } from './s3rver-patch.js';

/** The one access key id s3rver accepts; any secret is accepted with it. */
export const S3_KEY_ID = 'S3RVER';

export interface RecordedRequest {
  readonly method: string;
  readonly url: string;
  readonly headers: IncomingHttpHeaders;
}

export interface S3TestServer {
  /** http://127.0.0.1:PORT */
  readonly endpoint: string;
  /** Every request received, in order (method, path with query, headers). */
  readonly requests: RecordedRequest[];
  /** A client with the accepted key, path-style. */
  readonly client: S3Client;
  createBucket(name: string): Promise<void>;
  putObject(bucket: string, key: string, body: Buffer | string): Promise<void>;
  /** The object's bytes, or undefined when it does not exist. */
  getObject(bucket: string, key: string): Promise<Buffer | undefined>;
  listKeys(bucket: string, prefix?: string): Promise<string[]>;
  /** Requests matching `match` wait `ms` before s3rver sees them (undefined: none). */
  slowDown: { match: (r: RecordedRequest) => boolean; ms: number } | undefined;
  /** Requests matching this are answered 500 InternalError. */
  failWhen: ((r: RecordedRequest) => boolean) | undefined;
  stop(): Promise<void>;
}

interface S3rverInstance {
  configureBuckets(): Promise<void>;
  callback(): (req: IncomingMessage, res: ServerResponse) => void;
  logger: { close(): void; exceptions: { unhandle(): void } };
}

const FAILURE = '<?xml version="1.0" encoding="UTF-8"?><Error><Code>InternalError</Code><Message>failed on purpose</Message></Error>';

export async function startS3Server(buckets: readonly string[] = []): Promise<S3TestServer> {
  const directory = await mkdtemp(path.join(os.tmpdir(), 'oc-s3rver-'));
  patchS3rverDeleteRace();
  const Server = S3rver as unknown as new (options: Record<string, unknown>) => S3rverInstance;
  const app = new Server({ silent: true, directory, allowMismatchedSignatures: true, configureBuckets: buckets.map((name) => ({ name })) });
  await app.configureBuckets();
  const handle = app.callback();
  const requests: RecordedRequest[] = [];
  const hooks: Pick<S3TestServer, 'slowDown' | 'failWhen'> = { slowDown: undefined, failWhen: undefined };
  const httpServer = http.createServer((req, res) => {
    const recorded = { method: req.method ?? '', url: req.url ?? '', headers: req.headers };
    requests.push(recorded);
    void (async () => {
      if (hooks.slowDown?.match(recorded) === true) await delay(hooks.slowDown.ms);
      if (hooks.failWhen?.(recorded) === true) {
        req.resume();
        res.writeHead(500, { 'content-type': 'application/xml' }).end(FAILURE);
        return;
      }
      handle(req, res);
    })();
  });
  await new Promise<void>((resolve) => httpServer.listen(0, '127.0.0.1', resolve));
  const endpoint = `http://127.0.0.1:${(httpServer.address() as AddressInfo).port}`;
  const client = createS3Client({ region: 'us-east-1', endpoint, credentials: { accessKeyId: S3_KEY_ID, secretAccessKey: 'S3RVER' }, timeoutMs: 10_000 });
  return {
    endpoint,
    requests,
    get slowDown() {
      return hooks.slowDown;
    },
    set slowDown(value) {
      hooks.slowDown = value;
    },
    get failWhen() {
      return hooks.failWhen;
    },
    set failWhen(value) {
      hooks.failWhen = value;
    },
    client,
    async createBucket(name) {
      await client.send(new CreateBucketCommand({ Bucket: name }));
    },
    async putObject(bucket, key, body) {
      await client.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body }));
    },
    async getObject(bucket, key) {
      try {
        const answer = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
        return Buffer.from((await answer.Body?.transformToByteArray()) ?? []);
      } catch (error) {
        if ((error as { name?: string }).name === 'NoSuchKey') return undefined;
        throw error;
      }
    },
    async listKeys(bucket, prefix) {
      const page = await client.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix }));
      return (page.Contents ?? []).map((o) => o.Key ?? '').sort();
    },
    async stop() {
      client.destroy();
      httpServer.closeAllConnections();
      await new Promise<void>((resolve) => httpServer.close(() => resolve()));
      app.logger.exceptions.unhandle();
      app.logger.close();
      await rm(directory, { recursive: true, force: true });
    },
  };
}
