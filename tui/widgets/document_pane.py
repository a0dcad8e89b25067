"""A pane: one document's title and metadata above its sentences."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Static

from align import Alignment, Document

from .sentence_view import SentenceView

METADATA_KEYS = ("site", "author", "date")


class PaneHeader(Static):
    """The document's title, its site/author/date when known, and its position in the corpus."""

    def __init__(self, document: Document, position: int, total: int) -> None:
        super().__init__(self._content(document, position, total), markup=False)

    @staticmethod
    def _content(document: Document, position: int, total: int) -> Text:
        text = Text()
        text.append(f"{position}/{total} ", "dim")
        text.append(document.label, "bold")
        meta = [document.metadata[k] for k in METADATA_KEYS if document.metadata.get(k)]
        meta += [f"{k}: {v}" for k, v in document.metadata.items() if k not in METADATA_KEYS and v]
        text.append("\n")
        text.append(" · ".join([document.name, *meta]), "dim")
        return text


class DocumentPane(Vertical):
    """Header and sentences of one document."""

    def __init__(self, document: Document, alignment: Alignment, position: int, total: int) -> None:
        super().__init__(classes="document-pane")
        self.document = document
        self.view = SentenceView(document, alignment)
        self.header = PaneHeader(document, position, total)

    def compose(self) -> ComposeResult:
        yield self.header
        yield self.view

    def set_current(self, current: bool, *, keys: bool) -> None:
        """Mark this pane as the one holding the selection; ``keys``: the panes have the focus.
        A class on the header alone: restyling the whole pane on every Tab cost a relayout."""
        self.header.set_class(current, "-current")
        self.view.set_active(current, keys=keys)
