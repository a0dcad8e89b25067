"""The reader's own corrections to the links: rejected and added sentence pairs, kept in a small JSON file.

A correction names each of its two sentences by its document's content hash and its text, never
by index, so an article split differently, or edited around the sentence, keeps every correction
that still applies. A document whose text changed is found again by its name. Resolving the file
against the open documents gives sentence pairs to apply (:meth:`Alignment.with_corrections`) and
one line for each correction that no longer applies.

The file::

    {"format": "deal-reader.links", "version": 1,
     "links": [{"action": "reject",
                "a": {"doc": "<sha256 of the text>", "name": "001.txt", "text": "The sentence."},
                "b": {...}}]}

A file that is not this (corrupt, foreign JSON, another version) is reported in one line and never
overwritten: the corrections of the session are then kept in memory only.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .atomic import replace_atomically
from .errors import OutputError
from .models import Document, Sentence

if TYPE_CHECKING:  # an alignment is only passed through here: links sit below alignment in the stream
    from .alignment import Alignment

FORMAT = "deal-reader.links"
VERSION = 1
FILE_NAME = "deal-reader.links.json"
ENV_DIR = "DEAL_READER_DATA_DIR"  # where the seeds' links file lives instead of the user data directory
ACTIONS = ("reject", "add")
_QUOTE = 48  # characters of a sentence quoted in a problem line


@dataclass(frozen=True)
class Anchor:
    """One end of a link: the document by content hash (and name, for an edited text) and the sentence's text."""

    doc: str  # sha256 of Document.text
    name: str  # Document.name, to find the document again when its text changed
    text: str  # Sentence.clean_text

    @property
    def key(self) -> tuple[str, str]:
        return (self.doc, self.text)


@dataclass(frozen=True)
class Correction:
    """A link the reader rejected or added."""

    action: str  # "reject" | "add"
    a: Anchor
    b: Anchor

    @property
    def key(self) -> frozenset[tuple[str, str]]:
        """The link it is about, whichever way round its ends were written."""
        return frozenset((self.a.key, self.b.key))


@dataclass
class LinkFile:
    """What was read from a links file: its corrections, one line per problem, and whether it may be rewritten."""

    path: Path
    corrections: list[Correction] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    writable: bool = True  # False when the file held something else: never overwrite it


@dataclass
class Resolved:
    """Corrections that apply to the open documents, as sentence pairs (a.doc < b.doc), and those that do not."""

    rejected: frozenset[tuple[Sentence, Sentence]] = frozenset()
    added: tuple[tuple[Sentence, Sentence], ...] = ()
    problems: list[str] = field(default_factory=list)


# ----- where the file lives ------------------------------------------------------------------------


@lru_cache(maxsize=256)
def text_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def document_hash(doc: Document) -> str:
    """The content hash a correction names a document by."""
    return text_hash(doc.text)


def data_dir() -> Path:
    """Where links files of inputs with no directory of their own go: ``$DEAL_READER_DATA_DIR``, else the user data dir."""
    env = os.environ.get(ENV_DIR)
    if env:
        return Path(env)
    from platformdirs import user_data_dir

    return Path(user_data_dir("deal-reader", appauthor=False))


def default_path(paths: Sequence[str | Path] | None) -> Path:
    """``deal-reader.links.json`` beside the first input; in the user data directory for the bundled seeds,
    which may be a read-only install, and for a URL or standard input, which have no directory."""
    from .sources import bundled_seeds

    first = str(paths[0]) if paths else ""
    if not first or first == "-" or "://" in first:
        return data_dir() / FILE_NAME
    where = Path(first)
    folder = where if where.is_dir() else where.parent
    try:
        seeds = bundled_seeds().resolve()
        if folder.resolve() == seeds or seeds in folder.resolve().parents:
            return data_dir() / FILE_NAME
    except Exception:  # noqa: BLE001 - no seeds installed: the input's own folder
        pass
    return folder / FILE_NAME


# ----- reading and writing -------------------------------------------------------------------------


def anchor(documents: Sequence[Document], s: Sentence) -> Anchor:
    doc = documents[s.doc]
    return Anchor(doc=document_hash(doc), name=doc.name, text=s.clean_text)


def correction(action: str, documents: Sequence[Document], x: Sentence, y: Sentence) -> Correction:
    """A correction of the link between ``x`` and ``y``, earlier document first."""
    a, b = (x, y) if (x.doc, x.index) <= (y.doc, y.index) else (y, x)
    return Correction(action, anchor(documents, a), anchor(documents, b))


def to_data(corrections: Iterable[Correction]) -> dict[str, Any]:
    def end(e: Anchor) -> dict[str, str]:
        return {"doc": e.doc, "name": e.name, "text": e.text}

    return {
        "format": FORMAT,
        "version": VERSION,
        "links": [{"action": c.action, "a": end(c.a), "b": end(c.b)} for c in corrections],
    }


def _anchor_of(data: object) -> Anchor | None:
    if not isinstance(data, dict):
        return None
    doc, name, text = data.get("doc"), data.get("name", ""), data.get("text")
    if not (isinstance(doc, str) and doc and isinstance(name, str) and isinstance(text, str) and text):
        return None
    return Anchor(doc, name, text)


def from_data(data: object, label: str) -> LinkFile:
    """The corrections in decoded JSON; ``label`` names the file in problem lines."""
    out = LinkFile(Path(label))
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        out.problems.append(f"{label}: not a deal-reader links file; ignored, and left as it is")
        out.writable = False
        return out
    if data.get("version") != VERSION:
        out.problems.append(
            f"{label}: links file version {data.get('version')!r}, this deal-reader reads "
            f"version {VERSION}; ignored, and left as it is"
        )
        out.writable = False
        return out
    links = data.get("links")
    if not isinstance(links, list):
        out.problems.append(f"{label}: 'links' is not a list; ignored, and left as it is")
        out.writable = False
        return out
    for i, item in enumerate(links, 1):
        a = _anchor_of(item.get("a")) if isinstance(item, dict) else None
        b = _anchor_of(item.get("b")) if isinstance(item, dict) else None
        action = item.get("action") if isinstance(item, dict) else None
        if a is None or b is None or action not in ACTIONS:
            # Rewriting the file would drop the entry: keep it, and keep the file as it is.
            out.problems.append(f"{label}: link {i} is malformed; ignored (the file is left as it is)")
            out.writable = False
            continue
        out.corrections.append(Correction(action, a, b))
    return out


def load(path: str | Path) -> LinkFile:
    """Read a links file; a missing file is an empty one, a bad one is one line in ``problems``."""
    path = Path(path)
    try:
        raw = path.read_bytes()
    except (FileNotFoundError, NotADirectoryError):  # no file yet (saving says so if it cannot make one)
        return LinkFile(path)
    except OSError as e:
        return LinkFile(
            path, problems=[f"{path}: cannot read the links file ({e.strerror or e}); ignored"], writable=False
        )
    try:
        data = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as e:
        line = f" (line {e.lineno})" if isinstance(e, json.JSONDecodeError) else ""
        return LinkFile(
            path,
            problems=[f"{path}: the links file is not valid JSON{line}; ignored, and left as it is"],
            writable=False,
        )
    out = from_data(data, str(path))
    out.path = path
    return out


def save(path: str | Path, corrections: Iterable[Correction]) -> None:
    """Write the links file atomically (a temporary file in the same directory, then a rename)."""
    path = Path(path)
    content = json.dumps(to_data(corrections), ensure_ascii=False, indent=1) + "\n"
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        replace_atomically(path, content, newline="\n")
    except OSError as e:
        raise OutputError(f"{path}: cannot save the corrections ({e.strerror or e})") from e


# ----- applying ------------------------------------------------------------------------------------


class _Lookup:
    """The open documents by content hash and name, and their sentences by text."""

    def __init__(self, documents: Sequence[Document]) -> None:
        self.by_hash = {document_hash(d): i for i, d in enumerate(documents)}
        self.by_name: dict[str, int] = {}
        for i, d in enumerate(documents):
            self.by_name.setdefault(d.name, i)
        self.documents = documents
        self._texts: dict[int, dict[str, Sentence]] = {}

    def doc(self, e: Anchor) -> int | None:
        i = self.by_hash.get(e.doc)
        return i if i is not None else self.by_name.get(e.name) if e.name else None

    def sentence(self, doc: int, text: str) -> Sentence | None:
        texts = self._texts.get(doc)
        if texts is None:
            texts = self._texts[doc] = {}
            for s in self.documents[doc].sentences:
                texts.setdefault(s.clean_text, s)
        return texts.get(text)


class NotOpen(str):
    """A problem line saying a correction names a document that is not open (in another story, perhaps)."""


def _quote(text: str) -> str:
    return repr(text if len(text) <= _QUOTE else text[: _QUOTE - 1] + "…")


def _resolve_one(c: Correction, lookup: _Lookup, label: str) -> tuple[Sentence, Sentence] | str:
    what = "a rejected link" if c.action == "reject" else "an added link"
    ends = []
    for e in (c.a, c.b):
        doc = lookup.doc(e)
        if doc is None:
            return NotOpen(f"{label}: {what} names a document that is not open ({e.name or e.doc[:12]}); ignored")
        s = lookup.sentence(doc, e.text)
        if s is None:
            return (
                f"{label}: {what} no longer applies: {lookup.documents[doc].name} has no sentence "
                f"{_quote(e.text)}; ignored"
            )
        ends.append(s)
    a, b = sorted(ends, key=lambda s: (s.doc, s.index))
    if a.doc == b.doc:
        return f"{label}: {what} joins two sentences of {lookup.documents[a.doc].name}; ignored"
    return a, b


def resolve_links(corrections: Iterable[Correction], documents: Sequence[Document], label: str = FILE_NAME) -> Resolved:
    """The corrections that apply to ``documents``, as sentence pairs, and a line for each one that does not."""
    lookup = _Lookup(documents)
    rejected: set[tuple[Sentence, Sentence]] = set()
    added: dict[tuple[Sentence, Sentence], None] = {}
    problems = []
    for c in corrections:
        got = _resolve_one(c, lookup, label)
        if isinstance(got, str):
            problems.append(got)
        elif c.action == "reject":
            rejected.add(got)
            added.pop(got, None)
        else:
            added[got] = None
            rejected.discard(got)
    return Resolved(frozenset(rejected), tuple(added), problems)


def apply_file(alignments: Sequence[Alignment], path: str | Path | None) -> tuple[list[Alignment], list[str]]:
    """Each story's alignment with the corrections of the links file at ``path`` (None: none), and the
    lines to say (see :func:`apply_to_stories`)."""
    if path is None:
        return list(alignments), []
    book, problems = LinkBook.open(path)
    if not book.corrections:
        return list(alignments), problems
    fixed, more = apply_to_stories(book, alignments)
    return fixed, problems + more


# ----- a reader's session --------------------------------------------------------------------------


@dataclass
class LinkBook:
    """The corrections of one reading session: what the file held, what the reader changed, and undo.

    Each change replaces the whole list, so undo is the previous list; saving writes the whole
    list (the corrections that did not apply included, so they are never lost).
    """

    path: Path | None  # None: corrections live for the session only (--no-links)
    corrections: tuple[Correction, ...] = ()
    writable: bool = True
    history: list[tuple[Correction, ...]] = field(default_factory=list)

    @classmethod
    def open(cls, path: str | Path | None) -> tuple[LinkBook, list[str]]:
        if path is None:
            return cls(None), []
        got = load(path)
        return cls(Path(path), tuple(got.corrections), got.writable), got.problems

    @property
    def label(self) -> str:
        return self.path.name if self.path else FILE_NAME

    def resolve(self, documents: Sequence[Document]) -> Resolved:
        return resolve_links(self.corrections, documents, self.label)

    def apply(self, alignment: Alignment) -> tuple[Alignment, list[str]]:
        """``alignment`` with these corrections in place of any it had, and one line per correction that does not apply."""
        got = self.resolve(alignment.documents)
        return alignment.with_corrections(got.rejected, got.added), got.problems

    def _change(self, corrections: Iterable[Correction]) -> None:
        self.history.append(self.corrections)
        self.corrections = tuple(corrections)

    def _without(self, documents: Sequence[Document], action: str, x: Sentence, y: Sentence) -> list[Correction] | None:
        """The corrections less those of ``action`` on the x-y link, or None when there is none."""
        lookup = _Lookup(documents)
        pair = tuple(sorted((x, y), key=lambda s: (s.doc, s.index)))
        rest = [c for c in self.corrections if not (c.action == action and _resolve_one(c, lookup, self.label) == pair)]
        return rest if len(rest) < len(self.corrections) else None

    def reject(self, documents: Sequence[Document], x: Sentence, y: Sentence) -> None:
        """Reject the x-y link: forget it if the reader had added it, else record the rejection."""
        rest = self._without(documents, "add", x, y)
        self._change(rest if rest is not None else [*self.corrections, correction("reject", documents, x, y)])

    def add(self, documents: Sequence[Document], x: Sentence, y: Sentence) -> None:
        """Link x and y: lift a rejection of that link if there is one, else record the new link."""
        rest = self._without(documents, "reject", x, y)
        self._change(rest if rest is not None else [*self.corrections, correction("add", documents, x, y)])

    def undo(self) -> bool:
        """Go back to the corrections before the last change; False when there is nothing to undo."""
        if not self.history:
            return False
        self.corrections = self.history.pop()
        return True

    def save(self, corrections: Sequence[Correction] | None = None) -> str | None:
        """Write the file (``corrections``, else the current ones); one line saying why not when it cannot be.

        The corrections stay in memory either way.
        """
        if self.path is None:
            return None
        if not self.writable:
            return (
                f"{self.path}: not saved, as the file could not be read as a links file; "
                "corrections are kept for this session only"
            )
        try:
            save(self.path, self.corrections if corrections is None else corrections)
        except OutputError as e:
            return f"{e}; they are kept for this session only"
        return None


def apply_to_stories(book: LinkBook, alignments: Sequence[Alignment]) -> tuple[list[Alignment], list[str]]:
    """Each story's alignment with the book's corrections, and one line per correction that applies nowhere.

    A correction names documents of one story, so every other story finds its documents not open:
    that line is said only when no story holds them.
    """
    out, lines = [], []
    for a in alignments:
        fixed, problems = book.apply(a)
        out.append(fixed)
        lines.append(problems)
    if len(lines) < 2:
        return out, lines[0] if lines else []
    everywhere = set.intersection(*(set(p) for p in lines))
    said = [p for ps in lines for p in ps if p in everywhere or not isinstance(p, NotOpen)]
    return out, list(dict.fromkeys(said))
