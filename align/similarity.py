"""Score how likely two sentences in different documents state the same fact, in [0, 1].

Every article about one event shares its topic words, so raw fuzzy ratios drown in them.
Each sentence becomes a bag of terms (content lemmas, plus one term per quantity) weighted
by inverse sentence frequency over the corpus; two sentences score by how much of each
one's weight the other covers. Terms that differ only in their ending (invest/investment)
and figures of the same kind and scale that differ in value (one article's $1 billion
against another's $1.25 billion) cover each other in part.
"""
from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

from rapidfuzz.distance import Prefix

from .models import Quantity, Sentence

PREFIX_MIN = 5  # shared leading letters for two lemmas to count as one word family
PREFIX_CREDIT = 0.8
NEAR_QUANTITY_CREDIT = 0.6  # same kind and unit, value within NEAR_RATIO
NEAR_RATIO = 3.0
QUANTITY_KINDS = frozenset({"money", "percent", "count", "duration", "year", "date"})


def quantity_term(q: Quantity) -> str:
    """The term a quantity adds to its sentence's bag: kind, unit and value (hedges ignored)."""
    return f"#{q.kind}:{q.unit}:{q.value:.6g}"


def sentence_terms(s: Sentence) -> list[str]:
    """Distinct terms of a sentence: content lemmas and comparable quantities."""
    terms = dict.fromkeys(s.lemmas)
    for q in s.quantities:
        if q.kind in QUANTITY_KINDS:
            terms[quantity_term(q)] = None
    return list(terms)


@dataclass(frozen=True)
class _QTerm:
    kind: str
    unit: str
    value: float


def _parse_qterm(term: str) -> _QTerm:
    kind, unit, value = term[1:].split(":", 2)
    return _QTerm(kind, unit, float(value))


@lru_cache(maxsize=200_000)
def term_match(a: str, b: str) -> float:
    """How far term ``a`` is covered by term ``b`` (symmetric), in [0, 1]."""
    if a == b:
        return 1.0
    qa, qb = a.startswith("#"), b.startswith("#")
    if qa != qb:
        return 0.0
    if qa:
        x, y = _parse_qterm(a), _parse_qterm(b)
        if x.kind != y.kind or x.unit != y.unit or x.kind in ("year", "date"):
            return 0.0
        lo, hi = sorted((abs(x.value), abs(y.value)))
        return NEAR_QUANTITY_CREDIT if lo > 0 and hi / lo <= NEAR_RATIO else 0.0
    if min(len(a), len(b)) >= PREFIX_MIN and Prefix.similarity(a, b) >= PREFIX_MIN:
        return PREFIX_CREDIT
    return 0.0


class Scorer:
    """Sentence-pair scores over one corpus (the weights depend on the whole corpus)."""

    def __init__(self, sentences: Sequence[Sentence]):
        self.terms: dict[Sentence, list[str]] = {s: sentence_terms(s) for s in sentences}
        df = Counter(t for ts in self.terms.values() for t in ts)
        n = max(len(sentences), 2)
        # Smoothed inverse sentence frequency; a term in every sentence weighs almost nothing.
        self.idf = {t: math.log((n + 1) / (c + 0.5)) for t, c in df.items()}

    def weight(self, term: str) -> float:
        return self.idf.get(term, 1.0)

    def _coverage(self, ta: list[str], tb: list[str]) -> float:
        total = sum(self.weight(t) for t in ta)
        if not total:
            return 0.0
        got = sum(self.weight(t) * max((term_match(t, u) for u in tb), default=0.0) for t in ta)
        return got / total

    def score(self, a: Sentence, b: Sentence) -> float:
        """Weighted coverage both ways, combined so a short sentence inside a long one still scores."""
        ta, tb = self.terms[a], self.terms[b]
        if not ta or not tb:
            return 0.0
        ca, cb = self._coverage(ta, tb), self._coverage(tb, ta)
        if not ca or not cb:
            return 0.0
        f = 2 * ca * cb / (ca + cb)
        return round(0.5 * f + 0.5 * math.sqrt(ca * cb), 6)

    def score_many(self, pairs: Iterable[tuple[Sentence, Sentence]]) -> list[float]:
        return [self.score(a, b) for a, b in pairs]
