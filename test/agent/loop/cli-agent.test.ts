// `ghost agent` end to end in a child process, on a scripted model: without a terminal, anything that would be asked
// is rejected with a clear message; auto-edit writes and reports its checkpoint; a bad policy file or level stops
// it before anything runs.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { finish, makeWorld, reply } from "./harness";

const repo = resolve(__dirname, "..", "..", "..");

async function ghostAgent(script: string[], ...args: string[]) {
  return ghostAgentIn(await makeWorld(), script, ...args);
}

async function ghostAgentIn(world: Awaited<ReturnType<typeof makeWorld>>, script: string[], ...args: string[]) {
  const scriptFile = join(world.base, "script.json");
  await writeFile(scriptFile, JSON.stringify(script));
  const run = () => {
    const result = spawnSync(process.execPath, ["--import", "tsx", join(__dirname, "run-cli-agent.ts"), "the task", "--model", `scripted:${scriptFile}`, "--root", world.root, ...args], {
      cwd: repo,
      encoding: "utf8",
      input: "",
      env: { ...process.env, GHOST_HOME: join(world.base, "ghost-home"), XDG_CONFIG_HOME: join(world.base, "config") },
    });
    return { code: result.status, stdout: result.stdout, stderr: result.stderr };
  };
  return { world, run };
}

test("without a terminal, an asked change is rejected with a clear message, and --json reports the task", async () => {
  const { world, run } = await ghostAgent([reply("create_file", { path: "new.ts", content: "x\n" }), finish], "--autonomy", "review", "--trust", "--json");
  const { code, stdout, stderr } = run();
  assert.equal(code, 0, stderr);
  assert.match(stderr, /\+\+\+ b\/new\.ts[\s\S]*\(review \(level 2\): every change is reviewed before it is written\)\nghost: this needs your approval, but there is no terminal to ask: rejected/);
  const summary = JSON.parse(stdout);
  assert.deepEqual([summary.outcome, summary.level, summary.steps, summary.checkpoints], ["finished", 2, 2, []]);
  assert.equal(existsSync(join(world.root, "new.ts")), false);
  assert.ok(existsSync(summary.auditLog));
});

test("auto-edit applies the edit at once and reports its checkpoint", async () => {
  const { world, run } = await ghostAgent([reply("edit_file", { path: "src/a.ts", search: "1", replace: "2" }), finish], "--autonomy", "3", "--trust", "--json");
  const { code, stdout, stderr } = run();
  assert.equal(code, 0, stderr);
  assert.equal(JSON.parse(stdout).checkpoints.length, 1);
  assert.equal(await readFile(join(world.root, "src/a.ts"), "utf8"), "export const a = 2;\n");
});

test("a policy file that tries to allow is an error naming the file; a bad level is a usage error", async () => {
  const { world, run } = await ghostAgent([finish], "--autonomy", "autopilot");
  await mkdir(join(world.root, ".ghost"), { recursive: true });
  await writeFile(join(world.root, ".ghost", "policy.json"), `{"allow": [["curl", "**"]]}`);
  const invalid = run();
  assert.equal(invalid.code, 1);
  assert.match(invalid.stderr, new RegExp(`ghost: ${join(world.root, ".ghost", "policy.json").replaceAll("/", "\\/")} is not a valid Ghost policy`));
  const badLevel = (await ghostAgent([finish], "--autonomy", "yolo")).run();
  assert.equal(badLevel.code, 2);
  assert.match(badLevel.stderr, /--autonomy yolo is not 0-4 or one of off, suggest, review, auto-edit, autopilot/);
});

test("a workspace is untrusted unless --trust or the user's trusted-folders list says so: capped at suggest, and told how", async () => {
  const world = await makeWorld();
  const edit = [reply("edit_file", { path: "src/a.ts", search: "1", replace: "2" }), finish];
  const untrusted = (await ghostAgentIn(world, edit, "--autonomy", "3", "--json")).run();
  assert.equal(untrusted.code, 0, untrusted.stderr);
  assert.equal(JSON.parse(untrusted.stdout).level, 1);
  assert.match(untrusted.stderr, /ghost: the workspace is not trusted: capped at suggest \(level 1\)\nghost: pass --trust, or list the folder in .*config\/ghost\/trusted-folders\.json, to go past suggest/);
  assert.equal(await readFile(join(world.root, "src/a.ts"), "utf8"), "export const a = 1;\n");
  const config = join(world.base, "config", "ghost");
  await mkdir(config, { recursive: true });
  await writeFile(join(config, "trusted-folders.json"), JSON.stringify([world.base]));
  const listed = (await ghostAgentIn(world, edit, "--autonomy", "3", "--json")).run();
  assert.equal(JSON.parse(listed.stdout).level, 3, listed.stderr);
  assert.equal(await readFile(join(world.root, "src/a.ts"), "utf8"), "export const a = 2;\n");
  await writeFile(join(config, "trusted-folders.json"), `{"folders": "all"}`);
  const broken = (await ghostAgentIn(world, [finish], "--autonomy", "3")).run();
  assert.equal(broken.code, 1);
  assert.match(broken.stderr, /trusted-folders\.json must hold a JSON list of absolute folder paths/);
});

test("--allow removes the question, not the sandbox: the allowed command runs contained, and asks again once its driving files change", async () => {
  const world = await makeWorld({ "package.json": JSON.stringify({ scripts: { test: "node -e 0" } }) });
  const script = [
    reply("run_command", { command: "npm test" }),
    reply("edit_file", { path: "package.json", search: "node -e 0", replace: "node -e 1" }),
    reply("run_command", { command: "npm test" }),
    finish,
  ];
  const { code, stderr } = (await ghostAgentIn(world, script, "--autonomy", "3", "--trust", "--allow", "npm test")).run();
  assert.equal(code, 0, stderr);
  assert.match(stderr, /\$ npm test\nexit code 0, \d+ ms\nRan in the sandbox: no network/);
  assert.match(stderr, /\(the workspace files that decide what npm does changed since its allow rule was approved\)\nghost: this needs your approval, but there is no terminal to ask: rejected/);
});
