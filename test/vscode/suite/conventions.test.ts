// The workspace's conventions in a real VS Code: mined in the background, shown by "Ghost: Show Conventions", and
// used to drop a completion that breaks a strong formatting convention.
import assert from "node:assert/strict";
import { before, describe, it } from "mocha";
import * as vscode from "vscode";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { ScriptedModel } from "../../../agent/loop/scripted-model";
import type { GhostTestApi as GhostApi } from "../extension-under-test";
import { until } from "./until";

describe("conventions", () => {
  let ghost: GhostApi;
  before(async () => {
    ghost = await vscode.extensions.getExtension<GhostApi>("ghost-dev.ghost")!.activate();
    await until(() => ghost.conventions.profile !== null, "the conventions to be mined");
  });

  it("shows what was learned, with strength and evidence", async () => {
    await vscode.commands.executeCommand("ghost.showConventions");
    await until(() => vscode.window.activeTextEditor?.document.getText().startsWith("Conventions of") === true, "the conventions document");
    const shown = vscode.window.activeTextEditor!.document.getText();
    // The adverb follows the counts, which depend on whether the autocomplete suite's src/typing.ts (no semicolon)
    // was saved before mining: what is asserted is the strength (n of m) and the evidence (file:line).
    assert.match(shown, /statements [a-z ]+ end with a semicolon — \d+ of \d+ \(src\/\w+\.ts:\d+/);
  });

  it("gives edits a short summary of the file's enforced conventions", () => {
    const summary = ghost.conventions.summaryFor("src/new.ts")!;
    assert.match(summary, /^Conventions of this repository:\n- logs with console/);
    assert.ok(summary.length <= 200 * 3.5, `${summary.length} characters`);
  });

  it("flags a proposed hunk that logs with a library the repository never uses, and learns from the rejection", async () => {
    const folder = vscode.workspace.workspaceFolders![0]!.uri.fsPath;
    const original = "export function report(total: number): void {\n  console.log(total);\n}\n";
    writeFileSync(join(folder, "src", "report.ts"), original);
    const editor = await vscode.window.showTextDocument(vscode.Uri.file(join(folder, "src", "report.ts")));
    editor.selection = new vscode.Selection(0, 0, 3, 0);
    const rewrite = 'import winston from "winston";\n\nexport function report(total: number): void {\n  winston.info(total);\n}';
    ghost.setEditModel(new ScriptedModel([`\`\`\`ts\n${rewrite}\n\`\`\``]));
    const result = await vscode.commands.executeCommand<{ kind: string; diff: { hunks: { id: string }[] } }>("ghost.editSelection", "log with winston");
    ghost.setEditModel(null);
    assert.equal(result.kind, "proposed");
    const lenses = (await vscode.commands.executeCommand<vscode.CodeLens[]>("vscode.executeCodeLensProvider", editor.document.uri)) ?? [];
    const warnings = lenses.map((lens) => lens.command?.title ?? "").filter((title) => title.startsWith("$(warning)"));
    assert.ok(warnings.some((title) => /adds winston, which this repository never uses; it logs with console \(src\/main\.ts:\d+\)/.test(title)), warnings.join("\n"));
    const rule = "javascript/alternatives:logging";
    const before = ghost.conventions.profile!.adjustments.rules[rule]?.accepted ?? 0;
    await vscode.commands.executeCommand("ghost.edit.rejectAll", editor.document.uri.toString());
    await until(() => (ghost.conventions.profile!.adjustments.rules[rule]?.accepted ?? 0) === before + 1, "the rejection to reach the profile", 5_000);
    assert.equal(editor.document.getText(), original);
  });
});
