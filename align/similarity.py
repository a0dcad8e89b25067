"""How likely two sentences in different documents state the same fact: a scorer behind a small protocol.

A scorer is modelled on rapidfuzz's ``scorer=`` contract: whatever has :meth:`PairScorer.score`,
:meth:`~PairScorer.score_many`, :meth:`~PairScorer.fingerprint` and
:meth:`~PairScorer.blocking_terms` can be passed to :func:`align.align` and
:func:`align.pair_scores`, as a factory that takes the corpus's sentences. The score cache keys
on the fingerprint, so new weights or vectors never reuse old scores.

The default :class:`Scorer` is one calibrated model, the judge: boosted trees over every signal of
a pair, fitted by ``bench/fit_judge.py`` on real labelled pairs (ECB+ news topics: one event
against two events of one story and events of other stories; MRPC paraphrases) and validated by
topic folds, shipped in ``align/data/judge.json``. Its inputs:

- the generic features of :mod:`align.features` (rapidfuzz ratios, weighted lemma coverage,
  static-vector cosine and its excess over the corpus's background, names, digits, length), and
  their paraphrase log-odds from the logistic model of ``align/data/scorer.json``
  (``bench/fit_scorer.py``, MRPC);
- the in-domain evidence of :mod:`align.evidence` (a figure told again in the same role, two
  names in one clause, rare vocabulary of these articles shared) and its log-odds;
- which event each sentence states (:mod:`align.events`: words and predicates aligned by vector);
- how alike the two whole articles are (:mod:`align.articles`).

The trees' log-odds are calibrated together with one more signal: whether the two articles report
two different stories when the corpus is split into its stories (:mod:`align.stories`). Two
sentences of two stories state one fact only by chance, whatever their words share: the
calibration lowers their log-odds by a fitted amount (``other_story``), so the judge ranks a pair
across two stories below one inside a story. A corpus the reader aligns story by story says it is
one story (``one_story``), and then the term never applies.

Two rules stand beside the model, each for what no training data here shows: a heading inside an
article that is a question or has no verb after its subject ("Why Amazon is investing", "Details
of the deal") names a section and states no fact, so it is never linked; and a figure told again
(the same or a near value, in the same role or words) keeps at least the evidence's own
probability, because a fact's figures in conflict are what the reader most needs linked and
neither ECB+ nor MRPC holds a figure's role.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable, Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any, Protocol, runtime_checkable

import numpy as np
import numpy.typing as npt

from . import paraphrase
from .articles import document_similarity
from .errors import InstallError
from .events import EVENT_FEATURES, WordProfiles, event_features
from .evidence import FEATURES as EVIDENCE_FEATURES
from .evidence import EvidenceScorer, log_odds
from .features import FEATURES, Corpus, ordered_terms, pair_features
from .forest import Forest
from .models import Sentence
from .stories import sentence_terms, story_labels
from .vectors import fingerprint as vectors_fingerprint

MODEL_PATH = Path(__file__).with_name("data") / "scorer.json"
MODEL_FORMAT = 1
JUDGE_PATH = Path(__file__).with_name("data") / "judge.json"
# The two articles' similarity, and the paraphrase and evidence log-odds of the pair.
CONTEXT_FEATURES = ("doc_cosine", "doc_excess", "doc_terms", "paraphrase_logit", "evidence_logit")
# Every signal the judge weighs, in the order of the fitted model's columns.
JUDGE_FEATURES = FEATURES + EVIDENCE_FEATURES + EVENT_FEATURES + CONTEXT_FEATURES
# A figure told again: the same or a near value, or one in the same role or words (evidence features).
_FIGURE_SIGNALS = [JUDGE_FEATURES.index(k) for k in ("same_role", "same_figure", "near_quantity")]
_EVIDENCE_LOGIT = JUDGE_FEATURES.index("evidence_logit")


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


@runtime_checkable
class RefiningScorer(PairScorer, Protocol):
    """A scorer with a second, costlier reading of a pair (the default :class:`Scorer`'s cross-encoder)."""

    def refined_many(self, pairs: Sequence[tuple[Sentence, Sentence]]) -> list[float]:
        """The refined probability of every pair, in order."""
        ...

    def refined_fingerprint(self) -> str:
        """What decides the refined scores besides the sentences."""
        ...


class ModelError(InstallError):
    """The shipped model file is missing or does not fit the features."""


def _read_json(path: Path, what: str) -> dict[str, Any]:
    try:
        data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as e:
        raise ModelError(f"cannot read {what} {path} ({e}); reinstall deal-reader") from e
    return data


@lru_cache(maxsize=4)
def load_model(path: Path = MODEL_PATH) -> dict[str, Any]:
    """The fitted model: ``weights`` (one per feature, the standardisation folded in) and ``bias``."""
    model = _read_json(path, "the scorer's weights")
    if model.get("format") != MODEL_FORMAT or tuple(model.get("features", ())) != FEATURES:
        raise ModelError(f"{path} was fitted for other features; run bench/fit_scorer.py")
    return model


@lru_cache(maxsize=4)
def load_judge(path: Path = JUDGE_PATH) -> dict[str, Any]:
    """The fitted judge: ``trees`` (see :class:`align.forest.Forest`) and the Platt ``calibration``
    (``slope`` of the trees' log-odds, ``other_story`` for a pair of two stories, ``intercept``)."""
    judge = _read_json(path, "the judge")
    calibration = judge.get("calibration")
    if (
        tuple(judge.get("features", ())) != JUDGE_FEATURES
        or "trees" not in judge
        or not isinstance(calibration, dict)
        or not {"slope", "intercept", "other_story"} <= calibration.keys()
    ):
        raise ModelError(f"{path} was fitted for other features; run bench/fit_judge.py")
    return judge


@lru_cache(maxsize=1)
def _code_and_data_hash() -> str:
    """The scoring code and the data it reads besides the weights: word frequencies and vectors."""
    h = hashlib.sha256()
    here = Path(__file__).parent
    for name in (
        "similarity.py",
        "features.py",
        "evidence.py",
        "events.py",
        "articles.py",
        "stories.py",
        "forest.py",
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
    """The default scorer: the judge over :data:`JUDGE_FEATURES`, with its two rules (see the module docstring).

    Building it is cheap; the corpus statistics are computed on the first score, so a corpus
    whose scores come from the cache never pays for them.
    """

    def __init__(
        self,
        sentences: Sequence[Sentence],
        model: dict[str, Any] | None = None,
        judge: dict[str, Any] | None = None,
        one_story: bool = False,
    ):
        """``model``: paraphrase weights as :func:`load_model` returns them, ``judge`` as :func:`load_judge`
        (the shipped ones when None); ``one_story``: the corpus is known to report one story (the
        reader's stories are: split again on their own, a few would part), else its stories are found."""
        self.sentences = list(sentences)
        self.one_story = one_story
        self.model = model if model is not None else load_model()
        self.judge = judge if judge is not None else load_judge()
        self._weights = np.asarray(self.model["weights"], dtype=np.float64)
        self._corpus: Corpus | None = None
        self._evidence: EvidenceScorer | None = None
        self._words: WordProfiles | None = None
        self._articles: tuple[npt.NDArray[np.float64], ...] | None = None
        self._story_of: npt.NDArray[np.int64] | None = None
        self._forest: Forest | None = None

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

    @property
    def words(self) -> WordProfiles:
        if self._words is None:
            weight = self.corpus.weight
            self._words = WordProfiles(self.sentences, lambda w: weight.get(w, 1.0))
        return self._words

    @property
    def articles(self) -> tuple[npt.NDArray[np.float64], ...]:
        """(documents x documents) similarities of the corpus's articles (see align.articles)."""
        if self._articles is None:
            c = self.corpus
            assert c.vectors is not None
            self._articles = document_similarity(c.vectors, [p.weights for p in c.profiles], c.doc_of)
        return self._articles

    @property
    def story_of(self) -> npt.NDArray[np.int64]:
        """The story number of each document of the corpus (see align.stories; all 1 with ``one_story``)."""
        if self._story_of is None:
            doc_of = self.corpus.doc_of
            docs = int(doc_of.max()) + 1 if len(doc_of) else 0
            if self.one_story:
                self._story_of = np.ones(docs, dtype=np.int64)
            else:
                bags: list[list[Sentence]] = [[] for _ in range(docs)]
                for s, d in zip(self.sentences, doc_of.tolist(), strict=True):
                    bags[d].append(s)
                self._story_of = np.asarray(story_labels([sentence_terms(b) for b in bags]), dtype=np.int64)
        return self._story_of

    @property
    def forest(self) -> Forest:
        if self._forest is None:
            self._forest = Forest.from_dict(self.judge)
        return self._forest

    def fingerprint(self) -> str:
        weights = hashlib.sha256(json.dumps([self.model, self.judge], sort_keys=True).encode()).hexdigest()[:16]
        return f"judge/{_code_and_data_hash()}/{weights}" + ("/one-story" if self.one_story else "")

    def blocking_terms(self, s: Sentence) -> list[str]:
        return ordered_terms(s)

    def features(self, a: Sentence, b: Sentence) -> dict[str, float]:
        """The signals of one pair, by name."""
        return dict(zip(JUDGE_FEATURES, self.feature_matrix([(a, b)])[0].tolist(), strict=True))

    def logits(self, x: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
        """The paraphrase log-odds of rows of :data:`align.features.FEATURES`."""
        return x @ self._weights + float(self.model["bias"])

    def feature_matrix(self, pairs: Sequence[tuple[Sentence, Sentence]]) -> npt.NDArray[np.float64]:
        """The judge's inputs (pairs x JUDGE_FEATURES), each pair read earlier sentence first (scores are symmetric)."""
        c = self.corpus
        idx = [(i, j) if i < j else (j, i) for i, j in ((c.index[a], c.index[b]) for a, b in pairs)]
        s, ev = self.sentences, self.evidence
        evidence = np.asarray(
            [ev.vector(s[i], s[j]) or (0.0,) * len(EVIDENCE_FEATURES) for i, j in idx], dtype=np.float64
        ).reshape(len(idx), len(EVIDENCE_FEATURES))
        generic = pair_features(c, idx)
        cos, excess, terms = self.articles
        da, db = c.doc_of[[i for i, _ in idx]], c.doc_of[[j for _, j in idx]]
        context = np.column_stack(
            [cos[da, db], excess[da, db], terms[da, db], self.logits(generic), log_odds(evidence)]
        )
        return np.hstack([generic, evidence, event_features(self.words, idx), context])

    def apart(self, pairs: Sequence[tuple[Sentence, Sentence]]) -> npt.NDArray[np.bool_]:
        """Whether each pair's two articles report two different stories of the corpus."""
        story = self.story_of
        return np.fromiter((story[a.doc] != story[b.doc] for a, b in pairs), dtype=bool, count=len(pairs))

    def story_term(self, pairs: Sequence[tuple[Sentence, Sentence]]) -> npt.NDArray[np.float64]:
        """The calibration's log-odds term of each pair: ``other_story`` when its articles are :meth:`apart`, else 0."""
        return np.where(self.apart(pairs), float(self.judge["calibration"]["other_story"]), 0.0)

    def judge_log_odds(self, x: npt.NDArray[np.float64], story: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
        """The judge's calibrated log-odds for rows of :data:`JUDGE_FEATURES` with their :meth:`story_term`."""
        cal = self.judge["calibration"]
        out: npt.NDArray[np.float64] = float(cal["slope"]) * self.forest.raw(x) + float(cal["intercept"]) + story
        return out

    def probability(self, x: npt.NDArray[np.float64], story: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
        """The judge's calibrated probability for rows of :data:`JUDGE_FEATURES` with their :meth:`story_term`,
        before the rules."""
        return _sigmoid(self.judge_log_odds(x, story))

    def score_many(self, pairs: Sequence[tuple[Sentence, Sentence]]) -> list[float]:
        if not pairs:
            return []
        x = self.feature_matrix(pairs)
        story = self.story_term(pairs)
        return [round(v, 6) for v in _with_rules(self.probability(x, story), x, pairs, story).tolist()]

    def score(self, a: Sentence, b: Sentence) -> float:
        return self.score_many([(a, b)])[0]

    def refined_fingerprint(self) -> str:
        """The fingerprint of :meth:`refined_many`'s scores: the judge's and the cross-encoder's."""
        return f"{self.fingerprint()}/paraphrase/{paraphrase.fingerprint()}"

    def refined_many(self, pairs: Sequence[tuple[Sentence, Sentence]]) -> list[float]:
        """The judge's log-odds joined with the paraphrase cross-encoder's (see :mod:`align.rereading`), then the rules.

        The cross-encoder reads both sentences together, so it tells a restatement in other words
        from two statements that share words; it costs about a hundred times the judge's time per
        pair.
        """
        if not pairs:
            return []
        x = self.feature_matrix(pairs)
        story = self.story_term(pairs)
        read = paraphrase.load().logits([(a.text, b.text) for a, b in pairs])
        w = paraphrase.settings()
        z = float(w["judge"]) * self.judge_log_odds(x, story) + float(w["paraphrase"]) * read + float(w["intercept"])
        return [round(v, 6) for v in _with_rules(_sigmoid(z), x, pairs, story).tolist()]


def _sigmoid(z: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    out: npt.NDArray[np.float64] = 1.0 / (1.0 + np.exp(-z))
    return out


def _with_rules(
    p: npt.NDArray[np.float64],
    x: npt.NDArray[np.float64],
    pairs: Sequence[tuple[Sentence, Sentence]],
    story: npt.NDArray[np.float64],
) -> npt.NDArray[np.float64]:
    """The judge's probabilities with the two rules applied (see the module docstring); ``story`` is the
    calibration's log-odds term for a pair of two stories (0 inside one), which the figure rule keeps too."""
    figure = (x[:, _FIGURE_SIGNALS] > 0).any(axis=1)
    p = np.where(figure, np.maximum(p, 1.0 / (1.0 + np.exp(-(x[:, _EVIDENCE_LOGIT] + story)))), p)
    section = np.fromiter((_names_a_section(a) or _names_a_section(b) for a, b in pairs), dtype=bool, count=len(pairs))
    out: npt.NDArray[np.float64] = np.where(section, 0.0, p)
    return out


# A heading that opens with one of these asks what the section answers ("Why Amazon is investing").
_QUESTION_WORDS = frozenset({"why", "how", "what", "when", "where", "who", "which"})


def _names_a_section(s: Sentence) -> bool:
    """A heading inside an article that states nothing: a question, or a phrase without a verb after its
    subject ("Details of the deal", "Investing to win clients"). A headline with one ("Acme and Beta
    announce a merger") states news, and so does an article's first line, its title."""
    if not s.heading or s.index == 1:
        return False
    words = s.text.split()
    if words and words[0].lower().strip("\"'“‘") in _QUESTION_WORDS:
        return True
    tags = s.lemma_tags
    if len(tags) != len(s.lemmas):  # a sentence built without parts of speech: nothing to go on
        return False
    return not any(t == "VERB" and any(u in ("NOUN", "PROPN") for u in tags[:k]) for k, t in enumerate(tags))
