// Downloading a model from a (fake) hub: asks first, fetches exactly the variant's files, resumes with Range,
// verifies hashes, and never leaves a half-written model at the final path.
import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { readFile, stat } from "node:fs/promises";
import { join } from "node:path";
import { type DownloadPlan, type DownloadProgress, downloadModel } from "../../../model/store/download";
import { listRelativeFiles, modelDir, readManifest, stagingDir } from "../../../model/store/store-dir";
import { sha256, startFakeHub, TINY_CODER_FIXTURE } from "../../helpers/fake-hub";
import { REPO, resolveRequests, sameBytes, storeFixture } from "./store-fixture";

const INT8_FILES = ["config.json", "generation_config.json", "onnx/model_quantized.onnx", "tokenizer.json", "tokenizer_config.json"];

test("downloads exactly the files of the chosen variant, identical to the hub's", async (t) => {
  const { download, hub, source } = await storeFixture(t);
  const result = await download({ variant: "int8" });
  assert.equal(result.kind, "downloaded");
  if (result.kind !== "downloaded") return;
  assert.deepEqual(await listRelativeFiles(result.dir), [".ghost-manifest.json", ...INT8_FILES]);
  assert.deepEqual(resolveRequests(hub).sort(), INT8_FILES);
  for (const path of INT8_FILES) assert.ok(await sameBytes(join(result.dir, path), join(source, path)), path);
});

test("fp32 brings its external data, and the manifest records every file's size and sha256", async (t) => {
  const { download, source } = await storeFixture(t);
  const result = await download({ variant: "fp32" });
  if (result.kind !== "downloaded") return assert.fail("declined");
  const manifest = await readManifest(result.dir);
  const expected = await Promise.all(
    ["tokenizer.json", "config.json", "generation_config.json", "tokenizer_config.json", "onnx/model.onnx", "onnx/model.onnx_data"].map(async (path) => {
      const content = await readFile(join(source, path));
      return { path, size: content.length, sha256: sha256(content) };
    }),
  );
  assert.deepEqual(
    manifest?.files.toSorted((a, b) => a.path.localeCompare(b.path)),
    expected.toSorted((a, b) => a.path.localeCompare(b.path)),
  );
  assert.deepEqual([manifest?.repo, manifest?.revision, manifest?.variant, manifest?.commit], [REPO, "main", "fp32", "0123456789abcdef0123456789abcdef01234567"]);
});

test("asks first with the plan, and a declined download writes nothing", async (t) => {
  const { download, hub, storeDir, source } = await storeFixture(t);
  let asked: DownloadPlan | undefined;
  const result = await download({ variant: "int8", confirm: async (plan) => ((asked = plan), false) });
  assert.equal(result.kind, "declined");
  const sizes = await Promise.all(INT8_FILES.map(async (path) => (await stat(join(source, path))).size));
  assert.deepEqual(asked?.files.map((file) => file.path).sort(), INT8_FILES);
  assert.equal(asked?.totalBytes, sizes.reduce((a, b) => a + b));
  assert.equal(existsSync(storeDir), false);
  assert.deepEqual(resolveRequests(hub), []);
});

test("a transfer cut off resumes on the next call with a Range request, and ends with identical bytes", async (t) => {
  const { download, hub, storeDir, source } = await storeFixture(t);
  hub.faults.cutAfter = { path: "onnx/model.onnx_data", bytes: 100_000 };
  await assert.rejects(download({ variant: "fp32", retries: 0 }), /broke off.*onnx\/model\.onnx_data: 100000 of 300000 bytes are kept; download again to resume/);
  assert.equal(existsSync(modelDir(storeDir, REPO, "main")), false);

  const result = await download({ variant: "fp32", retries: 0 });
  if (result.kind !== "downloaded") return assert.fail("declined");
  assert.deepEqual(resolveRequests(hub).filter((line) => line.startsWith("onnx/model.onnx_data")), ["onnx/model.onnx_data", "onnx/model.onnx_data bytes=100000-"]);
  assert.ok(await sameBytes(join(result.dir, "onnx/model.onnx_data"), join(source, "onnx/model.onnx_data")));
  assert.equal(existsSync(stagingDir(storeDir, REPO, "main")), false);
});

test("within one call, a transfer that breaks off is resumed by itself", async (t) => {
  const { download, hub, source } = await storeFixture(t);
  hub.faults.cutAfter = { path: "onnx/model.onnx_data", bytes: 50_000, times: 2 };
  const result = await download({ variant: "fp32" });
  if (result.kind !== "downloaded") return assert.fail("declined");
  const ranges = hub.log.filter((request) => request.path.startsWith("/cdn/")).map((request) => request.range);
  assert.deepEqual(ranges.slice(-3), [undefined, "bytes=50000-", "bytes=100000-"]);
  assert.ok(await sameBytes(join(result.dir, "onnx/model.onnx_data"), join(source, "onnx/model.onnx_data")));
});

test("a server that ignores Range answers the whole file, which replaces the part instead of being appended", async (t) => {
  const { download, hub, source } = await storeFixture(t);
  hub.faults.cutAfter = { path: "onnx/model.onnx_data", bytes: 100_000 };
  await assert.rejects(download({ variant: "fp32", retries: 0 }), /broke off/);
  hub.faults.ignoreRange = true;
  const progress: DownloadProgress[] = [];
  const result = await download({ variant: "fp32", retries: 0, onProgress: (report) => progress.push(report) });
  if (result.kind !== "downloaded") return assert.fail("declined");
  assert.ok(resolveRequests(hub).includes("onnx/model.onnx_data bytes=100000-"));
  assert.ok(await sameBytes(join(result.dir, "onnx/model.onnx_data"), join(source, "onnx/model.onnx_data")));
  const data = progress.filter((report) => report.file === "onnx/model.onnx_data").map((report) => report.fileBytes);
  assert.deepEqual([data[0], data.at(-1)], [0, 300_000], "the file starts over at 0 bytes");
});

test("a corrupted weight file fails with its name and both sha256s, and leaves no model at the final path", async (t) => {
  const { download, hub, storeDir, source } = await storeFixture(t);
  hub.faults.corrupt = "onnx/model.onnx_data";
  const expected = sha256(await readFile(join(source, "onnx/model.onnx_data")));
  await assert.rejects(download({ variant: "fp32" }), (error: Error) => {
    assert.match(error.message, new RegExp(`^onnx/model\\.onnx_data is corrupt: expected 300000 bytes with sha256 ${expected}, got 300000 bytes with sha256 [0-9a-f]{64}\\.`));
    assert.doesNotMatch(error.message, new RegExp(`got .*${expected}`));
    return true;
  });
  assert.equal(existsSync(modelDir(storeDir, REPO, "main")), false);
  const staged = await listRelativeFiles(stagingDir(storeDir, REPO, "main"));
  assert.equal(staged.some((path) => path.startsWith("onnx/model.onnx_data")), false, "the bad part is deleted");
});

test("a corrupted json file is caught by its git blob sha1", async (t) => {
  const { download, hub } = await storeFixture(t);
  hub.faults.corrupt = "config.json";
  await assert.rejects(download({ variant: "int8" }), /^Error: config\.json is corrupt: expected \d+ bytes with git-sha1 [0-9a-f]{40}, got \d+ bytes with git-sha1 [0-9a-f]{40}/);
});

test("a failed download leaves the complete model already in place untouched; a good one replaces it", async (t) => {
  const { download, hub, storeDir } = await storeFixture(t);
  const first = await download({ variant: "int8" });
  assert.equal(first.kind, "downloaded");
  const dir = modelDir(storeDir, REPO, "main");
  hub.faults.corrupt = "onnx/model.onnx";
  await assert.rejects(download({ variant: "fp32" }), /onnx\/model\.onnx is corrupt/);
  assert.equal((await readManifest(dir))?.variant, "int8");
  assert.ok(existsSync(join(dir, "onnx/model_quantized.onnx")));

  delete hub.faults.corrupt;
  await download({ variant: "fp32" });
  assert.equal((await readManifest(dir))?.variant, "fp32");
  assert.deepEqual((await listRelativeFiles(dir)).filter((path) => path.startsWith("onnx/")), ["onnx/model.onnx", "onnx/model.onnx_data"]);
});

test("progress only grows, stays within each file, and ends at the total", async (t) => {
  const { download } = await storeFixture(t);
  const progress: DownloadProgress[] = [];
  await download({ variant: "fp32", onProgress: (report) => progress.push(report) });
  const total = progress[0]!.bytesTotal;
  assert.ok(progress.every((report, i) => i === 0 || report.bytesDone >= progress[i - 1]!.bytesDone), "monotonic");
  assert.ok(progress.every((report) => report.fileBytes <= report.fileTotal && report.bytesTotal === total));
  assert.deepEqual(progress.at(-1), { file: "onnx/model.onnx_data", fileBytes: 300_000, fileTotal: 300_000, bytesDone: total, bytesTotal: total });
});

test("abort stops the transfer and keeps the partial file, which the next call resumes", async (t) => {
  const { download, hub, storeDir, source } = await storeFixture(t);
  hub.faults.stallAfter = { path: "onnx/model.onnx_data", bytes: 120_000 };
  const controller = new AbortController();
  const staging = stagingDir(storeDir, REPO, "main");
  const pending = download({ variant: "fp32", signal: controller.signal });
  await until(async () => (await partSize(staging, "onnx/model.onnx_data")) === 120_000);
  controller.abort();
  await assert.rejects(pending, { name: "AbortError" });
  assert.equal(await partSize(staging, "onnx/model.onnx_data"), 120_000);

  delete hub.faults.stallAfter;
  const result = await download({ variant: "fp32" });
  if (result.kind !== "downloaded") return assert.fail("declined");
  assert.ok(resolveRequests(hub).includes("onnx/model.onnx_data bytes=120000-"));
  assert.ok(await sameBytes(join(result.dir, "onnx/model.onnx_data"), join(source, "onnx/model.onnx_data")));
});

test("a variant the repo lacks fails before asking, naming the variants it has", async (t) => {
  const { download, storeDir } = await storeFixture(t);
  let asked = false;
  await assert.rejects(download({ variant: "q4", confirm: async () => (asked = true) }), {
    message: "acme/tiny@main: the model has no q4 weights (onnx/model_q4.onnx); available: fp32, int8",
  });
  assert.equal(asked, false);
  assert.equal(existsSync(storeDir), false);
});

test("downloads the shipped tiny-coder fixture", { skip: !existsSync(TINY_CODER_FIXTURE) && "no test/fixtures/models/tiny-coder yet" }, async (t) => {
  const hub = await startFakeHub();
  const { storeDir } = await storeFixture(t);
  t.after(() => hub.close());
  const result = await downloadModel({ repo: "ghost/tiny-coder", endpoint: hub.url, storeDir, env: {}, confirm: async () => true });
  if (result.kind !== "downloaded") return assert.fail("declined");
  for (const { path } of result.manifest.files) assert.ok(await sameBytes(join(result.dir, path), join(TINY_CODER_FIXTURE, path)), path);
});

async function partSize(staging: string, path: string): Promise<number | undefined> {
  const part = (await listRelativeFiles(staging).catch(() => [])).find((name) => name.startsWith(`${path}.`) && name.endsWith(".part"));
  return part === undefined ? undefined : (await stat(join(staging, part))).size;
}

async function until(condition: () => Promise<boolean>, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error("timed out waiting");
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
