"""Fit how the cross-encoder's log-odds join the judge's, validate it by topic folds, and write it.

    uv run --group fit python bench/fit_refine.py [--out align/data/paraphrase.json] [--fixed-slope]
    uv run --group fit python bench/fit_refine.py --out /tmp/p.json --fold-models F0 F1 F2 F3 F4
    uv run --group fit python bench/fit_refine.py --out /tmp/p.json --mrpc-models M0 M1 M2 M3 M4

The cross-encoder (align/paraphrase.py, built by bench/train_cross_encoder.py --kinds mrpc --fold 0
and bench/export_cross_encoder.py) was trained on MRPC train without its fold 0 (pairs k with
k % 5 == 0), so every ECB+ pair and MRPC's fold 0 are held out from it. A candidate fine-tuned on
ECB+ as well (train_cross_encoder.py --start, CONTRIBUTING.md) has seen ECB+ topics, so
``--fold-models`` takes the five such models trained without each fold of ECB+ topics
(bench/fit_judge.py's folds): each ECB+ pair is read by the one that never saw its topic, and
MRPC's fold 0 by the model in align/data (copy the candidate there first). The judge's log-odds
here are out-of-fold too (bench/fit_judge.py's topic folds). A weighted logistic fit on those two
(fit_judge.training_weights), over the pairs the judge gives at least ``--fit-floor``, gives the
refined score:

    refined log-odds = judge * judge log-odds + paraphrase * cross-encoder log-odds + intercept

The aligner reads again only the pairs from the lowest judge probability at which the
cross-encoder's log-odds (their 99th percentile) can carry a pair across the default threshold:
that floor is worked out from the fit and written with it, beside the budget of pairs per corpus.

Printed, all held out (the join fitted without the fold it scores): ECB+ AUC within one story and
across stories and MRPC AUC (fold 0), for the judge alone, the cross-encoder alone, the two joined,
and as the aligner joins them (from the floor up); the weighted F1 within one story at the default
threshold and the best threshold. ``--mrpc-models`` adds MRPC's AUC by all five folds, from five
cross-encoders each trained without its fold. The cross-encoders' log-odds (about 5 minutes for
the 43,195 pairs) are kept in the bench cache, keyed by each model's digest.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

import fit_judge  # noqa: E402
import mrpc  # noqa: E402
from sklearn.linear_model import LogisticRegression  # noqa: E402

import align  # noqa: E402
from align import paraphrase  # noqa: E402
from align.cache import cache_dir  # noqa: E402

CE_FOLD = 0  # the MRPC fold the cross-encoder never saw (bench/cross_encoder_pairs.py: k % 5)
FOLDS = 5


def texts(rows: fit_judge.Rows) -> list[tuple[str, str]]:
    """The two texts of every row, in the rows' order (ECB+ topics, then MRPC's labelled pairs and pairings)."""
    out = [(a.text, b.text) for _, pairs, _ in fit_judge.ecbplus_pairs() for a, b in pairs]
    pairs, _, _ = fit_judge.mrpc_pairs(mrpc.load(), FOLDS)
    out += [(a.text, b.text) for a, b in pairs]
    assert len(out) == len(rows.y), "the texts do not match the feature rows"
    return out


def cross_logits(pairs: list[tuple[str, str]], wanted: np.ndarray, model_path: Path, max_length: int) -> np.ndarray:
    """The log-odds of the cross-encoder at ``model_path`` for the wanted rows (NaN elsewhere), kept in the
    bench cache by the model's digest."""
    ident = f"{paraphrase.model_digest(model_path)}|{paraphrase.model_digest(paraphrase.TOKENIZER)}|{max_length}"
    rows = hashlib.sha256(np.flatnonzero(wanted).tobytes()).hexdigest()
    key = hashlib.sha256(f"{ident}|{len(pairs)}|{rows}".encode()).hexdigest()[:16]
    path = cache_dir() / "bench-judge" / f"paraphrase-{key}.npy"
    if path.exists():
        return np.asarray(np.load(path))
    # Not load(): it checks the shipped model against the settings this script is about to write.
    model = paraphrase.open_model(model_path, paraphrase.TOKENIZER, max_length)
    idx = np.flatnonzero(wanted)
    out = np.full(len(pairs), np.nan)
    t0 = time.perf_counter()
    step = 2000
    for k in range(0, len(idx), step):
        part = idx[k : k + step]
        out[part] = model.logits([pairs[i] for i in part])
        rate = (k + len(part)) / (time.perf_counter() - t0)
        print(f"  {model_path.name}: {k + len(part):,} of {len(idx):,} pairs ({rate:.0f} pairs/s)", file=sys.stderr)
    path.parent.mkdir(parents=True, exist_ok=True)
    np.save(path, out)
    return out


def join(z: np.ndarray, ce: np.ndarray, w: dict[str, float]) -> np.ndarray:
    out: np.ndarray = w["judge"] * z + w["paraphrase"] * ce + w["intercept"]
    return out


def fit_join(z: np.ndarray, ce: np.ndarray, y: np.ndarray, weight: np.ndarray, free: bool = True) -> dict[str, float]:
    """The join's weights by a weighted logistic fit. Unless ``free``, the judge's log-odds keep their slope
    of 1 (an offset): the join only adds the cross-encoder's evidence to the judge's calibration, which
    the default threshold was chosen on (measured: MRPC 0.813 instead of 0.826, F1 within one story at
    the default threshold 0.482 instead of 0.470; docs/quality.md)."""
    if free:
        lr = LogisticRegression(C=1e4, max_iter=1000).fit(np.column_stack([z, ce]), y, sample_weight=weight)
        return {
            "judge": float(lr.coef_[0][0]),
            "paraphrase": float(lr.coef_[0][1]),
            "intercept": float(lr.intercept_[0]),
        }
    from scipy.optimize import minimize

    def loss(v: np.ndarray) -> tuple[float, np.ndarray]:
        t = z + v[0] * ce + v[1]
        p = 1 / (1 + np.exp(-t))
        nll = np.sum(weight * (np.logaddexp(0, t) - y * t))
        g = weight * (p - y)
        return float(nll), np.array([np.sum(g * ce), np.sum(g)])

    v = minimize(loss, np.zeros(2), jac=True, method="L-BFGS-B").x
    return {"judge": 1.0, "paraphrase": float(v[0]), "intercept": float(v[1])}


def f1_at(prob: np.ndarray, rows: fit_judge.Rows, t: float) -> float:
    """Weighted F1 at ``t`` on held-out ECB+ pairs within one story, as fit_judge.best_threshold weighs it."""
    keep = (rows.group > 0) & np.isin(rows.kind, ("positive", "in_story", "background"))
    w = fit_judge.training_weights(rows)[keep]
    y, p = rows.y[keep], prob[keep] >= t
    tp, fp, fn = (w * p * y).sum(), (w * p * ~y).sum(), (w * ~p * y).sum()
    return float(2 * tp / max(2 * tp + fp + fn, 1e-9))


def lowest_lift(w: dict[str, float], ce: np.ndarray, threshold: float) -> float:
    """The lowest judge probability from which the cross-encoder's log-odds (at their 99th percentile)
    can carry a pair across ``threshold``: pairs below it are never read again."""
    target = np.log(threshold / (1 - threshold)) - w["intercept"]
    z = (target - w["paraphrase"] * float(np.percentile(ce, 99))) / w["judge"]
    return float(1 / (1 + np.exp(-z)))


def mrpc_by_folds(
    models: list[Path],
    rows: fit_judge.Rows,
    z: np.ndarray,
    w: dict[str, float],
    floor: float,
    first: int,
    n: int,
    max_length: int,
) -> None:
    """MRPC's AUC by all 5 folds: each labelled pair read by the cross-encoder trained without its fold
    (k % 5), joined with the judge's out-of-fold log-odds as the aligner joins them (from ``floor`` up)."""
    texts, labels = mrpc.read_tsv()[:2], np.asarray(mrpc.read_tsv()[2], dtype=bool)
    from sklearn.metrics import roc_auc_score

    judge = z[first : first + n]
    ce = np.zeros(n)
    for k, path in enumerate(models):
        model = paraphrase.open_model(path, paraphrase.TOKENIZER, max_length)
        idx = np.flatnonzero(np.arange(n) % 5 == k)
        ce[idx] = model.logits([(texts[0][i], texts[1][i]) for i in idx])
        print(f"  MRPC fold {k}: {len(idx)} pairs read", file=sys.stderr)
    read = 1 / (1 + np.exp(-judge)) >= floor
    aligner = np.where(read, join(judge, ce, w), judge)
    assert np.array_equal(labels, rows.y[first : first + n])
    folds = [roc_auc_score(labels[np.arange(n) % 5 == k], aligner[np.arange(n) % 5 == k]) for k in range(5)]
    print(
        f"MRPC by 5 folds of cross-encoders: judge {roc_auc_score(labels, judge):.3f}, cross-encoder alone "
        f"{roc_auc_score(labels, ce):.3f}, the aligner's score {roc_auc_score(labels, aligner):.3f} "
        f"(folds {', '.join(f'{v:.3f}' for v in folds)})"
    )


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--out", type=Path, default=paraphrase.SETTINGS)
    p.add_argument("--fit-floor", type=float, default=0.02, help="fit the join on pairs the judge gives at least this")
    p.add_argument(
        "--budget", type=int, default=600, help="the most pairs one corpus reads again (see align/rereading.py)"
    )
    p.add_argument("--fixed-slope", action="store_true", help="keep the judge's log-odds at slope 1 (an offset)")
    p.add_argument("--max-length", type=int, default=96, help="tokens of a pair, as the model was trained")
    p.add_argument(
        "--mrpc-models",
        type=Path,
        nargs=5,
        metavar="ONNX",
        help="five cross-encoders, the k-th trained without MRPC fold k (train_cross_encoder.py --fold k, then "
        "export_cross_encoder.py): MRPC's AUC of the aligner's score by all 5 folds, each pair read by the "
        "model that never saw it",
    )
    p.add_argument(
        "--fold-models",
        type=Path,
        nargs=FOLDS,
        metavar="ONNX",
        help="cross-encoders trained on ECB+ (train_cross_encoder.py --fold k --start ...): the k-th, trained "
        "without fold k's topics, reads them; without this the shipped model reads every ECB+ pair",
    )
    args = p.parse_args()
    rows = fit_judge.Rows.join(fit_judge.ecbplus_rows(), fit_judge.mrpc_rows(FOLDS))
    raw = fit_judge.out_of_fold(rows, FOLDS)
    z = fit_judge.calibrated(raw, rows, fit_judge.calibrate(raw, rows))
    n_mrpc = len(mrpc.read_tsv()[2])
    is_ecb = rows.group > 0
    first_mrpc = int(is_ecb.sum())
    mrpc_index = np.arange(len(rows.y)) - first_mrpc
    # MRPC rows the cross-encoder never saw: its fold's labelled pairs (pairings are left out).
    honest_mrpc = (~is_ecb) & (mrpc_index < n_mrpc) & (mrpc_index % 5 == CE_FOLD)
    usable = is_ecb | honest_mrpc
    pairs = texts(rows)
    folds = fit_judge.held_out(rows, FOLDS)
    if args.fold_models:
        # Each ECB+ topic read by the cross-encoder trained without its fold; MRPC's fold 0 by the shipped one.
        ce = cross_logits(pairs, honest_mrpc, paraphrase.MODEL, args.max_length)
        for held, model_path in zip(folds, args.fold_models, strict=True):
            part = is_ecb & held
            ce[part] = cross_logits(pairs, part, model_path, args.max_length)[part]
    else:
        ce = cross_logits(pairs, usable, paraphrase.MODEL, args.max_length)
    prob = 1 / (1 + np.exp(-z))
    band = usable & ((prob >= args.fit_floor) | honest_mrpc)  # pair_scores reads every MRPC pair again
    weight = fit_judge.training_weights(rows)
    joined = z.copy()
    for held in folds:
        train = band & ~held & (weight > 0)
        w = fit_join(z[train], ce[train], rows.y[train], weight[train], not args.fixed_slope)
        joined[held & band] = join(z[held & band], ce[held & band], w)
    final = fit_join(
        z[band & (weight > 0)],
        ce[band & (weight > 0)],
        rows.y[band & (weight > 0)],
        weight[band & (weight > 0)],
        not args.fixed_slope,
    )
    keep = is_ecb | honest_mrpc
    sub = rows.take(keep)
    for name, score in (("judge", z), ("cross-encoder", np.nan_to_num(ce, nan=-20.0)), ("joined", joined)):
        within, across, mrpc_auc = fit_judge.held_out_aucs(score[keep], sub, FOLDS)
        print(
            f"{name:14s} ECB+ within one story {within:.3f}, across stories {across:.3f}; MRPC fold {CE_FOLD} {mrpc_auc:.3f}"
        )
    print(
        f"pairs read again at floor {args.fit_floor}: {int((band & is_ecb).sum()):,} of {int(is_ecb.sum()):,} ECB+ pairs"
    )
    print("join: " + ", ".join(f"{k} {v:.3f}" for k, v in final.items()))
    t0 = align.DEFAULT_THRESHOLD
    print(
        f"F1 within one story at the default threshold {t0} (held out, weighed as trained): judge "
        f"{f1_at(prob, rows, t0):.3f}, joined {f1_at(1 / (1 + np.exp(-joined)), rows, t0):.3f}"
    )
    t, f1 = fit_judge.best_threshold(1 / (1 + np.exp(-joined)), rows)
    print(f"best threshold within one story (held out, weighed as trained): {t:.2f} (F1 {f1:.3f})")
    floor = lowest_lift(final, ce[band & is_ecb], align.DEFAULT_THRESHOLD)
    # What the aligner does: every pair from that floor up is read again (within a corpus's budget), so
    # a score it exports or ranks comes from both readings.
    read = usable & (prob >= floor)
    aligner = np.where(read, joined, z)
    within, across, mrpc_auc = fit_judge.held_out_aucs(aligner[keep], sub, FOLDS)
    print(
        f"read from {floor:.3f} up: {int((read & is_ecb).sum()):,} of {int(is_ecb.sum()):,} ECB+ pairs; ECB+ within one "
        f"story {within:.3f}, across stories {across:.3f}; MRPC fold {CE_FOLD} {mrpc_auc:.3f}; F1 within one story "
        f"at {align.DEFAULT_THRESHOLD} {f1_at(1 / (1 + np.exp(-aligner)), rows, align.DEFAULT_THRESHOLD):.3f}"
    )
    if args.mrpc_models:
        mrpc_by_folds(args.mrpc_models, rows, z, final, floor, first_mrpc, n_mrpc, args.max_length)
    settings = {
        "max_length": args.max_length,
        "model_sha256": paraphrase.model_digest(paraphrase.MODEL),
        "floor": round(floor, 4),
        "budget": args.budget,
        **{k: round(v, 6) for k, v in final.items()},
        "fitted_on": f"ECB+ topics 1-35 and MRPC train fold {CE_FOLD}, judge and cross-encoder held out"
        + (" (ECB+ by topic folds)" if args.fold_models else ""),
    }
    args.out.write_text(json.dumps(settings, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
