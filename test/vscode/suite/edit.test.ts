// Edit in place in a real VS Code: "Ghost: Edit Selection" proposes, the review shows CodeLenses per hunk, Accept
// writes exactly the accepted hunks through one undoable edit (rebased onto what the user typed meanwhile, or a
// named conflict), Reject writes nothing. A scripted model gives the exact proposals; the shipped test model shows
// the real path works end to end (its rewrites are nonsense, so only their mechanics are checked).
import assert from "node:assert/strict";
import { setTimeout as sleep } from "node:timers/promises";
import { afterEach, describe, it } from "mocha";
import * as vscode from "vscode";
import { ScriptedModel } from "../../../agent/loop/scripted-model";
import type { GhostTestApi as GhostApi } from "../extension-under-test";

const lines = (...texts: string[]) => texts.map((text) => `${text}\n`).join("");
const shapes = lines(
  "export interface Point {",
  "  x: number;",
  "  y: number;",
  "}",
  "",
  "export function distance(a: Point, b: Point): number {",
  "  const dx = a.x - b.x;",
  "  const dy = a.y - b.y;",
  "  return Math.sqrt(dx * dx + dy * dy);",
  "}",
  "",
  "export function midpoint(a: Point, b: Point): Point {",
  "  return { x: (a.x + b.x) / 2, y: (a.y + b.y) / 2 };",
  "}",
  "",
  "export function scale(p: Point, factor: number): Point {",
  "  return { x: p.x * factor, y: p.y * factor };",
  "}",
);
// The scripted rewrite of the whole file: hunk 1 makes the fields readonly (lines 2-3), hunk 2 reorders line 17.
const readonlyFields = (text: string) => text.replace("  x: number;\n  y: number;", "  readonly x: number;\n  readonly y: number;");
const reorderedScale = (text: string) => text.replace("p.x * factor, y: p.y * factor", "factor * p.x, y: factor * p.y");
const lastLine = 17;

describe("edit in place", () => {
  afterEach(async () => {
    (await ghost()).setEditModel(null);
    for (let tries = 0; vscode.window.activeTextEditor && tries < 10; tries++) await vscode.commands.executeCommand("workbench.action.revertAndCloseActiveEditor");
  });

  it("proposes hunks as CodeLenses without touching the document", async () => {
    const { editor, result } = await proposeOnShapes("shapes-lenses.ts");
    assert.equal(result.diff.hunks.length, 2);
    assert.equal(editor.document.getText(), shapes);
    assert.equal(editor.document.isDirty, false);
    assert.equal(
      await codeLensText(editor.document.uri),
      "2: Ghost hunk 1/2: | Accept | Reject | Accept All | Reject All | Open in Diff Editor\n17: Ghost hunk 2/2: | Accept | Reject",
    );
  });

  it("accepting one hunk and rejecting the other writes exactly the accepted one, and Ctrl+Z restores the original", async () => {
    const { editor, result } = await proposeOnShapes("shapes-accept.ts");
    const [first, second] = result.diff.hunks.map((hunk) => hunk.id);
    const uri = editor.document.uri.toString();
    await vscode.commands.executeCommand("ghost.edit.acceptHunk", uri, first);
    await vscode.commands.executeCommand("ghost.edit.rejectHunk", uri, second);
    assert.equal(editor.document.getText(), readonlyFields(shapes));
    assert.equal((await ghost()).edits.review.hasProposal(editor.document.uri), false);
    assert.equal(await codeLensText(editor.document.uri), "");
    await vscode.commands.executeCommand("undo");
    assert.equal(editor.document.getText(), shapes);
  });

  it("accepting rebases onto what the user typed meanwhile", async () => {
    const { editor, result } = await proposeOnShapes("shapes-rebase.ts");
    await editor.edit((edit) => {
      edit.insert(new vscode.Position(0, 0), "// typed by the user\n");
      edit.replace(editor.document.lineAt(8).range, "  return Math.hypot(dx, dy);");
    });
    const typed = editor.document.getText();
    assert.match(await codeLensText(editor.document.uri), /^3: Ghost hunk 1\/2:.*\n18: Ghost hunk 2\/2: \| Accept \| Reject$/);
    await vscode.commands.executeCommand("ghost.edit.acceptHunk", editor.document.uri.toString(), result.diff.hunks[1]!.id);
    assert.equal(editor.document.getText(), reorderedScale(typed));
  });

  it("a hunk whose lines the user changed meanwhile is a conflict: named, not applied, the user's text kept", async () => {
    const { editor, result } = await proposeOnShapes("shapes-conflict.ts");
    await editor.edit((edit) => edit.replace(editor.document.lineAt(16).range, "  return { x: p.x * factor * 2, y: p.y * factor * 2 };"));
    const typed = editor.document.getText();
    const review = (await ghost()).edits.review;
    await assert.rejects(review.accept(editor.document.uri, "all"), /not applied, your text was kept: hunk 2\/2 \(src\/shapes-conflict\.ts:17\)/);
    assert.equal(editor.document.getText(), readonlyFields(typed));
    assert.equal(await codeLensText(editor.document.uri), "17: $(warning) Ghost hunk 2/2 conflicts with your edits here | Reject | Open in Diff Editor");
  });

  it("keeps a CRLF document's line endings", async () => {
    const crlf = (text: string) => text.replace(/\n/g, "\r\n");
    const { editor } = await proposeOnShapes("shapes-crlf.ts", crlf(shapes));
    await vscode.commands.executeCommand("ghost.edit.acceptAll", editor.document.uri.toString());
    assert.equal(editor.document.getText(), crlf(reorderedScale(readonlyFields(shapes))));
  });

  it("rewrites each of several selections, as one proposal", async () => {
    const editor = await openFile("shapes-multi.ts", shapes);
    selectLines(editor, [1, 1], [16, 16]);
    (await ghost()).setEditModel(modelReplying("  readonly x: number;", "  return { x: 0, y: 0 };"));
    const result = await vscode.commands.executeCommand<{ kind: string; diff: { hunks: unknown[] } }>("ghost.editSelection", "simplify");
    assert.equal(result.kind, "proposed");
    assert.equal(result.diff.hunks.length, 2);
    await vscode.commands.executeCommand("ghost.edit.acceptAll");
    assert.equal(editor.document.getText(), shapes.replace("  x: number;", "  readonly x: number;").replace(/ {2}return \{ x: p\.x.*\n/, "  return { x: 0, y: 0 };\n"));
  });

  it("opens the proposal in VS Code's diff editor, beside the document", async () => {
    const { editor } = await proposeOnShapes("shapes-diff.ts");
    await vscode.commands.executeCommand("ghost.edit.openDiff", editor.document.uri.toString());
    const input = await waitFor("a diff editor", () => {
      const tab = vscode.window.tabGroups.activeTabGroup.activeTab?.input;
      return tab instanceof vscode.TabInputTextDiff ? tab : null;
    });
    assert.equal(input.original.toString(), editor.document.uri.toString());
    assert.equal(input.modified.scheme, "ghost-proposal");
    assert.equal((await vscode.workspace.openTextDocument(input.modified)).getText(), reorderedScale(readonlyFields(shapes)));
  });

  it("refuses at autonomy level 0", async () => {
    const api = await ghost();
    const editor = await openFile("shapes-off.ts", shapes);
    selectLines(editor, [0, lastLine]);
    Object.defineProperty(api.autonomy, "level", { get: () => 0, configurable: true });
    try {
      const result = await vscode.commands.executeCommand<{ kind: string; reason: string }>("ghost.editSelection", "anything");
      assert.equal(result.kind, "refused");
      assert.match(result.reason, /autonomy level 0/);
    } finally {
      delete (api.autonomy as { level?: unknown }).level; // the class's own getter again
    }
    assert.equal(api.edits.review.hasProposal(editor.document.uri), false);
  });

  it("with the shipped test model, rewrites the function around the cursor into a proposal or a 'no change'", async function () {
    this.timeout(120_000);
    const api = await ghost();
    await api.host.ready();
    const editor = await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(vscode.Uri.joinPath(vscode.workspace.workspaceFolders![0]!.uri, "src/math.ts")));
    const before = editor.document.getText();
    editor.selection = new vscode.Selection(1, 4, 1, 4); // inside add()
    const result = await vscode.commands.executeCommand<{ kind: string; diff?: { hunks: { oldStart: number }[] } }>("ghost.editSelection", "use descriptive names");
    assert.ok(result.kind === "proposed" || result.kind === "unchanged", `the edit came to ${JSON.stringify(result)}`);
    assert.equal(editor.document.getText(), before);
    if (result.kind === "proposed") {
      assert.ok(result.diff!.hunks.length > 0 && result.diff!.hunks.every((hunk) => hunk.oldStart <= 3)); // within add(), lines 1-3
      assert.match(await codeLensText(editor.document.uri), /^\d+: Ghost hunk 1\/\d+: \| Accept \| Reject/);
      await vscode.commands.executeCommand("ghost.edit.rejectAll");
      assert.equal(editor.document.getText(), before);
      assert.equal(api.edits.review.hasProposal(editor.document.uri), false);
    }
  });
});

async function ghost(): Promise<GhostApi> {
  return (await vscode.extensions.getExtension("ghost-dev.ghost")!.activate()) as GhostApi;
}

/** Opens a file of `text` (the shapes above), selects all of it and has the scripted model propose both hunks. */
async function proposeOnShapes(name: string, text = shapes) {
  const editor = await openFile(name, text);
  selectLines(editor, [0, lastLine]);
  (await ghost()).setEditModel(modelReplying(reorderedScale(readonlyFields(shapes))));
  const result = await vscode.commands.executeCommand<{ kind: "proposed"; diff: { hunks: { id: string }[] } }>("ghost.editSelection", "make Point immutable");
  assert.equal(result?.kind, "proposed");
  return { editor, result };
}

/** Writes `text` to src/NAME in the test workspace and opens it in the active editor. */
async function openFile(name: string, text: string): Promise<vscode.TextEditor> {
  const uri = vscode.Uri.joinPath(vscode.workspace.workspaceFolders![0]!.uri, "src", name);
  await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(text));
  return vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri));
}

/** One selection per [first, last] (0-based lines, inclusive), each covering its lines' text. */
function selectLines(editor: vscode.TextEditor, ...ranges: [number, number][]): void {
  editor.selections = ranges.map(([first, last]) => new vscode.Selection(first, 0, last, editor.document.lineAt(last).text.length));
}

/** A model whose replies are these rewrites, one per region, fenced the way chat models answer. */
function modelReplying(...rewrites: string[]): ScriptedModel {
  return new ScriptedModel(rewrites.map((rewrite) => `\`\`\`ts\n${rewrite.replace(/\n$/, "")}\n\`\`\``));
}

/** "2: Ghost hunk 1/2: | Accept | Reject\n17: …": the CodeLenses VS Code shows, by 1-based line. */
async function codeLensText(uri: vscode.Uri): Promise<string> {
  const lenses = (await vscode.commands.executeCommand<vscode.CodeLens[]>("vscode.executeCodeLensProvider", uri)) ?? [];
  const byLine = new Map<number, string[]>();
  for (const lens of lenses) byLine.set(lens.range.start.line + 1, [...(byLine.get(lens.range.start.line + 1) ?? []), lens.command?.title ?? "?"]);
  return [...byLine].map(([line, titles]) => `${line}: ${titles.join(" | ")}`).join("\n");
}

async function waitFor<T>(what: string, probe: () => T | null | undefined, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value !== null && value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs / 1000} s`);
    await sleep(100);
  }
}
