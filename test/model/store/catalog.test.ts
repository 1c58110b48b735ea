// The first-run list of models: every entry is a hub id the store can download, and the suggestion follows the
// machine's memory (the largest permissively licensed model that fits, else the smallest).
import { test } from "node:test";
import assert from "node:assert/strict";
import { CATALOG, fitsMemory, suggested } from "../../../model/store/catalog";
import { parseModelRef } from "../../../model/store/model-ref";

const GB = 1e9;

test("every catalog entry is a hub repo id with a licence and a purpose", () => {
  for (const model of CATALOG) {
    assert.equal(parseModelRef(model.repo).kind, "hub", model.repo);
    assert.ok(model.license && model.goodFor && model.approxBytes > 0, model.repo);
  }
});

test("the suggestion grows with memory and never picks a non-commercial licence", () => {
  const pick = (gb: number) => suggested(gb * GB).repo.split("/")[1];
  assert.deepEqual([2, 4, 8, 16, 64].map(pick), [
    "Qwen2.5-Coder-0.5B-Instruct", // nothing fits 2 GB: the smallest
    "Qwen2.5-Coder-0.5B-Instruct",
    "Qwen2.5-Coder-1.5B-Instruct",
    "Qwen2.5-Coder-1.5B-Instruct",
    "Qwen2.5-Coder-1.5B-Instruct", // 3B fits, but its licence is research-only
  ]);
  assert.equal(fitsMemory(CATALOG.find((model) => !model.permissive)!, 64 * GB), true);
});
