// Checks the ONNX test models made by scripts/make-test-models.py (test/fixtures/models/*), with onnxruntime-node:
//  - for every onnx/*.onnx: a 40-token prompt in one pass vs. incrementally (prefill 20, then one token at a time
//    feeding present.* back as past_key_values.*): last-position logits must agree within 1e-4 (max abs diff);
//    the first call uses an empty past (past length 0);
//  - for graphs with position_ids: a left-padded batch of 2 must give the unpadded row's logits (the mask works);
//  - the tokenizer (@huggingface/tokenizers): round trip on code with non-ASCII text, special tokens are single ids,
//    and the chat template renders (@huggingface/jinja);
//  - prints a short greedy continuation of a plain and a FIM prompt per file (mechanics fixtures: no quality bar).
// usage: node scripts/verify-test-models.mjs [models folder]   (default test/fixtures/models); exit 1 on failure
import { readFileSync, readdirSync, existsSync } from "node:fs";
import { join } from "node:path";
import * as ort from "onnxruntime-node";
import { Tokenizer } from "@huggingface/tokenizers";
import { Template } from "@huggingface/jinja";

const root = process.argv[2] ?? "test/fixtures/models";
const TOL = 1e-4;
let failures = 0;
const fail = (msg) => {
  failures++;
  console.log(`FAIL ${msg}`);
};

const CODE = `import { readFile } from "node:fs/promises";

export async function loadConfig(path: string): Promise<Record<string, unknown>> {
  const text = await readFile(path, "utf8"); // café, naïve, 日本語, emoji 🚀
  console.log(\`loaded \${path}\`);
  return JSON.parse(text) as Record<string, unknown>;
}
`;
const SPECIALS = ["<|endoftext|>", "<|im_start|>", "<|im_end|>", "<|fim_prefix|>", "<|fim_middle|>", "<|fim_suffix|>",
  "<|fim_pad|>", "<|repo_name|>", "<|file_sep|>"];

function checkTokenizer(dir) {
  const tj = JSON.parse(readFileSync(join(dir, "tokenizer.json"), "utf8"));
  const tc = JSON.parse(readFileSync(join(dir, "tokenizer_config.json"), "utf8"));
  const tok = new Tokenizer(tj, tc);
  for (const text of [CODE, "  \tx\r\n\n  y = `${a}`;\u00a0ÿ\u0000", "ﬁ Å vs A\u030a"]) {
    const ids = tok.encode(text, { add_special_tokens: false }).ids;
    const back = tok.decode(ids, { skip_special_tokens: false });
    // the NFC normalizer composes A + U+030A into Å: compare against the NFC form
    if (back !== text.normalize("NFC")) fail(`${dir}: tokenizer round trip: ${JSON.stringify(text)} -> ${JSON.stringify(back)}`);
  }
  for (const s of SPECIALS) {
    const ids = tok.encode(s, { add_special_tokens: false }).ids;
    if (ids.length !== 1 || ids[0] !== tok.token_to_id(s)) fail(`${dir}: special ${s} -> ${ids}`);
  }
  const fim = tok.encode("<|fim_prefix|>a<|fim_suffix|>b<|fim_middle|>", { add_special_tokens: false }).ids;
  const want = ["<|fim_prefix|>", "a", "<|fim_suffix|>", "b", "<|fim_middle|>"].map((t) => tok.token_to_id(t));
  if (JSON.stringify(fim) !== JSON.stringify(want)) fail(`${dir}: FIM prompt ids ${fim} (want ${want})`);
  const chat = new Template(tc.chat_template).render({
    messages: [{ role: "user", content: "hi" }], add_generation_prompt: true,
  });
  const wantChat = "<|im_start|>system\nYou are a helpful assistant.<|im_end|>\n<|im_start|>user\nhi<|im_end|>\n<|im_start|>assistant\n";
  if (chat !== wantChat) fail(`${dir}: chat template rendered ${JSON.stringify(chat)}`);
  const ids = tok.encode(CODE, { add_special_tokens: false }).ids;
  console.log(`${dir}: tokenizer ok (${tok.get_vocab(true).size} tokens; sample: ${CODE.length} chars -> ${ids.length} ids)`);
  return tok;
}

function makeRunner(session, config) {
  const layers = config.num_hidden_layers, kvh = config.num_key_value_heads;
  const hd = config.head_dim ?? config.hidden_size / config.num_attention_heads;
  const hasPos = session.inputNames.includes("position_ids");
  const i64 = (arr, dims) => new ort.Tensor("int64", BigInt64Array.from(arr.map(BigInt)), dims);
  // rows: token ids per batch row (same length); mask: per row, 0/1 over past+seq; pos: per row positions
  return {
    hasPos,
    async run(rows, mask, pos, past) {
      const b = rows.length, s = rows[0].length;
      const feeds = {
        input_ids: i64(rows.flat(), [b, s]),
        attention_mask: i64(mask.flat(), [b, mask[0].length]),
      };
      if (hasPos) feeds.position_ids = i64(pos.flat(), [b, s]);
      for (let i = 0; i < layers; i++) {
        for (const kv of ["key", "value"]) {
          feeds[`past_key_values.${i}.${kv}`] = past?.[`present.${i}.${kv}`] ??
            new ort.Tensor("float32", new Float32Array(0), [b, kvh, 0, hd]);
        }
      }
      const out = await session.run(feeds);
      return out;
    },
  };
}

const row = (logits, b, t) => {
  const [, s, v] = logits.dims;
  return logits.data.subarray((b * s + t) * v, (b * s + t + 1) * v);
};
const maxDiff = (a, b) => {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
};
const argmax = (a, n) => {
  let best = 0;
  for (let i = 1; i < n; i++) if (a[i] > a[best]) best = i;
  return best;
};
const range = (a, b) => Array.from({ length: b - a }, (_, i) => a + i);

async function greedy(runner, tok, text, n = 24) {
  const ids = tok.encode(text, { add_special_tokens: false }).ids;
  const eos = tok.token_to_id("<|endoftext|>"), real = tok.get_vocab(true).size;
  let out = await runner.run([ids], [ids.map(() => 1)], [range(0, ids.length)], null);
  const gen = [];
  let total = ids.length;
  for (let k = 0; k < n; k++) {
    const next = argmax(row(out.logits, 0, out.logits.dims[1] - 1), real);
    if (next === eos) break;
    gen.push(next);
    out = await runner.run([[next]], [Array(total + 1).fill(1)], [[total]], out);
    total++;
  }
  return tok.decode(gen, { skip_special_tokens: false });
}

async function checkModel(dir, file, tok, config) {
  const path = join(dir, "onnx", file);
  const session = await ort.InferenceSession.create(path);
  const runner = makeRunner(session, config);
  const ids = tok.encode(CODE, { add_special_tokens: false }).ids.slice(0, 40);
  const n = ids.length, prefill = 20;
  const full = await runner.run([ids], [Array(n).fill(1)], [range(0, n)], null);
  const want = [config.vocab_size];
  if (JSON.stringify(full.logits.dims) !== JSON.stringify([1, n, ...want])) fail(`${path}: logits dims ${full.logits.dims}`);
  let diff = 0;
  let out = await runner.run([ids.slice(0, prefill)], [Array(prefill).fill(1)], [range(0, prefill)], null);
  for (let t = 0; t < prefill; t++) diff = Math.max(diff, maxDiff(row(out.logits, 0, t), row(full.logits, 0, t)));
  for (let t = prefill; t < n; t++) {
    out = await runner.run([[ids[t]]], [Array(t + 1).fill(1)], [[t]], out);
    const present = out["present.0.key"].dims;
    if (present[2] !== t + 1) fail(`${path}: present length ${present[2]} at step ${t}`);
    diff = Math.max(diff, maxDiff(row(out.logits, 0, 0), row(full.logits, 0, t)));
  }
  const ok = diff <= TOL;
  if (!ok) fail(`${path}: incremental vs full max diff ${diff}`);
  let padNote = "";
  if (runner.hasPos) {
    // batch of 2: row 0 = the prompt, row 1 = its first 30 tokens left-padded by 10
    const pad = 10, short = ids.slice(0, n - pad);
    const eos = tok.token_to_id("<|endoftext|>");
    const batch = await runner.run(
      [ids, [...Array(pad).fill(eos), ...short]],
      [Array(n).fill(1), [...Array(pad).fill(0), ...Array(n - pad).fill(1)]],
      [range(0, n), [...Array(pad).fill(1), ...range(0, n - pad)]],
      null,
    );
    let pd = 0;
    for (let t = 0; t < n - pad; t++) {
      pd = Math.max(pd, maxDiff(row(batch.logits, 1, pad + t), row(full.logits, 0, t)));
      pd = Math.max(pd, maxDiff(row(batch.logits, 0, t), row(full.logits, 0, t)));
    }
    if (pd > TOL) fail(`${path}: left-padded batch vs single max diff ${pd}`);
    padNote = `, left-padded batch max diff ${pd.toExponential(2)}`;
  }
  console.log(`${ok ? "ok  " : "FAIL"} ${path}: inputs ${session.inputNames.length} (position_ids: ${runner.hasPos}), ` +
    `incremental vs full max diff ${diff.toExponential(2)}${padNote}`);
  for (const prompt of ["function greet(name) {\n  console.log",
    "<|fim_prefix|>function add(a, b) {\n  return <|fim_suffix|>;\n}\n<|fim_middle|>"]) {
    console.log(`     greedy ${JSON.stringify(prompt)} -> ${JSON.stringify(await greedy(runner, tok, prompt))}`);
  }
  await session.release();
}

const dirs = readdirSync(root, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => join(root, d.name)).sort();
if (dirs.length === 0) fail(`no model folders in ${root}`);
for (const dir of dirs) {
  const config = JSON.parse(readFileSync(join(dir, "config.json"), "utf8"));
  const tok = checkTokenizer(dir);
  const files = existsSync(join(dir, "onnx")) ? readdirSync(join(dir, "onnx")).filter((f) => f.endsWith(".onnx")).sort() : [];
  if (files.length === 0) fail(`${dir}: no onnx/*.onnx`);
  for (const file of files) {
    try {
      await checkModel(dir, file, tok, config);
    } catch (err) {
      fail(`${join(dir, "onnx", file)}: ${err?.message ?? err}`);
    }
  }
}
console.log(failures === 0 ? "all checks passed" : `${failures} check(s) failed`);
process.exit(failures === 0 ? 0 : 1);
