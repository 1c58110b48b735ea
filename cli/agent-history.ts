// `ghost agent log` and `ghost agent revert [TASK|TASK:STEP]`: the agent's past tasks, read from the audit log in
// the workspace's storage, each step with the checkpoint it made and the files in it; and a revert of a whole task
// or one step. Before a revert overwrites a file that changed since Ghost's step, the files are shown and the user
// is asked; without a terminal to ask, nothing is reverted unless --yes says so.
import { realpath } from "node:fs/promises";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { changedSince, describeRevert, revertSteps } from "../agent/checkpoints/revert-steps";
import { readHistory, taskCheckpoints, type History, type TaskRecord } from "../agent/loop/audit-history";
import { jsonlAudit } from "../agent/loop/audit-log";
import { CheckpointStore } from "../diffing/checkpoint";
import { prompt } from "./approvals";
import { UsageError } from "./options";
import { chooseRoot } from "./root";
import { workspaceStorage } from "./storage";

const options = {
  root: { type: "string" },
  /** Another storage folder, e.g. the VS Code extension's for this workspace. */
  storage: { type: "string" },
  json: { type: "boolean", default: false },
  yes: { type: "boolean", default: false },
} as const;

async function open(values: { root?: string; storage?: string }) {
  const root = await realpath(chooseRoot(values.root));
  const storage = values.storage ? resolve(values.storage) : workspaceStorage(root);
  const auditLog = join(storage, "audit.jsonl");
  return { root, storage, auditLog, history: await readHistory(auditLog), store: await CheckpointStore.open(join(storage, "checkpoints")) };
}

export async function agentLog(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({ args, allowPositionals: true, options });
  if (positionals.length > 0) throw new UsageError("agent log takes no arguments: ghost agent log [--root DIR] [--storage DIR] [--json]");
  const { auditLog, history, store } = await open(values);
  const files = async (id: string | null) => (id === null ? null : ((await store.get(id))?.files.map((file) => file.path) ?? "missing from the store"));
  const tasks = [];
  for (const task of history.tasks) {
    const steps = [];
    for (const step of task.steps) steps.push({ ...step, files: await files(step.checkpoint) });
    tasks.push({ ...task, steps });
  }
  for (const problem of history.problems) console.error(`ghost: ${auditLog} ${problem}`);
  if (values.json) console.log(JSON.stringify({ auditLog, tasks, problems: history.problems }, null, 2));
  else console.log(tasks.length === 0 ? `no agent tasks in ${auditLog}` : tasks.map(renderTask).join("\n\n"));
  return 0;
}

function renderTask(task: TaskRecord & { steps: (TaskRecord["steps"][number] & { files: string[] | string | null })[] }): string {
  const end = task.end ? `${task.end.outcome}: ${task.end.message}` : "no end logged (running, or its process was killed)";
  const lines = [`task ${task.id}  ${task.time}  level ${task.level}  ${JSON.stringify(task.task)}`, `  ${end}`];
  for (const step of task.steps) {
    const files = step.files === null ? "" : typeof step.files === "string" ? ` (${step.files})` : `: ${step.files.join(", ")}`;
    const checkpoint = step.checkpoint ? `\n      checkpoint ${step.checkpoint}${files}` : "";
    lines.push(`  ${task.id}:${step.step}  ${step.tool} ${describeArgs(step.args)}  → ${step.result ?? "(no result logged)"}${checkpoint}`);
  }
  for (const revert of task.reverts) lines.push(`  reverted at ${revert.time}: ${revert.checkpoints.join(" ")}`);
  return lines.join("\n");
}

/** A call's arguments in a line: the path, command or query that says what it did. */
function describeArgs(args: unknown): string {
  const record = (typeof args === "object" && args !== null ? args : {}) as Record<string, unknown>;
  const main = record.command ?? record.query ?? record.path ?? record.question ?? record.summary;
  const text = typeof main === "string" ? main : JSON.stringify(args);
  return text.length > 80 ? `${text.slice(0, 80)}…` : text;
}

export async function agentRevert(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({ args, allowPositionals: true, options });
  if (positionals.length > 1) throw new UsageError("agent revert takes one TASK or TASK:STEP (see ghost agent log), or nothing for the last task");
  const { root, auditLog, history, store } = await open(values);
  const { task, step, checkpoints } = chooseTarget(history, positionals[0]);
  const changed = await changedSince(root, store, checkpoints);
  if (changed.length > 0 && !values.yes && !(await confirm(changed.map((entry) => entry.path)))) return 1;
  const report = await revertSteps(root, store, checkpoints);
  await jsonlAudit(auditLog, task.id)({ event: "revert", step, checkpoints, undo: report.undo });
  const conflicts = report.files.filter((file) => file.result === "conflict");
  if (values.json) console.log(JSON.stringify({ outcome: conflicts.length > 0 ? "conflict" : "reverted", task: task.id, step, checkpoints, changedSince: changed, files: report.files, undo: report.undo }, null, 2));
  else console.log(`${describeRevert(report)}\n${conflicts.length > 0 ? `${conflicts.length} files not reverted (conflicts above)` : "reverted"}; undo checkpoints: ${report.undo.join(" ") || "none"}`);
  return conflicts.length > 0 ? 1 : 0;
}

/** TASK, TASK:STEP, or (none) the newest task with changes not reverted yet. */
function chooseTarget(history: History, target: string | undefined): { task: TaskRecord; step: number | null; checkpoints: string[] } {
  if (target === undefined) {
    const task = history.tasks.findLast((candidate) => taskCheckpoints(candidate).length > 0);
    if (!task) throw new Error("no task with changes left to revert (ghost agent log lists them)");
    return { task, step: null, checkpoints: taskCheckpoints(task) };
  }
  const [id, stepText] = target.split(":");
  const task = history.tasks.find((candidate) => candidate.id === id);
  if (!task) throw new UsageError(`no task ${id} in the audit log (ghost agent log lists them)`);
  if (stepText === undefined) {
    const checkpoints = taskCheckpoints(task);
    if (checkpoints.length === 0) throw new Error(`task ${id} has no changes left to revert`);
    return { task, step: null, checkpoints };
  }
  const step = task.steps.find((candidate) => String(candidate.step) === stepText);
  if (!step) throw new UsageError(`task ${id} has no step ${stepText}`);
  if (!step.checkpoint) throw new Error(`step ${target} (${step.tool}) changed nothing: there is nothing to revert`);
  if (!taskCheckpoints(task).includes(step.checkpoint)) throw new Error(`step ${target} was reverted already`);
  return { task, step: step.step, checkpoints: [step.checkpoint] };
}

/** Asks before a revert that would overwrite files changed since Ghost's step; false without a terminal. */
async function confirm(paths: string[]): Promise<boolean> {
  console.error(`These files changed since Ghost's step. Reverting rewrites them, keeping those changes where they merge; where they overlap Ghost's, the file is left as it is and reported:\n${paths.map((path) => `  ${path}`).join("\n")}`);
  if (!process.stdin.isTTY) {
    console.error("ghost: there is no terminal to ask, so nothing was reverted (pass --yes to revert anyway)");
    return false;
  }
  return /^y(es)?$/i.test((await prompt("Revert anyway? [y/N] ", new AbortController().signal)) ?? "");
}
