"""Command palette entries for the reader's main actions."""

from __future__ import annotations

from functools import partial

from textual.command import DiscoveryHit, Hit, Hits, Provider

ACTIONS = [
    ("Show conflicts", "Table of every numeric disagreement", "conflicts"),
    ("Fact matrix", "Table of facts by article: who says what, with which figure", "matrix"),
    ("Export CSV", "Write the aligned pairs as CSV", "export"),
    ("Next conflict", "Jump to the next sentence with a numeric conflict", "conflict(True)"),
    ("Previous conflict", "Jump to the previous sentence with a numeric conflict", "conflict(False)"),
    ("Next fact", "Jump to the next aligned fact", "fact(True)"),
    ("Next unique sentence", "Jump to the next sentence no other article states", "unique"),
    ("Raise threshold", "Align fewer, closer pairs", "threshold(1)"),
    ("Lower threshold", "Align more, looser pairs", "threshold(-1)"),
    ("Search", "Find text in every pane", "search"),
    ("Reject link", "Reject the link between the selection and its counterpart", "reject_link"),
    ("Add link", "Link the selection to another sentence: move to it, then Enter", "add_link"),
    ("Undo link correction", "Undo the last rejected or added link", "undo_link"),
    ("Help", "Every key", "app.help"),
]


class ReaderCommands(Provider):
    """The reader's actions, run on the main screen."""

    def _run(self, action: str) -> None:
        from .screens.reader import ReaderScreen

        for screen in self.app.screen_stack:
            if isinstance(screen, ReaderScreen):
                self.app.call_later(screen.run_action, action)
                return

    async def discover(self) -> Hits:
        for name, help_text, action in ACTIONS:
            yield DiscoveryHit(name, partial(self._run, action), help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for name, help_text, action in ACTIONS:
            score = matcher.match(name)
            if score > 0:
                yield Hit(score, matcher.highlight(name), partial(self._run, action), help=help_text)
