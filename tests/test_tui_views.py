"""Pilot tests of the reader on a small hand-built corpus (no spaCy, fixed pairs and conflicts)."""

from __future__ import annotations

import time

import pytest
from textual.widgets import DataTable

import align
from align import Problem
from snapshot_apps.corpus import synthetic_alignment, synthetic_documents
from tui import navigation
from tui.app import DealReaderApp, help_marks, help_sections
from tui.screens.conflicts import ConflictsScreen
from tui.screens.help import HelpScreen, key_table
from tui.screens.reader import ReaderScreen
from tui.widgets.detail_panel import DetailPanel
from tui.widgets.pane_row import PaneRow
from tui.widgets.search_bar import SearchBar
from tui.widgets.sentence_view import SentenceView


async def wait_for(pilot, condition, timeout: float = 10.0) -> None:
    """Let the app run until ``condition()`` holds; fail after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out waiting for the app"
        await pilot.pause()


def current(app) -> SentenceView:
    """The pane the keys move. The focus stays on the row of panes (moving it between panes cost a
    restyle and a whole-screen repaint per key); the current pane is the selection's."""
    assert isinstance(app.focused, PaneRow)
    view = app.reader.focused_view()
    assert view.active and view.keys and all(not v.active for v in app.reader.views if v is not view)
    return view


def sentence(alignment, needle):
    return next(s for d in alignment.documents for s in d.sentences if needle in s.text)


@pytest.fixture
def alignment():
    return synthetic_alignment()


async def test_starts_on_the_first_pane_with_counterparts_marked(alignment):
    app = DealReaderApp(alignment=alignment)
    async with app.run_test(size=(120, 30)) as pilot:
        await pilot.pause()
        reader = app.reader
        assert current(app) is reader.views[0]
        assert reader.selected is alignment.documents[0].sentences[0]
        assert reader.sub_title.endswith("threshold 0.35")


async def test_selection_highlights_counterparts_scores_and_conflict(alignment):
    app = DealReaderApp(alignment=alignment)
    async with app.run_test(size=(120, 30)) as pilot:
        await pilot.pause()
        await pilot.press("j", "j")  # the $1 billion sentence
        reader = app.reader
        s = reader.selected
        assert "$1 billion immediately" in s.text
        views = reader.views
        assert {x.text for v in views for x in v.counterparts} == {
            "The deal begins with an initial investment of US$1.25 billion.",
            "Amazon first puts in $1.25 billion, with an option for more.",
        }
        assert views[1].counterparts[alignment.documents[1].sentence(3)] == pytest.approx(0.81)
        assert views[1].cursor == 2 and views[2].cursor == 2  # panes follow to the best counterpart
        detail = str(reader.query_one(DetailPanel).render())
        assert "≠ $1 billion vs US$1.25 billion" in detail
        assert "Anthropic lands Amazon money" in detail and "Amazon bets on Anthropic" in detail
        # The conflict marker is drawn in the gutter of both sides, not only in colour.
        text_of = lambda v, n: "".join(v.render_line(y).text for y in range(n))  # noqa: E731
        assert "≠$1 billion" in text_of(views[0], 20)
        assert "≈0.81" in text_of(views[1], 20) and "≠US$1.25" in text_of(views[1], 20)


async def test_unique_sentences_are_marked_and_u_visits_them(alignment):
    app = DealReaderApp(alignment=alignment)
    async with app.run_test(size=(120, 30)) as pilot:
        await pilot.pause()
        expected = navigation.unique_sentences(alignment)
        start = app.reader.selected
        seen = []
        for _ in expected:
            await pilot.press("u")
            seen.append(app.reader.selected)
        # Every unique sentence once, in reading order, from the first one after the cursor (wrapping).
        after = [s for s in expected if start is None or navigation.position(s) > navigation.position(start)]
        k = expected.index((after or expected)[0])
        assert seen == expected[k:] + expected[:k]
        assert all(alignment.is_unique(s) for s in seen)
        assert "unique to this article" in str(app.reader.query_one(DetailPanel).render())


async def test_n_visits_conflicts_in_reading_order_across_panes(alignment):
    app = DealReaderApp(alignment=alignment)
    async with app.run_test(size=(120, 30)) as pilot:
        await pilot.pause()
        expected = navigation.conflict_sentences(alignment)
        assert len(expected) == 5
        seen = []
        for _ in expected:
            await pilot.press("n")
            seen.append(app.reader.selected)
        assert seen == expected
        await pilot.press("N")
        assert app.reader.selected is expected[-2]
        assert current(app) is app.reader.views[expected[-2].doc]


async def test_facts_keys_visit_each_fact(alignment):
    app = DealReaderApp(alignment=alignment)
    async with app.run_test(size=(120, 30)) as pilot:
        await pilot.pause()
        visited = set()
        for _ in alignment.facts:
            await pilot.press("right_square_bracket")
            facts = alignment.facts_of(app.reader.selected)
            assert facts
            visited.update(f.id for f in facts)
        assert visited == {f.id for f in alignment.facts}
        await pilot.press("left_square_bracket")
        assert alignment.facts_of(app.reader.selected)


async def test_tab_h_l_and_click_move_between_panes(alignment):
    app = DealReaderApp(alignment=alignment)
    async with app.run_test(size=(120, 30)) as pilot:
        await pilot.pause()
        views = app.reader.views
        await pilot.press("tab")
        assert current(app) is views[1]
        await pilot.press("l")
        assert current(app) is views[2]
        await pilot.press("right")
        assert current(app) is views[0]  # wraps
        await pilot.press("shift+tab")
        assert current(app) is views[2]
        await pilot.press("h", "left")
        assert current(app) is views[0]
        await pilot.press("end")
        assert views[0].cursor == len(views[0].sentences) - 1
        await pilot.press("home")
        assert views[0].cursor == 0
        # Click the second sentence of the second pane (its first line is row 0 of the view).
        await pilot.click(views[1], offset=(10, 1))
        await pilot.pause()
        assert current(app) is views[1]
        assert app.reader.selected is alignment.documents[1].sentence(2)


async def test_search_jumps_between_matches_in_all_panes(alignment):
    app = DealReaderApp(alignment=alignment)
    async with app.run_test(size=(120, 30)) as pilot:
        await pilot.pause()
        await pilot.press("slash")
        assert isinstance(app.focused, SearchBar)
        await pilot.press(*"google")
        reader = app.reader
        assert "Google" in reader.selected.text and reader.selected.doc == 0
        await pilot.press("enter")
        assert "Google" in reader.selected.text and reader.selected.doc == 1
        await pilot.press("up")
        assert reader.selected.doc == 0
        assert "match 1/2" in str(reader.query_one("#status").render())
        await pilot.press("escape")
        assert current(app).document is alignment.documents[0]


async def test_conflicts_table_and_escape(alignment):
    app = DealReaderApp(alignment=alignment)
    async with app.run_test(size=(120, 30)) as pilot:
        await pilot.pause()
        await pilot.press("c")
        assert isinstance(app.screen, ConflictsScreen)
        table = app.screen.query_one(DataTable)
        rows = [[str(c) for c in table.get_row_at(i)] for i in range(table.row_count)]
        assert any("$300 million" in r and "$400 million" in r for r in rows)
        await pilot.press("down", "down", "enter")
        assert isinstance(app.screen, ReaderScreen)
        assert "$300 million" in app.reader.selected.text
        await pilot.press("c", "escape")
        assert isinstance(app.screen, ReaderScreen)


async def test_threshold_keys_realign_live(alignment):
    app = DealReaderApp(alignment=alignment)
    async with app.run_test(size=(120, 30)) as pilot:
        await pilot.pause()
        before = len(app.reader.alignment.pairs)
        await pilot.press("minus", "minus")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert app.reader.alignment.threshold == pytest.approx(0.25)
        assert len(app.reader.alignment.pairs) > before
        await pilot.press("plus", "plus", "plus", "plus", "plus", "plus")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert app.reader.alignment.threshold == pytest.approx(0.55)
        assert len(app.reader.alignment.pairs) < before


async def test_threshold_realigns_in_a_worker_and_the_keys_stay_live(alignment, monkeypatch):
    import threading

    threads = []
    release = threading.Event()  # the re-alignment (a large corpus) finishes only when the test says so
    real = align.Alignment.with_threshold

    def slow(self, threshold):
        threads.append(threading.current_thread() is threading.main_thread())
        release.wait(10)
        return real(self, threshold)

    monkeypatch.setattr(align.Alignment, "with_threshold", slow)
    app = DealReaderApp(alignment=alignment)
    async with app.run_test(size=(120, 30)) as pilot:
        await pilot.pause()
        reader = app.reader
        await pilot.press("minus")
        assert "re-aligning at 0.30" in str(reader.query_one("#status").render())
        await pilot.press("j")  # answered while the worker runs
        assert reader.selected.index == 2 and reader.alignment.threshold == pytest.approx(0.35)
        await pilot.press("minus")  # presses add up
        release.set()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert reader.alignment.threshold == pytest.approx(0.25)
        assert threads and not any(threads)
        assert "re-aligning" not in str(reader.query_one("#status").render())


async def test_help_lists_every_key():
    rendered = str(key_table(help_sections(), help_marks()).columns[0]._cells)
    for cls_bindings in (ReaderScreen.BINDINGS, PaneRow.BINDINGS, DealReaderApp.BINDINGS):
        for b in cls_bindings:
            assert b.description
    app = DealReaderApp(alignment=synthetic_alignment())
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        await pilot.press("escape")
        assert isinstance(app.screen, ReaderScreen)
    for key in [
        "j",
        "k",
        "PgDn",
        "PgUp",
        "Home",
        "End",
        "Tab",
        "Shift+Tab",
        "h",
        "l",
        "n",
        "N",
        "]",
        "[",
        "u",
        "c",
        "e",
        "+",
        "-",
        "/",
        "?",
        "q",
        "Escape",
    ]:
        assert key in rendered, key


async def test_many_documents_page_and_stay_usable():
    docs = synthetic_documents() * 7  # 21 panes (same objects are fine for layout)
    docs = [
        align.Document(
            d.name,
            d.title,
            d.text,
            [align.Sentence(i, s.index, s.text, s.start, s.end, quantities=s.quantities) for s in d.sentences],
        )
        for i, d in enumerate(docs)
    ]
    alignment = align.Alignment(docs, 0.35, [])
    app = DealReaderApp(alignment=alignment)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        reader = app.reader
        assert sum(p.display for p in reader.panes) == 2
        for _ in range(5):
            await pilot.press("tab")
        assert current(app) is reader.views[5] and reader.panes[5].display
        await pilot.press("greater_than_sign")
        assert reader.first_visible == 6


async def test_worker_loads_the_corpus_with_a_progress_indicator(monkeypatch):
    calls = []
    caches = []

    def fake_load(paths, **kwargs):
        calls.append(paths)
        caches.append(kwargs.get("cache"))
        return synthetic_documents(), [Problem("ignored.bin", "not text"), Problem("odd.txt", "read as cp1252", "note")]

    def fake_align(docs, threshold, **kwargs):
        caches.append(kwargs.get("cache"))
        return synthetic_alignment(threshold)

    monkeypatch.setattr(align, "load_documents", fake_load)
    monkeypatch.setattr(align, "align", fake_align)
    app = DealReaderApp(["a.txt", "b.txt"], cache=False)  # what --no-cache gives
    async with app.run_test(size=(100, 30)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        reader = app.reader
        assert calls == [["a.txt", "b.txt"]]
        assert caches == [False, False]  # --no-cache reaches both the parse and the score cache
        assert reader.alignment is not None and len(reader.views) == 3
        assert not reader.query("#loading")
        titles = {n.message: n.title for n in app._notifications}
        # A file that loaded with a caveat is a note, not a skipped input.
        assert titles == {"ignored.bin: not text": "Skipped input", "odd.txt: read as cp1252": "Note"}


async def test_bad_input_exits_with_one_line_error(monkeypatch):
    monkeypatch.setattr(align, "load_documents", lambda paths, **k: ([], [Problem("nope.txt", "no such file")]))
    app = DealReaderApp(["nope.txt"])
    async with app.run_test(size=(80, 24)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
    assert app.return_code == 2
    assert app.error.startswith("nope.txt: no such file")
    assert "\n" not in app.error


async def test_no_color(monkeypatch, alignment):
    monkeypatch.setenv("NO_COLOR", "1")
    app = DealReaderApp(alignment=alignment)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("j", "j")
        await pilot.pause()
        assert app.no_color
        svg = app.export_screenshot()
        assert "≠" in svg and "▶" in svg


def test_run_reader_rejects_a_bad_threshold(capsys):
    from tui.app import run_reader

    with pytest.raises(SystemExit) as e:
        run_reader(["--threshold", "7"])
    assert e.value.code == 2
    assert "between 0 and 1" in capsys.readouterr().err


def test_run_reader_refuses_missing_paths_before_opening_a_window(capsys, monkeypatch, tmp_path):
    from tui import app as app_mod

    monkeypatch.setattr(app_mod.DealReaderApp, "run", lambda self: pytest.fail("opened a window"))
    assert app_mod.run_reader([str(tmp_path / "gone.txt"), str(tmp_path)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert err == [
        f"deal-reader: {tmp_path / 'gone.txt'}: no such file or directory",
        f"deal-reader: {tmp_path}: directory holds no .txt, .md or .html files",
    ]


def test_importing_the_reader_does_not_load_spacy():
    import subprocess
    import sys

    code = "import sys, tui, tui.cli, tui.app; print('spacy' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


async def test_command_palette_offers_the_main_actions(alignment):
    from textual.command import CommandList, CommandPalette

    app = DealReaderApp(alignment=alignment)
    async with app.run_test(size=(120, 30)) as pilot:
        await pilot.pause()
        await pilot.press("ctrl+p")
        await pilot.pause()
        assert isinstance(app.screen, CommandPalette)
        await pilot.press(*"show conflicts")
        commands = app.screen.query_one(CommandList)

        def offered() -> bool:  # the search runs in the background: wait until it highlights the command
            option = commands.highlighted_option
            return option is not None and "conflicts" in str(option.prompt).lower()

        await wait_for(pilot, offered)
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, ConflictsScreen))


async def test_the_footer_is_not_rebuilt_when_focus_moves_between_panes(alignment, monkeypatch):
    from tui.widgets.key_footer import KeyFooter

    rebuilt = []
    real = KeyFooter.recompose

    async def counting(self):
        rebuilt.append(1)
        return await real(self)

    monkeypatch.setattr(KeyFooter, "recompose", counting)
    app = DealReaderApp(alignment=alignment)
    async with app.run_test(size=(120, 30)) as pilot:
        await pilot.pause()
        footer = app.reader.query_one(KeyFooter)
        before = len(rebuilt)
        await pilot.press("tab", "tab", "shift+tab")
        await pilot.pause()
        assert len(rebuilt) == before
        assert "Next ≠" in [k.description for k in footer.query("FooterKey")]
        await pilot.press("slash")  # the search bar has keys of its own: the footer follows
        await pilot.pause()
        assert len(rebuilt) > before
