// Reads the audit log back as tasks and their steps, each step with the checkpoint its write or command made, for
// `ghost agent log` and `ghost agent revert`. A line that is not a JSON object (a write cut short by a crash) is
// reported with its line number, not dropped in silence and not fatal to the rest. Knows nothing about checkpoints'
// contents or about reverting.
import { readFile } from "node:fs/promises";

export interface StepRecord {
  step: number;
  tool: string;
  args: unknown;
  /** The first line of what the model was told; null when the step never finished. */
  result: string | null;
  checkpoint: string | null;
}

export interface TaskRecord {
  id: string;
  /** When the task started (ISO 8601). */
  time: string;
  task: string;
  level: number;
  steps: StepRecord[];
  /** null: no end was logged (the task is still running, or its process was killed). */
  end: { outcome: string; message: string } | null;
  /** Reverts made since, each with the checkpoints it undid. */
  reverts: { time: string; checkpoints: string[] }[];
}

export interface History {
  tasks: TaskRecord[];
  /** "line N: why" for lines that could not be read. */
  problems: string[];
}

type Line = { time?: string; taskId?: string; event?: string; [key: string]: unknown };

/** The tasks in the log, oldest first; an empty history when there is no log yet. */
export async function readHistory(file: string): Promise<History> {
  const text = await readFile(file, "utf8").catch((error: NodeJS.ErrnoException) => (error.code === "ENOENT" ? "" : Promise.reject(error)));
  const history: History = { tasks: [], problems: [] };
  const byId = new Map<string, TaskRecord>();
  for (const [index, raw] of text.split("\n").entries()) {
    if (raw.trim() === "") continue;
    const line = parseLine(raw);
    if (typeof line === "string") history.problems.push(`line ${index + 1}: ${line}`);
    else if (line.event === "task") {
      const task: TaskRecord = { id: String(line.taskId), time: String(line.time), task: String(line.task), level: Number(line.level), steps: [], end: null, reverts: [] };
      byId.set(task.id, task);
      history.tasks.push(task);
    } else {
      const task = byId.get(String(line.taskId));
      if (task) addEvent(task, line);
      else history.problems.push(`line ${index + 1}: an event of task ${line.taskId}, which never started in this log`);
    }
  }
  return history;
}

function addEvent(task: TaskRecord, line: Line): void {
  const step = task.steps.find((candidate) => candidate.step === line.step);
  if (line.event === "call") task.steps.push({ step: Number(line.step), tool: String(line.tool), args: line.args, result: null, checkpoint: null });
  else if (line.event === "result" && step) [step.result, step.checkpoint] = [String(line.summary), typeof line.checkpoint === "string" ? line.checkpoint : null];
  else if (line.event === "end") task.end = { outcome: String(line.outcome), message: String(line.message) };
  else if (line.event === "revert") task.reverts.push({ time: String(line.time), checkpoints: (line.checkpoints as string[] | undefined) ?? [] });
}

function parseLine(raw: string): Line | string {
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch (error) {
    return `not JSON (${(error as Error).message})`;
  }
  return typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Line) : "not a JSON object";
}

/** The checkpoints of a task's steps not reverted since, oldest first: what revertSteps() takes to undo the rest of
 *  the task (undoing a step twice would take away what the user wrote since). */
export function taskCheckpoints(task: TaskRecord): string[] {
  const reverted = new Set(task.reverts.flatMap((revert) => revert.checkpoints));
  return task.steps.flatMap((step) => (step.checkpoint && !reverted.has(step.checkpoint) ? [step.checkpoint] : []));
}
