// Plays list_files and search over a workspace holding a folder and a file this user can not read, and prints the
// observations as JSON. unreadable.test.ts runs it as an unprivileged user (root reads everything).
import { chmod, mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { finish, makeWorld, reply, runScript } from "./harness";

async function main(): Promise<void> {
  const world = await makeWorld({ "src/locked.ts": "const secret = 1;\n", "src/open.ts": "export function visible() {}\n" });
  await mkdir(join(world.root, "closed"));
  await writeFile(join(world.root, "closed", "inside.ts"), "const hidden = 1;\n");
  await chmod(join(world.root, "closed"), 0o000);
  await chmod(join(world.root, "src", "locked.ts"), 0o000);
  const calls = [reply("list_files", {}), reply("search", { query: "const|function" }), reply("search", { query: "visible", kind: "symbol" })];
  const { result } = await runScript(world, 2, [...calls, finish]);
  await chmod(join(world.root, "closed"), 0o755); // so the harness can remove the world
  const observations = result.messages.filter((message) => message.content.startsWith("Observation:")).map((message) => message.content.slice("Observation:\n".length));
  console.log(JSON.stringify(observations));
}

void main();
