"""The stories of a corpus that mixes several events, as a table; Enter opens one in the panes."""

from __future__ import annotations

from collections.abc import Sequence

from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Static

from align import Alignment, Story

from ..widgets.detail_panel import short


class StoriesScreen(Screen[int | None]):
    """Headline, articles, dates and conflicts of each story; dismisses with the chosen story's position."""

    BINDINGS = [
        Binding("enter", "open", "Open story", priority=True),
        Binding("escape", "back", "Back to panes", tooltip="Back to the story that was open"),
    ]

    def __init__(self, stories: Sequence[tuple[Story, Alignment]], current: int | None = None) -> None:
        super().__init__()
        self.stories = list(stories)
        self.current = current  # the story open in the panes (None before the first is chosen)

    def compose(self) -> ComposeResult:
        yield Header()
        n = sum(len(a.documents) for _, a in self.stories)
        yield Static(
            f"{n} articles tell {len(self.stories)} different stories; each is aligned on its own. "
            "Enter opens one, S in the panes comes back here.",
            id="stories-intro",
        )
        yield DataTable(id="stories-table", cursor_type="row", zebra_stripes=True)
        yield Footer()

    def on_mount(self) -> None:
        self.title = "deal-reader"
        self.sub_title = f"{len(self.stories)} stories"
        table = self.query_one(DataTable)
        table.add_columns("#", "Headline", "Articles", "Dates", "Conflicts")
        for k, (story, alignment) in enumerate(self.stories):
            table.add_row(
                str(story.number),
                short(story.label, 60),
                str(len(alignment.documents)),
                story.date_range or "–",
                str(len(alignment.conflicts)),
                key=str(k),
            )
        if self.current is not None:
            table.move_cursor(row=self.current)
        table.focus()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "back":
            return self.current is not None  # nothing to go back to before a story is open
        return True

    def action_open(self) -> None:
        table = self.query_one(DataTable)
        if 0 <= table.cursor_row < len(self.stories):
            self.dismiss(table.cursor_row)

    def action_back(self) -> None:
        self.dismiss(None)

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        if event.row_key.value is not None:  # every row is added with its position as key
            self.dismiss(int(event.row_key.value))
