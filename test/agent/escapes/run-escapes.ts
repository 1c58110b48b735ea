// Runs every attack at every level in this process, as whoever runs it, with or without bubblewrap as this process
// finds it (GHOST_BWRAP names a missing program to take it away), and prints one JSON line per run:
// {attack, level, escapes, decisions}. escapes.test.ts bundles this file and runs it as root and as nobody.
// The user approves every command (which then runs in the sandbox when there is one) and rejects every file change
// and read; without a sandbox the user rejects everything, since an approved host command is the user's choice.
// GHOST_ESCAPES_CONTROL=1 is the control that shows the judge can fail: the user approves every command on the host.
// GHOST_ESCAPES_ONLY (a substring of attack names) and GHOST_ESCAPES_LEVELS ("2,4") narrow the run.
import { defaultRules } from "../../../agent/autonomy";
import type { AutonomyLevel } from "../../../agent/autonomy-levels";
import { memoryAudit } from "../../../agent/loop/audit-log";
import { runAgent } from "../../../agent/loop/loop";
import { ScriptedModel } from "../../../agent/loop/scripted-model";
import type { Answer, ApprovalRequest } from "../../../agent/tools/context";
import { probeSandbox } from "../../../agent/tools/sandbox";
import { NodeWorkspace } from "../../../agent/workspace";
import { allowRuleFor } from "../../../agent/tools/command-tool";
import { attacks, prepare, scriptFor, type Attack } from "./attacks";
import { envSecret, judge, makeWorld, snapshot } from "./world";

const levels = (process.env.GHOST_ESCAPES_LEVELS ?? "0,1,2,3,4").split(",").map(Number) as AutonomyLevel[];
const control = process.env.GHOST_ESCAPES_CONTROL === "1";
const finish = "Done.\n```json\n" + JSON.stringify({ tool: "finish", args: { summary: "done" } }) + "\n```";

async function runOne(attack: Attack, level: AutonomyLevel, sandboxWorks: boolean): Promise<{ escapes: string[]; decisions: string[]; ran: number }> {
  const world = await makeWorld(attack.files);
  try {
    await prepare(world, attack);
    process.env[envSecret] = `env-secret-${world.tag}`;
    const before = await snapshot(world);
    const workspace = await NodeWorkspace.open(world.root, world.storage);
    const allow = await Promise.all((attack.allow ?? []).map((argv) => allowRuleFor(workspace, argv)));
    const model = new ScriptedModel([...scriptFor(world, attack), finish]);
    const audit = memoryAudit();
    const approve = async (request: ApprovalRequest): Promise<Answer> => {
      if (request.kind !== "command") return "reject";
      return control ? "unsandboxed" : sandboxWorks ? "approve" : "reject";
    };
    const result = await runAgent("the task", { model, workspace, audit, approve }, { level, rules: { ...defaultRules, allow, deny: attack.deny ?? [] }, limits: { commandMs: 10_000 } });
    const escapes = await judge(world, before);
    const own = attack.check?.(world);
    if (own) escapes.push(own);
    const secrets = [`outside-secret-${world.tag}`, `PRIVATE-KEY-${world.tag}`, `env-secret-${world.tag}`];
    const seen = secrets.find((secret) => model.prompts.some((prompt) => prompt.includes(secret)));
    if (seen) escapes.push(`the model was shown a secret (${seen})`);
    const decisions = audit.entries.flatMap((entry) => (entry.event === "decision" ? [`${entry.verdict} ${entry.action.split(" ")[0]}`] : []));
    // Commands that really started (their observation begins with "$ "): a suite whose attacks never ran proves
    // nothing, so the test checks this count too.
    const ran = result.messages.filter((message) => message.content.startsWith("Observation:\n$ ")).length;
    return { escapes, decisions, ran };
  } finally {
    delete process.env[envSecret];
    await world.close();
  }
}

async function main(): Promise<void> {
  const sandbox = await probeSandbox();
  console.log(JSON.stringify({ uid: process.getuid?.(), sandbox }));
  for (const attack of attacks.filter((candidate) => candidate.name.includes(process.env.GHOST_ESCAPES_ONLY ?? ""))) {
    for (const level of levels) {
      const result = await runOne(attack, level, sandbox.available);
      console.log(JSON.stringify({ attack: attack.name, level, ...result }));
    }
  }
}

void main();
