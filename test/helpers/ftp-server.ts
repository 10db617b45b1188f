// An FTP server on 127.0.0.1 for tests (ftp-srv in this process): one login, a temp folder as its
// root, passive ports from a range of its own, and implicit FTPS (TLS from the first byte) when
// given a key and certificate (see selfSignedCertificate). Implicit, because ftp-srv's AUTH TLS
// answers 234 before it wraps the socket, so a quick client's handshake can reach the plain
// command parser (a race in the test server, not in the client).
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { AddressInfo, Server } from 'node:net';
import { promisify } from 'node:util';
import { FtpSrv } from 'ftp-srv';

export interface Certificate {
  readonly key: Buffer;
  readonly cert: Buffer;
  /** The PEM file of the certificate, for NODE_EXTRA_CA_CERTS. */
  readonly certFile: string;
}

/** A self-signed certificate for 127.0.0.1 (openssl), written into `dir`. */
export async function selfSignedCertificate(dir: string): Promise<Certificate> {
  const keyFile = path.join(dir, 'key.pem');
  const certFile = path.join(dir, 'cert.pem');
  await promisify(execFile)('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '2', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1', '-keyout', keyFile, '-out', certFile]);
  return { key: await readFile(keyFile), cert: await readFile(certFile), certFile };
}

export interface FtpTestServer {
  readonly host: string;
  readonly port: number;
  readonly user: string;
  readonly password: string;
  /** The login's root folder on local disk. */
  readonly root: string;
  /** Every file under the root, as "a/b.png" paths, sorted. */
  files(): Promise<string[]>;
  /** Logins tried, in order, with whether they were accepted. */
  readonly logins: Array<{ user: string; accepted: boolean }>;
  stop(): Promise<void>;
}

const quiet = { child: () => quiet, trace() {}, debug() {}, info() {}, warn() {}, error() {}, fatal() {} };

async function walk(dir: string, prefix = ''): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const nested = await Promise.all(entries.map((e) => (e.isDirectory() ? walk(path.join(dir, e.name), `${prefix}${e.name}/`) : Promise.resolve([`${prefix}${e.name}`]))));
  return nested.flat().sort();
}

export async function startFtpServer(user = 'tester', password = 'ftp-secret-pass', tls?: Certificate): Promise<FtpTestServer> {
  const root = await mkdtemp(path.join(os.tmpdir(), 'oc-ftp-'));
  // A passive range per server, so test files running in parallel do not compete for ports.
  const pasvMin = 30000 + Math.floor(Math.random() * 300) * 100;
  const server = new FtpSrv({ url: `${tls === undefined ? 'ftp' : 'ftps'}://127.0.0.1:0`, pasv_url: '127.0.0.1', pasv_min: pasvMin, pasv_max: pasvMin + 99, anonymous: false, log: quiet as never, greeting: 'test server', tls: tls === undefined ? false : { key: tls.key, cert: tls.cert } });
  const logins: Array<{ user: string; accepted: boolean }> = [];
  server.on('login', ({ username, password: given }: { username: string; password: string }, resolve: (r: { root: string }) => void, reject: (e: Error) => void) => {
    const accepted = username === user && given === password;
    logins.push({ user: username, accepted });
    if (accepted) resolve({ root });
    else reject(new Error('Login incorrect'));
  });
  await server.listen();
  const port = ((server as unknown as { server: Server }).server.address() as AddressInfo).port;
  return {
    host: '127.0.0.1',
    port,
    user,
    password,
    root,
    files: () => walk(root),
    logins,
    async stop() {
      await server.close();
      await rm(root, { recursive: true, force: true });
    },
  };
}
