"""A disk cache of parsed sentences, so a second look at the same articles does not parse them again.

One entry per source text, in the user cache directory (XDG, via platformdirs), or in
``$DEAL_READER_CACHE_DIR`` when that is set (tests point it at a temporary directory).
The key hashes the text and its kind, the pipeline's name and version, spaCy's version,
the engine's version, ``ENGINE_CACHE_VERSION`` and the source code of the modules that turn a
parse into sentences and quantities, so a change to any of them misses instead of serving
stale sentences.

An entry holds what :func:`align.sentences.make_sentences` built, as plain tuples (not spaCy
``Doc`` objects): the engine never reads a ``Doc`` after building its sentences, and plain
tuples load in microseconds, where a ``DocBin`` would have to be deserialised and walked again
with the spaCy vocabulary loaded. It is pickled, but read back with an unpickler that refuses
every class, so a tampered entry cannot run code; a corrupt or unreadable entry is deleted and
rebuilt, never fatal. The total size is capped: the least recently used entries (by mtime,
touched on every hit) are evicted after writes.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import os
import pickle
import tempfile
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import fields
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from .models import Quantity, Sentence
from .problems import Problem
from .vectors import fingerprint as vectors_fingerprint
from .version import __version__

if TYPE_CHECKING:
    from hashlib import _Hash

T = TypeVar("T")
S = TypeVar("S", bound="DiskStore")

# Bump when the sentences built from a parse change in a way the source hash below cannot see.
ENGINE_CACHE_VERSION = 1
DEFAULT_MAX_BYTES = 256 * 1024 * 1024
ENV_DIR = "DEAL_READER_CACHE_DIR"
ENV_MAX_MB = "DEAL_READER_CACHE_MAX_MB"
SUFFIX = ".parse"
# Every kind of entry in the directory (the score cache writes ".scores", the fact cache ".pairs" and
# ".facts"): all share the cap.
ENTRY_SUFFIXES = (".parse", ".scores", ".pairs", ".facts")
_FORMAT = 4  # layout of one entry's payload (2: no entities; 3: the sentence vector; 4: lemma tags)
# Modules whose code decides what a parse becomes: their source is part of every key.
_EXTRACTION_MODULES = ("sentences.py", "quantities.py", "models.py", "documents.py", "vectors.py")


def cache_dir() -> Path:
    """Where entries live: ``$DEAL_READER_CACHE_DIR``, else the user cache directory."""
    env = os.environ.get(ENV_DIR)
    if env:
        return Path(env)
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("deal-reader", appauthor=False)) / "parsed"


def max_bytes() -> int:
    env = os.environ.get(ENV_MAX_MB)
    if env:
        with contextlib.suppress(ValueError):
            return max(0, int(float(env) * 1024 * 1024))
    return DEFAULT_MAX_BYTES


def wanted(cache: bool | None) -> bool:
    """Whether to use the cache: as given, or when None, unless ``$DEAL_READER_NO_CACHE`` is set."""
    return (not os.environ.get("DEAL_READER_NO_CACHE")) if cache is None else bool(cache)


def open_store(cache: bool | DiskStore | None, kind: type[S]) -> S | None:
    """The store to use: ``cache`` itself when it is one, else a default ``kind`` when :func:`wanted`."""
    if isinstance(cache, kind):
        return cache
    return kind() if wanted(True if isinstance(cache, DiskStore) else cache) else None


def hash_modules(h: _Hash, names: Iterable[str]) -> None:
    """Feed the source of these engine modules to the hash ``h`` (a change to them must miss)."""
    here = Path(__file__).resolve().parent
    for name in names:
        try:
            h.update((here / name).read_bytes())
        except OSError:
            h.update(name.encode())


@lru_cache(maxsize=1)
def engine_fingerprint() -> str:
    """Engine version, cache version, the data layout, and a hash of the extraction code."""
    h = hashlib.sha256()
    hash_modules(h, _EXTRACTION_MODULES)
    layout = ",".join(f.name for f in fields(Sentence)) + "|" + ",".join(f.name for f in fields(Quantity))
    h.update(layout.encode())
    h.update(vectors_fingerprint().encode())  # new vector data must miss too
    return f"{__version__}/{ENGINE_CACHE_VERSION}/{_FORMAT}/{h.hexdigest()[:16]}"


def entry_key(text: str, kind: str, pipeline: str) -> str:
    """The key of one source's entry."""
    h = hashlib.sha256()
    for part in (engine_fingerprint(), pipeline, kind):
        h.update(part.encode("utf-8", "surrogatepass"))
        h.update(b"\0")
    h.update(text.encode("utf-8", "surrogatepass"))
    return h.hexdigest()


# -- encoding: Sentences as plain tuples (the document index is set on load) -----------------

_QFIELDS = tuple(f.name for f in fields(Quantity))


def _encode(sentences: list[Sentence]) -> list[tuple[Any, ...]]:
    return [
        (
            s.index,
            s.text,
            s.start,
            s.end,
            s.lemmas,
            s.lemma_offsets,
            s.lemma_tags,
            tuple(tuple(getattr(q, f) for f in _QFIELDS) for q in s.quantities),
            s.heading,
            s.vector,
        )
        for s in sentences
    ]


def _decode(rows: list[Any], doc_index: int) -> list[Sentence]:
    out = []
    for index, text, start, end, lemmas, offsets, tags, quantities, heading, vector in rows:
        out.append(
            Sentence(
                doc=doc_index,
                index=index,
                text=text,
                start=start,
                end=end,
                lemmas=tuple(lemmas),
                lemma_offsets=tuple(offsets),
                lemma_tags=tuple(tags),
                quantities=tuple(Quantity(**dict(zip(_QFIELDS, q, strict=True))) for q in quantities),
                heading=bool(heading),
                vector=bytes(vector),
            )
        )
    return out


class _PlainUnpickler(pickle.Unpickler):
    """Builtin containers and scalars only: any class reference is refused."""

    def find_class(self, module: str, name: str) -> Any:
        raise pickle.UnpicklingError(f"refused {module}.{name}")


def check_entry(z: Any, key: str, n: int, *positions: str) -> None:
    """Refuse an archive entry (``np.load`` of a score or fact cache entry) of another key or of a corpus
    of other than ``n`` sentences, or whose arrays named ``positions`` hold a position outside it."""
    if str(z["key"]) != key or int(z["n"]) != n:
        raise ValueError("not an entry for this corpus")
    for name in positions:
        got = z[name]
        if got.size and (got.min() < 0 or got.max() >= n):
            raise ValueError(f"{name}: a position outside the corpus")


def pair_arrays(pairs: Sequence[tuple[Sentence, Sentence, float]], position: Mapping[Sentence, int]) -> tuple[Any, ...]:
    """Scored sentence pairs as three arrays for an archive entry: each end's position in the corpus, and the score."""
    import numpy as np

    a = np.fromiter((position[x] for x, _, _ in pairs), dtype=np.int32, count=len(pairs))
    b = np.fromiter((position[y] for _, y, _ in pairs), dtype=np.int32, count=len(pairs))
    v = np.fromiter((s for _, _, s in pairs), dtype=np.float64, count=len(pairs))
    return a, b, v


def pair_scores(
    z: Any, sentences: Sequence[Sentence], a: str, b: str, score: str
) -> dict[tuple[Sentence, Sentence], float]:
    """The scored pairs an archive entry holds in the arrays named ``a``, ``b`` and ``score`` (see :func:`pair_arrays`)."""
    return {
        (sentences[i], sentences[j]): v for i, j, v in zip(z[a].tolist(), z[b].tolist(), z[score].tolist(), strict=True)
    }


class DiskStore:
    """Entries in one cache directory, written atomically, evicted least recently used first.

    The parse cache and the score cache (:mod:`align.scorecache`) share one directory and one
    size cap; every failure to read degrades to a miss, a failure to write to one warning in
    ``problems``.
    """

    what = "cache"  # named in the warning when the directory cannot be written

    def __init__(self, directory: Path | None = None, limit: int | None = None) -> None:
        self.directory = Path(directory) if directory is not None else cache_dir()
        self.limit = max_bytes() if limit is None else limit
        self.hits = 0
        self.misses = 0
        self.written = 0
        self.problems: list[Problem] = []  # at most one: the first failure to write

    def _path(self, key: str, suffix: str) -> Path:
        return self.directory / f"{key}{suffix}"

    def read(self, key: str, suffix: str) -> bytes | None:
        try:
            return self._path(key, suffix).read_bytes()
        except OSError:
            return None

    def drop(self, key: str, suffix: str) -> None:
        """Delete a corrupt or foreign entry so it is rebuilt."""
        with contextlib.suppress(OSError):
            self._path(key, suffix).unlink()

    def touch(self, key: str, suffix: str) -> None:
        """Mark an entry recently used: it is evicted last."""
        with contextlib.suppress(OSError):
            os.utime(self._path(key, suffix))

    def load(self, key: str, suffix: str, decode: Callable[[bytes], T]) -> T | None:
        """``decode(bytes)`` of the entry, or None on a miss; an entry that fails to decode is deleted."""
        data = self.read(key, suffix)
        if data is None:
            self.misses += 1
            return None
        try:
            value = decode(data)
        except Exception:  # corrupt, truncated, foreign: drop it and build it again
            self.misses += 1
            self.drop(key, suffix)
            return None
        self.touch(key, suffix)
        self.hits += 1
        return value

    def write(self, key: str, suffix: str, payload: bytes) -> None:
        """Store an entry atomically; a cache that cannot be written is skipped, with one warning in ``problems``."""
        try:
            self.directory.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=self.directory, prefix=".tmp-", suffix=suffix)
            try:
                with os.fdopen(fd, "wb") as f:
                    f.write(payload)
                os.replace(tmp, self._path(key, suffix))
            except BaseException:
                with contextlib.suppress(OSError):
                    os.unlink(tmp)
                raise
            self.written += 1
        except OSError as e:
            if not self.problems:
                why = f"{self.what} not written ({self.directory}: {e.strerror or e})"
                self.problems.append(Problem("", why, "warning"))

    def write_archive(self, key: str, suffix: str, n: int, **arrays: Any) -> None:
        """Store NumPy arrays as one entry, an ``.npz`` archive with the key and the corpus's ``n`` sentences
        that :func:`check_entry` reads back, then keep the directory under its cap."""
        import numpy as np

        buf = io.BytesIO()
        np.savez(buf, key=np.array(key), n=np.array(n), **arrays)
        self.write(key, suffix, buf.getvalue())
        if self.written:
            self.evict()

    def entries(self) -> list[tuple[float, int, Path]]:
        """(mtime, size, path) of every entry of either kind, oldest first."""
        out: list[tuple[float, int, Path]] = []
        try:
            it = list(os.scandir(self.directory))
        except OSError:
            return []
        for e in it:
            if not e.name.endswith(ENTRY_SUFFIXES) or e.name.startswith(".tmp-"):
                continue
            try:
                st = e.stat()
            except OSError:
                continue
            out.append((st.st_mtime, st.st_size, Path(e.path)))
        out.sort()
        return out

    def evict(self) -> int:
        """Delete least recently used entries until the total fits the cap; returns how many went."""
        entries = self.entries()
        total = sum(size for _, size, _ in entries)
        gone = 0
        for _, size, path in entries:
            if total <= self.limit:
                break
            try:
                path.unlink()
            except OSError:
                continue
            total -= size
            gone += 1
        return gone

    def clear(self) -> None:
        for _, _, path in self.entries():
            with contextlib.suppress(OSError):
                path.unlink()


class ParseCache(DiskStore):
    """Parsed sentences per source text, on disk; every failure degrades to a miss."""

    what = "parse cache"

    def get(self, key: str, doc_index: int) -> list[Sentence] | None:
        """The cached sentences for ``key`` (with ``doc`` set to ``doc_index``), or None."""

        def decode(data: bytes) -> list[Sentence]:
            payload = _PlainUnpickler(io.BytesIO(data)).load()
            if not (isinstance(payload, tuple) and len(payload) == 3 and payload[0] == _FORMAT and payload[1] == key):
                raise ValueError("not an entry for this key")
            return _decode(payload[2], doc_index)

        return self.load(key, SUFFIX, decode)

    def put(self, key: str, sentences: list[Sentence]) -> None:
        """Store the sentences parsed for ``key``."""
        self.write(key, SUFFIX, pickle.dumps((_FORMAT, key, _encode(sentences)), protocol=pickle.HIGHEST_PROTOCOL))
