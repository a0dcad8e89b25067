"""Fit the pair scorer's weights on labelled sentence pairs and write align/data/scorer.json.

    uv run --group fit python bench/fit_scorer.py [--check]

Two linear stages, folded into one weight vector at the end:

1. **Paraphrase** (a logistic regression over the text features of align.features) is fitted on
   the MRPC training split (../shared/data/mrpc/train.tsv: 3,675 news sentence pairs labelled
   "same meaning" or not), parsed as the engine parses sentences, as two documents of one
   corpus, so the corpus statistics (term weights, names) are the ones the engine computes.
   Random pairings of MRPC sentences are added as negatives: in an article corpus most
   candidate pairs are two unrelated sentences on one topic, which MRPC never shows.
2. **Calibration** turns the paraphrase log-odds into the probability that two sentences of an
   article corpus state one fact: a logistic regression on the candidate pairs of the seeds that
   the development gold labels, over the paraphrase log-odds and the few signals paraphrase data
   cannot weigh (a figure shared in the same role or with the same words, a named relation, a
   heading). It is small and regularised; bench/eval_quality.py measures it by folds of fact
   clusters it was not fitted on.

Printed: MRPC cross-validated ROC-AUC (5 folds, random negatives in the training folds only) of
the paraphrase stage, of the final model, and of rapidfuzz's token_sort_ratio alone.
``--check`` refits and compares with the shipped file instead of writing it.
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

import goldpairs  # noqa: E402
import mrpc  # noqa: E402
from sklearn.linear_model import LogisticRegression  # noqa: E402
from sklearn.metrics import roc_auc_score  # noqa: E402
from sklearn.model_selection import StratifiedKFold  # noqa: E402

from align.features import FEATURES, Corpus, pair_features  # noqa: E402
from align.similarity import MODEL_PATH, sentence_vectors  # noqa: E402

SEED = 0
RANDOM_NEGATIVES = 1.0  # random pairings added per labelled pair
C = 1.0  # inverse regularisation strength of the paraphrase stage
DOMAIN_C = 0.3  # ...and of the calibration stage (about 30 positive pairs: keep it small)
FOLDS = 5
# What paraphrase data teaches: how much of the wording two sentences share.
PARAPHRASE = ("token_sort", "token_set", "ratio", "partial", "cover_min", "cover_max", "jaccard", "shared_mass", "cosine", "cosine_excess",
              "cosine_gap", "mutual_best",
              "names_shared", "names_unshared", "digits_same", "digits_clash", "length_gap")
# What it cannot: MRPC pairs are one story told twice, so a shared figure or name pair proves little there.
DOMAIN = ("same_figure", "near_figure", "same_role", "figure_context", "figure_clash", "relation", "heading")
_P = np.array([FEATURES.index(f) for f in PARAPHRASE])
_D = np.array([FEATURES.index(f) for f in DOMAIN])


def mrpc_features() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Features of the labelled pairs, their labels, and features of random pairings (all negative)."""
    data = mrpc.load()
    sentences = data.a + data.b
    corpus = Corpus(sentences, vectors=sentence_vectors(sentences))
    n = len(data.a)
    x = pair_features(corpus, [(i, n + i) for i in range(n)])
    rng = np.random.default_rng(SEED)
    m = int(RANDOM_NEGATIVES * n)
    i = rng.integers(0, n, m)
    j = (i + rng.integers(1, n, m)) % n  # never the pair's own partner
    neg = pair_features(corpus, [(int(a), n + int(b)) for a, b in zip(i, j)])
    return x, np.asarray(data.labels), neg


def fit(x: np.ndarray, y: np.ndarray, c: float = C) -> tuple[np.ndarray, float]:
    """Weights and bias on the raw features (the standardisation folded in)."""
    mu, sd = x.mean(axis=0), x.std(axis=0)
    sd[sd == 0] = 1.0
    clf = LogisticRegression(C=c, max_iter=5000).fit((x - mu) / sd, y)
    w = clf.coef_[0] / sd
    return w, float(clf.intercept_[0] - (mu * w).sum())


def fit_paraphrase(x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, float]:
    """Stage 1 over every feature (zero weight outside PARAPHRASE)."""
    w = np.zeros(len(FEATURES))
    wp, b = fit(x[:, _P], y)
    w[_P] = wp
    return w, b


def cross_validated_auc(x: np.ndarray, y: np.ndarray, neg: np.ndarray) -> float:
    """MRPC cross-validated ROC-AUC of stage 1."""
    out = np.zeros(len(y))
    folds = StratifiedKFold(FOLDS, shuffle=True, random_state=SEED)
    neg_fold = np.arange(len(neg)) % FOLDS
    for k, (tr, te) in enumerate(folds.split(x, y)):
        xt = np.vstack([x[tr], neg[neg_fold != k]])
        yt = np.concatenate([y[tr], np.zeros(int((neg_fold != k).sum()))])
        w, b = fit_paraphrase(xt, yt)
        out[te] = x[te] @ w + b
    return float(roc_auc_score(y, out))


def fit_domain(z: np.ndarray, xd: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, float]:
    """Stage 2: weights over [paraphrase log-odds, DOMAIN features] and a bias."""
    return fit(np.column_stack([z, xd]), y, DOMAIN_C)


def combine(w1: np.ndarray, b1: float, w2: np.ndarray, b2: float) -> tuple[np.ndarray, float]:
    """Fold stage 2 into stage 1: one weight per feature, one bias."""
    w = w2[0] * w1
    w[_D] += w2[1:]
    return w, float(w2[0] * b1 + b2)


def calibrate(w1: np.ndarray, b1: float, keep: np.ndarray | None = None) -> tuple[np.ndarray, float]:
    """Stage 2 fitted on the labelled dev-gold candidate pairs (those in ``keep``), folded into stage 1."""
    lab = goldpairs.labelled()
    x = goldpairs.features()
    keep = np.ones(len(lab.labels), bool) if keep is None else keep
    w2, b2 = fit_domain(x[keep] @ w1 + b1, x[keep][:, _D], lab.labels[keep])
    return combine(w1, b1, w2, b2)


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--check", action="store_true", help="compare with the shipped weights instead of writing")
    args = p.parse_args()
    x, y, neg = mrpc_features()
    w1, b1 = fit_paraphrase(np.vstack([x, neg]), np.concatenate([y, np.zeros(len(neg))]))
    w, b = w1, b1
    auc = cross_validated_auc(x, y, neg)
    auc_full = float(roc_auc_score(y, x @ w + b))
    base = float(roc_auc_score(y, x[:, FEATURES.index("token_sort")]))
    print(f"MRPC train, {FOLDS}-fold cross-validated ROC-AUC of the paraphrase stage: {auc:.3f} "
          f"(token_sort_ratio alone: {base:.3f}); the calibrated model on all of MRPC train: {auc_full:.3f}")
    model = {
        "format": 1,
        "features": list(FEATURES),
        "weights": [round(float(v), 6) for v in w],
        "bias": round(b, 6),
        "fitted_on": "MRPC train (3,675 pairs) plus as many random pairings as negatives",
        "mrpc_cv_auc": round(auc, 4),
    }
    for name, v1, v in zip(FEATURES, w1, w):
        print(f"  {name:16s} paraphrase {v1:+.3f}  final {v:+.3f}")
    if args.check:
        shipped = json.loads(MODEL_PATH.read_text(encoding="utf-8"))
        same = np.allclose(shipped["weights"], model["weights"], atol=1e-4)
        print("shipped weights reproduce" if same else "shipped weights DIFFER from a refit")
        return 0 if same else 1
    MODEL_PATH.parent.mkdir(exist_ok=True)
    MODEL_PATH.write_text(json.dumps(model, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {MODEL_PATH}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
