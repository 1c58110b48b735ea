// The `ghost` command against a real llama.cpp llama-server (the shipped test model as GGUF, an API key required):
// complete, context, edit and agent run unchanged over real files with --model http://…/v1, the key from
// GHOST_API_KEY; a missing key, a wrong model name and server options without a server each fail with their message.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { execFile, execFileSync } from "node:child_process";
import { cpSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { startLlamaServer, type LlamaServer } from "../helpers/llama-server";
import { tinyCoder } from "../helpers/models";

const root = resolve(__dirname, "..", "..");
const key = "team-key-1";
let server: LlamaServer;
let work: string;

before(async () => {
  execFileSync(process.execPath, ["scripts/build.mjs"], { cwd: root });
  server = await startLlamaServer({ alias: "tiny-coder", apiKey: key });
  work = mkdtempSync(join(tmpdir(), "ghost-remote-cli-"));
  cpSync(join(root, "test", "fixtures", "sample"), join(work, "sample"), { recursive: true });
});
after(async () => {
  await server?.stop();
  rmSync(work, { recursive: true, force: true });
});

/** The bundled CLI (dist/cli.js, as shipped) in a child process, in the work folder. */
function ghost(args: string[], env: Record<string, string> = { GHOST_API_KEY: key }): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((done) => {
    const childEnv = { ...process.env, GHOST_HOME: join(work, "home"), XDG_CONFIG_HOME: join(work, "config"), GHOST_MODEL: "", GHOST_API_KEY: "", ...env };
    execFile(process.execPath, [join(root, "dist", "cli.js"), ...args], { cwd: work, env: childEnv, timeout: 180_000 }, (error, stdout, stderr) => {
      done({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr });
    });
  });
}

const serverArgs = () => ["--model", server.baseUrl, "--remote-model-name", "tiny-coder"];

test("complete --json through the server: a FIM completion with the server's prompt count and cache", async () => {
  const file = join(work, "sample", "math.ts");
  const { code, stdout, stderr } = await ghost(["complete", `${file}:2:10`, ...serverArgs(), "--json"]);
  assert.equal(code, 0, stderr);
  const result = JSON.parse(stdout);
  assert.equal(typeof result.completion, "string");
  assert.ok(!result.completion.includes("\n"), "single-line: the server stopped at the newline stop string");
  assert.equal(result.family, "qwen");
  assert.equal(result.model, `tiny-coder at ${server.baseUrl}`);
  assert.ok(result.promptTokens > 10);
  assert.equal(typeof result.server.cachedTokens, "number");
  assert.match(result.stopReason, /^(stop-token|stop-string|max-tokens)$/);
});

test("context through the server counts with the server's tokenizer", async () => {
  const file = join(work, "sample", "math.ts");
  const { code, stdout, stderr } = await ghost(["context", `${file}:5:10`, ...serverArgs(), "--json"]);
  assert.equal(code, 0, stderr);
  const result = JSON.parse(stdout);
  assert.ok(result.totalTokens > 10);
  assert.equal(result.tokensEstimated, undefined, "the server tokenizes: no estimate");
});

test("edit through the server: a constrained rewrite of lines of a real file, as a diff", async () => {
  const file = join(work, "sample", "math.ts");
  const before = readFileSync(file, "utf8");
  const { code, stdout, stderr } = await ghost(["edit", `${file}:1-3`, "rename add to plus", ...serverArgs(), "--json"]);
  assert.equal(code, 0, stderr);
  const result = JSON.parse(stdout);
  assert.match(result.outcome, /^(proposed|unchanged)$/);
  if (result.outcome === "proposed") {
    assert.match(result.diff, /^--- a\/sample\/math\.ts/m);
    assert.ok(result.stats.constrained, "decoded under the edit's grammar on the server");
  }
  assert.equal(readFileSync(file, "utf8"), before, "without --apply nothing is written");
});

test("agent through the server: every reply a constrained tool call, none a format error", async () => {
  const folder = join(work, "project");
  cpSync(join(root, "test", "fixtures", "workspaces", "calc"), folder, { recursive: true });
  const { code, stdout, stderr } = await ghost(["agent", "List the files in src", ...serverArgs(), "--root", folder, "--autonomy", "suggest", "--steps", "3", "--json"]);
  const summary = JSON.parse(stdout);
  assert.ok([0, 1].includes(code), stderr);
  assert.match(summary.outcome, /^(finished|limit-exceeded)$/);
  assert.ok(summary.steps >= 1);
  const events = readFileSync(summary.auditLog, "utf8").trim().split("\n").map((line) => JSON.parse(line));
  assert.deepEqual(events.filter((event) => event.event === "format-error"), []);
  assert.notEqual(summary.outcome === "limit-exceeded" && /format/.test(summary.message), true, summary.message);
});

test("without GHOST_API_KEY the server's refusal says where the key goes", async () => {
  const { code, stderr } = await ghost(["complete", `${join(work, "sample", "math.ts")}:2:10`, ...serverArgs()], {});
  assert.equal(code, 1);
  assert.match(stderr, /^ghost: the model server at http:\/\/127\.0\.0\.1:\d+\/v1\/models refused the API key \(HTTP 401[^)]*\): set the right key in GHOST_API_KEY/);
});

test("a wrong model name lists what the server serves", async () => {
  const { code, stderr } = await ghost(["complete", `${join(work, "sample", "math.ts")}:2:10`, "--model", server.baseUrl, "--remote-model-name", "big-coder"]);
  assert.equal(code, 1);
  assert.match(stderr, /has no model "big-coder" \(it serves tiny-coder\): set ghost\.remoteModelName \(--remote-model-name\)/);
});

test("server options without a server URL are a usage error; --help documents them", async () => {
  const stray = await ghost(["complete", `${join(work, "sample", "math.ts")}:2:10`, "--model", tinyCoder, "--remote-model-name", "x"]);
  assert.equal(stray.code, 2);
  assert.match(stray.stderr, /--remote-model-name is for a model server: pass --model http\(s\):\/\/HOST\[:PORT\]\/v1 with it/);
  for (const command of ["complete", "context", "edit", "agent"]) {
    const help = await ghost([command, "--help"]);
    assert.match(help.stdout, /--model DIR\|ID\|URL[\s\S]*http\(s\):\/\/HOST\[:PORT\]\/v1[\s\S]*--remote-model-name NAME[\s\S]*GHOST_API_KEY/, command);
  }
});
