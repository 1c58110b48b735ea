// The load-time graph rewrites (logits only where read; attention over capacity KV buffers) must not change
// what the model says: the same logits (max |difference| reported) and the same greedy tokens as the export run as
// it is, on every shipped model. And the cache of rewritten graphs: reused, remade when the model changes, and kept
// in Ghost's folder when the model's folder is read-only; made by a process of its own, whose failures name the model.
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync, spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { LocalEngine } from "../../model/engine";
import { emptyKvCache } from "../../model/kv-cache";
import type { GraphRewrites } from "../../model/causal-lm-session";
import { preparedGraph } from "../../model/graph/rewrite-process";
import { shippedModels, tinyCoder } from "../helpers/models";

/** int8 graphs run MatMulNBits with int8 activations (onnxruntime's accuracy level 4), whose rounding depends on
 *  how many rows a pass holds, so the same tokens in another chunking differ by up to ~3e-2 there. */
const toleranceOf = (variant: string) => (variant === "int8" ? 5e-2 : 1e-4);

// Long enough (~360 tokens) that the capacity buffers, never reserved here, are grown several times (64 positions a step).
const code = "export function fibonacci(n: number): number {\n  if (n < 2) return n;\n  return fibonacci(n - 1) + fibonacci(n - 2);\n}\n";
const longPrompt = Array.from({ length: 8 }, (_, index) => code.replaceAll("fibonacci", `fib${index}`)).join("\n");

function maxAbsDifference(a: Float32Array, b: Float32Array): number {
  assert.equal(a.length, b.length);
  let max = 0;
  for (let index = 0; index < a.length; index++) max = Math.max(max, Math.abs(a[index]! - b[index]!));
  return max;
}

/** Last-position logits after the prompt prefilled in chunks of 64, then each of 6 more tokens fed one at a time. */
async function logitsTrail(engine: LocalEngine, ids: number[]): Promise<Float32Array[]> {
  const trail: Float32Array[] = [];
  let cache = emptyKvCache(engine.session.layout);
  for (let start = 0; start < ids.length - 6; start += 64) {
    const result = await engine.session.forward(ids.slice(start, Math.min(start + 64, ids.length - 6)), cache, 1);
    cache = result.cache;
    trail.push(result.logits.slice());
  }
  for (const id of ids.slice(ids.length - 6)) {
    const result = await engine.session.forward([id], cache);
    cache = result.cache;
    trail.push(result.logits.slice());
  }
  return trail;
}

async function greedy(engine: LocalEngine, text: string): Promise<number[]> {
  const ids: number[] = [];
  for await (const event of engine.generate({ prompt: [{ text }], maxTokens: 32, stopTokens: [] })) if (event.type === "token") ids.push(event.id);
  return ids;
}

for (const model of shippedModels()) {
  test(`${model.name}: the rewritten graphs give the export's logits and greedy tokens`, async (t) => {
    const engines = new Map<GraphRewrites, LocalEngine>();
    for (const rewrites of ["none", "logits", "all"] as const) {
      engines.set(rewrites, await LocalEngine.load(model.dir, { variant: model.variant, threads: 1, rewrites }));
    }
    const plain = engines.get("none")!;
    assert.equal(plain.session.graph.logitsToKeep, false);
    assert.equal(engines.get("logits")!.session.graph.logitsToKeep, true);
    assert.equal(engines.get("all")!.session.graph.sharedKv, true, engines.get("all")!.session.graph.attentionSkipped);
    const ids = await plain.tokenize(longPrompt);
    const expected = await logitsTrail(plain, ids);
    const expectedTokens = await greedy(plain, longPrompt);
    for (const rewrites of ["logits", "all"] as const) {
      const engine = engines.get(rewrites)!;
      const trail = await logitsTrail(engine, ids);
      const worst = Math.max(...trail.map((logits, index) => maxAbsDifference(logits, expected[index]!)));
      t.diagnostic(`${rewrites}: max |logits - export's logits| ${worst.toExponential(2)} over ${trail.length} passes, ${ids.length} tokens`);
      assert.ok(worst < toleranceOf(model.variant), `${rewrites}: max |difference| ${worst}`);
      assert.deepEqual(await greedy(engine, longPrompt), expectedTokens, rewrites);
    }
    for (const engine of engines.values()) await engine.dispose();
  });
}

test("logits for the last positions only: the rows asked for, equal to those rows of every position", async () => {
  const engine = await LocalEngine.load(tinyCoder, { variant: "fp32", threads: 1 });
  const ids = await engine.tokenize(code);
  const all = await engine.session.forward(ids, emptyKvCache(engine.session.layout));
  const lastThree = await engine.session.forward(ids, emptyKvCache(engine.session.layout), 3);
  const vocabulary = all.vocabularySize;
  assert.equal(all.logits.length, ids.length * vocabulary);
  assert.equal(lastThree.logits.length, 3 * vocabulary);
  assert.ok(maxAbsDifference(lastThree.logits, all.logits.subarray((ids.length - 3) * vocabulary)) < 1e-5);
  await engine.dispose();
});

/** A private copy of tiny-coder's fp32 files (the cache is written beside them). */
function modelCopy(): string {
  const dir = mkdtempSync(join(tmpdir(), "ghost-graph-cache-"));
  cpSync(tinyCoder, dir, { recursive: true, filter: (source) => !/\.ghost-/.test(source) });
  return dir;
}

const rewritten = (dir: string) => readdirSync(join(dir, "onnx")).filter((name) => /^model\.ghost-.*\.onnx$/.test(name));

test("the rewritten graph is cached beside the model, reused, and made again when the model file changes", async () => {
  const dir = modelCopy();
  const first = await LocalEngine.load(dir, { variant: "fp32", threads: 1 });
  await first.dispose();
  const [cached] = rewritten(dir);
  assert.ok(cached, readdirSync(join(dir, "onnx")).join(", "));
  // small: the weights stay in the source file and its external data
  assert.ok(statSync(join(dir, "onnx", cached)).size < statSync(join(dir, "onnx", "model.onnx_data")).size / 4);
  const madeAt = statSync(join(dir, "onnx", cached)).mtimeMs;
  const again = await LocalEngine.load(dir, { variant: "fp32", threads: 1 });
  await again.dispose();
  assert.deepEqual(rewritten(dir), [cached]);
  assert.equal(statSync(join(dir, "onnx", cached)).mtimeMs, madeAt);
  const later = new Date(Date.now() + 5000);
  utimesSync(join(dir, "onnx", "model.onnx"), later, later);
  const changed = await LocalEngine.load(dir, { variant: "fp32", threads: 1 });
  await changed.dispose();
  assert.equal(rewritten(dir).length, 1);
  assert.notEqual(rewritten(dir)[0], cached);
  rmSync(dir, { recursive: true });
});

test("a model in a read-only folder gets its rewritten graph in Ghost's cache folder", { skip: !existsSync("/usr/bin/bwrap") && "needs bubblewrap to mount the folder read-only" }, () => {
  const dir = modelCopy();
  const home = mkdtempSync(join(tmpdir(), "ghost-home-"));
  const script = `
    const { LocalEngine } = require("./model/engine");
    (async () => {
      const engine = await LocalEngine.load(process.argv[1], { variant: "fp32", threads: 1 });
      let text = "";
      for await (const event of engine.generate({ prompt: [{ text: "function add(a, b) {" }], maxTokens: 8, stopTokens: [] })) if (event.type === "done") text = event.text;
      console.log(JSON.stringify({ file: engine.session.graph.file, sharedKv: engine.session.graph.sharedKv, text }));
      await engine.dispose();
    })();`;
  const run = spawnSync("bwrap", ["--dev-bind", "/", "/", "--ro-bind", dir, dir, process.execPath, "--import", "tsx", "-e", script, dir], {
    encoding: "utf8",
    env: { ...process.env, GHOST_HOME: home },
  });
  assert.equal(run.status, 0, run.stderr);
  const result = JSON.parse(run.stdout.trim().split("\n").pop()!) as { file: string; sharedKv: boolean; text: string };
  assert.ok(result.file.startsWith(join(home, "graphs")), result.file);
  assert.equal(result.sharedKv, true);
  assert.deepEqual(rewritten(dir), []);
  assert.ok(result.text.length > 0);
  execFileSync("rm", ["-rf", dir, home]);
});

test("a model whose graph cannot be read fails its first load with the file named, from the rewrite's own process", async () => {
  const dir = modelCopy();
  const onnx = join(dir, "onnx", "model.onnx");
  writeFileSync(onnx, readFileSync(onnx).subarray(0, 5000)); // truncated, as by a broken download
  await assert.rejects(LocalEngine.load(dir, { variant: "fp32", threads: 1 }), (error: Error) => {
    assert.match(error.message, new RegExp(`^Ghost could not rewrite the graph of ${onnx.replaceAll(/[.\\/]/g, "\\$&")} for loading: `));
    return true;
  });
  rmSync(dir, { recursive: true });
});

test("a cached rewrite is read without starting a process; a missing one is made by the rewrite's process", async () => {
  const dir = modelCopy();
  const onnx = join(dir, "onnx", "model.onnx");
  const request = { logitsToKeep: true, sharedKv: null };
  const noProcess = join(dir, "no-such-rewrite-entry.js");
  await assert.rejects(preparedGraph(onnx, request, join(dir, "cache"), noProcess), /could not rewrite the graph of .*model\.onnx for loading: its process stopped \(exit code 1\)/);
  const made = await preparedGraph(onnx, request, join(dir, "cache"));
  assert.ok(existsSync(made.file) && made.logitsToKeep, JSON.stringify(made));
  assert.deepEqual(await preparedGraph(onnx, request, join(dir, "cache"), noProcess), made);
  rmSync(dir, { recursive: true });
});
