// llama.cpp's server on tiny-coder's GGUF (scripts/make-test-gguf.py) is the same model as Ghost's local engine on
// the ONNX export: the server's /tokenize gives Ghost's token ids for the same text (so the "qwen2" pre-tokenizer
// the GGUF names is the one tokenizer.json describes), and its greedy /v1/completions picks the same tokens as the
// local engine from the same prompt. The remote backend's tests against this server rest on both.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { LocalEngine } from "../../../model/engine";
import { startLlamaServer, type LlamaServer } from "../../helpers/llama-server";
import { tinyCoder } from "../../helpers/models";

const root = join(__dirname, "..", "..", "..");
let server: LlamaServer;
let engine: LocalEngine;
before(async () => {
  [server, engine] = await Promise.all([startLlamaServer(), LocalEngine.load(tinyCoder, { variant: "fp32", threads: 1 })]);
});
after(async () => {
  await server?.stop();
  await engine?.dispose();
});

/** The server's own endpoints (/tokenize, /health) live beside /v1. */
const serverRoot = () => server.baseUrl.replace(/\/v1$/, "");

async function post(url: string, body: unknown): Promise<unknown> {
  const response = await fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
  assert.equal(response.status, 200, `${url}: ${await response.clone().text()}\n${server.log().slice(-2000)}`);
  return response.json();
}

async function serverTokens(text: string): Promise<number[]> {
  // parse_special: text naming a special token is that token, as in Ghost's tokenizer (added tokens always match).
  const reply = (await post(`${serverRoot()}/tokenize`, { content: text, add_special: false, parse_special: true })) as { tokens: number[] };
  return reply.tokens;
}

/** Where two id sequences first differ, with the text around it, for a readable failure. */
function sameTokens(actual: number[], expected: number[], label: string) {
  const at = expected.findIndex((id, i) => actual[i] !== id);
  if (at === -1 && actual.length === expected.length) return;
  const index = at === -1 ? expected.length : at;
  assert.fail(`${label}: the server's tokens differ from Ghost's at ${index} of ${expected.length}: ` +
    `server ${JSON.stringify(actual.slice(index, index + 5))}, Ghost ${JSON.stringify(expected.slice(index, index + 5))}`);
}

const files = ["model/engine.ts", "scripts/make-test-gguf.py", "scripts/llama-server.sh", "test/fixtures/models/README.md",
  "test/fixtures/models/tiny-coder/tokenizer_config.json", "package.json"];
const snippets = {
  "contractions, any case": "don't it's I'LL We've they'D you're SHE'S o'clock",
  "digits one by one": "const n = 1234567890 + 3.14159 * 0xFF - 1e-9; arr[42]",
  "CRLF and blank lines": "line one\r\nline two\r\n\r\n\r\n  indented\r\n",
  "tabs and trailing spaces": "\tif (x) {\n\t\treturn   y;   \n\t}\n    \n  ",
  "non-ASCII (NFC)": "// café ✓ naïve Ünïcödé 日本語のコメント — “quotes” 🚀👍🏽\nconst π = 3.14;",
  "punctuation runs": "a===b!==c&&d||e??f?.g=>{...h}/*x*/<<=>>>=",
  "special tokens in text": "<|fim_prefix|>def f(x):\n    <|fim_suffix|>\n    return y<|fim_middle|><|endoftext|>",
};

test("the server's /tokenize equals Ghost's tokenizer on real files and on edge cases of the pre-tokenizer", async () => {
  for (const file of files) {
    const text = readFileSync(join(root, file), "utf8");
    sameTokens(await serverTokens(text), await engine.tokenize(text), file);
  }
  for (const [label, text] of Object.entries(snippets)) sameTokens(await serverTokens(text), await engine.tokenize(text), label);
});

const greedyLength = 64;
/** Logprob lead of the best token over the runner-up below which float rounding may pick either: the ONNX graph and
 *  ggml sum in different orders. Every divergence seen was at a lead under 0.017; a wrong conversion (weights, rope,
 *  norms, vocabulary) disagrees at once and by whole units. */
const nearTie = 0.05;

/** Greedy token ids from the server for a prompt of ids (/v1/completions at temperature 0, ids from its logprobs),
 *  with how far ahead of the runner-up each one was. */
async function serverGreedy(ids: number[]): Promise<{ ids: number[]; gaps: number[]; finish: string }> {
  const reply = (await post(`${server.baseUrl}/completions`, { prompt: ids, max_tokens: greedyLength, temperature: 0, logprobs: 2 })) as {
    choices: { finish_reason: string; logprobs: { content: { id: number; top_logprobs: { logprob: number }[] }[] } }[];
  };
  const [choice] = reply.choices;
  const tokens = choice!.logprobs.content;
  return { ids: tokens.map((token) => token.id), gaps: tokens.map((token) => token.top_logprobs[0]!.logprob - token.top_logprobs[1]!.logprob), finish: choice!.finish_reason };
}

async function localGreedy(ids: number[]): Promise<number[]> {
  const out: number[] = [];
  for await (const event of engine.generate({ prompt: [{ ids }], maxTokens: greedyLength, stopTokens: [] })) if (event.type === "token") out.push(event.id);
  return out;
}

/** Plain and fill-in-the-middle prompts cut from real files (pinned: dependencies and the model's own generator), as
 *  Ghost's tokenizer makes them. */
async function prompts(): Promise<Record<string, number[]>> {
  const special = (name: string) => engine.info.specialTokens[name]!;
  const made: Record<string, number[]> = { "a short prompt": await engine.tokenize("function greet(name) {\n  console.log") };
  for (const file of ["node_modules/semver/classes/range.js", "node_modules/zod/src/v4/classic/errors.ts", "node_modules/diff/libesm/diff/base.js", "scripts/make-test-models.py"]) {
    const text = readFileSync(join(root, file), "utf8");
    for (const at of [0.2, 0.5, 0.8]) {
      const cut = Math.floor(text.length * at);
      made[`${file} at ${at}`] = await engine.tokenize(text.slice(Math.max(0, cut - 1500), cut));
      made[`${file} at ${at}, fill-in-the-middle`] = [
        special("<|fim_prefix|>"), ...(await engine.tokenize(text.slice(Math.max(0, cut - 800), cut))),
        special("<|fim_suffix|>"), ...(await engine.tokenize(text.slice(cut + 60, cut + 400))),
        special("<|fim_middle|>"),
      ];
    }
  }
  return made;
}

test("greedy decoding on the server picks the local engine's tokens, up to the first near-tie", async (t) => {
  const eog = new Set(Object.values(engine.info.specialTokens));
  let agreed = 0;
  let compared = 0;
  for (const [label, ids] of Object.entries(await prompts())) {
    const [remote, local] = [await serverGreedy(ids), await localGreedy(ids)];
    // The server ends at an end-of-generation token (its last id); the local engine was told not to stop.
    if (remote.finish === "stop") assert.ok(eog.has(remote.ids.at(-1)!), `${label}: the server stopped at a token that is not special`);
    else assert.equal(remote.ids.length, greedyLength, label);
    const differs = remote.ids.findIndex((id, i) => id !== local[i]);
    const same = differs === -1 ? remote.ids.length : differs;
    if (differs !== -1) {
      assert.ok(remote.gaps[differs]! < nearTie, `${label}: token ${differs} differs (server ${remote.ids[differs]}, local ${local[differs]}) though the server's choice led by ${remote.gaps[differs]!.toFixed(4)} in logprob`);
    }
    t.diagnostic(`${label}: ${same} of ${remote.ids.length} tokens agree${differs === -1 ? "" : ` (then a near-tie, gap ${remote.gaps[differs]!.toFixed(4)})`}`);
    agreed += same;
    compared += remote.ids.length;
  }
  t.diagnostic(`in all: ${agreed} of ${compared} greedy tokens agree`);
  // Most prompts agree all the way: a near-tie is rare, so a mismatch everywhere would be a wrong conversion.
  assert.ok(agreed >= 0.75 * compared, `only ${agreed} of ${compared} tokens agree`);
});

test("the helper's server is killed, and restarts on the same port with its model loaded", async () => {
  const port = server.port;
  server.kill();
  for (let tries = 0; await fetch(`${serverRoot()}/health`).then(() => true, () => false); tries++) {
    assert.ok(tries < 100, "the killed server still answers after 5 s");
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  await server.restart();
  assert.equal(server.port, port);
  assert.deepEqual(await (await fetch(`${serverRoot()}/health`)).json(), { status: "ok" });
  assert.equal((await serverTokens("const x = 1;")).length, (await engine.tokenize("const x = 1;")).length);
});
