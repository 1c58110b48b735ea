// Checking a model folder on disk: hashes against the manifest, or only the layout when there is none.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFile, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { formatReport, verifyModelDir } from "../../../model/store/verify";
import { sha256 } from "../../helpers/fake-hub";
import { storeFixture } from "./store-fixture";

async function downloaded(t: Parameters<typeof storeFixture>[0]) {
  const fixture = await storeFixture(t);
  const result = await fixture.download({ variant: "fp32" });
  if (result.kind !== "downloaded") throw new Error("declined");
  return { ...fixture, dir: result.dir };
}

test("a fresh download verifies clean", async (t) => {
  const { dir } = await downloaded(t);
  assert.equal(formatReport(await verifyModelDir(dir)), `${dir}: 6 files hashed against .ghost-manifest.json: ok`);
});

test("one flipped byte is found, with both hashes", async (t) => {
  const { dir } = await downloaded(t);
  const path = join(dir, "onnx/model.onnx_data");
  const good = await readFile(path);
  const bad = Buffer.from(good);
  bad[12_345] = bad[12_345]! ^ 0x01;
  await writeFile(path, bad);
  const report = await verifyModelDir(dir);
  assert.deepEqual(report.problems, [{ kind: "hash", path: "onnx/model.onnx_data", expected: sha256(good), actual: sha256(bad) }]);
});

test("a missing or truncated file is reported as such", async (t) => {
  const { dir } = await downloaded(t);
  await rm(join(dir, "tokenizer.json"));
  await writeFile(join(dir, "onnx/model.onnx_data"), "short");
  assert.equal(
    formatReport(await verifyModelDir(dir)),
    [`${dir}: 6 files hashed against .ghost-manifest.json: 2 problem(s)`, "  missing tokenizer.json", "  onnx/model.onnx_data: 5 bytes, expected 300000"].join("\n"),
  );
});

test("a folder without a manifest gets its layout checked, and says so", async (t) => {
  const { source } = await storeFixture(t);
  assert.equal(formatReport(await verifyModelDir(source)), `${source}: no .ghost-manifest.json, so only the layout was checked: ok`);
});

test("the layout check finds external data the graph names but the folder lacks", async (t) => {
  const { source } = await storeFixture(t);
  await rm(join(source, "onnx/model.onnx_data"));
  assert.deepEqual((await verifyModelDir(source)).problems, [{ kind: "missing", path: "onnx/model.onnx_data" }]);
});

test("the layout check wants config.json, tokenizer.json and some ONNX weights", async (t) => {
  const { source } = await storeFixture(t);
  await rm(join(source, "config.json"));
  await rm(join(source, "onnx"), { recursive: true });
  assert.equal(
    formatReport(await verifyModelDir(source)),
    [
      `${source}: no .ghost-manifest.json, so only the layout was checked: 2 problem(s)`,
      "  missing config.json",
      "  no ONNX weights: expected onnx/model.onnx, onnx/model_quantized.onnx, onnx/model_q4.onnx or another variant",
    ].join("\n"),
  );
});
