// Ghost's tokenizer lets go of the tokenizer.json the library was built from (model/tokenizer.ts), to keep the model
// worker small. It must still tokenize exactly as the library does with everything kept: compared here on real code,
// every vocabulary entry and the special tokens, for each shipped model's tokenizer.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { Tokenizer } from "@huggingface/tokenizers";
import { openModelFolder } from "../../model/model-folder";
import { shippedModels } from "../helpers/models";

const code = readFileSync(join(dirname(require.resolve("typescript")), "typescript.js"), "utf8").slice(400_000, 412_000);
const text = `${code}\n// ünïcödé, 日本語, emoji 🚀, tabs\t\tand  spaces\r\n`;

for (const dir of new Set(shippedModels().map((model) => model.dir))) {
  test(`${dir.split("/").pop()}: the tokenizer without its source tokenizes as the library does with it`, () => {
    const folder = openModelFolder(dir, "auto");
    const reference = new Tokenizer(JSON.parse(readFileSync(join(dir, "tokenizer.json"), "utf8")), folder.tokenizerConfig);
    const ids = folder.tokenizer.encode(text);
    assert.deepEqual(ids, reference.encode(text, { add_special_tokens: false }).ids);
    assert.equal(folder.tokenizer.decode(ids), reference.decode(ids, { skip_special_tokens: false, clean_up_tokenization_spaces: false }));
    assert.ok(ids.length > 1000, `${ids.length} tokens: the text reaches the merges`);
    const vocabulary = reference.get_vocab(true);
    for (const [token, id] of vocabulary) assert.equal(folder.tokenizer.tokenId(token), id, token);
    const { tokens } = folder.tokenizer.encodedVocabulary();
    for (const [token, id] of vocabulary) if (id < tokens.length) assert.equal(tokens[id], token);
    assert.deepEqual([...folder.tokenizer.specialTokens()], [...reference.get_added_tokens_decoder()].map(([id, added]) => [added.content, id]));
  });
}
