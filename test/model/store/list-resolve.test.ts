// What the store holds (list) and what the `ghost.model` setting points at (resolve).
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { listModels } from "../../../model/store/list";
import { resolveModel } from "../../../model/store/resolve";
import { modelDir } from "../../../model/store/store-dir";
import { FAKE_COMMIT } from "../../helpers/fake-hub";
import { REPO, storeFixture } from "./store-fixture";

test("the store lists each downloaded repo and revision with its variant and size, not downloads in progress", async (t) => {
  const { download, storeDir, hub } = await storeFixture(t);
  await download({ variant: "int8" });
  await download({ variant: "fp32", revision: FAKE_COMMIT });
  hub.faults.cutAfter = { path: "onnx/model.onnx_data", bytes: 1000 };
  await assert.rejects(download({ variant: "fp32", revision: "main", retries: 0 }));
  const models = await listModels(storeDir);
  assert.deepEqual(
    models.map((model) => `${model.repo}@${model.revision.slice(0, 7)} ${model.variants.join(",")} ${model.bytes > 0} ${model.dir === modelDir(storeDir, model.repo, model.revision)}`),
    [`${REPO}@0123456 fp32 true true`, `${REPO}@main int8 true true`],
  );
});

test("an empty or missing store lists nothing", async (t) => {
  const { storeDir } = await storeFixture(t);
  assert.deepEqual(await listModels(storeDir), []);
});

test("a folder setting resolves to the folder, which must exist", async (t) => {
  const { source, root } = await storeFixture(t);
  assert.equal((await resolveModel(source)).dir, source);
  assert.equal((await resolveModel("./source", { baseDir: root })).dir, source);
  assert.equal((await resolveModel("~/source", { home: root })).dir, source);
  await assert.rejects(resolveModel(join(root, "nope")), {
    message: `ghost.model: the folder ${join(root, "nope")} does not exist. Set ghost.model to a model folder or a hub repo id.`,
  });
  await mkdir(join(root, "plain"));
  await writeFile(join(root, "plain", "file"), "");
  await assert.rejects(resolveModel(join(root, "plain", "file")), /ghost\.model: .*plain\/file is a file, not a folder/);
});

test("an existing folder given relatively wins, even spelled like a hub id or with several slashes", async (t) => {
  const { source, root } = await storeFixture(t);
  await mkdir(join(root, "acme", "tiny", "deeper"), { recursive: true });
  assert.equal((await resolveModel("source", { baseDir: root })).dir, source);
  assert.equal((await resolveModel("acme/tiny", { baseDir: root })).dir, join(root, "acme", "tiny"));
  assert.equal((await resolveModel("acme/tiny/deeper", { baseDir: root })).dir, join(root, "acme", "tiny", "deeper"));
  await assert.rejects(resolveModel("acme/missing/deeper", { baseDir: root }), /is neither a folder nor a Hugging Face repo id/);
});

test("a hub id resolves to its store folder once downloaded, and says how to download it before", async (t) => {
  const { download, storeDir } = await storeFixture(t);
  await assert.rejects(resolveModel(`${REPO}@v2`, { storeDir }), {
    message: "ghost.model: acme/tiny@v2 is not downloaded yet. Download it with `ghost models download acme/tiny@v2`, then try again.",
  });
  await download({ variant: "int8" });
  const resolved = await resolveModel(REPO, { storeDir });
  assert.deepEqual([resolved.dir, resolved.manifest?.variant], [modelDir(storeDir, REPO, "main"), "int8"]);
});
