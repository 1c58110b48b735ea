// Context assembly: the callee's definition from another file, similar chunks, a stable order, the budget.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { assembleContext, type CompletionInput } from "../../../agent/complete/context";
import { RecentChunks } from "../../../agent/context/similar-chunks";
import { buildIndex, TagIndex } from "../../../agent/context/tag-index";

const workspace = join(__dirname, "..", "..", "fixtures", "workspaces", "calc");

async function setup() {
  const index = new TagIndex();
  await buildIndex(index, ["src/math.ts", "src/main.ts"], (path) => readFile(join(workspace, path), "utf8"));
  return { index, recent: new RecentChunks() };
}

const typing = (text: string): CompletionInput => ({ path: "src/app.ts", text, offset: text.length });
const options = (deps: Awaited<ReturnType<typeof setup>>, budgetTokens = 1500) => ({ ...deps, family: "qwen" as const, budgetTokens, charsPerToken: 3.5 });

test("a call site of a function defined in another file brings that function's signature", async () => {
  const context = assembleContext(typing('import { scale } from "./math";\nconst v = scale('), options(await setup()));
  assert.deepEqual(context.files, [{ path: "src/math.ts", text: "export function scale(vector: number[], factor: number): number[] {" }]);
  assert.equal(context.snippets[0]!.reason, "scale");
});

test("similar chunks of recent files join the definitions, in path order", async () => {
  const deps = await setup();
  deps.recent.touch("src/vectors.ts", "export function normalize(vector: number[]) {\n  const length = Math.hypot(...vector);\n  return scale(vector, 1 / length);\n}\n");
  const context = assembleContext(typing("const length = Math.hypot(...vector);\nconst unit = scale("), options(deps));
  assert.deepEqual(context.snippets.map((s) => `${s.kind} ${s.path}:${s.line}`), ["definition src/math.ts:5", "similar src/vectors.ts:0"]);
});

test("typing on the same line keeps the cross-file part of the prompt identical", async () => {
  const deps = await setup();
  const head = 'import { add } from "./math";\nconst total = add(1, 2);\n';
  const a = assembleContext(typing(`${head}const x = ad`), options(deps));
  const b = assembleContext(typing(`${head}const x = add(to`), options(deps));
  assert.deepEqual(a.files, b.files);
  assert.equal(a.window.prefixStartLine, b.window.prefixStartLine);
});

test("the budget bounds the prompt: a tiny budget drops cross-file snippets first", async () => {
  const big = assembleContext(typing("const v = scale("), options(await setup(), 1500));
  const tiny = assembleContext(typing("x".repeat(2000) + "\nconst v = scale("), options(await setup(), 20));
  assert.ok(big.files.length === 1 && tiny.files.length === 0);
  assert.ok(tiny.estimatedTokens <= 20, String(tiny.estimatedTokens));
});

test("the word being typed brings no definition until the cursor moves past it", async () => {
  const deps = await setup();
  const typingIt = assembleContext(typing("const x = add"), options(deps));
  const pastIt = assembleContext(typing("const x = add("), options(deps));
  assert.deepEqual(typingIt.files, []);
  assert.deepEqual(pastIt.snippets.map((s) => `${s.kind} ${s.path}:${s.line} ${s.reason}`), ["definition src/math.ts:1 add"]);
});
