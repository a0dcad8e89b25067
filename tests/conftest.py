"""Shared fixtures: the bundled seeds parsed once per test session."""
from __future__ import annotations

import pytest

import align


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
