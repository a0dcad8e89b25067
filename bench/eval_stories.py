"""How well align.find_stories recovers ECB+ sub-topics: adjusted Rand index per topic, held out by folds.

Each ECB+ topic folder mixes two real events of one kind; the gold names each document's sub-topic.
The cut is chosen on the other topics (leave one topic out) and applied to the held-out one, so
no figure reports a cut fitted on its own topic. File names are used for the gold only.

    uv run python bench/eval_stories.py [--data ../shared/data/ecbplus] [--folds 33]
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from math import comb
from pathlib import Path

import numpy as np

import align
from align import stories

CUTS = [round(0.30 + 0.02 * k, 2) for k in range(35)]  # 0.30 .. 0.98


def ari(truth: list[str], found: list[int]) -> float:
    """Adjusted Rand index of two labellings (Hubert & Arabie), 1.0 when both are one group."""
    n = len(truth)
    table = Counter(zip(truth, found, strict=True))
    a = Counter(truth)
    b = Counter(found)
    index = sum(comb(c, 2) for c in table.values())
    sa = sum(comb(c, 2) for c in a.values())
    sb = sum(comb(c, 2) for c in b.values())
    expected = sa * sb / comb(n, 2)
    top = (sa + sb) / 2
    if top == expected:
        return 1.0
    return (index - expected) / (top - expected)


def load_topic(folder: Path) -> tuple[list[align.Document], list[str]]:
    docs, _ = align.load_documents([folder])
    gold = json.loads((folder.parent / f"{folder.name}.gold.json").read_text())["documents"]
    return docs, [gold[d.name]["subtopic"] for d in docs]


# Weight settings the nested folds choose among (with the cut): name, figure and date weights.
SETTINGS = [(n, f, d) for n in (2.0, 3.0) for f in (2.0, 3.0) for d in (2.0, 3.0)]


def curve(topics: list[tuple[list[align.Document], list[str]]], setting: tuple[float, float, float]) -> np.ndarray:
    """ARI of every topic (rows) at every cut (columns) under one weight setting."""
    shipped = (stories.NAME_WEIGHT, stories.FIGURE_WEIGHT, stories.DATE_WEIGHT)
    stories.NAME_WEIGHT, stories.FIGURE_WEIGHT, stories.DATE_WEIGHT = setting
    try:
        rows = []
        for docs, truth in topics:
            vectors = stories.document_vectors(docs)
            sim = stories.similarities(vectors)
            weak = [len(v) < stories.MIN_TERMS for v in vectors]
            rows.append([ari(truth, stories.group_labels(sim, weak, cut)) for cut in CUTS])
        return np.array(rows)
    finally:
        stories.NAME_WEIGHT, stories.FIGURE_WEIGHT, stories.DATE_WEIGHT = shipped


def main() -> int:
    p = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    p.add_argument("--data", default=str(Path(__file__).resolve().parents[2] / "shared" / "data" / "ecbplus"))
    p.add_argument("--folds", type=int, default=0, help="topic folds (default: leave one topic out)")
    p.add_argument(
        "--rows", action="store_true", help="also align each topic and count exported rows that join two sub-topics"
    )
    args = p.parse_args()
    root = Path(args.data)
    folders = sorted((d for d in root.iterdir() if d.is_dir() and d.name.isdigit()), key=lambda d: int(d.name))
    if not folders:
        print(f"eval_stories: no topic folders in {root}", file=sys.stderr)
        return 2
    topics = [load_topic(f) for f in folders]
    names = [f.name for f in folders]
    shipped = (stories.NAME_WEIGHT, stories.FIGURE_WEIGHT, stories.DATE_WEIGHT)
    curves = {s: curve(topics, s) for s in dict.fromkeys([shipped, *SETTINGS])}
    k = args.folds or len(names)
    fold = np.arange(len(names)) % k
    # Held out: the shipped weights with the cut the other folds choose; and weights and cut both chosen there.
    fixed = np.zeros(len(names))
    nested = np.zeros(len(names))
    chosen: list[str] = [""] * len(names)
    for f in range(k):
        train, test = fold != f, fold == f
        c = int(np.argmax(curves[shipped][train].mean(0)))
        fixed[test] = curves[shipped][test, c]
        best = max(curves, key=lambda s: curves[s][train].mean(0).max())
        c = int(np.argmax(curves[best][train].mean(0)))
        nested[test] = curves[best][test, c]
        for i in np.flatnonzero(test):
            chosen[i] = f"{best[0]:g}/{best[1]:g}/{best[2]:g} {CUTS[c]:.2f}"
    print(f"{'topic':>5} {'docs':>4} {'ARI':>6} {'nested':>6}  names/figures/dates cut (nested)")
    for i, t in enumerate(names):
        print(f"{t:>5} {len(topics[i][0]):>4} {fixed[i]:>6.3f} {nested[i]:>6.3f}  {chosen[i]}")
    print(f"mean held-out ARI, shipped weights, cut by {k} folds: {fixed.mean():.3f} (median {np.median(fixed):.3f})")
    print(f"mean held-out ARI, weights and cut by {k} folds: {nested.mean():.3f}")
    whole = curves[shipped].mean(0)
    print(f"shipped cut {stories.DEFAULT_CUT:.2f}: mean ARI {whole[CUTS.index(stories.DEFAULT_CUT)]:.3f}")
    print("curve (shipped weights): " + " ".join(f"{c:.2f}:{v:.3f}" for c, v in zip(CUTS, whole, strict=True)))
    if args.rows:
        rows_across(topics)
    return 0


def rows_across(topics: list[tuple[list[align.Document], list[str]]]) -> None:
    """Exported pairs that join two sub-topics, each topic aligned as one story and story by story."""
    whole = split = whole_across = split_across = 0
    for docs, truth in topics:
        gold = {d.name: t for d, t in zip(docs, truth, strict=True)}
        one = align.align(docs)
        whole += len(one.pairs)
        whole_across += sum(gold[one.documents[p.a.doc].name] != gold[one.documents[p.b.doc].name] for p in one.pairs)
        for r in align.align_stories(docs, align.find_stories(docs)):
            split += len(r.pairs)
            split_across += sum(gold[r.documents[p.a.doc].name] != gold[r.documents[p.b.doc].name] for p in r.pairs)
    print(
        f"rows joining two sub-topics, one story per topic: {whole_across}/{whole} ({100 * whole_across / whole:.1f}%)"
    )
    print(
        f"rows joining two sub-topics, story by story:      {split_across}/{split} ({100 * split_across / split:.1f}%)"
    )


if __name__ == "__main__":
    sys.exit(main())
