"""How facts group on ECB+'s real articles: are sentences of one event in one row, and only they?

    uv run python bench/facts_ecbplus.py                 # every topic in ../shared/data/ecbplus
    uv run python bench/facts_ecbplus.py --topics 1 2 3

Each topic folder is aligned as the reader aligns a folder. Among the gold's annotated sentence
pairs (bench/ecbplus.py), counted over the facts the engine makes:
- together: pairs that tell one event (share an event chain), both in some fact, in the same fact
  rather than in two rows (one fact, one row);
- within a fact: pairs of sentences in one fact that tell one event, against those that tell two
  (same story or another one): what a row mixes.
A script, not a test: figures go in docs/engine.md.
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import ecbplus  # noqa: E402

import align  # noqa: E402


def main(argv: list[str]) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--topics", nargs="*", help="topic numbers (default: all)")
    args = ap.parse_args(argv)
    facts = together = apart = 0
    within: Counter[str] = Counter()
    for tp in ecbplus.load(only=args.topics):
        result = align.align(tp.docs)
        facts += len(result.facts)
        label = {frozenset(p): lab for p, lab in zip(tp.pairs, tp.labels, strict=True)}
        facts_of: dict[align.Sentence, set[int]] = {}
        seen: set[frozenset[align.Sentence]] = set()  # a pair in two facts is counted once
        for f in result.facts:
            for s in f.sentences:
                facts_of.setdefault(s, set()).add(f.id)
            for i, a in enumerate(f.sentences):
                for b in f.sentences[i + 1 :]:
                    key = frozenset((a, b))
                    if a.doc != b.doc and key not in seen and (lab := label.get(key)):
                        seen.add(key)
                        within[lab] += 1
        for (a, b), lab in zip(tp.pairs, tp.labels, strict=True):
            if lab == "positive" and a in facts_of and b in facts_of:
                if facts_of[a] & facts_of[b]:
                    together += 1
                else:
                    apart += 1
    pairs = sum(within.values())
    print(
        f"facts {facts}; one-event pairs in facts: together {together}, apart {apart} ({together / max(1, together + apart):.3f})"
    )
    print(
        f"pairs within a fact: {pairs}, telling one event {within['positive']} ({within['positive'] / max(1, pairs):.3f}), "
        f"two of one story {within['in_story']}, two stories {within['cross']}"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
