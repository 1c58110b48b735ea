// What every tool runs with: the workspace, the level and rules in force, the injected approval and question
// callbacks, the conventions hook, the audit log; and the gate every action passes: decide(), then the audit
// entry, then, for "ask", the user's answer. Knows nothing about any one tool.
import type { ChangeSet } from "../../diffing/change-set";
import type { AutonomyLevel } from "../autonomy-levels";
import { decide, type Action, type AllowRule, type Rules } from "../autonomy";
import type { Audit } from "../loop/audit-log";
import type { Workspace } from "../workspace";
import type { SandboxStatus } from "./sandbox";

/** A conventions flag, e.g. agent/conventions' checkChangeSet(profile, changeSet).flags: shown in review, and at
 *  auto levels given back to the model to fix. */
export interface ChangeFlag {
  message: string;
  path?: string;
  line?: number;
}
export type CheckChange = (changeSet: ChangeSet) => Promise<readonly ChangeFlag[]> | readonly ChangeFlag[];

export type ApprovalRequest =
  /** proposal: suggest level, where accepting is what writes it; otherwise a review before writing. */
  | { kind: "change"; reason: string; proposal: boolean; changeSet: ChangeSet; diff: string; flags: readonly ChangeFlag[] }
  /** argv: exactly what will run (["sh", "-c", line] when the line holds shell syntax). sandbox: whether the
   *  sandbox works here; when it does, every approved command runs in it unless the answer is "unsandboxed".
   *  canAlways: an "always" answer would be kept (a plain argv, no shell syntax, no wrapper). */
  | { kind: "command"; reason: string; line: string; argv: string[]; sandbox: SandboxStatus; canAlways: boolean }
  | { kind: "read"; reason: string; path: string };

/** For a command, the answer also says how it runs: "approve" in the sandbox without network, "network" in the
 *  sandbox with network, "unsandboxed" outside the sandbox (a separate, explicit approval, never implied by a
 *  rule), "always" in the sandbox and, from now on in this project, without asking (the caller keeps the exact
 *  argv as an allow rule through onAllowAlways). For a change or a read only approve and reject mean anything. */
export type Answer = "approve" | "reject" | "always" | "network" | "unsandboxed";
export const commandAnswers = ["approve", "reject", "always", "network", "unsandboxed"] as const satisfies readonly Answer[];
export type Approve = (request: ApprovalRequest, signal: AbortSignal) => Promise<Answer>;
export type AskUser = (question: string, signal: AbortSignal) => Promise<string | null>;
/** Keeps an "always" answer: the caller stores the rule (VS Code: workspace storage, never the repository). */
export type OnAllowAlways = (rule: AllowRule) => void | Promise<void>;

export interface ToolContext {
  workspace: Workspace;
  level: AutonomyLevel;
  rules: Rules;
  approve: Approve;
  askUser?: AskUser;
  onAllowAlways?: OnAllowAlways;
  checkChange?: CheckChange;
  audit: Audit;
  step: number;
  signal: AbortSignal;
  /** Already capped by the task's remaining wall time. */
  commandTimeoutMs: number;
  outputLimit: number;
}

export type ToolResult = { kind: "observation"; text: string; checkpoint?: string | null } | { kind: "finished"; summary: string };

/** "go" when the action may proceed (allowed, or asked and approved); otherwise the observation for the model. */
export async function gate(action: Action, context: ToolContext, request: (reason: string) => ApprovalRequest): Promise<"go" | ToolResult> {
  const gated = await gateWithAnswer(action, context, request);
  return "answer" in gated ? "go" : gated;
}

/** As gate(), keeping how the user answered ("allowed" when no one was asked): a command's answer says how it runs. */
export async function gateWithAnswer(action: Action, context: ToolContext, request: (reason: string) => ApprovalRequest): Promise<{ answer: Exclude<Answer, "reject"> | "allowed" } | ToolResult> {
  const decision = decide(action, context.level, context.rules);
  await context.audit({ event: "decision", step: context.step, action: describeAction(action), verdict: decision.verdict, reason: decision.reason });
  if (decision.verdict === "deny") return observe(`Denied: ${decision.reason}. Nothing was done.`);
  if (decision.verdict === "allow") return { answer: "allowed" };
  const answer = await context.approve(request(decision.reason), context.signal);
  await context.audit({ event: "approval", step: context.step, answer });
  return answer === "reject" ? observe(`The user rejected this (${decision.reason}). Nothing was done.`) : { answer };
}

export const observe = (text: string, checkpoint?: string | null): ToolResult => ({ kind: "observation", text, checkpoint });

function describeAction(action: Action): string {
  if (action.kind === "command") return `command ${action.line}`;
  return action.kind === "write" ? `${action.change} ${action.path}` : `read ${action.path}`;
}
