"""The export dialog: confirm the path, never overwrite without asking, then write the CSV."""

from __future__ import annotations

from pathlib import Path

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label

import align
from align import Alignment

DEFAULT_PATH = "./aligned-pairs.csv"


class ExportDialog(ModalScreen[Path | None]):
    """Write the same CSV as `deal-reader export` to a path the user confirms."""

    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, alignment: Alignment, default: str = DEFAULT_PATH) -> None:
        super().__init__()
        self.alignment = alignment
        self.default = default
        self.confirming_overwrite: Path | None = None

    def compose(self) -> ComposeResult:
        with Vertical(id="export-box"):
            yield Label(f"Export {len(self.alignment.pairs)} aligned pairs as CSV to:", id="export-title")
            yield Input(self.default, id="export-path", select_on_focus=False)
            yield Label("", id="export-warning")
            with Horizontal(id="export-buttons"):
                yield Button("Export", variant="primary", id="export-ok")
                yield Button("Cancel", id="export-cancel")

    @on(Input.Changed, "#export-path")
    def _path_changed(self) -> None:
        self._ask_overwrite(None)

    def _ask_overwrite(self, path: Path | None) -> None:
        self.confirming_overwrite = path
        warning = self.query_one("#export-warning", Label)
        ok = self.query_one("#export-ok", Button)
        if path is None:
            warning.update("")
            ok.label = "Export"
            ok.variant = "primary"
        else:
            warning.update(f"{path} exists. Overwrite it? Enter or Overwrite confirms; change the path to keep it.")
            ok.label = "Overwrite"
            ok.variant = "error"

    @on(Input.Submitted, "#export-path")
    @on(Button.Pressed, "#export-ok")
    def _export(self) -> None:
        raw = self.query_one("#export-path", Input).value.strip()
        if not raw:
            self.query_one("#export-warning", Label).update("Give a file name.")
            return
        if raw == "-":
            self.query_one("#export-warning", Label).update("Standard output is taken by the reader; give a file name.")
            return
        path = Path(raw).expanduser()
        if path.is_dir():
            self.query_one("#export-warning", Label).update(f"{path} is a directory; give a file name.")
            return
        force = self.confirming_overwrite is not None and self.confirming_overwrite == path
        if path.exists() and not force:
            self._ask_overwrite(path)
            return
        try:
            align.write_output(align.to_csv(self.alignment), path, force=force)
        except (align.OutputError, OSError) as e:
            self.query_one("#export-warning", Label).update(f"Could not write: {e}")
            return
        n = len(self.alignment.pairs)
        self.app.notify(f"Wrote {n} aligned pairs to {path.resolve()}", title="Exported")
        self.dismiss(path)

    @on(Button.Pressed, "#export-cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)
