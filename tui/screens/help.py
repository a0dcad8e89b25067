"""The help screen: every key of the reader, and what the marks in the panes mean.

It shows what it is given (sections of bindings, marks and their meaning): the app gathers them
from the widgets and screens that own the bindings, so this module imports none of them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static


@dataclass(frozen=True)
class HelpSection:
    """A heading and the bindings listed under it (only :class:`Binding` objects are shown)."""

    title: str
    bindings: Sequence[BindingType]


def _keys(binding: Binding) -> str:
    names = {
        "right_square_bracket": "]",
        "left_square_bracket": "[",
        "plus": "+",
        "minus": "-",
        "equals_sign": "=",
        "underscore": "_",
        "slash": "/",
        "question_mark": "?",
        "greater_than_sign": ">",
        "less_than_sign": "<",
        "pagedown": "PgDn",
        "pageup": "PgUp",
        "shift+tab": "Shift+Tab",
        "ctrl+p": "Ctrl+P",
        "ctrl+c": "Ctrl+C",
    }
    return ", ".join(names.get(k, k.capitalize() if len(k) > 1 else k) for k in binding.key.split(","))


def key_table(sections: Sequence[HelpSection], marks: Sequence[tuple[str, str]]) -> Table:
    """Each section's keys and what they do, then each mark (or gesture) and what it means."""
    table = Table.grid(padding=(0, 2))
    table.add_column(style="bold", no_wrap=True)
    table.add_column()
    for section in sections:
        table.add_row(Text(section.title, style="bold underline"), "")
        for b in section.bindings:
            if isinstance(b, Binding):
                table.add_row(_keys(b), b.tooltip or b.description)
        table.add_row("", "")
    table.add_row(Text("Marks", style="bold underline"), "")
    for mark, meaning in marks:
        table.add_row(mark, meaning)
    return table


class HelpScreen(ModalScreen[None]):
    """Lists every key it is given, and the marks."""

    BINDINGS = [Binding("escape,question_mark,q,f1", "close", "Close help")]

    def __init__(self, sections: Sequence[HelpSection], marks: Sequence[tuple[str, str]]) -> None:
        super().__init__()
        self.sections = sections
        self.marks = marks

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help-box"):
            yield Static(Text("deal-reader keys", style="bold"), id="help-title")
            yield Static(key_table(self.sections, self.marks), id="help-keys")
            yield Static("Escape or ? closes this help.", id="help-hint")

    def action_close(self) -> None:
        self.dismiss(None)
