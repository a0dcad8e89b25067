"""Pilot tests of the story list: a corpus of several stories opens on it, Enter opens one, Escape and S return."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import DataTable

import align
from snapshot_apps.corpus import synthetic_stories
from tui.app import DealReaderApp
from tui.screens.reader import ReaderScreen
from tui.screens.stories import StoriesScreen

MIXED = Path(__file__).parent / "fixtures" / "stories"


def cells(table: DataTable) -> list[list[str]]:
    return [[str(c) for c in table.get_row_at(r)] for r in range(table.row_count)]


async def test_the_list_shows_headline_articles_dates_and_conflicts():
    stories = synthetic_stories()
    app = DealReaderApp(stories=stories)
    async with app.run_test(size=(120, 30)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, StoriesScreen)
        rows = cells(app.screen.query_one(DataTable))
        assert rows == [
            ["1", "Amazon bets on Anthropic", "3", "2023-09-25", str(len(stories[0][1].conflicts))],
            ["2", "Borealis Bank buys Quill Payments", "2", "2022-07-12 – 2022-07-13", "1"],
        ]
        assert len(stories[0][1].conflicts) > 0


async def test_enter_opens_a_story_escape_and_s_come_back():
    stories = synthetic_stories()
    app = DealReaderApp(stories=stories)
    async with app.run_test(size=(120, 30)) as pilot:
        await pilot.pause()
        await pilot.press("escape")  # nothing open yet: the list stays
        assert isinstance(app.screen, StoriesScreen)
        await pilot.press("down", "enter")
        await pilot.pause()
        reader = app.reader
        assert app.screen is reader and reader.story == 1
        assert [p.document.name for p in reader.panes] == [d.name for d in stories[1][1].documents]
        assert reader.alignment is stories[1][1]
        assert "story 2 of 2" in reader.sub_title
        await pilot.press("escape")
        assert isinstance(app.screen, StoriesScreen)
        assert app.screen.query_one(DataTable).cursor_row == 1  # on the story that was open
        await pilot.press("escape")  # back to the open story
        assert app.screen is reader and reader.story == 1
        await pilot.press("S")
        assert isinstance(app.screen, StoriesScreen)
        await pilot.press("up", "enter")
        await pilot.pause()
        assert app.screen is reader and reader.story == 0
        assert len(reader.panes) == len(stories[0][1].documents)


async def test_escape_cancels_a_link_before_it_leaves_the_story():
    app = DealReaderApp(stories=synthetic_stories())
    async with app.run_test(size=(120, 30)) as pilot:
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("a")
        assert app.reader.linking is not None
        await pilot.press("escape")
        assert app.screen is app.reader and app.reader.linking is None
        await pilot.press("escape")
        assert isinstance(app.screen, StoriesScreen)


async def test_a_threshold_change_is_kept_when_switching_stories():
    app = DealReaderApp(stories=synthetic_stories())
    async with app.run_test(size=(120, 30)) as pilot:
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("plus")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert app.reader.alignment is not None and app.reader.alignment.threshold == 0.4
        await pilot.press("S", "down", "enter")
        await pilot.pause()
        await pilot.press("S", "up", "enter")
        await pilot.pause()
        assert app.reader.alignment.threshold == 0.4


async def test_loading_several_stories_opens_the_list_and_one_story_opens_the_panes():
    app = DealReaderApp([str(align.bundled_seeds()), str(MIXED)])
    async with app.run_test(size=(120, 30)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        await pilot.pause()
        assert isinstance(app.screen, StoriesScreen)
        rows = cells(app.screen.query_one(DataTable))
        assert [r[2] for r in rows] == ["5", "3", "3"]
        assert "Nuance" in rows[1][1] and "Slack" in rows[2][1]
        await pilot.press("down", "enter")
        await pilot.pause()
        assert {Path(p.document.name).stem.split("-")[0] for p in app.reader.panes} == {"nuance"}
    app = DealReaderApp([str(MIXED / "slack-1.txt"), str(MIXED / "slack-2.txt")])
    async with app.run_test(size=(120, 30)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert isinstance(app.screen, ReaderScreen) and app.reader.story is None
        assert len(app.reader.panes) == 2
