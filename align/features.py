"""The signals a pair score is made of: generic features of two sentences within one corpus.

Nothing here is fitted. Each sentence is profiled once (its weighted content lemmas, word
families, names, digits, folded text and embedding); a pair's features then compare two
profiles. The paraphrase model that turns them into a probability lives in
:mod:`align.similarity`; its weights were fitted on labelled news sentence pairs by
``bench/fit_scorer.py``. Figures and named relations are weighed by :mod:`align.evidence`.

Term weights blend the corpus's own inverse sentence frequency (what is rare in these articles)
with a general-English prior from word frequencies (what is rare in English): five articles
about one deal make a noisy corpus. A word every article repeats still says something when it
is rare in English, and a common word that happens to occur once here says little. Names keep
the corpus's own weight: their English frequency misleads.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TypeVar

import numpy as np
import numpy.typing as npt
from rapidfuzz import fuzz, process
from rapidfuzz.utils import default_process

from .models import Quantity, Sentence
from .quantities import COMPARABLE_KINDS
from .wordfreq import rarity

K = TypeVar("K")

PREFIX_MIN = 5  # shared leading letters for two lemmas to count as one word family
PREFIX_CREDIT = 0.8  # a word family covers this share of a term's weight
CORPUS_SHARE = 0.5  # weight of the corpus's own IDF in a term's weight; the rest is the English prior
SHARED_MASS_SCALE = 5.0  # shared weight of about five rare words: the scale of one fact told twice
NEIGHBOURHOOD = 5  # a sentence's background similarity: its mean cosine to this many nearest in other documents

# The features in the order of the fitted weights; each is roughly in [0, 1].
FEATURES = (
    "token_sort",
    "token_set",
    "ratio",
    "partial",
    "cover_min",
    "cover_max",
    "jaccard",
    "shared_mass",
    "cosine",
    "cosine_excess",
    "cosine_gap",
    "mutual_best",
    "names_shared",
    "names_unshared",
    "digits_same",
    "digits_clash",
    "length_gap",
)
# The features set arithmetic computes, one pair at a time (the others come in bulk).
LEXICAL = tuple(
    f
    for f in FEATURES
    if f not in ("token_sort", "token_set", "ratio", "partial", "cosine", "cosine_excess", "cosine_gap", "mutual_best")
)
_DIGITS = re.compile(r"\d+(?:[.,]\d+)*")


def quantity_term(q: Quantity) -> str:
    """The term a quantity adds to its sentence's bag: kind, unit and value (hedges ignored)."""
    return f"#{q.kind}:{q.unit}:{q.value:.6g}"


def ordered_terms(s: Sentence) -> list[str]:
    """A sentence's terms in reading order: content lemmas and comparable quantities."""
    offsets = s.lemma_offsets or tuple(range(len(s.lemmas)))
    items = list(zip(offsets, s.lemmas, strict=False))  # offsets may be fewer (a hand-built Sentence)
    items += [(q.start, quantity_term(q)) for q in s.quantities if q.kind in COMPARABLE_KINDS]
    return [t for _, t in sorted(items, key=lambda x: x[0])]


def proper_vocabulary(sentences: Sequence[Sentence]) -> set[str]:
    """Lemmas written with a capital inside sentences more often than in lower case: names.

    Sentence-initial words and Title Case headings say nothing; a word after a dash may be
    capitalised by style, which is why capitals must outnumber lower case, not merely occur.
    """
    upper: Counter[str] = Counter()
    lower: Counter[str] = Counter()
    for s in sentences:
        if s.heading:
            continue
        for k, (off, lemma) in enumerate(zip(s.lemma_offsets, s.lemmas, strict=False)):  # no offsets: no names
            word = s.text[off : off + len(lemma)]
            if any(c.isupper() for c in word[1:]):  # OpenAI, AWS: a name wherever it stands
                upper[lemma] += 2
            elif word[:1].isupper():
                if k > 0 and off > 0:
                    upper[lemma] += 1
            else:
                lower[lemma] += 1
    return {w for w, n in upper.items() if n > lower[w]}


def normalised_idf(counts: Counter[K], n: int) -> dict[K, float]:
    """Smoothed inverse sentence frequency over ``n`` sentences, divided by the largest possible (a
    term in one sentence): in [0, 1], so a weight means the same in five articles or a hundred."""
    top = math.log((n + 1) / 0.5)
    return {t: math.log((n + 1) / (c + 0.5)) / top for t, c in counts.items()}


@dataclass(frozen=True)
class Profile:
    """What pair features need of one sentence, computed once per corpus."""

    weights: dict[str, float]  # content lemma -> weight
    families: dict[str, float]  # first PREFIX_MIN letters -> the heaviest weight of its lemmas
    mass: float  # summed lemma weights
    names: frozenset[str]
    digits: frozenset[str]  # every run of digits as written ("1.25", "2023"): numbers of any kind
    folded: str  # the text as rapidfuzz compares it
    words: int


class Corpus:
    """Term weights and sentence profiles over one corpus (weights depend on the whole corpus)."""

    def __init__(
        self,
        sentences: Sequence[Sentence],
        zipf: Callable[[str], float] | None = None,
        vectors: npt.NDArray[np.float32] | None = None,
    ):
        """``zipf``: word -> Zipf frequency (the bundled table when None); ``vectors``: one unit row per sentence."""
        if zipf is None:
            from .wordfreq import zipf as bundled

            zipf = bundled
        self.sentences = list(sentences)
        self.index = {s: k for k, s in enumerate(self.sentences)}
        n = max(len(self.sentences), 2)
        own_weight = normalised_idf(Counter(t for s in self.sentences for t in set(s.lemmas)), n)
        self.names = frozenset(proper_vocabulary(self.sentences))
        self.weight: dict[str, float] = {}
        for t, own in own_weight.items():
            # A name is as rare as the corpus says: its English frequency ("Apple", "Amazon") misleads.
            prior = own if t in self.names else rarity(zipf(t))
            self.weight[t] = CORPUS_SHARE * own + (1 - CORPUS_SHARE) * prior
        self.profiles = [self._profile(s) for s in self.sentences]
        self.vectors = vectors
        self.doc_of = np.fromiter((s.doc for s in self.sentences), dtype=np.int64, count=len(self.sentences))
        self.best: npt.NDArray[np.float32] | None = None
        self.background: npt.NDArray[np.float32] | None = None
        if vectors is not None:
            self.best, self.background = _neighbourhoods(vectors, self.doc_of)

    def _profile(self, s: Sentence) -> Profile:
        weights = {t: self.weight.get(t, 1.0) for t in s.lemmas}
        families: dict[str, float] = {}
        for t, w in weights.items():
            if len(t) >= PREFIX_MIN and w > families.get(t[:PREFIX_MIN], -1.0):
                families[t[:PREFIX_MIN]] = w
        return Profile(
            weights=weights,
            families=families,
            mass=math.fsum(weights.values()),
            names=frozenset(t for t in weights if t in self.names),
            digits=frozenset(_DIGITS.findall(s.text)),
            folded=default_process(s.text),
            words=len(s.text.split()),
        )


def _neighbourhoods(
    vectors: npt.NDArray[np.float32], doc_of: npt.NDArray[np.int64], chunk: int = 1024
) -> tuple[npt.NDArray[np.float32], npt.NDArray[np.float32]]:
    """Each sentence's best cosine into each document, and its background: the mean cosine to its
    NEIGHBOURHOOD nearest sentences of other documents.

    A corpus about one event makes every sentence close to many: what tells a restatement is how
    much closer it is than the background (the CSLS correction for hubs), and whether it is the
    best match the other document has.
    """
    n = len(doc_of)
    docs = int(doc_of.max()) + 1 if n else 0
    best = np.full((n, docs), -1.0, dtype=np.float32)
    background = np.zeros(n, dtype=np.float32)
    for r0 in range(0, n, chunk):
        sims = vectors[r0 : r0 + chunk] @ vectors.T
        for d in range(docs):
            cols = doc_of == d
            if cols.any():
                best[r0 : r0 + chunk, d] = sims[:, cols].max(axis=1)
        rows = doc_of[r0 : r0 + chunk]
        sims[rows[:, None] == doc_of[None, :]] = -np.inf  # a sentence's own article is no background
        # A small corpus may have fewer than NEIGHBOURHOOD sentences in other articles: average those it has.
        others = np.minimum(n - np.bincount(doc_of, minlength=docs)[rows], NEIGHBOURHOOD)
        k = max(1, min(NEIGHBOURHOOD, n - 1))
        top = -np.partition(-sims, k - 1, axis=1)[:, :k]
        top[np.arange(k)[None, :] >= others[:, None]] = 0.0
        background[r0 : r0 + chunk] = top.sum(axis=1) / np.maximum(others, 1)
    return best, background


def _covered(pa: Profile, pb: Profile) -> float:
    """Weight of a's lemmas that b states exactly, or in part by word family."""
    got = 0.0
    for t, w in pa.weights.items():
        if t in pb.weights:
            got += w
        elif len(t) >= PREFIX_MIN and t[:PREFIX_MIN] in pb.families:
            got += PREFIX_CREDIT * w
    return got


def lexical_features(pa: Profile, pb: Profile) -> list[float]:
    """The features of LEXICAL, in that order."""
    ca, cb = _covered(pa, pb), _covered(pb, pa)
    cov_a = ca / pa.mass if pa.mass else 0.0
    cov_b = cb / pb.mass if pb.mass else 0.0
    shared = pa.weights.keys() & pb.weights.keys()
    inter = math.fsum(pa.weights[t] for t in shared)
    union = pa.mass + pb.mass - inter
    names_a, names_b = pa.names, pb.names
    names_union = names_a | names_b
    names_shared = len(names_a & names_b) / len(names_union) if names_union else 0.0
    names_unshared = len(names_union - (names_a & names_b)) / 5
    return [
        min(cov_a, cov_b),
        max(cov_a, cov_b),
        inter / union if union > 0 else 0.0,
        (ca + cb) / 2 / SHARED_MASS_SCALE,  # how much rare vocabulary they share, whatever their lengths
        names_shared,
        min(names_unshared, 1.0),
        float(bool(pa.digits) and pa.digits == pb.digits),  # digits_same
        float(bool(pa.digits) and bool(pb.digits) and not pa.digits & pb.digits),  # digits_clash
        abs(math.log((pa.words + 1) / (pb.words + 1))) / 3,  # length_gap
    ]


def pair_features(corpus: Corpus, pairs: Sequence[tuple[int, int]]) -> npt.NDArray[np.float64]:
    """The feature matrix (pairs x FEATURES) of pairs of corpus positions, in the order of FEATURES.

    The rapidfuzz ratios go through ``process.cpdist`` in one call each, the cosines through one
    row-wise product: only the set arithmetic is a Python loop.
    """
    m = len(pairs)
    out = np.zeros((m, len(FEATURES)), dtype=np.float64)
    if not m:
        return out
    left = [corpus.profiles[i].folded for i, _ in pairs]
    right = [corpus.profiles[j].folded for _, j in pairs]
    for col, scorer in enumerate((fuzz.token_sort_ratio, fuzz.token_set_ratio, fuzz.ratio, fuzz.partial_ratio)):
        out[:, col] = process.cpdist(left, right, scorer=scorer, dtype=np.float32) / 100.0
    if corpus.vectors is not None and corpus.best is not None and corpus.background is not None:  # all or none
        ia = np.fromiter((i for i, _ in pairs), dtype=np.int64, count=m)
        ib = np.fromiter((j for _, j in pairs), dtype=np.int64, count=m)
        cos = np.einsum("ij,ij->i", corpus.vectors[ia], corpus.vectors[ib])
        out[:, FEATURES.index("cosine")] = cos
        bg = corpus.background
        out[:, FEATURES.index("cosine_excess")] = cos - (bg[ia] + bg[ib]) / 2
        gap_a = corpus.best[ia, corpus.doc_of[ib]] - cos  # how far b is from a's best match in b's document
        gap_b = corpus.best[ib, corpus.doc_of[ia]] - cos
        out[:, FEATURES.index("cosine_gap")] = np.maximum(gap_a, gap_b)
        out[:, FEATURES.index("mutual_best")] = (np.maximum(gap_a, gap_b) <= 1e-6).astype(np.float64)
    lexical = [FEATURES.index(f) for f in LEXICAL]
    profiles = corpus.profiles
    out[:, lexical] = [lexical_features(profiles[i], profiles[j]) for i, j in pairs]
    return out
