"""Copies: the same article given twice, and sentences one article took near-verbatim from another.

Two inputs are one article when their texts are equal or rapidfuzz's ``ratio`` over the whole
text (after folding case, quotes, dashes and white space) is at least
:data:`DUPLICATE_RATIO`. Comparing every pair of whole texts costs about half a millisecond a
pair, too much for hundreds of articles, so past a dozen texts a bottom-k sketch of each
text's word 4-grams proposes the pairs worth comparing (MinHash-style): a near-verbatim copy
shares most of its shingles and so most of its sketch, different articles share little.

An aligned sentence pair is a copy when both sentences are long enough to be more than a
stock phrase and their ``ratio`` is at least :data:`COPY_RATIO`: a wire copy or a pasted
press release, which repeats a claim rather than confirming it.
"""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from collections.abc import Sequence
from functools import lru_cache
from itertools import combinations
from pathlib import Path
from typing import TYPE_CHECKING

from rapidfuzz import fuzz

from .problems import Problem

if TYPE_CHECKING:
    from .models import Sentence
    from .sources import Source

DUPLICATE_RATIO = 95.0  # whole texts, 0..100
COPY_RATIO = 92.0  # one sentence against another, 0..100
COPY_MIN_WORDS = 8  # shorter sentences (headings, stock phrases) are never called copies
SHINGLE = 4  # words per shingle in the duplicate pre-filter
SKETCH = 48  # shingle hashes kept per text
SKETCH_SHARE = 0.3  # share of the sketch two texts must have in common to be compared

_FOLD = str.maketrans(
    {
        "‘": "'",
        "’": "'",
        "‚": "'",
        "′": "'",
        "“": '"',
        "”": '"',
        "„": '"',
        "″": '"',
        "–": "-",
        "—": "-",
        "‐": "-",
        "‑": "-",
        "−": "-",
        "\u00a0": " ",
        "…": "...",
    }
)
_MIX = (0x9E3779B1, 0x85EBCA77, 0xC2B2AE3D, 0x27D4EB2F)  # odd multipliers mixing the words of a shingle
_WORD = re.compile(r"\w+")


def fold(text: str) -> str:
    """Text compared for copying: case, typographic quotes and dashes, and runs of white space folded."""
    return " ".join(text.translate(_FOLD).casefold().split())


def _sketch(text: str) -> frozenset[int]:
    """The SKETCH smallest hashes of the text's word shingles (a bottom-k sketch of its shingle set)."""
    import numpy as np

    words = np.fromiter((hash(w) for w in _WORD.findall(text)), dtype=np.int64)
    if len(words) < SHINGLE:
        return frozenset((hash(tuple(words.tolist())),))
    with np.errstate(over="ignore"):  # wrapping multiplication is the hash
        grams = np.zeros(len(words) - SHINGLE + 1, dtype=np.int64)
        for k, mult in enumerate(_MIX):
            grams = grams * np.int64(mult) + words[k : len(words) - SHINGLE + 1 + k]
    # Sorted and deduplicated by hand: np.unique would import numpy.ma (0.1 s) to check for a mask.
    grams.sort()
    grams = grams[np.concatenate(([True], grams[1:] != grams[:-1]))]
    if len(grams) > SKETCH:
        grams = np.partition(grams, SKETCH)[:SKETCH]
    return frozenset(grams.tolist())


def _candidate_pairs(folded: Sequence[str]) -> list[tuple[int, int]]:
    """Pairs (i < j) whose lengths allow the ratio and, past a handful of texts, whose sketches agree."""
    n = len(folded)
    lengths = [len(t) for t in folded]

    def length_ok(i: int, j: int) -> bool:
        la, lb = lengths[i], lengths[j]
        return 200.0 * min(la, lb) / max(la + lb, 1) >= DUPLICATE_RATIO

    if n <= 12:  # a handful of articles: compare every pair the lengths allow
        return [(i, j) for i in range(n) for j in range(i + 1, n) if length_ok(i, j)]
    sketches = [_sketch(t) for t in folded]
    postings: dict[int, list[int]] = defaultdict(list)
    for i, sk in enumerate(sketches):
        for h in sk:
            postings[h].append(i)
    shared: Counter[tuple[int, int]] = Counter()
    for docs in postings.values():
        if len(docs) > 1:
            shared.update(combinations(docs, 2))
    return sorted(
        (i, j)
        for (i, j), k in shared.items()
        if k >= SKETCH_SHARE * min(len(sketches[i]), len(sketches[j])) and length_ok(i, j)
    )


def find_duplicates(sources: Sequence[Source]) -> tuple[list[Source], list[Problem]]:
    """The sources with each repeated article kept once (its first occurrence), and a note per repeat.

    The kept source's ``metadata["duplicates"]`` names the inputs that repeated it (``, ``-joined),
    so the reader and the JSON export show both; the repeats themselves are dropped.
    """
    folded = [fold(s.text) for s in sources]
    keep_of = list(range(len(sources)))  # union-find parent: the first occurrence of each article

    def root(i: int) -> int:
        while keep_of[i] != i:
            keep_of[i] = keep_of[keep_of[i]]
            i = keep_of[i]
        return i

    ratio_of: dict[int, float] = {}
    for i, j in _candidate_pairs(folded):
        if root(j) != j or root(i) == root(j):
            continue
        if folded[i] == folded[j]:
            r = 100.0
        else:
            r = fuzz.ratio(folded[i], folded[j], score_cutoff=DUPLICATE_RATIO)
            if not r:
                continue
        keep_of[j] = root(i)
        ratio_of[j] = r
    kept: list[Source] = []
    problems: list[Problem] = []
    for j, src in enumerate(sources):
        k = root(j)
        if k == j:
            kept.append(src)
            continue
        first = sources[k]
        if src.path and first.path and Path(src.path).resolve() == Path(first.path).resolve():
            problems.append(Problem(src.path, "named more than once; read once", "note"))
            continue
        if ratio_of[j] >= 100.0:
            how = "the same text as"
        else:
            how = f"a near-verbatim copy ({math.floor(ratio_of[j])}% identical) of"
        problems.append(
            Problem(src.path or src.name, f"{how} {first.path or first.name}; shown once, as {first.name}", "note")
        )
        names = [x for x in first.metadata.get("duplicates", "").split(", ") if x]
        first.metadata["duplicates"] = ", ".join([*names, src.path or src.name])
    return kept, problems


@lru_cache(maxsize=1 << 16)
def _folded(text: str) -> tuple[str, int]:
    """A sentence folded for comparison, and its number of words (a sentence is in many pairs: fold it once)."""
    f = fold(text)
    return f, len(f.split())


def is_copy(a: Sentence, b: Sentence) -> bool:
    """Whether two aligned sentences are near-verbatim the same text (a copy, not a confirmation)."""
    (ta, na), (tb, nb) = _folded(a.text), _folded(b.text)
    if min(na, nb) < COPY_MIN_WORDS:
        return False
    return ta == tb or fuzz.ratio(ta, tb, score_cutoff=COPY_RATIO) > 0
