"""Every key of the reader, gathered from the bindings of the widgets and screens that own them."""
from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from ..widgets.pane_row import PaneRow
from ..widgets.search_bar import SearchBar
from ..widgets.sentence_view import CONFLICT_MARK, COUNTERPART_MARK, CURSOR_MARK, UNIQUE_MARK


def _keys(binding: Binding) -> str:
    names = {"right_square_bracket": "]", "left_square_bracket": "[", "plus": "+", "minus": "-",
             "equals_sign": "=", "underscore": "_", "slash": "/", "question_mark": "?",
             "greater_than_sign": ">", "less_than_sign": "<", "pagedown": "PgDn", "pageup": "PgUp",
             "shift+tab": "Shift+Tab", "ctrl+p": "Ctrl+P", "ctrl+c": "Ctrl+C"}
    return ", ".join(names.get(k, k.capitalize() if len(k) > 1 else k) for k in binding.key.split(","))


def key_table() -> Table:
    from ..app import DealReaderApp
    from .conflicts import ConflictsScreen
    from .reader import ReaderScreen

    sections = [
        ("Sentences (in a pane)", PaneRow.BINDINGS),
        ("Panes, jumps and views", ReaderScreen.BINDINGS),
        ("Search bar", SearchBar.BINDINGS),
        ("Conflicts view", ConflictsScreen.BINDINGS),
        ("Anywhere", DealReaderApp.BINDINGS),
    ]
    table = Table.grid(padding=(0, 2))
    table.add_column(style="bold", no_wrap=True)
    table.add_column()
    for title, bindings in sections:
        table.add_row(Text(title, style="bold underline"), "")
        for b in bindings:
            if isinstance(b, Binding):
                table.add_row(_keys(b), b.tooltip or b.description)
        table.add_row("", "")
    table.add_row(Text("Marks", style="bold underline"), "")
    table.add_row("Click", "select a sentence")
    table.add_row(CURSOR_MARK, "the selected sentence")
    table.add_row(COUNTERPART_MARK + " ≈0.82", "a counterpart of the selection, with its alignment score")
    table.add_row(CONFLICT_MARK, "a number that disagrees with a counterpart's")
    table.add_row(UNIQUE_MARK, "a sentence no other article states")
    return table


class HelpScreen(ModalScreen[None]):
    """Lists every key."""

    BINDINGS = [Binding("escape,question_mark,q,f1", "close", "Close help")]

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help-box"):
            yield Static(Text("deal-reader keys", style="bold"), id="help-title")
            yield Static(key_table(), id="help-keys")
            yield Static("Escape or ? closes this help.", id="help-hint")

    def action_close(self) -> None:
        self.dismiss(None)
