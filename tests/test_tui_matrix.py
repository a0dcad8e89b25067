"""Pilot tests of the fact matrix (`f`): the seeds' disagreements on screen, Enter to a sentence, Escape back.

Rows are found by their figures, never by number: the pair scorer, and so the facts, are changing.
"""

from __future__ import annotations

import pytest
from rich.text import Text

import align
from snapshot_apps.corpus import seed_alignment, synthetic_alignment
from tui.app import DealReaderApp
from tui.screens.help import key_table
from tui.screens.matrix import MatrixScreen, MatrixTable
from tui.screens.reader import ReaderScreen


@pytest.fixture(scope="module")
def seeds() -> align.Alignment:
    return seed_alignment()


def key(doc: align.Document) -> str:
    return doc.name.split("_")[0]


def cell_text(table: MatrixTable, row: int, column: int) -> str:
    value = table.get_cell_at((row, column))
    return value.plain if isinstance(value, Text) else str(value)


def find_row(table: MatrixTable, docs, wanted: dict[str, str]) -> int:
    """The table row whose cells show these figures in these documents (keys as in the file names)."""
    column = {key(d): i + 1 for i, d in enumerate(docs)}
    hits = [
        r
        for r in range(table.row_count)
        if all(figure in cell_text(table, r, column[k]) for k, figure in wanted.items())
    ]
    assert hits, f"no row shows {wanted}"
    return hits[0]


async def move_to(pilot, table: MatrixTable, row: int, column: int) -> None:
    """Reach a cell with the arrow keys, as a reader would."""
    while table.cursor_row < row:
        await pilot.press("down")
    while table.cursor_column < column:
        await pilot.press("right")
    while table.cursor_column > column:
        await pilot.press("left")
    assert table.cursor_coordinate == (row, column)


async def test_the_tranche_row_enter_jumps_to_004_and_escape_comes_back(seeds):
    app = DealReaderApp(alignment=seeds)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        reader = app.reader
        assert "back_to_matrix" not in {b.binding.action for b in reader.active_bindings.values()}  # no jump yet
        await pilot.press("f")
        assert isinstance(app.screen, MatrixScreen)
        table = app.screen.query_one(MatrixTable)
        docs = seeds.documents
        assert table.row_count == len(seeds.facts) and len(table.columns) == len(docs) + 1
        tranche = find_row(table, docs, {"001": "$1.25 billion", "002": "$1.25 billion", "004": "$1 billion"})
        col_004 = next(i + 1 for i, d in enumerate(docs) if key(d) == "004")
        assert cell_text(table, tranche, col_004).startswith("≠ $1 billion")
        assert cell_text(table, tranche, 0).startswith("≠ ")
        google = find_row(table, docs, {"000": "$300 million", "003": "$400 million"})
        assert cell_text(table, google, 1).startswith("≠ ")
        assert tranche < table.row_count and google < table.row_count
        disagreeing = [cell_text(table, r, 0).startswith("≠") for r in range(table.row_count)]
        assert disagreeing == sorted(disagreeing, reverse=True)  # disagreements first

        await move_to(pilot, table, tranche, col_004)
        assert "$1 billion immediately" in str(app.screen.query_one("#matrix-detail").render())
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ReaderScreen)
        target = reader.selected
        assert target.doc == col_004 - 1 and "$1 billion" in target.text
        assert reader.panes[target.doc].display  # its pane is in view
        view = reader.views[target.doc]
        assert view.size.height > 0 and view._in_view(target.index - 1)  # scrolled to the sentence
        # The keys move the selection's pane (the focus itself stays on the row of panes).
        assert reader.focused_view() is reader.views[target.doc] and reader.views[target.doc].cursor == target.index - 1
        assert "back_to_matrix" in {b.binding.action for b in reader.active_bindings.values()}

        await pilot.press("escape")
        assert isinstance(app.screen, MatrixScreen)
        table = app.screen.query_one(MatrixTable)
        assert table.cursor_coordinate == (tranche, col_004)  # same row, same cell


async def test_a_silent_cell_gives_a_notice_and_stays(seeds):
    app = DealReaderApp(alignment=seeds)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("f")
        table = app.screen.query_one(MatrixTable)
        docs = seeds.documents
        tranche = find_row(table, docs, {"001": "$1.25 billion", "004": "$1 billion"})
        col_000 = next(i + 1 for i, d in enumerate(docs) if key(d) == "000")
        assert cell_text(table, tranche, col_000) == "–"
        await move_to(pilot, table, tranche, col_000)
        await pilot.press("enter")
        assert isinstance(app.screen, MatrixScreen) and table.cursor_coordinate == (tranche, col_000)
        assert any("does not state this fact" in n.message for n in app._notifications)
        await pilot.press("escape")
        assert isinstance(app.screen, ReaderScreen)
        assert "back_to_matrix" not in {b.binding.action for b in app.reader.active_bindings.values()}
        await pilot.press("f")  # reopens where it was closed
        assert app.screen.query_one(MatrixTable).cursor_coordinate == (tranche, col_000)


async def test_enter_on_the_label_jumps_to_the_first_article_stating_the_fact():
    alignment = synthetic_alignment()
    app = DealReaderApp(alignment=alignment)
    async with app.run_test(size=(120, 30)) as pilot:
        await pilot.pause()
        await pilot.press("f", "left")
        table = app.screen.query_one(MatrixTable)
        assert table.cursor_coordinate == (0, 0)
        row = align.fact_matrix(alignment)[0]
        await pilot.press("enter")
        assert isinstance(app.screen, ReaderScreen)
        assert app.reader.selected is next(c.sentence for c in row.cells if c.sentence is not None)


async def test_the_matrix_follows_the_threshold_and_finds_its_cell_again():
    app = DealReaderApp(alignment=synthetic_alignment())
    async with app.run_test(size=(120, 30)) as pilot:
        await pilot.pause()
        await pilot.press("f", "down", "right", "enter")  # the $300/$400 million row, second article
        reader = app.reader
        jumped = reader.selected
        assert "$400 million" in jumped.text
        await pilot.press("plus")
        await app.workers.wait_for_complete()
        await pilot.pause()
        await pilot.press("escape")
        screen = app.screen
        assert isinstance(screen, MatrixScreen) and screen.alignment.threshold == pytest.approx(0.40)
        coordinate = screen.query_one(MatrixTable).cursor_coordinate
        assert screen.rows[coordinate.row].cell_of(jumped) is not None


async def test_the_conflict_style_works_without_colour(monkeypatch):
    monkeypatch.setenv("NO_COLOR", "1")
    app = DealReaderApp(alignment=synthetic_alignment())
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f")
        await pilot.pause()
        table = app.screen.query_one(MatrixTable)
        style = table.get_component_rich_style("fact-matrix--conflict", partial=True)
        assert app.no_color and style.reverse and style.bold
        assert "≠" in app.export_screenshot()


def test_help_lists_the_matrix_keys():
    from tui.app import help_marks, help_sections

    table = key_table(help_sections(), help_marks())
    keys = [Text(str(c)).plain if not isinstance(c, Text) else c.plain for c in table.columns[0]._cells]
    does = [Text(str(c)).plain if not isinstance(c, Text) else c.plain for c in table.columns[1]._cells]
    section = keys.index("Fact matrix")
    assert ("f", "Fact matrix: who says what, with which figure, article by article") in zip(keys, does, strict=True)
    assert "Jump to the cell's sentence in its pane (Escape there comes back here)" in does[section:]
