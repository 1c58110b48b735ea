// Autocomplete inside a real VS Code: cross-file context reaches the prompt, a keystroke cancels the request in
// flight, typing through a shown suggestion keeps it without asking the model again, and a cursor at rest has the
// prompt there prefilled before the first keystroke.
import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { before, describe, it } from "mocha";
import * as vscode from "vscode";
import type { GhostTestApi as GhostApi } from "../extension-under-test";
import { until } from "./until";
import { ghostLogText, waitForLogLine } from "./ghost-log";

let ghost: GhostApi;

/** A new file in the workspace, open in an editor, with the cursor where `|` marks it (else at the end). */
async function openNewFile(name: string, marked: string): Promise<vscode.TextEditor> {
  const folder = vscode.workspace.workspaceFolders![0]!.uri.fsPath;
  const cursor = marked.includes("|") ? marked.indexOf("|") : marked.length;
  writeFileSync(join(folder, "src", name), marked.replace("|", ""));
  const editor = await vscode.window.showTextDocument(vscode.Uri.file(join(folder, "src", name)));
  const position = editor.document.positionAt(cursor);
  editor.selection = new vscode.Selection(position, position);
  return editor;
}

const invoke: vscode.InlineCompletionContext = { triggerKind: vscode.InlineCompletionTriggerKind.Invoke, selectedCompletionInfo: undefined };
const ask = (editor: vscode.TextEditor, token = new vscode.CancellationTokenSource().token) =>
  ghost.completions.provideInlineCompletionItems(editor.document, editor.selection.active, invoke, token);

describe("autocomplete", () => {
  before(async () => {
    ghost = await vscode.extensions.getExtension<GhostApi>("ghost-dev.ghost")!.activate();
    await ghost.host.ready(); // the first use loads it
    await until(() => ghost.workspace.index.definitionsOf("add").length > 0, "the workspace index");
  });

  it("puts the signature of a function defined in another file into the logged prompt at its call site", async () => {
    const since = ghostLogText().length;
    const editor = await openNewFile("caller.ts", 'import { add } from "./math";\n\nconst total = add(');
    await ask(editor);
    const sources = ghost.completions.lastCompletion!.context.files;
    assert.deepEqual(sources, [{ path: "src/math.ts", text: "export function add(a: number, b: number): number {" }]);
    await waitForLogLine(/prompt files: .*"path":"src\/math\.ts","text":"export function add\(a: number, b: number\): number \{"/, since);
  });

  it("cancels the request in flight when the next keystroke asks again", async () => {
    const editor = await openNewFile("typing.ts", "export function greet(name: string) {\n  |\n}\n");
    // Keep the model busy with a long generation, so the first request is surely still in flight (queued in the
    // worker) when the keystroke comes: the test does not depend on how fast the model answers.
    const hog = new AbortController();
    const busy = (async () => {
      for await (const event of ghost.host.current!.generate({ prompt: [{ text: "let" }], maxTokens: 1500, stopTokens: [] }, hog.signal)) void event;
    })();
    const before = { ...ghost.completions.counts };
    const first = ask(editor);
    await until(() => ghost.completions.counts.requested > before.requested, "the first request to reach the model", 5_000, 1);
    await editor.edit((edit) => edit.insert(editor.selection.active, "n"));
    const second = ask(editor);
    hog.abort();
    await busy;
    assert.equal(await first, undefined);
    await second;
    assert.equal(ghost.completions.counts.cancelled, before.cancelled + 1);
  });

  it("keeps a shown suggestion while the user types through it, without a new request", async () => {
    const editor = await openNewFile("through.ts", "export const numbers = [1, 2, 3];\nconst doubled = ");
    const shown = await ask(editor);
    assert.ok(shown && shown.length === 1, "the test model proposes something here");
    const text = shown[0]!.insertText as string;
    const requested = ghost.completions.counts.requested;
    await editor.edit((edit) => edit.insert(editor.selection.active, text[0]!));
    const kept = await ask(editor);
    assert.equal(kept?.[0]?.insertText, text.slice(1));
    assert.equal(ghost.completions.counts.requested, requested);
  });

  it("prefills the prompt while the cursor rests on a new line, so the first keystroke there prefills only the rest", async () => {
    const body = 'import { add } from "./math";\n\nexport function total(values: number[]) {\n  let sum = 0;\n  for (const value of values) sum = add(sum, value);\n  |\n  return sum;\n}\n';
    // Without a rest: the keystroke comes at once, and its request prefills the new file's prompt itself.
    const cold = await openNewFile("typed-at-once.ts", body);
    await cold.edit((edit) => edit.insert(cold.selection.active, "r"));
    await ask(cold);
    const coldStats = ghost.completions.lastCompletion!.stats;
    assert.ok(coldStats.prefilledTokens > coldStats.promptTokens / 2, `cold: ${coldStats.prefilledTokens} of ${coldStats.promptTokens} prefilled`);
    const warmups = ghost.completions.counts.warmups;
    const rested = await openNewFile("rested.ts", body);
    await until(() => ghost.completions.counts.warmups > warmups, "a warm-up where the cursor rests", 30_000);
    await rested.edit((edit) => edit.insert(rested.selection.active, "r"));
    await ask(rested);
    const { stats, context } = ghost.completions.lastCompletion!;
    // What follows the cursor comes after it in the prompt, so every keystroke prefills it (and the FIM markers around
    // it, the typed letter, and the token healing backs off): that much, not the file.
    const tail = (await ghost.host.current!.tokenize(context.window.suffix)).length + 6;
    assert.ok(stats.prefilledTokens <= tail, `after the rest: ${stats.prefilledTokens} of ${stats.promptTokens} prefilled (tail ${tail})`);
    assert.ok(stats.promptTokens > 3 * tail, `the prompt (${stats.promptTokens} tokens) is more than its tail`);
  });

  it("shows what the model would see, and where it came from, with Ghost: Show Completion Context", async () => {
    await openNewFile("context.ts", 'import { add } from "./math";\nconst sum = add(');
    await vscode.commands.executeCommand("ghost.showCompletionContext");
    await until(() => vscode.window.visibleTextEditors.some((editor) => editor.document.getText().startsWith("# sources")), "the context document");
    const shown = vscode.window.visibleTextEditors.find((editor) => editor.document.getText().startsWith("# sources"))!.document.getText();
    // Found through the import once the index has parsed the new file, else by name: the same definition either way.
    assert.match(shown, /^definition +src\/math\.ts:1 +\(add( \(imported\))?\)$/m);
    assert.match(shown, /# prompt: \d+ tokens \(budget 1500\)\n<\|repo_name\|>/);
    assert.ok(shown.endsWith('const sum = add(<|fim_suffix|><|fim_middle|>'), shown.slice(-80));
  });
});
