"""Fit the paraphrase model's weights on labelled sentence pairs and write align/data/scorer.json.

    uv run --group fit python bench/fit_scorer.py [--check]

A logistic regression over the features of align.features, fitted on the MRPC training split
(../shared/data/mrpc/train.tsv: 3,675 news sentence pairs labelled "same meaning" or not),
parsed as the engine parses sentences, as two documents of one corpus, so the corpus statistics
(term weights, names, each sentence's background and best match) are the ones the engine
computes. As many random pairings of MRPC sentences are added as negatives: in an article
corpus most candidate pairs are two unrelated sentences on one topic, which MRPC never shows.
The development gold is not used.

Printed: MRPC 5-fold cross-validated ROC-AUC (random negatives in the training folds only, the
AUC over the held-out labelled pairs), rapidfuzz's token_sort_ratio alone for comparison, and
the weights. ``--check`` refits and compares with the shipped file instead of writing it.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

import mrpc  # noqa: E402
from sklearn.linear_model import LogisticRegression  # noqa: E402
from sklearn.metrics import roc_auc_score  # noqa: E402
from sklearn.model_selection import StratifiedKFold  # noqa: E402

from align.features import FEATURES, Corpus, pair_features  # noqa: E402
from align.similarity import MODEL_FORMAT, MODEL_PATH, sentence_vectors  # noqa: E402

SEED = 0
RANDOM_NEGATIVES = 1.0  # random pairings added per labelled pair
C = 1.0  # inverse regularisation strength of the paraphrase stage
FOLDS = 5


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
    neg = pair_features(corpus, [(int(a), n + int(b)) for a, b in zip(i, j, strict=True)])
    return x, np.asarray(data.labels), neg


def fit(x: np.ndarray, y: np.ndarray, c: float = C) -> tuple[np.ndarray, float]:
    """Weights and bias on the raw features (the standardisation folded in)."""
    mu, sd = x.mean(axis=0), x.std(axis=0)
    sd[sd == 0] = 1.0
    clf = LogisticRegression(C=c, max_iter=5000).fit((x - mu) / sd, y)
    w = clf.coef_[0] / sd
    return w, float(clf.intercept_[0] - (mu * w).sum())


def training_rows(
    x: np.ndarray, y: np.ndarray, neg: np.ndarray, pairs: np.ndarray | None = None, negs: np.ndarray | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """The rows a fit sees and their labels: the labelled pairs in ``pairs`` and the random negatives in ``negs``."""
    pairs = np.arange(len(y)) if pairs is None else pairs
    negs = np.ones(len(neg), bool) if negs is None else negs
    return np.vstack([x[pairs], neg[negs]]), np.concatenate([y[pairs], np.zeros(int(negs.sum()))])


def cross_validated_auc(x: np.ndarray, y: np.ndarray, neg: np.ndarray) -> float:
    """MRPC cross-validated ROC-AUC of the model, on the labelled pairs of the held-out folds."""
    out = np.zeros(len(y))
    folds = StratifiedKFold(FOLDS, shuffle=True, random_state=SEED)
    neg_fold = np.arange(len(neg)) % FOLDS
    for k, (tr, te) in enumerate(folds.split(x, y)):
        w, b = fit(*training_rows(x, y, neg, tr, neg_fold != k))
        out[te] = x[te] @ w + b
    return float(roc_auc_score(y, out))


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--check", action="store_true", help="compare with the shipped weights instead of writing")
    args = p.parse_args()
    x, y, neg = mrpc_features()
    w, b = fit(*training_rows(x, y, neg))
    auc = cross_validated_auc(x, y, neg)
    auc_full = float(roc_auc_score(y, x @ w + b))
    base = float(roc_auc_score(y, x[:, FEATURES.index("token_sort")]))
    print(
        f"MRPC train, {FOLDS}-fold cross-validated ROC-AUC: {auc:.3f} (token_sort_ratio alone: {base:.3f}; "
        f"the final model on all of MRPC train: {auc_full:.3f})"
    )
    model = {
        "format": MODEL_FORMAT,
        "features": list(FEATURES),
        "weights": [round(float(v), 6) for v in w],
        "bias": round(b, 6),
        "fitted_on": "MRPC train (3,675 pairs) plus as many random pairings as negatives",
        "mrpc_cv_auc": round(auc, 4),
    }
    for name, v in zip(FEATURES, w, strict=True):
        print(f"  {name:16s} {v:+.3f}")
    if args.check:
        shipped = json.loads(MODEL_PATH.read_text(encoding="utf-8"))
        same = (
            shipped["format"] == model["format"]
            and shipped["features"] == model["features"]
            and np.allclose(shipped["weights"], model["weights"], atol=1e-4)
            and abs(shipped["bias"] - model["bias"]) <= 1e-4
        )
        print("shipped weights reproduce" if same else "shipped weights DIFFER from a refit")
        return 0 if same else 1
    MODEL_PATH.parent.mkdir(exist_ok=True)
    MODEL_PATH.write_text(json.dumps(model, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {MODEL_PATH}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
