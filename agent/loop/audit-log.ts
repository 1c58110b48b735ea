// The audit log: one JSON line per event of an agent task (the tool call, the policy's decision, the user's
// answer, what happened), appended to a file in Ghost's storage folder. Knows nothing about what the events mean.
import { appendFile, mkdir } from "node:fs/promises";
import { dirname } from "node:path";

export type AuditEntry =
  | { event: "task"; task: string; level: number; notes: string[] }
  | { event: "call"; step: number; tool: string; args: unknown }
  | { event: "decision"; step: number; action: string; verdict: string; reason: string }
  | { event: "approval"; step: number; answer: "approve" | "reject" }
  | { event: "result"; step: number; summary: string; checkpoint?: string | null }
  /** A command touched a protected path (or tried to): what it was, and whether Ghost undid it. */
  | { event: "violation"; step: number; path: string; what: string; undone: boolean }
  | { event: "end"; outcome: string; message: string };

export type Audit = (entry: AuditEntry) => Promise<void>;

export function jsonlAudit(file: string, taskId: string): Audit {
  let ready: Promise<unknown> | null = null;
  return async (entry) => {
    ready ??= mkdir(dirname(file), { recursive: true });
    await ready;
    await appendFile(file, `${JSON.stringify({ time: new Date().toISOString(), taskId, ...entry })}\n`);
  };
}

/** For tests: the entries, in order. */
export function memoryAudit(): Audit & { entries: AuditEntry[] } {
  const entries: AuditEntry[] = [];
  return Object.assign(async (entry: AuditEntry) => void entries.push(entry), { entries });
}
