// One file's features, extracted from short snippets, as "key=value@line" strings: the cases fixtures do not
// reach (for-loop headers, decorated methods, local calls, nested f-strings, one-element tuples).
import { test } from "node:test";
import assert from "node:assert/strict";
import { extractFeatures } from "../../../agent/conventions/extract";
import { ObservationRecorder } from "../../../agent/conventions/features";

async function observed(path: string, text: string, keys: string[]): Promise<string[]> {
  const recorder = new ObservationRecorder();
  await extractFeatures(path, text, recorder);
  return recorder.observations.filter((o) => keys.includes(o.key)).map((o) => `${o.key}=${o.value}@${o.line}${o.detail ? `(${o.detail})` : ""}`);
}

test("a for loop's header needs its semicolons and says nothing; its body statement does", async () => {
  const text = "let total = 0\nfor (let i = 0; i < 3; i++) total += i\nfor (const x of xs) total += x;\n";
  assert.deepEqual(await observed("a.js", text, ["semicolons"]), ["semicolons=without@1", "semicolons=without@2", "semicolons=with@3"]);
});

test("Python: a decorated def in a class is a method; strings in f-string braces and one-element tuples say nothing", async () => {
  const text = 'class Shape:\n    @property\n    def area_size(self):\n        return f"{self.d[\'w\']}"\n\n\ndef make_shape():\n    return (\n        1,\n    )\n';
  // The f-string holds a single quote, so it has no choice either.
  assert.deepEqual(await observed("a.py", text, ["naming:method", "naming:function", "quotes", "trailing-comma"]), [
    "naming:method=snake_case@3(area_size)",
    "naming:function=snake_case@7(make_shape)",
  ]);
});

test("Rust: a bare call to a local function is no API; paths, bound names and macros are", async () => {
  const text = "mod helpers;\nuse std::fs;\nfn main() {\n    local_step();\n    helpers::run();\n    fs::read(\"a\");\n    reqwest::get(\"u\");\n    println!(\"x\");\n}\n";
  assert.deepEqual(await observed("src/main.rs", text, ["api"]), ["api=std::fs@2(std::fs)", "api=std::fs::read@6(std::fs::read)", "api=reqwest::get@7(reqwest::get)", "api=println!@8(println!)"]);
});

test("JavaScript: imports and requires bind names, so calls through them are APIs of their module", async () => {
  const text = 'import axios from "axios";\nimport { join as joinPath } from "node:path";\nconst { readFile } = require("node:fs/promises");\nconst local = load();\naxios.get(joinPath("a", "b"));\nreadFile("x");\nlocal.run();\nfetch("u");\n';
  assert.deepEqual(await observed("a.js", text, ["module", "api"]), [
    "module=axios@1(axios)",
    "module=node:path@2(node:path)",
    "api=node:path.join@2(node:path.join)",
    "module=node:fs/promises@3(node:fs/promises)",
    "api=axios.get@5(axios.get)",
    "api=node:path.join@5(node:path.join)",
    "api=node:fs/promises.readFile@6(node:fs/promises.readFile)",
    "api=fetch@8(fetch)",
  ]);
});
