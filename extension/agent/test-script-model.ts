// A test seam for the real-VS-Code UI scripts, which cannot reach the extension's API: under the test harness only,
// the agent's model is a ScriptedModel replaying .ghost-agent-script.json from the workspace root.
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { ScriptedModel } from "../../agent/loop/scripted-model";
import type { Model } from "../../model/model";

/** Only under the VS Code test harness (which sets GHOST_TEST_VSCODE_LOGS): a UI script, which can not reach the
 *  extension's API, puts the scripted model's replies in .ghost-agent-script.json at the workspace root. */
export function testScriptModel(root: string): Model | null {
  if (!process.env.GHOST_TEST_VSCODE_LOGS) return null;
  const file = join(root, ".ghost-agent-script.json");
  if (!existsSync(file)) return null;
  return new ScriptedModel(JSON.parse(readFileSync(file, "utf8")) as string[]);
}
