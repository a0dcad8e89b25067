"""Saved web pages: the article's main text and its metadata, boilerplate left out.

The extraction is trafilatura's (maintained, and among the best scorers on article-extraction
benchmarks): it drops menus, headers, footers, cookie banners, comments and related-link
boxes, and reads title, site, author and date from meta tags, JSON-LD and the page itself.
trafilatura costs about 0.7 s to import, so it is imported only when a page is read.
"""

from __future__ import annotations

import logging
import re
from html import unescape

from .errors import InputError

# Fewer words than this outside the boilerplate: the page holds no article (a menu, a login wall, an app shell).
MIN_ARTICLE_WORDS = 20
_HTML_START = re.compile(
    r"^\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|body)\b", re.I | re.S
)
_TAG = re.compile(
    r"</?(?:html|head|body|div|span|p|a|br|li|ul|ol|td|tr|table|script|style|meta|link|h[1-6]|img|article|section|nav|header|footer)\b[^>]*>",
    re.I,
)
_NEEDS_JS = re.compile(
    r"\b(?:enable|turn on|requires?|needs?)\s+javascript\b|\bjavascript\s+(?:is\s+)?(?:disabled|required)\b", re.I
)
_HEADING = re.compile(r"<h[1-3]\b[^>]*>(.*?)</h[1-3]\s*>", re.I | re.S)
_ANY_TAG = re.compile(r"<[^>]+>")
# "Read more: <headline of another story>" lines inside the article body.
_TEASER = re.compile(
    r"^\W*(?:read more|read next|read also|also read|related|related stories|related articles|see also|"
    r"more on this(?: story)?|recommended|watch|listen|more from [\w ]+)\s*[:|–—-]",
    re.I,
)
_TABLE_ROW = re.compile(r"^\s*\|(.*)\|\s*$")
_quiet = False


def looks_like_html(text: str) -> bool:
    """True for a document that is an HTML page rather than prose (whatever its file name says)."""
    head = text[:4096]
    if _HTML_START.match(head):
        return True
    tags = _TAG.findall(head)
    # Prose that mentions a tag or two is not a page; a page is mostly tags.
    return len(tags) >= 8 and sum(map(len, tags)) > 0.15 * len(head.strip())


def _silence() -> None:
    global _quiet
    if not _quiet:
        for name in ("trafilatura", "htmldate", "courlan", "justext", "readability"):
            logging.getLogger(name).setLevel(logging.CRITICAL)
        _quiet = True


def _norm(s: str) -> str:
    return " ".join(s.split()).casefold()


def _tidy(text: str) -> str:
    """trafilatura's plain text with table rows as ``cell | cell`` lines, in-article link teasers dropped."""
    lines = []
    for line in text.splitlines():
        if _TEASER.match(line) and len(line.split()) <= 25:
            continue
        m = _TABLE_ROW.match(line)
        if m:
            cells = [c.strip() for c in m.group(1).split("|")]
            line = " | ".join(c for c in cells if c)
        lines.append(line.rstrip())
    return "\n".join(lines).strip()


def _is_headline(html: str, title: str) -> bool:
    """Whether the page shows ``title`` as a heading (then it belongs to the article, whose text
    the extractor may have left it out of); a title only in ``<title>`` or meta tags does not."""
    want = _norm(title)
    return any(_norm(unescape(_ANY_TAG.sub(" ", m.group(1)))) == want for m in _HEADING.finditer(html))


def extract_article(html: str, name: str, url: str = "") -> tuple[str, str, dict[str, str]]:
    """(text, title, metadata) of a page's main article; InputError when it holds none.

    The text is one paragraph, heading or list item a line (list items keep a ``- `` glyph,
    which segmentation strips); the title heads the text when the extractor left it out, so
    the headline is a sentence of the document as it is in a ``.txt`` file (only when the page
    shows it as a heading: a ``<title>`` alone names the document without adding a sentence).
    """
    _silence()
    import trafilatura

    try:
        doc = trafilatura.bare_extraction(
            html,
            url=url or None,
            with_metadata=True,
            include_comments=False,
            include_tables=True,
            include_links=False,
            include_images=False,
            include_formatting=False,
            deduplicate=False,
            # Dates from meta tags, structured data, <time> and the URL only: the extensive search
            # guesses from any year in the page (a footer's "Copyright 2023" became 2023-01-01).
            date_extraction_params={"extensive_search": False, "original_date": True},
        )
    except Exception as e:  # a page the parser chokes on is one bad input, never a traceback
        raise InputError(f"{name}: cannot read the web page ({type(e).__name__})") from e
    article = None if isinstance(doc, dict) else doc  # a dict only when asked for one (as_dict)
    text = _tidy(article.text or "") if article is not None else ""
    words = len(text.split())
    if article is None or words < MIN_ARTICLE_WORDS:
        if _NEEDS_JS.search(text) or (not text and re.search(r"<script\b", html, re.I)):
            why = "the page needs JavaScript to show its text; save it from the browser after it has loaded"
        elif not text:
            why = "no article text found"
        else:
            why = f"no article text found (only {words} words outside menus and boilerplate)"
        raise InputError(f"{name}: {why}")
    title = " ".join((article.title or "").split())
    if title and _norm(text.split("\n", 1)[0]) != _norm(title) and _is_headline(html, title):
        text = f"{title}\n\n{text}"
    meta: dict[str, str] = {}
    site = article.sitename or article.hostname or ""
    for key, value in (("site", site), ("author", article.author), ("date", article.date), ("url", url)):
        if value:
            meta[key] = " ".join(str(value).split())
    return text, title, meta
