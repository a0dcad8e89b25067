"""Pilot tests of the second reading in the reader: the judge's links show at once, the cross-encoder
refines them in a thread worker (marks updating, progress in the status line), and a warm open reads
the refined scores from the cache without running it."""

from __future__ import annotations

from pathlib import Path

import pytest

import align
from align import paraphrase
from tui.app import DealReaderApp
from tui.screens.reader import ReaderScreen
from tui.widgets.status_line import StatusLine

MIXED = Path(__file__).parent / "fixtures" / "stories"
SIZE = (120, 30)


def _record(monkeypatch) -> tuple[list[bool], list[tuple[int | None, int, int, bool]]]:
    """What the reader is handed: each load's refined flag, each refined part (story, done, total, refined)."""
    loaded: list[bool] = []
    parts: list[tuple[int | None, int, int, bool]] = []
    on_loaded, on_refined = ReaderScreen.on_reader_screen_loaded, ReaderScreen.on_reader_screen_refined

    async def loaded_spy(self, message):
        loaded.append(message.alignment.refined)
        await on_loaded(self, message)

    def refined_spy(self, message):
        parts.append((message.story, message.done, message.total, message.alignment.refined))
        on_refined(self, message)

    monkeypatch.setattr(ReaderScreen, "on_reader_screen_loaded", loaded_spy)
    monkeypatch.setattr(ReaderScreen, "on_reader_screen_refined", refined_spy)
    return loaded, parts


async def test_a_cold_open_shows_the_judge_then_the_refined_links_and_a_warm_one_reads_the_cache(
    cache_dir, monkeypatch
):
    loaded, parts = _record(monkeypatch)
    app = DealReaderApp()
    async with app.run_test(size=SIZE) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        reader = app.reader
        assert loaded == [False]  # shown before the cross-encoder ran
        assert len(parts) >= 2 and [p[3] for p in parts] == [False] * (len(parts) - 1) + [True]
        assert [p[1] for p in parts] == sorted(p[1] for p in parts) and parts[-1][1] == parts[-1][2]
        assert reader.alignment is not None and reader.alignment.refined
        assert reader.working == "" and "reading pairs again" not in str(reader.query_one(StatusLine).render())
        refined = [(p.a.doc, p.a.index, p.b.doc, p.b.index, p.score) for p in reader.alignment.pairs]
    expected = align.align(align.load_documents(None)[0], cache=False)
    assert refined == [(p.a.doc, p.a.index, p.b.doc, p.b.index, p.score) for p in expected.pairs]

    loaded.clear()
    parts.clear()
    monkeypatch.setattr(paraphrase, "load", lambda *a, **k: pytest.fail("read again on a warm open"))
    app = DealReaderApp()
    async with app.run_test(size=SIZE) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert loaded == [True] and parts == []
        assert [(p.a.doc, p.a.index, p.b.doc, p.b.index, p.score) for p in app.reader.alignment.pairs] == refined


async def test_the_status_line_tells_how_far_the_reading_is(seed_alignment):
    app = DealReaderApp(alignment=seed_alignment)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        reader = app.reader
        reader.post_message(ReaderScreen.Refined(None, seed_alignment, 32, 90))
        await pilot.pause()
        assert "reading pairs again 32/90" in str(reader.query_one(StatusLine).render())
        reader.post_message(ReaderScreen.Refined(None, seed_alignment, 90, 90))
        await pilot.pause()
        assert "reading pairs again" not in str(reader.query_one(StatusLine).render())


async def test_a_threshold_chosen_while_refining_is_kept(seed_documents):
    cheap = align.align(seed_documents, cache=False, refine=False)
    *_, (_, _, refined) = align.refine(cheap, cache=False)
    app = DealReaderApp(alignment=cheap)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        reader = app.reader
        await pilot.press("minus")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert reader.alignment.threshold == pytest.approx(0.2)
        reader.post_message(ReaderScreen.Refined(None, refined, 1, 1))
        await pilot.pause()
        assert reader.alignment.refined and reader.alignment.threshold == pytest.approx(0.2)
        # A re-alignment begun from the judge's scores, landing late, keeps the refined ones.
        reader.post_message(ReaderScreen.Realigned(cheap.with_threshold(0.2)))
        await pilot.pause()
        assert reader.alignment.refined and reader.alignment.threshold == pytest.approx(0.2)


async def test_every_story_is_refined_the_one_open_and_the_others(cache_dir, monkeypatch):
    _, parts = _record(monkeypatch)
    app = DealReaderApp([str(align.bundled_seeds()), str(MIXED)])
    async with app.run_test(size=SIZE) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        reader = app.reader
        assert len(reader.stories) == 3
        assert all(a.refined for _, a in reader.stories)
        assert {p[0] for p in parts if p[3]} == {0, 1, 2}  # each story's last part, refined


async def test_export_waits_for_the_second_reading(seed_documents, monkeypatch):
    import threading

    from tui.screens.export import ExportDialog

    cheap = align.align(seed_documents, cache=False, refine=False)
    release = threading.Event()
    real_refine = align.refine

    def held(alignment, cache=None):  # the worker's reading, held until the test lets it go
        release.wait(10)
        yield from real_refine(alignment, cache=False)

    monkeypatch.setattr(align, "refine", held)
    app = DealReaderApp(alignment=cheap)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        reader = app.reader
        await pilot.press("e")
        await pilot.pause()
        assert not isinstance(app.screen, ExportDialog)
        assert any("still being read again" in n.message for n in app._notifications)
        release.set()
        await app.workers.wait_for_complete()  # an alignment given unrefined is refined by a worker
        await pilot.pause()
        assert reader.alignment.refined
        await pilot.press("e")
        await pilot.pause()
        assert isinstance(app.screen, ExportDialog)
