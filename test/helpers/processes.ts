// The process table, for tests that check which tool processes run and that none outlives its
// worker. Tools run in the sandbox behind wrapper processes (setpriv, prlimit, bwrap) whose
// command lines carry the tool's own: those are not the tool.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface ProcessLine {
  readonly pid: number;
  readonly ppid: number;
  readonly args: string;
}

export async function processTable(): Promise<ProcessLine[]> {
  const { stdout } = await run('ps', ['-eo', 'pid=,ppid=,args=']);
  return stdout.split('\n').flatMap((line) => {
    const match = /^\s*(\d+)\s+(\d+)\s+(.*)$/.exec(line);
    return match === null ? [] : [{ pid: Number(match[1]), ppid: Number(match[2]), args: match[3] ?? '' }];
  });
}

/** A sandbox wrapper (setpriv, prlimit or bwrap), not a tool. */
export const isSandboxWrapper = (args: string): boolean => /^\S*\b(bwrap|setpriv|prlimit)(\s|$)/.test(args);

/**
 * The tool processes (wrappers left out) started from a command line that `started` matches
 * (the wrapper's or the tool's own: under bubblewrap a tool may see other paths than the host's),
 * among them and their descendants, those that `tool` matches.
 */
export async function toolProcesses(started: (args: string) => boolean, tool: (args: string) => boolean): Promise<ProcessLine[]> {
  const table = await processTable();
  const found = new Set(table.filter((p) => started(p.args)).map((p) => p.pid));
  for (let grew = true; grew; ) {
    grew = false;
    for (const p of table) if (found.has(p.ppid) && !found.has(p.pid)) (found.add(p.pid), (grew = true));
  }
  return table.filter((p) => found.has(p.pid) && !isSandboxWrapper(p.args) && tool(p.args));
}
