// The summary for prompts and the profile rendered for a reader: only the file's language, strongest first, never
// over the token budget, and without switched-off statements. Fixtures are grown by copies of their own files
// (helpers.ts grownFixture) where the point needs conventions with files enough to be enforced.
import { test } from "node:test";
import assert from "node:assert/strict";
import { charsPerToken, renderProfile, summarize } from "../../../agent/conventions/summary";
import { grownProfileOf, profileOf } from "./helpers";

test("a Python file's summary: Python conventions, strongest first, then the repository's written rules", async () => {
  const summary = summarize(await grownProfileOf("py-allreduce"), { path: "nanotrain/new.py", maxTokens: 400 });
  const lines = summary.split("\n");
  assert.equal(lines[0], "Conventions of this repository:");
  assert.equal(lines[1], "- lines always fit in 100 characters", "a declared setting comes first");
  assert.ok(lines.includes("- syncs gradients with torch.distributed collectives (1 in 1 file); never with DistributedDataParallel, FSDP, DeepSpeed, Horovod, Accelerate"));
  assert.ok(lines.includes("- functions almost never contain a try/except: 1 of 94 do"));
  assert.equal(lines[lines.length - 1], "- Only dataset.py touches the file system, and only there may a try/except catch an error. (CLAUDE.md:4)");
  assert.ok(summary.length <= 400 * charsPerToken);
});

test("the summary never exceeds its budget, and drops what does not fit rather than cutting a line", async () => {
  const profile = await grownProfileOf("ts-fetch");
  for (const maxTokens of [12, 30, 60, 120]) {
    const summary = summarize(profile, { path: "src/x.ts", maxTokens });
    assert.ok(summary.length <= maxTokens * charsPerToken, `${summary.length} chars for ${maxTokens} tokens`);
    for (const line of summary.split("\n").slice(1)) assert.ok(profile.statements.some((s) => `- ${s.text}` === line) || profile.rules.some((r) => line.startsWith(`- ${r.text}`)));
  }
  assert.equal(summarize(profile, { path: "src/x.ts", maxTokens: 5 }), "", "not even the header fits");
});

test("a file in a language the repository does not have gets only the written rules", async () => {
  const summary = summarize(await grownProfileOf("ts-fetch"), { path: "tool.py", maxTokens: 200 });
  assert.deepEqual(summary.split("\n").slice(1), [
    "- Never wrap calls in try/catch; let errors reach the CLI boundary. (AGENTS.md:3)",
    "- Use `fetch` for HTTP; do not add an HTTP client library. (AGENTS.md:4)",
    "- Keep functions under 40 lines. (AGENTS.md:6)",
  ]);
});

test("a switched-off statement is left out of the summary and unmarked in the rendering", async () => {
  const profile = await grownProfileOf("ts-fetch");
  const disabled = new Set(["javascript/quotes"]);
  assert.ok(summarize(profile, { path: "a.ts", maxTokens: 500 }).includes("- plain strings always use double quotes"));
  assert.ok(!summarize(profile, { path: "a.ts", maxTokens: 500, disabled }).includes("double quotes"));
  assert.ok(renderProfile(profile).includes("✓ plain strings always use double quotes — 56 of 56 (src/api-client.ts:1, src/batch-buckets.ts:1, src/batch-summary.ts:1); enforced: 31 of 31 files keep it  [javascript/quotes]"));
  assert.ok(renderProfile(profile, disabled).includes("· plain strings always use double quotes — 56 of 56"));
});

test("the rendering groups statements by language and category and quotes the rules with their lines", async () => {
  const text = renderProfile(await profileOf("js-standard"));
  const lines = text.split("\n");
  assert.equal(lines[0], "Conventions of 7 files (JavaScript/TypeScript 7). ✓ enforced by the checker, · stated only.");
  assert.deepEqual(lines.slice(2, 4), ["JavaScript/TypeScript", "  formatting"]);
  assert.ok(lines.includes("    ✓ indentation is always 4 spaces — declared in .prettierrc:4; 20 of 20 (.prettierrc:4, __tests__/price_list.spec.js:6, __tests__/price_list.spec.js:7)  [javascript/indent]"));
  assert.deepEqual(lines.slice(-3), [
    "Rules written in the repository",
    "  CONTRIBUTING.md:7  Always validate input at the edges and throw a ValidationError naming the field.",
    "  CONTRIBUTING.md:8  Log with the `debug` module, never with console.",
  ]);
});
