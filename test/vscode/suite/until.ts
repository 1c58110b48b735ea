// Polls a condition until it holds, for the in-host tests: VS Code and the model worker answer asynchronously.
import { setTimeout as sleep } from "node:timers/promises";

export async function until(condition: () => boolean, what: string, timeoutMs = 60_000, pollMs = 20): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(pollMs);
  }
}
