"""Split a text into sentences: lines, headings and bullets are hard boundaries; spaCy splits within them."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

from .models import Sentence

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token
from .quantities import find_quantities

_BULLET = re.compile(r"^\s*(?:[•·▪◦‣●○■□►▸\-\*–—]|\d{1,2}[.)])\s+")
_MD_HEADING = re.compile(r"^\s{0,3}#{1,6}\s+")
_META_LINE = re.compile(
    r"^\s*(?P<key>written\s+by|by|author|authors|source|date|published|posted|updated)\s*[:\-]\s*(?P<value>.{1,80}?)\s*$",
    re.I,
)
_META_PREFIX = re.compile(
    r"^\s*(?P<key>date|published|updated)\s*:?\s*(?P<value>\d{4}-\d\d-\d\d(?:[T ][\d:]+)?)\s+", re.I
)
_META_KEYS = {
    "written by": "author",
    "by": "author",
    "author": "author",
    "authors": "author",
    "source": "site",
    "date": "date",
    "published": "date",
    "posted": "date",
    "updated": "date",
}
_END_PUNCT = tuple(".!?\"”’'…")
CONTENT_POS = frozenset({"NOUN", "PROPN", "VERB", "ADJ", "ADV"})
TITLE_MAX_CHARS = 120
TITLE_MAX_WORDS = 16
HEADING_MAX_WORDS = 12


@dataclass(frozen=True)
class Block:
    """A stretch of text no sentence may cross: one line, glyphs stripped."""

    start: int
    end: int
    heading: bool


def _is_heading(line: str) -> bool:
    words = line.split()
    return 0 < len(words) <= HEADING_MAX_WORDS and not line.rstrip().endswith(_END_PUNCT)


def split_blocks(text: str, markdown: bool = False) -> tuple[list[Block], dict[str, str]]:
    """Lines of ``text`` as blocks (bullets and heading marks stripped), and metadata lines found at the top."""
    blocks: list[Block] = []
    meta: dict[str, str] = {}
    pos = 0
    for line in text.splitlines(keepends=True):
        start, end = pos, pos + len(line.rstrip("\r\n"))
        pos += len(line)
        body = text[start:end]
        if not body.strip():
            continue
        heading = False
        bullet = False
        if len(blocks) < 6 and not meta.get("_done"):
            m = _META_LINE.match(body)
            if (
                m
                and len(m.group("value").split()) <= 8
                and (m.group("key").lower() != "by" or len(m.group("value").split()) <= 4)
            ):
                meta.setdefault(_META_KEYS[m.group("key").lower()], m.group("value").strip())
                continue
            m = _META_PREFIX.match(body)
            if m:
                meta.setdefault(_META_KEYS[m.group("key").lower()], m.group("value"))
                start += m.end()
                body = text[start:end]
        for rx in (_MD_HEADING, _BULLET) if markdown else (_BULLET,):
            m = rx.match(body)
            if m:
                heading = heading or rx is _MD_HEADING
                bullet = bullet or rx is _BULLET
                start += m.end()
                body = text[start:end]
        lead = len(body) - len(body.lstrip())
        start += lead
        end = start + len(text[start:end].rstrip())
        if start < end:
            # A bullet item without a full stop is still running text, not a heading.
            blocks.append(Block(start, end, heading or (not bullet and _is_heading(text[start:end]))))
    meta.pop("_done", None)
    return blocks, meta


def guess_title(text: str, blocks: list[Block]) -> str:
    """A short first line is the title; otherwise none."""
    if len(blocks) < 2:
        return ""
    first = text[blocks[0].start : blocks[0].end]
    if len(first) <= TITLE_MAX_CHARS and len(first.split()) <= TITLE_MAX_WORDS:
        return first.strip()
    return ""


def content_lemmas(tokens: Iterable[Token], base: int = 0) -> tuple[tuple[str, ...], tuple[int, ...], tuple[str, ...]]:
    """Lower-cased lemmas of the words that carry content (no stop words, numbers or punctuation), their
    offsets from ``base``, and their parts of speech (the judge weighs the event a verb names apart)."""
    out = []
    offsets = []
    tags = []
    for t in tokens:
        if t.is_stop or t.like_num or not any(ch.isalpha() for ch in t.text):
            continue
        if t.pos_ and t.pos_ not in CONTENT_POS:
            continue
        # Names and acronyms keep their form: the lemmatizer turns "AWS" into "aw".
        keep = t.pos_ == "PROPN" or not t.lemma_ or (t.text.isupper() and len(t.text) > 1)
        lemma = (t.text if keep else t.lemma_).lower().strip("'’-")
        if len(lemma) > 1:
            out.append(lemma)
            offsets.append(t.idx - base)
            tags.append(t.pos_)
    return tuple(out), tuple(offsets), tuple(tags)


def make_sentences(
    doc_index: int, text: str, blocks: list[Block], parsed: Iterable[Doc], title: str
) -> Iterator[Sentence]:
    """Sentences of one document from its blocks and the spaCy Doc of each block (same order)."""
    index = 0
    for block, sdoc in zip(blocks, parsed, strict=True):
        is_title = index == 0 and bool(title) and text[block.start : block.end].strip() == title
        spans = [sdoc[:]] if (block.heading or is_title) else list(sdoc.sents)
        for span in spans:
            raw = span.text
            lead = len(raw) - len(raw.lstrip())
            stext = raw.strip()
            if not stext:
                continue
            index += 1
            base = span.start_char + lead
            tokens = [(t.idx - span.start_char - lead, t.lemma_, t.pos_) for t in span]
            lemmas, offsets, tags = content_lemmas(span, span.start_char + lead)
            yield Sentence(
                doc=doc_index,
                index=index,
                text=stext,
                start=block.start + base,
                end=block.start + base + len(stext),
                lemmas=lemmas,
                lemma_offsets=offsets,
                lemma_tags=tags,
                quantities=tuple(find_quantities(stext, tokens)),
                heading=block.heading or is_title,
            )
