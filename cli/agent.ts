// `ghost agent "TASK" --autonomy LEVEL`: the agent loop over a folder, with approvals asked in the terminal
// (y/N on stderr). Without a terminal, whatever would be asked is rejected, and says so. `--model scripted:FILE`
// replays a JSON list of raw model replies instead of running a model. Every reply is decoded under the tool-call
// grammar and marked "(constrained)"; `--unconstrained` lets the model write freely, as before, for comparison.
// Ctrl+C stops the task within one token or one command.
import { realpath } from "node:fs/promises";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { defaultRules, effectivePolicy, type Rules } from "../agent/autonomy";
import { checkChangeSet } from "../agent/conventions/checker";
import { mineWorkspace } from "../agent/conventions/miner";
import { summarizeWorkspace } from "../agent/conventions/summary";
import { autonomyLevels, defaultAutonomyLevel, parseAutonomyLevel } from "../agent/autonomy-levels";
import { jsonlAudit } from "../agent/loop/audit-log";
import { runAgent, type StepOutcome } from "../agent/loop/loop";
import { parseCommandLine } from "../agent/tools/argv";
import { allowRuleFor } from "../agent/tools/command-tool";
import { NodeWorkspace, readPolicyFile } from "../agent/workspace";
import { answerInTerminal, askInTerminal } from "./approvals";
import { agentLog, agentRevert } from "./agent-history";
import { loadModel } from "./load-model";
import { modelOptions, UsageError } from "./options";
import { chooseRoot } from "./root";
import { workspaceStorage } from "./storage";
import { isTrustedFolder, trustedFoldersFile } from "./trust";

export async function agent(args: string[]): Promise<number> {
  if (args[0] === "log") return agentLog(args.slice(1));
  if (args[0] === "revert") return agentRevert(args.slice(1));
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      ...modelOptions,
      autonomy: { type: "string", default: String(defaultAutonomyLevel) },
      root: { type: "string" },
      allow: { type: "string", multiple: true, default: [] },
      steps: { type: "string" },
      trust: { type: "boolean", default: false },
      unconstrained: { type: "boolean", default: false },
    },
  });
  if (positionals.length !== 1) throw new UsageError('agent takes one task in quotes: ghost agent "fix the failing test"');
  const chosen = parseAutonomyLevel(values.autonomy);
  if (chosen === null) throw new UsageError(`--autonomy ${values.autonomy} is not 0-4 or one of ${autonomyLevels.map((entry) => entry.name).join(", ")}`);
  const root = await realpath(chooseRoot(values.root));
  const storage = workspaceStorage(root);
  const workspace = await NodeWorkspace.open(root, storage);
  // An --allow covers the command as its driving files (package.json, Makefile, git config…) are now.
  const allow = await Promise.all(values.allow.map(allowRule).map((argv) => allowRuleFor(workspace, argv)));
  const userRules: Rules = { ...defaultRules, allow };
  const trusted = values.trust || (await isTrustedFolder(root));
  const { level, rules, notes } = effectivePolicy(chosen, userRules, { trusted, policy: await readPolicyFile(root) });
  if (!trusted && chosen > 1) notes.push(`pass --trust, or list the folder in ${trustedFoldersFile()}, to go past suggest`);
  for (const note of notes) console.error(`ghost: ${note}`);
  // The workspace's conventions go into the prompt, and every change is checked against them.
  const profile = await mineWorkspace(root, { cachePath: join(storage, "conventions-cache.json") });
  const checkChange = async (changeSet: Parameters<typeof checkChangeSet>[1]) => (await checkChangeSet(profile, changeSet)).flags.map(({ message, path, line }) => ({ message, path, line }));
  const model = await loadModel(values);
  const controller = new AbortController();
  process.once("SIGINT", () => controller.abort());
  const auditFile = join(storage, "audit.jsonl");
  const maxSteps = values.steps === undefined ? undefined : Number(values.steps);
  try {
    const result = await runAgent(
      positionals[0]!,
      { model, workspace, audit: jsonlAudit(auditFile, `${Date.now().toString(36)}`), approve: askInTerminal, askUser: answerInTerminal, onStep: values.json ? undefined : showStep, checkChange },
      { level, rules, notes, signal: controller.signal, limits: maxSteps === undefined ? {} : { steps: maxSteps }, conventions: summarizeWorkspace(profile, 300) || undefined, unconstrained: values.unconstrained },
    );
    const message = result.kind === "finished" ? result.summary : result.message;
    const summary = { outcome: result.kind, message, level, notes, steps: result.steps, tokens: result.tokens, checkpoints: result.checkpoints, storage, auditLog: auditFile };
    if (values.json) console.log(JSON.stringify(summary, null, 2));
    else console.log(`${result.kind}: ${message}\n${result.steps} steps, ${result.tokens} tokens; checkpoints: ${result.checkpoints.join(" ") || "none"}; audit log: ${auditFile}`);
    return result.kind === "finished" ? 0 : 1;
  } finally {
    await model.dispose();
  }
}

/** A command rule from the user: its whole argv, without shell syntax. */
function allowRule(line: string): string[] {
  const parsed = parseCommandLine(line);
  if (!parsed.ok || parsed.shell.length > 0) throw new UsageError(`--allow "${line}" must be one plain command (no shell syntax): ${parsed.ok ? parsed.shell.join(" ") : parsed.error}`);
  return parsed.argv;
}

function showStep(outcome: StepOutcome, step: number): void {
  const text = outcome.kind === "observation" ? outcome.text : outcome.kind === "format-error" ? `format error: ${outcome.error}` : "";
  if (outcome.reply !== undefined) console.error(`\n[${step}]${outcome.constrained ? " (constrained)" : ""} ${outcome.reply.trim()}`);
  if (text) console.error(text.length > 2000 ? `${text.slice(0, 2000)}…` : text);
}
