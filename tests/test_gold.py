"""The engine's quality on the seed corpus, against the development gold kept as a fixture.

The dev gold is a check, not a training set: the scorer's paraphrase half never saw it, and
bench/eval_quality.py reports the F1 by folds of fact clusters. The floors are what that scorer
earns at the default threshold (F1 0.704, precision 0.864); the conflict and false-flag floors are
exact.
"""

import csv
import io
from pathlib import Path

import pytest

import align
from align.documents import sentences_from_texts
from goldscore import score

GOLD = Path(__file__).parent / "fixtures" / "seeds_dev.json"
F1_FLOOR = 0.70
PRECISION_FLOOR = 0.86
CONFLICTS_FLOOR = 4


def test_dev_gold_regression(seed_alignment):
    rows = list(csv.DictReader(io.StringIO(align.to_csv(seed_alignment))))
    result = score(GOLD, rows)
    assert result.f1 >= F1_FLOOR, result
    assert result.precision >= PRECISION_FLOOR, result
    assert result.conflicts_found >= CONFLICTS_FLOOR, result
    assert result.false_flags == [], result


def test_google_amounts_disagree(seed_alignment):
    labels = [c.label for c in seed_alignment.conflicts]
    assert "$300 million vs $400 million" in labels


def test_headline_pairs_agree(seed_alignment):
    """Every aligned pair between two "up to $4 billion" style sentences carries no conflict."""
    for p in seed_alignment.pairs:
        if "$4 billion" in p.a.text and "$4 billion" in p.b.text and "valuation" not in p.a.text + p.b.text:
            assert not p.conflicts, (p.a.text, p.b.text)


def test_threshold_changes_pairs(seed_alignment):
    low = seed_alignment.with_threshold(0.1)
    high = seed_alignment.with_threshold(0.9)
    assert len(high.pairs) < len(seed_alignment.pairs) < len(low.pairs)


def test_facts_group_aligned_sentences(seed_alignment):
    assert seed_alignment.facts
    for f in seed_alignment.facts:
        assert len({s.doc for s in f.sentences}) >= 2
        for p in f.pairs:
            assert p in seed_alignment.pairs


def test_unique_sentences(seed_alignment):
    docs = seed_alignment.documents
    unique = [s for d in docs for s in d.sentences if seed_alignment.is_unique(s)]
    aligned = {s for p in seed_alignment.pairs for s in (p.a, p.b)}
    assert unique and all(s not in aligned for s in unique)


def test_pair_scores_match_the_aligner():
    """pair_scores gives a[k] against b[k] the score align.align gives the same pair of the same corpus."""
    a = [
        "Amazon will invest up to $4 billion in Anthropic.",
        "The weather was fine in Seattle.",
        "Anthropic was founded in 2021 by former OpenAI staff.",
    ]
    b = [
        "Amazon is investing up to $4 billion in Anthropic.",
        "Anthropic is a public benefit corporation.",
        "Former OpenAI researchers founded Anthropic in 2021.",
    ]
    scores = align.pair_scores(a, b)
    assert len(scores) == 3 and all(0.0 <= s <= 1.0 for s in scores)
    assert scores[0] > scores[1] and scores[2] > scores[1]
    sa, sb = sentences_from_texts([a, b])
    docs = [align.Document("a.txt", "A", " ".join(a), sa), align.Document("b.txt", "B", " ".join(b), sb)]
    aligner = {frozenset((p.a.text, p.b.text)): p.score for p in align.align(docs, cache=False).scored}
    compared = [k for k in range(3) if frozenset((a[k], b[k])) in aligner]
    assert 0 in compared and 2 in compared  # the two restatements are candidates
    for k in compared:
        assert scores[k] == pytest.approx(aligner[frozenset((a[k], b[k]))], abs=1e-9), k
