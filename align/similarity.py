"""How likely two sentences in different documents state the same fact: a scorer behind a small protocol.

A scorer is modelled on rapidfuzz's ``scorer=`` contract: whatever has :meth:`PairScorer.score`,
:meth:`~PairScorer.score_many`, :meth:`~PairScorer.fingerprint` and
:meth:`~PairScorer.blocking_terms` can be passed to :func:`align.align` and
:func:`align.pair_scores`, as a factory that takes the corpus's sentences. The score cache keys
on the fingerprint, so new weights or vectors never reuse old scores.

The default :class:`Scorer` joins two halves, either of which suffices:

- a paraphrase model, logistic over the generic features of :mod:`align.features` (rapidfuzz
  ratios, weighted lemma coverage, static-vector cosine and its excess over the corpus's
  background, names, digits, length), fitted by ``bench/fit_scorer.py`` on labelled news
  sentence pairs (MRPC) and shipped in ``align/data/scorer.json``;
- the in-domain evidence of :mod:`align.evidence` (a figure told again in the same role, two
  names in one clause, rare vocabulary of these articles shared), which paraphrase data cannot
  teach.

``1 - (1 - p)(1 - q)`` is the probability that the two sentences state one fact when either
kind of evidence alone can show it.
"""

from __future__ import annotations

import hashlib
import json
import math
from collections.abc import Callable, Iterable, Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any, Protocol, runtime_checkable

import numpy as np
import numpy.typing as npt

from .errors import InstallError
from .evidence import EvidenceScorer
from .features import FEATURES, Corpus, ordered_terms, pair_features
from .models import Sentence
from .vectors import fingerprint as vectors_fingerprint

MODEL_PATH = Path(__file__).with_name("data") / "scorer.json"
MODEL_FORMAT = 1


@runtime_checkable
class PairScorer(Protocol):
    """What the aligner needs of a scorer built over one corpus."""

    def score(self, a: Sentence, b: Sentence) -> float:
        """The probability, in [0, 1], that ``a`` and ``b`` state the same fact."""
        ...

    def score_many(self, pairs: Sequence[tuple[Sentence, Sentence]]) -> list[float]:
        """``score(a, b)`` for every pair, in order (the fast path for many candidates)."""
        ...

    def fingerprint(self) -> str:
        """What decides the scores besides the sentences: code, weights and vectors."""
        ...

    def blocking_terms(self, s: Sentence) -> Iterable[str]:
        """Terms that propose candidate pairs: two sentences that share none are never scored."""
        ...


ScorerFactory = Callable[[Sequence[Sentence]], PairScorer]


class ModelError(InstallError):
    """The shipped model file is missing or does not fit the features."""


@lru_cache(maxsize=4)
def load_model(path: Path = MODEL_PATH) -> dict[str, Any]:
    """The fitted model: ``weights`` (one per feature, the standardisation folded in) and ``bias``."""
    try:
        model: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as e:
        raise ModelError(f"cannot read the scorer's weights {path} ({e}); reinstall deal-reader") from e
    if model.get("format") != MODEL_FORMAT or tuple(model.get("features", ())) != FEATURES:
        raise ModelError(f"{path} was fitted for other features; run bench/fit_scorer.py")
    return model


@lru_cache(maxsize=1)
def _code_and_data_hash() -> str:
    """The scoring code and the data it reads besides the weights: word frequencies and vectors."""
    h = hashlib.sha256()
    here = Path(__file__).parent
    for name in (
        "similarity.py",
        "features.py",
        "evidence.py",
        "quantities.py",
        "vectors.py",
        "wordfreq.py",
        "data/wordfreq.tsv.gz",
    ):
        p = here / name
        h.update(name.encode())
        h.update(hashlib.sha256(p.read_bytes()).digest() if p.exists() else b"-")
    # The 15 MB table is known by the fingerprint its build stored, not hashed again at each start.
    h.update(vectors_fingerprint().encode())
    return h.hexdigest()[:16]


def sentence_vectors(sentences: Sequence[Sentence]) -> npt.NDArray[np.float32]:
    """Unit embedding rows of the sentences, from the parse when it holds them, else encoded now."""
    from .vectors import encode, from_bytes

    rows: list[npt.NDArray[np.float32] | None] = [from_bytes(s.vector) if s.vector else None for s in sentences]
    missing = [k for k, r in enumerate(rows) if r is None]
    if missing:
        for k, r in zip(missing, encode([sentences[k].text for k in missing]), strict=True):
            rows[k] = r
    if not rows:
        return np.zeros((0, 1), dtype=np.float32)
    return np.vstack([r for r in rows if r is not None]).astype(np.float32)


class Scorer:
    """The default scorer: the paraphrase model over :data:`align.features.FEATURES`, joined with the evidence.

    Building it is cheap; the corpus statistics are computed on the first score, so a corpus
    whose scores come from the cache never pays for them.
    """

    def __init__(self, sentences: Sequence[Sentence], model: dict[str, Any] | None = None):
        """``model``: weights as :func:`load_model` returns them (the shipped ones when None)."""
        self.sentences = list(sentences)
        self.model = model if model is not None else load_model()
        self._weights = np.asarray(self.model["weights"], dtype=np.float64)
        self._corpus: Corpus | None = None
        self._evidence: EvidenceScorer | None = None

    @property
    def evidence(self) -> EvidenceScorer:
        if self._evidence is None:
            self._evidence = EvidenceScorer(self.sentences, names=self.corpus.names)
        return self._evidence

    @property
    def corpus(self) -> Corpus:
        if self._corpus is None:
            self._corpus = Corpus(self.sentences, vectors=sentence_vectors(self.sentences))
        return self._corpus

    def fingerprint(self) -> str:
        weights = hashlib.sha256(json.dumps(self.model, sort_keys=True).encode()).hexdigest()[:16]
        return f"learned/{_code_and_data_hash()}/{weights}"

    def blocking_terms(self, s: Sentence) -> list[str]:
        return ordered_terms(s)

    def features(self, a: Sentence, b: Sentence) -> dict[str, float]:
        """The signals of one pair, by name."""
        c = self.corpus
        return dict(zip(FEATURES, pair_features(c, [(c.index[a], c.index[b])])[0].tolist(), strict=True))

    def logits(self, x: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
        """The paraphrase half's log-odds of feature rows."""
        return x @ self._weights + float(self.model["bias"])

    def paraphrase(self, pairs: Sequence[tuple[Sentence, Sentence]]) -> list[float]:
        """The paraphrase half: the probability that the two sentences say the same thing."""
        c = self.corpus
        # Each pair in a fixed orientation (earlier sentence first): scores are symmetric exactly.
        idx = [(i, j) if i < j else (j, i) for i, j in ((c.index[a], c.index[b]) for a, b in pairs)]
        return [1.0 / (1.0 + math.exp(-v)) for v in self.logits(pair_features(c, idx)).tolist()]

    def score_many(self, pairs: Sequence[tuple[Sentence, Sentence]]) -> list[float]:
        if not pairs:
            return []
        ev = self.evidence
        # Either kind of evidence suffices: a restatement, or a fact's figure or names told again.
        return [
            round(1.0 - (1.0 - p) * (1.0 - ev.score(a, b)), 6)
            for p, (a, b) in zip(self.paraphrase(pairs), pairs, strict=True)
        ]

    def score(self, a: Sentence, b: Sentence) -> float:
        return self.score_many([(a, b)])[0]
