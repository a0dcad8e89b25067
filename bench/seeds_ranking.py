"""How a scorer ranks the seeds' candidate pairs against the development gold (a check, never a fit).

    uv run --group fit python bench/seeds_ranking.py [--judge /tmp/judge.json]

Positive: both sentences quote one gold fact (must or may). Everything else counts as negative,
though the gold is a sample and some of those state a fact it does not list: read the AUC as a
lower bound, and compare scorers with it, not with other corpora.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np
from sklearn.metrics import roc_auc_score

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
import goldpairs  # noqa: E402

from align.alignment import candidate_pairs  # noqa: E402
from align.similarity import Scorer  # noqa: E402
from goldscore import norm  # noqa: E402


def labels(docs, pairs) -> np.ndarray:  # type: ignore[no-untyped-def]
    gold = json.loads(goldpairs.GOLD.read_text(encoding="utf-8"))
    quotes = [(d, norm(q), c["id"]) for c in gold["clusters"] for kind in ("must", "may") for d, q in c[kind]]

    def facts(s) -> set[str]:  # type: ignore[no-untyped-def]
        name = Path(docs[s.doc].name).name[:3]
        text = norm(s.text)
        return {c for d, q, c in quotes if d == name and q in text}

    return np.asarray([bool(facts(a) & facts(b)) for a, b in pairs])


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--judge", type=Path, help="a judge written by bench/fit_judge.py, ranked beside the shipped scorer")
    args = p.parse_args()
    docs = goldpairs.seed_documents()
    sents = [s for d in docs for s in d.sentences]
    scorer = Scorer(sents)
    pairs = candidate_pairs(docs, scorer)
    y = labels(docs, pairs)
    scorers = {"shipped": scorer}
    if args.judge:
        scorers["judge"] = Scorer(sents, judge=json.loads(args.judge.read_text(encoding="utf-8")))
    print(f"seeds: {len(pairs)} candidate pairs, {int(y.sum())} quote one gold fact")
    for name, sc in scorers.items():
        s = np.asarray(sc.score_many(pairs))
        top = np.argsort(-s)
        prec = {k: y[top[:k]].mean() for k in (25, 50, 100)}
        print(
            f"  {name:8s} AUC {roc_auc_score(y, s):.3f}; precision of the best 25/50/100: "
            + "/".join(f"{v:.2f}" for v in prec.values())
            + f"; pairs >= 0.35: {(s >= 0.35).sum()}"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
