"""Oracle for src/core/textPrinter.ts: does printed ONNX text parse back to the same model?

Usage: python3 text_roundtrip.py IN.jsonl OUT.json
IN.jsonl holds one {"path": model file, "text": our text} per line. For each model this prints it with
onnx's own printer, parses both texts with onnx.parser.parse_model and compares each result with the
model as loaded. One process for all models: starting Python per model would dominate the run time.
"""
import json
import sys

import numpy as np
import onnx
import onnx.parser
import onnx.printer
from onnx import numpy_helper

A = onnx.AttributeProto


def type_str(t):
    """Canonical text of a TypeProto (denotations are not in the text form)."""
    which = t.WhichOneof("value")
    if which in ("tensor_type", "sparse_tensor_type"):
        tt = getattr(t, which)
        dims = None
        if tt.HasField("shape"):
            dims = [d.dim_value if d.HasField("dim_value") else (d.dim_param if d.HasField("dim_param") else "?")
                    for d in tt.shape.dim]
        return f"{which}:{tt.elem_type}:{dims}"
    if which == "sequence_type":
        return f"seq({type_str(t.sequence_type.elem_type)})"
    if which == "optional_type":
        return f"optional({type_str(t.optional_type.elem_type)})"
    if which == "map_type":
        return f"map({t.map_type.key_type},{type_str(t.map_type.value_type)})"
    if which == "opaque_type":
        return f"opaque({t.opaque_type.domain},{t.opaque_type.name})"
    return "none"


def tensor_key(t):
    """Name, type, dims and values (as bytes, so NaNs compare) of a TensorProto."""
    head = (t.name, t.data_type, tuple(t.dims))
    if t.data_location == onnx.TensorProto.EXTERNAL:
        return head + (tuple((e.key, e.value) for e in t.external_data),)
    try:
        arr = numpy_helper.to_array(t)
    except Exception as e:  # types numpy_helper cannot read: compare the stored fields
        return head + ("unreadable", type(e).__name__, t.raw_data, tuple(t.int32_data), tuple(t.float_data))
    if arr.dtype == object:
        return head + (tuple(arr.ravel().tolist()),)
    return head + (str(arr.dtype), np.ascontiguousarray(arr).tobytes())


def f32(x):
    return np.float32(x).tobytes()


def attr_key(a):
    if a.ref_attr_name:
        return (a.name, a.type, "@", a.ref_attr_name)
    v = {
        A.FLOAT: lambda: f32(a.f),
        A.INT: lambda: a.i,
        A.STRING: lambda: a.s,
        A.TENSOR: lambda: tensor_key(a.t),
        A.GRAPH: lambda: graph_key(a.g),
        A.FLOATS: lambda: tuple(f32(x) for x in a.floats),
        A.INTS: lambda: tuple(a.ints),
        A.STRINGS: lambda: tuple(a.strings),
        A.TENSORS: lambda: tuple(tensor_key(t) for t in a.tensors),
        A.GRAPHS: lambda: tuple(graph_key(g) for g in a.graphs),
        A.TYPE_PROTO: lambda: type_str(a.tp),
        A.TYPE_PROTOS: lambda: tuple(type_str(t) for t in a.type_protos),
    }.get(a.type, lambda: None)()
    return (a.name, a.type, v)


def node_key(n):
    return (n.name, n.domain, n.op_type, n.overload, tuple(n.input), tuple(n.output),
            tuple(attr_key(a) for a in n.attribute))


def vi_key(v):
    return (v.name, type_str(v.type))


def graph_key(g):
    return {
        "name": g.name,
        "input": [vi_key(v) for v in g.input],
        "output": [vi_key(v) for v in g.output],
        "value_info": [vi_key(v) for v in g.value_info],
        "initializer": [tensor_key(t) for t in g.initializer],
        "node": [node_key(n) for n in g.node],
    }


def opsets(ops):
    return sorted((o.domain, o.version) for o in ops)


def model_key(m):
    return {
        "ir_version": m.ir_version, "opset_import": opsets(m.opset_import),
        "producer_name": m.producer_name, "producer_version": m.producer_version, "domain": m.domain,
        "model_version": m.model_version, "doc_string": m.doc_string,
        "metadata_props": [(p.key, p.value) for p in m.metadata_props],
        "graph": graph_key(m.graph),
        "functions": [(f.domain, f.name, f.overload, tuple(f.input), tuple(f.output), tuple(f.attribute),
                       opsets(f.opset_import), tuple(node_key(n) for n in f.node)) for f in m.functions],
    }


def first_difference(a, b, path="model"):
    """Where two keys first differ, for the report."""
    if type(a) is not type(b):
        return path
    if isinstance(a, dict):
        for k in a:
            if a[k] != b.get(k):
                return first_difference(a[k], b.get(k), f"{path}.{k}")
    elif isinstance(a, (list, tuple)):
        if len(a) != len(b):
            return f"{path} (length {len(a)} vs {len(b)})"
        for i, (x, y) in enumerate(zip(a, b)):
            if x != y:
                return first_difference(x, y, f"{path}[{i}]")
    return path


def check(text, want):
    try:
        got = model_key(onnx.parser.parse_model(text))
    except Exception as e:
        return {"parses": False, "equal": False, "error": str(e)[:300]}
    if got == want:
        return {"parses": True, "equal": True}
    return {"parses": True, "equal": False, "error": f"differs at {first_difference(want, got)}"}


def main(src, dst):
    results = []
    with open(src, encoding="utf-8") as f:
        for line in f:
            item = json.loads(line)
            model = onnx.load(item["path"], load_external_data=False)
            want = model_key(model)
            theirs = onnx.printer.to_text(model)
            results.append({
                "path": item["path"],
                "onnx": check(theirs, want),
                "ours": check(item["text"], want),
                "identical": theirs == item["text"],
            })
    with open(dst, "w", encoding="utf-8") as f:
        json.dump({"onnx_version": onnx.__version__, "results": results}, f)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
