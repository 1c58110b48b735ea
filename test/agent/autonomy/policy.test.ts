// The level in force: the caller's choice, capped at suggest in an untrusted workspace, and lowered, never raised,
// by a committed .ghost/policy.json, which can add ask and deny rules but never allow anything.
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtemp, mkdir, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { decide, defaultRules, effectivePolicy, parsePolicy, type Policy } from "../../../agent/autonomy";
import { parseCommandLine } from "../../../agent/tools/argv";
import { readPolicyFile } from "../../../agent/workspace";

const policy = (json: unknown): Policy => {
  const parsed = parsePolicy(JSON.stringify(json), "p.json");
  assert.ok(parsed.ok, parsed.ok ? "" : parsed.error);
  return parsed.policy;
};
const level = (chosen: 0 | 1 | 2 | 3 | 4, json: unknown, trusted = true) => effectivePolicy(chosen, defaultRules, { trusted, policy: json === null ? null : policy(json) }).level;

test("a policy file only lowers the level", () => {
  assert.equal(level(2, { level: 4 }), 2);
  assert.equal(level(3, { level: "autopilot" }), 3);
  assert.equal(level(4, { level: 1 }), 1);
  assert.equal(level(4, { level: "review" }), 2);
  assert.equal(level(0, { level: 4 }), 0);
  assert.equal(level(3, {}), 3);
  assert.equal(level(3, null), 3);
});

test("an untrusted workspace is capped at suggest, whatever the policy says", () => {
  assert.equal(level(4, null, false), 1);
  assert.equal(level(4, { level: 4 }, false), 1);
  assert.equal(level(4, { level: 0 }, false), 0);
  assert.deepEqual(effectivePolicy(4, defaultRules, { trusted: false, policy: policy({ level: 0 }) }).notes, [
    "the workspace is not trusted: capped at suggest (level 1)",
    ".ghost/policy.json lowers the level to off (0)",
  ]);
});

test("a policy adds ask, deny and protected-path rules, which apply on top of the user's", () => {
  const user = { ...defaultRules, allow: [{ argv: ["npm", "test"], drivers: null }] };
  const { rules } = effectivePolicy(3, user, { trusted: true, policy: policy({ deny: [["npm", "test"]], ask: [["make", "**"]], protect: ["secrets/**"] }) });
  const verdict = (line: string) => decide({ kind: "command", line, parsed: parseCommandLine(line), resolved: null, sandbox: { available: true }, drivers: null }, 3, rules).verdict;
  assert.equal(verdict("npm test"), "deny");
  assert.equal(verdict("make all"), "ask");
  assert.equal(decide({ kind: "write", path: "secrets/k.txt", change: "modify", outside: null }, 3, rules).verdict, "ask");
  assert.deepEqual(rules.allow, [{ argv: ["npm", "test"], drivers: null }]);
});

test("a policy can not allow anything: an allow field, an unknown field or a bad level makes it invalid, naming the file", () => {
  const error = (text: string) => {
    const parsed = parsePolicy(text, "/repo/.ghost/policy.json");
    assert.ok(!parsed.ok);
    return parsed.error;
  };
  assert.match(error(`{"allow": [["curl", "**"]]}`), /^\/repo\/\.ghost\/policy\.json is not a valid Ghost policy \(.*allow.*\)\. A policy may only lower the level/);
  assert.match(error(`{"level": 4, "autoApprove": true}`), /autoApprove/);
  assert.match(error(`{"level": "yolo"}`), /"yolo" is not a level/);
  assert.match(error(`{"level": 7}`), /"7" is not a level/);
  assert.match(error(`{"deny": ["rm -rf /"]}`), /deny/);
  assert.match(error(`{level: 1}`), /not JSON/);
});

test("readPolicyFile reads .ghost/policy.json, and an invalid one is an error, not an empty policy", async () => {
  const root = await mkdtemp(join(tmpdir(), "ghost-policy-"));
  assert.equal(await readPolicyFile(root), null);
  await mkdir(join(root, ".ghost"));
  await writeFile(join(root, ".ghost", "policy.json"), `{"level": "suggest", "deny": [["npm", "publish"]]}`);
  assert.deepEqual(await readPolicyFile(root), { level: 1, ask: [], deny: [["npm", "publish"]], protect: [] });
  await writeFile(join(root, ".ghost", "policy.json"), `{"level": 4, "allow": [["sh"]]}`);
  await assert.rejects(readPolicyFile(root), new RegExp(`${join(root, ".ghost", "policy.json").replaceAll("/", "\\/")} is not a valid Ghost policy`));
});
