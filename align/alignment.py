"""Choose aligned sentence pairs across all documents and group them into facts.

Articles reorder facts, so nothing here assumes order: every cross-document pair that the
candidate step proposes is scored, and a pair is kept when its score, the probability that the
two sentences state one fact, clears the threshold on its own merits. A sentence may so align
with several sentences of another article (one sentence stating three facts that another
article tells in three); only a sentence's best few links into each other article are kept, so
a hub that scores well against everything cannot link unrelated facts.
"""

from __future__ import annotations

import copy
import itertools
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from operator import attrgetter
from typing import TYPE_CHECKING, overload

from . import facts as grouping
from .conflicts import find_conflicts
from .copies import is_copy
from .facts import group_facts, number_facts
from .models import AlignedPair, Conflict, Document, Fact, Sentence
from .parallel import score_all
from .problems import Problem
from .rereading import read_again, to_refine
from .similarity import PairScorer, RefiningScorer, Scorer, ScorerFactory, sentence_vectors

if TYPE_CHECKING:  # the cache modules load only when align() runs
    from .cache import DiskStore
    from .factcache import FactCache
    from .scorecache import ScoreCache

# The default threshold: the judge's probability with the best F1 on held-out ECB+ pairs within one
# story, weighed as the judge was trained (bench/fit_judge.py prints it; docs/quality.md the curve).
DEFAULT_THRESHOLD = 0.25
# A sentence keeps at most this many links into each other document: the hub guard (README: 1 to 100 measured).
MAX_LINKS_PER_DOCUMENT = 2
# A pair implied by two aligned pairs (a~b, b~c => a~c) must still score this share of the threshold
# (measured at 0.02, 0.5 and 1: above 0.02 the 004 tranche sentence loses a conflict it shares with 002).
COMPLETION_FLOOR = 0.02
# ...and only through a sentence aligned with at most this many others (in a story told by twenty
# articles, one event's sentence links to two in each of the others: 12 cut ECB+'s exports to recall
# 0.241 where 40 gives 0.254, precision 0.998 both, the dev gold the same; 40 to 1000 are the same).
COMPLETION_MAX_DEGREE = 40
# Scores below this are not kept at all: far below any threshold, they would only fill memory. Below
# the completion floor of the lowest threshold the reader offers (0.05 x COMPLETION_FLOOR), so a pair
# that completion asks about is never dropped here and scored again.
MIN_KEPT_SCORE = 0.001
# The score a link the reader added carries inside the engine (shown and exported as "user").
USER_SCORE = 1.0
# A sentence with no link is called unique to its article only when nothing in another article scores
# even this much against it; above this, its closest sentence is a near miss ("not linked", which is
# not "no other article states it"). Measured with the judge (docs/quality.md): of ECB+'s unlinked
# annotated sentences that another article does state, 14% stay below it (26% below 0.10).
UNIQUE_BELOW = 0.05
NEAR_MISSES_KEPT = 3  # a sentence's best few candidates, so a rejected one leaves the next


@dataclass
class Reuse:
    """What does not depend on the threshold, computed once for every threshold of one corpus."""

    score_of: dict[tuple[Sentence, Sentence], float] | None = None  # every scored pair
    # (conflicts, copy) of a pair
    verdicts: dict[tuple[Sentence, Sentence], tuple[tuple[Conflict, ...], bool]] = field(default_factory=dict)
    closest: dict[Sentence, list[ScoredPair]] | None = None  # each sentence's best candidates, best first
    position: dict[Sentence, int] | None = None  # each sentence's position in corpus order (the fact cache's keys)


@dataclass(frozen=True)
class ScoredPair:
    a: Sentence
    b: Sentence
    score: float


def candidate_pairs(documents: Sequence[Document], scorer: PairScorer) -> list[tuple[Sentence, Sentence]]:
    """Cross-document sentence pairs worth scoring (a from an earlier document than b).

    A sparse TF-IDF product over the scorer's blocking terms, and the nearest sentences by
    embedding, propose them (see :mod:`align.candidates`), so the scorer never visits every pair.
    """
    from .candidates import candidate_pairs as propose

    sentences = [s for d in documents for s in d.sentences]
    terms = {s: list(scorer.blocking_terms(s)) for s in sentences}
    return propose(documents, terms, vectors=sentence_vectors(sentences))


def score_pairs(documents: Sequence[Document], scorer: PairScorer | None = None) -> list[ScoredPair]:
    """Scores of the candidate pairs that score at least MIN_KEPT_SCORE, best first."""
    scorer = scorer or Scorer([s for d in documents for s in d.sentences])
    pairs = candidate_pairs(documents, scorer)
    out = [
        ScoredPair(a, b, s) for (a, b), s in zip(pairs, score_all(scorer, pairs), strict=True) if s >= MIN_KEPT_SCORE
    ]
    # Candidates come in document order, and a stable sort keeps it among equal scores.
    out.sort(key=attrgetter("score"), reverse=True)
    return out


def refine_scored(scored: Sequence[ScoredPair], scorer: PairScorer) -> list[ScoredPair]:
    """``scored`` with the pairs :func:`align.rereading.to_refine` picks read again by the scorer's cross-encoder
    (a scorer without one leaves them as they are), best first."""
    if not isinstance(scorer, RefiningScorer):
        return list(scored)
    *_, (_, _, out) = refining(scored, scorer)
    return out


def refining(
    scored: Sequence[ScoredPair], scorer: RefiningScorer, steps: int = 1
) -> Iterator[tuple[int, int, list[ScoredPair]]]:
    """Read again the pairs :func:`align.rereading.to_refine` picks, most uncertain first, in ``steps`` parts:
    after each, (pairs read, pairs to read, every scored pair as it stands, best first)."""
    out = list(scored)
    chosen = to_refine([p.score for p in out], DEFAULT_THRESHOLD)
    total = len(chosen)
    size = max(1, -(-total // max(1, steps)))
    for k in range(0, max(total, 1), size):
        part = chosen[k : k + size]
        fresh = scorer.refined_many([(out[i].a, out[i].b) for i in part])
        for i, v in zip(part, fresh, strict=True):
            out[i] = ScoredPair(out[i].a, out[i].b, v)
        now = [p for p in out if p.score >= MIN_KEPT_SCORE]
        now.sort(key=attrgetter("score"), reverse=True)
        yield k + len(part), total, now


def select_pairs(
    scored: Sequence[ScoredPair],
    threshold: float,
    scorer: PairScorer | None = None,
    implied: dict[tuple[Sentence, Sentence], float] | None = None,
    reuse: Reuse | None = None,
    read: dict[tuple[Sentence, Sentence], float] | None = None,
) -> list[ScoredPair]:
    """Pairs at or above ``threshold``, each sentence keeping its MAX_LINKS_PER_DOCUMENT best into each other document,
    and the pairs they imply.

    ``scored`` comes best first, as :func:`score_pairs` returns it. ``scorer`` scores an implied pair
    that the candidate step did not propose; ``implied`` keeps those scores (pass the same dict again
    and they are not computed twice). ``reuse`` keeps what does not depend on the threshold. ``read``,
    when given, receives the score of every implied pair the completion looked at.
    """
    max_links = MAX_LINKS_PER_DOCUMENT  # read at each call: bench/eval_quality.py --hubs varies it
    links: Counter[tuple[Sentence, int]] = Counter()
    chosen = []
    for p in scored:
        if p.score < threshold:
            break  # best first: nothing after this clears the threshold
        ka, kb = (p.a, p.b.doc), (p.b, p.a.doc)
        if links[ka] >= max_links or links[kb] >= max_links:
            continue
        links[ka] += 1
        links[kb] += 1
        chosen.append(p)
    return chosen + complete_facts(chosen, scored, threshold, scorer, implied, reuse, read)


def complete_facts(
    chosen: Sequence[ScoredPair],
    scored: Sequence[ScoredPair],
    threshold: float,
    scorer: PairScorer | None = None,
    implied: dict[tuple[Sentence, Sentence], float] | None = None,
    reuse: Reuse | None = None,
    read: dict[tuple[Sentence, Sentence], float] | None = None,
) -> list[ScoredPair]:
    """Pairs that two chosen pairs imply: a~b and b~c make a~c when a and c still score above a floor.

    One article's wording can differ from another's so much that only a third article, close to
    both, shows they state one fact (a tranche "paid" in one and "invested initially" in another).
    ``read`` as for :func:`select_pairs`.
    """
    floor = threshold * COMPLETION_FLOOR
    reuse = reuse or Reuse()
    score_of = reuse.score_of
    if score_of is None:
        score_of = reuse.score_of = {(p.a, p.b): p.score for p in scored}
    implied = {} if implied is None else implied
    linked: dict[Sentence, set[Sentence]] = defaultdict(set)
    for p in chosen:
        linked[p.a].add(p.b)
        linked[p.b].add(p.a)
    have = {(p.a, p.b) for p in chosen}
    ends_of: list[tuple[Sentence, Sentence]] = []  # every implied pair, in a fixed order (first seen)
    for middle, ends in linked.items():
        if len(ends) > COMPLETION_MAX_DEGREE:
            continue  # a hub links many facts; passing through it is no evidence
        for x in ends:
            for y in ends:
                if x.doc < y.doc and middle.doc not in (x.doc, y.doc) and (x, y) not in have:
                    ends_of.append((x, y))
    ends_of = list(dict.fromkeys(ends_of))
    # Scores the cache brought back count as known; only what neither holds is scored, in one batch.
    wanted = [k for k in ends_of if k not in score_of and k not in implied]
    if wanted:
        # On every core, as the candidates were: a hundred articles imply some 19,000 pairs (2-3 s on one).
        fresh = score_all(scorer, wanted) if scorer else [0.0] * len(wanted)
        for key, s in zip(wanted, fresh, strict=True):
            implied[key] = score_of[key] = s
    extra = {k: s for k in ends_of if (s := score_of.get(k, implied.get(k, 0.0))) >= floor}
    if read is not None:  # what a cached choice must bring back for the facts to be the same (align/factcache.py)
        read.update((k, implied[k]) for k in ends_of if k in implied)
    out = [ScoredPair(a, b, s) for (a, b), s in extra.items()]
    out.sort(key=lambda p: (-p.score, p.a.doc, p.a.index, p.b.doc, p.b.index))
    return out


class StoredPairs(Sequence[ScoredPair]):
    """Scored candidates read from the score cache, made :class:`ScoredPair` objects only when first read.

    A warm alignment whose pairs and facts come from the fact cache never reads them (a hundred
    articles hold 160,000); another threshold, a near miss or a miss of the fact cache does.
    """

    def __init__(self, sentences: Sequence[Sentence], a: list[int], b: list[int], score: list[float]) -> None:
        self._rows = (sentences, a, b, score)
        self._pairs: list[ScoredPair] | None = None

    def _list(self) -> list[ScoredPair]:
        if self._pairs is None:
            sentences, a, b, score = self._rows
            self._pairs = [ScoredPair(sentences[i], sentences[j], s) for i, j, s in zip(a, b, score, strict=True)]
        return self._pairs

    def __len__(self) -> int:
        return len(self._rows[3])

    @overload
    def __getitem__(self, index: int) -> ScoredPair: ...
    @overload
    def __getitem__(self, index: slice) -> list[ScoredPair]: ...
    def __getitem__(self, index: int | slice) -> ScoredPair | list[ScoredPair]:
        return self._list()[index]

    def __iter__(self) -> Iterator[ScoredPair]:
        return iter(self._list())

    def __eq__(self, other: object) -> bool:
        """Equal to a list of the same pairs, as the list it stands for is (so Alignment's == is unchanged)."""
        return self._list() == (other._list() if isinstance(other, StoredPairs) else other)

    __hash__ = None  # type: ignore[assignment]  # a list is not hashable either


@dataclass
class Alignment:
    """The aligned pairs, facts and conflicts of a corpus at one threshold."""

    documents: list[Document]
    threshold: float
    scored: Sequence[ScoredPair]  # every scored candidate, best first, independent of the threshold
    scorer: PairScorer | None = None  # scores pairs implied by two aligned pairs, when not candidates
    implied: dict[tuple[Sentence, Sentence], float] = field(default_factory=dict)  # what it scored, kept
    # Shared by every Alignment that with_threshold derives: +/- redoes only what the threshold changes.
    reuse: Reuse = field(default_factory=Reuse, repr=False)
    pairs: list[AlignedPair] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)  # the score cache could not be written
    # The reader's corrections (align/links.py), applied after pair selection: (a, b) with a.doc < b.doc.
    rejected: frozenset[tuple[Sentence, Sentence]] = frozenset()
    added: tuple[tuple[Sentence, Sentence], ...] = ()
    # Where the chosen pairs and facts are kept (align/factcache.py), under the corpus's score key (align()
    # sets both; an alignment built by hand, with "", keeps nothing, as nothing pins its scores).
    fact_cache: FactCache | None = field(default=None, repr=False)
    scores_key: str = ""
    # False while the scores are the judge's alone and the cross-encoder has still to read the
    # uncertain pairs again (align(refine=False); see refine()).
    refined: bool = True

    def __repr__(self) -> str:  # the generated one prints every pair and fact; a repr never groups them
        facts = "facts not grouped yet" if self._fact_list is None else f"{len(self._fact_list)} facts"
        return (
            f"Alignment({len(self.documents)} documents, threshold {self.threshold:.2f}, "
            f"{len(self.pairs)} pairs, {facts})"
        )

    def __post_init__(self) -> None:
        self._pairs_key = ""
        if self.fact_cache is not None and self.scores_key:
            from .factcache import pairs_key

            # The settings the selection reads when it runs: bench/eval_quality.py varies them.
            settings = (MAX_LINKS_PER_DOCUMENT, COMPLETION_FLOOR, COMPLETION_MAX_DEGREE)
            self._pairs_key = pairs_key(self.scores_key, self.threshold, settings)
        self._engine_pairs = self._choose()
        self._group()

    def _sentences(self) -> list[Sentence]:
        return [s for d in self.documents for s in d.sentences]

    def _positions(self) -> dict[Sentence, int]:
        """Each sentence's position in corpus order, as the fact cache stores them (worked out once)."""
        if self.reuse.position is None:
            self.reuse.position = {s: k for k, s in enumerate(self._sentences())}
        return self.reuse.position

    def _choose(self) -> list[AlignedPair]:
        """The engine's pairs at this threshold: from the fact cache, else selected and judged (and stored)."""
        from .factcache import Chosen

        cache, key = self.fact_cache, self._pairs_key
        if cache is not None and key:
            got = cache.get_pairs(key, self._sentences())
            if got is not None:
                # The implied scores the choice read count in the facts: the cold path would have them too.
                for k, s in got.implied.items():
                    self.implied.setdefault(k, s)
                self._read = got.implied
                return got.pairs
        read: dict[tuple[Sentence, Sentence], float] = {}
        chosen = select_pairs(self.scored, self.threshold, self.scorer, self.implied, self.reuse, read)
        self._read = read
        pairs = [self._pair(p.a, p.b, p.score) for p in chosen]
        if cache is not None and key:
            cache.put_pairs(key, self._positions(), Chosen(pairs, read))
        return pairs

    def _pair(self, a: Sentence, b: Sentence, score: float, origin: str = "engine") -> AlignedPair:
        """The aligned pair, with its conflicts and copy verdict (computed once for every threshold)."""
        verdicts = self.reuse.verdicts
        v = verdicts.get((a, b))
        if v is None:
            v = verdicts[(a, b)] = (find_conflicts(a, b), is_copy(a, b))
        return AlignedPair(a, b, score, v[0], copy=v[1], origin=origin)

    def _group(self) -> None:
        """Apply the corrections to the engine's pairs and index them by sentence (facts wait for :attr:`facts`)."""
        self.pairs = self._corrected(self._engine_pairs)
        self.pairs.sort(key=lambda p: (p.a.doc, p.a.index, p.b.doc, p.b.index))
        self._fact_list: list[Fact] | None = None
        self._facts_of: dict[Sentence, list[Fact]] = {}
        # Read on every key by the reader's status line: gathered once per alignment.
        self._conflicts = [c for p in self.pairs for c in p.conflicts]
        self._by_sentence: dict[Sentence, list[AlignedPair]] = defaultdict(list)
        for p in self.pairs:
            self._by_sentence[p.a].append(p)
            self._by_sentence[p.b].append(p)

    @property
    def facts(self) -> list[Fact]:
        """The facts the pairs state, grouped on first use: a pairs export never needs them, and
        grouping a hundred articles' pairs takes seconds. The reader groups them in its worker."""
        return self._grouped()[0]

    def with_facts(self) -> Alignment:
        """This alignment, its facts grouped now: what the reader's worker thread calls, so that the
        screen never waits for them."""
        self._grouped()
        return self

    def _grouped(self) -> tuple[list[Fact], dict[Sentence, list[Fact]]]:
        """The facts and the facts each sentence is in, grouped once."""
        if self._fact_list is None:
            facts = self._facts()
            facts_of: dict[Sentence, list[Fact]] = defaultdict(list)
            for f in facts:
                for s in f.sentences:
                    facts_of[s].append(f)
            self._fact_list, self._facts_of = facts, facts_of
        return self._fact_list, self._facts_of

    def _facts(self) -> list[Fact]:
        """The facts of the corrected pairs: from the fact cache, else grouped (and stored)."""
        cache, key = self.fact_cache, ""
        if cache is not None and self._pairs_key:
            from .factcache import facts_key

            settings = (grouping.MERGE_LINKAGE, grouping.MAX_NEIGHBOURS, USER_SCORE)
            key = facts_key(self._pairs_key, self._positions(), (self.rejected, self.added), settings)
            groups = cache.get_facts(key, self._sentences())
            if groups is not None:
                return number_facts(groups, self.pairs)
        # The judge's scores below the threshold tell which groups are one fact; a rejected pair counts as 0.
        # Of the scores made on demand, those this threshold's completion read: the corpus keeps what
        # other thresholds made too, and the facts at one threshold must not depend on which came before.
        rejected = self.rejected
        scored = ((p.a, p.b, p.score) for p in self.scored if (p.a, p.b) not in rejected)
        implied = ((a, b, s) for (a, b), s in self._read.items() if (a, b) not in rejected)
        facts = group_facts(self.pairs, self.threshold, itertools.chain(scored, implied))
        if cache is not None and key:
            cache.put_facts(key, self._positions(), [f.sentences for f in facts])
        return facts

    def _corrected(self, pairs: list[AlignedPair]) -> list[AlignedPair]:
        if not self.rejected and not self.added:
            return list(pairs)
        added = {(a, b) for a, b in self.added}
        kept = [p for p in pairs if (p.a, p.b) not in self.rejected and (p.a, p.b) not in added]
        # A user link outranks any engine pair when facts are grouped.
        kept += [self._pair(a, b, USER_SCORE, origin="user") for a, b in self.added]
        return kept

    def with_corrections(
        self, rejected: Iterable[tuple[Sentence, Sentence]] = (), added: Iterable[tuple[Sentence, Sentence]] = ()
    ) -> Alignment:
        """The same alignment with the reader's corrections in place of its own: no re-parse, no re-score.

        ``rejected`` and ``added`` hold (a, b) sentence pairs with ``a.doc < b.doc``; facts and
        conflicts follow at once. The corrections carry over to :meth:`with_threshold`.
        """
        out = copy.copy(self)
        out.rejected, out.added = frozenset(rejected), tuple(dict.fromkeys(added))
        out._group()
        return out

    @property
    def conflicts(self) -> list[Conflict]:
        """Every numeric disagreement among the aligned pairs, in document order (a new list each call)."""
        return list(self._conflicts)

    def with_threshold(self, threshold: float) -> Alignment:
        """The same corpus re-aligned at another threshold, without scoring again."""
        return Alignment(
            self.documents,
            threshold,
            self.scored,
            self.scorer,
            self.implied,
            self.reuse,
            rejected=self.rejected,
            added=self.added,
            fact_cache=self.fact_cache,
            scores_key=self.scores_key,
            refined=self.refined,
        )

    def pairs_of(self, s: Sentence) -> list[AlignedPair]:
        """The aligned pairs a sentence takes part in, best first."""
        return sorted(self._by_sentence.get(s, []), key=lambda p: -p.score)

    def counterparts(self, s: Sentence) -> list[tuple[Sentence, float]]:
        """Sentences in other documents aligned with ``s``, with their scores, best first."""
        return [(p.other(s), p.score) for p in self.pairs_of(s)]

    def facts_of(self, s: Sentence) -> list[Fact]:
        return self._grouped()[1].get(s, [])

    def is_unique(self, s: Sentence) -> bool:
        """True when no other document states this sentence's fact: no link, and no near miss."""
        return s not in self._by_sentence and self.near_miss(s) is None

    def near_miss(self, s: Sentence) -> tuple[Sentence, float] | None:
        """An unlinked sentence's closest sentence in another article, when it scores at least UNIQUE_BELOW."""
        if s in self._by_sentence:
            return None
        closest = self.reuse.closest
        if closest is None:
            closest = self.reuse.closest = defaultdict(list)
            for p in self.scored:  # best first: each sentence's first candidates are its best
                if p.score < UNIQUE_BELOW:
                    break
                for x in (p.a, p.b):
                    if len(closest[x]) < NEAR_MISSES_KEPT:
                        closest[x].append(p)
        for p in closest.get(s, ()):
            if (p.a, p.b) not in self.rejected:
                return (p.b if p.a is s else p.a), p.score
        return None

    def conflicts_of(self, s: Sentence) -> list[Conflict]:
        return [c for p in self.pairs_of(s) for c in p.conflicts]


def align(
    documents: Sequence[Document],
    threshold: float = DEFAULT_THRESHOLD,
    cache: bool | DiskStore | None = None,
    scorer: ScorerFactory = Scorer,
    refine: bool = True,
) -> Alignment:
    """Score, select and group the cross-document sentence pairs of ``documents``.

    ``cache``: a :class:`align.scorecache.ScoreCache`, True/None for the default one in the user
    cache directory (None also honours ``$DEAL_READER_NO_CACHE``), False to score everything again.
    A corpus seen before (same sentences, same scorer fingerprint) skips candidates and scoring.
    ``scorer`` builds the :class:`align.similarity.PairScorer` for the corpus's sentences.
    ``refine``: let the scorer's cross-encoder read the uncertain pairs again before choosing (see
    :mod:`align.rereading`); without it, unless the cache holds the refined scores, the alignment
    stands on the judge's alone (``refined`` False) and :func:`refine` reads them later.
    """
    docs = list(documents)
    sentences = [s for d in docs for s in d.sentences]
    from .cache import open_store
    from .scorecache import ScoreCache

    pair_scorer = scorer(sentences)
    store = open_store(cache, ScoreCache)
    keys = _score_keys(docs, pair_scorer)
    got, refined = None, True
    for k, key in enumerate(keys):
        got = store.get(key, sentences) if store is not None else None
        if got is not None:
            refined = k == 0
            break
    scored: Sequence[ScoredPair]
    if got is not None:
        implied = got.implied
        scored = StoredPairs(sentences, got.a.tolist(), got.b.tolist(), got.score.tolist())
    else:
        implied = {}
        scored = score_pairs(docs, pair_scorer)
        refined = len(keys) == 1
    if not refined and refine:  # only a refining scorer has scores that are not refined
        scored, refined, got = refine_scored(scored, pair_scorer), True, None
    key = keys[0] if refined else keys[-1]
    return _aligned(docs, threshold, scored, pair_scorer, implied, store, key, refined, fresh=got is None)


def _score_keys(docs: Sequence[Document], scorer: PairScorer) -> list[str]:
    """The score cache's keys of a corpus: its refined scores first, then the judge's alone (one key for a
    scorer without a second reading)."""
    from .scorecache import corpus_key

    if isinstance(scorer, RefiningScorer):
        return [_refined_key(docs, scorer), corpus_key(docs, scorer.fingerprint())]
    return [corpus_key(docs, scorer.fingerprint())]


def _refined_key(docs: Sequence[Document], scorer: RefiningScorer) -> str:
    """The score cache's key of a corpus's refined scores."""
    from .scorecache import corpus_key

    return corpus_key(docs, scorer.refined_fingerprint())


def _aligned(
    docs: list[Document],
    threshold: float,
    scored: Sequence[ScoredPair],
    scorer: PairScorer,
    implied: dict[tuple[Sentence, Sentence], float],
    store: ScoreCache | None,
    key: str,
    refined: bool,
    fresh: bool,
    rejected: frozenset[tuple[Sentence, Sentence]] = frozenset(),
    added: tuple[tuple[Sentence, Sentence], ...] = (),
) -> Alignment:
    """The alignment of scored pairs, with the reader's corrections, kept in the score cache under ``key`` when
    they are new (``fresh``) or their completion scored pairs the entry does not hold."""
    from .factcache import FactCache

    known = len(implied)
    sentences = [s for d in docs for s in d.sentences]
    facts = FactCache(store.directory, store.limit) if store is not None else None  # beside the scores
    result = Alignment(
        docs,
        threshold,
        scored,
        scorer,
        implied,
        rejected=rejected,
        added=added,
        fact_cache=facts,
        scores_key=key,
        refined=refined,
    )
    if store is not None and (fresh or len(result.implied) > known):
        store.put(key, sentences, [(p.a, p.b, p.score) for p in scored], result.implied)
        result.problems = store.problems
    return result


def refine(
    alignment: Alignment, cache: bool | DiskStore | None = None, steps: int = 8
) -> Iterator[tuple[int, int, Alignment]]:
    """Let the scorer's cross-encoder read ``alignment``'s uncertain pairs again, in ``steps`` parts (the reader's
    thread worker shows each): after each, (pairs read, pairs to read, the alignment as it stands).

    The last alignment is refined and kept in the score cache (``cache`` as for :func:`align`); the ones before
    it keep nothing. The threshold and corrections carry over. Nothing is yielded for an alignment already
    refined, or whose scorer has no second reading.
    """
    scorer = alignment.scorer
    if alignment.refined or not isinstance(scorer, RefiningScorer):
        return
    from .cache import open_store
    from .scorecache import ScoreCache

    docs, threshold = alignment.documents, alignment.threshold
    rejected, added = alignment.rejected, alignment.added
    last: tuple[int, int, list[ScoredPair]] | None = None
    for part in refining(alignment.scored, scorer, steps):
        if last is not None:  # not the last part: shown, not kept
            done, total, scored = last
            partial = Alignment(
                docs, threshold, scored, scorer, dict(alignment.implied), rejected=rejected, added=added, refined=False
            )
            yield done, total, partial
        last = part
    assert last is not None, "refining yields at least once"
    done, total, scored = last
    store = open_store(cache, ScoreCache)
    key = _refined_key(docs, scorer)
    implied = dict(alignment.implied)
    yield done, total, _aligned(docs, threshold, scored, scorer, implied, store, key, True, True, rejected, added)


def pair_scores(sentences_a: list[str], sentences_b: list[str], scorer: ScorerFactory = Scorer) -> list[float]:
    """The score the aligner gives ``a[k]`` against ``b[k]``, the two lists being two documents of one corpus.

    A pair the aligner would read again is read again, whatever the budget (:func:`align.rereading.read_again`)."""
    if len(sentences_a) != len(sentences_b):
        raise ValueError("pair_scores needs two lists of the same length")
    from .documents import sentences_from_texts

    doc_a, doc_b = sentences_from_texts([sentences_a, sentences_b])
    pair_scorer = scorer(doc_a + doc_b)
    pairs = list(zip(doc_a, doc_b, strict=True))
    scores = pair_scorer.score_many(pairs)
    read_again(pair_scorer, pairs, scores, DEFAULT_THRESHOLD)
    return scores
