// `npm start` keeps the user's VS Code settings between runs: the harness adds only the quiet-offline settings the
// file does not set, and keeps everything else in it (Ghost's settings, the font size, comments) byte for byte.
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parse } from "jsonc-parser";
import { mergeUserSettings } from "../vscode/harness/code-server.mjs";

function userData(settings?: string): { dir: string; file: string } {
  const dir = mkdtempSync(join(tmpdir(), "ghost-user-data-"));
  const file = join(dir, "User/settings.json");
  mkdirSync(join(dir, "User"));
  if (settings !== undefined) writeFileSync(file, settings);
  return { dir, file };
}

test("the user's settings, comments and choices survive a start; only missing ones are added", () => {
  const mine = `{\n  // my model\n  "ghost.model": "/models/qwen",\n  "ghost.trace": true,\n  "editor.fontSize": 17,\n  "workbench.startupEditor": "welcomePage"\n}\n`;
  const { dir, file } = userData(mine);
  mergeUserSettings(dir);
  mergeUserSettings(dir); // a second start changes nothing more
  const text = readFileSync(file, "utf8");
  assert.ok(text.includes("// my model"), text);
  const settings = parse(text);
  assert.equal(settings["ghost.model"], "/models/qwen");
  assert.equal(settings["ghost.trace"], true);
  assert.equal(settings["editor.fontSize"], 17);
  assert.equal(settings["workbench.startupEditor"], "welcomePage");
  assert.equal(settings["telemetry.telemetryLevel"], "off");
  assert.equal(text.split('"telemetry.telemetryLevel"').length, 2, "added once");
});

test("a first start writes the quiet offline settings", () => {
  const { dir, file } = userData();
  mergeUserSettings(dir);
  assert.equal(parse(readFileSync(file, "utf8"))["extensions.autoUpdate"], false);
});

test("a settings.json that is not JSON is named, not overwritten", () => {
  const { dir, file } = userData("{ broken");
  assert.throws(() => mergeUserSettings(dir), new RegExp(`${file.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")} is not a JSON object`));
  assert.equal(readFileSync(file, "utf8"), "{ broken");
});
