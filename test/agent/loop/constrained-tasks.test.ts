// The shipped test model never closes its JSON on its own. Under the tool-call grammar, 50 varied agent tasks over
// the fixture workspaces give no format error: every reply parses with parseToolCall and validates. The same tasks
// unconstrained are run beside them for the record (reported, not asserted).
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { LocalEngine } from "../../../model/engine";
import { tinyCoder } from "../../helpers/models";
import { fixtureTasks, runFixtureTasks } from "./fixture-tasks";

let model: LocalEngine;
before(async () => {
  model = await LocalEngine.load(tinyCoder, { variant: "fp32", threads: 1 });
});
after(() => model.dispose());

test("50 agent tasks on the test model, constrained: no format error, every reply a valid tool call", async (t) => {
  assert.equal(fixtureTasks.length, 50);
  const constrained = await runFixtureTasks(model, { unconstrained: false, steps: 1, stepTokens: 64 });
  t.diagnostic(`constrained: ${JSON.stringify(constrained)}`);
  assert.equal(constrained.tasks, 50);
  assert.equal(constrained.replies, 50);
  assert.deepEqual(constrained.examples, []);
  assert.equal(constrained.formatErrors, 0);
  assert.equal(constrained.validCalls, constrained.replies);
  assert.equal(constrained.constrainedReplies, constrained.replies);
});

test("the same 50 tasks unconstrained, for the record", async (t) => {
  const free = await runFixtureTasks(model, { unconstrained: true, steps: 1, stepTokens: 64 });
  t.diagnostic(`unconstrained: ${JSON.stringify(free)}`);
  assert.equal(free.tasks, 50);
  assert.equal(free.constrainedReplies, 0);
});
