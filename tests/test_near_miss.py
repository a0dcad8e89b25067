"""Unique or near miss: a sentence with no link is called unique only when nothing elsewhere comes close."""

from __future__ import annotations

import pytest

from align.alignment import UNIQUE_BELOW
from snapshot_apps.corpus import synthetic_alignment
from tui.app import DealReaderApp
from tui.widgets.detail_panel import DetailPanel


def sentence(alignment, doc: int, index: int):
    return alignment.documents[doc].sentence(index)


@pytest.mark.parametrize(
    ("pairs", "expected"),
    [
        # No candidate at all: unique.
        ([], None),
        # A candidate under the floor says nothing: still unique.
        ([((0, 1), (1, 1), UNIQUE_BELOW / 2)], None),
        # At the floor, under the threshold: a near miss, not unique.
        ([((0, 1), (1, 1), UNIQUE_BELOW)], ((1, 1), UNIQUE_BELOW)),
        # The best of several candidates is the near miss.
        ([((0, 1), (1, 1), 0.2), ((0, 1), (2, 1), 0.3)], ((2, 1), 0.3)),
    ],
)
def test_near_miss_of_an_unlinked_sentence(pairs, expected):
    alignment = synthetic_alignment(pairs=pairs)
    s = sentence(alignment, 0, 1)
    near = alignment.near_miss(s)
    if expected is None:
        assert near is None and alignment.is_unique(s)
    else:
        (doc, index), score = expected
        assert near == (sentence(alignment, doc, index), score)
        assert not alignment.is_unique(s)


def test_a_linked_sentence_has_no_near_miss_and_is_not_unique():
    alignment = synthetic_alignment(pairs=[((0, 1), (1, 1), 0.9), ((0, 1), (2, 1), 0.2)])
    s = sentence(alignment, 0, 1)
    assert alignment.counterparts(s) and alignment.near_miss(s) is None and not alignment.is_unique(s)


def test_a_rejected_link_is_no_near_miss_but_the_next_candidate_is():
    alignment = synthetic_alignment(pairs=[((0, 1), (1, 1), 0.9), ((0, 1), (2, 1), 0.2)])
    s, first, second = sentence(alignment, 0, 1), sentence(alignment, 1, 1), sentence(alignment, 2, 1)
    corrected = alignment.with_corrections(rejected=[(s, first)])
    assert corrected.near_miss(s) == (second, 0.2)
    assert corrected.with_corrections(rejected=[(s, first), (s, second)]).is_unique(s)


def test_near_misses_follow_the_threshold():
    alignment = synthetic_alignment(pairs=[((0, 1), (1, 1), 0.3)])
    s = sentence(alignment, 0, 1)
    assert alignment.near_miss(s) is not None
    lower = alignment.with_threshold(0.25)
    assert lower.counterparts(s) and lower.near_miss(s) is None


async def test_the_panel_names_the_near_miss_and_enter_goes_there():
    alignment = synthetic_alignment(pairs=[((0, 2), (1, 2), 0.9), ((0, 1), (2, 1), 0.2)])
    app = DealReaderApp(alignment=alignment)
    async with app.run_test(size=(120, 30)) as pilot:
        await pilot.pause()
        reader = app.reader
        start = sentence(alignment, 0, 1)
        reader.jump_to(start)
        await pilot.pause()
        panel = str(app.reader.query_one(DetailPanel).render())
        assert "not linked: the closest sentence scores 0.20" in panel and "unique" not in panel
        await pilot.press("enter")
        await pilot.pause()
        assert reader.selected is sentence(alignment, 2, 1)
