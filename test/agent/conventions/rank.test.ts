// Autocomplete's ranking: a candidate that breaks a strong formatting convention (quotes, semicolons, indentation)
// gets a penalty and says why; one that follows them, or a convention too weak to enforce, costs nothing. The
// fixtures are grown to enough files that their conventions are enforced (helpers.ts grownFixture).
import { test } from "node:test";
import assert from "node:assert/strict";
import { rankCompletion } from "../../../agent/conventions/rank";
import { grownProfileOf, profileOf } from "./helpers";

const describe = (rank: ReturnType<typeof rankCompletion>) => rank.flags.map((flag) => `${flag.line} ${flag.ruleId}: ${flag.message}`);

test("a candidate in the repository's style costs nothing", async () => {
  const profile = await grownProfileOf("ts-fetch");
  const rank = rankCompletion(profile, "src/x.ts", 'const url = "https://x";\nif (ok) {\n  run(url);\n}\n', { linePrefix: "" });
  assert.deepEqual(rank, { penalty: 0, flags: [] });
});

test("single quotes, a missing semicolon and a 4-space step each cost their convention's strength", async () => {
  const profile = await grownProfileOf("ts-fetch");
  const rank = rankCompletion(profile, "src/x.ts", "const url = 'https://x'\nif (ok) {\n    run(url);\n}\n");
  assert.deepEqual(describe(rank), [
    "0 javascript/quotes: uses single quotes; strings here use double quotes",
    "0 javascript/semicolons: leaves out a semicolon",
    "2 javascript/indent: indents by 4 spaces; indentation here is 2 spaces",
  ]);
  assert.equal(rank.penalty, 3);
});

test("the repository's own style is the reference: double quotes are the break where single quotes rule", async () => {
  const profile = await profileOf("js-standard");
  assert.deepEqual(describe(rankCompletion(profile, "lib/x.js", "const name = 'ada'\n")), []);
  assert.deepEqual(describe(rankCompletion(profile, "lib/x.js", 'const name = "ada";\n')), [
    "0 javascript/quotes: uses double quotes; strings here use single quotes",
    "0 javascript/semicolons: ends a statement with a semicolon",
  ]);
});

test("strings inside comments and template literals, and a string holding the other quote, are not judged", async () => {
  const profile = await grownProfileOf("ts-fetch");
  const text = "// it's 'fine'\nconst a = `it's ${'x'}`;\nconst b = \"don't\";\nconst c = 'say \"hi\"';\n";
  assert.deepEqual(describe(rankCompletion(profile, "a.ts", text)), []);
});

test("an unfinished last line is not judged for its semicolon, nor is a statement that continues", async () => {
  const profile = await grownProfileOf("ts-fetch");
  assert.deepEqual(describe(rankCompletion(profile, "a.ts", "const total = items\n  .map((item) => item.price)\n  .reduce(add, 0")), []);
});

test("Python candidates are judged on quotes and indentation only", async () => {
  const profile = await grownProfileOf("py-allreduce");
  assert.deepEqual(describe(rankCompletion(profile, "a.py", "name = 'x'\nif name:\n  pass\n", { linePrefix: "" })), [
    "0 python/quotes: uses single quotes; strings here use double quotes",
    "2 python/indent: indents by 2 spaces; indentation here is 4 spaces",
  ]);
  assert.deepEqual(describe(rankCompletion(profile, "a.py", 'doc = """it\'s"""\n')), []);
});

test("a switched-off convention costs nothing", async () => {
  const profile = await grownProfileOf("ts-fetch");
  const rank = rankCompletion(profile, "a.ts", "const a = 'x';\n", { disabled: new Set(["javascript/quotes"]) });
  assert.deepEqual(rank, { penalty: 0, flags: [] });
});
