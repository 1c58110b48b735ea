// The model worker never outlives the process that started it: when that parent is killed outright (an extension
// host ended by VS Code, a crash), the worker exits too, also while it is busy generating. Judged from the process
// table, not from anything the worker says.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { once } from "node:events";
import { setTimeout as sleep } from "node:timers/promises";
import { tinyCoder } from "../helpers/models";

// The parent: starts a worker, prints its pid once it generates, and keeps it generating until killed.
const parentSource = `
  const { WorkerModel } = require(${JSON.stringify(require.resolve("../../model/worker-client"))});
  (async () => {
    const worker = await WorkerModel.start(${JSON.stringify(tinyCoder)}, { variant: "fp32", threads: 1 });
    const request = { prompt: [{ text: "let x = " }], maxTokens: 1500, stopTokens: [] };
    for (let first = true; ; first = false) {
      for await (const event of worker.generate(request)) if (first && event.type === "token") {
        console.log("worker " + worker.pid);
        first = false;
      }
    }
  })();
`;

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

test("a busy worker exits when its parent is killed with SIGKILL", async () => {
  const parent = spawn(process.execPath, ["--import", "tsx", "-e", parentSource], { stdio: ["ignore", "pipe", "inherit"] });
  let output = "";
  parent.stdout.setEncoding("utf8");
  while (!/worker (\d+)/.test(output)) {
    const [chunk] = (await once(parent.stdout, "data")) as [string];
    output += chunk;
  }
  const workerPid = Number(/worker (\d+)/.exec(output)![1]);
  assert.ok(alive(workerPid), "the worker is running before its parent is killed");
  parent.kill("SIGKILL");
  await once(parent, "exit");
  for (let waited = 0; waited < 10_000 && alive(workerPid); waited += 100) await sleep(100);
  const stillAlive = alive(workerPid);
  if (stillAlive) process.kill(workerPid, "SIGKILL");
  assert.equal(stillAlive, false, `worker ${workerPid} still runs 10 s after its parent was killed`);
});
