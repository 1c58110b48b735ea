// The small readers under the miner: case styles, indentation steps, written rules, declared formatter settings,
// test-file patterns and the alternatives table.
import { test } from "node:test";
import assert from "node:assert/strict";
import { groups, memberOf } from "../../../agent/conventions/alternatives";
import { editorconfig, eslint, prettier, pyproject, rustfmt } from "../../../agent/conventions/declared";
import { caseStyle, fileNameStyle } from "../../../agent/conventions/naming";
import { quoteRules } from "../../../agent/conventions/rule-files";
import { testFilePattern, testLocation } from "../../../agent/conventions/test-files";
import { indentStep } from "../../../agent/conventions/text-features";

const settings = (list: { family: string; key: string; value: string; line: number }[]) => list.map((s) => `${s.family}/${s.key}=${s.value}@${s.line}`);

test("case styles: a one-word lower-case name fits several styles and says nothing", () => {
  const names = ["parseArgs", "ParseArgs", "parse_args", "PARSE_ARGS", "MAX", "parse-args", "parse", "_private_helper", "__init__", "$el", "X", "HTTPServer"];
  assert.equal(
    names.map((name) => `${name}:${caseStyle(name)}`).join(" "),
    "parseArgs:camelCase ParseArgs:PascalCase parse_args:snake_case PARSE_ARGS:UPPER_CASE MAX:UPPER_CASE parse-args:kebab-case parse:null _private_helper:snake_case __init__:null $el:null X:null HTTPServer:PascalCase",
  );
  assert.equal(fileNameStyle("src/change-set.test.ts"), "kebab-case");
  assert.equal(fileNameStyle("pkg/__init__.py"), null);
});

test("indentation steps: only a deeper line counts, and odd widths (JSDoc, alignment) are no step", () => {
  assert.deepEqual(
    [["", "  "], ["  ", "      "], ["", "\t"], ["\t", "\t\t"], ["", "   "], ["  ", "  "], ["    ", "  "], ["\t", "\t  "], ["", " "]].map(([a, b]) => indentStep(a!, b!)),
    ["2 spaces", "4 spaces", "tabs", "tabs", null, null, null, "2 spaces", null],
  );
});

test("written rules: list items and prose, without front matter, headings, code, tables or HTML", () => {
  const text = ["---", "description: rules", "---", "# Style", "", "1. Prefer small functions.", "- [x] Use zod at the edges.", "```ts", "const x = 1;", "```", "| a | b |", "<!-- hidden -->", "Errors fail loudly."].join("\n");
  assert.deepEqual(
    quoteRules(".cursor/rules/style.mdc", text, false).map((rule) => `${rule.source} ${rule.text}`),
    [".cursor/rules/style.mdc:6 Prefer small functions.", ".cursor/rules/style.mdc:7 Use zod at the edges.", ".cursor/rules/style.mdc:13 Errors fail loudly."],
  );
  assert.deepEqual(quoteRules("CONTRIBUTING.md", "Thanks!\n- Always add a test.\n- Be kind.", true).map((rule) => rule.text), ["Always add a test."]);
});

test(".editorconfig: each section applies to the languages its glob matches", () => {
  const text = ["root = true", "[*]", "max_line_length = 100", "[*.py]", "indent_style = space", "indent_size = 4", "[*.{js,ts}]", "indent_size = 2", "quote_type = single", "[Makefile]", "indent_style = tab"].join("\n");
  assert.deepEqual(settings(editorconfig(text)), [
    "javascript/line-length=100@3",
    "python/line-length=100@3",
    "go/line-length=100@3",
    "rust/line-length=100@3",
    "java/line-length=100@3",
    "python/indent=4 spaces@6",
    "javascript/indent=2 spaces@8",
    "javascript/quotes=single@9",
  ]);
});

test("prettier, eslint, pyproject and rustfmt settings, read where they are written", () => {
  assert.deepEqual(settings(prettier("singleQuote: true\nsemi: false\nuseTabs: true\ntrailingComma: es5\nprintWidth: 120\n")), [
    "javascript/quotes=single@1",
    "javascript/semicolons=without@2",
    "javascript/indent=tabs@3",
    "javascript/trailing-comma=with@4",
    "javascript/trailing-comma-call=without@4",
    "javascript/line-length=120@5",
  ]);
  const flat = `export default [{\n  rules: {\n    "@stylistic/quotes": ["error", "double"],\n    semi: ["warn", "never"],\n    indent: ["error", 4],\n    "comma-dangle": ["off", "never"],\n    "max-len": ["error", { code: 90 }],\n  },\n}];`;
  assert.deepEqual(settings(eslint(flat)), ["javascript/quotes=double@3", "javascript/semicolons=without@4", "javascript/indent=4 spaces@5", "javascript/line-length=90@7"]);
  assert.deepEqual(settings(pyproject('[tool.black]\nline-length = 88\n\n[tool.ruff.format]\nquote-style = "single"\n')), ["python/line-length=88@2", "python/quotes=single@5"]);
  assert.deepEqual(settings(rustfmt("max_width = 80\ntab_spaces = 2\n")), ["rust/line-length=80@1", "rust/indent=2 spaces@2"]);
});

test("test files by each ecosystem's naming, and where they live", () => {
  const cases: [string, Parameters<typeof testFilePattern>[1]][] = [
    ["src/a.test.ts", "javascript"],
    ["src/a.spec.jsx", "javascript"],
    ["src/__tests__/a.js", "javascript"],
    ["src/a.ts", "javascript"],
    ["tests/test_a.py", "python"],
    ["a_test.py", "python"],
    ["conftest.py", "python"],
    ["pkg/a_test.go", "go"],
    ["tests/cli.rs", "rust"],
    ["src/test/java/a/FooTest.java", "java"],
  ];
  assert.deepEqual(
    cases.map(([path, family]) => `${testFilePattern(path, family)} ${testLocation(path)}`),
    [
      "*.test.* beside sources",
      "*.spec.* beside sources",
      "__tests__/* tests folder",
      "null beside sources",
      "test_*.py tests folder",
      "*_test.py beside sources",
      "null beside sources",
      "*_test.go beside sources",
      "tests/*.rs tests folder",
      "*Test.java tests folder",
    ],
  );
});

test("the alternatives table: the longest entry wins, and a name that only starts alike is no match", () => {
  const group = (family: string, id: string) => groups.find((candidate) => candidate.family === family && candidate.id === id)!;
  const junit = group("java", "test-framework");
  assert.equal(memberOf(junit, "module", "org.junit.jupiter.api")?.name, "JUnit 5");
  assert.equal(memberOf(junit, "module", "org.junit")?.name, "JUnit 4");
  const sync = group("python", "gradient-sync");
  assert.equal(memberOf(sync, "api", "torch.distributed.all_reduce(grad)")?.name, "torch.distributed collectives");
  assert.equal(memberOf(sync, "api", "torch.distributed.all_reduce"), null, "reducing a metric is not syncing gradients");
  assert.equal(memberOf(sync, "api", "torch.distributed.all_reduce_coalesced(grad)"), null);
  assert.equal(memberOf(group("javascript", "http-client"), "api", "axios.get")?.name, "axios", "an API belongs to its member's module");
  const ids = groups.map((candidate) => `${candidate.family}/${candidate.id}`);
  assert.equal(new Set(ids).size, ids.length, "group ids are unique per language");
});
