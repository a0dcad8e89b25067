"""Signals of which event two sentences state: their words aligned one by one, and their predicates.

Bag-of-words overlap and sentence vectors tell stories apart, not facts within a story: two
sentences about one deal share its names and topic words whether they state its price or its
date. What tells them apart is which event each states, named by a verb ("acquired", "hit") or an
event noun ("acquisition", "earthquake"), and how each word of one sentence finds a counterpart in
the other.

- ``soft_min``/``soft_max``: BERTScore-style soft alignment over static word vectors: each content
  word's best cosine to the other sentence's words, weighted by the word's rarity, averaged over
  the sentence; the lower and the higher of the two directions.
- ``verb_*`` and ``noun_*``: the same over verbs only and over common nouns only (the lower and
  higher mean best match, the single best match, and whether one lemma is shared).

Nothing here is fitted; the judge (:mod:`align.similarity`) weighs these with the other signals.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np
import numpy.typing as npt

from .models import Sentence

EVENT_FEATURES = (
    "soft_min",
    "soft_max",
    "verb_min",
    "verb_max",
    "verb_top",
    "verb_same",
    "noun_min",
    "noun_max",
    "noun_top",
    "noun_same",
)
_ABSENT = -1.0  # a part of speech one sentence lacks: neither agreement nor disagreement
_SAME = 0.999  # cosine of one word's vector with itself, within float16 rounding


class WordProfiles:
    """Each sentence's content-word vectors, weights and part-of-speech masks, computed once per corpus."""

    def __init__(
        self,
        sentences: Sequence[Sentence],
        weight: Callable[[str], float],
        encode: Callable[[Sequence[str]], npt.NDArray[np.float32]] | None = None,
    ):
        """``weight``: a lemma's rarity weight; ``encode``: words -> unit rows (the shipped vectors when None)."""
        if encode is None:
            from .vectors import encode as bundled

            encode = bundled
        vocab = sorted({w for s in sentences for w in s.lemmas})
        table = encode(vocab) if vocab else np.zeros((0, 1), dtype=np.float32)
        row = {w: k for k, w in enumerate(vocab)}
        dim = table.shape[1]
        self.vectors: list[npt.NDArray[np.float32]] = []
        self.weights: list[npt.NDArray[np.float64]] = []
        self.weight_sums: list[float] = []
        self.verbs: list[npt.NDArray[np.intp]] = []  # positions of the sentence's verbs among its lemmas
        self.nouns: list[npt.NDArray[np.intp]] = []
        for s in sentences:
            ids = [row[w] for w in s.lemmas]
            self.vectors.append(table[ids] if ids else np.zeros((0, dim), dtype=np.float32))
            w = np.fromiter((weight(x) for x in s.lemmas), dtype=np.float64, count=len(ids))
            self.weights.append(w)
            self.weight_sums.append(max(float(w.sum()), 1e-9))
            tags = s.lemma_tags if len(s.lemma_tags) == len(ids) else ("",) * len(ids)  # a hand-built Sentence
            self.verbs.append(np.flatnonzero([t == "VERB" for t in tags]))
            self.nouns.append(np.flatnonzero([t == "NOUN" for t in tags]))


def _predicate(sims: npt.NDArray[np.float32], ia: npt.NDArray[np.intp], ib: npt.NDArray[np.intp]) -> list[float]:
    """Lower and higher mean best match, the best match, and a shared lemma, over the words at ``ia`` and ``ib``."""
    if not len(ia) or not len(ib):
        return [_ABSENT] * 4
    sub = sims.take(ia, axis=0).take(ib, axis=1)  # take: this runs twice for every candidate pair
    best_a, best_b = sub.max(axis=1), sub.max(axis=0)
    va, vb = float(best_a.sum()) / len(ia), float(best_b.sum()) / len(ib)
    top = float(best_a.max())
    return [min(va, vb), max(va, vb), top, float(top > _SAME)]


def event_features(words: WordProfiles, pairs: Sequence[tuple[int, int]]) -> npt.NDArray[np.float64]:
    """The matrix (pairs x EVENT_FEATURES) of pairs of corpus positions."""
    out = np.full((len(pairs), len(EVENT_FEATURES)), _ABSENT, dtype=np.float64)
    out[:, :2] = 0.0
    for k, (i, j) in enumerate(pairs):
        va, vb = words.vectors[i], words.vectors[j]
        if not len(va) or not len(vb):
            continue
        sims = va @ vb.T
        ra = float(sims.max(axis=1) @ words.weights[i]) / words.weight_sums[i]
        rb = float(sims.max(axis=0) @ words.weights[j]) / words.weight_sums[j]
        out[k] = [
            min(ra, rb),
            max(ra, rb),
            *_predicate(sims, words.verbs[i], words.verbs[j]),
            *_predicate(sims, words.nouns[i], words.nouns[j]),
        ]
    return out
