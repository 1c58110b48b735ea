// The agent's approvals and questions in a terminal, on stderr. A command's approval says how it runs: in the
// sandbox, in the sandbox with network, always (for the rest of this run), or on the host outside the sandbox,
// which is its own answer and never the default. Without a terminal, whatever would be asked is rejected, and says
// so. Ctrl+C reaches readline, not the process, so it is passed on.
import { createInterface } from "node:readline/promises";
import { formatArgv } from "../agent/tools/argv";
import type { Answer, ApprovalRequest } from "../agent/tools/context";

const commandChoices: Record<string, Answer> = { y: "approve", yes: "approve", a: "always", w: "network", h: "unsandboxed" };

export async function askInTerminal(request: ApprovalRequest, signal: AbortSignal): Promise<Answer> {
  console.error(`\n${describeRequest(request)}\n(${request.reason})`);
  if (!process.stdin.isTTY) {
    console.error("ghost: this needs your approval, but there is no terminal to ask: rejected");
    return "reject";
  }
  const typed = ((await prompt(question(request), signal)) ?? "").toLowerCase();
  if (request.kind !== "command" || !request.sandbox.available) return /^y(es)?$/.test(typed) ? "approve" : "reject";
  const answer = commandChoices[typed] ?? "reject";
  return answer === "always" && !request.canAlways ? "reject" : answer;
}

function question(request: ApprovalRequest): string {
  if (request.kind !== "command") return "Approve? [y/N] ";
  if (!request.sandbox.available) return "Run it on the host, with no sandbox? [y/N] ";
  const always = request.canAlways ? ", [a]lways this exact command (this run)" : "";
  return `[y] run in the sandbox${always}, [w] in the sandbox with network, [h] on the host (no sandbox), [N]o: `;
}

function describeRequest(request: ApprovalRequest): string {
  if (request.kind === "read") return `Read ${request.path}?`;
  if (request.kind === "command") {
    const where = request.sandbox.available ? "in the sandbox (no network, writes only in the workspace)" : `on the host: no sandbox here (${request.sandbox.reason})`;
    return `Run ${formatArgv(request.argv)} ${where}?\nargv: ${JSON.stringify(request.argv)}`;
  }
  const flags = request.flags.map((flag) => `! ${flag.message}`).join("\n");
  return `${request.proposal ? "Proposed change" : "Change"}:\n${request.diff}${flags ? `\n${flags}` : ""}`;
}

export async function answerInTerminal(question: string, signal: AbortSignal): Promise<string | null> {
  if (!process.stdin.isTTY) return null;
  console.error(`\nGhost asks: ${question}`);
  return prompt("> ", signal);
}

/** The answer typed, or null when the task was stopped meanwhile. */
export async function prompt(question: string, signal: AbortSignal): Promise<string | null> {
  const terminal = createInterface({ input: process.stdin, output: process.stderr });
  terminal.on("SIGINT", () => process.emit("SIGINT"));
  try {
    return (await terminal.question(question, { signal })).trim();
  } catch (error) {
    if (signal.aborted) return null;
    throw error;
  } finally {
    terminal.close();
  }
}
