"""General-English word frequencies: a prior for IDF weights steadier than a handful of articles give.

``align/data/wordfreq.tsv.gz`` holds the most frequent English words with their Zipf frequency
(log10 of occurrences per billion words: about 7 for "the", 3 for a word seen once per million),
taken from the ``wordfreq`` package by ``bench/build_vectors.py``; ``wordfreq`` itself is not needed
at run time.
"""

from __future__ import annotations

import gzip
from functools import lru_cache
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data" / "wordfreq.tsv.gz"
PRIOR_TOP_ZIPF = 7.0  # Zipf frequency of the commonest words ("the"): rarity 0
PRIOR_FLOOR_ZIPF = 1.0  # at or below this (or unknown), rarity 1


@lru_cache(maxsize=2)
def table(path: Path = DATA) -> dict[str, float]:
    """Word -> Zipf frequency, read once."""
    # One split of the whole text, not a loop over 100,000 lines: a warm start reads it for the stories.
    cells = gzip.decompress(path.read_bytes()).decode("utf-8").rstrip("\n").replace("\t", "\n").split("\n")
    return dict(zip(cells[0::2], map(float, cells[1::2]), strict=True))


def zipf(word: str) -> float:
    """The Zipf frequency of ``word`` (case-insensitive); 0.0 for a word not in the table."""
    return table().get(word.lower(), 0.0)


def rarity(zipf_frequency: float) -> float:
    """A general-English rarity in [0, 1] from a Zipf frequency (0 for 'the', 1 for unknown words)."""
    if zipf_frequency <= PRIOR_FLOOR_ZIPF:
        return 1.0
    return max(0.0, min(1.0, (PRIOR_TOP_ZIPF - zipf_frequency) / (PRIOR_TOP_ZIPF - PRIOR_FLOOR_ZIPF)))
