#!/usr/bin/env python3
"""Oracle for byte preservation: decodes original and edited models with onnx (external data not loaded) and
compares serialized parts.

stdin: {"pairs": [{"original": path, "edited": path, "mode": "mark" | "extract", "added": [names]}]}
  mark: everything but graph.output is identical, the original outputs come first unchanged, then `added`.
  extract: every edited node serializes exactly like the original node with the same outputs (unknown
    fields included), and opset_import/ir_version/metadata_props are unchanged.
stdout: {"results": [{"problems": [str], "checked": int}]}
"""
import json
import sys

import onnx


def ser(m):
    return m.SerializeToString(deterministic=True)


def compare_mark(a, b, added):
    problems, checked = [], 0
    ta, tb = onnx.ModelProto(), onnx.ModelProto()
    ta.CopyFrom(a)
    tb.CopyFrom(b)
    ta.ClearField("graph")
    tb.ClearField("graph")
    checked += 1
    if ser(ta) != ser(tb):
        problems.append("model fields other than graph differ")
    ga, gb = onnx.GraphProto(), onnx.GraphProto()
    ga.CopyFrom(a.graph)
    gb.CopyFrom(b.graph)
    ga.ClearField("output")
    gb.ClearField("output")
    checked += 1
    if ser(ga) != ser(gb):
        problems.append("graph fields other than output differ")
    n = len(a.graph.output)
    for i in range(n):
        checked += 1
        if i >= len(b.graph.output) or ser(a.graph.output[i]) != ser(b.graph.output[i]):
            problems.append(f"original output {i} ({a.graph.output[i].name}) changed")
    names = [o.name for o in b.graph.output[n:]]
    checked += 1
    if names != added:
        problems.append(f"added outputs are {names[:5]}..., expected {added[:5]}...")
    return problems, checked


def compare_extract(a, b):
    problems, checked = [], 0
    by_outputs = {tuple(n.output): ser(n) for n in a.graph.node}
    for node in b.graph.node:
        checked += 1
        if by_outputs.get(tuple(node.output)) != ser(node):
            problems.append(f"node {node.name or node.output[0]} differs from the original")
    for field in ("ir_version", "opset_import", "metadata_props"):
        checked += 1
        if getattr(a, field) != getattr(b, field):
            problems.append(f"{field} differs")
    return problems, checked


def main():
    job = json.load(sys.stdin)
    results = []
    for pair in job["pairs"]:
        a = onnx.load(pair["original"], load_external_data=False)
        b = onnx.load(pair["edited"], load_external_data=False)
        if pair["mode"] == "mark":
            problems, checked = compare_mark(a, b, pair["added"])
        else:
            problems, checked = compare_extract(a, b)
        results.append({"problems": problems, "checked": checked})
    json.dump({"results": results}, sys.stdout)


if __name__ == "__main__":
    main()
