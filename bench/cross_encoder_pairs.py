"""Write the labelled pairs a cross-encoder is trained on, as JSON lines, for bench/train_cross_encoder.py.

    uv run python bench/cross_encoder_pairs.py > /tmp/pairs.jsonl

The pairs of bench/fit_judge.py as text: ECB+ topics (positive, in_story, cross, and random
unannotated in-story background pairs), then MRPC train. Each line: ``a``, ``b``, ``kind``, ``y``
and ``g``, the fold group (an ECB+ topic, or -1 - k for MRPC fold k of 5).
"""

from __future__ import annotations

import json
import random
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import ecbplus  # noqa: E402
import mrpc  # noqa: E402

BACKGROUND_PER_TOPIC = 150


def main() -> int:
    rng = random.Random(0)
    for tp in ecbplus.load():
        sents = [s for d in tp.docs for s in d.sentences]
        annotated = {s for p in tp.pairs for s in p}
        pool = [s for s in sents if s not in annotated and not s.heading]
        rows = [(a.text, b.text, lab) for (a, b), lab in zip(tp.pairs, tp.labels, strict=True)]
        for _ in range(BACKGROUND_PER_TOPIC * 10):
            if len(rows) >= len(tp.pairs) + BACKGROUND_PER_TOPIC or len(pool) < 2:
                break
            a, b = rng.sample(pool, 2)
            if a.doc != b.doc and tp.subtopic[a.doc] == tp.subtopic[b.doc]:
                rows.append((a.text, b.text, "background"))
        for a, b, kind in rows:
            print(json.dumps({"a": a, "b": b, "kind": kind, "y": int(kind == "positive"), "g": int(tp.topic)}))
    for k, (a, b, y) in enumerate(zip(*mrpc.read_tsv(), strict=True)):
        print(json.dumps({"a": a, "b": b, "kind": "mrpc", "y": y, "g": -1 - k % 5}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
