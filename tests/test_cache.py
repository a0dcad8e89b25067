"""The parse cache: hits, misses, changed files, corrupt entries, eviction, --no-cache."""

from __future__ import annotations

import dataclasses
import os
import sys
import time
from pathlib import Path

import pytest

import align
from align import cache as cache_mod
from align.cache import ParseCache
from align.documents import load_documents

ARTICLE = """Northwind to buy Lumen

Northwind Systems agreed to buy Lumen Robotics for $4 billion on Monday.
The deal will cut 1,200 jobs in Osaka, the company said.
"""
OTHER = """Lumen sold

Lumen Robotics will be acquired by Northwind Systems in a deal valued at $4.5 billion.
Shares of Lumen jumped 12 percent.
"""


@pytest.fixture
def corpus(tmp_path):
    d = tmp_path / "articles"
    d.mkdir()
    (d / "a.txt").write_text(ARTICLE, encoding="utf-8")
    (d / "b.txt").write_text(OTHER, encoding="utf-8")
    return d


class CountingNlp:
    """The real pipeline, counting the texts it is asked to parse."""

    def __init__(self):
        from align.pipeline import load_pipeline

        self.nlp = load_pipeline()
        self.meta = self.nlp.meta
        self.pipe_names = self.nlp.pipe_names
        self.parsed = 0

    def pipe(self, texts, **kw):
        texts = list(texts)
        self.parsed += len(texts)
        return self.nlp.pipe(texts, **{k: v for k, v in kw.items() if k != "n_process"})


def _rows(docs):
    return [(d.name, d.title, [dataclasses.astuple(s) for s in d.sentences]) for d in docs]


def _entries(d: Path):
    return sorted(d.glob("*.parse")) if d.exists() else []


def test_the_default_directory_is_the_user_cache_dir(monkeypatch):
    monkeypatch.delenv("DEAL_READER_CACHE_DIR", raising=False)
    from platformdirs import user_cache_dir

    assert str(cache_mod.cache_dir()).startswith(user_cache_dir("deal-reader", appauthor=False))


def test_miss_then_hit_gives_the_same_documents(cache_dir, corpus):
    nlp = CountingNlp()
    cold, problems = load_documents([corpus], nlp=nlp)
    assert not problems and nlp.parsed > 0
    assert len(_entries(cache_dir)) == 2
    first = nlp.parsed
    warm, _ = load_documents([corpus], nlp=nlp)
    assert nlp.parsed == first  # nothing parsed again
    assert _rows(warm) == _rows(cold)
    fresh, _ = load_documents([corpus], nlp=nlp, cache=False)
    assert _rows(fresh) == _rows(cold)


def test_doc_index_follows_the_corpus_not_the_entry(cache_dir, corpus, tmp_path):
    load_documents([corpus / "b.txt"])
    docs, _ = load_documents([corpus])  # b.txt is now the second document
    assert [s.doc for s in docs[1].sentences] == [1] * len(docs[1].sentences)
    assert [s.doc for s in docs[0].sentences] == [0] * len(docs[0].sentences)


def test_a_changed_file_is_parsed_again_and_an_unchanged_one_is_not(cache_dir, corpus):
    nlp = CountingNlp()
    load_documents([corpus], nlp=nlp)
    before = nlp.parsed
    (corpus / "b.txt").write_text(OTHER.replace("12 percent", "15 percent"), encoding="utf-8")
    docs, _ = load_documents([corpus], nlp=nlp)
    assert 0 < nlp.parsed - before <= OTHER.count("\n")  # only b.txt's lines
    assert any("15 percent" in s.text for s in docs[1].sentences)
    assert len(_entries(cache_dir)) == 3


def test_corrupt_entries_are_ignored_and_rebuilt(cache_dir, corpus):
    cold, _ = load_documents([corpus])
    entries = _entries(cache_dir)
    entries[0].write_bytes(b"\x80\x05not a pickle at all")
    entries[1].write_bytes(b"")
    nlp = CountingNlp()
    again, problems = load_documents([corpus], nlp=nlp)
    assert not problems and nlp.parsed > 0
    assert _rows(again) == _rows(cold)
    hits = ParseCache()
    load_documents([corpus], nlp=nlp, cache=hits)
    assert hits.hits == 2 and hits.misses == 0


def test_an_entry_naming_a_class_is_refused(cache_dir, corpus):
    import pickle

    load_documents([corpus])
    entry = _entries(cache_dir)[0]
    entry.write_bytes(pickle.dumps((1, entry.stem, [os.system])))
    store = ParseCache()
    docs, _ = load_documents([corpus], cache=store)
    assert store.misses == 1 and store.hits == 1
    assert all(d.sentences for d in docs)


def test_an_entry_for_another_key_is_a_miss(cache_dir, corpus):
    load_documents([corpus])
    a, b = _entries(cache_dir)
    a.write_bytes(b.read_bytes())  # right format, wrong key
    store = ParseCache()
    load_documents([corpus], cache=store)
    assert store.misses == 1


def test_an_unwritable_cache_is_not_fatal(tmp_path, monkeypatch, corpus, capsys):
    """One warning, returned rather than printed (the reader would never show a print)."""
    blocker = tmp_path / "file"
    blocker.write_text("x")
    monkeypatch.setenv("DEAL_READER_CACHE_DIR", str(blocker / "sub"))
    docs, problems = load_documents([corpus])
    assert len(docs) == 2
    assert [p.kind for p in problems] == ["warning"] and "parse cache not written" in str(problems[0])
    result = align.align(docs)
    assert [str(p) for p in result.problems] == [str(problems[0]).replace("parse cache", "score cache")]
    assert capsys.readouterr().err == ""


def test_no_cache_neither_reads_nor_writes(cache_dir, corpus):
    load_documents([corpus], cache=False)
    assert not _entries(cache_dir)
    from align.cli import export_parser

    assert export_parser().parse_args(["--no-cache", "--csv", "x"]).no_cache


def test_no_cache_flag_reaches_the_loader(cache_dir, corpus, tmp_path, monkeypatch):
    from align import cli

    seen = {}
    real = cli.load_documents

    def spy(*a, **k):
        seen.update(k)
        return real(*a, **k)

    monkeypatch.setattr(cli, "load_documents", spy)
    assert cli.export_main([str(corpus), "--no-cache", "--csv", str(tmp_path / "out.csv")]) == 0
    assert seen["cache"] is False and not _entries(cache_dir)


def test_key_changes_with_pipeline_engine_and_text():
    base = cache_mod.entry_key("text", "text|", "pipe-1")
    assert base == cache_mod.entry_key("text", "text|", "pipe-1")
    assert base != cache_mod.entry_key("text!", "text|", "pipe-1")
    assert base != cache_mod.entry_key("text", "markdown|", "pipe-1")
    assert base != cache_mod.entry_key("text", "text|", "pipe-2")
    fp = cache_mod.engine_fingerprint()
    assert align.__version__ in fp and f"/{cache_mod.ENGINE_CACHE_VERSION}/" in fp


def test_engine_version_bump_misses(cache_dir, corpus, monkeypatch):
    load_documents([corpus])
    monkeypatch.setattr(cache_mod, "ENGINE_CACHE_VERSION", cache_mod.ENGINE_CACHE_VERSION + 1)
    cache_mod.engine_fingerprint.cache_clear()
    try:
        store = ParseCache()
        load_documents([corpus], cache=store)
        assert store.hits == 0 and store.misses == 2
    finally:
        monkeypatch.undo()
        cache_mod.engine_fingerprint.cache_clear()


def test_pipeline_key_without_loading_matches_the_loaded_pipeline():
    from align.pipeline import load_pipeline, pipeline_key

    assert pipeline_key() == pipeline_key(load_pipeline())


def test_eviction_keeps_the_most_recently_used(cache_dir):
    store = ParseCache(limit=10_000)
    sentences = [align.Sentence(doc=0, index=k, text="x" * 200, start=0, end=200) for k in range(1, 11)]
    now = time.time()
    for k in range(8):
        store.put(f"{k:064x}", sentences)
        os.utime(cache_dir / f"{k:064x}.parse", (now - 100 + k, now - 100 + k))
    size = (cache_dir / f"{0:064x}.parse").stat().st_size
    store.get(f"{0:064x}", 0)  # the oldest is used again: now the newest
    store.limit = 3 * size
    assert store.evict() == 5
    left = {p.stem for p in _entries(cache_dir)}
    assert left == {f"{0:064x}", f"{6:064x}", f"{7:064x}"}


def test_writes_evict_beyond_the_cap(cache_dir, corpus, monkeypatch):
    monkeypatch.setenv("DEAL_READER_CACHE_MAX_MB", "0")
    load_documents([corpus])
    assert not _entries(cache_dir)


def test_a_warm_start_does_not_import_spacy(cache_dir, corpus):
    import subprocess

    load_documents([corpus])
    code = "import sys, align; docs, _ = align.load_documents([sys.argv[1]]); print(len(docs), 'spacy' in sys.modules)"
    out = subprocess.run(
        [sys.executable, "-c", code, str(corpus)],
        capture_output=True,
        text=True,
        env={**os.environ, "DEAL_READER_CACHE_DIR": str(cache_dir)},
        check=True,
    )
    assert out.stdout.split() == ["2", "False"]
