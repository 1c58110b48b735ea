// The extension as the VS Code tests load it: the same startGhost() as the shipped activate(), plus the two things
// only tests may have, and which therefore exist only in this test-only bundle (scripts/build-vscode-tests.mjs puts
// it in its own extension folder, dist/test/vscode/extension/; the shipped dist/extension.js never contains it):
// - activate() returns the live parts (the shipped one returns nothing), with setAgentModel() and setEditModel() for in-host tests;
// - a UI script, which can not reach those parts, scripts the agent's model through a file outside the workspace:
//   the harness names it in GHOST_TEST_AGENT_SCRIPT (a JSON list of raw model replies, read at each task's start).
import { existsSync, readFileSync } from "node:fs";
import type * as vscode from "vscode";
import { ScriptedModel } from "../../agent/loop/scripted-model";
import { startGhost, type GhostParts } from "../../extension/start-ghost";
import type { Model } from "../../model/model";

export interface GhostTestApi extends GhostParts {
  /** The agent's model from the next task on; null: the worker's (or GHOST_TEST_AGENT_SCRIPT's). */
  setAgentModel(model: Model | null): void;
  /** The model of the next "Ghost: Edit Selection"; null: the worker's. */
  setEditModel(model: Model | null): void;
}

export function activate(context: vscode.ExtensionContext): GhostTestApi {
  let agentModel: Model | null = null;
  let editModel: Model | null = null;
  const parts = startGhost(context, { agentModel: () => agentModel ?? scriptFromHarness(), editModel: () => editModel });
  return { ...parts, setAgentModel: (model) => (agentModel = model), setEditModel: (model) => (editModel = model) };
}

export function deactivate(): void {}

function scriptFromHarness(): Model | null {
  const file = process.env.GHOST_TEST_AGENT_SCRIPT;
  if (!file || !existsSync(file)) return null;
  return new ScriptedModel(JSON.parse(readFileSync(file, "utf8")) as string[]);
}
