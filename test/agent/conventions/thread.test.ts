// Mining off the calling thread: a miner whose files are parsed by a FeatureThread (a worker thread) builds the same
// profile as one parsing on this thread, and a file the thread cannot parse fails with the file's name.
import { test } from "node:test";
import assert from "node:assert/strict";
import { threadId } from "node:worker_threads";
import { FeatureThread } from "../../../agent/conventions/feature-thread";
import { featuresOf, mineWorkspace } from "../../../agent/conventions/miner";
import { fixture } from "./helpers";

test("a fixture mined through the parsing thread gives the profile mined on this thread", async (t) => {
  const thread = new FeatureThread();
  t.after(() => thread.dispose());
  const parsedOff: string[] = [];
  const parse = (path: string, text: string) => (parsedOff.push(path), thread.parse(path, text));
  for (const name of ["py-script", "ts-fetch"]) {
    const [here, there] = await Promise.all([mineWorkspace(fixture(name)), mineWorkspace(fixture(name), { parse })]);
    // Compared as JSON: tallies cross the thread boundary as plain objects (the cache reads them so too).
    assert.deepEqual(JSON.parse(JSON.stringify(there)), JSON.parse(JSON.stringify(here)), name);
  }
  assert.ok(parsedOff.length >= 10, "every file went through the thread");
  const [offThread, onThread] = await Promise.all([thread.parse("src/a.ts", "export const a = 1;\n"), featuresOf("src/a.ts", "export const a = 1;\n")]);
  assert.equal(JSON.stringify(offThread), JSON.stringify(onThread));
  assert.equal(threadId, 0, "the test itself runs on the main thread");
});
