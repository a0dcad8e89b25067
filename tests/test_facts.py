"""Facts: one fact, one row. The merge of cliques on hand-built sentences, then on real-style articles.

A fact that one article tells twice, or that articles tell in wordings that do not all align,
is one fact; two facts that share a sentence stating both stay two, and the sentence is in both.
"""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest

import align
from align.facts import MERGE_LINKAGE, group_facts, linkage
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
