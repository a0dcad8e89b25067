"""The fact cache: a warm alignment reads its chosen pairs and facts back instead of grouping again,
gives the same alignment, and never serves an entry made under another threshold, other corrections,
other settings or scores, or a damaged one."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import numpy as np
import pytest

import align
from align import alignment as alignment_mod
from align import facts as facts_mod
from align.factcache import FactCache


def _rows(result: align.Alignment) -> list[tuple]:
    return [
        (p.a.doc, p.a.index, p.b.doc, p.b.index, p.score, p.origin, tuple(map(str, p.conflicts)), p.copy)
        for p in result.pairs
    ]


def _facts(result: align.Alignment) -> list[tuple]:
    return [
        (
            f.id,
            tuple((s.doc, s.index) for s in f.sentences),
            tuple((p.a.doc, p.a.index, p.b.doc, p.b.index) for p in f.pairs),
        )
        for f in result.facts
    ]


def _entries(d: Path, suffix: str) -> list[Path]:
    return sorted(d.glob(f"*{suffix}")) if d.exists() else []


class Spy:
    """Counts the calls of an engine function, then calls it."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch, module: object, name: str) -> None:
        self.calls = 0
        real = getattr(module, name)

        def spy(*args: object, **kwargs: object) -> object:
            self.calls += 1
            return real(*args, **kwargs)

        monkeypatch.setattr(module, name, spy)


def aligned(documents: list[align.Document], **options: Any) -> align.Alignment:
    """``documents`` aligned as the reader opens them: the facts grouped at once (see Alignment.facts)."""
    return align.align(documents, **options).with_facts()


@pytest.fixture
def spies(monkeypatch):
    """Spies on the selection and on the grouping of facts, as the aligner calls them."""
    return (
        Spy(monkeypatch, alignment_mod, "select_pairs"),
        Spy(monkeypatch, alignment_mod, "group_facts"),
        Spy(monkeypatch, facts_mod, "merge_facts"),
    )


def test_a_warm_alignment_reads_pairs_and_facts_back(cache_dir, seed_documents, spies):
    select, group, merge = spies
    cold = aligned(seed_documents)
    assert (select.calls, group.calls, merge.calls) == (1, 1, 1)
    assert len(_entries(cache_dir, ".pairs")) == 1 and len(_entries(cache_dir, ".facts")) == 1
    warm = aligned(seed_documents)
    assert (select.calls, group.calls, merge.calls) == (1, 1, 1)  # neither chosen nor grouped again
    assert _rows(warm) == _rows(cold) and any(p.conflicts for p in warm.pairs)
    assert _facts(warm) == _facts(cold) and warm.facts
    assert warm.implied == cold.implied  # what the choice read is back too (the facts depend on it)
    # The conflicts read back name the sentences' own figures, not copies of them.
    for p in warm.pairs:
        for c in p.conflicts:
            assert any(q is c.qa for q in p.a.quantities) and any(q is c.qb for q in p.b.quantities)


def test_a_warm_alignment_equals_one_without_any_cache(cache_dir, seed_documents):
    aligned(seed_documents)
    warm = aligned(seed_documents)
    bare = aligned(seed_documents, cache=False)
    assert _rows(warm) == _rows(bare) and _facts(warm) == _facts(bare)
    assert align.to_json(warm) == align.to_json(bare)


def test_another_threshold_is_chosen_and_grouped_again(cache_dir, seed_documents, spies):
    select, group, _ = spies
    bare = aligned(seed_documents, threshold=0.5, cache=False)
    aligned(seed_documents)
    assert (select.calls, group.calls) == (2, 2)
    other = aligned(seed_documents, threshold=0.5)
    assert (select.calls, group.calls) == (3, 3)
    assert _rows(other) == _rows(bare) and _facts(other) == _facts(bare)
    stepped = aligned(seed_documents).with_threshold(0.5).with_facts()  # the reader's +/-: from the cache too
    assert (select.calls, group.calls) == (3, 3)
    assert _rows(stepped) == _rows(bare) and _facts(stepped) == _facts(bare)


def test_other_corrections_are_grouped_again(cache_dir, seed_documents, spies):
    _, group, _ = spies
    base = aligned(seed_documents)
    a, b = base.pairs[0].a, base.pairs[0].b
    unlinked = next(
        (x, y)
        for x in seed_documents[0].sentences
        for y in seed_documents[1].sentences
        if not any({p.a, p.b} == {x, y} for p in base.pairs)
    )
    bare = aligned(seed_documents, cache=False)
    for rejected, added in [({(a, b)}, []), (set(), [unlinked]), ({(a, b)}, [unlinked])]:
        want = bare.with_corrections(rejected, added).with_facts()
        calls = group.calls
        fixed = base.with_corrections(rejected, added).with_facts()
        assert group.calls == calls + 1, "a stale entry was served"
        assert _rows(fixed) == _rows(want) and _facts(fixed) == _facts(want)
        again = aligned(seed_documents).with_corrections(rejected, added).with_facts()
        assert group.calls == calls + 1  # the same corrections again: read back
        assert _rows(again) == _rows(want) and _facts(again) == _facts(want)


def test_changed_settings_miss(cache_dir, seed_documents, spies, monkeypatch):
    select, group, _ = spies
    shipped = aligned(seed_documents)
    monkeypatch.setattr(alignment_mod, "MAX_LINKS_PER_DOCUMENT", 1)  # as bench/eval_quality.py --hubs does
    bare = aligned(seed_documents, cache=False)
    one = aligned(seed_documents)
    assert (select.calls, group.calls) == (3, 3)
    assert _rows(one) == _rows(bare) != _rows(shipped)
    monkeypatch.setattr(facts_mod, "MERGE_LINKAGE", 0.1)  # as bench/bench_facts.py --linkage does
    bare = aligned(seed_documents, cache=False)
    calls = select.calls, group.calls
    merged = aligned(seed_documents)
    assert (select.calls, group.calls) == (calls[0], calls[1] + 1)  # the same pairs, grouped again
    assert _facts(merged) == _facts(bare) != _facts(one)


@pytest.mark.parametrize("suffix", [".pairs", ".facts"])
@pytest.mark.parametrize("damage", [b"", b"PK\x03\x04 truncated zip", b"\x93NUMPY not an archive", "foreign"])
def test_a_corrupt_entry_is_recomputed(cache_dir, seed_documents, spies, suffix, damage):
    select, group, _ = spies
    cold = aligned(seed_documents)
    (entry,) = _entries(cache_dir, suffix)
    aligned(seed_documents, threshold=0.5)  # a second entry of each kind, for "foreign"
    (other,) = set(_entries(cache_dir, suffix)) - {entry}
    entry.write_bytes(other.read_bytes() if damage == "foreign" else damage)
    # A damaged choice is chosen again (its facts' key is the same, so they are read back); damaged facts are grouped again.
    want = select.calls + (suffix == ".pairs"), group.calls + (suffix == ".facts")
    again = aligned(seed_documents)
    assert _rows(again) == _rows(cold) and _facts(again) == _facts(cold)
    assert (select.calls, group.calls) == want
    assert entry.stat().st_size > 100  # written again
    aligned(seed_documents)
    assert (select.calls, group.calls) == want


@pytest.mark.parametrize("members", [[0, 10**6], [-1, 0]])
def test_an_entry_pointing_outside_the_corpus_is_a_miss(cache_dir, seed_documents, members):
    store = FactCache()
    sentences = [s for d in seed_documents for s in d.sentences]
    position = {s: k for k, s in enumerate(sentences)}
    store.put_facts("k", position, [[sentences[0], sentences[-1]]])
    assert store.get_facts("k", sentences[:-1]) is None  # written for another corpus
    store.put_facts("k", position, [[sentences[0], sentences[-1]]])
    assert store.get_facts("k", sentences) == [[sentences[0], sentences[-1]]]
    buf = io.BytesIO()
    np.savez(buf, key=np.array("k"), n=np.array(len(sentences)), members=np.array(members), sizes=np.array([2]))
    (cache_dir / "k.facts").write_bytes(buf.getvalue())
    assert store.get_facts("k", sentences) is None
    assert not (cache_dir / "k.facts").exists()  # dropped, to be written again


def test_the_facts_do_not_depend_on_scores_other_thresholds_made(seed_alignment):
    """The corpus keeps every score completion made at any threshold; the facts at one threshold read only
    the scores its own completion read, so they are what a fresh alignment at it gives."""
    r = seed_alignment
    chosen = {(p.a, p.b) for p in r.pairs}
    linked: dict = {}
    for a, b in chosen:
        linked.setdefault(a, set()).add(b)
        linked.setdefault(b, set()).add(a)
    f1, f2 = r.facts[0], r.facts[1]
    # As if another threshold had scored every pair across two facts high: pairs no chain of two of
    # this threshold's links implies (those its completion reads, and would read again).
    made = {
        (x, y) if x.doc < y.doc else (y, x): 0.99
        for x in f1.sentences
        for y in f2.sentences
        if x.doc != y.doc and not linked.get(x, set()) & linked.get(y, set())
    }
    assert made
    again = align.Alignment(r.documents, r.threshold, r.scored, r.scorer, {**r.implied, **made})
    assert _rows(again) == _rows(r)
    assert _facts(again) == _facts(r)


def test_no_cache_writes_no_fact_entries(cache_dir, seed_documents):
    aligned(seed_documents, cache=False)
    assert not cache_dir.exists() or not list(cache_dir.iterdir())


def test_an_alignment_built_by_hand_keeps_nothing(cache_dir, seed_alignment):
    by_hand = align.Alignment(seed_alignment.documents, 0.3, seed_alignment.scored, seed_alignment.scorer)
    assert by_hand.facts and not _entries(cache_dir, ".pairs") and not _entries(cache_dir, ".facts")
