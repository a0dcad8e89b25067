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

import heapq
import itertools
import math
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence

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


def linkage(a: frozenset[Sentence], b: frozenset[Sentence], near: Near) -> float:
    """How strongly two groups state one fact, from 0 to 1.

    - 1 when they share more than half of the smaller group: it is then mostly a part of the
      other, cut off by the cover (one fact told twice in one article, or in wordings that do not
      all align with each other). One multi-fact sentence in two groups of two is only half.
    - Otherwise how well the sentences only the smaller group holds are told by the other's: the
      mean, over each such sentence and each other document, of its best score there (see
      :func:`_told_by`). The shared sentences are left out: a sentence stating two facts is
      linked to both groups without making them one.
    """
    if a.isdisjoint(b):
        only_a, only_b = a, b  # most pairs of groups: no set arithmetic
    elif 2 * len(a & b) > min(len(a), len(b)):
        return 1.0
    else:
        only_a, only_b = a - b, b - a
    if len(only_a) != len(only_b):
        small, large = (only_a, only_b) if len(only_a) < len(only_b) else (only_b, only_a)
        return _told_by(small, large, near)
    return min(_told_by(only_a, only_b, near), _told_by(only_b, only_a, near))


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


def merge_facts(groups: list[list[Sentence]], near: Near, bar: float) -> list[list[Sentence]]:
    """Agglomerative clustering of the groups, best linkage first, until no two link at ``bar`` or more.

    Average linkage (:func:`linkage`) over the judge's scores, below the threshold too, so a fact
    that no single pair ties together can still be one row when its sentences are close on the whole.
    Only groups that share a sentence or hold a pair scoring at least ``bar`` are ever compared (a
    mean cannot reach the bar without one such pair), and each group only with the MAX_NEIGHBOURS
    it holds the most such links with, so the work follows the number of groups and pairs.
    Deterministic: groups are numbered in input order and ties go to the lower numbers.
    """
    strong = {x: [y for y, s in ys.items() if s >= bar] for x, ys in near.items()}
    sets: list[frozenset[Sentence]] = [frozenset(g) for g in groups]
    alive = [True] * len(sets)
    holders: dict[Sentence, set[int]] = defaultdict(set)
    for k, g in enumerate(sets):
        for s in g:
            holders[s].add(k)

    def neighbours(k: int) -> list[int]:
        """At most MAX_NEIGHBOURS groups: those holding the most pairs over the bar with ``k`` (a shared sentence counts)."""
        times: Counter[Sentence] = Counter(sets[k])
        for x in sets[k]:
            times.update(strong.get(x, ()))
        # Each linked sentence once, however many members it links to: a fact's members share most of them.
        found: Counter[int] = Counter()
        for y, n in times.items():
            for j in holders[y]:
                found[j] += n
        found.pop(k, None)
        return sorted(sorted(found), key=lambda j: -found[j])[:MAX_NEIGHBOURS]

    heap: list[tuple[float, int, int]] = []

    def push(k: int, candidates: Iterable[int]) -> None:
        for j in candidates:
            link = linkage(sets[k], sets[j], near)
            if link >= bar:
                heapq.heappush(heap, (-link, min(j, k), max(j, k)))

    first = [neighbours(k) for k in range(len(sets))]
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
        for s in sets[k]:
            holders[s] -= {i, j}
            holders[s].add(k)
        push(k, neighbours(k))
    return [sorted(g, key=_position) for g, live in zip(sets, alive, strict=True) if live]
