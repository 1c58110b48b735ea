// run_command: parse the line into argv (argv.ts), pass the gate (at autopilot, with the sandbox probed first),
// run it through the workspace (which checkpoints what it changes), and describe the result for the model. A line
// holding shell syntax can only run as `sh -c LINE`, and only once the user has seen exactly that.
import { formatArgv, parseCommandLine } from "./argv";
import { gate, observe, type ToolContext, type ToolResult } from "./context";
import type { ToolCall } from "./schemas";

export async function runCommandTool(call: Extract<ToolCall, { tool: "run_command" }>, context: ToolContext): Promise<ToolResult> {
  const line = call.args.command;
  const parsed = parseCommandLine(line);
  const sandbox = context.level === 4 ? await context.workspace.sandbox() : null;
  const sandboxed = sandbox?.available === true;
  const sandboxMissing = sandbox && !sandbox.available ? sandbox.reason : undefined;
  const argv = parsed.ok && parsed.shell.length === 0 ? parsed.argv : ["sh", "-c", line];
  const gated = await gate({ kind: "command", line, parsed, sandboxed, sandboxMissing }, context, (reason) => ({ kind: "command", reason, line, argv, sandboxed }));
  if (gated !== "go") return gated;
  const timeoutMs = Math.min(context.commandTimeoutMs, (call.args.timeout_s ?? Infinity) * 1000);
  const label = `run_command ${formatArgv(argv)}`;
  const outcome = await context.workspace.run({ argv, sandboxed, timeoutMs, outputLimit: context.outputLimit, label }, context.signal);
  const notes = [
    sandboxed ? "Ran in the sandbox: no network; writes only inside the workspace (not .git, .ghost, .vscode, .husky)." : "",
    sandboxMissing ? `No sandbox (${sandboxMissing}), so the command was asked for as at auto-edit.` : "",
  ].filter(Boolean);
  if (outcome.kind === "failed-to-start") return observe([`The command could not start: ${outcome.reason}`, ...notes].join("\n"));
  const status = outcome.stopped
    ? "stopped by the user"
    : outcome.timedOut
      ? `killed after the ${Math.round(timeoutMs / 1000)} s timeout`
      : outcome.signal
        ? `killed by ${outcome.signal}`
        : `exit code ${outcome.code}`;
  const changed = outcome.changed.length === 0 ? "" : `Files it changed: ${outcome.changed.join(", ")} (checkpoint ${outcome.checkpoint}).`;
  const output = outcome.output.trim() === "" ? "(no output)" : outcome.output;
  return observe([`$ ${formatArgv(argv)}`, `${status}, ${outcome.ms} ms`, ...notes, changed, output].filter(Boolean).join("\n"), outcome.checkpoint);
}
