import { readdirSync, readFileSync } from 'node:fs';

/** Parent and state of a running process from /proc/<pid>/stat, or null when it is gone. */
function stat(pid: number): { ppid: number; state: string } | null {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // "pid (comm) state ppid ...": comm may hold spaces and parentheses, so read after the last ')'.
    const [state, ppid] = text.slice(text.lastIndexOf(')') + 2).split(' ');
    return { ppid: Number(ppid), state: state as string };
  } catch {
    return null;
  }
}

/** The processes under `root` (children, their children...), not counting zombies. Linux only. */
export function descendantsOf(root: number): Set<number> {
  const children = new Map<number, number[]>();
  for (const name of readdirSync('/proc')) {
    const pid = Number(name);
    if (!Number.isInteger(pid)) continue;
    const info = stat(pid);
    if (info === null || info.state === 'Z') continue;
    children.set(info.ppid, [...(children.get(info.ppid) ?? []), pid]);
  }
  const found = new Set<number>();
  const visit = (pid: number) => {
    for (const child of children.get(pid) ?? []) {
      if (found.has(child)) continue;
      found.add(child);
      visit(child);
    }
  };
  visit(root);
  return found;
}

/** Those of `pids` still running (zombies count as ended), with their command lines. */
export function stillRunning(pids: Iterable<number>): string[] {
  const running: string[] = [];
  for (const pid of pids) {
    const info = stat(pid);
    if (info === null || info.state === 'Z') continue;
    let command = '';
    try {
      command = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ').trim();
    } catch {}
    running.push(`${pid} ${command}`);
  }
  return running;
}
