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


# The ufuncs' own reductions: what ndarray.max and .sum call, without their Python wrapper (a few
# microseconds a call, and a pair makes eight of them).
_max = np.maximum.reduce
_sum = np.add.reduce
_NO_PREDICATE = (_ABSENT,) * 4
_NO_WORDS = (0.0, 0.0) + _NO_PREDICATE * 2  # a sentence without content words


def _predicate(
    sims: npt.NDArray[np.float32], ia: npt.NDArray[np.intp], ib: npt.NDArray[np.intp]
) -> tuple[float, float, float, float]:
    """Lower and higher mean best match, the best match, and a shared lemma, over the words at ``ia`` and ``ib``."""
    if not len(ia) or not len(ib):
        return _NO_PREDICATE
    sub = sims.take(ia, axis=0).take(ib, axis=1)  # take: this runs twice for every candidate pair
    best_a, best_b = _max(sub, axis=1), _max(sub, axis=0)
    va, vb = float(_sum(best_a)) / len(ia), float(_sum(best_b)) / len(ib)
    top = float(_max(best_a))
    return (min(va, vb), max(va, vb), top, float(top > _SAME))


def event_features(words: WordProfiles, pairs: Sequence[tuple[int, int]]) -> npt.NDArray[np.float64]:
    """The matrix (pairs x EVENT_FEATURES) of pairs of corpus positions."""
    vectors, weights, sums = words.vectors, words.weights, words.weight_sums
    verbs, nouns = words.verbs, words.nouns
    rows: list[tuple[float, ...]] = []
    for i, j in pairs:
        va, vb = vectors[i], vectors[j]
        if not len(va) or not len(vb):
            rows.append(_NO_WORDS)
            continue
        sims = va @ vb.T
        ra = float(_max(sims, axis=1) @ weights[i]) / sums[i]
        rb = float(_max(sims, axis=0) @ weights[j]) / sums[j]
        verb, noun = _predicate(sims, verbs[i], verbs[j]), _predicate(sims, nouns[i], nouns[j])
        rows.append((min(ra, rb), max(ra, rb), *verb, *noun))
    return np.array(rows, dtype=np.float64).reshape(len(pairs), len(EVENT_FEATURES))
