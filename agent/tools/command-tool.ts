// run_command: parse the line into argv (argv.ts), find what it really runs (every wrapper's program, and the
// workspace files that drive it), pass the gate, and run it the way the approval said: in the sandbox whenever the
// sandbox works (an allow rule removes the question, never the sandbox), with network or on the host only when the
// user chose that for this command. A line holding shell syntax can only run as `sh -c LINE`, and only once the
// user has seen exactly that. Protected paths the command touched come back as violations, audited and shown.
import { matches, type AllowRule } from "../autonomy";
import { formatArgv, parseCommandLine } from "./argv";
import type { Isolation } from "./contained-run";
import { gateWithAnswer, observe, type Answer, type ToolContext, type ToolResult } from "./context";
import type { ToolCall } from "./schemas";
import type { CommandOutcome, Workspace } from "../workspace";

export async function runCommandTool(call: Extract<ToolCall, { tool: "run_command" }>, context: ToolContext): Promise<ToolResult> {
  const line = call.args.command;
  const parsed = parseCommandLine(line);
  const sandbox = await context.workspace.sandbox();
  const direct = parsed.ok && parsed.shell.length === 0;
  const argv = direct ? parsed.argv : ["sh", "-c", line];
  const resolved = direct ? await context.workspace.resolveCommand(argv) : null;
  // The driving files are hashed only where a rule compares them: an allow rule for this very argv (a walk of the
  // workspace for some programs, so not for every command).
  const ruled = resolved !== null && context.rules.allow.some((rule) => matches(rule.argv, argv));
  const drivers = ruled ? await context.workspace.commandDrivers(resolved) : null;
  // Without a sandbox an allow rule would mean the host without a question: never offered.
  const canAlways = sandbox.available && resolved !== null && resolved.unresolved === null && resolved.layers.length === 1;
  const action = { kind: "command" as const, line, parsed, resolved, sandbox, drivers };
  const gated = await gateWithAnswer(action, context, (reason) => ({ kind: "command", reason, line, argv, sandbox, canAlways }));
  if (!("answer" in gated)) return gated;
  if (gated.answer === "always" && canAlways) await context.onAllowAlways?.({ argv, drivers: ruled ? drivers : await context.workspace.commandDrivers(resolved!) });
  const isolation = isolationFor(gated.answer, sandbox.available);
  const timeoutMs = Math.min(context.commandTimeoutMs, (call.args.timeout_s ?? Infinity) * 1000);
  const outcome = await context.workspace.run({ argv, isolation, timeoutMs, outputLimit: context.outputLimit, label: `run_command ${formatArgv(argv)}` }, context.signal);
  const notes = [isolationNote(isolation, sandbox.available ? null : sandbox.reason)];
  if (outcome.kind === "failed-to-start") return observe([`The command could not start: ${outcome.reason}`, ...notes].join("\n"));
  for (const violation of outcome.violations) await context.audit({ event: "violation", step: context.step, ...violation });
  return observe([`$ ${formatArgv(argv)}`, `${status(outcome, timeoutMs)}, ${outcome.ms} ms`, ...notes, ...describeViolations(outcome), changedFiles(outcome), unrecorded(outcome), output(outcome)].filter(Boolean).join("\n"), outcome.checkpoint);
}

/** An allow rule for exactly `argv`, covering the files that drive it as they are now (the CLI's --allow). */
export async function allowRuleFor(workspace: Workspace, argv: readonly string[]): Promise<AllowRule> {
  return { argv, drivers: await workspace.commandDrivers(await workspace.resolveCommand(argv)) };
}

/** In the sandbox unless the user chose otherwise for this command, or there is none (then the user was asked). */
function isolationFor(answer: Exclude<Answer, "reject"> | "allowed", sandboxWorks: boolean): Isolation {
  if (!sandboxWorks || answer === "unsandboxed") return "host";
  return answer === "network" ? "sandbox-network" : "sandbox";
}

function isolationNote(isolation: Isolation, noSandbox: string | null): string {
  if (isolation === "sandbox") return "Ran in the sandbox: no network; writes only inside the workspace; protected paths (.git, .vscode, .ghost, hooks…) read-only.";
  if (isolation === "sandbox-network") return "Ran in the sandbox with network, as the user allowed for this command; protected paths read-only.";
  return noSandbox ? `No sandbox here (${noSandbox}): the user approved running it on the host.` : "Ran on the host, outside the sandbox, as the user chose for this command.";
}

type Exited = Extract<CommandOutcome, { kind: "exited" }>;

function status(outcome: Exited, timeoutMs: number): string {
  if (outcome.stopped) return "stopped by the user";
  if (outcome.timedOut) return `killed after the ${Math.round(timeoutMs / 1000)} s timeout`;
  return outcome.signal ? `killed by ${outcome.signal}` : `exit code ${outcome.code}`;
}

function describeViolations(outcome: Exited): string[] {
  return outcome.violations.map((violation) => `Violation: the command ${violation.what} (${violation.path}); ${violation.undone ? "Ghost undid it" : "Ghost could not undo it"}.`);
}

const changedFiles = (outcome: Exited) => (outcome.changed.length === 0 ? "" : `Files it changed: ${outcome.changed.join(", ")} (checkpoint ${outcome.checkpoint}).`);
const unrecorded = (outcome: Exited) => (outcome.unrecorded.length === 0 ? "" : `Not checkpointed, so a revert can not restore them: ${outcome.unrecorded.map((entry) => `${entry.path} (${entry.reason})`).join(", ")}.`);
const output = (outcome: Exited) => (outcome.output.trim() === "" ? "(no output)" : outcome.output);
