"""Who says what: one row per fact, one cell per document, with each article's figures and the disagreements.

    >>> rows = fact_matrix(alignment)                    # doctest: +SKIP
    >>> rows[0].label, [c.figure_text for c in rows[0].cells]   # doctest: +SKIP

A row's disagreements come first; then facts stated by more articles. Nothing here depends on
how many sentences of one document a fact holds: a cell picks one, preferring one in a conflict.
"""

from __future__ import annotations

import dataclasses
from collections import defaultdict
from dataclasses import dataclass

from .alignment import Alignment
from .conflicts import comparable
from .models import Conflict, Fact, Quantity, Sentence
from .quantities import COMPARABLE_KINDS

# A label shorter than this many words is a fragment ("Read more."), not a clear statement of the fact.
CLEAR_WORDS = 5


@dataclass(frozen=True)
class FactCell:
    """What one document says of a fact: its sentence and figures, or nothing (silent)."""

    doc: int
    sentence: Sentence | None  # the one shown; None when the document is silent on the fact
    sentences: tuple[Sentence, ...] = ()  # every sentence of this document in the fact, ``sentence`` first
    figures: tuple[Quantity, ...] = ()  # the sentence's figures for this fact, disagreeing ones first
    disagreeing: tuple[Quantity, ...] = ()  # those of ``figures`` another article gives differently

    @property
    def silent(self) -> bool:
        return self.sentence is None

    @property
    def disagrees(self) -> bool:
        return bool(self.disagreeing)

    @property
    def figure_text(self) -> str:
        """The figures as written, joined: ``US$1.25 billion, US$2.75 billion``; empty without any."""
        return ", ".join(wording(q) for q in self.figures)


@dataclass(frozen=True)
class FactRow:
    """One fact across every document of the corpus."""

    fact: Fact
    label: str  # the fact's shortest clear sentence, white space collapsed (cut it to fit when shown)
    cells: tuple[FactCell, ...]  # one per document, in corpus order
    conflicts: tuple[Conflict, ...]

    @property
    def disagrees(self) -> bool:
        return bool(self.conflicts)

    @property
    def stated_by(self) -> int:
        """How many documents state the fact."""
        return sum(not c.silent for c in self.cells)

    def cell_of(self, sentence: Sentence) -> FactCell | None:
        """The cell that shows ``sentence``, if any."""
        cell = self.cells[sentence.doc] if 0 <= sentence.doc < len(self.cells) else None
        return cell if cell is not None and cell.sentence is sentence else None


def wording(q: Quantity) -> str:
    """A figure with its hedge (``up to $4 billion``): without it two cells could look alike and not be."""
    return f"{q.hedge} {q.text}" if q.hedge else q.text


def _position(s: Sentence) -> tuple[int, int]:
    return (s.doc, s.index)


def fact_label(fact: Fact, elsewhere: frozenset[Sentence] = frozenset(), taken: frozenset[str] = frozenset()) -> str:
    """The fact's shortest clear sentence: running text before headings, whole statements before fragments.

    A sentence in ``elsewhere`` (it is in other facts too) comes after those only this fact holds: it
    states more than this fact, and as another row's label too it would show two rows as one. A
    label in ``taken`` (another row's) is used only when the fact has no other sentence.
    """

    def key(s: Sentence) -> tuple[bool, bool, bool, bool, int, tuple[int, int]]:
        text = s.clean_text
        return (text in taken, s.heading, len(text.split()) < CLEAR_WORDS, s in elsewhere, len(text), _position(s))

    return min(fact.sentences, key=key).clean_text


def _shared_figures(fact: Fact) -> set[int]:
    """Ids of the fact's figures that a figure in another document's sentence could be the same as."""
    figures = [(s.doc, q) for s in fact.sentences for q in s.quantities if q.kind in COMPARABLE_KINDS]
    shared: set[int] = set()
    for i, (doc, q) in enumerate(figures):
        for other, r in figures[i + 1 :]:
            if other != doc and comparable(q, r):
                shared.update((id(q), id(r)))
    return shared


def _figures(sentence: Sentence, shared: set[int], disagreeing: set[int]) -> tuple[Quantity, ...]:
    """The sentence's figures that bear on the fact, disagreeing ones first.

    Those are the figures another article's sentence could be giving too. When the fact has no
    such shared figure at all, the sentence's own figures are shown as they are.
    """
    mine = [q for q in sentence.quantities if q.kind in COMPARABLE_KINDS]
    if shared or disagreeing:
        mine = [q for q in mine if id(q) in shared or id(q) in disagreeing]
    return tuple(sorted(mine, key=lambda q: (id(q) not in disagreeing, q.start)))


def fact_row(fact: Fact, documents: int, label: str | None = None) -> FactRow:
    """The row of one fact in a corpus of ``documents`` documents (labelled by :func:`fact_label` unless given)."""
    conflicts = fact.conflicts
    in_conflict = {id(q) for c in conflicts for q in (c.qa, c.qb)}
    conflicted = {s for c in conflicts for s in (c.a, c.b)}
    shared = _shared_figures(fact)
    by_doc: dict[int, list[Sentence]] = defaultdict(list)
    for s in fact.sentences:
        by_doc[s.doc].append(s)
    cells = []
    for doc in range(documents):
        # The sentence in a conflict first, then one that gives the fact's shared figure, then reading order.
        mine = sorted(
            by_doc.get(doc, ()),
            key=lambda s: (s not in conflicted, not any(id(q) in shared for q in s.quantities), s.index),
        )
        if not mine:
            cells.append(FactCell(doc, None))
            continue
        shown = mine[0]
        figures = _figures(shown, shared, in_conflict)
        cells.append(FactCell(doc, shown, tuple(mine), figures, tuple(q for q in figures if id(q) in in_conflict)))
    return FactRow(fact, fact_label(fact) if label is None else label, tuple(cells), conflicts)


def fact_matrix(alignment: Alignment) -> list[FactRow]:
    """Every fact of the alignment as a row: disagreements first, then the facts most articles state.

    No two rows share a label while a fact has a sentence of its own to show: a sentence that
    states several facts is in each of their rows, but labels only when nothing else can.
    """
    n = len(alignment.documents)
    # Labelled once the order is known: a label depends on the labels of the rows before it.
    rows = [fact_row(f, n, label="") for f in alignment.facts]
    rows.sort(key=lambda r: (not r.disagrees, -r.stated_by, min(_position(s) for s in r.fact.sentences)))
    seen: set[Sentence] = set()
    shared: set[Sentence] = set()
    for f in alignment.facts:
        shared.update(s for s in f.sentences if s in seen)
        seen.update(f.sentences)
    taken: set[str] = set()
    elsewhere = frozenset(shared)
    out = []
    for r in rows:
        label = fact_label(r.fact, elsewhere, frozenset(taken))
        taken.add(label)
        out.append(dataclasses.replace(r, label=label))
    return out
