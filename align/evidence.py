"""In-domain evidence that two sentences of one corpus state the same fact: shared rare terms, names, figures.

The first scorer of the project, kept as one half of :class:`align.similarity.Scorer`: paraphrase
data cannot teach what identifies a fact inside a corpus about one event (a figure in the same
role, two names in one clause, rare vocabulary of these articles), and this does. Its weights
were fitted on the development corpus's labelled pairs; the paraphrase half was not.

Every article about one event shares its topic words, so raw fuzzy ratios drown in them.
Each sentence becomes a bag of terms (content lemmas, plus one term per quantity) weighted
by inverse sentence frequency over the corpus. A pair is scored from a few signals, each
weighted by how rare it is in the corpus, and combined by a logistic function:

- shared term mass: how much rare vocabulary the two sentences share, with part credit for
  one word family (invest/investment: the same first five letters);
- shared term pairs: two rare words together are stronger evidence than each alone;
- quantities: the same figure, or a figure of the same kind and scale (one article's
  $1 billion against another's $1.25 billion is the same fact told differently);
- named relations: two proper names close together in both sentences (X's partnership with Y);
- figures in the same role (an initial amount against an initial amount), or described by
  the same words ("invest $1 billion" against "an investment of US$1.25 billion");
- how fully the less covered sentence is covered, and whether either is a heading.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from itertools import combinations

import numpy as np
import numpy.typing as npt

from .features import PREFIX_CREDIT, PREFIX_MIN, normalised_idf, ordered_terms, proper_vocabulary, quantity_term
from .models import Quantity, Sentence
from .quantities import COMPARABLE_KINDS as QUANTITY_KINDS
from .quantities import NEAR_RATIO, words_around

NEAR_QUANTITY_CREDIT = 0.6  # a figure of the same kind and unit within NEAR_RATIO covers this share
RELATION_SPAN = 5  # at most this many content words apart for two names to form a relation (about one clause)

# Logistic weights over the features of EvidenceScorer.features (fitted once on labelled pairs of the
# development corpus, then rounded; the features are corpus-relative, so nothing here names it).
# Term weights are inverse sentence frequencies divided by the largest a corpus of that size allows,
# so a feature means the same in five articles or a hundred; the former fixed divisors are folded
# into these weights (at the development corpus's size, so its scores did not move).
WEIGHTS = {
    "relation": 6.57,
    "mass": 1.16,
    "pair_mass": 0.06,
    "same_quantity": 2.31,
    "near_quantity": 2.0,
    "same_role": 1.2,
    "same_figure": 2.4,
    "shared": -0.3,
    "coverage": -0.1,
    "heading": -1.7,
}
BIAS = -6.7
FEATURES = (
    "relation",
    "mass",
    "pair_mass",
    "same_quantity",
    "near_quantity",
    "same_role",
    "same_figure",
    "shared",
    "coverage",
    "heading",
)
_WEIGHT_VECTOR = tuple(WEIGHTS[k] for k in FEATURES)
NOTHING_SHARED = -10.0  # the log-odds of a pair that shares no term (its score is 0)


def log_odds(rows: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    """The evidence's log-odds of rows of :data:`FEATURES` (NOTHING_SHARED where no term is shared)."""
    out: npt.NDArray[np.float64] = np.where(
        rows[:, FEATURES.index("mass")] > 0, BIAS + rows @ np.asarray(_WEIGHT_VECTOR), NOTHING_SHARED
    )
    return out


@dataclass(frozen=True)
class _QTerm:
    kind: str
    unit: str
    value: float


@dataclass(frozen=True)
class _Profile:
    """What partial matching needs of one sentence: its word families and its figures, weighted."""

    families: dict[str, list[tuple[str, float]]]  # first PREFIX_MIN letters -> (term, weight)
    family_keys: frozenset[str]
    figures: list[tuple[str, float, _QTerm]]  # (term, weight, parsed)
    qterms: list[_QTerm]


@lru_cache(maxsize=50_000)
def _parse_qterm(term: str) -> _QTerm:
    kind, unit, value = term[1:].split(":", 2)
    return _QTerm(kind, unit, float(value))


def _qterm(q: Quantity) -> _QTerm:
    return _parse_qterm(quantity_term(q))


def _near(x: _QTerm, y: _QTerm) -> bool:
    """Same kind and unit, values within NEAR_RATIO of each other (years and dates only when equal)."""
    if x.kind != y.kind or x.unit != y.unit:
        return False
    if x.kind in ("year", "date"):
        return x.value == y.value
    lo, hi = sorted((abs(x.value), abs(y.value)))
    return lo > 0 and hi / lo <= NEAR_RATIO


def _relations(s: Sentence, names: frozenset[str]) -> set[tuple[str, str]]:
    """Pairs of different names at most RELATION_SPAN content words apart with a word between them.

    "OpenAI's partnership with Microsoft" relates two names; a list ("Google, Microsoft and
    OpenAI") only names them, so names with nothing but other names between them do not count.
    """
    found = set()
    lemmas = s.lemmas
    for i, x in enumerate(lemmas):
        if x not in names:
            continue
        for j in range(i + 1, min(len(lemmas), i + 1 + RELATION_SPAN)):
            y = lemmas[j]
            if y in names and y != x and any(w not in names for w in lemmas[i + 1 : j]):
                found.add((x, y) if x < y else (y, x))
    return found


FIGURE_CONTEXT_BEFORE = 4  # content words before a figure that say what it is ("initial investment of")
FIGURE_CONTEXT_AFTER = 2


def figure_contexts(s: Sentence, names: frozenset[str]) -> list[tuple[_QTerm, frozenset[str]]]:
    """Each comparable figure with the word families around it (names left out): what the figure is an amount of."""
    out = []
    for q in s.quantities:
        if q.kind not in QUANTITY_KINDS:
            continue
        around = words_around(s, q, FIGURE_CONTEXT_BEFORE, FIGURE_CONTEXT_AFTER)
        out.append((_parse_qterm(quantity_term(q)), frozenset(w[:PREFIX_MIN] for w in around if w not in names)))
    return out


class EvidenceScorer:
    """Sentence-pair scores over one corpus (the weights of terms depend on the whole corpus)."""

    def __init__(self, sentences: Sequence[Sentence], names: frozenset[str] | None = None):
        """``names``: the corpus's proper vocabulary when the caller has it (see features.proper_vocabulary)."""
        n = max(len(sentences), 2)
        self.term_sets: dict[Sentence, frozenset[str]] = {s: frozenset(ordered_terms(s)) for s in sentences}
        self.idf = normalised_idf(Counter(t for ts in self.term_sets.values() for t in ts), n)
        self.pair_idf = normalised_idf(
            Counter(p for ts in self.term_sets.values() for p in combinations(sorted(ts), 2)), n
        )
        names = frozenset(proper_vocabulary(sentences)) if names is None else names
        self.relations = {s: frozenset(_relations(s, names)) for s in sentences}
        self.relation_idf = normalised_idf(Counter(r for rs in self.relations.values() for r in rs), n)
        # fsum: a sum over a set must not depend on the set's order (string hashes vary per process).
        self.mass = {s: math.fsum(self.weight(t) for t in ts) for s, ts in self.term_sets.items()}
        self._profiles: dict[Sentence, _Profile] = {}
        self.figures = {s: figure_contexts(s, names) for s in sentences}

    def weight(self, term: str) -> float:
        return self.idf.get(term, 1.0)

    def _profile(self, s: Sentence) -> _Profile:
        """Word families and weighted figures of a sentence, computed once."""
        p = self._profiles.get(s)
        if p is None:
            families: dict[str, list[tuple[str, float]]] = {}
            figures = []
            for t in self.term_sets[s]:
                if t.startswith("#"):
                    figures.append((t, self.weight(t), _parse_qterm(t)))
                elif len(t) >= PREFIX_MIN:
                    families.setdefault(t[:PREFIX_MIN], []).append((t, self.weight(t)))
            p = self._profiles[s] = _Profile(families, frozenset(families), figures, [q for _, _, q in figures])
        return p

    @staticmethod
    def _partly_covered(pa: _Profile, tb: frozenset[str], pb: _Profile) -> float:
        """IDF mass of a's terms that b lacks but covers in part: by word family or by a near figure.

        Only families both sentences have are visited, so the cost follows what they share.
        """
        got = [w * PREFIX_CREDIT for fam in pa.family_keys & pb.family_keys for t, w in pa.families[fam] if t not in tb]
        if pb.qterms:
            got += [
                w * NEAR_QUANTITY_CREDIT
                for t, w, x in pa.figures
                if t not in tb and any(_near(x, y) for y in pb.qterms)
            ]
        return math.fsum(got) if got else 0.0

    def features(self, a: Sentence, b: Sentence) -> dict[str, float]:
        """The signals a score is made of, each roughly in [0, 1], by name."""
        v = self.vector(a, b)
        return {} if v is None else dict(zip(FEATURES, v, strict=True))

    def vector(self, a: Sentence, b: Sentence) -> tuple[float, ...] | None:
        """The features in the order of FEATURES (a tuple, not a dict: this runs for every candidate)."""
        ta, tb = self.term_sets[a], self.term_sets[b]
        if not ta or not tb:
            return None
        pa, pb = self._profile(a), self._profile(b)
        shared = ta & tb if len(ta) <= len(tb) else tb & ta
        exact = math.fsum(self.weight(t) for t in shared)  # covered exactly, the same on both sides
        ca = exact + self._partly_covered(pa, tb, pb)
        cb = exact + self._partly_covered(pb, ta, pa)
        wa, wb = self.mass[a] or 1.0, self.mass[b] or 1.0
        qs_a, qs_b = pa.qterms, pb.qterms
        same_q = max((self.weight(t) for t in shared if t.startswith("#")), default=0.0)
        near_q = 1.0 if same_q else (NEAR_QUANTITY_CREDIT if any(_near(x, y) for x in qs_a for y in qs_b) else 0.0)
        same_role = any(
            x.role and x.role == y.role and (x.value == y.value or _near(_qterm(x), _qterm(y)))
            for x in a.quantities
            if x.kind in QUANTITY_KINDS
            for y in b.quantities
            if y.kind == x.kind and y.unit == x.unit
        )
        # A figure near another in value and described with the same words: one amount told twice.
        same_figure = any((x == y or _near(x, y)) and cx & cy for x, cx in self.figures[a] for y, cy in self.figures[b])
        # Two terms form a shared pair exactly when both are shared terms.
        shared_pairs = combinations(sorted(shared), 2) if len(shared) > 1 else ()
        shared_rel = self.relations[a] & self.relations[b]
        return (
            max((self.relation_idf[r] for r in shared_rel), default=0.0),  # relation
            (ca + cb) / 2,  # mass
            sum(self.pair_idf[p] for p in shared_pairs),  # pair_mass
            same_q,  # same_quantity
            near_q,  # near_quantity
            # Figures in the same slot (initial with initial, remainder with remainder): one fact told twice.
            float(same_role),  # same_role
            float(same_figure),  # same_figure
            len(shared) / 10,  # shared
            min(ca / wa, cb / wb),  # coverage
            float(a.heading or b.heading),  # heading
        )

    def score(self, a: Sentence, b: Sentence) -> float:
        v = self.vector(a, b)
        if v is None or not v[1]:  # nothing of one sentence's vocabulary in the other
            return 0.0
        z = BIAS + sum(w * x for w, x in zip(_WEIGHT_VECTOR, v, strict=True))
        return round(1.0 / (1.0 + math.exp(-z)), 6)
