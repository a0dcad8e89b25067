"""Every numeric disagreement in the corpus, as a table; Enter jumps to it in the panes."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Static

from align import Alignment, Conflict, Sentence

from ..widgets.detail_panel import short


class ConflictsScreen(Screen[Conflict | None]):
    """The fact, each side's document and number, for every conflict; dismisses with the chosen one."""

    BINDINGS = [
        Binding("escape,c,q", "close", "Back to panes"),
        Binding("enter", "jump", "Jump to it", show=True, priority=True),
    ]

    def __init__(self, alignment: Alignment) -> None:
        super().__init__()
        self.alignment = alignment
        self.conflicts: list[Conflict] = list(alignment.conflicts)

    def compose(self) -> ComposeResult:
        yield Header()
        n = len(self.conflicts)
        yield Static(
            f"{n} numeric conflict{'s' * (n != 1)} at threshold {self.alignment.threshold:.2f}. "
            "Enter jumps to one in the panes, Escape returns.",
            id="conflicts-intro",
        )
        yield DataTable(id="conflicts-table", cursor_type="row", zebra_stripes=True)
        yield Footer()

    def on_mount(self) -> None:
        self.title = "deal-reader"
        self.sub_title = "conflicts"
        table = self.query_one(DataTable)
        table.add_columns("Fact", "Document A", "#", "Number A", "≠", "Number B", "Document B", "#", "Sentence A")
        docs = self.alignment.documents
        fact_of: dict[tuple[Sentence, Sentence], int] = {}
        for f in self.alignment.facts:
            for p in f.pairs:
                fact_of.setdefault((p.a, p.b), f.id)
        for i, c in enumerate(self.conflicts):
            fact = fact_of.get((c.a, c.b), fact_of.get((c.b, c.a)))
            table.add_row(
                "" if fact is None else str(fact),
                short(docs[c.a.doc].label, 28),
                str(c.a.index),
                c.qa.text,
                "≠",
                c.qb.text,
                short(docs[c.b.doc].label, 28),
                str(c.b.index),
                short(c.a.clean_text, 60),
                key=str(i),
            )
        table.focus()

    def action_close(self) -> None:
        self.dismiss(None)

    def action_jump(self) -> None:
        table = self.query_one(DataTable)
        if self.conflicts and table.cursor_row is not None and 0 <= table.cursor_row < len(self.conflicts):
            self.dismiss(self.conflicts[table.cursor_row])

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        if event.row_key.value is not None:  # every row is added with its index as key
            self.dismiss(self.conflicts[int(event.row_key.value)])
