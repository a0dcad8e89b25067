"""Read the inputs the user names (files, directories, URLs, ``-`` for standard input) into raw texts.

Each input becomes a :class:`Source` whose ``text`` is what gets segmented and aligned, and
what sentence offsets point into: a ``.txt`` file as it is, a Markdown file with its markup
stripped (:mod:`align.markdown`), a web page as its main article's text (:mod:`align.html`).
Every input that cannot be used gets one line naming it; the others still open.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import BinaryIO, TextIO

from .errors import InputError
from .fetch import DEFAULT_TIMEOUT, Response, fetch_all, is_url
from .html import extract_article, looks_like_html
from .markdown import clean_markdown
from .problems import Problem, from_error

TEXT_SUFFIXES = (".txt", ".md", ".markdown")
HTML_SUFFIXES = (".html", ".htm", ".xhtml")
INPUT_SUFFIXES = TEXT_SUFFIXES + HTML_SUFFIXES
MARKDOWN_SUFFIXES = (".md", ".markdown")
# Legacy encodings tried, in order, when a file is not UTF-8.
LEGACY_ENCODINGS = ("cp1252", "latin-1")
MAX_BYTES = 5 * 1024 * 1024  # text: more than this is not an article
# Saved pages carry scripts, styles and inline images around their text; the 5 MB cap applies to the text.
MAX_HTML_BYTES = 25 * 1024 * 1024
_MARKDOWN_SIGNS = re.compile(r"^#{1,6} \S|\[[^\]\n]+\]\([^)\s]+\)|\*\*\S[^*\n]*\*\*|^```", re.M)
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?([A-Za-z0-9_.:-]+)""", re.I)
STDIN = "-"
STDIN_NAME = "<stdin>"


@dataclass
class Source:
    """One input's text before parsing."""

    name: str  # file name (or URL, or "<stdin>")
    text: str
    path: str = ""
    kind: str = "text"  # text | markdown | html
    title: str = ""  # set when the format names it (HTML <title>, Markdown heading)
    metadata: dict[str, str] = field(default_factory=dict)
    note: str = ""  # something the user should know, e.g. the encoding that was guessed


@dataclass
class SourceOptions:
    """How inputs are read: network access, its timeout, where standard input comes from."""

    offline: bool = False  # refuse URLs rather than fetch them
    timeout: float = DEFAULT_TIMEOUT  # seconds per URL
    stdin: BinaryIO | None = None  # default: sys.stdin's bytes


def bundled_seeds() -> Path:
    """The seed corpus: inside the installed package, or beside it in a source checkout."""
    here = Path(__file__).resolve().parent
    for candidate in (here / "_seeds", here.parent / "seeds"):
        if candidate.is_dir():
            return candidate
    raise InputError("the bundled seed articles are missing from this installation")


def decode(data: bytes, name: str, declared: str = "") -> tuple[str, str]:
    """Text of a file's bytes, and a note naming the legacy encoding if one was needed.

    UTF-8 comes first (valid UTF-8 is rarely anything else), then ``declared`` (HTTP's charset)
    or the page's own ``<meta charset>``, then the common legacy encodings.
    """
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16"), "read as UTF-16"
        except UnicodeDecodeError as e:
            raise InputError(f"{name}: not readable text (bad UTF-16)") from e
    if b"\x00" in data[:8192]:
        raise InputError(f"{name}: binary file, not text")
    try:
        return data.decode("utf-8-sig"), ""
    except UnicodeDecodeError:
        pass
    declared = declared or _meta_charset(data)
    if declared:
        try:
            return data.decode(declared), ""
        except (UnicodeDecodeError, LookupError):
            pass
    for enc in LEGACY_ENCODINGS:
        try:
            text = data.decode(enc)
        except UnicodeDecodeError:
            continue
        return text, f"not UTF-8, read as {enc}"
    raise InputError(f"{name}: not UTF-8 nor a known legacy encoding")


def _meta_charset(data: bytes) -> str:
    m = _META_CHARSET.search(data[:4096])
    return m.group(1).decode("ascii") if m else ""


# Control characters other than tab, line feed, form feed and carriage return: text holds few of them.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f]")


def _looks_binary(text: str) -> bool:
    head = text[:4096]
    return len(_CONTROL.findall(head)) > max(4, len(head) // 50)  # a regex: a loop in Python costs 1 ms a file


def source_from_text(text: str, name: str, path: str = "", kind: str = "", note: str = "", url: str = "") -> Source:
    """A Source from decoded text. ``kind`` is what the input claims to be (file suffix, HTTP type);
    empty means unknown, and the content decides: HTML, Markdown, or plain text.
    """
    if _looks_binary(text):
        raise InputError(f"{path or name}: binary file, not text")
    if not text.strip():
        raise InputError(f"{path or name}: empty" + (" response" if url else " file" if path else " input"))
    notes = [note] if note else []
    is_html = looks_like_html(text)
    if kind == "html" and not is_html and "<" not in text:
        notes.append("no HTML markup; read as plain text")
        kind = "text"
    elif kind != "html" and is_html:
        if kind:
            notes.append(f"holds HTML, not {'Markdown' if kind == 'markdown' else 'plain text'}; read as a web page")
        kind = "html"
    elif not kind:
        kind = "markdown" if looks_like_markdown(text) else "text"
    if kind == "html":
        body, title, meta = extract_article(text, path or name, url)
        if len(body.encode("utf-8")) > MAX_BYTES:
            raise InputError(f"{path or name}: too large (over {MAX_BYTES // 1024 // 1024} MB of text)")
        return Source(name=name, text=body, path=path, kind="html", title=title, metadata=meta, note="; ".join(notes))
    if kind == "markdown":
        body, title, meta = clean_markdown(text)
        if not body.strip():
            raise InputError(f"{path or name}: no text once the Markdown markup is removed")
        if url:
            meta.setdefault("url", url)
        return Source(
            name=name, text=body, path=path, kind="markdown", title=title, metadata=meta, note="; ".join(notes)
        )
    return Source(
        name=name, text=text, path=path, kind="text", metadata={"url": url} if url else {}, note="; ".join(notes)
    )


def looks_like_markdown(text: str) -> bool:
    """Whether unlabelled text (standard input) uses Markdown syntax: ATX headings, links, emphasis, fences."""
    head = text[:20000]
    marks = len(_MARKDOWN_SIGNS.findall(head))
    return marks >= 2


def _kind_of_suffix(path: Path) -> str:
    suffix = path.suffix.lower()
    if suffix in HTML_SUFFIXES:
        return "html"
    if suffix in MARKDOWN_SUFFIXES:
        return "markdown"
    return "text"


def read_file(path: Path) -> Source:
    """One file as a Source; InputError names it when it cannot be used."""
    kind = _kind_of_suffix(path)
    limit = MAX_HTML_BYTES if kind == "html" else MAX_BYTES
    try:
        size = path.stat().st_size
        if size > limit:
            raise InputError(f"{path}: too large ({size / 1e6:.1f} MB; the limit is {limit // 1024 // 1024} MB)")
        data = path.read_bytes()
    except PermissionError as e:
        raise InputError(f"{path}: permission denied") from e
    except IsADirectoryError as e:
        raise InputError(f"{path}: is a directory") from e
    except OSError as e:
        raise InputError(f"{path}: cannot read ({e.strerror or e})") from e
    text, note = decode(data, str(path))
    return source_from_text(text, path.name, str(path), kind, note)


def read_stdin(stream: BinaryIO | None = None) -> Source:
    """One document from standard input (plain text, Markdown or HTML, told apart by content)."""
    given: BinaryIO | TextIO
    if stream is not None:
        given = stream
    elif sys.stdin is None:
        raise InputError("-: no standard input")
    else:
        given = getattr(sys.stdin, "buffer", None) or sys.stdin
    try:
        data = given.read(MAX_HTML_BYTES + 1)
    except (OSError, ValueError) as e:
        raise InputError(f"-: cannot read standard input ({e})") from e
    if isinstance(data, str):
        data = data.encode("utf-8")
    if len(data) > MAX_HTML_BYTES:
        raise InputError(f"-: standard input too large (over {MAX_HTML_BYTES // 1024 // 1024} MB)")
    if not data.strip():
        raise InputError("-: standard input is empty")
    text, note = decode(data, "-")
    kind = "html" if looks_like_html(text) else ""
    if kind != "html" and len(data) > MAX_BYTES:
        raise InputError(f"-: standard input too large (over {MAX_BYTES // 1024 // 1024} MB of text)")
    return source_from_text(text, STDIN_NAME, STDIN_NAME, kind, note)


def _kind_of_content_type(content_type: str) -> str:
    if content_type in ("text/html", "application/xhtml+xml"):
        return "html"
    if content_type in ("text/markdown", "text/x-markdown"):
        return "markdown"
    if content_type.startswith("text/") or not content_type:
        return ""
    return "?"


def source_from_response(resp: Response) -> Source:
    """A fetched URL as a Source, named by the URL as given."""
    kind = _kind_of_content_type(resp.content_type)
    if kind == "?":
        raise InputError(f"{resp.url}: not a web page or text ({resp.content_type})")
    text, note = decode(resp.data, resp.url, resp.charset)
    if kind != "html" and len(resp.data) > MAX_BYTES:
        raise InputError(f"{resp.url}: too large (over {MAX_BYTES // 1024 // 1024} MB of text)")
    return source_from_text(text, resp.url, resp.url, kind, note, url=resp.final_url)


def _saved_page_assets(f: Path, root: Path) -> bool:
    """Whether ``f`` lies in the ``NAME_files`` folder a browser saves beside ``NAME.html`` (ads, frames)."""
    for parent in f.relative_to(root).parents:
        d = root / parent
        if d.name.endswith("_files") and d != root:
            stem = d.name[: -len("_files")]
            if any((d.parent / (stem + s)).exists() for s in HTML_SUFFIXES):
                return True
    return False


def expand(paths: Iterable[str | Path]) -> list[Path]:
    """Files named directly, and the text, Markdown and HTML files inside directories (sorted, hidden ones skipped)."""
    out: list[Path] = []
    for raw in paths:
        p = Path(raw)
        if p.is_dir():
            found = sorted(
                f
                for f in p.rglob("*")
                if f.is_file()
                and f.suffix.lower() in INPUT_SUFFIXES
                and not any(part.startswith(".") for part in f.relative_to(p).parts)
                and not _saved_page_assets(f, p)
            )
            if not found:
                raise InputError(f"{p}: directory holds no .txt, .md or .html files")
            out.extend(found)
        elif p.exists():
            out.append(p)
        else:
            raise InputError(f"{p}: no such file or directory")
    return out


def unusable_paths(paths: Iterable[str | Path]) -> list[str]:
    """One line for each local path that cannot be read at all (missing, or a directory with no
    inputs), checked without reading files; URLs and ``-`` are left to :func:`read_sources`."""
    out: list[str] = []
    for raw in paths:
        if str(raw) == STDIN or is_url(str(raw)):
            continue
        try:
            expand([raw])
        except InputError as e:
            out.append(str(e))
    return out


def read_sources(
    paths: Iterable[str | Path], options: SourceOptions | None = None
) -> tuple[list[Source], list[Problem]]:
    """Every readable input, in the order given, and a problem for each input that cannot be used
    (kind "skipped") or that was read with a caveat, such as a guessed encoding (kind "note");
    never raises for one bad input.

    Paths may be files, directories, ``http(s)://`` URLs (fetched in parallel unless
    ``options.offline``) and ``-`` for one document from standard input.
    """
    options = options or SourceOptions()
    items = [str(p) if isinstance(p, Path) else p for p in paths]
    urls = [] if options.offline else [x for x in items if is_url(x)]
    fetched = dict(zip(urls, fetch_all(urls, options.timeout), strict=True)) if urls else {}
    sources: list[Source] = []
    problems: list[Problem] = []
    stdin_read = False

    def add(make: Callable[[], Source], label: str) -> None:
        try:
            src = make()
        except InputError as e:
            problems.append(from_error(e))
            return
        sources.append(src)
        if src.note:
            problems.append(Problem(label, src.note, "note"))

    for raw in items:
        if raw == STDIN:
            if stdin_read:
                problems.append(Problem(STDIN, "standard input can be read only once"))
                continue
            stdin_read = True
            add(lambda: read_stdin(options.stdin), "-")
        elif is_url(raw):
            if options.offline:
                problems.append(Problem(raw, "not fetched (--offline forbids network access)"))
                continue
            got = fetched[raw]
            if isinstance(got, InputError):
                problems.append(from_error(got))
                continue
            add(partial(source_from_response, got), raw)
        else:
            try:
                files = expand([raw])
            except InputError as e:
                problems.append(from_error(e))
                continue
            for f in files:
                add(partial(read_file, f), str(f))
    return sources, problems
