// Token healing: a prompt that ends mid-token backs off that token and lets the model regenerate it, constrained
// to agree with the text the user typed, which is then not shown twice.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { LocalEngine } from "../../model/engine";
import { PromptTokenizer } from "../../model/prompt";
import { remainingAfter, tokensAgreeingWith } from "../../model/token-healing";
import { tinyCoder } from "../helpers/models";

let engine: LocalEngine;
before(async () => (engine = await LocalEngine.load(tinyCoder, { variant: "fp32", threads: 1 })));
after(() => engine.dispose());

test("a prompt ending inside a word backs off its last token; one ending in a space or newline does not", () => {
  const prompts = new PromptTokenizer(engine.folder.tokenizer);
  const healed = prompts.tokenize([{ text: "console.lo", heal: true }]);
  assert.ok(healed.healedText.length > 0 && "console.lo".endsWith(healed.healedText), healed.healedText);
  assert.equal(engine.folder.tokenizer.decode(healed.ids) + healed.healedText, "console.lo");
  assert.equal(prompts.tokenize([{ text: "return ", heal: true }]).healedText, "");
  assert.equal(prompts.tokenize([{ text: "console.lo" }]).healedText, "");
});

test("the constraint allows exactly the tokens that agree with the backed-off text", () => {
  const texts = ["l", "lo", "log", "log(", "lot", "x", "", "o"];
  assert.deepEqual([...tokensAgreeingWith("lo", texts)], [0, 1, 2, 3, 4]);
  assert.equal(remainingAfter("lo", "l"), "o");
  assert.equal(remainingAfter("lo", "log("), "");
});

test("generation after `console.lo` starts with the backed-off text, which is not shown again", async () => {
  const prompts = new PromptTokenizer(engine.folder.tokenizer);
  const { healedText } = prompts.tokenize([{ text: "console.lo", heal: true }]);
  const texts = engine.folder.tokenizer.textOfEveryToken();
  let generatedText = "";
  let shown = "";
  for await (const event of engine.generate({ prompt: [{ text: "console.lo", heal: true }], maxTokens: 6, stopTokens: [] })) {
    if (event.type === "token") generatedText += texts[event.id];
    else shown = event.text;
  }
  assert.ok(generatedText.startsWith(healedText), `${JSON.stringify(generatedText)} should start with ${JSON.stringify(healedText)}`);
  assert.equal(shown, generatedText.slice(healedText.length));
});

test("at most one part of a prompt may be healed", () => {
  const prompts = new PromptTokenizer(engine.folder.tokenizer);
  assert.throws(() => prompts.tokenize([{ text: "a", heal: true }, { text: "b", heal: true }]), /at most one text part/);
});

test("an unknown special token in a prompt is a clear error", () => {
  const prompts = new PromptTokenizer(engine.folder.tokenizer);
  assert.throws(() => prompts.tokenize([{ special: "<fim_prefix>" }]), /has no token <fim_prefix>/);
});
