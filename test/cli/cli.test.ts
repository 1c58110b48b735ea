// The `ghost` command end to end: the bundled CLI in a child process, the shipped model, a local fake hub.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { execFile, execFileSync } from "node:child_process";
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { startFakeHub, type FakeHub } from "../helpers/fake-hub";
import { tinyCoder } from "../helpers/models";

const root = resolve(__dirname, "..", "..");
const sample = join(root, "test", "fixtures", "sample", "math.ts");
let hub: FakeHub;
let home: string;

before(async () => {
  execFileSync(process.execPath, ["scripts/build.mjs"], { cwd: root });
  hub = await startFakeHub({ repos: { "ghost/tiny-coder": tinyCoder } });
  home = mkdtempSync(join(tmpdir(), "ghost-home-"));
});
after(async () => {
  await hub.close();
  rmSync(home, { recursive: true, force: true });
});

/** Runs the CLI without blocking this process's event loop: the fake hub answers from here. */
function ghost(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const env = { ...process.env, GHOST_HOME: home, GHOST_MODEL: "", HF_TOKEN: "" };
    execFile(process.execPath, [join(root, "dist", "cli.js"), ...args], { env, timeout: 120_000 }, (error, stdout, stderr) => {
      resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr });
    });
  });
}

test("complete --json prints the completion with prompt tokens, reuse and timings", async () => {
  const { code, stdout, stderr } = await ghost("complete", `${sample}:2:10`, "--model", tinyCoder, "--variant", "fp32", "--json");
  assert.equal(code, 0, stderr);
  const result = JSON.parse(stdout);
  assert.equal(typeof result.completion, "string");
  assert.ok(!result.completion.includes("\n"), "single-line by default");
  assert.equal(result.family, "qwen");
  assert.ok(result.promptTokens > 10);
  assert.equal(result.reusedTokens, 0);
  assert.equal(result.prefilledTokens, result.promptTokens);
  assert.ok(result.timeToFirstTokenMs > 0);
  assert.match(result.stopReason, /^(stop-token|stop-string|max-tokens)$/);
});

test("complete without --json prints just the completion, the same one", async () => {
  const json = JSON.parse((await ghost("complete", `${sample}:2:10`, "--model", tinyCoder, "--variant", "fp32", "--json")).stdout);
  const plain = await ghost("complete", `${sample}:2:10`, "--model", tinyCoder, "--variant", "fp32");
  assert.equal(plain.stdout, `${json.completion}\n`);
});

test("a position outside the file is a usage error naming the file and line", async () => {
  const { code, stderr } = await ghost("complete", `${sample}:99:1`, "--model", tinyCoder);
  assert.equal(code, 2);
  assert.match(stderr, /math\.ts has 7 lines; line 99 does not exist/);
});

test("download refuses to proceed without a terminal to ask in, unless --yes, and writes nothing", async () => {
  const { code, stderr } = await ghost("models", "download", "ghost/tiny-coder", "--endpoint", hub.url, "--variant", "int8");
  assert.equal(code, 2);
  assert.match(stderr, /download needs confirmation: run it in a terminal or pass --yes/);
  assert.ok(!existsSync(join(home, "models", "ghost--tiny-coder--main")));
});

test("download, list, complete from the store, verify, and a flipped byte caught", async () => {
  const download = await ghost("models", "download", "ghost/tiny-coder", "--endpoint", hub.url, "--variant", "int8", "--yes");
  assert.equal(download.code, 0, download.stderr);
  assert.match(download.stderr, /100%/);
  const dir = join(home, "models", "ghost--tiny-coder--main");
  assert.match(download.stdout, new RegExp(`downloaded to ${dir}`));

  const listed = JSON.parse((await ghost("models", "list", "--json")).stdout);
  assert.deepEqual(listed.map((model: { repo: string; variants: string[] }) => [model.repo, model.variants]), [["ghost/tiny-coder", ["int8"]]]);

  const fromStore = await ghost("complete", `${sample}:5:10`, "--model", "ghost/tiny-coder", "--json");
  const fromFolder = await ghost("complete", `${sample}:5:10`, "--model", tinyCoder, "--variant", "int8", "--json");
  assert.equal(fromStore.code, 0, fromStore.stderr);
  assert.equal(JSON.parse(fromStore.stdout).completion, JSON.parse(fromFolder.stdout).completion);

  assert.equal((await ghost("models", "verify", dir)).code, 0);
  const config = join(dir, "config.json");
  writeFileSync(config, readFileSync(config, "utf8").replace('"', "'"));
  const broken = await ghost("models", "verify", dir);
  assert.equal(broken.code, 1);
  assert.match(broken.stdout, /config\.json/);
});

test("a hub id that was never downloaded says how to download it", async () => {
  const { code, stderr } = await ghost("complete", `${sample}:2:10`, "--model", "someone/never-downloaded");
  assert.equal(code, 1);
  assert.match(stderr, /ghost models download someone\/never-downloaded/);
});

test("edit prints the proposed diff; --apply writes it and records a checkpoint", async () => {
  const workspace = mkdtempSync(join(tmpdir(), "ghost-edit-"));
  cpSync(sample, join(workspace, "math.ts"));
  const original = readFileSync(join(workspace, "math.ts"));
  const proposed = await ghost("edit", join(workspace, "math.ts") + ":1-3", "rename add to plus", "--root", workspace, "--model", tinyCoder, "--variant", "fp32", "--json");
  assert.equal(proposed.code, 0, proposed.stderr);
  const result = JSON.parse(proposed.stdout);
  // Greedy decoding on the shipped model is deterministic, and it rewrites these lines (into nonsense: the test
  // model checks mechanics, not quality).
  assert.equal(result.outcome, "proposed");
  assert.match(result.diff, /^--- a\/math\.ts\n\+\+\+ b\/math\.ts$/m);
  assert.deepEqual(readFileSync(join(workspace, "math.ts")), original, "nothing is written without --apply");
  const applied = await ghost("edit", join(workspace, "math.ts") + ":1-3", "rename add to plus", "--root", workspace, "--model", tinyCoder, "--variant", "fp32", "--apply", "--json");
  assert.equal(applied.code, 0, applied.stderr);
  assert.equal(JSON.parse(applied.stdout).diff, result.diff);
  assert.match(readFileSync(join(workspace, "math.ts"), "utf8"), /export function mul\(a: number, b: number\): number \{\n  return a \* b;\n\}\n$/);
  assert.notDeepEqual(readFileSync(join(workspace, "math.ts")), original);
  assert.ok(readdirSync(join(home, "checkpoints")).length > 0, "a checkpoint was recorded");
  rmSync(workspace, { recursive: true, force: true });
});

test("edit refuses a line range outside the file", async () => {
  const { code, stderr } = await ghost("edit", `${sample}:5-99`, "anything", "--model", tinyCoder);
  assert.equal(code, 2);
  assert.match(stderr, /math\.ts has 7 lines; 5-99 is not a range of them/);
});

test("agent at auto-edit gives the model back the conventions its change breaks, with evidence", async () => {
  const workspace = join(mkdtempSync(join(tmpdir(), "ghost-agent-conventions-")), "repo");
  cpSync(join(root, "test", "fixtures", "conventions", "ts-fetch"), workspace, { recursive: true });
  const create = { tool: "create_file", args: { path: "src/report-client.ts", content: 'import axios from "axios";\n\nexport async function report(total: number): Promise<void> {\n  await axios.post("/report", { total });\n}\n' } };
  const replies = [create, { tool: "finish", args: { summary: "done" } }].map((call) => "```json\n" + JSON.stringify(call) + "\n```");
  const script = join(workspace, "..", "script.json");
  writeFileSync(script, JSON.stringify(replies));
  const { code, stdout, stderr } = await ghost("agent", "add a report client", "--autonomy", "auto-edit", "--trust", "--root", workspace, "--model", `scripted:${script}`);
  assert.equal(code, 0, stderr);
  assert.match(stdout, /^finished: done$/m);
  // The transcript of steps goes to stderr; the observation the model got back carries the flag.
  assert.match(stderr, /Conventions this change breaks \(fix them\):\n- src\/report-client\.ts:1: adds axios, which this repository never uses; it makes HTTP requests with fetch \(src\/api-client\.ts:13, src\/api-client\.ts:20\)/);
  rmSync(join(workspace, ".."), { recursive: true, force: true });
});
