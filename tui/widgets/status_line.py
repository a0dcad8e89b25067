"""One line under the panes: threshold, counts, which panes are shown, and the legend."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

from align import Alignment

from .sentence_view import CONFLICT_MARK, COUNTERPART_MARK, NEAR_MARK, UNIQUE_MARK


class StatusLine(Static):
    _shown: tuple[object, ...] = ()

    def show(
        self, alignment: Alignment, first: int, shown: int, note: str = "", pending: str = "", working: str = ""
    ) -> None:
        """``pending``: a step under way that the next key finishes (a link being made), shown first;
        ``working``: what a worker is doing meanwhile (the cross-encoder reading pairs again)."""
        # Asked for on every selection: redrawn only when what it shows changed.
        if self._shown and self._shown[0] is alignment and self._shown[1:] == (first, shown, note, pending, working):
            return
        self._shown = (alignment, first, shown, note, pending, working)
        total = len(alignment.documents)
        text = Text(no_wrap=True, overflow="ellipsis")
        if pending:
            text.append(pending, "bold reverse")
            text.append(" ")
        text.append(f"threshold {alignment.threshold:.2f}", "bold")
        text.append(" (+/-)", "dim")
        counts = [
            (len(alignment.pairs), "pair"),
            (len(alignment.facts), "fact"),
            (len(alignment.conflicts), "conflict"),
        ]
        text.append("".join(f" · {n} {word}{'s' * (n != 1)}" for n, word in counts) + " · ")
        last = min(total, first + shown)
        text.append(f"panes {first + 1}–{last} of {total}" if shown < total else f"{total} panes")
        if note:
            text.append(f" · {note}", "bold")
        if working:
            text.append(f" · {working}…", "italic")
        text.append(
            # The legend of the marks (the cursor needs none: it is where the keys move).
            f"  {COUNTERPART_MARK} counterpart {CONFLICT_MARK} conflict {UNIQUE_MARK} unique {NEAR_MARK} near miss",
            "dim",
        )
        self.update(text, layout=False)  # one line, always
