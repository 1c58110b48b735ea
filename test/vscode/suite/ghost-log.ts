// Reads what Ghost wrote to its "Ghost" log output channel: the file VS Code keeps for it at
// <logs>/<session>/exthost<N>/ghost-dev.ghost/Ghost.log. The harness names <logs> in GHOST_TEST_VSCODE_LOGS
// (the extension host has no API that reveals it); the newest such file belongs to the running host.
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";

export function ghostLogText(): string {
  const logs = process.env.GHOST_TEST_VSCODE_LOGS;
  if (!logs) throw new Error("GHOST_TEST_VSCODE_LOGS is not set: run the suite through test/vscode/run.mjs");
  const files = (readdirSync(logs, { recursive: true }) as string[])
    .filter((name) => name.endsWith(join("ghost-dev.ghost", "Ghost.log")))
    .map((name) => join(logs, name))
    .sort((a, b) => statSync(b).mtimeMs - statSync(a).mtimeMs);
  return files[0] ? readFileSync(files[0], "utf8") : "";
}

// Waits until a line written after `since` (a length of ghostLogText()) matches; VS Code flushes the file lazily.
export async function waitForLogLine(pattern: RegExp, since: number, timeoutMs = 15_000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const line = ghostLogText().slice(since).split("\n").find((candidate) => pattern.test(candidate));
    if (line) return line;
    if (Date.now() > deadline) throw new Error(`no line matching ${pattern} in Ghost's log within ${timeoutMs / 1000} s`);
    await sleep(100);
  }
}
