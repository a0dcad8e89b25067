"""Shared fixtures: the bundled seeds parsed once per test session."""

from __future__ import annotations

import os

import pytest

import align


@pytest.fixture(scope="session", autouse=True)
def _isolated_user_dirs(tmp_path_factory):
    """Every test parses into a throw-away cache directory (align/cache.py) and keeps the seeds'
    links file (align/links.py) in a throw-away data directory: never the user's own."""
    names = {"DEAL_READER_CACHE_DIR": "parse-cache", "DEAL_READER_DATA_DIR": "data"}
    old = {name: os.environ.get(name) for name in names}
    for name, folder in names.items():
        os.environ[name] = str(tmp_path_factory.mktemp(folder))
    yield
    for name, value in old.items():
        if value is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = value


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
