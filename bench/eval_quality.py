"""The engine's judgement, measured so that it cannot be fitted to: one run prints every figure.

    uv run --group fit python bench/eval_quality.py [--sweep] [--hubs]

- MRPC train, 5-fold cross-validated ROC-AUC of the paraphrase model (bench/fit_scorer.py), one of
  the judge's inputs (the judge's own, by folds, is bench/fit_judge.py's).
- Dev gold F1 under k-fold by fact cluster: for each fold, what is chosen on the dev gold (the
  threshold) is chosen without the fold's clusters, and F1 is measured on the fold's clusters
  only; the folds' counts are pooled.
- Dev gold F1, precision and recall with the shipped weights at the default threshold.
- Conflicts found (of the gold's must conflicts) and false flags.
- ECB+ topics 1-35 (../shared/data/ecbplus), each topic one corpus: the scorer's ROC-AUC within
  one story and across stories beside token_set_ratio (the pairs the aligner reads again read by the
  cross-encoder, align/rereading.py), the judge's and the cross-encoder's pairs per second, and the micro F1 of
  the topics' CSV exports at the default threshold (each topic folder split into its stories and
  each story aligned, as ``deal-reader export`` does), scored by ../shared/eval/ecbplus/score.py.
  The shipped judge was fitted on these topics, so these figures are in-sample: its held-out
  figures (by topic folds, exports included) are what bench/fit_judge.py --export prints, and the
  held-out figures of the judge joined with the cross-encoder (MRPC's held-out fold included) are
  what bench/fit_refine.py prints.
``--sweep`` adds the F1 curve over thresholds (the README's table); ``--hubs`` compares the hub
guard's settings (links kept per sentence and other document) and the completion floor, on the
dev gold and on ECB+'s exports; ``--judge FILE`` puts a judge written by bench/fit_judge.py through
the same ECB+ and dev-gold checks.
"""

from __future__ import annotations

import argparse
import csv
import io
import itertools
import json
import sys
from collections.abc import Callable
from functools import partial
from pathlib import Path

import numpy as np
from sklearn.metrics import roc_auc_score

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent / "tests"))

import ecbplus  # noqa: E402
import fit_scorer  # noqa: E402
import goldpairs  # noqa: E402

import align  # noqa: E402
from align import alignment  # noqa: E402
from align.similarity import Scorer, load_model  # noqa: E402
from goldscore import norm, score  # noqa: E402

THRESHOLDS = (0.1, 0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5, 0.6, 0.7)


def _gold() -> dict:
    return json.loads(goldpairs.GOLD.read_text(encoding="utf-8"))


def _rows(result: align.Alignment) -> list[dict]:
    return list(csv.DictReader(io.StringIO(align.to_csv(result))))


def _counts(gold: dict, clusters: set[str], rows: list[dict]) -> tuple[int, int, int, int]:
    """(true rows, false rows, must pairs found, must pairs) of ``clusters``: what pools across folds.

    Each row is judged once against the whole gold, as its scorer judges it; a true row belongs to
    the clusters whose must pair it links, a false row to the clusters of the quoted sentences it
    touches (to two folds when it joins two clusters' sentences).
    """
    members = [(d, norm(q), c["id"], kind) for c in gold["clusters"] for kind in ("must", "may") for d, q in c[kind]]
    must = {
        c["id"]: {
            frozenset(p) for p in itertools.combinations([(d, norm(q)) for d, q in c["must"]], 2) if p[0][0] != p[1][0]
        }
        for c in gold["clusters"]
    }
    may = {
        c["id"]: {
            frozenset(p)
            for p in itertools.combinations([(d, norm(q)) for d, q in c["must"] + c["may"]], 2)
            if p[0][0] != p[1][0]
        }
        for c in gold["clusters"]
    }
    tp = fp = 0
    found: set[frozenset] = set()
    for r in rows:
        da, db = Path(r["doc_a"]).name[:3], Path(r["doc_b"]).name[:3]
        ta, tb = norm(r["text_a"]), norm(r["text_b"])
        qa = [(d, q, c) for d, q, c, _ in members if d == da and q in ta]
        qb = [(d, q, c) for d, q, c, _ in members if d == db and q in tb]
        links = {frozenset(((x[0], x[1]), (y[0], y[1]))) for x in qa for y in qb}
        true_in = {c for c, pairs in must.items() if links & pairs}
        if true_in:
            if true_in & clusters:
                tp += 1
                found |= {link for c in true_in & clusters for link in links & must[c]}
        elif any(links & pairs for pairs in may.values()):
            continue
        elif {c for *_, c in qa + qb} & clusters:
            fp += 1
    return tp, fp, len(found), sum(len(must[c]) for c in clusters)


def _f1(tp: float, fp: float, found: float, must: float) -> tuple[float, float, float]:
    p = tp / (tp + fp) if tp + fp else 0.0
    r = found / must if must else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def aligned(model: dict, threshold: float) -> align.Alignment:
    docs = goldpairs.seed_documents()
    return align.align(docs, threshold, cache=False, scorer=lambda ss: Scorer(ss, model=model))


def kfold(model: dict, folds: int) -> tuple[float, float, float, list[float]]:
    """Pooled precision, recall and F1 over folds of clusters, and each fold's chosen threshold.

    The paraphrase half never sees the dev gold; what is chosen on it (the threshold) is chosen
    on the other folds' clusters only, and F1 is counted on the fold's clusters.
    """
    gold = _gold()
    ids = [c["id"] for c in gold["clusters"]]
    base = aligned(model, min(THRESHOLDS))
    total = np.zeros(4)
    chosen = []
    for k in range(folds):
        held = {c for i, c in enumerate(ids) if i % folds == k}
        train = set(ids) - held
        best = max(THRESHOLDS, key=lambda t: _f1(*_counts(gold, train, _rows(base.with_threshold(t))))[2])
        chosen.append(best)
        total += _counts(gold, held, _rows(base.with_threshold(best)))
    p, r, f = _f1(*total)
    return p, r, f, chosen


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--sweep", action="store_true", help="F1 at each threshold")
    p.add_argument("--hubs", action="store_true", help="compare hub-guard and completion settings")
    p.add_argument("--folds", type=int, default=4)
    p.add_argument("--judge", type=Path, help="a judge written by bench/fit_judge.py, checked the same way")
    args = p.parse_args()
    model = load_model()
    x, y, neg = fit_scorer.mrpc_features()
    auc = fit_scorer.cross_validated_auc(x, y, neg)
    print(
        f"MRPC train {fit_scorer.FOLDS}-fold cross-validated ROC-AUC (paraphrase half): {auc:.3f}; "
        f"shipped model on MRPC train: {roc_auc_score(y, x @ np.asarray(model['weights']) + model['bias']):.3f}"
    )
    kp, kr, kf, ts = kfold(model, args.folds)
    print(
        f"dev gold, {args.folds}-fold by fact cluster (threshold chosen without the fold): "
        f"F1 {kf:.3f} (P {kp:.3f}, R {kr:.3f}); thresholds chosen {ts}"
    )
    result = aligned(model, align.DEFAULT_THRESHOLD)
    r = score(goldpairs.GOLD, _rows(result))
    print(
        f"dev gold at the default threshold {align.DEFAULT_THRESHOLD}: F1 {r.f1:.3f} (P {r.precision:.3f}, "
        f"R {r.recall:.3f}); {len(result.pairs)} pairs, {len(result.facts)} facts"
    )
    print(
        f"conflicts found {r.conflicts_found} of {r.conflicts_must}; false flags {len(r.false_flags)} {r.false_flags}"
    )
    if args.sweep:
        print("threshold sweep (dev gold F1, P, R, conflicts):")
        for t in THRESHOLDS:
            s = score(goldpairs.GOLD, _rows(result.with_threshold(t)))
            print(
                f"  {t:.2f}  F1 {s.f1:.3f}  P {s.precision:.3f}  R {s.recall:.3f}  conflicts {s.conflicts_found}"
                f"  false flags {len(s.false_flags)}"
            )
    data = ecbplus.load()
    report_ecbplus(data, "shipped judge (in-sample: fitted on these topics)", Scorer)
    if args.judge:
        judged = json.loads(args.judge.read_text(encoding="utf-8"))
        report_ecbplus(data, f"judge {args.judge.name}", partial(Scorer, judge=judged))
        docs = goldpairs.seed_documents()
        for t in (0.2, align.DEFAULT_THRESHOLD, 0.35, 0.5, 0.7):
            s = score(
                goldpairs.GOLD, _rows(align.align(docs, t, cache=False, scorer=lambda ss: Scorer(ss, judge=judged)))
            )
            print(
                f"  judge on the dev gold at {t:.2f}: F1 {s.f1:.3f} (P {s.precision:.3f}, R {s.recall:.3f}), "
                f"conflicts {s.conflicts_found}, false flags {len(s.false_flags)}"
            )
    if args.hubs:
        print("hub guard on ECB+ (links per sentence and other document), export micro F1 at the default:")
        shipped_links = alignment.MAX_LINKS_PER_DOCUMENT
        for k in (1, 2, 3, 5, 100):
            alignment.MAX_LINKS_PER_DOCUMENT = k
            try:
                m = ecbplus.export_f1(data, ecbplus.export_stories)["micro"]
            finally:
                alignment.MAX_LINKS_PER_DOCUMENT = shipped_links
            print(f"  links {k:3d}  F1 {m['F1']:.3f}  P {m['P']:.3f}  R {m['R']:.3f}")
        print("hub guard (links kept per sentence and other document) x completion floor, dev gold F1 at the default:")
        shipped = alignment.MAX_LINKS_PER_DOCUMENT, alignment.COMPLETION_FLOOR
        for k in (1, 2, 3, 5, 100):
            for floor in (0.02, 0.5, 1.0):
                # select_pairs and complete_facts read these when called: each setting re-aligns.
                alignment.MAX_LINKS_PER_DOCUMENT, alignment.COMPLETION_FLOOR = k, floor
                try:
                    s = score(goldpairs.GOLD, _rows(aligned(model, align.DEFAULT_THRESHOLD)))
                finally:
                    alignment.MAX_LINKS_PER_DOCUMENT, alignment.COMPLETION_FLOOR = shipped
                print(
                    f"  links {k:3d}  floor {floor:.2f}  F1 {s.f1:.3f}  P {s.precision:.3f}  R {s.recall:.3f}"
                    f"  conflicts {s.conflicts_found}  false flags {len(s.false_flags)}"
                )
    return 0


def report_ecbplus(data: list[ecbplus.TopicPairs], name: str, scorer: Callable[..., Scorer]) -> None:
    """ECB+ ranking and export figures of one scorer (see the module docstring)."""
    r = ecbplus.ranking(data, scorer)
    m = ecbplus.export_f1(data, lambda docs: ecbplus.export_stories(docs, scorer))["micro"]
    print(
        f"ECB+ {len(data)} topics, {name}: AUC within one story {r['in_story']:.3f}, across stories "
        f"{r['cross_story']:.3f} (token_set_ratio {r['token_set_in_story']:.3f} / {r['token_set_cross_story']:.3f}); "
        f"judge {r['pairs_per_second']:,.0f} pairs/s, {r['read_again']:,} pairs read again by the cross-encoder at "
        f"{r['read_per_second']:,.0f} pairs/s; export at {align.DEFAULT_THRESHOLD}: F1 {m['F1']:.3f} "
        f"(P {m['P']:.3f}, R {m['R']:.3f})"
    )


if __name__ == "__main__":
    raise SystemExit(main())
