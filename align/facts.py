"""Group aligned sentences into facts: the rows of the fact matrix, what ``]``/``[`` step through.

Two steps. A greedy cover of the aligned pairs by cliques, best pair first, gives groups whose
sentences are all aligned with each other (:func:`clique_cover`). A fact is often more than one
clique: one article tells it in two sentences, several articles tell it in wordings that do not
all align with each other. So the cliques are then clustered, best link first, by the same judge
that scored the pairs (:func:`merge_facts`): two groups are one fact when most of the smaller is
in the other, or when the sentences only the smaller holds are, on average, told well enough by
the other's (:func:`linkage`). Sentences both hold are left out of that average, because a
sentence that states several facts is shared by their groups without making them one fact; such
a sentence stays in every fact it states.
"""

from __future__ import annotations

import functools
import heapq
import itertools
import math
from collections import defaultdict
from collections.abc import Iterable, Sequence

import numpy as np
import numpy.typing as npt

from .models import AlignedPair, Fact, Sentence

# Two groups are one fact when their link (see linkage) reaches this share of the pair threshold
# (docs/engine.md: 0.25 to 1 measured on the seeds and the Activision fixture; 0.5 to 0.75 agree).
MERGE_LINKAGE = 0.6

# A group is compared with at most this many others, those it holds the most links with: without a
# cap, a large group on a large corpus is compared with nearly every other each time it grows.
MAX_NEIGHBOURS = 10

Key = tuple[Sentence, Sentence]  # (earlier sentence, later sentence) in corpus order
Near = dict[Sentence, dict[Sentence, float]]  # each sentence's scored counterparts, with their scores


def _position(s: Sentence) -> tuple[int, int]:
    return (s.doc, s.index)


def _key(a: Sentence, b: Sentence) -> Key:
    return (a, b) if _position(a) < _position(b) else (b, a)


def group_facts(
    pairs: Sequence[AlignedPair],
    threshold: float,
    scored: Iterable[tuple[Sentence, Sentence, float]] = (),
) -> list[Fact]:
    """Facts: groups of aligned sentences from at least two documents, numbered in reading order.

    ``scored`` holds the judge's score of every cross-document pair it scored, aligned or not (a
    pair it never scored counts as 0, an aligned pair as its own score). Cliques whose link reaches
    MERGE_LINKAGE x ``threshold`` are one fact (see :func:`linkage` and :func:`merge_facts`).
    """
    groups = clique_cover(pairs)
    members = {s for g in groups for s in g}
    # Only pairs inside some group can link two groups: the rest of a large corpus's scores is not copied.
    near: Near = defaultdict(dict)
    for a, b, s in itertools.chain(scored, ((p.a, p.b, p.score) for p in pairs)):
        if a in members and b in members:
            near[a][b] = near[b][a] = s
    groups = merge_facts(groups, near, MERGE_LINKAGE * threshold)
    groups.sort(key=lambda g: (_position(g[0]), len(g)))
    return number_facts(groups, pairs)


def number_facts(groups: Sequence[Sequence[Sentence]], pairs: Sequence[AlignedPair]) -> list[Fact]:
    """Facts numbered from 1 in the order given, each with the aligned pairs among its sentences (in reading order)."""
    # An aligned pair's a is in an earlier document than its b: no need to order most keys.
    by_key = {((p.a, p.b) if p.a.doc < p.b.doc else _key(p.a, p.b)): p for p in pairs}
    facts = []
    for i, g in enumerate(groups, 1):
        fp = tuple(by_key[(x, y)] for j, x in enumerate(g) for y in g[j + 1 :] if (x, y) in by_key)
        facts.append(Fact(id=i, sentences=tuple(g), pairs=fp))
    return facts


def clique_cover(pairs: Sequence[AlignedPair]) -> list[list[Sentence]]:
    """A greedy cover of the aligned pairs by cliques, best pair first, each in reading order.

    Each pair not yet covered starts a clique, which then takes in, one at a time, the sentence
    aligned with every member that adds the most score (never a second sentence of a document
    already in it). Every pair ends up in at least one clique, and a sentence can be in several.
    Listing all maximal cliques instead explodes on large corpora where one fact is told in many ways.
    """
    adj: dict[Sentence, dict[Sentence, float]] = defaultdict(dict)
    for p in pairs:
        adj[p.a][p.b] = p.score
        adj[p.b][p.a] = p.score
    covered: set[Key] = set()
    groups: list[list[Sentence]] = []
    for p in sorted(pairs, key=lambda p: (-p.score, _position(p.a), _position(p.b))):
        if _key(p.a, p.b) in covered:
            continue
        members = [p.a, p.b]
        docs = {p.a.doc, p.b.doc}
        # Running gain of each sentence aligned with every member so far: its summed scores to them.
        # Iterating adj (filled in pair order) keeps ties deterministic: the first best wins.
        near_b = adj[p.b]
        gain = {c: s + near_b[c] for c, s in adj[p.a].items() if c in near_b and c.doc not in docs}
        while gain:
            best = max(gain, key=gain.__getitem__)
            members.append(best)
            docs.add(best.doc)
            near = adj[best]
            gain = {c: g + near[c] for c, g in gain.items() if c in near and c.doc not in docs}
        members.sort(key=_position)
        covered.update((x, y) for i, x in enumerate(members) for y in members[i + 1 :])
        groups.append(members)
    return groups


def linkage(a: frozenset[Sentence], b: frozenset[Sentence], near: Near, arrays: NearArrays | None = None) -> float:
    """How strongly two groups state one fact, from 0 to 1.

    - 1 when they share more than half of the smaller group: it is then mostly a part of the
      other, cut off by the cover (one fact told twice in one article, or in wordings that do not
      all align with each other). One multi-fact sentence in two groups of two is only half.
    - Otherwise how well the sentences only the smaller group holds are told by the other's: the
      mean, over each such sentence and each other document, of its best score there (see
      :func:`_told_by`). The shared sentences are left out: a sentence stating two facts is
      linked to both groups without making them one.

    ``arrays``, ``near`` as :class:`NearArrays`, makes it faster on large groups (the same figure).
    """
    told_by = arrays.told_by if arrays is not None else functools.partial(_told_by, near=near)
    if a.isdisjoint(b):
        only_a, only_b = a, b  # most pairs of groups: no set arithmetic
    elif 2 * len(a & b) > min(len(a), len(b)):
        return 1.0
    else:
        only_a, only_b = a - b, b - a
    if len(only_a) != len(only_b):
        small, large = (only_a, only_b) if len(only_a) < len(only_b) else (only_b, only_a)
        return told_by(small, large)
    return min(told_by(only_a, only_b), told_by(only_b, only_a))


def _told_by(small: frozenset[Sentence], large: frozenset[Sentence], near: Near) -> float:
    """The mean over (sentence of ``small``, other document of ``large``) of the sentence's best score there.

    Per document, not per sentence: a fact may hold several sentences of one article (it tells the
    fact twice, or a multi-fact sentence brought others in), and one of them telling it is enough.
    A mean over every pair would let those dilute a fragment that plainly belongs (measured: the
    "Microsoft to buy Activision for $68.7 billion" headline against its fact, 0.14 against 0.28).
    Unscored pairs count as 0.
    """
    docs = {y.doc for y in large}
    bests: list[float] = []
    count = 0
    for x in small:
        best: dict[int, float] = {}
        mine = near.get(x, {})
        # Walk the shorter of the two: the sentence's scored counterparts, or the other group.
        if len(mine) < len(large):
            for y, s in mine.items():
                if y in large and y.doc != x.doc and s > best.get(y.doc, 0.0):
                    best[y.doc] = s
        else:
            for y in large:
                s = mine.get(y, 0.0)
                if s and y.doc != x.doc and s > best.get(y.doc, 0.0):
                    best[y.doc] = s
        bests.extend(best.values())
        count += len(docs) - (x.doc in docs)
    # fsum is exact, so the mean does not depend on the order sets happen to iterate in (identity hashes).
    return math.fsum(bests) / count if count else 0.0


class NearArrays:
    """``near`` as a sparse row of scores per sentence in numpy, for :func:`_told_by` on large groups.

    A large fact is compared with its neighbours each time it grows, and walking each of its sentences'
    scored counterparts in Python took most of the merge; numpy finds the same best scores.
    """

    # Below this many (sentence, sentence) pairs between the groups, the Python walk is faster.
    MIN_PAIRS = 256

    def __init__(self, near: Near, sentences: Iterable[Sentence] = ()) -> None:
        self.near = near
        self.ids: dict[Sentence, int] = {}
        for s in itertools.chain(near, sentences, *near.values()):
            self.ids.setdefault(s, len(self.ids))
        self.doc = np.array([s.doc for s in self.ids], dtype=np.int64)
        self.docs = int(self.doc.max()) + 1 if len(self.doc) else 0
        counts = np.array([len(near.get(s, ())) for s in self.ids], dtype=np.int64)
        self.start = np.concatenate(([0], np.cumsum(counts)))
        self.row = np.repeat(np.arange(len(counts)), counts)  # the sentence each entry is a score of
        rows = [near.get(s, {}) for s in self.ids]
        total = int(self.start[-1])
        self.other = np.fromiter((self.ids[y] for row in rows for y in row), np.int64, total)
        self.score = np.fromiter((v for row in rows for v in row.values()), np.float64, total)

    def told_by(self, small: frozenset[Sentence], large: frozenset[Sentence]) -> float:
        """:func:`_told_by`, to the last bit."""
        if len(small) * len(large) < self.MIN_PAIRS:
            return _told_by(small, large, self.near)
        ids = self.ids
        xs = np.fromiter((ids[x] for x in small), np.int64, len(small))
        in_large = np.zeros(len(ids), dtype=bool)
        in_large[np.fromiter((ids[y] for y in large), np.int64, len(large))] = True
        # Every scored counterpart of every sentence of small, with the position of its sentence in xs.
        at = _entries(self.start, xs)
        owner = np.repeat(np.arange(len(xs)), self.start[xs + 1] - self.start[xs])
        y, s = self.other[at], self.score[at]
        x_doc, y_doc = self.doc[xs][owner], self.doc[y]
        keep = in_large[y] & (y_doc != x_doc) & (s > 0.0)
        best = np.zeros(len(xs) * self.docs)
        np.maximum.at(best, owner[keep] * self.docs + y_doc[keep], s[keep])
        large_docs = np.zeros(self.docs, dtype=bool)
        large_docs[self.doc[in_large]] = True
        count = len(xs) * int(large_docs.sum()) - int(large_docs[self.doc[xs]].sum())
        return math.fsum(best[best > 0.0].tolist()) / count if count else 0.0


def merge_facts(groups: list[list[Sentence]], near: Near, bar: float) -> list[list[Sentence]]:
    """Agglomerative clustering of the groups, best linkage first, until no two link at ``bar`` or more.

    Average linkage (:func:`linkage`) over the judge's scores, below the threshold too, so a fact
    that no single pair ties together can still be one row when its sentences are close on the whole.
    Only groups that share a sentence or hold a pair scoring at least ``bar`` are ever compared (a
    mean cannot reach the bar without one such pair), and each group only with the MAX_NEIGHBOURS
    it holds the most such links with, so the work follows the number of groups and pairs.
    Deterministic: groups are numbered in input order and ties go to the lower numbers.
    """
    sets: list[frozenset[Sentence]] = [frozenset(g) for g in groups]
    alive = [True] * len(sets)
    arrays = NearArrays(near, (s for g in sets for s in g))
    links = StrongLinks(arrays, bar, sets)
    heap: list[tuple[float, int, int]] = []

    def push(k: int, candidates: Iterable[int]) -> None:
        for j in candidates:
            link = linkage(sets[k], sets[j], near, arrays)
            if link >= bar:
                heapq.heappush(heap, (-link, min(j, k), max(j, k)))

    first = [links.closest(k, g) for k, g in enumerate(sets)]
    pairs = sorted({(min(k, j), max(k, j)) for k, near_k in enumerate(first) for j in near_k})
    for k, j in pairs:
        push(k, (j,))
    while heap:
        _, i, j = heapq.heappop(heap)
        if not (alive[i] and alive[j]):
            continue  # one of them was merged since: its new group was pushed with fresh links
        alive[i] = alive[j] = False
        k = len(sets)
        sets.append(sets[i] | sets[j])
        alive.append(True)
        links.merge(i, j, k, sets[k])
        push(k, links.closest(k, sets[k]))
    return [sorted(g, key=_position) for g, live in zip(sets, alive, strict=True) if live]


class StrongLinks:
    """For one group, how many pairs over the bar it holds with each live group (a shared sentence counts).

    Counted in numpy from two flat arrays (which live group holds which sentence): a large fact is
    counted again each time it grows, and walking its sentences' links in Python took most of the merge.
    """

    def __init__(self, arrays: NearArrays, bar: float, sets: Sequence[frozenset[Sentence]]) -> None:
        self.ids = arrays.ids
        strong = arrays.score >= bar
        per_row = np.bincount(arrays.row[strong], minlength=len(self.ids))
        self.start = np.concatenate(([0], np.cumsum(per_row)))
        self.other = arrays.other[strong]
        self.groups = 2 * len(sets)  # every group there can be: each merge makes one of two
        # Which sentence each live group holds, as two flat arrays: its sentence ids, and the group of each.
        self.held = np.concatenate([self._ids(g) for g in sets] or [np.zeros(0, dtype=np.int64)])
        self.holder = np.repeat(np.arange(len(sets)), [len(g) for g in sets])

    def _ids(self, members: frozenset[Sentence]) -> npt.NDArray[np.int64]:
        return np.fromiter((self.ids[s] for s in members), np.int64, len(members))

    def merge(self, i: int, j: int, k: int, members: frozenset[Sentence]) -> None:
        """Groups ``i`` and ``j`` are now group ``k``, holding ``members``."""
        keep = (self.holder != i) & (self.holder != j)
        ids = self._ids(members)
        self.held = np.concatenate((self.held[keep], ids))
        self.holder = np.concatenate((self.holder[keep], np.full(len(ids), k)))

    def closest(self, k: int, members: frozenset[Sentence]) -> list[int]:
        """The MAX_NEIGHBOURS live groups ``k`` (holding ``members``) holds the most links with, ties to the lower numbers."""
        xs = self._ids(members)
        # How many times each sentence is reached: once for a member, once more per member linked to it.
        times = np.bincount(xs, minlength=len(self.ids)) + np.bincount(self._linked(xs), minlength=len(self.ids))
        found = np.bincount(self.holder, weights=times[self.held], minlength=self.groups)
        found[k] = 0
        them = np.flatnonzero(found)
        best: list[int] = them[np.argsort(-found[them], kind="stable")[:MAX_NEIGHBOURS]].tolist()
        return best

    def _linked(self, xs: npt.NDArray[np.int64]) -> npt.NDArray[np.int64]:
        """The sentences linked over the bar to each of ``xs``, one after another."""
        return self.other[_entries(self.start, xs)]


def _entries(start: npt.NDArray[np.int64], rows: npt.NDArray[np.int64]) -> npt.NDArray[np.int64]:
    """The positions of the entries of ``rows`` of a sparse matrix (``start`` as a CSR's indptr), row after row."""
    lengths = start[rows + 1] - start[rows]
    offsets = np.cumsum(lengths) - lengths
    at: npt.NDArray[np.int64] = np.arange(int(lengths.sum())) - np.repeat(offsets, lengths)
    return at + np.repeat(start[rows], lengths)
