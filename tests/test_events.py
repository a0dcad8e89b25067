"""The event signals, as computed for many pairs at once, are those of the plain per-pair formula to the last bit."""

from __future__ import annotations

import itertools

import numpy as np

from align.events import EVENT_FEATURES, WordProfiles, event_features


def plain(words: WordProfiles, i: int, j: int) -> list[float]:
    """One pair's row, written as the module first computed it (ndarray methods, a list per row)."""
    va, vb = words.vectors[i], words.vectors[j]
    if not len(va) or not len(vb):
        return [0.0, 0.0] + [-1.0] * 8
    sims = va @ vb.T
    ra = float(sims.max(axis=1) @ words.weights[i]) / words.weight_sums[i]
    rb = float(sims.max(axis=0) @ words.weights[j]) / words.weight_sums[j]
    row = [min(ra, rb), max(ra, rb)]
    for ia, ib in ((words.verbs[i], words.verbs[j]), (words.nouns[i], words.nouns[j])):
        if not len(ia) or not len(ib):
            row += [-1.0] * 4
            continue
        sub = sims.take(ia, axis=0).take(ib, axis=1)
        best_a, best_b = sub.max(axis=1), sub.max(axis=0)
        va_, vb_ = float(best_a.sum()) / len(ia), float(best_b.sum()) / len(ib)
        top = float(best_a.max())
        row += [min(va_, vb_), max(va_, vb_), top, float(top > 0.999)]
    return row


def test_event_features_are_the_plain_formula_to_the_last_bit(seed_documents):
    sentences = [s for d in seed_documents for s in d.sentences]
    words = WordProfiles(sentences, lambda w: 1.0 + len(w) / 7)
    doc = [s.doc for s in sentences]
    pairs = [(i, j) for i, j in itertools.combinations(range(len(sentences)), 2) if doc[i] != doc[j]][::7]
    got = event_features(words, pairs)
    assert got.shape == (len(pairs), len(EVENT_FEATURES))
    assert got.tobytes() == np.array([plain(words, i, j) for i, j in pairs], dtype=np.float64).tobytes()
