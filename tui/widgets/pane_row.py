"""The row of panes: the one widget that holds the keyboard focus for every pane."""

from __future__ import annotations

from textual.binding import Binding
from textual.containers import Horizontal

from .sentence_view import SentenceView


class PaneRow(Horizontal, can_focus=True):
    """Panes side by side. Which pane the keys move is kept in the model (the selection's pane,
    ``SentenceView.active``), not in which widget has focus: every focus change made Textual
    restyle the widgets it left and entered and repaint the whole screen (``Screen.focused``
    repaints), most of what a Tab or ``n`` cost. The cursor keys act on the selection's pane
    through the screen, so their effect on every pane lands in one frame."""

    BINDINGS = [
        Binding("down,j", "screen.cursor('down')", "Down", show=False),
        Binding("up,k", "screen.cursor('up')", "Up", show=False),
        Binding("pagedown", "screen.cursor('page_down')", "Page down", show=False),
        Binding("pageup", "screen.cursor('page_up')", "Page up", show=False),
        Binding("home,g", "screen.cursor('first')", "First sentence", show=False),
        Binding("end,G", "screen.cursor('last')", "Last sentence", show=False),
    ]

    def on_focus(self) -> None:
        self._show_keys(True)

    def on_blur(self) -> None:
        self._show_keys(False)

    def _show_keys(self, focused: bool) -> None:
        """Draw the cursor as the keys' (focused) or as the selection kept while typing a search."""
        for view in self.query(SentenceView):
            view.set_active(view.active, keys=focused)
