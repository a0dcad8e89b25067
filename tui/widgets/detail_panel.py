"""The panel under the panes: the selected sentence's counterparts and conflicts."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

from align import Alignment, Sentence

from .sentence_view import CONFLICT_MARK, COUNTERPART_MARK, NEAR_MARK, UNIQUE_MARK


def short(title: str, width: int = 32) -> str:
    title = " ".join(title.split())
    return title if len(title) <= width else title[: width - 1] + "…"


class DetailPanel(Static):
    """Lists each conflict of the selection as ``A vs B`` with the documents' titles, then its counterparts."""

    LINES = 4  # below the heading line; the panel's height is fixed so the panes never jump

    def show(self, alignment: Alignment, sentence: Sentence | None) -> None:
        self.update(self.describe(alignment, sentence, self.LINES), layout=False)

    @staticmethod
    def describe(alignment: Alignment, sentence: Sentence | None, limit: int = 1000) -> Text:
        text = Text(no_wrap=True, overflow="ellipsis")
        if sentence is None:
            text.append("No sentence selected.", "dim")
            return text
        docs = alignment.documents
        title = lambda s: short(docs[s.doc].label)  # noqa: E731
        pairs = alignment.pairs_of(sentence)  # best first; sorted once for everything below
        counterparts = [p.other(sentence) for p in pairs]
        conflicts = [c for p in pairs for c in p.conflicts]
        text.append(f"{title(sentence)} #{sentence.index}", "bold")
        near = alignment.near_miss(sentence) if not counterparts else None
        if near is not None:
            other, score = near
            text.append(f"  {NEAR_MARK} not linked: the closest sentence scores {score:.2f}", "italic")
            text.append(f"\n{NEAR_MARK} {score:.2f} ", "dim")
            text.append(f"{title(other)} #{other.index}: ", "italic")
            text.append(other.clean_text, "dim")
        elif not counterparts:
            text.append(f"  {UNIQUE_MARK} unique to this article: no other article states it", "italic")
        else:
            n = len(counterparts)
            text.append(f"  {n} counterpart{'s' * (n != 1)}")
            if conflicts:
                text.append(f", {len(conflicts)} conflict{'s' * (len(conflicts) != 1)}", "bold")
        rows = len(conflicts) + len(counterparts)
        shown = rows if rows <= limit else limit - 1
        for c in conflicts[:shown]:
            mine, theirs = (c.qa, c.qb) if c.a is sentence else (c.qb, c.qa)
            other = c.b if c.a is sentence else c.a
            text.append(f"\n{CONFLICT_MARK} ", "bold")
            text.append(f"{mine.text} vs {theirs.text}", "bold reverse")
            text.append(f"  {title(sentence)} vs {title(other)} #{other.index}")
        for p in pairs[: max(0, shown - len(conflicts))]:
            s = p.other(sentence)
            text.append(f"\n{COUNTERPART_MARK} {'user' if p.origin == 'user' else f'{p.score:.2f}'} ", "bold")
            text.append(f"{title(s)} #{s.index}: ", "italic")
            text.append(s.clean_text)
        if shown < rows:
            text.append(f"\n… {rows - shown} more: Tab to the other panes, c for all conflicts", "dim")
        return text
