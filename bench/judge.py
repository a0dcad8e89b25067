"""A candidate judge, measured and not shipped: boosted trees over every signal of a pair, fitted on ECB+ and MRPC.

Issue 15 asked for one calibrated model that tells two facts of one story apart. This is the
candidate ``bench/fit_judge.py`` fits and validates by topic folds; its figures (docs/quality.md)
were not good enough to replace the shipped scorer: it ranks ECB+ pairs better across stories but
not within one story, and on the seeds it links far too much and loses three of the four
conflicts, because ECB+ teaches that two different figures mean two events. It stays here, with
everything it needs, so the next attempt starts from measured ground:

- event-level signals of a pair (soft word alignment, verbs and event nouns matched by vector);
- a numpy walker for scikit-learn's HistGradientBoostingClassifier trees;
- :class:`Judge`, a scorer behind align's PairScorer protocol, to try in the whole pipeline
  (``align.align(docs, scorer=lambda s: Judge(s, model))``).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from align.evidence import _WEIGHT_VECTOR as EVIDENCE_WEIGHTS
from align.evidence import BIAS as EVIDENCE_BIAS
from align.evidence import FEATURES as EVIDENCE_FEATURES
from align.features import FEATURES, pair_features
from align.models import Sentence
from align.similarity import Scorer

# -- event-level signals ------------------------------------------------------------
# Signals of which event two sentences state: their words aligned one by one, and their predicates.
#
# Bag-of-words overlap and sentence vectors tell stories apart, not facts within a story: two
# sentences about one deal share its names and topic words whether they state its price or its
# date. What tells them apart is which event each states, named by a verb ("acquired", "hit") or
# an event noun ("acquisition", "earthquake"), and how each word of one sentence finds a
# counterpart in the other.
#
# - ``soft_min``/``soft_max``: BERTScore-style soft alignment over static word vectors: each
#   content word's best cosine to the other sentence's words, weighted by the word's rarity,
#   averaged over the sentence; the lower and the higher of the two directions.
# - ``verb_*`` and ``noun_*``: the same over verbs only and over common nouns only (the lower and
#   higher mean best match, the single best match, and whether one lemma is shared).
#
# Nothing here is fitted; the judge below weighs these with the others.

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
            from align.vectors import encode as bundled

            encode = bundled
        vocab = sorted({w for s in sentences for w in s.lemmas})
        table = encode(vocab) if vocab else np.zeros((0, 1), dtype=np.float32)
        row = {w: k for k, w in enumerate(vocab)}
        dim = table.shape[1]
        self.vectors: list[npt.NDArray[np.float32]] = []
        self.weights: list[npt.NDArray[np.float64]] = []
        self.verbs: list[npt.NDArray[np.bool_]] = []
        self.nouns: list[npt.NDArray[np.bool_]] = []
        for s in sentences:
            ids = [row[w] for w in s.lemmas]
            self.vectors.append(table[ids] if ids else np.zeros((0, dim), dtype=np.float32))
            self.weights.append(np.fromiter((weight(w) for w in s.lemmas), dtype=np.float64, count=len(ids)))
            tags = s.lemma_tags if len(s.lemma_tags) == len(ids) else ("",) * len(ids)  # a hand-built Sentence
            self.verbs.append(np.fromiter((t == "VERB" for t in tags), dtype=bool, count=len(ids)))
            self.nouns.append(np.fromiter((t == "NOUN" for t in tags), dtype=bool, count=len(ids)))


def _predicate(sims: npt.NDArray[np.float32], ma: npt.NDArray[np.bool_], mb: npt.NDArray[np.bool_]) -> list[float]:
    """Lower and higher mean best match, the best match, and a shared lemma, over the masked words."""
    if not ma.any() or not mb.any():
        return [_ABSENT] * 4
    sub = sims[np.ix_(ma, mb)]
    va, vb = float(sub.max(axis=1).mean()), float(sub.max(axis=0).mean())
    top = float(sub.max())
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
        wa, wb = words.weights[i], words.weights[j]
        ra = float(sims.max(axis=1) @ wa) / max(float(wa.sum()), 1e-9)
        rb = float(sims.max(axis=0) @ wb) / max(float(wb.sum()), 1e-9)
        out[k] = [
            min(ra, rb),
            max(ra, rb),
            *_predicate(sims, words.verbs[i], words.verbs[j]),
            *_predicate(sims, words.nouns[i], words.nouns[j]),
        ]
    return out


# -- the trees ----------------------------------------------------------------------


@dataclass(frozen=True)
class Forest:
    """Trees as padded arrays (trees x nodes); a leaf's ``left`` and ``right`` point to itself."""

    feature: npt.NDArray[np.int64]
    threshold: npt.NDArray[np.float64]
    left: npt.NDArray[np.int64]
    right: npt.NDArray[np.int64]
    value: npt.NDArray[np.float64]
    depth: int
    baseline: float

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Forest:
        """Read the ``trees`` of a fitted model: each a dict of equal-length node lists."""
        trees: Sequence[dict[str, list[Any]]] = data["trees"]
        width = max(len(t["value"]) for t in trees)
        shape = (len(trees), width)
        feature = np.zeros(shape, dtype=np.int64)
        threshold = np.zeros(shape, dtype=np.float64)
        left = np.tile(np.arange(width, dtype=np.int64), (len(trees), 1))
        right = left.copy()
        value = np.zeros(shape, dtype=np.float64)
        for k, t in enumerate(trees):
            n = len(t["value"])
            leaf = np.asarray(t["leaf"], dtype=bool)
            feature[k, :n] = t["feature"]
            threshold[k, :n] = t["threshold"]
            left[k, :n] = np.where(leaf, np.arange(n), t["left"])
            right[k, :n] = np.where(leaf, np.arange(n), t["right"])
            value[k, :n] = t["value"]
        return cls(feature, threshold, left, right, value, int(data["depth"]), float(data["baseline"]))

    def raw(self, x: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
        """The summed log-odds of rows of features (go left when a value is at most the threshold)."""
        n = x.shape[0]
        trees = np.arange(self.feature.shape[0])[:, None]
        node = np.zeros((self.feature.shape[0], n), dtype=np.int64)
        rows = np.arange(n)[None, :]
        for _ in range(self.depth):
            go_left = x[rows, self.feature[trees, node]] <= self.threshold[trees, node]
            node = np.where(go_left, self.left[trees, node], self.right[trees, node])
        return self.baseline + self.value[trees, node].sum(axis=0)


# -- the two articles and the two halves of the shipped scorer ------------------------------
# Two sentences are likelier to state one fact when their whole articles report one event: the
# articles' similarity lets the trees read a clash of figures as a conflict inside one story and as
# another event across two. The shipped scorer's two halves come in as log-odds.
CONTEXT_FEATURES = ("doc_cosine", "doc_excess", "doc_terms", "paraphrase_logit", "evidence_logit")


def _unit(m: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    return m / np.maximum(np.linalg.norm(m, axis=1, keepdims=True), 1e-12)


def document_similarity(
    vectors: npt.NDArray[np.float32], weights: Sequence[dict[str, float]], doc_of: npt.NDArray[np.int64]
) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64], npt.NDArray[np.float64]]:
    """(documents x documents): cosine of the articles' mean sentence vectors, that cosine less the
    mean of each row's other documents, and the cosine of their weighted term bags."""
    docs = int(doc_of.max()) + 1 if len(doc_of) else 0
    centroid = np.zeros((docs, vectors.shape[1]))
    np.add.at(centroid, doc_of, vectors)
    cos = _unit(centroid) @ _unit(centroid).T
    off = ~np.eye(docs, dtype=bool)
    mean = (cos * off).sum(axis=1) / np.maximum(off.sum(axis=1), 1)
    excess = cos - (mean[:, None] + mean[None, :]) / 2
    vocab: dict[str, int] = {}
    rows: list[dict[int, float]] = [{} for _ in range(docs)]
    for d, w in zip(doc_of.tolist(), weights, strict=True):
        for t, v in w.items():
            k = vocab.setdefault(t, len(vocab))
            rows[d][k] = rows[d].get(k, 0.0) + v
    bags = np.zeros((docs, max(len(vocab), 1)))
    for d, row in enumerate(rows):
        for k, v in row.items():
            bags[d, k] = v
    return cos, excess, _unit(bags) @ _unit(bags).T


# Every signal the judge weighs, in the order of the fitted model's columns.
JUDGE_FEATURES = FEATURES + EVIDENCE_FEATURES + EVENT_FEATURES + CONTEXT_FEATURES


class Judge(Scorer):
    """The shipped scorer's corpus statistics, scored by the fitted trees instead of the noisy-OR of two halves."""

    def __init__(self, sentences: Sequence[Sentence], judge: dict[str, Any]):
        super().__init__(sentences)
        self.judge = judge
        self.forest = Forest.from_dict(judge) if "trees" in judge else None
        self._words: WordProfiles | None = None
        self._documents: tuple[npt.NDArray[np.float64], ...] | None = None

    @property
    def documents(self) -> tuple[npt.NDArray[np.float64], ...]:
        if self._documents is None:
            c = self.corpus
            assert c.vectors is not None
            self._documents = document_similarity(c.vectors, [p.weights for p in c.profiles], c.doc_of)
        return self._documents

    def context_features(self, idx: Sequence[tuple[int, int]], x: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
        """CONTEXT_FEATURES of pairs of corpus positions, ``x`` their paraphrase and evidence columns."""
        c = self.corpus
        da = c.doc_of[[i for i, _ in idx]]
        db = c.doc_of[[j for _, j in idx]]
        cos, excess, terms = self.documents
        paraphrase = x[:, : len(FEATURES)] @ self._weights + float(self.model["bias"])
        ev = x[:, len(FEATURES) : len(FEATURES) + len(EVIDENCE_FEATURES)]
        evidence = EVIDENCE_BIAS + ev @ np.asarray(EVIDENCE_WEIGHTS)
        evidence = np.where(ev[:, EVIDENCE_FEATURES.index("mass")] > 0, evidence, -10.0)  # as its score: nothing shared
        return np.column_stack([cos[da, db], excess[da, db], terms[da, db], paraphrase, evidence])

    @property
    def words(self) -> WordProfiles:
        if self._words is None:
            weight = self.corpus.weight
            self._words = WordProfiles(self.sentences, lambda w: weight.get(w, 1.0))
        return self._words

    def fingerprint(self) -> str:
        return "judge/" + hashlib.sha256(json.dumps(self.judge, sort_keys=True).encode()).hexdigest()[:16]

    def feature_matrix(self, pairs: Sequence[tuple[Sentence, Sentence]]) -> npt.NDArray[np.float64]:
        """The judge's inputs (pairs x JUDGE_FEATURES), each pair read earlier sentence first."""
        c = self.corpus
        idx = [(i, j) if i < j else (j, i) for i, j in ((c.index[a], c.index[b]) for a, b in pairs)]
        ev = self.evidence
        s = self.sentences
        evidence = [ev._vector(s[i], s[j]) or (0.0,) * len(EVIDENCE_FEATURES) for i, j in idx]
        x = np.hstack(
            [
                pair_features(c, idx),
                np.asarray(evidence, dtype=np.float64).reshape(len(idx), len(EVIDENCE_FEATURES)),
                event_features(self.words, idx),
            ]
        )
        return np.hstack([x, self.context_features(idx, x)])

    def score_many(self, pairs: Sequence[tuple[Sentence, Sentence]]) -> list[float]:
        if not pairs:
            return []
        assert self.forest is not None, "no fitted trees: run bench/fit_judge.py"
        cal = self.judge["calibration"]
        z = float(cal["slope"]) * self.forest.raw(self.feature_matrix(pairs)) + float(cal["intercept"])
        return [round(v, 6) for v in (1.0 / (1.0 + np.exp(-z))).tolist()]
