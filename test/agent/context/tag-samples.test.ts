// Every grammar's tags on a sample file of its language: exactly the real definitions, and never a statement
// keyword read as a name while the parser recovers from code it cannot parse (Flow annotations in a .js file).
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parseTags } from "../../../agent/context/tag-index";

const samples = join(__dirname, "..", "..", "fixtures", "tag-samples");

const expected: Record<string, string[]> = {
  "sample.ts": ["3 interface Options", "4 field strict", "7 constant app", "9 function route", "16 class Router", "17 method handle", "22 function toPath", "24 module Internal", "25 type Id"],
  "sample.tsx": ["1 function Button", "5 class Panel", "6 method render"],
  "sample.js": ["3 function build", "7 function render"],
  "sample.py": ["4 class Config", "5 function load", "11 function main"],
  "sample.go": ["3 type Cart", "7 method Add", "13 function Total"],
  "sample.rs": ["1 class Point", "5 interface Shape", "10 method area", "18 function origin", "22 module inner"],
  "Sample.java": ["1 class Sample", "2 method count", "13 interface Shape", "14 method area"],
};

for (const [file, definitions] of Object.entries(expected)) {
  test(`${file}: its definitions, each at its line`, async () => {
    const tags = await parseTags(file, readFileSync(join(samples, file), "utf8"));
    assert.deepEqual(tags!.definitions.map((definition) => `${definition.line + 1} ${definition.kind} ${definition.name}`), definitions);
  });
}

test("a TypeScript file's imports and re-exports are read with their aliases", async () => {
  const text = 'import D, { a, b as c } from "./x";\nimport * as ns from "../y";\nexport * from "./z";\nexport { e as f } from "./w";\nexport { a as aa };\nconst { r, s: t } = require("./r");\n';
  const tags = await parseTags("m.ts", text);
  const render = tags!.links.map((link) => `${link.local}<-${link.imported}@${link.from}${link.reexported ? " re" : ""}`);
  assert.deepEqual(render, ["D<-default@./x", "a<-a@./x", "c<-b@./x", "ns<-*@../y", "*<-*@./z re", "f<-e@./w re", "aa<-a@./x re", "r<-r@./r", "t<-s@./r"]);
});

test("Python, Go and Rust imports are read with their aliases", async () => {
  const render = async (file: string, text: string) => (await parseTags(file, text))!.links.map((link) => `${link.local}<-${link.imported}@${link.from}${link.reexported ? " re" : ""}`);
  assert.deepEqual(await render("m.py", "from ..pkg.mod import a, b as c\nimport os.path\nimport x.y as m\nfrom .w import *\n"), ["a<-a@..pkg.mod re", "c<-b@..pkg.mod re", "os<-*@os re", "m<-*@x.y re", "*<-*@.w re"]);
  assert.deepEqual(await render("m.go", 'package m\nimport (\n  "fmt"\n  f "example.com/x/pkg"\n  _ "embed"\n)\n'), ["fmt<-*@fmt", "f<-*@example.com/x/pkg"]);
  assert.deepEqual(await render("m.rs", "use crate::a::b::Name;\npub use super::x::{Y, Z as W, self};\nuse self::m::*;\n"), ["Name<-Name@crate::a::b", "Y<-Y@super::x re", "W<-Z@super::x re", "x<-*@super::x re", "*<-*@self::m"]);
});
