// A world for agent tests: a temp folder holding the workspace, a sentinel folder outside it (compared byte for
// byte before and after), and Ghost's storage; and a runner that plays a script of model replies at a level.
import { createHash } from "node:crypto";
import { rmSync } from "node:fs";
import { lstat, mkdir, mkdtemp, readdir, readFile, readlink, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import type { AutonomyLevel } from "../../../agent/autonomy-levels";
import { defaultRules, type AllowRule, type Rules } from "../../../agent/autonomy";
import { memoryAudit } from "../../../agent/loop/audit-log";
import { runAgent, type AgentResult, type Limits, type StepOutcome } from "../../../agent/loop/loop";
import { ScriptedModel } from "../../../agent/loop/scripted-model";
import type { Answer, ApprovalRequest, CheckChange } from "../../../agent/tools/context";
import { allowRuleFor } from "../../../agent/tools/command-tool";
import type { SandboxStatus } from "../../../agent/tools/sandbox";
import { NodeWorkspace, type Workspace } from "../../../agent/workspace";

export interface World {
  base: string;
  root: string;
  outside: string;
  storage: string;
}

export const reply = (tool: string, args: Record<string, unknown>) => `Next step.\n\`\`\`json\n${JSON.stringify({ tool, args })}\n\`\`\``;
export const finish = reply("finish", { summary: "done" });

const worlds: string[] = [];
process.once("exit", () => worlds.forEach((base) => rmSync(base, { recursive: true, force: true })));

export async function makeWorld(files: Record<string, string> = {}): Promise<World> {
  const base = await mkdtemp(join(tmpdir(), "ghost-agent-"));
  worlds.push(base);
  const world = { base, root: join(base, "workspace"), outside: join(base, "outside"), storage: join(base, "storage") };
  const tree: Record<string, string> = {
    "outside/secret.txt": "the user's secret\n",
    "outside/home/.ssh/authorized_keys": "ssh-ed25519 AAAA user\n",
    "workspace/src/a.ts": "export const a = 1;\n",
    "workspace/.git/config": "[core]\n\tbare = false\n",
    "workspace/.vscode/settings.json": "{}\n",
    ...Object.fromEntries(Object.entries(files).map(([path, text]) => [`workspace/${path}`, text])),
  };
  for (const [path, text] of Object.entries(tree)) {
    await mkdir(dirname(join(base, path)), { recursive: true });
    await writeFile(join(base, path), text);
  }
  await symlink(world.outside, join(world.root, "link-out"));
  await symlink(".git/config", join(world.root, "git-config-link"));
  return world;
}

/** Every entry under `dir` with its bytes' hash (or a link's target), one line each: equal strings, equal trees. */
export async function fingerprint(dir: string): Promise<string> {
  const lines: string[] = [];
  const walk = async (folder: string, prefix: string): Promise<void> => {
    for (const name of (await readdir(folder)).sort()) {
      const path = join(folder, name);
      const stats = await lstat(path);
      if (stats.isSymbolicLink()) lines.push(`${prefix}${name} -> ${await readlink(path)}`);
      else if (stats.isDirectory()) await walk(path, `${prefix}${name}/`);
      else lines.push(`${prefix}${name} ${createHash("sha256").update(await readFile(path)).digest("hex").slice(0, 16)} ${stats.mode.toString(8)}`);
    }
  };
  await walk(dir, "");
  return lines.join("\n");
}

export interface RunOptions {
  approve?: (request: ApprovalRequest) => Answer;
  /** allow: argvs approved when the run starts (the CLI's --allow), with the drivers they have then. */
  rules?: Partial<Omit<Rules, "allow">> & { allow?: string[][] };
  /** Default "real": bubblewrap as probed on this machine (setup.sh installs it). */
  sandbox?: SandboxStatus | "real";
  limits?: Partial<Limits>;
  onStep?: (outcome: StepOutcome, step: number) => void | Promise<void>;
  checkChange?: CheckChange;
  signal?: AbortSignal;
}

export interface Run {
  result: AgentResult;
  audit: ReturnType<typeof memoryAudit>;
  approvals: ApprovalRequest[];
  workspace: NodeWorkspace;
  model: ScriptedModel;
}

export async function runScript(world: World, level: AutonomyLevel, outputs: string[], options: RunOptions = {}): Promise<Run> {
  const workspace = await NodeWorkspace.open(world.root, world.storage);
  const sandbox = options.sandbox ?? "real";
  const seen: Workspace = sandbox === "real" ? workspace : withSandbox(workspace, sandbox);
  const audit = memoryAudit();
  const approvals: ApprovalRequest[] = [];
  const model = new ScriptedModel(outputs);
  const result = await runAgent(
    "the task",
    {
      model,
      workspace: seen,
      audit,
      checkChange: options.checkChange,
      approve: async (request) => (approvals.push(request), (options.approve ?? (() => "reject"))(request)),
      onStep: options.onStep,
    },
    { level, rules: { ...defaultRules, ...options.rules, allow: await allowRules(workspace, options.rules?.allow ?? []) }, limits: options.limits, signal: options.signal },
  );
  return { result, audit, approvals, workspace, model };
}

/** Allow rules as the CLI makes them from --allow: each argv with the fingerprint of its drivers now. */
export function allowRules(workspace: Workspace, argvs: readonly string[][]): Promise<AllowRule[]> {
  return Promise.all(argvs.map((argv) => allowRuleFor(workspace, argv)));
}

/** The workspace with a fixed answer to "is there a sandbox", so the table does not depend on the machine. */
function withSandbox(workspace: Workspace, status: SandboxStatus): Workspace {
  return {
    locate: (path) => workspace.locate(path),
    read: (path) => workspace.read(path),
    list: (dir, limit) => workspace.list(dir, limit),
    search: (query, limit) => workspace.search(query, limit),
    write: (changeSet, selection, label) => workspace.write(changeSet, selection, label),
    run: (request, signal) => workspace.run(request, signal),
    sandbox: async () => status,
    resolveCommand: (argv) => workspace.resolveCommand(argv),
    commandDrivers: (command) => workspace.commandDrivers(command),
  };
}
