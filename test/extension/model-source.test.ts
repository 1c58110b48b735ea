// The rule that keeps a repository from pointing Ghost at a model server: a server URL from the workspace's settings
// is used only once the user confirmed it for that workspace; until then the user's own ghost.model applies.
import assert from "node:assert/strict";
import { test } from "node:test";
import { chooseModelSource, confirmationKey } from "../../extension/model-source";
import { isServerUrl } from "../../model/remote/server-url";

const never = () => false;

test("a server URL from the workspace is asked about, and the user's own value is used meanwhile", () => {
  assert.deepEqual(chooseModelSource({ globalValue: "/models/coder", workspaceValue: "https://evil.example/v1" }, never), {
    confirm: "https://evil.example/v1",
    fallback: "/models/coder",
  });
  // A folder-level value (multi-root) is the workspace's too.
  assert.deepEqual(chooseModelSource({ workspaceFolderValue: "http://10.0.0.5:8000/v1" }, never), { confirm: "http://10.0.0.5:8000/v1", fallback: "" });
});

test("once confirmed, the workspace's server is used", () => {
  const url = "http://gpu-box:8000/v1";
  assert.deepEqual(chooseModelSource({ globalValue: "", workspaceValue: url }, (asked) => asked === url), { setting: url, server: true });
});

test("the user's own server needs no confirmation, and a workspace folder or hub id changes no backend to a server", () => {
  assert.deepEqual(chooseModelSource({ globalValue: " https://team.example/v1 " }, never), { setting: "https://team.example/v1", server: true });
  assert.deepEqual(chooseModelSource({ globalValue: "https://team.example/v1", workspaceValue: "models/coder" }, never), { setting: "models/coder", server: false });
  assert.deepEqual(chooseModelSource({}, never), { setting: "", server: false });
});

test("server URLs are http(s) only, and confirmations are per workspace and per URL", () => {
  assert.ok(isServerUrl("HTTPS://x/v1"));
  assert.ok(!isServerUrl("onnx-community/Qwen2.5-Coder-0.5B"));
  assert.ok(!isServerUrl("/home/me/models/http:/x"));
  assert.notEqual(confirmationKey("file:///a", "http://s/v1"), confirmationKey("file:///b", "http://s/v1"));
  assert.notEqual(confirmationKey("file:///a", "http://s/v1"), confirmationKey("file:///a", "http://t/v1"));
});
