// The hub client against a fake hub: file lists with both hash kinds, pages, and clear errors.
import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { HubClient } from "../../../model/store/hub-client";
import { gitBlobSha1, sha256, startFakeHub } from "../../helpers/fake-hub";
import { REPO, storeFixture } from "./store-fixture";

test("the file list gives sha256 for LFS weights and the git blob sha1 for json", async (t) => {
  const { hub, source } = await storeFixture(t);
  const files = await new HubClient({ endpoint: hub.url, env: {} }).listFiles(REPO, "main");
  const config = await readFile(join(source, "config.json"));
  const weights = await readFile(join(source, "onnx/model_quantized.onnx"));
  assert.deepEqual(files.find((file) => file.path === "config.json"), { path: "config.json", size: config.length, hash: { algorithm: "git-sha1", hex: gitBlobSha1(config) } });
  assert.deepEqual(files.find((file) => file.path === "onnx/model_quantized.onnx"), {
    path: "onnx/model_quantized.onnx",
    size: weights.length,
    hash: { algorithm: "sha256", hex: sha256(weights) },
  });
  assert.equal(files.length, 7, "files only, no directories");
});

test("a file list split into pages is followed to its end", async (t) => {
  const { source } = await storeFixture(t);
  const hub = await startFakeHub({ repos: { [REPO]: source }, treePageSize: 3 });
  t.after(() => hub.close());
  const files = await new HubClient({ endpoint: hub.url, env: {} }).listFiles(REPO, "main");
  assert.equal(files.length, 7);
  assert.deepEqual(hub.log.map((request) => request.path), [
    "/api/models/acme/tiny/tree/main?recursive=true",
    "/api/models/acme/tiny/tree/main?recursive=true&cursor=3",
    "/api/models/acme/tiny/tree/main?recursive=true&cursor=6",
  ]);
});

test("the endpoint comes from the option, else HF_ENDPOINT, else huggingface.co", () => {
  assert.equal(new HubClient({ env: {} }).endpoint, "https://huggingface.co");
  assert.equal(new HubClient({ env: { HF_ENDPOINT: "https://mirror.example/" } }).endpoint, "https://mirror.example");
  assert.equal(new HubClient({ endpoint: "http://127.0.0.1:9", env: { HF_ENDPOINT: "https://mirror.example" } }).endpoint, "http://127.0.0.1:9");
});

test("401 says the repo may be private or gated and to set HF_TOKEN; nothing is asked or written", async (t) => {
  const { download, hub, storeDir } = await storeFixture(t);
  hub.faults.status = 401;
  let asked = false;
  await assert.rejects(download({ confirm: async () => (asked = true) }), {
    name: "HubError",
    kind: "unauthorized",
    message: "acme/tiny: the hub answered 401 Unauthorized. The repository is private or gated, or does not exist: set HF_TOKEN to a token that has access.",
  });
  assert.equal(asked, false);
  assert.equal(existsSync(storeDir), false);
});

test("401 with a token says the token was refused", async (t) => {
  const { download, hub } = await storeFixture(t);
  hub.faults.status = 401;
  await assert.rejects(download({ token: "hf_wrong" }), /the HF_TOKEN given was refused; check it/);
});

test("403 says the repo is gated and how to get access", async (t) => {
  const { download, hub } = await storeFixture(t);
  hub.faults.status = 403;
  await assert.rejects(download(), { kind: "forbidden", message: /^acme\/tiny: the hub answered 403 Forbidden\. The repository is gated or private: accept its terms on the hub and set HF_TOKEN/ });
});

test("404 names the missing repository or revision", async (t) => {
  const { download, hub } = await storeFixture(t);
  await assert.rejects(download({ repo: "acme/missing" }), { kind: "not-found", message: `repository acme/missing not found on ${hub.url}` });
  await assert.rejects(download({ revision: "v9" }), { kind: "not-found", message: "revision v9 not found in acme/tiny" });
});

test("an unreachable hub names the URL and HF_ENDPOINT", async (t) => {
  const { download } = await storeFixture(t);
  const hub = await startFakeHub({ repos: {} });
  await hub.close(); // nothing listens on its port any more
  await assert.rejects(download({ endpoint: hub.url }), {
    kind: "network",
    message: `cannot reach ${hub.url}/api/models/acme/tiny/tree/main?recursive=true: connect ECONNREFUSED ${hub.url.slice("http://".length)}. ` +
      `The hub endpoint is ${hub.url}; set HF_ENDPOINT to use another one.`,
  });
});
