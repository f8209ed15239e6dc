#!/usr/bin/env python3
"""Averages the weights of exported recognizers ("model soup"): soup.py OUT IN...

The inputs must be the same network fine-tuned from one starting model
(train.py --init-onnx, batch norms frozen, so every file's folded weights
mean the same thing); their average reads better than most of its parts,
which differ from one another by seeds alone (README.md)."""
import sys

import onnx
from onnx import numpy_helper


def main():
    if len(sys.argv) < 3:
        sys.exit("usage: soup.py OUT.onnx IN.onnx...")
    out, paths = sys.argv[1], sys.argv[2:]
    models = []
    for p in paths:
        try:
            models.append(onnx.load(p))
        except Exception as e:  # a missing, truncated or foreign file
            sys.exit(f"soup: read {p}: {e}")
    base = models[0]
    names = [i.name for i in base.graph.initializer]
    for p, m in zip(paths[1:], models[1:]):
        if [i.name for i in m.graph.initializer] != names:
            sys.exit(f"soup: {p} is not the same network as {paths[0]}")
    for k, init in enumerate(base.graph.initializer):
        arrs = [numpy_helper.to_array(m.graph.initializer[k]) for m in models]
        if any(a.shape != arrs[0].shape for a in arrs):
            sys.exit(f"soup: weight {init.name} differs in shape between the inputs")
        avg = sum(a.astype("float64") for a in arrs) / len(arrs)
        init.CopyFrom(numpy_helper.from_array(avg.astype(arrs[0].dtype), init.name))
    onnx.checker.check_model(base)
    onnx.save(base, out)


if __name__ == "__main__":
    main()
