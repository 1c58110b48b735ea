// The module boundaries of DESIGN.md, checked on the source itself: `vscode` is imported only in extension/.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

const coreFolders = ["model", "agent", "diffing", "cli", "webview", "bench"];
const importsVscode = /(?:from\s+["']vscode["']|require\(\s*["']vscode["']\s*\)|import\(\s*["']vscode["']\s*\))/;

function sourceFiles(folder: string): string[] {
  let names: string[];
  try {
    names = readdirSync(folder, { recursive: true }) as string[];
  } catch {
    return []; // a folder that does not exist yet has nothing to check
  }
  return names.filter((name) => /\.(ts|tsx|js|mjs)$/.test(name)).map((name) => join(folder, name));
}

test("vscode is imported only in extension/", () => {
  const offenders = coreFolders.flatMap(sourceFiles).filter((file) => importsVscode.test(readFileSync(file, "utf8")));
  assert.deepEqual(offenders, []);
});

test("the boundary check recognises every import form", () => {
  for (const line of [`import * as vscode from "vscode";`, `const vscode = require('vscode');`, `await import("vscode")`]) {
    assert.match(line, importsVscode);
  }
  assert.doesNotMatch(`import { z } from "zod"; // vscode-like`, importsVscode);
});
