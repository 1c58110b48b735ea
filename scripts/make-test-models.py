#!/usr/bin/python3
"""Make the tiny ONNX test models under test/fixtures/models/.

What it makes (the standard Hugging Face ONNX layout, as in onnx-community/Qwen2.5-Coder-0.5B):

  test/fixtures/models/tiny-coder/          Qwen2-style decoder (RMSNorm, RoPE, GQA, SwiGLU, tied embeddings)
      config.json  generation_config.json  tokenizer.json  tokenizer_config.json
      onnx/model.onnx + onnx/model.onnx_data   fp32, weights in external data
      onnx/model_quantized.onnx                int8 weight-only (DequantizeLinear per output channel -> MatMul)
      onnx/model_q4.onnx                       4-bit com.microsoft MatMulNBits (block_size 32)
  test/fixtures/models/tiny-coder-nopos/    smaller model, same tokenizer, graph WITHOUT a position_ids input
      config.json  generation_config.json  tokenizer.json  tokenizer_config.json
      onnx/model.onnx                          fp32, weights inline

Steps: gather a code corpus from the .ts/.js files in node_modules (pinned by package-lock.json), train a
byte-level BPE (256 bytes + merges + Qwen2.5-Coder's special tokens), train both models briefly on plain code
mixed with fill-in-the-middle examples, export with torch.onnx, then rewrite the graphs with the onnx package
(external data, int8, q4). Check the results with `node scripts/verify-test-models.mjs`.

These models test mechanics (tokenizer, KV cache, masks, positions, quantized graphs), not quality.

Needs: Debian's python3-torch (1.13) and python3-onnx (1.12):  apt-get install python3-torch python3-onnx
       plus, strongly advised, OpenBLAS (Debian's torch uses the reference BLAS otherwise, ~8x slower):
       apt-get install libopenblas0-pthread
       and `npm ci` done (the corpus is read from node_modules). No network.
Run:   /usr/bin/python3 scripts/make-test-models.py        (from the repository root)
Takes: about 12 minutes on 2 idle CPU cores (BPE ~20 s, tiny-coder training 500 steps ~9 min, tiny-coder-nopos
       ~1 min, export and quantization seconds); 18 minutes when the cores were shared with other work.
Deterministic: fixed seeds and fixed step counts; the same machine, thread count and node_modules give the same
files (float results may differ in the last bits across CPUs / thread counts).
Options: --out DIR, --steps N (tiny-coder training steps), --nopos-steps N, --threads N.

Export notes:
  - traced with batch 2, sequence 3, past 4 and every axis dynamic; the mask and positions are built from
    shapes (Range/Shape ops), so the same graph runs with an empty past (past_key_values.* of shape [b, kv, 0, d]);
  - attention_mask is applied (causal AND padding) with Where(mask, scores, float32 min), so fully padded query
    rows get a uniform softmax instead of NaN;
  - grouped-query attention broadcasts [b, kv, rep, s, d] x [b, kv, 1, d, t] instead of repeat_kv;
  - constant folding duplicates the tied embedding as a transposed lm_head weight: tie_lm_head() replaces it with
    a Transpose of the embedding initializer;
  - onnx appends to an existing external-data file, so old onnx/model.onnx_data is deleted first.
"""

import argparse
import io
import json
import math
import os
import random
import re
import shutil
import sys
import time
import unicodedata
from collections import Counter

import numpy as np
import onnx
import torch
import torch.nn as nn
import torch.nn.functional as F
from onnx import TensorProto, helper, numpy_helper

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SEED = 1234

# ---------------------------------------------------------------------------------------------------------------
# Corpus: (folder under node_modules, file name regex, byte cap). Files are taken in sorted order until the cap.
# ---------------------------------------------------------------------------------------------------------------
CORPUS_SOURCES = [
    ("typescript/lib", r"^typescript\.js$", 1_200_000),
    ("typescript/lib", r"^lib\.es.*\.d\.ts$", 500_000),
    ("@types/node", r"\.d\.ts$", 700_000),
    ("zod/src", r"\.ts$", 600_000),
    ("diff/libesm", r"\.js$", 200_000),
    ("onnxruntime-common/dist/esm", r"\.js$", 200_000),
    ("semver", r"\.js$", 100_000),
]


def read_corpus():
    nm = os.path.join(ROOT, "node_modules")
    docs = []
    for folder, pattern, cap in CORPUS_SOURCES:
        base = os.path.join(nm, folder)
        if not os.path.isdir(base):
            sys.exit(f"missing {base}: run `npm ci` first")
        files = []
        for dirpath, dirnames, filenames in os.walk(base):
            dirnames.sort()
            for name in filenames:
                if re.search(pattern, name) and ".min." not in name:
                    files.append(os.path.join(dirpath, name))
        files.sort()
        used = 0
        for path in files:
            if used >= cap:
                break
            with open(path, "r", encoding="utf-8", errors="replace") as f:
                text = f.read().replace("\r\n", "\n")
            lines = text.split("\n")
            if not text.strip() or len(text) / max(1, len(lines)) > 200:  # skip empty and minified files
                continue
            if used + len(text) > cap:
                text = text[: cap - used]
                text = text[: text.rfind("\n") + 1]
            if text:
                docs.append(text)
                used += len(text)
    return docs


# ---------------------------------------------------------------------------------------------------------------
# Byte-level BPE, Qwen2 style
# ---------------------------------------------------------------------------------------------------------------
QWEN_SPLIT_REGEX = (
    r"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+"
)
SPECIAL_TOKENS = [
    "<|endoftext|>",
    "<|im_start|>",
    "<|im_end|>",
    "<|fim_prefix|>",
    "<|fim_middle|>",
    "<|fim_suffix|>",
    "<|fim_pad|>",
    "<|repo_name|>",
    "<|file_sep|>",
]
BASE_VOCAB = 1520  # 256 byte tokens + 1264 merged tokens; the special tokens follow (ids 1520..1528)
MODEL_VOCAB = 1536  # embedding rows, padded to a multiple of 64 like Qwen's 151936 > len(tokenizer)


def bytes_to_unicode():
    bs = list(range(ord("!"), ord("~") + 1)) + list(range(ord("¡"), ord("¬") + 1)) + list(range(ord("®"), ord("ÿ") + 1))
    cs = bs[:]
    n = 0
    for b in range(256):
        if b not in bs:
            bs.append(b)
            cs.append(256 + n)
            n += 1
    return dict(zip(bs, [chr(c) for c in cs]))


def _char_class(pred):
    """A regex character-class body listing every code point where pred(category) holds (Python `re` lacks \\p{})."""
    parts, start, prev = [], None, None
    for cp in range(0x110000):
        ok = pred(unicodedata.category(chr(cp)))
        if ok and start is None:
            start = cp
        if not ok and start is not None:
            parts.append((start, cp - 1))
            start = None
    if start is not None:
        parts.append((start, 0x10FFFF))
    esc = lambda c: "\\U%08x" % c
    return "".join(esc(a) if a == b else f"{esc(a)}-{esc(b)}" for a, b in parts)


def python_split_regex():
    L = _char_class(lambda c: c.startswith("L"))
    N = _char_class(lambda c: c.startswith("N"))
    pat = (
        r"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n" + L + N + "]?[" + L + "]+|[" + N + r"]| ?[^\s" + L + N
        + r"]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+"
    )
    return re.compile(pat)


class ByteBPE:
    def __init__(self, vocab, merges, split_re):
        self.vocab = vocab  # token string -> id
        self.ranks = {tuple(m): i for i, m in enumerate(merges)}
        self.split_re = split_re
        self.b2u = bytes_to_unicode()
        self.cache = {}
        self.special = {t: BASE_VOCAB + i for i, t in enumerate(SPECIAL_TOKENS)}
        self.special_re = re.compile("(" + "|".join(re.escape(t) for t in SPECIAL_TOKENS) + ")")
        self.id_to_token = {i: t for t, i in vocab.items()}
        self.id_to_token.update({i: t for t, i in self.special.items()})
        self.u2b = {u: b for b, u in self.b2u.items()}

    def _bpe(self, word):
        ids = self.cache.get(word)
        if ids is not None:
            return ids
        parts = list(word)
        while len(parts) > 1:
            best, best_rank = None, None
            for i in range(len(parts) - 1):
                r = self.ranks.get((parts[i], parts[i + 1]))
                if r is not None and (best_rank is None or r < best_rank):
                    best, best_rank = i, r
            if best is None:
                break
            a, b = parts[best], parts[best + 1]
            out, i = [], 0
            while i < len(parts):
                if i < len(parts) - 1 and parts[i] == a and parts[i + 1] == b:
                    out.append(a + b)
                    i += 2
                else:
                    out.append(parts[i])
                    i += 1
            parts = out
        ids = [self.vocab[p] for p in parts]
        self.cache[word] = ids
        return ids

    def encode_plain(self, text):
        text = unicodedata.normalize("NFC", text)
        ids = []
        for piece in self.split_re.findall(text):
            ids.extend(self._bpe("".join(self.b2u[b] for b in piece.encode("utf-8"))))
        return ids

    def encode(self, text):
        ids = []
        for chunk in self.special_re.split(text):
            if chunk in self.special:
                ids.append(self.special[chunk])
            elif chunk:
                ids.extend(self.encode_plain(chunk))
        return ids

    def decode(self, ids):
        out = []
        for i in ids:
            t = self.id_to_token.get(int(i), "")
            if t in self.special:
                out.append(t.encode("utf-8"))
            else:
                out.append(bytes(self.u2b[c] for c in t))
        return b"".join(out).decode("utf-8", errors="replace")


def train_bpe(docs, split_re, n_tokens):
    """Classic BPE training over pre-tokenized words with incremental pair counts. Deterministic."""
    b2u = bytes_to_unicode()
    counts = Counter()
    for doc in docs:
        for piece in split_re.findall(unicodedata.normalize("NFC", doc)):
            counts["".join(b2u[b] for b in piece.encode("utf-8"))] += 1
    words = [list(w) for w in counts]  # insertion order = first occurrence: deterministic
    freqs = [counts[w] for w in counts]
    pair_counts = Counter()
    where = {}
    for wi, w in enumerate(words):
        for p in zip(w, w[1:]):
            pair_counts[p] += freqs[wi]
            where.setdefault(p, set()).add(wi)
    # byte tokens in GPT-2/Qwen order: sorted by their unicode stand-in
    vocab = {c: i for i, c in enumerate(sorted(b2u.values()))}
    merges = []
    while len(vocab) < n_tokens and pair_counts:
        best = max(pair_counts.items(), key=lambda kv: (kv[1], kv[0]))  # ties: larger pair string, deterministic
        (a, b), cnt = best
        if cnt < 2:
            break
        merges.append((a, b))
        new = a + b
        if new not in vocab:
            vocab[new] = len(vocab)
        for wi in sorted(where.pop((a, b), ())):
            w, f = words[wi], freqs[wi]
            for p in zip(w, w[1:]):
                pair_counts[p] -= f
                if pair_counts[p] <= 0:
                    del pair_counts[p]
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
                where.setdefault(p, set()).add(wi)
        pair_counts.pop((a, b), None)
    return vocab, merges


def tokenizer_json(vocab, merges):
    bl = {"type": "ByteLevel", "add_prefix_space": False, "trim_offsets": False, "use_regex": False}
    return {
        "version": "1.0",
        "truncation": None,
        "padding": None,
        "added_tokens": [
            {
                "id": BASE_VOCAB + i,
                "content": t,
                "single_word": False,
                "lstrip": False,
                "rstrip": False,
                "normalized": False,
                "special": True,
            }
            for i, t in enumerate(SPECIAL_TOKENS)
        ],
        "normalizer": {"type": "NFC"},
        "pre_tokenizer": {
            "type": "Sequence",
            "pretokenizers": [
                {"type": "Split", "pattern": {"Regex": QWEN_SPLIT_REGEX}, "behavior": "Isolated", "invert": False},
                bl,
            ],
        },
        "post_processor": dict(bl),
        "decoder": dict(bl),
        "model": {
            "type": "BPE",
            "dropout": None,
            "unk_token": None,
            "continuing_subword_prefix": "",
            "end_of_word_suffix": "",
            "fuse_unk": False,
            "byte_fallback": False,
            "ignore_merges": False,
            "vocab": vocab,
            "merges": [f"{a} {b}" for a, b in merges],
        },
    }


CHAT_TEMPLATE = (
    "{% for message in messages %}"
    "{% if loop.first and messages[0]['role'] != 'system' %}"
    "{{ '<|im_start|>system\\nYou are a helpful assistant.<|im_end|>\\n' }}"
    "{% endif %}"
    "{{ '<|im_start|>' + message['role'] + '\\n' + message['content'] + '<|im_end|>' + '\\n' }}"
    "{% endfor %}"
    "{% if add_generation_prompt %}{{ '<|im_start|>assistant\\n' }}{% endif %}"
)


def tokenizer_config_json():
    return {
        "add_bos_token": False,
        "add_prefix_space": False,
        "added_tokens_decoder": {
            str(BASE_VOCAB + i): {
                "content": t,
                "lstrip": False,
                "normalized": False,
                "rstrip": False,
                "single_word": False,
                "special": True,
            }
            for i, t in enumerate(SPECIAL_TOKENS)
        },
        "additional_special_tokens": SPECIAL_TOKENS[1:],
        "bos_token": None,
        "chat_template": CHAT_TEMPLATE,
        "clean_up_tokenization_spaces": False,
        "eos_token": "<|endoftext|>",
        "errors": "replace",
        "model_max_length": 2048,
        "pad_token": "<|endoftext|>",
        "split_special_tokens": False,
        "tokenizer_class": "Qwen2Tokenizer",
        "unk_token": None,
    }


# ---------------------------------------------------------------------------------------------------------------
# Model: Qwen2 architecture in plain PyTorch (q/k/v biases, RMSNorm, RoPE, GQA, SwiGLU, tied embeddings)
# ---------------------------------------------------------------------------------------------------------------
class Cfg:
    def __init__(self, **kw):
        self.__dict__.update(kw)


class RMSNorm(nn.Module):
    def __init__(self, n, eps):
        super().__init__()
        self.weight = nn.Parameter(torch.ones(n))
        self.eps = eps

    def forward(self, x):
        return self.weight * (x * torch.rsqrt(x.pow(2).mean(-1, keepdim=True) + self.eps))


def rotate_half(x):
    h = x.shape[-1] // 2
    return torch.cat([-x[..., h:], x[..., :h]], dim=-1)


class Attention(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.h, self.kvh, self.d = c.num_attention_heads, c.num_key_value_heads, c.head_dim
        self.q_proj = nn.Linear(c.hidden_size, self.h * self.d, bias=True)
        self.k_proj = nn.Linear(c.hidden_size, self.kvh * self.d, bias=True)
        self.v_proj = nn.Linear(c.hidden_size, self.kvh * self.d, bias=True)
        self.o_proj = nn.Linear(self.h * self.d, c.hidden_size, bias=False)

    def forward(self, x, cos, sin, mask, past_k, past_v):
        b, s = x.shape[0], x.shape[1]
        q = self.q_proj(x).view(b, s, self.h, self.d).transpose(1, 2)  # [b,h,s,d]
        k = self.k_proj(x).view(b, s, self.kvh, self.d).transpose(1, 2)  # [b,kvh,s,d]
        v = self.v_proj(x).view(b, s, self.kvh, self.d).transpose(1, 2)
        q = q * cos + rotate_half(q) * sin
        k = k * cos + rotate_half(k) * sin
        if past_k is not None:
            k = torch.cat([past_k, k], dim=2)
            v = torch.cat([past_v, v], dim=2)
        t = k.shape[2]
        rep = self.h // self.kvh
        # grouped-query attention without repeat_kv: query head j uses kv head j // rep (HF repeat_kv order)
        qg = (q * (1.0 / math.sqrt(self.d))).reshape(b, self.kvh, rep, s, self.d)
        scores = torch.matmul(qg, k.unsqueeze(2).transpose(-1, -2))  # [b,kvh,rep,s,t]
        scores = torch.where(mask, scores, torch.tensor(torch.finfo(torch.float32).min))
        probs = torch.softmax(scores, dim=-1)
        out = torch.matmul(probs, v.unsqueeze(2))  # [b,kvh,rep,s,d]
        out = out.reshape(b, self.h, s, self.d).transpose(1, 2).reshape(b, s, self.h * self.d)
        return self.o_proj(out), k, v


class MLP(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.gate_proj = nn.Linear(c.hidden_size, c.intermediate_size, bias=False)
        self.up_proj = nn.Linear(c.hidden_size, c.intermediate_size, bias=False)
        self.down_proj = nn.Linear(c.intermediate_size, c.hidden_size, bias=False)

    def forward(self, x):
        return self.down_proj(F.silu(self.gate_proj(x)) * self.up_proj(x))


class Layer(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.input_layernorm = RMSNorm(c.hidden_size, c.rms_norm_eps)
        self.self_attn = Attention(c)
        self.post_attention_layernorm = RMSNorm(c.hidden_size, c.rms_norm_eps)
        self.mlp = MLP(c)

    def forward(self, x, cos, sin, mask, pk, pv):
        a, k, v = self.self_attn(self.input_layernorm(x), cos, sin, mask, pk, pv)
        x = x + a
        x = x + self.mlp(self.post_attention_layernorm(x))
        return x, k, v


class Qwen2(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.c = c
        self.embed_tokens = nn.Embedding(c.vocab_size, c.hidden_size)
        self.layers = nn.ModuleList([Layer(c) for _ in range(c.num_hidden_layers)])
        self.norm = RMSNorm(c.hidden_size, c.rms_norm_eps)
        inv_freq = 1.0 / (c.rope_theta ** (torch.arange(0, c.head_dim, 2, dtype=torch.float32) / c.head_dim))
        self.register_buffer("inv_freq", inv_freq, persistent=False)
        self.apply(self._init)

    @staticmethod
    def _init(m):
        if isinstance(m, nn.Linear):
            nn.init.normal_(m.weight, std=0.02)
            if m.bias is not None:
                nn.init.zeros_(m.bias)
        elif isinstance(m, nn.Embedding):
            nn.init.normal_(m.weight, std=0.02)

    def forward(self, input_ids, attention_mask=None, position_ids=None, past=None):
        """input_ids [b,s]; attention_mask [b,past+s] (1 keep, 0 pad); position_ids [b,s] or None (then
        past_len + arange(s)); past: list of (k, v) [b,kvh,past,d] or None. Returns logits and the new caches."""
        b, s = input_ids.shape[0], input_ids.shape[1]
        past_len = past[0][0].shape[2] if past is not None else 0
        t = past_len + s
        if position_ids is None:
            position_ids = (torch.arange(s, dtype=torch.int64) + past_len).unsqueeze(0)  # [1,s], broadcasts
        freqs = position_ids.unsqueeze(-1).to(torch.float32) * self.inv_freq  # [b,s,d/2]
        emb = torch.cat([freqs, freqs], dim=-1).unsqueeze(1)  # [b,1,s,d]
        cos, sin = emb.cos(), emb.sin()
        q_pos = torch.arange(s, dtype=torch.int64) + past_len
        k_pos = torch.arange(t, dtype=torch.int64)
        mask = (k_pos.unsqueeze(0) <= q_pos.unsqueeze(1)).view(1, 1, 1, s, t)  # causal [1,1,1,s,t]
        if attention_mask is not None:
            mask = mask & attention_mask.view(b, 1, 1, 1, t).to(torch.bool)  # padding
        x = self.embed_tokens(input_ids)
        presents = []
        for i, layer in enumerate(self.layers):
            pk, pv = past[i] if past is not None else (None, None)
            x, k, v = layer(x, cos, sin, mask, pk, pv)
            presents.append((k, v))
        x = self.norm(x)
        logits = torch.matmul(x, self.embed_tokens.weight.t())  # tied lm_head
        return logits, presents


def hf_config(c):
    return {
        "architectures": ["Qwen2ForCausalLM"],
        "attention_dropout": 0.0,
        "bos_token_id": BASE_VOCAB + SPECIAL_TOKENS.index("<|endoftext|>"),
        "eos_token_id": BASE_VOCAB + SPECIAL_TOKENS.index("<|endoftext|>"),
        "head_dim": c.head_dim,
        "hidden_act": "silu",
        "hidden_size": c.hidden_size,
        "initializer_range": 0.02,
        "intermediate_size": c.intermediate_size,
        "max_position_embeddings": c.max_position_embeddings,
        "max_window_layers": c.num_hidden_layers,
        "model_type": "qwen2",
        "num_attention_heads": c.num_attention_heads,
        "num_hidden_layers": c.num_hidden_layers,
        "num_key_value_heads": c.num_key_value_heads,
        "rms_norm_eps": c.rms_norm_eps,
        "rope_scaling": None,
        "rope_theta": c.rope_theta,
        "sliding_window": None,
        "tie_word_embeddings": True,
        "torch_dtype": "float32",
        "transformers_version": "4.45.0",
        "use_cache": True,
        "use_sliding_window": False,
        "vocab_size": c.vocab_size,
    }


def generation_config():
    eot = BASE_VOCAB + SPECIAL_TOKENS.index("<|endoftext|>")
    im_end = BASE_VOCAB + SPECIAL_TOKENS.index("<|im_end|>")
    return {
        "bos_token_id": eot,
        "do_sample": False,
        "eos_token_id": [eot, im_end],
        "max_new_tokens": 256,
        "pad_token_id": eot,
        "transformers_version": "4.45.0",
    }


# ---------------------------------------------------------------------------------------------------------------
# Training data: plain code windows + fill-in-the-middle examples
# ---------------------------------------------------------------------------------------------------------------
class Data:
    def __init__(self, docs, tok, seq_len, seed):
        self.docs, self.tok, self.seq_len = docs, tok, seq_len
        self.rng = random.Random(seed)
        eot = tok.special["<|endoftext|>"]
        stream = []
        for d in docs:
            stream.extend(tok.encode_plain(d))
            stream.append(eot)
        self.stream = np.array(stream, dtype=np.int64)
        self.sp = tok.special
        self.doc_weights = [len(d) for d in docs]

    def plain(self):
        n = self.seq_len + 1
        o = self.rng.randrange(0, len(self.stream) - n)
        return self.stream[o : o + n].tolist(), n

    def fim(self):
        rng = self.rng
        while True:
            doc = rng.choices(self.docs, weights=self.doc_weights)[0]
            if len(doc) > 400:
                break
        length = rng.randint(80, 330)
        start = rng.randrange(0, len(doc) - length)
        start = doc.rfind("\n", 0, start) + 1  # start at a line start
        text = doc[start : start + length]
        i, j = sorted(rng.sample(range(len(text) + 1), 2))
        if rng.random() < 0.5:  # half of the spans are whole lines (common for completions)
            i = text.rfind("\n", 0, i) + 1
            nl = text.find("\n", j)
            j = nl + 1 if nl >= 0 else len(text)
        pre, mid, suf = text[:i], text[i:j], text[j:]
        ids = (
            [self.sp["<|fim_prefix|>"]] + self.tok.encode_plain(pre)
            + [self.sp["<|fim_suffix|>"]] + self.tok.encode_plain(suf)
            + [self.sp["<|fim_middle|>"]] + self.tok.encode_plain(mid)
            + [self.sp["<|endoftext|>"]]
        )
        n = min(len(ids), self.seq_len + 1)
        ids = ids[: self.seq_len + 1]
        return ids + [self.sp["<|endoftext|>"]] * (self.seq_len + 1 - len(ids)), n

    def batch(self, bs, fim_rate):
        rows, lens = [], []
        for _ in range(bs):
            ids, n = self.fim() if self.rng.random() < fim_rate else self.plain()
            rows.append(ids)
            lens.append(n)
        x = torch.tensor(rows, dtype=torch.int64)
        y = x[:, 1:].clone()
        for r, n in enumerate(lens):
            y[r, n - 1 :] = -100  # no loss on padding
        return x[:, :-1], y


def train(model, data, steps, bs, lr, label):
    decay = [p for n, p in model.named_parameters() if p.dim() >= 2]
    no_decay = [p for n, p in model.named_parameters() if p.dim() < 2]
    opt = torch.optim.AdamW([{"params": decay, "weight_decay": 0.1}, {"params": no_decay, "weight_decay": 0.0}],
                            lr=lr, betas=(0.9, 0.95))
    warm = max(1, steps // 20)
    model.train()
    t0, ema = time.time(), None
    for step in range(1, steps + 1):
        cur = lr * min(1.0, step / warm) * (0.1 + 0.9 * 0.5 * (1 + math.cos(math.pi * step / steps)))
        for g in opt.param_groups:
            g["lr"] = cur
        x, y = data.batch(bs, fim_rate=0.5)
        logits, _ = model(x)
        loss = F.cross_entropy(logits.reshape(-1, logits.shape[-1]), y.reshape(-1), ignore_index=-100)
        opt.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()
        ema = loss.item() if ema is None else 0.95 * ema + 0.05 * loss.item()
        if step % 50 == 0 or step == steps:
            print(f"[{label}] step {step}/{steps} loss {loss.item():.3f} (ema {ema:.3f}) lr {cur:.2e} "
                  f"{time.time() - t0:.0f}s", flush=True)
    model.eval()
    return ema


@torch.no_grad()
def greedy(model, tok, text, n=24):
    ids = tok.encode(text)
    out = []
    for _ in range(n):
        logits, _ = model(torch.tensor([ids + out]))
        nxt = int(logits[0, -1].argmax())
        if nxt == tok.special["<|endoftext|>"]:
            break
        out.append(nxt)
    return tok.decode(out)


# ---------------------------------------------------------------------------------------------------------------
# ONNX export and graph rewrites
# ---------------------------------------------------------------------------------------------------------------
class ExportWrapper(nn.Module):
    def __init__(self, model, with_position_ids):
        super().__init__()
        self.model, self.with_position_ids = model, with_position_ids

    def forward(self, input_ids, attention_mask, *rest):
        if self.with_position_ids:
            position_ids, flat = rest[0], rest[1:]
        else:
            position_ids, flat = None, rest
        past = [(flat[2 * i], flat[2 * i + 1]) for i in range(len(flat) // 2)]
        logits, presents = self.model(input_ids, attention_mask, position_ids, past)
        out = [logits]
        for k, v in presents:
            out += [k, v]
        return tuple(out)


def export_onnx(model, with_position_ids):
    """Trace with batch 2, seq 3, past 4 (a nonzero past so no dimension is specialised to 0), all axes dynamic."""
    c = model.c
    b, s, p = 2, 3, 4
    input_ids = torch.randint(0, BASE_VOCAB, (b, s), generator=torch.Generator().manual_seed(0))
    attention_mask = torch.ones(b, p + s, dtype=torch.int64)
    position_ids = torch.arange(p, p + s, dtype=torch.int64).unsqueeze(0).expand(b, s).contiguous()
    past = []
    for _ in range(c.num_hidden_layers):
        past += [torch.zeros(b, c.num_key_value_heads, p, c.head_dim), torch.zeros(b, c.num_key_value_heads, p, c.head_dim)]
    names_in = ["input_ids", "attention_mask"] + (["position_ids"] if with_position_ids else [])
    args = [input_ids, attention_mask] + ([position_ids] if with_position_ids else []) + past
    dyn = {
        "input_ids": {0: "batch_size", 1: "sequence_length"},
        "attention_mask": {0: "batch_size", 1: "total_sequence_length"},
        "logits": {0: "batch_size", 1: "sequence_length"},
    }
    if with_position_ids:
        dyn["position_ids"] = {0: "batch_size", 1: "sequence_length"}
    names_out = ["logits"]
    for i in range(c.num_hidden_layers):
        for kv in ("key", "value"):
            names_in.append(f"past_key_values.{i}.{kv}")
            names_out.append(f"present.{i}.{kv}")
            dyn[f"past_key_values.{i}.{kv}"] = {0: "batch_size", 2: "past_sequence_length"}
            dyn[f"present.{i}.{kv}"] = {0: "batch_size", 2: "total_sequence_length"}
    buf = io.BytesIO()
    with torch.no_grad():
        torch.onnx.export(ExportWrapper(model, with_position_ids), tuple(args), buf, input_names=names_in,
                          output_names=names_out, dynamic_axes=dyn, opset_version=14, do_constant_folding=True)
    m = onnx.load_from_string(buf.getvalue())
    m.producer_name = "ghost make-test-models.py"
    tie_lm_head(m)
    onnx.checker.check_model(m)
    return m


def save_onnx(m, path, external_data):
    m = onnx.ModelProto.FromString(m.SerializeToString())  # saving with external data rewrites the tensors
    os.makedirs(os.path.dirname(path), exist_ok=True)
    data_name = os.path.basename(path) + "_data"
    for p in (path, os.path.join(os.path.dirname(path), data_name)):
        if os.path.exists(p):
            os.remove(p)  # onnx appends to an existing external data file
    if external_data:
        onnx.save_model(m, path, save_as_external_data=True, all_tensors_to_one_file=True, location=data_name,
                        size_threshold=1024)
    else:
        onnx.save_model(m, path)


def tie_lm_head(m):
    """Constant folding turned the tied lm_head weight into a transposed copy of the embedding; replace the copy
    with a Transpose of the embedding initializer so the weights are stored once (what a tied model means)."""
    inits = {t.name: t for t in m.graph.initializer}
    gathers = [n for n in m.graph.node if n.op_type == "Gather" and n.input[0] in inits]
    for g in gathers:
        emb = numpy_helper.to_array(inits[g.input[0]])
        for node in m.graph.node:
            t = inits.get(node.input[1]) if node.op_type == "MatMul" else None
            if t is not None and list(t.dims) == [emb.shape[1], emb.shape[0]] and \
                    np.array_equal(numpy_helper.to_array(t), emb.T):
                out = g.input[0] + "_transposed"
                if not any(n.output[0] == out for n in m.graph.node):
                    m.graph.node.insert(0, helper.make_node("Transpose", [g.input[0]], [out], perm=[1, 0],
                                                            name="lm_head_tied_Transpose"))
                node.input[1] = out
    prune(m)
    return m


def prune(m):
    """Drop nodes whose outputs nobody reads and initializers nobody reads."""
    while True:
        used = {i for n in m.graph.node for i in n.input} | {o.name for o in m.graph.output}
        keep = [n for n in m.graph.node if any(o in used for o in n.output)]
        if len(keep) == len(m.graph.node):
            break
        del m.graph.node[:]
        m.graph.node.extend(keep)
    keep = [t for t in m.graph.initializer if t.name in used]
    del m.graph.initializer[:]
    m.graph.initializer.extend(keep)


def _matmul_weight(m, node, inits, producers):
    """(name, W[K,N]) when node is a MatMul whose B is a float initializer or a Transpose of one, else None."""
    if node.op_type != "MatMul":
        return None
    b = node.input[1]
    if b in inits:
        t = inits[b]
        if t.data_type == TensorProto.FLOAT and len(t.dims) == 2:
            return b, numpy_helper.to_array(t)
    p = producers.get(b)
    if p is not None and p.op_type == "Transpose" and p.input[0] in inits:
        w = numpy_helper.to_array(inits[p.input[0]])
        if w.ndim == 2 and w.dtype == np.float32:
            return b, w.T.copy()
    return None


def _rewrite_matmuls(m, rewrite):
    m = onnx.ModelProto.FromString(m.SerializeToString())
    inits = {t.name: t for t in m.graph.initializer}
    producers = {o: n for n in m.graph.node for o in n.output}
    nodes, added = [], set()
    for node in m.graph.node:
        found = _matmul_weight(m, node, inits, producers)
        new = rewrite(node, *found, added) if found else None
        nodes.extend(new if new is not None else [node])
    del m.graph.node[:]
    m.graph.node.extend(nodes)
    prune(m)
    return m


def quantize_int8(m):
    """Weight-only int8: W[K,N] -> int8 + per-output-channel scale, DequantizeLinear(axis=1) -> MatMul.
    Note: onnxruntime 1.30 fuses DequantizeLinear+MatMul into MatMulNBits(bits=8, accuracy_level=4), which
    quantizes activations to int8 on the fly (session option session.qdq_matmulnbits_accuracy_level, default 4);
    results are then close to, not bit-equal with, a different batch/padding layout of the same tokens."""
    def rewrite(node, name, w, added):
        base = name.replace(":", "_")
        out = []
        if base not in added:
            added.add(base)
            scale = (np.maximum(np.abs(w).max(axis=0), 1e-8) / 127.0).astype(np.float32)
            q = np.clip(np.round(w / scale), -127, 127).astype(np.int8)
            inits.extend([
                numpy_helper.from_array(q, base + "_quantized"),
                numpy_helper.from_array(scale, base + "_scale"),
                numpy_helper.from_array(np.zeros(w.shape[1], np.int8), base + "_zero_point"),
            ])
            out.append(helper.make_node("DequantizeLinear", [base + "_quantized", base + "_scale",
                                        base + "_zero_point"], [base + "_dequantized"],
                                        name=base + "_DequantizeLinear", axis=1))
        node.input[1] = base + "_dequantized"
        return out + [node]
    inits = []
    q = _rewrite_matmuls(m, rewrite)
    q.graph.initializer.extend(inits)
    onnx.checker.check_model(q)
    return q


def quantize_q4(m, block=32):
    """4-bit blockwise (symmetric, implicit zero point 8) com.microsoft MatMulNBits, as ORT's matmul_4bits_quantizer."""
    def rewrite(node, name, w, added):
        K, N = w.shape
        if K % block:
            return None
        base = name.replace(":", "_")
        if base not in added:
            added.add(base)
            wb = w.T.reshape(N, K // block, block)  # [N, blocks, block]
            absmax = np.abs(wb).max(axis=2)
            scale = np.where(absmax > 0, absmax / 7.0, 1.0).astype(np.float32)  # [N, blocks]
            q = np.clip(np.round(wb / scale[:, :, None]) + 8, 0, 15).astype(np.uint8)
            packed = (q[:, :, 0::2] | (q[:, :, 1::2] << 4)).astype(np.uint8)  # [N, blocks, block/2]
            inits.extend([numpy_helper.from_array(packed, base + "_Q4"),
                          numpy_helper.from_array(scale.reshape(-1), base + "_scales")])
        return [helper.make_node("MatMulNBits", [node.input[0], base + "_Q4", base + "_scales"], list(node.output),
                                 name=(node.name or base) + "_Q4", domain="com.microsoft",
                                 K=K, N=N, bits=4, block_size=block)]
    inits = []
    q = _rewrite_matmuls(m, rewrite)
    q.graph.initializer.extend(inits)
    q.opset_import.append(helper.make_opsetid("com.microsoft", 1))
    return q


def write_json(path, obj):
    with open(path, "w", encoding="utf-8") as f:
        json.dump(obj, f, indent=2, ensure_ascii=False)
        f.write("\n")


# ---------------------------------------------------------------------------------------------------------------
def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", default=os.path.join(ROOT, "test", "fixtures", "models"))
    ap.add_argument("--steps", type=int, default=500)
    ap.add_argument("--nopos-steps", type=int, default=150)
    ap.add_argument("--threads", type=int, default=2)
    args = ap.parse_args()
    torch.set_num_threads(args.threads)
    random.seed(SEED)
    np.random.seed(SEED)
    torch.manual_seed(SEED)
    t0 = time.time()

    docs = read_corpus()
    print(f"corpus: {len(docs)} files, {sum(map(len, docs)) / 1e6:.2f} M chars", flush=True)
    split_re = python_split_regex()
    vocab, merges = train_bpe(docs, split_re, BASE_VOCAB)
    assert len(vocab) == BASE_VOCAB, len(vocab)
    tok = ByteBPE(vocab, merges, split_re)
    print(f"bpe: {len(vocab)} tokens, {len(merges)} merges ({time.time() - t0:.0f}s)", flush=True)
    sample = "export function add(a: number, b: number): number {\n  return a + b; // café ✓\n}\n"
    assert tok.decode(tok.encode(sample)) == sample

    data = Data(docs, tok, seq_len=128, seed=SEED)
    print(f"tokens: {len(data.stream) / 1e6:.2f} M ({sum(map(len, docs)) / len(data.stream):.2f} chars/token)",
          flush=True)

    models = {
        "tiny-coder": (Cfg(vocab_size=MODEL_VOCAB, hidden_size=128, intermediate_size=352, num_hidden_layers=4,
                           num_attention_heads=4, num_key_value_heads=2, head_dim=32, max_position_embeddings=2048,
                           rms_norm_eps=1e-6, rope_theta=10000.0), args.steps, 16, 4e-3, True),
        "tiny-coder-nopos": (Cfg(vocab_size=MODEL_VOCAB, hidden_size=64, intermediate_size=176, num_hidden_layers=2,
                                 num_attention_heads=2, num_key_value_heads=1, head_dim=32,
                                 max_position_embeddings=2048, rms_norm_eps=1e-6, rope_theta=10000.0),
                             args.nopos_steps, 16, 4e-3, False),
    }
    tj, tcj = tokenizer_json(vocab, merges), tokenizer_config_json()
    for name, (c, steps, bs, lr, full) in models.items():
        torch.manual_seed(SEED)
        data.rng.seed(SEED)
        model = Qwen2(c)
        n_params = sum(p.numel() for p in model.parameters())
        print(f"{name}: {n_params / 1e6:.2f} M parameters, training {steps} steps x {bs} x {data.seq_len}", flush=True)
        loss = train(model, data, steps, bs, lr, name)
        print(f"{name}: final training loss (ema) {loss:.3f}")
        for prompt in ["function greet(name) {\n  console.log", "<|fim_prefix|>function add(a, b) {\n  return "
                       "<|fim_suffix|>;\n}\n<|fim_middle|>"]:
            print(f"{name}: greedy {prompt!r} -> {greedy(model, tok, prompt)!r}")

        d = os.path.join(args.out, name)
        if os.path.isdir(d):
            shutil.rmtree(d)
        os.makedirs(os.path.join(d, "onnx"))
        cfg = hf_config(c)
        if full:
            cfg["transformers.js_config"] = {"use_external_data_format": {"model.onnx": True}}
        write_json(os.path.join(d, "config.json"), cfg)
        write_json(os.path.join(d, "generation_config.json"), generation_config())
        write_json(os.path.join(d, "tokenizer.json"), tj)
        write_json(os.path.join(d, "tokenizer_config.json"), tcj)
        m = export_onnx(model, with_position_ids=full)
        save_onnx(m, os.path.join(d, "onnx", "model.onnx"), external_data=full)
        if full:
            save_onnx(quantize_int8(m), os.path.join(d, "onnx", "model_quantized.onnx"), external_data=False)
            save_onnx(quantize_q4(m), os.path.join(d, "onnx", "model_q4.onnx"), external_data=False)
    for dirpath, _, files in sorted(os.walk(args.out)):
        for f in sorted(files):
            p = os.path.join(dirpath, f)
            print(f"{os.path.getsize(p):>10}  {os.path.relpath(p, ROOT)}")
    print(f"done in {time.time() - t0:.0f}s; check with: node scripts/verify-test-models.mjs")


if __name__ == "__main__":
    main()
