"""The score cache: a corpus seen before skips candidates and scoring, and gives the same alignment."""

from __future__ import annotations

import io
import os
from pathlib import Path

import numpy as np
import pytest

import align
from align import alignment as alignment_mod
from align.cache import ParseCache
from align.scorecache import ScoreCache, corpus_key
from align.similarity import Scorer

FP = Scorer([]).fingerprint()
# A corpus not seen before misses twice: its refined scores, then the judge's alone (align(refine=False) keeps those).
MISSES = 2


def _rows(result: align.Alignment) -> list[tuple]:
    return [
        (p.a.doc, p.a.index, p.b.doc, p.b.index, p.score, tuple(map(str, p.conflicts)), p.copy) for p in result.pairs
    ]


def _entries(d: Path) -> list[Path]:
    return sorted(d.glob("*.scores")) if d.exists() else []


def test_a_warm_alignment_equals_the_cold_one_without_scoring(cache_dir, seed_documents, monkeypatch):
    cold = align.align(seed_documents)
    assert len(_entries(cache_dir)) == 1
    store = ScoreCache()
    with monkeypatch.context() as m:
        m.setattr(alignment_mod, "score_pairs", lambda *a, **k: pytest.fail("scored again"))
        m.setattr(alignment_mod, "Scorer", lambda *a, **k: pytest.fail("built a scorer"))
        warm = align.align(seed_documents, cache=store)
    assert store.hits == 1
    assert _rows(warm) == _rows(cold) and warm.pairs
    assert [[(s.doc, s.index) for s in f.sentences] for f in warm.facts] == [
        [(s.doc, s.index) for s in f.sentences] for f in cold.facts
    ]


def test_another_threshold_after_a_hit_still_scores_what_it_needs(cache_dir, seed_documents):
    cold = align.align(seed_documents).with_threshold(0.1)
    warm = align.align(seed_documents, cache=ScoreCache()).with_threshold(0.1)
    assert _rows(warm) == _rows(cold)


def test_a_changed_sentence_misses(cache_dir, seed_documents, tmp_path):
    align.align(seed_documents)
    texts = [d.text for d in seed_documents]
    texts[1] = texts[1].replace("billion", "million", 1)
    folder = tmp_path / "changed"
    folder.mkdir()
    for d, t in zip(seed_documents, texts, strict=True):
        (folder / d.name).write_text(t, encoding="utf-8")
    docs, _ = align.load_documents([folder])
    assert corpus_key(docs, FP) != corpus_key(seed_documents, FP)
    store = ScoreCache()
    align.align(docs, cache=store)
    assert store.hits == 0 and store.misses == MISSES and len(_entries(cache_dir)) == 2


def test_document_order_is_part_of_the_key(seed_documents):
    assert corpus_key(seed_documents, FP) == corpus_key(list(seed_documents), FP)
    assert corpus_key(seed_documents, FP) != corpus_key(seed_documents[::-1], FP)


@pytest.mark.parametrize("damage", [b"", b"PK\x03\x04 truncated zip", b"\x93NUMPY not an archive"])
def test_a_corrupt_entry_is_rebuilt(cache_dir, seed_documents, damage):
    cold = align.align(seed_documents)
    (entry,) = _entries(cache_dir)
    entry.write_bytes(damage)
    store = ScoreCache()
    again = align.align(seed_documents, cache=store)
    assert store.misses == MISSES and _rows(again) == _rows(cold)
    assert entry.stat().st_size > 1000  # written again


@pytest.mark.parametrize("field,value", [("a", 10**6), ("b", -1)])
def test_an_entry_pointing_outside_the_corpus_is_rebuilt(cache_dir, seed_documents, field, value):
    """Checked when read: the candidates become pairs only when first used, too late to drop the entry."""
    cold = align.align(seed_documents)
    (entry,) = _entries(cache_dir)
    with np.load(entry) as z:
        data = {k: z[k].copy() for k in z.files}
    data[field][0] = value
    buf = io.BytesIO()
    np.savez(buf, **data)
    entry.write_bytes(buf.getvalue())
    store = ScoreCache()
    again = align.align(seed_documents, cache=store)
    assert store.misses == MISSES and _rows(again) == _rows(cold) and _scored(again) == _scored(cold)


def _scored(result: align.Alignment) -> list[tuple]:
    return [(p.a.doc, p.a.index, p.b.doc, p.b.index, p.score) for p in result.scored]


def test_warm_candidates_are_the_cold_ones(cache_dir, seed_documents):
    cold = align.align(seed_documents)
    warm = align.align(seed_documents)
    assert len(warm.scored) == len(cold.scored) and _scored(warm) == _scored(cold)
    assert warm.scored == list(warm.scored) and list(warm.scored) == warm.scored  # compares as the list would
    assert (warm.scored[0].a, warm.scored[-1].b) == (warm.scored[:1][0].a, list(warm.scored)[-1].b)
    assert warm.with_threshold(0.1).pairs  # another threshold reads them


def test_an_entry_for_another_corpus_is_a_miss(cache_dir, seed_documents):
    align.align(seed_documents)
    align.align(seed_documents[:3])
    a, b = _entries(cache_dir)
    a.write_bytes(b.read_bytes())  # right format, wrong corpus
    store = ScoreCache()
    align.align(seed_documents, cache=store)
    align.align(seed_documents[:3], cache=store)
    assert store.misses == MISSES and store.hits == 1


def test_no_cache_neither_reads_nor_writes_scores(cache_dir, seed_documents):
    align.align(seed_documents, cache=False)
    assert not _entries(cache_dir)
    os.environ["DEAL_READER_NO_CACHE"] = "1"
    try:
        align.align(seed_documents)
    finally:
        del os.environ["DEAL_READER_NO_CACHE"]
    assert not _entries(cache_dir)


def test_export_no_cache_reaches_the_aligner(cache_dir, tmp_path):
    from align.cli import export_main

    assert export_main(["--no-cache", "--csv", str(tmp_path / "out.csv")]) == 0
    assert not _entries(cache_dir)
    assert export_main(["--csv", str(tmp_path / "out2.csv")]) == 0
    assert len(_entries(cache_dir)) == 1
    assert (tmp_path / "out.csv").read_bytes() == (tmp_path / "out2.csv").read_bytes()


def test_score_fact_and_parse_entries_share_the_cap(cache_dir, seed_documents):
    align.align(seed_documents).with_facts()
    align.load_documents(None)  # parse entries too
    store = ParseCache(limit=0)
    assert {p.suffix for _, _, p in store.entries()} == {".parse", ".scores", ".pairs", ".facts"}
    store.evict()
    assert not store.entries()


def test_a_warm_export_imports_neither_spacy_nor_scipy(cache_dir, tmp_path):
    import subprocess
    import sys

    from align.cli import export_main

    assert export_main(["--csv", str(tmp_path / "cold.csv")]) == 0
    code = (
        "import sys; from align.cli import export_main; "
        "rc = export_main(['--csv', sys.argv[1]]); "
        "print(rc, [m for m in ('spacy', 'scipy') if m in sys.modules])"
    )
    out = subprocess.run(
        [sys.executable, "-c", code, str(tmp_path / "warm.csv")],
        capture_output=True,
        text=True,
        env={**os.environ, "DEAL_READER_CACHE_DIR": str(cache_dir)},
        check=True,
    )
    assert out.stdout.split() == ["0", "[]"]
    assert (tmp_path / "warm.csv").read_bytes() == (tmp_path / "cold.csv").read_bytes()


def test_the_alignment_does_not_depend_on_the_hash_seed(tmp_path):
    """Sums over sets of words and the key matrix's columns must not follow Python's per-process
    string hashing, or a pair near the threshold comes and goes between runs."""
    import hashlib
    import subprocess
    import sys

    code = (
        "import hashlib, align; docs, _ = align.load_documents(None); "
        "print(hashlib.md5(align.to_json(align.align(docs, cache=False)).encode()).hexdigest())"
    )
    env = {**os.environ, "DEAL_READER_CACHE_DIR": str(tmp_path)}  # parse once, then from the cache
    digests = {
        subprocess.run(
            [sys.executable, "-c", code],
            capture_output=True,
            text=True,
            check=True,
            env={**env, "PYTHONHASHSEED": seed},
        ).stdout.strip()
        for seed in ("1", "2", "3")
    }
    assert len(digests) == 1 and len(next(iter(digests))) == len(hashlib.md5().hexdigest())


def test_with_threshold_reusing_work_equals_a_fresh_alignment(seed_documents):
    from align.alignment import Alignment

    base = align.align(seed_documents, cache=False)
    stepped = base.with_threshold(0.4).with_threshold(0.1).with_threshold(0.3)
    fresh = Alignment(base.documents, 0.3, base.scored, base.scorer)
    assert stepped.reuse is base.reuse and fresh.reuse is not base.reuse
    assert _rows(stepped) == _rows(fresh) and stepped.pairs
    assert [[(s.doc, s.index) for s in f.sentences] for f in stepped.facts] == [
        [(s.doc, s.index) for s in f.sentences] for f in fresh.facts
    ]
