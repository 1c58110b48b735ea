// The CLI's first-contact behaviour: every command has its own --help; an error is its message plus one line on
// where the help is (never the whole usage); an existing folder given to --model relatively is that folder; and
// every command's root defaults to the enclosing git work tree, so cross-file context spans the repository.
import { test, before } from "node:test";
import assert from "node:assert/strict";
import { execFile, execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative, resolve } from "node:path";
import { commandHelp } from "../../cli/help";
import { tinyCoder } from "../helpers/models";

const root = resolve(__dirname, "..", "..");
let home: string;

before(() => {
  execFileSync(process.execPath, ["scripts/build.mjs"], { cwd: root });
  home = mkdtempSync(join(tmpdir(), "ghost-home-"));
});

function ghost(cwd: string, ...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((done) => {
    const env = { ...process.env, GHOST_HOME: home, GHOST_MODEL: "", HF_TOKEN: "" };
    execFile(process.execPath, [join(root, "dist", "cli.js"), ...args], { cwd, env, timeout: 120_000 }, (error, stdout, stderr) => {
      done({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr });
    });
  });
}

test("every command answers --help with its own options, and exits 0", async () => {
  for (const name of Object.keys(commandHelp)) {
    const { code, stdout, stderr } = await ghost(root, name, "--help");
    assert.equal(code, 0, `${name}: ${stderr}`);
    assert.ok(stdout.startsWith(`ghost ${name} `), `${name} --help: ${stdout.slice(0, 80)}`);
  }
  const agentLog = await ghost(root, "agent", "log", "--help");
  assert.match(agentLog.stdout, /--autonomy/);
});

test("a usage error prints the message and one line on where the help is", async () => {
  const { code, stderr } = await ghost(root, "agent", "--bogus");
  assert.equal(code, 2);
  const lines = stderr.trim().split("\n");
  assert.equal(lines.length, 2, stderr);
  assert.match(lines[0]!, /^ghost: .*--bogus/);
  assert.equal(lines[1], "Run 'ghost agent --help' for its options.");
});

test("an existing model folder given relatively wins over reading it as a hub id", async () => {
  const file = join(root, "test", "fixtures", "sample", "math.ts");
  const { code, stderr } = await ghost(root, "complete", `${file}:2:10`, "--model", relative(root, tinyCoder), "--variant", "fp32");
  assert.equal(code, 0, stderr);
});

test("context defaults its root to the enclosing git work tree, from any folder, so another folder's definitions count", async () => {
  const repo = mkdtempSync(join(tmpdir(), "ghost-repo-"));
  mkdirSync(join(repo, ".git"));
  mkdirSync(join(repo, "lib"));
  mkdirSync(join(repo, "app", "pages"), { recursive: true });
  writeFileSync(join(repo, "lib", "money.ts"), "export function formatCents(cents: number): string {\n  return `$${(cents / 100).toFixed(2)}`;\n}\n");
  writeFileSync(join(repo, "app", "pages", "cart.ts"), 'import { formatCents } from "../../lib/money";\n\nconst label = formatCents(');
  const run = (cwd: string) => ghost(cwd, "context", join(repo, "app", "pages", "cart.ts") + ":3:27", "--model", tinyCoder, "--json");
  for (const cwd of [join(repo, "app", "pages"), tmpdir()]) {
    const { code, stdout, stderr } = await run(cwd);
    assert.equal(code, 0, stderr);
    const snippets = JSON.parse(stdout).snippets as { path: string; kind: string }[];
    assert.ok(snippets.some((snippet) => snippet.path === "lib/money.ts" && snippet.kind === "definition"), `from ${cwd}: ${JSON.stringify(snippets)}`);
  }
});

test("without a git work tree the root is the current folder", async () => {
  const plain = mkdtempSync(join(tmpdir(), "ghost-plain-"));
  writeFileSync(join(plain, "a.ts"), "export const one = 1;\n");
  const { code, stdout, stderr } = await ghost(plain, "conventions", "--json");
  assert.equal(code, 0, stderr);
  assert.equal(JSON.parse(stdout).files, 1);
});
