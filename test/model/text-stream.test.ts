import { test } from "node:test";
import assert from "node:assert/strict";
import { TextStream } from "../../model/text-stream";

// A fake "tokenizer" where each id is one character of this alphabet: enough to exercise the stream's logic.
const alphabet = "abcdefgh\n;lo(";
const decode = (ids: readonly number[]) => ids.map((id) => alphabet[id]).join("");
const ids = (text: string) => [...text].map((char) => alphabet.indexOf(char));

function run(text: string, healed: string, stops: string[]): string {
  const stream = new TextStream(decode, healed, stops);
  const deltas: string[] = [];
  for (const id of ids(text)) {
    deltas.push(stream.push(id));
    if (stream.stopped) return deltas.join("|");
  }
  deltas.push(stream.flush());
  return deltas.join("|");
}

test("deltas concatenate to the text; the healed prefix the user already typed is not shown", () => {
  assert.equal(run("log(a", "lo", []), "||g|(|a|");
});

test("a stop string ends the text before it, and a partial match is held back until it resolves", () => {
  assert.equal(run("ab;\nc", "", [";\n"]), "a|b||");
  assert.equal(run("ab;c", "", [";\n"]), "a|b||;c|");
});

test("a held-back tail that never becomes a stop string is released by flush", () => {
  assert.equal(run("ab;", "", [";\n"]), "a|b||;");
});

test("streaming real tokens, fast path and all, gives exactly the tokenizer's decoding (multi-byte characters too)", async () => {
  const { openModelFolder } = await import("../../model/model-folder");
  const { tokenizer } = openModelFolder(`${__dirname}/../fixtures/models/tiny-coder`, "fp32");
  const text = "const café = \"日本語 🚀\";\n  // naïve — ok\n".repeat(6);
  const ids = tokenizer.encode(text);
  for (const piece of [(id: number) => tokenizer.piece(id), undefined]) {
    const stream = new TextStream((run) => tokenizer.decode(run), "", [], piece);
    const streamed = ids.map((id) => stream.push(id)).join("") + stream.flush();
    assert.equal(streamed, tokenizer.decode(ids));
    assert.equal(streamed, text);
  }
});
