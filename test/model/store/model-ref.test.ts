// The `ghost.model` setting: a folder, or a hub repo id with an optional revision.
import { test } from "node:test";
import assert from "node:assert/strict";
import { formatModelRef, parseModelRef } from "../../../model/store/model-ref";

const options = { baseDir: "/work/space", home: "/home/ada" };
const render = (value: string) => {
  const ref = parseModelRef(value, options);
  return ref.kind === "local" ? `local ${ref.dir}` : `hub ${ref.repo} @ ${ref.revision}`;
};

test("folders: absolute, relative to the workspace, or under home", () => {
  assert.deepEqual(["/models/tiny", "./models/tiny", "../tiny", ".", "~/models/tiny", "~"].map(render), [
    "local /models/tiny",
    "local /work/space/models/tiny",
    "local /work/tiny",
    "local /work/space",
    "local /home/ada/models/tiny",
    "local /home/ada",
  ]);
});

test("hub ids: owner/name, at main unless a revision follows @", () => {
  assert.deepEqual(
    ["onnx-community/Qwen2.5-Coder-0.5B-Instruct", "acme/tiny@v1.0", "acme/tiny@refs/pr/3", " acme/tiny@0123abc "].map(render),
    ["hub onnx-community/Qwen2.5-Coder-0.5B-Instruct @ main", "hub acme/tiny @ v1.0", "hub acme/tiny @ refs/pr/3", "hub acme/tiny @ 0123abc"],
  );
});

test("anything else is rejected, saying what a valid value looks like", () => {
  const invalid = ["", "tiny", "acme/", "acme/tiny/extra", "acme/tiny@", "acme/tiny@a@b", "acme/-tiny", "acme/ti--ny", "acme/ti..ny", "acme/tiny@../x", "a cme/tiny", "~ada/models"];
  for (const value of invalid) {
    assert.throws(() => parseModelRef(value, options), (error: Error) => {
      assert.equal(
        error.message,
        `ghost.model: ${JSON.stringify(value)} is neither a folder nor a Hugging Face repo id. Use a folder path (absolute, or starting with ./ or ~) ` +
          `or a repo id like "onnx-community/Qwen2.5-Coder-0.5B-Instruct", optionally with a revision: "owner/name@main".`,
      );
      return true;
    }, value);
  }
});

test("a hub id prints back as it is written, dropping the default revision", () => {
  assert.deepEqual(["acme/tiny", "acme/tiny@main", "acme/tiny@v2"].map((value) => formatModelRef(parseModelRef(value))), ["acme/tiny", "acme/tiny", "acme/tiny@v2"]);
});
