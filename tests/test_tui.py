"""Pilot tests of the reader on the bundled seeds: the engine's real output, parsed once per session."""

from __future__ import annotations

import csv
import io

import pytest
from textual.widgets import DataTable

import align
import align.cli
from snapshot_apps.corpus import seed_alignment, seed_documents
from tui import navigation
from tui.app import DealReaderApp
from tui.screens.conflicts import ConflictsScreen
from tui.screens.export import ExportDialog
from tui.screens.reader import ReaderScreen
from tui.widgets.detail_panel import DetailPanel
from tui.widgets.pane_row import PaneRow
from tui.widgets.status_line import StatusLine


@pytest.fixture(scope="module")
def alignment() -> align.Alignment:
    return seed_alignment()


def find(alignment: align.Alignment, needle: str) -> align.Sentence:
    hits = [s for d in alignment.documents for s in d.sentences if needle in s.clean_text]
    assert len(hits) == 1, f"{len(hits)} seed sentences contain {needle!r}"
    return hits[0]


def plain(widget) -> str:
    return str(widget.render())


async def select(pilot, sentence: align.Sentence) -> ReaderScreen:
    reader = pilot.app.reader
    reader.jump_to(sentence)
    await pilot.pause()
    assert reader.selected is sentence
    return reader


async def test_selecting_one_billion_highlights_its_counterparts_and_lists_the_conflict(alignment):
    app = DealReaderApp(alignment=alignment)
    async with app.run_test(size=(160, 40)) as pilot:
        await pilot.pause()
        sentence = find(alignment, "$1 billion immediately")
        reader = await select(pilot, sentence)
        views = reader.views
        expected = dict(alignment.counterparts(sentence))
        highlighted = {s: v for view in views for s, v in view.counterparts.items()}
        assert highlighted == expected  # the panes show exactly what the engine reports
        detail = plain(reader.query_one(DetailPanel))
        for c in alignment.conflicts_of(sentence):
            assert f"{c.qa.text if c.a is sentence else c.qb.text} vs" in detail
        # Issue 3: the two sentences stating $1.25 billion are its counterparts, and the conflict is listed.
        with_125 = [s for s in expected if "1.25 billion" in s.clean_text]
        assert len(with_125) == 2, f"counterparts of the $1 billion sentence: {list(expected)}"
        assert "$1 billion vs" in detail and "1.25 billion" in detail
        for s in with_125:
            view = views[s.doc]
            assert view.counterparts.get(s) == expected[s]
            assert view.cursor == s.index - 1 or view.counterparts[s] < max(view.counterparts.values())
        assert "≠" in detail


async def test_n_and_shift_n_visit_the_conflicts_in_order(alignment):
    expected = navigation.conflict_sentences(alignment)
    assert len(expected) >= 4, f"the seeds' conflicts the engine finds: {[c.label for c in alignment.conflicts]}"
    app = DealReaderApp(alignment=alignment)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        reader = app.reader
        seen = []
        for _ in expected:
            await pilot.press("n")
            seen.append(reader.selected)
        assert seen == expected
        await pilot.press("n")
        assert reader.selected is expected[0]  # wraps around
        back = []
        for _ in expected:
            await pilot.press("N")
            back.append(reader.selected)
        assert back == [expected[-1], *expected[-2::-1]][: len(expected)]


async def test_conflicts_view_names_both_google_figures_and_enter_jumps(alignment):
    app = DealReaderApp(alignment=alignment)
    async with app.run_test(size=(140, 36)) as pilot:
        await pilot.pause()
        await pilot.press("c")
        await pilot.pause()
        assert isinstance(app.screen, ConflictsScreen)
        table = app.screen.query_one(DataTable)
        assert table.row_count == len(alignment.conflicts)
        cells = [" | ".join(str(c) for c in table.get_row_at(i)) for i in range(table.row_count)]
        assert any("$300 million" in row and "$400 million" in row for row in cells), cells
        target = next(i for i, row in enumerate(cells) if "$300 million" in row)
        table.move_cursor(row=target)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ReaderScreen)
        assert app.reader.selected is alignment.conflicts[target].a
        await pilot.press("c")
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, ReaderScreen)


async def test_export_writes_the_same_csv_as_the_cli_and_never_overwrites_unasked(alignment, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    app = DealReaderApp(alignment=alignment)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        await pilot.press("e")
        await pilot.pause()
        assert isinstance(app.screen, ExportDialog)
        await pilot.press("enter")  # the default path, ./aligned-pairs.csv
        await pilot.pause()
        assert not isinstance(app.screen, ExportDialog)
        written = (tmp_path / "aligned-pairs.csv").read_text(encoding="utf-8")
        assert any("aligned-pairs.csv" in n.message for n in app._notifications)

        # A second export to the same path asks first and leaves the file alone until confirmed.
        (tmp_path / "aligned-pairs.csv").write_text("keep me", encoding="utf-8")
        await pilot.press("e")
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ExportDialog)
        assert app.screen.confirming_overwrite is not None
        assert (tmp_path / "aligned-pairs.csv").read_text(encoding="utf-8") == "keep me"
        await pilot.press("enter")  # confirm
        await pilot.pause()
        assert (tmp_path / "aligned-pairs.csv").read_text(encoding="utf-8") == written

    # The CLI on the same (already parsed) documents.
    monkeypatch.setattr(align.cli, "load_documents", lambda *a, **k: (list(seed_documents()), []))
    assert align.cli.export_main(["--csv", str(tmp_path / "cli.csv")]) == 0
    cli = (tmp_path / "cli.csv").read_text(encoding="utf-8")
    assert written == cli
    rows = list(csv.reader(io.StringIO(written)))
    assert rows[0] == list(align.CSV_COLUMNS)
    assert len(rows) == len(alignment.pairs) + 1


async def settle(app, pilot) -> None:
    """Wait for the re-alignment workers that +/- start, then for their messages."""
    await app.workers.wait_for_complete()
    await pilot.pause()
    await pilot.pause()


async def test_plus_and_minus_change_the_number_of_aligned_pairs(alignment):
    app = DealReaderApp(alignment=alignment)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        reader = app.reader
        base = len(reader.alignment.pairs)
        await pilot.press("minus")
        await settle(app, pilot)
        lower = reader.alignment
        assert lower.threshold == pytest.approx(alignment.threshold - 0.05)
        assert len(lower.pairs) == len(alignment.with_threshold(lower.threshold).pairs)
        assert f"threshold {lower.threshold:.2f}" in plain(reader.query_one(StatusLine))
        assert f"threshold {lower.threshold:.2f}" in reader.sub_title
        await pilot.press("plus", "plus")
        await settle(app, pilot)
        higher = reader.alignment
        assert "re-aligning" not in plain(reader.query_one(StatusLine))
        assert higher.threshold == pytest.approx(alignment.threshold + 0.05)
        assert len(higher.pairs) == len(alignment.with_threshold(higher.threshold).pairs)
        # The seeds have pairs scoring between each step: lower keeps more, higher fewer.
        assert len(lower.pairs) > base > len(higher.pairs)
        # Every pane redraws with the new alignment.
        assert all(v.alignment is higher for v in reader.views)


async def test_runs_at_80x24_and_moves_between_panes(alignment):
    app = DealReaderApp(alignment=alignment)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        reader = app.reader
        shown = [p for p in reader.panes if p.display]
        assert len(shown) == 2  # 40 columns a pane
        for key in [
            "j",
            "j",
            "pagedown",
            "end",
            "home",
            "tab",
            "l",
            "l",
            "l",
            "shift+tab",
            "h",
            "u",
            "n",
            "right_square_bracket",
            "left_square_bracket",
            "question_mark",
            "escape",
            "c",
            "escape",
        ]:
            await pilot.press(key)
        await pilot.pause()
        assert isinstance(app.screen, ReaderScreen)
        # The current pane (the focus stays on the row of panes) is always among those shown.
        assert isinstance(app.focused, PaneRow)
        focused = reader.focused_view()
        assert focused.active and focused.parent.display
        svg = app.export_screenshot()
        assert "threshold" in svg
