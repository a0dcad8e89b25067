"""Read the inputs the user names (files, directories) into raw texts, with clear errors."""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from .errors import InputError

TEXT_SUFFIXES = (".txt", ".md", ".markdown")
# Legacy encodings tried, in order, when a file is not UTF-8.
LEGACY_ENCODINGS = ("cp1252", "latin-1")
MAX_BYTES = 5 * 1024 * 1024


@dataclass
class Source:
    """One input's text before parsing."""

    name: str  # file name (or URL, or "-")
    text: str
    path: str = ""
    kind: str = "text"  # text | markdown | html
    title: str = ""  # set when the format names it (HTML <title>, Markdown heading)
    metadata: dict[str, str] = field(default_factory=dict)
    note: str = ""  # something the user should know, e.g. the encoding that was guessed


def bundled_seeds() -> Path:
    """The seed corpus: inside the installed package, or beside it in a source checkout."""
    here = Path(__file__).resolve().parent
    for candidate in (here / "_seeds", here.parent / "seeds"):
        if candidate.is_dir():
            return candidate
    raise InputError("the bundled seed articles are missing from this installation")


def decode(data: bytes, name: str) -> tuple[str, str]:
    """Text of a file's bytes, and a note naming the legacy encoding if one was needed."""
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
    for enc in LEGACY_ENCODINGS:
        try:
            text = data.decode(enc)
        except UnicodeDecodeError:
            continue
        return text, f"not UTF-8, read as {enc}"
    raise InputError(f"{name}: not UTF-8 nor a known legacy encoding")


def _looks_binary(text: str) -> bool:
    controls = sum(1 for ch in text[:4096] if ord(ch) < 32 and ch not in "\n\r\t\f")
    return controls > max(4, len(text[:4096]) // 50)


def read_file(path: Path) -> Source:
    """One text file as a Source; InputError names it when it cannot be used."""
    name = path.name
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise InputError(f"{path}: too large ({size / 1e6:.1f} MB; the limit is {MAX_BYTES // 1024 // 1024} MB)")
        data = path.read_bytes()
    except PermissionError as e:
        raise InputError(f"{path}: permission denied") from e
    except IsADirectoryError as e:
        raise InputError(f"{path}: is a directory") from e
    except OSError as e:
        raise InputError(f"{path}: cannot read ({e.strerror or e})") from e
    text, note = decode(data, str(path))
    if _looks_binary(text):
        raise InputError(f"{path}: binary file, not text")
    if not text.strip():
        raise InputError(f"{path}: empty file")
    kind = "markdown" if path.suffix.lower() in (".md", ".markdown") else "text"
    return Source(name=name, text=text, path=str(path), kind=kind, note=note)


def expand(paths: Iterable[str | Path]) -> list[Path]:
    """Files named directly, and the text files inside directories (sorted, hidden ones skipped)."""
    out: list[Path] = []
    for raw in paths:
        p = Path(raw)
        if p.is_dir():
            found = sorted(
                f for f in p.rglob("*")
                if f.is_file() and f.suffix.lower() in TEXT_SUFFIXES
                and not any(part.startswith(".") for part in f.relative_to(p).parts)
            )
            if not found:
                raise InputError(f"{p}: directory holds no .txt or .md files")
            out.extend(found)
        elif p.exists():
            out.append(p)
        else:
            raise InputError(f"{p}: no such file or directory")
    return out


def read_sources(paths: Iterable[str | Path]) -> tuple[list[Source], list[str]]:
    """Every readable input, and a one-line problem for each one that is not; never raises for one bad input."""
    sources: list[Source] = []
    problems: list[str] = []
    for raw in paths:
        try:
            files = expand([raw])
        except InputError as e:
            problems.append(str(e))
            continue
        for f in files:
            try:
                sources.append(read_file(f))
            except InputError as e:
                problems.append(str(e))
    return sources, problems
