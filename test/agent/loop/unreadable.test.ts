// What the walk and the searches can not read is said, never left out as if it were not there: a folder and a
// file without read permission, listed and searched through the loop. Runs as an unprivileged user (root, which
// this machine's tests run as, reads everything).
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { dirname } from "node:path";
import { bundleForAnyone } from "../../helpers/bundle-for-anyone";

test("list_files and search report the folder and the file they could not read", async () => {
  const asNobody = process.getuid?.() === 0 ? { uid: 65534, gid: 65534 } : {};
  const bundle = await bundleForAnyone("test/agent/loop/run-unreadable.ts");
  const child = spawnSync(process.execPath, [bundle], { cwd: dirname(bundle), encoding: "utf8", ...asNobody });
  assert.equal(child.status, 0, child.stderr);
  assert.deepEqual(JSON.parse(child.stdout), [
    ".vscode/settings.json\nsrc/a.ts\nsrc/locked.ts\nsrc/open.ts\n(could not read closed/ (EACCES))",
    "src/a.ts:1: export const a = 1;\nsrc/open.ts:1: export function visible() {}\n(could not read 2: closed/ (EACCES), src/locked.ts (EACCES))",
    "src/open.ts:1: export function visible() {}\n(could not read 2: closed/ (EACCES), src/locked.ts (EACCES))",
  ]);
});
