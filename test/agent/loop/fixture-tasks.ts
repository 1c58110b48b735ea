// The 50 scripted agent tasks (test/fixtures/agent-tasks/tasks.json) over the fixture workspaces, run through the
// real agent loop with a real model at level 2 (every change and command is asked, and rejected): what each reply
// was and whether it parsed. Shared by the constrained-decoding test and bench/constrained.ts.
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { defaultRules } from "../../../agent/autonomy";
import { runAgent, type StepOutcome } from "../../../agent/loop/loop";
import { parseToolCall } from "../../../agent/loop/tool-call";
import { NodeWorkspace } from "../../../agent/workspace";
import type { Model } from "../../../model/model";
import { makeWorld } from "./harness";

const fixtures = join(__dirname, "..", "..", "fixtures");
export const fixtureTasks: { workspace: string; task: string }[] = JSON.parse(readFileSync(join(fixtures, "agent-tasks", "tasks.json"), "utf8"));

export interface TaskSuiteReport {
  tasks: number;
  replies: number;
  formatErrors: number;
  /** Replies that parse with parseToolCall and validate against their tool's schema. */
  validCalls: number;
  constrainedReplies: number;
  generatedTokens: number;
  ms: number;
  /** The first few format errors, to show what went wrong. */
  examples: string[];
}

export async function runFixtureTasks(model: Model, options: { unconstrained: boolean; steps: number; stepTokens: number; tasks?: number }): Promise<TaskSuiteReport> {
  const report: TaskSuiteReport = { tasks: 0, replies: 0, formatErrors: 0, validCalls: 0, constrainedReplies: 0, generatedTokens: 0, ms: 0, examples: [] };
  const started = Date.now();
  for (const { workspace: name, task } of fixtureTasks.slice(0, options.tasks)) {
    const world = await makeWorld(filesOf(join(fixtures, "workspaces", name)));
    const workspace = await NodeWorkspace.open(world.root, world.storage);
    const onStep = (outcome: StepOutcome) => {
      if (outcome.reply === undefined) return;
      report.replies++;
      if (outcome.constrained) report.constrainedReplies++;
      if (parseToolCall(outcome.reply).ok) report.validCalls++;
      if (outcome.kind === "format-error") {
        report.formatErrors++;
        if (report.examples.length < 3) report.examples.push(`${task}: ${outcome.error}`);
      }
    };
    const result = await runAgent(
      task,
      { model, workspace, audit: async () => {}, approve: async () => "reject", askUser: async () => "Do what seems best.", onStep },
      { level: 2, rules: defaultRules, unconstrained: options.unconstrained, limits: { steps: options.steps, stepTokens: options.stepTokens, formatErrors: options.steps + 1 } },
    );
    report.tasks++;
    report.generatedTokens += result.tokens;
  }
  report.ms = Date.now() - started;
  return report;
}

function filesOf(dir: string): Record<string, string> {
  const files: Record<string, string> = {};
  for (const name of readdirSync(dir, { recursive: true }) as string[]) {
    const path = join(dir, name);
    if (statSync(path).isFile()) files[relative(dir, path)] = readFileSync(path, "utf8");
  }
  return files;
}
