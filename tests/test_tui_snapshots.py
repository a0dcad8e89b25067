"""Snapshots of the reader's main screen, conflicts view, fact matrix and help, on the hand-built corpus.

The corpus has fixed pairs (tests/snapshot_apps/corpus.py), so these pictures change only when the
reader's drawing changes, not when the engine's scorer does. Approve changes with
`uv run pytest tests/test_tui_snapshots.py --snapshot-update` after looking at the report.
"""

from __future__ import annotations

from snapshot_apps.corpus import synthetic_alignment
from tui.app import DealReaderApp


def app() -> DealReaderApp:
    return DealReaderApp(alignment=synthetic_alignment())


def test_main_screen_with_a_conflict_selected(snap_compare):
    assert snap_compare(app(), terminal_size=(120, 30), press=["j", "j"])


def test_main_screen_at_80x24(snap_compare):
    assert snap_compare(app(), terminal_size=(80, 24), press=["n", "n", "n", "n"])


def test_conflicts_view(snap_compare):
    assert snap_compare(app(), terminal_size=(120, 24), press=["c"])


def test_help(snap_compare):
    assert snap_compare(app(), terminal_size=(100, 50), press=["question_mark"])


def test_fact_matrix_at_80x24(snap_compare):
    assert snap_compare(app(), terminal_size=(80, 24), press=["f", "right"])


def test_fact_matrix_at_160x45(snap_compare):
    assert snap_compare(app(), terminal_size=(160, 45), press=["f", "down"])


def test_story_list(snap_compare):
    from snapshot_apps.corpus import synthetic_stories

    assert snap_compare(DealReaderApp(stories=synthetic_stories()), terminal_size=(100, 24))


def test_second_story_in_the_panes(snap_compare):
    from snapshot_apps.corpus import synthetic_stories

    assert snap_compare(DealReaderApp(stories=synthetic_stories()), terminal_size=(100, 24), press=["down", "enter"])
