#!/usr/bin/python3
"""Makes test/fixtures/graphs/*.onnx: tiny graphs that are valid ONNX but not causal LMs Ghost can drive, for the
bad-input tests. Needs Debian's python3-onnx (apt-get install python3-onnx). Runs in well under a second."""
import onnx
from onnx import TensorProto, helper

def save(graph, name):
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 14)])
    onnx.checker.check_model(model)
    onnx.save(model, f"test/fixtures/graphs/{name}")

# A plain classifier-like graph: input_ids in, logits out, no KV cache at all.
save(helper.make_graph(
    [helper.make_node("Cast", ["input_ids"], ["logits"], to=TensorProto.FLOAT)],
    "no-kv-cache",
    [helper.make_tensor_value_info("input_ids", TensorProto.INT64, ["batch", "seq"])],
    [helper.make_tensor_value_info("logits", TensorProto.FLOAT, ["batch", "seq"])],
), "no-kv-cache.onnx")
