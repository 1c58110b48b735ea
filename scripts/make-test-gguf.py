#!/usr/bin/python3
"""Convert the tiny-coder test model (test/fixtures/models/tiny-coder, ONNX layout) to GGUF for llama.cpp's server.

Writes test/fixtures/models/tiny-coder/gguf/tiny-coder-f32.gguf: the same Qwen2 weights in float32 (so llama.cpp's
greedy output can be compared token for token with Ghost's onnxruntime engine), the same byte-level BPE tokenizer
and special tokens, ChatML chat template.

Why not llama.cpp's convert_hf_to_gguf.py: it reads safetensors and builds the vocabulary with transformers'
AutoTokenizer, neither of which is installed here (PyPI is unreachable; Debian packages neither). This script uses
the same llama.cpp source's gguf-py instead (GGUFWriter, TensorNameMap, SpecialVocab: the converter's own tensor
names, metadata keys and special-token handling) and sets what convert_hf_to_gguf.py's Qwen2Model sets. gguf-py
comes from the llama.cpp that scripts/llama-server.sh builds (node-llama-cpp@3.21.1's bundle), which it keeps
beside the binary.

The weights are the ONNX initializers. The named ones (embedding, norms, q/k/v biases) keep their PyTorch names; the
projection weights were constant-folded by the export into anonymous `onnx::MatMul_N` tensors stored transposed
([in, out]), so each is named after the MatMul node that reads it (/model/layers.0/self_attn/q_proj/MatMul ->
model.layers.0.self_attn.q_proj.weight) and transposed back. The output head is tied to the embedding (llama.cpp
uses token_embd when there is no output.weight).

Pre-tokenizer: tokenizer.json splits with Qwen2's regex (then ByteLevel), which is llama.cpp's "qwen2" pre-tokenizer.
tokenizer.json also has an NFC normalizer, which llama.cpp's BPE does not apply: text already in NFC (nearly all)
tokenizes the same. test/model/remote/llama-server.test.ts checks the server's /tokenize against Ghost's tokenizer.

Needs: Debian's python3-onnx (and numpy), and `bash scripts/llama-server.sh` done (for gguf-py). No network.
Run:   /usr/bin/python3 scripts/make-test-gguf.py        (from the repository root; seconds)
Options: --model DIR, --out FILE, --gguf-py DIR, --type f32|q8_0 (q8_0: llama.cpp's 8-bit blocks for the 2-D weights,
as its own quantizer makes them, norms and biases stay float32; for side-by-side benchmarks of int8 weights).
"""

import argparse
import json
import os
import re
import sys

import numpy as np
import onnx
from onnx import numpy_helper

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
GHOST_HOME = os.environ.get("GHOST_HOME") or os.path.join(os.path.expanduser("~"), ".cache", "ghost")
GGUF_PY = os.path.join(GHOST_HOME, "tools", "llama-server-3.21.1", "gguf-py")
MATMUL_NODE = re.compile(r"^/model/layers\.(\d+)/(self_attn|mlp)/(\w+)/MatMul$")


def onnx_weights(model_dir):
    """{PyTorch name: float32 array in PyTorch layout} from onnx/model.onnx and its external data."""
    onnx_dir = os.path.join(model_dir, "onnx")
    m = onnx.load(os.path.join(onnx_dir, "model.onnx"), load_external_data=False)
    arrays = {t.name: numpy_helper.to_array(t, base_dir=onnx_dir) for t in m.graph.initializer}
    # torch.onnx stores equal tensors once (the bench model's all-ones norms, its zero biases) and names the others
    # by an Identity of the one it kept.
    for node in m.graph.node:
        if node.op_type == "Identity" and node.input[0] in arrays and node.output[0].startswith("model."):
            arrays[node.output[0]] = arrays[node.input[0]]
    weights = {name: a for name, a in arrays.items() if name.startswith("model.")}
    for node in m.graph.node:
        match = MATMUL_NODE.match(node.name)
        if node.op_type == "MatMul" and match and node.input[1] in arrays:
            layer, block, proj = match.groups()
            weights[f"model.layers.{layer}.{block}.{proj}.weight"] = arrays[node.input[1]].T  # [in,out] -> [out,in]
    return {name: np.ascontiguousarray(a, dtype=np.float32) for name, a in weights.items()}


def vocabulary(model_dir, vocab_size, gguf):
    """Token strings and types by id, as convert_hf_to_gguf.py's get_vocab_base() makes them for a GPT-2-style BPE."""
    with open(os.path.join(model_dir, "tokenizer.json"), encoding="utf-8") as f:
        tj = json.load(f)
    by_id = {i: (text, gguf.TokenType.NORMAL) for text, i in tj["model"]["vocab"].items()}
    for added in tj["added_tokens"]:
        by_id[added["id"]] = (added["content"], gguf.TokenType.CONTROL if added["special"] else gguf.TokenType.USER_DEFINED)
    assert max(by_id) < vocab_size, f"token id {max(by_id)} is past the model's vocab_size {vocab_size}"
    tokens = [by_id.get(i, (f"[PAD{i}]", gguf.TokenType.UNUSED)) for i in range(vocab_size)]
    return [text for text, _ in tokens], [kind for _, kind in tokens], tj


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--model", default=os.path.join(ROOT, "test", "fixtures", "models", "tiny-coder"))
    ap.add_argument("--out", default=None, help="default: MODEL/gguf/tiny-coder-TYPE.gguf")
    ap.add_argument("--gguf-py", default=GGUF_PY, help="llama.cpp's gguf-py folder (default: %(default)s)")
    ap.add_argument("--type", choices=["f32", "q8_0"], default="f32", help="weight type of the 2-D tensors")
    args = ap.parse_args()
    if not os.path.isfile(os.path.join(args.gguf_py, "gguf", "__init__.py")):
        sys.exit(f"make-test-gguf: no gguf-py at {args.gguf_py}: run `bash scripts/llama-server.sh` first")
    sys.path.insert(0, args.gguf_py)
    import gguf

    out = args.out or os.path.join(args.model, "gguf", f"tiny-coder-{args.type}.gguf")
    with open(os.path.join(args.model, "config.json"), encoding="utf-8") as f:
        c = json.load(f)
    assert c["model_type"] == "qwen2" and c["tie_word_embeddings"], "expects a tied Qwen2 model"
    assert c["head_dim"] * c["num_attention_heads"] == c["hidden_size"], "llama.cpp's qwen2 assumes head_dim = hidden/heads"

    arch = gguf.MODEL_ARCH.QWEN2
    os.makedirs(os.path.dirname(out), exist_ok=True)
    w = gguf.GGUFWriter(out, gguf.MODEL_ARCH_NAMES[arch])
    # What TextModel.set_gguf_parameters() writes for this config (no rope scaling, no sliding window).
    w.add_name(os.path.basename(os.path.normpath(args.model)))
    w.add_file_type(gguf.LlamaFileType.ALL_F32 if args.type == "f32" else gguf.LlamaFileType.MOSTLY_Q8_0)
    w.add_block_count(c["num_hidden_layers"])
    w.add_context_length(c["max_position_embeddings"])
    w.add_embedding_length(c["hidden_size"])
    w.add_feed_forward_length(c["intermediate_size"])
    w.add_head_count(c["num_attention_heads"])
    w.add_head_count_kv(c["num_key_value_heads"])
    w.add_rope_freq_base(c["rope_theta"])
    w.add_layer_norm_rms_eps(c["rms_norm_eps"])

    # What _set_vocab_gpt2() writes, with the pre-tokenizer named rather than detected from a hash of
    # AutoTokenizer's output (see the module docstring).
    tokens, types, _ = vocabulary(args.model, c["vocab_size"], gguf)
    w.add_tokenizer_model("gpt2")
    w.add_tokenizer_pre("qwen2")
    w.add_token_list(tokens)
    w.add_token_types(types)
    special = gguf.SpecialVocab(args.model, load_merges=True, n_vocab=len(tokens))
    assert special.merges, "tokenizer.json has no merges"
    special.add_to_gguf(w)

    names = gguf.TensorNameMap(arch, c["num_hidden_layers"])
    weights = onnx_weights(args.model)
    expected = 2 + c["num_hidden_layers"] * 12  # embedding, final norm; per layer 2 norms, q/k/v and biases, o, 3 mlp
    assert len(weights) == expected, f"found {len(weights)} weights, expected {expected}: {sorted(weights)}"
    for name, data in weights.items():
        new_name = names.get_name(name, try_suffixes=(".weight", ".bias"))
        assert new_name is not None, f"no GGUF name for {name}"
        if args.type == "q8_0" and data.ndim == 2:
            q8 = gguf.GGMLQuantizationType.Q8_0
            w.add_tensor(new_name, gguf.quants.quantize(data, q8), raw_shape=gguf.quant_shape_to_byte_shape(data.shape, q8), raw_dtype=q8)
        else:
            w.add_tensor(new_name, data)

    w.write_header_to_file()
    w.write_kv_data_to_file()
    w.write_tensors_to_file()
    w.close()
    print(f"make-test-gguf: wrote {os.path.relpath(out, ROOT)} ({os.path.getsize(out)} bytes, {len(weights)} tensors)")


if __name__ == "__main__":
    main()
