"""Write the labelled pairs a cross-encoder is trained on, as JSON lines, for bench/train_cross_encoder.py.

    uv run python bench/cross_encoder_pairs.py > /tmp/pairs.jsonl

The pairs of bench/fit_judge.py as text: ECB+ topics (positive, in_story, cross, and random
unannotated in-story background pairs), then MRPC train. Each line: ``a``, ``b``, ``kind``, ``y``,
``g``, the fold group (an ECB+ topic, or -1 - k for MRPC fold k of 5), and for ECB+ ``share``, the
share of their events the two sentences have in common (ecbplus.TopicPairs.shares).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

import ecbplus  # noqa: E402
import mrpc  # noqa: E402

BACKGROUND_PER_TOPIC = 150


def main() -> int:
    rng = np.random.default_rng(0)
    for tp in ecbplus.load():
        background = ecbplus.background_pairs(tp, BACKGROUND_PER_TOPIC, rng)
        rows = [(a.text, b.text, lab, sh) for (a, b), lab, sh in zip(tp.pairs, tp.labels, tp.shares, strict=True)]
        rows += [(a.text, b.text, "background", 0.0) for a, b in background]
        for a, b, kind, share in rows:
            row = {"a": a, "b": b, "kind": kind, "y": int(kind == "positive"), "g": int(tp.topic), "share": share}
            print(json.dumps(row))
    for k, (a, b, y) in enumerate(zip(*mrpc.read_tsv(), strict=True)):
        print(json.dumps({"a": a, "b": b, "kind": "mrpc", "y": y, "g": -1 - k % 5}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
