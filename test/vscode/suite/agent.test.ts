// The agent in a real VS Code: "Ghost: Start Agent Task" with a scripted model at review (level 2). The script
// edits src/math.ts in two places (two reviews), then runs a node command, then finishes. The first edit's hunk is
// accepted and the second's rejected, so the file holds exactly the first; the command is asked with its exact
// argv and working directory, approved, and its output reaches the transcript; Revert puts the workspace back
// byte for byte (src/math.ts as it was, out.txt gone). The panel's own buttons are driven by ui/agent-panel.ui.mjs.
import assert from "node:assert/strict";
import { existsSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { afterEach, describe, it } from "mocha";
import * as vscode from "vscode";
import type { AgentResult } from "../../../agent/loop/loop";
import { ScriptedModel } from "../../../agent/loop/scripted-model";
import type { GhostApi } from "../../../extension/extension";
import type { ToWebview } from "../../../webview/protocol";

const reply = (tool: string, args: Record<string, unknown>) => `Next step.\n\`\`\`json\n${JSON.stringify({ tool, args })}\n\`\`\``;
const command = `node -e "require('fs').writeFileSync('out.txt','hi'); console.log('wrote out.txt')"`;
const script = [
  reply("edit_file", { path: "src/math.ts", search: "export function add(", replace: "/** The sum of a and b. */\nexport function add(" }),
  reply("edit_file", { path: "src/math.ts", search: "  return a + b;\n}\n", replace: "  return a + b;\n}\n\nexport function sub(a: number, b: number): number {\n  return a - b;\n}\n" }),
  reply("run_command", { command }),
  reply("finish", { summary: "documented add" }),
];

describe("agent task", () => {
  afterEach(async () => {
    (await ghost()).agent.modelForTests = null;
  });

  it("reviews each hunk, asks the command with its exact argv, shows its output, and reverts the whole task", async () => {
    const api = await ghost();
    const root = vscode.workspace.workspaceFolders![0]!.uri.fsPath;
    const math = join(root, "src", "math.ts");
    const out = join(root, "out.txt");
    const original = readFileSync(math);
    await api.agent.receive({ type: "setLevel", level: 2 });
    assert.equal(api.autonomy.level, 2, "the slider sets the same store the status bar shows");
    api.agent.modelForTests = new ScriptedModel(script);

    const done = vscode.commands.executeCommand<AgentResult | null>("ghost.startAgentTask", "document add, add sub, and write out.txt");
    const first = await nextRequest(api, "changeRequest");
    assert.deepEqual(first.files.map((file) => [file.path, file.hunks.length]), [["src/math.ts", 1]]);
    assert.equal(readFileSync(math, "utf8"), original.toString(), "nothing is written before the review");
    api.agent.decideHunk(first.requestId, "src/math.ts", first.files[0]!.hunks[0]!.id, "accept");

    const second = await nextRequest(api, "changeRequest", first.requestId);
    assert.ok(second.files[0]!.hunks[0]!.lines.includes("+export function sub(a: number, b: number): number {"));
    api.agent.decideHunk(second.requestId, "src/math.ts", second.files[0]!.hunks[0]!.id, "reject");

    const asked = await nextRequest(api, "commandRequest");
    assert.deepEqual(asked.argv, ["node", "-e", "require('fs').writeFileSync('out.txt','hi'); console.log('wrote out.txt')"]);
    assert.equal(asked.cwd, root);
    assert.match(asked.reason, /review \(level 2\)/);
    assert.equal(readFileSync(math, "utf8"), `/** The sum of a and b. */\n${original}`, "exactly the accepted hunk is on disk");
    assert.equal(existsSync(out), false, "the command has not run before it is approved");
    api.agent.answerCommand(asked.requestId, "approve");

    const result = await done;
    assert.equal(result?.kind, "finished");
    assert.equal(readFileSync(out, "utf8"), "hi");
    const observations = api.agent.transcript.filter((entry) => entry.kind === "observation").map((entry) => entry.text);
    assert.ok(observations.some((text) => text.includes("wrote out.txt") && text.includes("exit code 0")), observations.join("\n---\n"));
    assert.ok(observations.some((text) => text.includes("The user rejected parts") || text.includes("rejected")), "the model hears what was rejected");
    assert.equal(api.agent.checkpoints.length, 2, "one checkpoint for the accepted edit, one for the command");

    await api.agent.revert();
    assert.deepEqual(readFileSync(math), original, "src/math.ts is byte for byte what it was");
    assert.equal(existsSync(out), false, "the command's file is gone");
    assert.ok(api.agent.transcript.some((entry) => entry.text.startsWith("Reverted the task")));
  });

  it("writes exactly the hunks accepted within one change set", async () => {
    const api = await ghost();
    const root = vscode.workspace.workspaceFolders![0]!.uri.fsPath;
    const file = join(root, "src", "numbers.ts");
    const lines = Array.from({ length: 12 }, (_, index) => `export const n${index} = ${index};\n`);
    const original = lines.join("");
    writeFileSync(file, original);
    try {
      const changed = [`export const n0 = 100;\n`, ...lines.slice(1, 11), `export const n11 = 111;\n`].join("");
      api.agent.modelForTests = new ScriptedModel([reply("edit_file", { path: "src/numbers.ts", search: original, replace: changed }), reply("finish", { summary: "done" })]);
      const done = vscode.commands.executeCommand<AgentResult | null>("ghost.startAgentTask", "change the first and last numbers");
      const asked = await nextRequest(api, "changeRequest");
      const hunks = asked.files[0]!.hunks;
      assert.equal(hunks.length, 2, "two separate places, two hunks");
      api.agent.decideHunk(asked.requestId, "src/numbers.ts", hunks[1]!.id, "reject");
      assert.equal(api.agent.pendingRequests().length, 1, "still pending until every hunk is decided");
      api.agent.decideHunk(asked.requestId, "src/numbers.ts", hunks[0]!.id, "accept");
      assert.equal((await done)?.kind, "finished");
      assert.equal(readFileSync(file, "utf8"), original.replace("n0 = 0;", "n0 = 100;"));
      await api.agent.revert();
      assert.equal(readFileSync(file, "utf8"), original);
    } finally {
      rmSync(file, { force: true });
    }
  });

  it("Stop ends a task waiting for approval, writing nothing", async () => {
    const api = await ghost();
    const math = join(vscode.workspace.workspaceFolders![0]!.uri.fsPath, "src", "math.ts");
    const original = readFileSync(math);
    api.agent.modelForTests = new ScriptedModel(script);
    const done = vscode.commands.executeCommand<AgentResult | null>("ghost.startAgentTask", "document add");
    await nextRequest(api, "changeRequest");
    await api.agent.receive({ type: "stop" });
    const result = await done;
    assert.equal(result?.kind, "stopped");
    assert.deepEqual(api.agent.pendingRequests(), []);
    assert.deepEqual(readFileSync(math), original);
  });
});

/** Waits for a pending request of that type, other than `after`. */
async function nextRequest<T extends "changeRequest" | "commandRequest">(api: GhostApi, type: T, after = -1): Promise<Extract<ToWebview, { type: T }>> {
  for (let tries = 0; tries < 200; tries++) {
    const found = api.agent.pendingRequests().find((request) => request.type === type && "requestId" in request && request.requestId !== after);
    if (found) return found as Extract<ToWebview, { type: T }>;
    await sleep(50);
  }
  throw new Error(`no pending ${type} within 10 s; transcript:\n${api.agent.transcript.map((entry) => `${entry.kind}: ${entry.text}`).join("\n")}`);
}

async function ghost(): Promise<GhostApi> {
  return (await vscode.extensions.getExtension("ghost-dev.ghost")!.activate()) as GhostApi;
}
