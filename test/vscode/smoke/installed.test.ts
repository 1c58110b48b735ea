// Ghost as a user installs it: the VSIX from `npm run package`, installed into code-server with --install-extension,
// driven only through what any extension or user can reach (commands, editors, the Language Model API, Ghost's log
// file, the process table). The harness sets ghost.model to the shipped test model and ghost.trace on; the VSIX itself
// carries no model. Also prints what it measured: activation time and the extension host's memory before and after
// the model's first use.
import assert from "node:assert/strict";
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { cpus, loadavg } from "node:os";
import { join } from "node:path";
import { before, describe, it } from "mocha";
import * as vscode from "vscode";
import { ghostLogText, waitForLogLine } from "../suite/ghost-log";
import { say } from "../suite/reporter";
import { until } from "../suite/until";

const ghost = () => vscode.extensions.getExtension("ghost-dev.ghost")!;
const mb = (bytes: number) => `${(bytes / 2 ** 20).toFixed(0)} MB`;

/** Processes running Ghost's model worker from the installed extension, with their resident memory. */
function modelWorkers(): { pid: number; rssBytes: number }[] {
  const worker = join(ghost().extensionPath, "dist", "worker-main.js");
  return readdirSync("/proc")
    .filter((name) => /^\d+$/.test(name))
    .flatMap((pid) => {
      const command = (() => {
        try {
          return readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0");
        } catch {
          return []; // the process ended while we looked
        }
      })();
      if (!command.includes(worker)) return [];
      const rss = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
      return [{ pid: Number(pid), rssBytes: Number(rss?.[1] ?? 0) * 1024 }];
    });
}

async function openNewFile(name: string, text: string): Promise<vscode.TextEditor> {
  const file = join(vscode.workspace.workspaceFolders![0]!.uri.fsPath, "src", name);
  writeFileSync(file, text);
  const editor = await vscode.window.showTextDocument(vscode.Uri.file(file));
  const end = editor.document.positionAt(text.length);
  editor.selection = new vscode.Selection(end, end);
  return editor;
}

describe("the installed VSIX", () => {
  let hostBefore = 0;

  before(async () => {
    await until(() => ghost()?.isActive === true, "Ghost to activate on startup finished", 60_000, 50);
  });

  it("is the installed copy, activates at startup without loading the model, and logs its activation time", async () => {
    assert.match(ghost().extensionPath, /extensions\/ghost-dev\.ghost-0\.1\.0(-linux-x64)?$/);
    const line = await waitForLogLine(/activated in [\d.]+ ms, [\d.]+ ms of CPU/, 0);
    const [, ms, cpu] = /activated in ([\d.]+) ms, ([\d.]+) ms of CPU/.exec(line)!.map(Number);
    hostBefore = process.memoryUsage().rss;
    assert.deepEqual(modelWorkers(), [], "no model worker runs before the model's first use");
    const parts = /\(loading Ghost's code [\d.]+ ms, VS Code's own preparation [\d.]+ ms, activate\(\) [\d.]+ ms\)/.exec(line)?.[0] ?? "";
    say(`bench: activation ${ms!.toFixed(1)} ms wall, ${cpu!.toFixed(1)} ms CPU ${parts} (goal < 200; load average ${loadavg()[0]!.toFixed(1)} on ${cpus().length} cores); extension host ${mb(hostBefore)} before the model's first use`);
  });

  it("shows ghost text from the model on first use, and Tab's command inserts it", async () => {
    const editor = await openNewFile("installed.ts", "export const numbers = [1, 2, 3];\nconst doubled = ");
    const before = editor.document.getText();
    const since = ghostLogText().length;
    // The first request loads the model; a suggestion can take a few tries while it loads.
    for (let attempt = 0; attempt < 20 && editor.document.getText() === before; attempt++) {
      await vscode.commands.executeCommand("editor.action.inlineSuggest.trigger");
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      await vscode.commands.executeCommand("editor.action.inlineSuggest.commit");
    }
    assert.notEqual(editor.document.getText(), before, "no suggestion was accepted");
    assert.ok(editor.document.getText().startsWith(before));
    await waitForLogLine(/model ready: \S+\.onnx/, since, 30_000);
    const workers = modelWorkers();
    assert.equal(workers.length, 1, "one model worker after first use");
    say(`bench: after first use, extension host ${mb(process.memoryUsage().rss)} (was ${mb(hostBefore)}), model worker ${mb(workers[0]!.rssBytes)}`);
  });

  it("proposes an edit with Edit Selection, and Accept All writes it", async () => {
    const editor = await openNewFile("edited.ts", "export function twice(value: number): number {\n  return value + value;\n}\n");
    editor.selection = new vscode.Selection(1, 0, 1, 23);
    const result = await vscode.commands.executeCommand<{ kind: string } | null>("ghost.editSelection", "multiply instead");
    assert.ok(result && ["proposed", "unchanged"].includes(result.kind), JSON.stringify(result));
    if (result.kind === "proposed") {
      const before = editor.document.getText();
      await vscode.commands.executeCommand("ghost.edit.acceptAll", editor.document.uri.toString());
      assert.notEqual(editor.document.getText(), before);
    }
  });

  it("runs an agent task from the panel's command to an outcome", async () => {
    const result = await vscode.commands.executeCommand<{ kind: string } | null>("ghost.startAgentTask", "say hello");
    assert.ok(result && typeof result.kind === "string", JSON.stringify(result));
  });

  it("offers its model to other extensions through the Language Model API, streamed", async () => {
    const [model, ...others] = await vscode.lm.selectChatModels({ vendor: "ghost" });
    assert.ok(model, "vscode.lm.selectChatModels({ vendor: 'ghost' }) found no model");
    assert.deepEqual(others, []);
    const response = await model.sendRequest([vscode.LanguageModelChatMessage.User("Write a function that adds two numbers.")], {}, new vscode.CancellationTokenSource().token);
    const fragments: string[] = [];
    for await (const fragment of response.text) fragments.push(fragment);
    assert.ok(fragments.length > 1, `a streamed reply comes in pieces, got ${fragments.length}`);
    assert.ok(fragments.join("").length > 0);
    assert.ok((await model.countTokens("const x = 1;")) > 0);
  });
});
