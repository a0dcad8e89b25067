"""The second reading: which candidate pairs the paraphrase cross-encoder reads again.

The judge scores every candidate in microseconds from words, vectors and figures; the
cross-encoder (:mod:`align.paraphrase`) reads both sentences together and tells a restatement in
other words ("announce a strategic collaboration" / "announced a strategic cooperation") from two
statements that share words, at 5–10 ms a pair on two cores. So it reads only the pairs it
can link or that are linked: those the judge gives at least ``floor``, the lowest probability from
which the cross-encoder's log-odds, weighed as ``bench/fit_refine.py`` fitted them, can carry a
pair across the default threshold. The most uncertain go first (closest to the threshold in
log-odds), and at most ``budget`` of them are read per corpus (per story, when the reader splits
a corpus into stories); past it, a pair keeps the judge's score.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from . import paraphrase
from .models import Sentence
from .similarity import PairScorer, RefiningScorer


def _logit(p: np.ndarray) -> np.ndarray:
    q = np.clip(p, 1e-6, 1 - 1e-6)
    out: np.ndarray = np.log(q / (1 - q))
    return out


def to_refine(
    scores: Sequence[float], centre: float, floor: float | None = None, budget: int | None = None
) -> list[int]:
    """Indices into ``scores`` (the judge's) of the pairs to read again, most uncertain about ``centre`` first.

    ``floor`` and ``budget`` default to the shipped settings (``align/data/paraphrase.json``).
    """
    settings = paraphrase.settings()
    floor = float(settings["floor"]) if floor is None else floor
    budget = int(settings["budget"]) if budget is None else budget
    s = np.asarray(scores, dtype=np.float64)
    idx = np.flatnonzero(s >= floor)
    distance = np.abs(_logit(s[idx]) - float(_logit(np.asarray([centre]))[0]))
    return [int(i) for i in idx[np.argsort(distance, kind="stable")][:budget]]


def read_again(
    scorer: PairScorer, pairs: Sequence[tuple[Sentence, Sentence]], scores: list[float], centre: float
) -> int:
    """Read again, in place in ``scores`` (the judge's, of ``pairs``), every pair :func:`to_refine` would pick,
    whatever the budget: it limits how many of a corpus's candidates are read, and these are the pairs asked
    for. How many were read (none by a scorer without a second reading)."""
    if not isinstance(scorer, RefiningScorer):
        return 0
    again = to_refine(scores, centre, budget=len(scores))
    for i, v in zip(again, scorer.refined_many([pairs[i] for i in again]), strict=True):
        scores[i] = v
    return len(again)
