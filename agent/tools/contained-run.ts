// One command, run the way its approval said: in the sandbox (with or without network), or on the host after its
// own explicit approval. Around it: the protected paths are scanned before (the sandbox binds them read-only) and
// compared after; for a sandboxed command every violation is undone, for a host command each is reported, changes
// inside existing protected folders included (protected-stamps.ts). A host command's processes carry a marker in
// their environment, so ones that left its process group (setsid, a double fork) are found and killed when it
// ends. Knows nothing about the policy or checkpoints.
import { randomUUID } from "node:crypto";
import { join } from "node:path";
import { changedInside, stampProtected } from "./protected-stamps";
import { checkProtected, protectionPlan, removeMountPoints, scanProtected, type Violation } from "./protected-scan";
import { runProcess, type CommandResult } from "./run-command";
import { sandboxArgv, sandboxSpawnEnvironment } from "./sandbox";
import { killMarked } from "./stragglers";

export type Isolation = "sandbox" | "sandbox-network" | "host";

export interface ContainedRun {
  argv: readonly string[];
  isolation: Isolation;
  root: string;
  /** Where what a command planted on a protected path is moved (Ghost's storage, outside the workspace). */
  quarantine: string;
  timeoutMs: number;
  outputLimit: number;
  signal: AbortSignal;
}

export type ContainedResult = Extract<CommandResult, { kind: "failed-to-start" }> | (Extract<CommandResult, { kind: "exited" }> & { violations: Violation[] });

export async function runContained(run: ContainedRun): Promise<ContainedResult> {
  const before = await scanProtected(run.root);
  const sandboxed = run.isolation !== "host";
  const plan = await protectionPlan(run.root, before);
  const marker = randomUUID();
  const argv = sandboxed ? sandboxArgv({ workspace: run.root, network: run.isolation === "sandbox-network", readOnly: plan.readOnly, masks: plan.masks }, run.argv) : [...run.argv];
  const env = sandboxed ? sandboxSpawnEnvironment() : { ...process.env, [markerVariable]: marker };
  const stampsBefore = sandboxed ? null : await stampProtected(run.root, before);
  const killStragglers = sandboxed ? undefined : () => killMarked(markerVariable, marker);
  const result = await runProcess({ argv, cwd: run.root, env, timeoutMs: run.timeoutMs, outputLimit: run.outputLimit, signal: run.signal, killStragglers });
  // Once more, awaited: the kills runProcess started on exit are not awaited, and a straggler that closed its output
  // let the command end before they finished.
  if (!sandboxed) await killMarked(markerVariable, marker);
  const leftMounts = sandboxed ? await removeMountPoints(plan.createdMounts) : [];
  if (result.kind === "failed-to-start") return result;
  const violations = await checkProtected(run.root, before, join(run.quarantine, `${Date.now()}-${marker.slice(0, 8)}`), sandboxed);
  for (const path of leftMounts) violations.push({ path, what: "a sandbox mount point that was not empty afterwards", undone: false });
  if (stampsBefore) violations.push(...changedInside(stampsBefore, await stampProtected(run.root, before)));
  return { ...result, violations };
}

/** The environment variable that marks a host command's processes. */
export const markerVariable = "GHOST_COMMAND_ID";
