"""The search box opened by `/`."""

from __future__ import annotations

from textual.binding import Binding
from textual.message import Message
from textual.widgets import Input


class SearchBar(Input):
    """Type to find sentences in every pane; Enter/Down for the next match, Up for the previous."""

    BINDINGS = [
        Binding("escape", "close", "Close search"),
        Binding("down", "step(True)", "Next match", show=False),
        Binding("up", "step(False)", "Previous match", show=False),
    ]

    class Step(Message):
        def __init__(self, forward: bool) -> None:
            super().__init__()
            self.forward = forward

    class Closed(Message):
        pass

    def __init__(self) -> None:
        super().__init__(placeholder="search all panes: Enter/↓ next, ↑ previous, Esc close", id="search")

    def action_step(self, forward: bool) -> None:
        self.post_message(self.Step(forward))

    def action_close(self) -> None:
        self.post_message(self.Closed())

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.post_message(self.Step(True))
