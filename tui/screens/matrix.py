"""Who says what: one row per fact, one column per article; Enter jumps to a cell's sentence in the panes."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import PurePath

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.coordinate import Coordinate
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Static

from align import Alignment, FactCell, FactRow, Sentence, fact_matrix

from ..widgets.detail_panel import short

CONFLICT_MARK = "≠"
STATED_MARK = "✓"  # the article states the fact, without a figure
SILENT_MARK = "–"  # the article does not state it
CELL_WIDTH = (22, 40)  # an article's column: its narrowest, and its widest when the screen has room
LABEL_WIDTH = (26, 48)  # the label column's narrowest and widest, a third of the screen between


@dataclass(frozen=True)
class MatrixExit:
    """Where the matrix's cursor was when it closed, and the sentence to jump to (None: just closed)."""

    coordinate: Coordinate
    sentence: Sentence | None = None


class MatrixTable(DataTable):
    """The matrix's table; its cell styles come from the stylesheet.

    Enter is the table's own key, not a priority key of the screen: a priority binding runs as
    the key arrives, ahead of arrow keys still queued for the table, so a quick "← Enter"
    jumped from the cell the cursor was leaving.
    """

    BINDINGS = [
        Binding(
            "enter",
            "select_cursor",
            "Jump to sentence",
            tooltip="Jump to the cell's sentence in its pane (Escape there comes back here)",
        ),
    ]

    COMPONENT_CLASSES = DataTable.COMPONENT_CLASSES | {
        "fact-matrix--conflict",
        "fact-matrix--stated",
        "fact-matrix--silent",
    }


def column_head(name: str, title: str, width: int) -> Text:
    """Two lines: the article's short title, and its file name without the extension."""
    text = Text(no_wrap=True, overflow="ellipsis")
    text.append(short(title, width), "bold")
    text.append("\n" + short(PurePath(name).stem or name, width), "dim")
    return text


class MatrixScreen(Screen[MatrixExit]):
    """The fact matrix: disagreements first, then the facts most articles state."""

    BINDINGS = [Binding("escape,f,q", "close", "Back to panes")]

    def __init__(self, alignment: Alignment, place: MatrixExit | None = None) -> None:
        super().__init__()
        self.alignment = alignment
        self.rows: list[FactRow] = fact_matrix(alignment)
        self.place = place

    def compose(self) -> ComposeResult:
        yield Header()
        n, k = len(self.rows), sum(r.disagrees for r in self.rows)
        yield Static(
            f"{n} fact{'s' * (n != 1)}, {k} with a numeric disagreement (first).  "
            f"{CONFLICT_MARK} disagrees · {STATED_MARK} states it, no figure · {SILENT_MARK} silent.  "
            "Enter jumps to the sentence, Escape returns.",
            id="matrix-intro",
        )
        yield MatrixTable(id="matrix-table", cursor_type="cell", fixed_columns=1, header_height=2, zebra_stripes=True)
        yield Static(id="matrix-detail")
        yield Footer()

    def on_mount(self) -> None:
        self.title = "deal-reader"
        self.sub_title = f"fact matrix · threshold {self.alignment.threshold:.2f}"
        table = self.query_one(MatrixTable)
        self._add_columns(table, self.app.size.width)
        self._add_rows(table)
        row, column = self._start()
        table.move_cursor(row=row, column=column, scroll=True)
        table.focus()
        self._describe(table.cursor_coordinate)

    def _add_columns(self, table: MatrixTable, width: int) -> None:
        """The label column, a third of the screen, then the articles sharing what is left (they scroll)."""
        docs = self.alignment.documents
        label_width = min(LABEL_WIDTH[1], max(LABEL_WIDTH[0], width // 3))
        room = (width - label_width - 2 * (len(docs) + 1) - 2) // max(1, len(docs))  # 2: cell padding, scrollbar
        cell_width = min(CELL_WIDTH[1], max(CELL_WIDTH[0], room))
        table.add_column(Text("Fact\n(shortest sentence)", style="bold"), width=label_width, key="fact")
        for i, d in enumerate(docs):
            table.add_column(column_head(d.name, d.label, cell_width), width=cell_width, key=str(i))

    def _add_rows(self, table: MatrixTable) -> None:
        styles = {
            name: table.get_component_rich_style(f"fact-matrix--{name}", partial=True)
            for name in ("conflict", "stated", "silent")
        }
        for i, row in enumerate(self.rows):
            label = Text(no_wrap=True, overflow="ellipsis")
            if row.disagrees:
                label.append(CONFLICT_MARK + " ", styles["conflict"])
            label.append(row.label)
            table.add_row(label, *(self._cell(c, styles) for c in row.cells), key=str(i))

    @staticmethod
    def _cell(cell: FactCell, styles) -> Text:
        if cell.silent:
            return Text(SILENT_MARK, styles["silent"])
        if not cell.figures:
            return Text(STATED_MARK, styles["stated"])
        if cell.disagrees:
            return Text(f"{CONFLICT_MARK} {cell.figure_text}", styles["conflict"], no_wrap=True, overflow="ellipsis")
        return Text(cell.figure_text, no_wrap=True, overflow="ellipsis")

    def _start(self) -> tuple[int, int]:
        """Where the cursor starts (row, column): back on the sentence it jumped to, else where it was, else the first article."""
        if self.place is None:
            return 0, 1
        row, column = self.place.coordinate
        s = self.place.sentence
        if s is not None:
            hit = next((i for i, r in enumerate(self.rows) if r.cell_of(s) is not None), None)
            if hit is not None:  # the same cell, wherever a re-alignment moved its row
                return hit, column
        return min(row, max(0, len(self.rows) - 1)), column

    # ----- the cell under the cursor ------------------------------------------------------------

    def _target(self, coordinate: Coordinate) -> tuple[FactRow | None, Sentence | None]:
        """The row and the sentence a coordinate names; the label column names the fact's first article."""
        if not 0 <= coordinate.row < len(self.rows):
            return None, None
        row = self.rows[coordinate.row]
        if coordinate.column == 0:
            return row, next((c.sentence for c in row.cells if c.sentence is not None), None)
        cells = row.cells
        return row, cells[coordinate.column - 1].sentence if coordinate.column - 1 < len(cells) else None

    def _describe(self, coordinate: Coordinate) -> None:
        row, s = self._target(coordinate)
        text = Text(no_wrap=False)
        if row is None:
            text.append("No facts are aligned at this threshold.", "dim")
        elif s is None:
            doc = self.alignment.documents[coordinate.column - 1]
            text.append(f"{short(doc.label, 40)} does not state this fact.", "italic")
        else:
            text.append(f"{short(self.alignment.documents[s.doc].label, 40)} #{s.index}: ", "bold")
            text.append(s.clean_text)
        self.query_one("#matrix-detail", Static).update(text)

    def on_data_table_cell_highlighted(self, event: DataTable.CellHighlighted) -> None:
        self._describe(event.coordinate)

    # ----- actions ------------------------------------------------------------------------------

    def action_close(self) -> None:
        self.dismiss(MatrixExit(self.query_one(MatrixTable).cursor_coordinate))

    def on_data_table_cell_selected(self, event: DataTable.CellSelected) -> None:
        self._jump(event.coordinate)

    def _jump(self, coordinate: Coordinate) -> None:
        row, s = self._target(coordinate)
        if row is None:
            self.notify("No facts to jump to.", timeout=3)
        elif s is None:
            doc = self.alignment.documents[coordinate.column - 1]
            self.notify(f"{short(doc.label, 40)} does not state this fact: nothing to jump to.", timeout=3)
        else:
            self.dismiss(MatrixExit(coordinate, s))
