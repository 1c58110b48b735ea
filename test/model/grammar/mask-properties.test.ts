// Properties of the grammar mask, on the test model's real byte-level vocabulary, for random tool sets drawn from
// the agent's tools (seeded): every valid reply stays reachable token by token (as the tokenizer writes it, and
// one character at a time, through partial UTF-8), and every token the mask allows keeps the text a valid prefix:
// from there the constraint still reaches a reply that parseToolCall reads and zod validates.
import { test, before } from "node:test";
import assert from "node:assert/strict";
import { toolCallGrammarFor } from "../../../agent/loop/reply-format";
import { parseToolCall } from "../../../agent/loop/tool-call";
import { toolNames, type ToolName } from "../../../agent/tools/schemas";
import { Grammars } from "../../../model/grammar/grammars";
import type { Grammar } from "../../../model/grammar/grammar";
import { openModelFolder, type ModelFolder } from "../../../model/model-folder";
import { seededRandom } from "../../../model/sampling";
import { tinyCoder } from "../../helpers/models";

let folder: ModelFolder;
let grammars: Grammars;
before(() => {
  folder = openModelFolder(tinyCoder, "fp32");
  grammars = new Grammars(folder.tokenizer, folder.config.vocab_size);
});

const random = seededRandom(20261201);
const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
const words = ["fix", "the", "a", "src/main.ts", "é", "naïve", "emoji 🙂", 'quote "q"', "back\\slash", "tab\there", "line\nbreak", "{", "}", "```", "<tag>", "0", "42"];
const text = (min = 0) => Array.from({ length: min + Math.floor(random() * 4) }, () => pick(words)).join(" ") || "x";

/** A call the tool's schema accepts, with optional arguments present or not. */
function randomArgs(tool: ToolName): Record<string, unknown> {
  const maybe = (value: unknown) => (random() < 0.5 ? value : undefined);
  const args: Record<string, Record<string, unknown>> = {
    read_file: { path: text(1), start_line: maybe(1 + Math.floor(random() * 90)), end_line: maybe(100 + Math.floor(random() * 900)) },
    list_files: { path: maybe(text(1)) },
    search: { query: text(1), kind: maybe(pick(["text", "symbol"])), path: maybe(text(1)) },
    edit_file: { path: text(1), search: text(1), replace: text() },
    create_file: { path: text(1), content: text() },
    delete_file: { path: text(1) },
    run_command: { command: text(1), timeout_s: maybe(pick([1, 30, 2.5, 3600])) },
    ask_user: { question: text(1) },
    finish: { summary: text() },
  };
  return Object.fromEntries(Object.entries(args[tool]!).filter(([, value]) => value !== undefined));
}

/** JSON as the grammar spells it: `", "` and `": "` between items, keys in schema order. */
function compactJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(compactJson).join(", ")}]`;
  if (typeof value === "object" && value !== null) return `{${Object.entries(value).map(([key, item]) => `${JSON.stringify(key)}: ${compactJson(item)}`).join(", ")}}`;
  return JSON.stringify(value);
}

function randomReply(tools: readonly ToolName[]): string {
  const tool = pick(tools);
  const thought = random() < 0.5 ? "" : text().replace(/[`<]/g, "") + "\n";
  return `${thought}\`\`\`json\n${compactJson({ tool, args: randomArgs(tool) })}\n\`\`\``;
}

function randomTools(): ToolName[] {
  const chosen = toolNames.filter(() => random() < 0.4);
  return chosen.length > 0 ? chosen : [pick(toolNames)];
}

const stops = () => folder.eosTokenIds;
const far = 10_000;

async function replay(grammar: Grammar, ids: readonly number[], budget = far) {
  const constraint = await grammars.constraint(grammar, stops(), budget);
  for (const [index, id] of ids.entries()) {
    assert.ok(constraint.allows(id), `token ${index} (${JSON.stringify(folder.tokenizer.decode([id]))}) is masked`);
    assert.equal(await constraint.accept(id, budget - index - 1), true);
  }
  return constraint;
}

test("every valid reply stays reachable, as the tokenizer writes it and one character at a time", async () => {
  for (let round = 0; round < 4; round++) {
    const tools = randomTools();
    const grammar = toolCallGrammarFor(tools);
    for (let sample = 0; sample < 6; sample++) {
      const reply = randomReply(tools);
      assert.ok(parseToolCall(reply).ok, reply);
      const encodings = [folder.tokenizer.encode(reply), [...reply].flatMap((character) => folder.tokenizer.encode(character))];
      for (const ids of encodings) {
        assert.equal(folder.tokenizer.decode(ids), reply);
        const constraint = await replay(grammar, ids);
        assert.ok(constraint.ended, `${JSON.stringify(reply)} did not end the grammar`);
        constraint.dispose();
      }
    }
  }
});

test("every token the mask allows keeps the text a valid prefix: the reply can still be finished and validates", async () => {
  for (let round = 0; round < 3; round++) {
    const tools = randomTools();
    const grammar = toolCallGrammarFor(tools);
    for (let sample = 0; sample < 4; sample++) {
      const ids = folder.tokenizer.encode(randomReply(tools));
      const prefix = ids.slice(0, Math.floor(random() * ids.length));
      const at = await replay(grammar, prefix);
      const allowed = [...Array(folder.config.vocab_size).keys()].filter((id) => at.allows(id) && !stops().includes(id));
      at.dispose();
      assert.ok(allowed.length > 0);
      for (const candidate of Array.from({ length: 4 }, () => pick(allowed))) {
        const budget = prefix.length + 1 + 96;
        const chosen = [...prefix, candidate];
        const constraint = await replay(grammar, chosen, budget);
        // Finish it the way the decode loop does near its limit: any allowed token, or the forced one.
        while (!constraint.ended) {
          const remainingAfter = budget - chosen.length - 1;
          assert.ok(remainingAfter >= 0, "the way to the end did not fit its budget");
          let id = constraint.forcedToken ?? allowedFirst(constraint);
          if (!(await constraint.accept(id, remainingAfter))) {
            id = constraint.forcedToken!;
            await constraint.accept(id, remainingAfter);
          }
          chosen.push(id);
        }
        constraint.dispose();
        const reply = folder.tokenizer.decode(chosen);
        assert.ok(reply.startsWith(folder.tokenizer.decode([...prefix, candidate]).replace(/\uFFFD+$/, "")));
        const parsed = parseToolCall(reply);
        assert.ok(parsed.ok && tools.includes(parsed.call.tool), `${JSON.stringify(reply)}: ${!parsed.ok && parsed.error}`);
      }
    }
  }
});

/** A choice that is not the way's: the highest allowed id, so the walk to the end is really exercised. */
function allowedFirst(constraint: { allows(id: number): boolean }): number {
  for (let id = folder.config.vocab_size - 1; id >= 0; id--) if (constraint.allows(id) && !stops().includes(id)) return id;
  throw new Error("the mask allows nothing");
}

test("drafts are cut at the first token the grammar rejects, and checking them leaves the state as it was", async () => {
  const grammar = toolCallGrammarFor(["read_file"]);
  const start = folder.tokenizer.encode('```json\n{"tool": "read_file", "args": {"path": "a');
  const constraint = await replay(grammar, start);
  const good = folder.tokenizer.encode('b.ts"}}\n```');
  const bad = folder.tokenizer.encode('b.ts", "mode": 1}}\n```');
  assert.equal(constraint.acceptedPrefix(good), good.length);
  // read_file has no "mode": the drafts stop right before its first letter.
  assert.equal(folder.tokenizer.decode(bad.slice(0, constraint.acceptedPrefix(bad))), 'b.ts", "');
  // The state is unchanged: the good drafts are still accepted one by one.
  for (const id of good) assert.equal(await constraint.accept(id, far), true);
  assert.ok(constraint.ended);
  constraint.dispose();
});
