// `ghost edit --apply --json` when the user saves the file while the model is rewriting it: a change that merges
// is applied; one that overlaps the user's is a conflict, reported as "conflict" with exit code 1, and the user's
// bytes stay. The model is a scripted one whose script is a named pipe, so the test saves the file exactly between
// the CLI's read of it and the model's reply.
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync, spawn } from "node:child_process";
import { open, readFile, writeFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { makeWorld } from "../agent/loop/harness";

const repo = resolve(__dirname, "..", "..");

async function editWhileUserSaves(original: string, range: string, rewrite: string, saved: string) {
  const world = await makeWorld({ "notes.txt": original });
  const fifo = join(world.base, "script.fifo");
  execFileSync("mkfifo", [fifo]);
  const args = [join(repo, "cli", "ghost.ts"), "edit", `${join(world.root, "notes.txt")}:${range}`, "shout", "--root", world.root, "--model", `scripted:${fifo}`, "--apply", "--json"];
  const child = spawn(process.execPath, ["--import", "tsx", ...args], { cwd: repo, env: { ...process.env, GHOST_HOME: join(world.base, "ghost-home") } });
  let [stdout, stderr] = ["", ""];
  child.stdout.on("data", (chunk) => (stdout += chunk));
  child.stderr.on("data", (chunk) => (stderr += chunk));
  const exited = new Promise<number | null>((resolve) => child.on("close", resolve));
  // Opening the pipe for writing waits until the CLI opens it to load the model: it has read notes.txt by then.
  const pipe = await open(fifo, "w");
  await writeFile(join(world.root, "notes.txt"), saved);
  await pipe.writeFile(JSON.stringify([`\`\`\`\n${rewrite}\`\`\`\n`]));
  await pipe.close();
  const code = await exited;
  return { code, stderr, result: stdout ? JSON.parse(stdout) : null, now: await readFile(join(world.root, "notes.txt"), "utf8") };
}

test("edit --apply --json: an overlapping save is a conflict, exit code 1, and the user's bytes stay", async () => {
  const { code, stderr, result, now } = await editWhileUserSaves("a\nb\nc\n", "1-3", "A\nB\nC\n", "a\nUSER\nc\n");
  assert.equal(code, 1, stderr);
  assert.equal(result.outcome, "conflict");
  assert.deepEqual(result.files.map((file: { path: string; result: string }) => [file.path, file.result]), [["notes.txt", "conflict"]]);
  assert.equal(now, "a\nUSER\nc\n");
});

test("edit --apply --json: a save elsewhere in the file merges, and the outcome is applied", async () => {
  const lines = Array.from({ length: 12 }, (_, index) => `line ${index + 1}`);
  const saved = [...lines.slice(0, 10), "USER", ...lines.slice(11)];
  const { code, stderr, result, now } = await editWhileUserSaves(`${lines.join("\n")}\n`, "1-2", "LINE 1\nLINE 2\n", `${saved.join("\n")}\n`);
  assert.equal(code, 0, stderr);
  assert.equal(result.outcome, "applied");
  assert.equal(now, `${["LINE 1", "LINE 2", ...saved.slice(2)].join("\n")}\n`);
});
