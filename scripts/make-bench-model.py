#!/usr/bin/python3
"""Make a ~135M-parameter Qwen2-shaped model with random weights, for benchmarks (not for tests, not for use).

What it makes, in the standard Hugging Face ONNX layout (default .cache/bench-models/qwen2-135m/, gitignored):

    config.json  generation_config.json  tokenizer.json  tokenizer_config.json
    onnx/model.onnx + onnx/model.onnx_data   fp32, weights in external data
    onnx/model_quantized.onnx                int8 weight-only (DequantizeLinear per output channel -> MatMul)
    onnx/model_q4.onnx                       4-bit com.microsoft MatMulNBits (block_size 32)

The shape is SmolLM2-135M's (hidden 576, 30 layers, 9 query heads, 3 KV heads of head_dim 64, intermediate 1536,
vocabulary 49,152, tied embeddings, rope_theta 100000), in the Qwen2 architecture of the shipped test models
(q/k/v biases). The graphs come from the same code as test/fixtures/models (scripts/make-test-models.py: the
model class, torch.onnx export at opset 14, the tied lm_head, int8 and q4 rewrites), so they follow the same
conventions and load with model/model-folder.ts. The weights are random (normal, std 0.02): the output is
nonsense, the cost of running it is the real one. The tokenizer is a byte-level BPE of 49,143 tokens plus
Qwen2.5-Coder's 9 special tokens, trained on .ts/.js from node_modules, so prompts tokenize to realistic lengths.

Needs: apt-get install python3-torch python3-onnx libopenblas0-pthread, and `npm ci` (the BPE corpus).
Run:   /usr/bin/python3 scripts/make-bench-model.py      (from the repository root; ~5 min on 2 cores)
Then:  node scripts/verify-test-models.mjs .cache/bench-models
Options: --out DIR, --threads N.
Deterministic: fixed seeds; the same node_modules give the same tokenizer and weights.
"""

import argparse
import heapq
import importlib.util
import os
import random
import shutil
import sys
import time
import unicodedata
from collections import Counter, defaultdict

import numpy as np
import torch

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SEED = 1234
VOCAB = 49152  # model rows = tokenizer size, as SmolLM2

spec = importlib.util.spec_from_file_location("make_test_models", os.path.join(ROOT, "scripts", "make-test-models.py"))
mtm = importlib.util.module_from_spec(spec)
spec.loader.exec_module(mtm)

# The test-model script numbers the special tokens from BASE_VOCAB; here they are the last 9 ids of the vocabulary.
mtm.BASE_VOCAB = VOCAB - len(mtm.SPECIAL_TOKENS)
mtm.MODEL_VOCAB = VOCAB

# A larger corpus than the test models' (a 49k vocabulary needs more distinct words), same sources.
CORPUS_SOURCES = [
    ("typescript/lib", r"^typescript\.js$", 8_000_000),
    ("typescript/lib", r"^lib\..*\.d\.ts$", 1_500_000),
    ("@types/node", r"\.d\.ts$", 2_000_000),
    ("zod", r"\.(ts|js)$", 1_000_000),
    ("diff/libesm", r"\.js$", 200_000),
    ("onnxruntime-common/dist/esm", r"\.js$", 300_000),
    ("web-tree-sitter", r"\.(ts|js)$", 500_000),
    ("semver", r"\.js$", 100_000),
]


def train_bpe(docs, split_re, n_tokens):
    """Byte-level BPE with a lazy max-heap of pair counts (the test-model trainer rescans every pair per merge,
    which is too slow for 49k merges). Ties go to the smaller pair; merges of count 1 are allowed so the corpus
    always reaches n_tokens. Deterministic."""
    b2u = mtm.bytes_to_unicode()
    counts = Counter()
    for doc in docs:
        for piece in split_re.findall(unicodedata.normalize("NFC", doc)):
            counts["".join(b2u[b] for b in piece.encode("utf-8"))] += 1
    words = [list(w) for w in counts]
    freqs = [counts[w] for w in counts]
    pair_counts = defaultdict(int)
    where = defaultdict(set)
    for wi, w in enumerate(words):
        for p in zip(w, w[1:]):
            pair_counts[p] += freqs[wi]
            where[p].add(wi)
    heap = [(-c, p) for p, c in pair_counts.items()]
    heapq.heapify(heap)
    vocab = {c: i for i, c in enumerate(sorted(b2u.values()))}
    merges = []
    while len(vocab) < n_tokens and heap:
        negc, pair = heapq.heappop(heap)
        if pair_counts.get(pair, 0) != -negc or negc == 0:
            continue  # stale entry: the pair's count changed after it was pushed
        a, b = pair
        merges.append(pair)
        new = a + b
        if new not in vocab:
            vocab[new] = len(vocab)
        changed = set()
        for wi in sorted(where.pop(pair, ())):
            w, f = words[wi], freqs[wi]
            for p in zip(w, w[1:]):
                pair_counts[p] -= f
                changed.add(p)
                s = where.get(p)
                if s is not None:
                    s.discard(wi)
            out, i = [], 0
            while i < len(w):
                if i < len(w) - 1 and w[i] == a and w[i + 1] == b:
                    out.append(new)
                    i += 2
                else:
                    out.append(w[i])
                    i += 1
            words[wi] = out
            for p in zip(out, out[1:]):
                pair_counts[p] += f
                changed.add(p)
                where[p].add(wi)
        pair_counts.pop(pair, None)
        for p in changed:
            c = pair_counts.get(p, 0)
            if c > 0 and p != pair:
                heapq.heappush(heap, (-c, p))
            elif c <= 0:
                pair_counts.pop(p, None)
    return vocab, merges


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", default=os.path.join(ROOT, ".cache", "bench-models", "qwen2-135m"))
    ap.add_argument("--threads", type=int, default=2)
    args = ap.parse_args()
    torch.set_num_threads(args.threads)
    random.seed(SEED)
    np.random.seed(SEED)
    torch.manual_seed(SEED)
    t0 = time.time()

    mtm.CORPUS_SOURCES = CORPUS_SOURCES
    docs = mtm.read_corpus()
    print(f"corpus: {len(docs)} files, {sum(map(len, docs)) / 1e6:.2f} M chars", flush=True)
    split_re = mtm.python_split_regex()
    vocab, merges = train_bpe(docs, split_re, mtm.BASE_VOCAB)
    if len(vocab) != mtm.BASE_VOCAB:
        sys.exit(f"the corpus gave only {len(vocab)} BPE tokens (want {mtm.BASE_VOCAB}): is node_modules complete?")
    tok = mtm.ByteBPE(vocab, merges, split_re)
    sample = "export function add(a: number, b: number): number {\n  return a + b; // café ✓\n}\n"
    assert tok.decode(tok.encode(sample)) == sample
    print(f"bpe: {len(vocab)} tokens, {len(merges)} merges ({time.time() - t0:.0f}s); "
          f"sample {len(sample)} chars -> {len(tok.encode(sample))} tokens", flush=True)

    c = mtm.Cfg(vocab_size=VOCAB, hidden_size=576, intermediate_size=1536, num_hidden_layers=30,
                num_attention_heads=9, num_key_value_heads=3, head_dim=64, max_position_embeddings=8192,
                rms_norm_eps=1e-5, rope_theta=100000.0)
    torch.manual_seed(SEED)
    model = mtm.Qwen2(c).eval()
    print(f"model: {sum(p.numel() for p in model.parameters()) / 1e6:.1f} M parameters (random)", flush=True)

    d = args.out
    if os.path.isdir(d):
        shutil.rmtree(d)
    os.makedirs(os.path.join(d, "onnx"))
    cfg = mtm.hf_config(c)
    cfg["transformers.js_config"] = {"use_external_data_format": {"model.onnx": True}}
    tcj = mtm.tokenizer_config_json()
    tcj["model_max_length"] = c.max_position_embeddings
    mtm.write_json(os.path.join(d, "config.json"), cfg)
    mtm.write_json(os.path.join(d, "generation_config.json"), mtm.generation_config())
    mtm.write_json(os.path.join(d, "tokenizer.json"), mtm.tokenizer_json(vocab, merges))
    mtm.write_json(os.path.join(d, "tokenizer_config.json"), tcj)
    m = mtm.export_onnx(model, with_position_ids=True)
    del model
    print(f"exported ({time.time() - t0:.0f}s)", flush=True)
    mtm.save_onnx(m, os.path.join(d, "onnx", "model.onnx"), external_data=True)
    mtm.save_onnx(mtm.quantize_int8(m), os.path.join(d, "onnx", "model_quantized.onnx"), external_data=False)
    mtm.save_onnx(mtm.quantize_q4(m), os.path.join(d, "onnx", "model_q4.onnx"), external_data=False)
    open(os.path.join(d, "READY"), "w").close()  # written last: benchmarks wait for a complete folder
    for dirpath, _, files in sorted(os.walk(d)):
        for f in sorted(files):
            p = os.path.join(dirpath, f)
            print(f"{os.path.getsize(p):>12}  {os.path.relpath(p, ROOT)}")
    print(f"done in {time.time() - t0:.0f}s; check with: node scripts/verify-test-models.mjs {os.path.dirname(d)}")


if __name__ == "__main__":
    main()
