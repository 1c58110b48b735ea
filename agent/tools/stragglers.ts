// Processes a host command left behind after its process group was killed: a `setsid` child or a double fork is
// in another group and session, but it inherited the command's environment, marker included. Found through /proc
// (Linux) and killed. A process that cleared its own environment is not found; that is why commands run in the
// sandbox (a pid namespace: everything in it dies with it) unless the user approved the host for this one.
import { readdir, readFile } from "node:fs/promises";

/** Kills every process carrying the marker, in rounds until none is left (one may fork while the last round ran),
 *  at most five. */
export async function killMarked(variable: string, marker: string): Promise<number[]> {
  if (process.platform !== "linux") return [];
  const killed: number[] = [];
  for (let round = 0; round < 5; round++) {
    const found = await killRound(Buffer.from(`${variable}=${marker}\0`));
    if (found.length === 0) break;
    killed.push(...found);
  }
  return killed;
}

async function killRound(needle: Buffer): Promise<number[]> {
  const killed: number[] = [];
  for (const name of await readdir("/proc")) {
    if (!/^\d+$/.test(name) || Number(name) === process.pid) continue;
    // A process may exit between the listing and the read, or belong to another user: neither is ours to kill.
    const environ = await readFile(`/proc/${name}/environ`).catch(() => null);
    if (environ === null || !environ.includes(needle)) continue;
    try {
      process.kill(Number(name), "SIGKILL");
      killed.push(Number(name));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "ESRCH") throw error;
    }
  }
  return killed;
}
