#!/usr/bin/env python3
"""Runs onnx.checker.check_model on model files (by path, so external data is checked where it lies).

stdin: {"paths": [path]}
stdout: {"onnx": version, "results": [{"path": path, "error": str | null}]}
"""
import json
import sys

import onnx
import onnx.checker


def main():
    job = json.load(sys.stdin)
    results = []
    for path in job["paths"]:
        try:
            onnx.checker.check_model(path)
            results.append({"path": path, "error": None})
        except Exception as e:  # the checker's ValidationError, or a file onnx cannot parse
            results.append({"path": path, "error": str(e).strip().splitlines()[0] if str(e).strip() else type(e).__name__})
    json.dump({"onnx": onnx.__version__, "results": results}, sys.stdout)


main()
