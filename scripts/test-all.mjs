// `npm test`: every phase in order (types, bundles, the llama.cpp server, the Node tests, the VS Code tools, the VS
// Code test build and the VSIX, the tests in a real VS Code), each announced before it starts, since some run for
// minutes, and one summary line at the end across all of them. A failed phase does not hide the others' results;
// only phases that need a failed one's output are skipped. Exits 1 when anything failed.
import { spawn } from "node:child_process";

const node = process.execPath;
const tsc = "node_modules/typescript/bin/tsc";
const phases = [
  { name: "typecheck", about: "about a minute", commands: [[node, tsc, "-p", ".", "--noEmit"], [node, tsc, "-p", "webview", "--noEmit"]] },
  { name: "build", about: "seconds", commands: [[node, "scripts/build.mjs"]] },
  // The remote backend's tests run against a real llama.cpp server; its first build takes 20-30 minutes on 2 cores.
  { name: "llama-server", about: "under a second once built", commands: [["bash", "scripts/llama-server.sh"]] },
  { name: "node tests", about: "several minutes", needs: "build", commands: [[node, "scripts/test.mjs"]], counts: nodeCounts },
  { name: "vscode tools", about: "under a second once installed", commands: [["bash", "scripts/vscode-tools.sh"]] },
  {
    name: "vscode build",
    about: "under a minute: the test build and the VSIX",
    needs: "build",
    commands: [[node, "scripts/build-vscode-tests.mjs"], [node, "scripts/package.mjs", "--no-build"]],
  },
  { name: "vscode tests", about: "about 5 minutes", needs: "vscode build", commands: [[node, "test/vscode/run.mjs"]], counts: vscodeCounts },
];

const started = Date.now();
const results = [];
for (const phase of phases) {
  const needed = phase.needs && results.find((result) => result.name === phase.needs);
  if (needed && !needed.ok) {
    results.push({ name: phase.name, ok: false, text: `skipped (${phase.needs} failed)` });
    continue;
  }
  console.log(`\ntest: ${phase.name} (${phase.about})…`);
  const phaseStart = Date.now();
  let ok = true;
  let output = "";
  for (const [command, ...args] of phase.commands) {
    const run = await runCommand(command, args);
    output += run.output;
    if (run.code !== 0) {
      ok = false;
      break;
    }
  }
  const counts = phase.counts?.(output);
  const text = `${counts ?? (ok ? "ok" : "failed")} ${seconds(Date.now() - phaseStart)}`;
  console.log(`test: ${phase.name}: ${text}`);
  results.push({ name: phase.name, ok, text });
}
const failed = results.filter((result) => !result.ok);
console.log(`\ntest: ${failed.length === 0 ? "PASS" : "FAIL"} in ${seconds(Date.now() - started)} · ${results.map((result) => `${result.name} ${result.text}`).join(" · ")}`);
process.exit(failed.length === 0 ? 0 : 1);

/** Runs a command with its output shown as it comes, and kept for the counts. */
function runCommand(command, args) {
  return new Promise((resolve) => {
    const child = spawn(command, args, { stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    child.stdout.on("data", (chunk) => {
      output += chunk;
      process.stdout.write(chunk);
    });
    child.stderr.on("data", (chunk) => process.stderr.write(chunk));
    child.on("close", (code) => resolve({ code: code ?? 1, output }));
  });
}

function nodeCounts(output) {
  const count = (name) => [...output.matchAll(new RegExp(`^ℹ ${name} (\\d+)$`, "gm"))].at(-1)?.[1];
  const pass = count("pass");
  return pass === undefined ? undefined : `${pass} passed, ${count("fail") ?? 0} failed`;
}

function vscodeCounts(output) {
  return /^vscode: (\d+ passed, \d+ failed)$/m.exec(output)?.[1];
}

function seconds(ms) {
  const total = Math.round(ms / 1000);
  return total >= 60 ? `${Math.floor(total / 60)}m${String(total % 60).padStart(2, "0")}s` : `${total}s`;
}
