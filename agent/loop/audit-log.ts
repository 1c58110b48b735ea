// The audit log: one JSON line per event of an agent task (the tool call, the policy's decision, the user's
// answer, what happened), appended to a file in Ghost's storage folder. Knows nothing about what the events mean.
import { appendFile, mkdir } from "node:fs/promises";
import { dirname } from "node:path";
import type { Answer } from "../tools/context";

export type AuditEntry =
  | { event: "task"; task: string; level: number; notes: string[] }
  | { event: "call"; step: number; tool: string; args: unknown }
  | { event: "decision"; step: number; action: string; verdict: string; reason: string }
  | { event: "approval"; step: number; answer: Answer }
  | { event: "result"; step: number; summary: string; checkpoint?: string | null }
  /** A command touched a protected path (or tried to): what it was, and whether Ghost undid it. */
  | { event: "violation"; step: number; path: string; what: string; undone: boolean }
  /** A reply that held no valid tool call: what was wrong, and the reply itself (bounded). */
  | { event: "format-error"; step: number; error: string; reply: string }
  /** A revert of the task (step: null) or of one step, with the checkpoints that undo the revert in turn. */
  | { event: "revert"; step: number | null; checkpoints: string[]; undo: string[] }
  /** outcome: finished, limit-exceeded, stopped; or crashed, when an error ended the task (it goes on to the caller). */
  | { event: "end"; outcome: string; message: string };

export type Audit = (entry: AuditEntry) => Promise<void>;

export function jsonlAudit(file: string, taskId: string): Audit {
  let ready: Promise<unknown> | null = null;
  return async (entry) => {
    ready ??= mkdir(dirname(file), { recursive: true });
    const line = `${JSON.stringify({ time: new Date().toISOString(), taskId, ...entry })}\n`;
    // Not an errno error any more: a tool that fails to log its action must crash the task (nothing runs
    // unlogged), never come back to the model as that tool's file-system failure.
    await ready.then(() => appendFile(file, line)).catch((error: Error) => {
      throw new Error(`the audit log ${file} could not be written: ${error.message}`);
    });
  };
}

/** For tests: the entries, in order. */
export function memoryAudit(): Audit & { entries: AuditEntry[] } {
  const entries: AuditEntry[] = [];
  return Object.assign(async (entry: AuditEntry) => void entries.push(entry), { entries });
}
