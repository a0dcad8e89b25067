"""Facts: one fact, one row. The merge of cliques on hand-built sentences, then on real-style articles.

A fact that one article tells twice, or that articles tell in wordings that do not all align,
is one fact; two facts that share a sentence stating both stay two, and the sentence is in both.
"""

from __future__ import annotations

import heapq
import itertools
import random
from collections import Counter, defaultdict
from pathlib import Path

import pytest

import align
from align.facts import (
    MAX_NEIGHBOURS,
    MERGE_LINKAGE,
    NearArrays,
    _told_by,
    clique_cover,
    group_facts,
    linkage,
    merge_facts,
)
from align.models import AlignedPair, Sentence
from conftest import find_sentence

THRESHOLD = 0.35
ACTIVISION = Path(__file__).parent / "fixtures" / "activision"


def corpus(names: str) -> dict[str, Sentence]:
    """Sentences named like ``a0``: the digit is the document, the letter tells them apart."""
    out = {}
    for i, name in enumerate(names.split()):
        out[name] = Sentence(doc=int(name[-1]), index=i + 1, text=name, start=0, end=len(name))
    return out


def facts_of(names: str, aligned: dict[str, float], scored: dict[str, float]) -> list[set[str]]:
    """The facts ``group_facts`` makes of pairs written ``"a0 b1": score``, as sets of names."""
    s = corpus(names)

    def pair(k: str, v: float) -> tuple[Sentence, Sentence, float]:
        x, y = k.split()
        return (s[x], s[y], v) if s[x].doc < s[y].doc else (s[y], s[x], v)

    pairs = [AlignedPair(*pair(k, v)) for k, v in aligned.items()]
    facts = group_facts(pairs, THRESHOLD, [pair(k, v) for k, v in scored.items()])
    return [{x.text for x in f.sentences} for f in facts]


CASES = {
    "one article tells the fact twice": (
        "a0 b1 t1 c2",
        {"a0 b1": 0.9, "a0 c2": 0.8, "b1 c2": 0.8, "a0 t1": 0.7, "t1 c2": 0.7},
        {},
        [{"a0", "b1", "t1", "c2"}],
    ),
    "two wordings, close but under the threshold": (
        "a0 a1 b2 b3",
        {"a0 a1": 0.8, "b2 b3": 0.8},
        {"a0 b2": 0.3, "a0 b3": 0.25, "a1 b2": 0.3, "a1 b3": 0.3},
        [{"a0", "a1", "b2", "b3"}],
    ),
    "two wordings the judge keeps apart": (
        "a0 a1 b2 b3",
        {"a0 a1": 0.8, "b2 b3": 0.8},
        {"a0 b2": 0.05, "a0 b3": 0.02, "a1 b2": 0.1, "a1 b3": 0.05},
        [{"a0", "a1"}, {"b2", "b3"}],
    ),
    "pairs never scored count as nothing": (
        "a0 a1 b2 b3",
        {"a0 a1": 0.8, "b2 b3": 0.8},
        {},
        [{"a0", "a1"}, {"b2", "b3"}],
    ),
    "a sentence stating two facts is in both": (
        "m0 p1 q1 p2 q2",
        {"m0 p1": 0.8, "m0 p2": 0.7, "p1 p2": 0.8, "m0 q1": 0.7, "m0 q2": 0.6, "q1 q2": 0.8},
        {"p1 q2": 0.02, "q1 p2": 0.03},
        [{"m0", "p1", "p2"}, {"m0", "q1", "q2"}],
    ),
    "a sentence stating two facts another article tells apart": (
        "m0 p1 q1",
        {"m0 p1": 0.8, "m0 q1": 0.7},
        {},
        [{"m0", "p1"}, {"m0", "q1"}],
    ),
}


@pytest.mark.parametrize("names, aligned, scored, expected", CASES.values(), ids=CASES.keys())
def test_cliques_merge_by_what_they_state(names, aligned, scored, expected):
    got = facts_of(names, aligned, scored)
    assert sorted(map(sorted, got)) == sorted(map(sorted, expected))


def test_the_merge_does_not_depend_on_the_order_of_the_pairs():
    names, aligned, scored, _ = CASES["a sentence stating two facts is in both"]
    seen = set()
    for order in itertools.permutations(aligned.items()):
        facts = facts_of(names, dict(order), scored)
        seen.add(tuple(tuple(sorted(f)) for f in facts))
    assert len(seen) == 1


def test_the_linkage_is_the_smaller_groups_best_score_in_each_other_document():
    s = corpus("a0 b1 c1 d2")
    near = {s["a0"]: {s["b1"]: 0.1, s["c1"]: 0.5, s["d2"]: 0.3}}
    # a0 is told by c1 in document 1 (b1, the weaker, does not dilute it) and by d2 in document 2.
    assert linkage(frozenset([s["a0"]]), frozenset([s["b1"], s["c1"], s["d2"]]), near) == pytest.approx(0.4)
    assert 0 < MERGE_LINKAGE * THRESHOLD < 0.3  # the cases above sit on either side of the bar


def reference_merge(groups, near, bar):
    """merge_facts as first written: every group's links counted from its sentences, in plain Python."""
    strong = {x: [y for y, s in ys.items() if s >= bar] for x, ys in near.items()}
    sets = [frozenset(g) for g in groups]
    alive = [True] * len(sets)
    holders = defaultdict(set)
    for k, g in enumerate(sets):
        for s in g:
            holders[s].add(k)

    def neighbours(k):
        times = Counter(sets[k])
        for x in sets[k]:
            times.update(strong.get(x, ()))
        found = Counter()
        for y, n in times.items():
            for j in holders[y]:
                found[j] += n
        found.pop(k, None)
        return sorted(sorted(found), key=lambda j: -found[j])[:MAX_NEIGHBOURS]

    heap = []

    def push(k, candidates):
        for j in candidates:
            link = linkage(sets[k], sets[j], near)
            if link >= bar:
                heapq.heappush(heap, (-link, min(j, k), max(j, k)))

    first = {(min(k, j), max(k, j)) for k in range(len(sets)) for j in neighbours(k)}
    for k, j in sorted(first):
        push(k, (j,))
    while heap:
        _, i, j = heapq.heappop(heap)
        if not (alive[i] and alive[j]):
            continue
        alive[i] = alive[j] = False
        k = len(sets)
        sets.append(sets[i] | sets[j])
        alive.append(True)
        for s in sets[k]:
            holders[s] -= {i, j}
            holders[s].add(k)
        push(k, neighbours(k))
    return [sorted(g, key=lambda s: (s.doc, s.index)) for g, live in zip(sets, alive, strict=True) if live]


def random_corpus(seed: int, docs: int = 12, per_doc: int = 12):
    """Aligned pairs and the judge's scores between random sentences, with many ties and shared sentences."""
    rng = random.Random(seed)
    sentences = [
        Sentence(doc=d, index=i + 1, text=f"s{d}.{i}", start=0, end=1) for d in range(docs) for i in range(per_doc)
    ]
    near = defaultdict(dict)
    pairs = []
    for _ in range(rng.randrange(200, 600)):
        a, b = rng.sample(sentences, 2)
        if a.doc == b.doc:
            continue
        a, b = (a, b) if a.doc < b.doc else (b, a)
        score = rng.choice([0.05, 0.1, 0.2, 0.3, rng.random()])  # repeated values make ties
        near[a][b] = near[b][a] = score
        if score >= 0.3:
            pairs.append(AlignedPair(a, b, score))
    return pairs, near


@pytest.mark.parametrize("numpy_always", [False, True])
@pytest.mark.parametrize("seed", range(12))
def test_the_merge_gives_the_groups_of_the_plain_reference(seed, numpy_always, monkeypatch):
    if numpy_always:  # the numpy walk of told_by on every pair of groups, not only on large ones
        monkeypatch.setattr(NearArrays, "MIN_PAIRS", 0)
    pairs, near = random_corpus(seed)
    groups = clique_cover(pairs)
    merged = []
    for bar in (0.05, 0.15, 0.3):
        got = merge_facts([list(g) for g in groups], near, bar)
        assert got == reference_merge(groups, near, bar)
        merged.append(len(got) < len(groups))
    assert any(merged)  # the case exercises merges, not only the groups given


@pytest.mark.parametrize("seed", range(6))
def test_told_by_in_numpy_is_the_plain_figure_to_the_last_bit(seed, monkeypatch):
    monkeypatch.setattr(NearArrays, "MIN_PAIRS", 0)
    _, near = random_corpus(seed, docs=8, per_doc=20)
    rng = random.Random(seed)
    sentences = sorted(near, key=lambda s: (s.doc, s.index))
    arrays = NearArrays(near)
    for _ in range(200):
        small = frozenset(rng.sample(sentences, rng.randrange(1, 6)))
        large = frozenset(rng.sample(sentences, rng.randrange(1, 40)))
        assert arrays.told_by(small, large) == _told_by(small, large, near)


@pytest.fixture(scope="module")
def activision():
    docs, problems = align.load_documents([str(ACTIVISION)])
    assert not problems and len(docs) == 5
    result = align.align(docs)
    return result, align.fact_matrix(result)


def gives_deal_value(cell: align.FactCell) -> bool:
    return any(q.kind == "money" and abs(q.value - 68.7e9) < 1e6 for q in cell.figures)


def test_activision_the_68_7_billion_deal_is_one_row(activision):
    result, rows = activision
    deal_rows = [r for r in rows if 2 * sum(map(gives_deal_value, r.cells)) > r.stated_by]
    assert len(deal_rows) == 1
    # The headline and both "announced a deal to buy" leads were rows of their own before.
    docs = result.documents
    leads = [
        find_sentence(docs, "Microsoft to buy Activision Blizzard in $68.7 billion deal"),
        find_sentence(docs, "Microsoft announced a deal to buy Activision Blizzard on Tuesday"),
        find_sentence(docs, "Microsoft announced a deal to buy the video game publisher"),
    ]
    assert all(s in deal_rows[0].fact.sentences for s in leads)


@pytest.mark.parametrize("which", ["seeds", "activision"])
def test_no_two_rows_have_the_same_label(which, seed_alignment, activision):
    rows = align.fact_matrix(seed_alignment) if which == "seeds" else activision[1]
    labels = [r.label for r in rows]
    assert len(labels) == len(set(labels))


def test_seeds_the_4_billion_headline_fact_is_one_row(seed_alignment):
    docs = seed_alignment.documents
    tellings = [
        find_sentence(docs, "Now that Amazon has invested US$4 billion"),
        find_sentence(docs, "With $4 billion committed"),
        find_sentence(docs, "is by far the company’s largest bet on AI"),
    ]
    holding = [f for f in seed_alignment.facts if any(s in f.sentences for s in tellings)]
    assert len(holding) == 1 and all(s in holding[0].sentences for s in tellings)


def test_facts_are_grouped_once_on_first_use(seed_documents):
    """An alignment groups its facts when they are first read, once; a correction groups them again."""
    result = align.align(seed_documents, cache=False)
    assert "facts not grouped yet" in repr(result)
    facts = result.facts
    assert facts and result.facts is facts and f"{len(facts)} facts" in repr(result)
    member = facts[0].sentences[0]
    assert facts[0] in result.facts_of(member)
    assert result.with_facts() is result and result.facts is facts
    pair = next(p for p in result.pairs if member in (p.a, p.b))
    corrected = result.with_corrections(rejected=[(pair.a, pair.b)])
    assert "facts not grouped yet" in repr(corrected) and corrected.facts is not facts
