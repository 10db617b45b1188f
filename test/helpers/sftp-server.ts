// A real OpenSSH sshd on 127.0.0.1 for tests: its own host key, config and authorized_keys in a
// temp folder, SFTP only (ForceCommand internal-sftp, started in the test's root folder), one
// dedicated system user with a password and a key. Runs as root (sshd needs it to switch users).
// The user's password is fixed: test files running at once share the account.
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { access, chmod, chown, mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { connect, createServer, type AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const SSHD = '/usr/sbin/sshd';
export const SFTP_TEST_USER = 'oc-sftp-test';
const SFTP_TEST_PASSWORD = 'sftp-Test-pass-4b7Q';

export interface SftpTestServer {
  readonly host: string;
  readonly port: number;
  readonly user: string;
  readonly password: string;
  /** The OpenSSH private key (PEM) authorized for the user. */
  readonly privateKey: string;
  /** The host key's fingerprint as OpenSSH prints it: "SHA256:<base64 without padding>". */
  readonly hostKeyFingerprint: string;
  /** The SFTP session's start folder on local disk (writable by the user). */
  readonly root: string;
  /** Every file under the root, as "a/b.png" paths, sorted. */
  files(): Promise<string[]>;
  stop(): Promise<void>;
}

async function requireSshd(): Promise<void> {
  try {
    await access(SSHD);
  } catch {
    throw new Error(`${SSHD} is missing: install openssh-server (scripts/setup.sh does)`);
  }
}

async function ensureUser(): Promise<{ uid: number; gid: number }> {
  const ids = async () => ({ uid: Number((await run('id', ['-u', SFTP_TEST_USER])).stdout), gid: Number((await run('id', ['-g', SFTP_TEST_USER])).stdout) });
  try {
    return await ids();
  } catch {
    // Another test file may create it at the same moment: "already exists" is fine.
    await run('useradd', ['--system', '--no-create-home', '--shell', '/usr/sbin/nologin', SFTP_TEST_USER]).catch(() => undefined);
    const child = spawn('chpasswd');
    child.stdin.end(`${SFTP_TEST_USER}:${SFTP_TEST_PASSWORD}\n`);
    await new Promise((resolve) => child.on('close', resolve));
    return ids();
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

/** Resolves once the port answers with an SSH banner. */
async function waitForBanner(port: number, child: ChildProcess, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`sshd exited with ${child.exitCode}`);
    const ok = await new Promise<boolean>((resolve) => {
      const socket = connect(port, '127.0.0.1');
      socket.once('data', (data) => {
        socket.destroy();
        resolve(data.toString().startsWith('SSH-'));
      });
      socket.once('error', () => resolve(false));
    });
    if (ok) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('sshd did not answer in time');
}

async function walk(dir: string, prefix = ''): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const nested = await Promise.all(entries.map((e) => (e.isDirectory() ? walk(path.join(dir, e.name), `${prefix}${e.name}/`) : Promise.resolve([`${prefix}${e.name}`]))));
  return nested.flat().sort();
}

export async function startSftpServer(): Promise<SftpTestServer> {
  await requireSshd();
  const { uid, gid } = await ensureUser();
  const dir = await mkdtemp(path.join(os.tmpdir(), 'oc-sftp-'));
  await chmod(dir, 0o755); // the user's session must reach its root below
  const root = path.join(dir, 'root');
  await mkdir(root);
  await chown(root, uid, gid);
  await mkdir('/run/sshd', { recursive: true }); // privilege separation folder
  await run('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', path.join(dir, 'host_key')]);
  await run('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', path.join(dir, 'user_key')]);
  await writeFile(path.join(dir, 'authorized_keys'), await readFile(path.join(dir, 'user_key.pub')));
  const fingerprint = (await run('ssh-keygen', ['-l', '-E', 'sha256', '-f', path.join(dir, 'host_key.pub')])).stdout.split(' ')[1] ?? '';
  const port = await freePort();
  const config = [
    `ListenAddress 127.0.0.1:${port}`,
    `HostKey ${path.join(dir, 'host_key')}`,
    `PidFile ${path.join(dir, 'sshd.pid')}`,
    `AuthorizedKeysFile ${path.join(dir, 'authorized_keys')}`,
    'UsePAM no',
    'StrictModes no',
    'PasswordAuthentication yes',
    'PubkeyAuthentication yes',
    'KbdInteractiveAuthentication no',
    `AllowUsers ${SFTP_TEST_USER}`,
    'Subsystem sftp internal-sftp',
    `ForceCommand internal-sftp -d ${root}`,
    'MaxStartups 50',
    'LogLevel ERROR',
  ].join('\n');
  await writeFile(path.join(dir, 'sshd_config'), `${config}\n`);
  const child = spawn(SSHD, ['-D', '-e', '-f', path.join(dir, 'sshd_config')], { stdio: ['ignore', 'ignore', 'pipe'] });
  let log = '';
  child.stderr?.on('data', (d: Buffer) => (log = (log + d.toString()).slice(-4000)));
  try {
    await waitForBanner(port, child);
  } catch (error) {
    child.kill('SIGKILL');
    await rm(dir, { recursive: true, force: true });
    throw new Error(`${(error as Error).message}: ${log}`);
  }
  return {
    host: '127.0.0.1',
    port,
    user: SFTP_TEST_USER,
    password: SFTP_TEST_PASSWORD,
    privateKey: await readFile(path.join(dir, 'user_key'), 'utf8'),
    hostKeyFingerprint: fingerprint,
    root,
    files: () => walk(root),
    async stop() {
      if (child.exitCode === null) {
        const closed = new Promise((r) => child.once('close', r));
        child.kill('SIGTERM');
        await closed;
      }
      await rm(dir, { recursive: true, force: true });
    },
  };
}
