// The resident memory of a process tree, read from /proc through the children lists: a pool
// measures its tools through their sandbox wrapper, so what counts is in the descendants.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { describe, it } from 'node:test';
import { treeRssBytes } from '../../workers/tools/process-memory.js';

const MB = 1024 * 1024;

describe('treeRssBytes', () => {
  it('counts the memory of descendants, not only of the process it is given', async () => {
    // A shell (small) whose child holds 64 MiB; `; exit` keeps the shell from exec-ing node.
    const holder = `const b = Buffer.alloc(${64 * MB}, 1); console.log('ready'); setInterval(() => b[0]++, 1000);`;
    const shell = spawn('sh', ['-c', `"${process.execPath}" -e "${holder}"; exit`], { stdio: ['ignore', 'pipe', 'inherit'], detached: true });
    try {
      await new Promise<void>((resolve, reject) => {
        shell.stdout.on('data', (chunk: Buffer) => chunk.toString().includes('ready') && resolve());
        shell.once('exit', (code) => reject(new Error(`the shell exited (${code})`)));
      });
      const own = Number(/^VmRSS:\s+(\d+)/m.exec(await readFile(`/proc/${shell.pid}/status`, 'utf8'))?.[1]) * 1024;
      assert.ok(own < 16 * MB, `the shell alone holds ${own} bytes`);
      const tree = await treeRssBytes([shell.pid!]);
      assert.ok(tree >= 64 * MB, `the tree holds ${tree} bytes`);
    } finally {
      process.kill(-shell.pid!, 'SIGKILL');
    }
    assert.equal(await treeRssBytes([2 ** 22 + 7]), 0, 'a process that is gone counts nothing');
  });
});
