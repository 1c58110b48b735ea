// Reading the one tool call out of a reply: the fenced JSON object, the accepted variants, and errors the model
// can act on.
import { test } from "node:test";
import assert from "node:assert/strict";
import { parseToolCall } from "../../../agent/loop/tool-call";

const show = (reply: string) => {
  const parsed = parseToolCall(reply);
  return parsed.ok ? `${parsed.call.tool} ${JSON.stringify(parsed.call.args)}` : `error: ${parsed.error}`;
};

test("a fenced JSON object, with a thought before it", () => {
  assert.equal(show('I will look.\n```json\n{"tool": "read_file", "args": {"path": "a.ts"}}\n```'), `read_file {"path":"a.ts"}`);
  assert.equal(show('```json\n{"tool": "list_files", "args": {}}\n```'), `list_files {"path":"."}`);
  assert.equal(show('```json\n{"tool": "search", "args": {"query": "add"}}\n```'), `search {"query":"add","kind":"text","path":"."}`);
});

test("code holding braces and ``` inside a string survives: the object's end is found by scanning JSON", () => {
  const reply = '```json\n{"tool": "create_file", "args": {"path": "README.md", "content": "```ts\\nconst a = {b: \\"}\\"};\\n```\\n"}}\n```';
  assert.equal(show(reply), `create_file {"path":"README.md","content":"\`\`\`ts\\nconst a = {b: \\"}\\"};\\n\`\`\`\\n"}`);
});

test("accepted variants: <tool_call>, name/arguments keys, a bare object, finish with no fence", () => {
  assert.equal(show('<tool_call>\n{"name": "delete_file", "arguments": {"path": "x"}}\n</tool_call>'), `delete_file {"path":"x"}`);
  assert.equal(show('{"tool": "finish", "args": {"summary": "done"}}'), `finish {"summary":"done"}`);
  assert.equal(show('```\n{"tool": "ask_user", "args": {"question": "which?"}}\n```'), `ask_user {"question":"which?"}`);
});

test("errors say what is wrong", () => {
  assert.equal(show("I think the bug is in a.ts."), "error: the reply holds no tool call");
  assert.equal(show('```json\n{"tool": "read_file", "args": {"path": "a.ts"}\n```'), "error: the tool call's JSON object never closes");
  assert.match(show("```json\n{'tool': 'read_file'}\n```"), /^error: the tool call is not valid JSON: /);
  assert.equal(show('```json\n{"tool": "rm", "args": {}}\n```'), "error: there is no tool \"rm\"; the tools are read_file, list_files, search, edit_file, create_file, delete_file, run_command, ask_user, finish");
  assert.equal(show('```json\n{"args": {}}\n```'), `error: the tool call has no "tool" name`);
  assert.match(show('```json\n{"tool": "edit_file", "args": {"path": "a.ts", "search": ""}}\n```'), /^error: bad arguments for edit_file \{"path": string, "search": string, "replace": string\}: /);
  assert.match(show('```json\n{"tool": "read_file", "args": {"path": "a", "mode": "x"}}\n```'), /Unrecognized key: "mode"/);
  const two = '```json\n{"tool": "read_file", "args": {"path": "a"}}\n```\n```json\n{"tool": "finish", "args": {"summary": ""}}\n```';
  assert.equal(show(two), "error: the reply holds more than one tool call; make exactly one per reply");
});
