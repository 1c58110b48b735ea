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
import type { GhostTestApi as GhostApi } from "../extension-under-test";
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
    (await ghost()).setAgentModel(null);
  });

  it("reviews each hunk, asks the command with its exact argv, shows its output, and reverts the whole task", async () => {
    const api = await ghost();
    const root = vscode.workspace.workspaceFolders![0]!.uri.fsPath;
    const math = join(root, "src", "math.ts");
    const out = join(root, "out.txt");
    const original = readFileSync(math);
    await api.agent.receive({ type: "setLevel", level: 2 });
    assert.equal(api.autonomy.level, 2, "the slider sets the same store the status bar shows");
    api.setAgentModel(new ScriptedModel(script));

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
    assert.deepEqual(asked.sandbox, { available: true }, "bubblewrap works on this machine");
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
      api.setAgentModel(new ScriptedModel([reply("edit_file", { path: "src/numbers.ts", search: original, replace: changed }), reply("finish", { summary: "done" })]));
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

  it("keeps an \"always\" answer in workspace storage, and runs that command unasked at auto-edit, still in the sandbox", async () => {
    const api = await ghost();
    const root = vscode.workspace.workspaceFolders![0]!.uri.fsPath;
    const inside = join(root, "inside.txt");
    const outside = join(root, "..", "suite-outside.txt"); // beside the workspace folder
    const touch = reply("run_command", { command: "touch inside.txt ../suite-outside.txt" });
    const argv = ["touch", "inside.txt", "../suite-outside.txt"];
    try {
      await api.agent.receive({ type: "setLevel", level: 2 });
      api.setAgentModel(new ScriptedModel([touch, reply("finish", { summary: "touched" })]));
      const done = vscode.commands.executeCommand<AgentResult | null>("ghost.startAgentTask", "touch the files");
      const asked = await nextRequest(api, "commandRequest");
      assert.deepEqual([asked.argv, asked.canAlways], [argv, true]);
      api.agent.answerCommand(asked.requestId, "always");
      assert.equal((await done)?.kind, "finished");
      assert.deepEqual(api.agent.allowed.rules.map((rule) => rule.argv), [argv]);
      const settings = join(root, ".vscode", "settings.json"); // other tests write settings there
      assert.ok(!existsSync(settings) || !readFileSync(settings, "utf8").includes("suite-outside"), "nothing kept in the repository's settings");
      assert.equal(existsSync(inside), true, "it ran");
      assert.equal(existsSync(outside), false, "in the sandbox: nothing written beside the workspace");

      rmSync(inside);
      await api.agent.receive({ type: "setLevel", level: 3 });
      api.setAgentModel(new ScriptedModel([touch, reply("finish", { summary: "touched again" })]));
      const again = vscode.commands.executeCommand<AgentResult | null>("ghost.startAgentTask", "touch the files again");
      const result = await Promise.race([again, sleep(20_000).then(() => api.agent.pendingRequests())]);
      assert.equal((result as AgentResult | null)?.kind, "finished", `not asked again: ${JSON.stringify(result)}`);
      assert.equal(existsSync(inside), true, "the allowed command ran");
      assert.equal(existsSync(outside), false, "an allow rule removes the question, never the sandbox");
    } finally {
      api.agent.stop(); // a task still waiting for an answer must not hold up the next test
      await api.agent.allowed.remove([argv]);
      await api.agent.receive({ type: "setLevel", level: 2 });
      rmSync(inside, { force: true });
      rmSync(outside, { force: true });
    }
    assert.deepEqual(api.agent.allowed.rules, []);
  });

  it("Stop ends a task waiting for approval, writing nothing", async () => {
    const api = await ghost();
    const math = join(vscode.workspace.workspaceFolders![0]!.uri.fsPath, "src", "math.ts");
    const original = readFileSync(math);
    api.setAgentModel(new ScriptedModel(script));
    const done = vscode.commands.executeCommand<AgentResult | null>("ghost.startAgentTask", "document add");
    await nextRequest(api, "changeRequest");
    await api.agent.receive({ type: "stop" });
    const result = await done;
    assert.equal(result?.kind, "stopped");
    assert.deepEqual(api.agent.pendingRequests(), []);
    assert.deepEqual(readFileSync(math), original);
  });

  it("never writes behind an editor's unsaved changes: the change is a conflict the model reads, the user's text stays", async () => {
    const api = await ghost();
    const root = vscode.workspace.workspaceFolders![0]!.uri.fsPath;
    const notes = join(root, "unsaved-notes.txt");
    writeFileSync(notes, "line one\nline two\n");
    try {
      const document = await vscode.workspace.openTextDocument(notes);
      const editor = await vscode.window.showTextDocument(document);
      await editor.edit((edit) => edit.insert(new vscode.Position(0, 0), "typed by the user\n"));
      assert.equal(document.isDirty, true);
      await api.agent.receive({ type: "setLevel", level: 3 });
      api.setAgentModel(new ScriptedModel([reply("edit_file", { path: "unsaved-notes.txt", search: "line two", replace: "line 2" }), reply("finish", { summary: "edited" })]));
      const result = await vscode.commands.executeCommand<AgentResult | null>("ghost.startAgentTask", "edit the notes");
      assert.equal(result?.kind, "finished");
      const observation = result!.messages.find((message) => message.content.includes("unsaved changes in the editor"));
      assert.ok(observation, `the model is told: ${JSON.stringify(result!.messages.map((message) => message.content.slice(0, 200)))}`);
      assert.equal(readFileSync(notes, "utf8"), "line one\nline two\n", "nothing written on disk behind the editor");
      assert.equal(document.getText(), "typed by the user\nline one\nline two\n", "the user's unsaved text stays");
      assert.equal(document.isDirty, true);
    } finally {
      await vscode.commands.executeCommand("workbench.action.revertAndCloseActiveEditor");
      await api.agent.receive({ type: "setLevel", level: 2 });
      rmSync(notes, { force: true });
    }
  });

  it("what the user edits and saves while a command runs is the user's: reverting the command keeps it", async () => {
    const api = await ghost();
    const root = vscode.workspace.workspaceFolders![0]!.uri.fsPath;
    const notes = join(root, "during-command.txt");
    const made = join(root, "by-command.txt");
    writeFileSync(notes, "before\n");
    try {
      await api.agent.receive({ type: "setLevel", level: 4 });
      const command = `node -e "require('fs').writeFileSync('by-command.txt', 'x'); setTimeout(() => {}, 3000)"`;
      api.setAgentModel(new ScriptedModel([reply("run_command", { command }), reply("finish", { summary: "slept" })]));
      const done = vscode.commands.executeCommand<AgentResult | null>("ghost.startAgentTask", "wait a little");
      await sleep(1000); // the command is running now
      const document = await vscode.workspace.openTextDocument(notes);
      const editor = await vscode.window.showTextDocument(document);
      await editor.edit((edit) => edit.insert(new vscode.Position(1, 0), "typed while the command ran\n"));
      assert.ok(await document.save());
      const result = await done;
      assert.equal(result?.kind, "finished");
      assert.equal(existsSync(made), true);
      await api.agent.receive({ type: "revert" });
      assert.equal(existsSync(made), false, "the command's own file is reverted");
      assert.equal(readFileSync(notes, "utf8"), "before\ntyped while the command ran\n", "the revert left the user's saved edit");
    } finally {
      await vscode.commands.executeCommand("workbench.action.closeActiveEditor");
      rmSync(made, { force: true });
      await api.agent.receive({ type: "setLevel", level: 2 });
      rmSync(notes, { force: true });
    }
  });

  it("reverts one step alone from the panel, then the rest of the task", async () => {
    const api = await ghost();
    const root = vscode.workspace.workspaceFolders![0]!.uri.fsPath;
    const [first, second] = [join(root, "step-one.txt"), join(root, "step-two.txt")];
    try {
      await api.agent.receive({ type: "setLevel", level: 3 });
      const create = (path: string) => reply("create_file", { path, content: `${path}\n` });
      api.setAgentModel(new ScriptedModel([create("step-one.txt"), create("step-two.txt"), reply("finish", { summary: "two files" })]));
      assert.equal((await vscode.commands.executeCommand<AgentResult | null>("ghost.startAgentTask", "create two files"))?.kind, "finished");
      const revertable = () => (api.agent.snapshot()[0] as Extract<ToWebview, { type: "state" }>).revertableSteps;
      assert.deepEqual(revertable(), [1, 2]);
      await api.agent.receive({ type: "revert", step: 1 });
      assert.deepEqual([existsSync(first), existsSync(second)], [false, true], "step 1 alone was undone");
      assert.deepEqual(revertable(), [2]);
      assert.ok(api.agent.transcript.some((entry) => entry.text.startsWith("Reverted step 1")));
      await api.agent.receive({ type: "revert" });
      assert.equal(existsSync(second), false);
      assert.deepEqual(revertable(), []);
    } finally {
      rmSync(first, { force: true });
      rmSync(second, { force: true });
    }
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
