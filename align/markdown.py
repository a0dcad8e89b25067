"""Markdown notes as plain text: markup stripped, structure kept as lines.

The result is what gets aligned and what sentence offsets point into: headings keep their
``#`` marks and list items a ``- `` glyph (segmentation strips both and makes them
boundaries); emphasis, links, images, inline code, HTML tags and escapes are gone; a
paragraph hard-wrapped over several lines becomes one line; YAML front matter becomes
metadata. A small line-based cleaner rather than a full CommonMark parser: notes pasted
from the web are simple, and a parser's HTML output would still have to be turned back
into lines.
"""

from __future__ import annotations

import re

_FRONT_KEYS = {
    "title": "title",
    "author": "author",
    "authors": "author",
    "by": "author",
    "date": "date",
    "published": "date",
    "source": "site",
    "site": "site",
    "publisher": "site",
    "url": "url",
    "link": "url",
}
_FENCE = re.compile(r"^\s{0,3}(```|~~~)")
_RULE = re.compile(r"^\s{0,3}([-*_])(?:\s*\1){2,}\s*$")
_SETEXT = re.compile(r"^\s{0,3}(=+|-+)\s*$")
_ATX = re.compile(r"^\s{0,3}(#{1,6})(?:\s+|$)(.*?)(?:\s+#+)?\s*$")
_LIST = re.compile(r"^(\s*)(?:[-*+•]|\d{1,3}[.)])\s+(?:\[[ xX]\]\s+)?")
_QUOTE = re.compile(r"^\s{0,3}(?:>\s?)+")
_REF_DEF = re.compile(r"^\s{0,3}\[[^\]^]+\]:\s*\S+.*$")
_TABLE_SEP = re.compile(r"^\s*\|?\s*:?-{2,}:?\s*(?:\|\s*:?-{2,}:?\s*)*\|?\s*$")
_IMAGE = re.compile(r"!\[([^\]]*)\]\([^)]*\)|!\[([^\]]*)\]\[[^\]]*\]")
_LINK = re.compile(r"\[([^\]]+)\]\((?:[^()\s]|\([^)]*\))*(?:\s+\"[^\"]*\")?\)|\[([^\]]+)\]\[[^\]]*\]")
_AUTOLINK = re.compile(r"<((?:https?|ftp|mailto):[^>\s]+)>")
_FOOTNOTE = re.compile(r"\[\^[^\]]+\](?!:)")
_FOOTNOTE_DEF = re.compile(r"^\s{0,3}\[\^[^\]]+\]:\s*")
_HTML_TAG = re.compile(r"<!--.*?-->|</?[A-Za-z][A-Za-z0-9-]*(?:\s[^<>]*)?/?>")
_CODE = re.compile(r"(`+)(.+?)\1")
_STRONG = re.compile(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1")
_EM_STAR = re.compile(r"(?<![\w*])\*(?=[^\s*])(.+?)(?<=[^\s*])\*(?![\w*])")
_EM_UNDER = re.compile(r"(?<![\w_])_(?=[^\s_])(.+?)(?<=[^\s_])_(?![\w_])")
_STRIKE = re.compile(r"~~(?=\S)(.+?)(?<=\S)~~")
_ESCAPE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!|>~])")
_PARKED = re.compile("[\ue000-\ue07f]")
_END = tuple(".!?…:;")
WRAP_MIN_CHARS = 40  # a line shorter than this ends where it ends (titles, bylines, short notes)


def strip_inline(s: str) -> str:
    """One line's text without emphasis, link, image, code or HTML syntax."""
    # Escaped characters are literal: park them in the private-use area until the markup is gone.
    s = _ESCAPE.sub(lambda m: chr(0xE000 + ord(m.group(1))), s)
    s = _HTML_TAG.sub("", s)
    s = _IMAGE.sub("", s)
    s = _LINK.sub(lambda m: m.group(1) or m.group(2), s)
    s = _AUTOLINK.sub(r"\1", s)
    s = _FOOTNOTE.sub("", s)
    s = _CODE.sub(lambda m: m.group(2).strip(), s)
    for _ in range(2):  # nested: ***both*** and **bold _inside_**
        s = _STRONG.sub(r"\2", s)
        s = _EM_STAR.sub(r"\1", s)
        s = _EM_UNDER.sub(r"\1", s)
        s = _STRIKE.sub(r"\1", s)
    s = _PARKED.sub(lambda m: chr(ord(m.group()) - 0xE000), s)
    return re.sub(r"[ \t]{2,}", " ", s).strip()


def _front_matter(lines: list[str]) -> tuple[dict[str, str], int]:
    """Metadata from a leading ``---`` YAML block (simple ``key: value`` lines), and the lines it spans."""
    if not lines or lines[0].strip() != "---":
        return {}, 0
    for end in range(1, min(len(lines), 60)):
        if lines[end].strip() in ("---", "..."):
            break
    else:
        return {}, 0
    meta: dict[str, str] = {}
    for line in lines[1:end]:
        m = re.match(r"^\s*([A-Za-z_][\w-]*)\s*:\s*(.+?)\s*$", line)
        if m and m.group(1).lower() in _FRONT_KEYS:
            value = m.group(2).strip().strip("\"'").strip("[]").strip().strip("\"'")
            if value:
                meta.setdefault(_FRONT_KEYS[m.group(1).lower()], value)
    return meta, end + 1


def clean_markdown(source: str) -> tuple[str, str, dict[str, str]]:
    """(plain text, title, metadata) of a Markdown document.

    The title is the front matter's, else the first heading when it opens the document;
    the metadata holds front-matter author, date, site and url.
    """
    lines = source.splitlines()
    meta, first = _front_matter(lines)
    title = meta.pop("title", "")
    out: list[str] = []  # cleaned lines; "" separates paragraphs
    joinable = False  # whether the last output line is a paragraph line a wrapped continuation may join
    in_fence = None
    for raw in lines[first:]:
        if in_fence:
            if raw.strip().startswith(in_fence):
                in_fence = None
            continue
        m = _FENCE.match(raw)
        if m:  # code is not article text
            in_fence = m.group(1)
            joinable = False
            continue
        if not raw.strip():
            if out and out[-1]:
                out.append("")
            joinable = False
            continue
        m = _SETEXT.match(raw)
        if m and joinable and out and out[-1] and not out[-1].startswith(("#", "- ")):
            out[-1] = "# " + out[-1]  # the line above is a heading
            joinable = False
            continue
        if _RULE.match(raw) or _REF_DEF.match(raw) or _TABLE_SEP.match(raw) and "|" in raw:
            joinable = False
            continue
        line = _QUOTE.sub("", raw)
        line = _FOOTNOTE_DEF.sub("", line)
        m = _ATX.match(line)
        if m:
            text = strip_inline(m.group(2))
            if text:
                out.append("#" * len(m.group(1)) + " " + text)
            joinable = False
            continue
        m = _LIST.match(line)
        if m:
            text = strip_inline(line[m.end() :])
            if text:
                out.append("- " + text)
                joinable = True
            continue
        if "|" in line and line.strip().startswith("|"):
            cells = [strip_inline(c) for c in line.strip().strip("|").split("|")]
            text = " | ".join(c for c in cells if c)
            if text:
                out.append(text)
            joinable = False
            continue
        hard_break = raw.endswith(("  ", "\\"))
        text = strip_inline(line.rstrip("\\"))
        if not text:
            continue
        prev = out[-1] if out else ""
        indented = raw.startswith((" ", "\t"))
        if (
            joinable
            and prev
            and (
                (prev.startswith("- ") and indented)  # a list item's continuation
                or (not prev.startswith("- ") and len(prev) >= WRAP_MIN_CHARS and not prev.endswith(_END))
            )
        ):
            out[-1] = prev + " " + text
        else:
            out.append(text)
        joinable = not hard_break
    while out and not out[-1]:
        out.pop()
    text = "\n".join(out)
    if not title:
        for line in out:
            if line:
                if line.startswith("#"):
                    title = line.lstrip("#").strip()
                break
    return text, title, meta
