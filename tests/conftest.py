"""Shared fixtures: the bundled seeds parsed once per test session."""

from __future__ import annotations

import os

import pytest

import align


@pytest.fixture(scope="session", autouse=True)
def _isolated_parse_cache(tmp_path_factory):
    """Every test parses into a throw-away cache directory, never the user's (see align/cache.py)."""
    old = os.environ.get("DEAL_READER_CACHE_DIR")
    os.environ["DEAL_READER_CACHE_DIR"] = str(tmp_path_factory.mktemp("parse-cache"))
    yield
    if old is None:
        os.environ.pop("DEAL_READER_CACHE_DIR", None)
    else:
        os.environ["DEAL_READER_CACHE_DIR"] = old


@pytest.fixture(scope="session", autouse=True)
def _isolated_links_dir(tmp_path_factory):
    """The seeds' links file (align/links.py) goes to a throw-away directory, never the user data dir."""
    old = os.environ.get("DEAL_READER_DATA_DIR")
    os.environ["DEAL_READER_DATA_DIR"] = str(tmp_path_factory.mktemp("data"))
    yield
    if old is None:
        os.environ.pop("DEAL_READER_DATA_DIR", None)
    else:
        os.environ["DEAL_READER_DATA_DIR"] = old


@pytest.fixture
def cache_dir(tmp_path, monkeypatch):
    """A cache directory of the test's own, with caching on."""
    d = tmp_path / "cache"
    monkeypatch.setenv("DEAL_READER_CACHE_DIR", str(d))
    monkeypatch.delenv("DEAL_READER_NO_CACHE", raising=False)
    return d


@pytest.fixture(scope="session")
def seed_documents() -> list[align.Document]:
    docs, problems = align.load_documents(None)
    assert not problems
    return docs


@pytest.fixture(scope="session")
def seed_alignment(seed_documents) -> align.Alignment:
    return align.align(seed_documents)


def find_sentence(docs: list[align.Document], needle: str) -> align.Sentence:
    """The one sentence containing ``needle``, whatever its document."""
    hits = [s for d in docs for s in d.sentences if needle in s.text]
    assert len(hits) == 1, f"{needle!r} found {len(hits)} times"
    return hits[0]
