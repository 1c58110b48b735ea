// Runs every test/**/*.test.ts file with Node's built-in runner (Node 20 has no glob for --test).
// usage: node scripts/test.mjs [substring ...]   — only files whose path contains one of the substrings
import { readdirSync } from "node:fs";
import { spawnSync } from "node:child_process";

const filters = process.argv.slice(2);
const files = readdirSync("test", { recursive: true })
  .map((name) => `test/${name}`)
  .filter((file) => file.endsWith(".test.ts") && !file.includes("/vscode/"))
  .filter((file) => filters.length === 0 || filters.some((filter) => file.includes(filter)))
  .sort();
if (files.length === 0) {
  console.error(`no test files match ${filters.join(" ") || "test/**/*.test.ts"}`);
  process.exit(1);
}
const result = spawnSync(process.execPath, ["--import", "tsx", "--test", "--test-reporter=spec", ...files], {
  stdio: "inherit",
});
process.exit(result.status ?? 1);
