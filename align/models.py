"""The data that flows through the engine: documents, sentences, quantities, pairs, facts, conflicts."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt


@dataclass(frozen=True)
class Quantity:
    """A number a reader would compare, normalised.

    ``low``/``high`` bound the value once the hedge is applied (``up to $4 billion`` is
    ``[0, 4e9]``); an exact figure has ``low == high == value``.
    """

    text: str  # as written, hedge excluded: "US$1.25 billion"
    start: int  # offsets within the sentence text
    end: int
    kind: str  # money | percent | count | year | date | duration | number
    value: float
    unit: str  # "USD", "EUR", "%", "year", "month", "customer", ...
    low: float
    high: float
    hedge: str = ""  # "up to", "nearly", "about", "over", "less than", ...
    role: str = ""  # initial | remainder | total | previous | "" (unknown)

    def agrees_with(self, other: Quantity) -> bool:
        """Whether the two figures can both be true once hedges are applied."""
        tol = 1e-9 * max(abs(self.value), abs(other.value), 1.0)
        return self.low <= other.high + tol and other.low <= self.high + tol


@dataclass(eq=False)
class Sentence:
    """One sentence of a document; identity-hashed so it can key dicts and sets."""

    doc: int  # position of its document in the corpus
    index: int  # stable 1-based index within its document
    text: str  # the sentence as it stands in the source (bullet glyphs stripped)
    start: int  # character offsets in Document.text
    end: int
    lemmas: tuple[str, ...] = ()  # lower-cased lemmas of content words, in order
    lemma_offsets: tuple[int, ...] = ()  # where each lemma's word starts in ``text``
    lemma_tags: tuple[str, ...] = ()  # each lemma's part of speech (VERB, NOUN, PROPN, ADJ, ADV)
    quantities: tuple[Quantity, ...] = ()
    heading: bool = False  # a title or heading line rather than running text
    vector: bytes = b""  # float16 sentence vector (align.vectors.encode), b"" when not encoded

    @property
    def clean_text(self) -> str:
        """The sentence with white space collapsed, as exported."""
        return " ".join(self.text.split())

    def vector_array(self) -> npt.NDArray[np.float32]:
        """The sentence vector as a float32 numpy array (empty when there is none)."""
        from .vectors import from_bytes

        return from_bytes(self.vector)

    def __repr__(self) -> str:
        return f"Sentence(doc={self.doc}, index={self.index}, text={self.clean_text[:40]!r})"


@dataclass(eq=False)
class Document:
    name: str  # file name, URL, or "-" for standard input
    title: str
    text: str  # the text sentences' offsets refer to
    sentences: list[Sentence] = field(default_factory=list)
    path: str = ""  # where it was read from, as given
    metadata: dict[str, str] = field(default_factory=dict)  # site, author, date, ...

    def sentence(self, index: int) -> Sentence:
        """The sentence with this 1-based index."""
        return self.sentences[index - 1]

    @property
    def label(self) -> str:
        """What to call the document on screen: its title, else its name."""
        return self.title or self.name


@dataclass(frozen=True)
class Conflict:
    """Two figures for the same thing that disagree, in an aligned pair."""

    a: Sentence
    b: Sentence
    qa: Quantity
    qb: Quantity

    @property
    def label(self) -> str:
        return f"{self.qa.text} vs {self.qb.text}"


@dataclass(frozen=True)
class AlignedPair:
    """Two sentences in different documents judged to state the same fact (a.doc < b.doc)."""

    a: Sentence
    b: Sentence
    score: float
    conflicts: tuple[Conflict, ...] = ()
    copy: bool = False  # near-verbatim: a copy, not independent confirmation
    origin: str = "engine"  # "user": a link the reader added by hand (its score is not the engine's)

    def other(self, s: Sentence) -> Sentence:
        return self.b if s is self.a else self.a


@dataclass(frozen=True)
class Fact:
    """A group of sentences from at least two documents that state one fact."""

    id: int
    sentences: tuple[Sentence, ...]
    pairs: tuple[AlignedPair, ...]

    @property
    def conflicts(self) -> tuple[Conflict, ...]:
        return tuple(c for p in self.pairs for c in p.conflicts)
