"""A disk cache of a corpus's scored sentence pairs, so a second look skips candidates and scoring.

Parsing is the floor of the cost and the parse cache (:mod:`align.cache`) removes it on a second
look; what remains is proposing candidate pairs and scoring them, which on a hundred articles
costs several times the rest. Both depend only on the sentences (their text, lemmas, quantities,
order) and on the scoring code, so one entry per corpus holds every scored candidate and every
pair scored on demand while completing facts. The key hashes exactly those inputs: the
sentences as parsed, the source of the module that proposes pairs, and the scorer's own
fingerprint (its code, weights and vectors). A corpus that differs in one sentence is a miss.

Entries are NumPy ``.npz`` archives of sentence positions and scores, read with
``allow_pickle=False`` (a tampered entry cannot run code); a corrupt one is deleted and
rebuilt. They share the parse cache's directory and its size cap.
"""

from __future__ import annotations

import hashlib
import io
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import numpy as np
import numpy.typing as npt

from .cache import DiskStore, check_entry, engine_fingerprint, hash_modules, pair_arrays, pair_scores
from .models import Document, Sentence

SUFFIX = ".scores"
_FORMAT = 2
# Modules whose code decides which pairs are scored: their source is part of every key.
_SCORING_MODULES = ("candidates.py", "alignment.py")

Pair = tuple[Sentence, Sentence]


@lru_cache(maxsize=1)
def scoring_fingerprint() -> str:
    """The parse fingerprint plus a hash of the code that proposes pairs."""
    h = hashlib.sha256(engine_fingerprint().encode())
    hash_modules(h, _SCORING_MODULES)
    return f"{_FORMAT}/{h.hexdigest()[:16]}"


def corpus_key(documents: Sequence[Document], scorer_fingerprint: str) -> str:
    """The key of a corpus: every input the scores depend on, in corpus order, and the scorer's fingerprint."""
    h = hashlib.sha256(scoring_fingerprint().encode())
    h.update(scorer_fingerprint.encode())
    for d in documents:
        h.update(b"\1")
        for s in d.sentences:
            h.update(
                repr((s.index, s.text, s.lemmas, s.lemma_offsets, s.quantities, s.heading)).encode(
                    "utf-8", "surrogatepass"
                )
            )
            h.update(b"\0")
    return h.hexdigest()


@dataclass
class Stored:
    """One corpus's entry: its scored candidates as sentence positions and scores, and its on-demand scores."""

    a: npt.NDArray[np.integer[Any]]
    b: npt.NDArray[np.integer[Any]]
    score: npt.NDArray[np.floating[Any]]
    implied: dict[Pair, float]


class ScoreCache(DiskStore):
    """Scored pairs per corpus, on disk; every failure degrades to a miss."""

    what = "score cache"

    def get(self, key: str, sentences: Sequence[Sentence]) -> Stored | None:
        """The scored candidates (in stored order) and the on-demand scores of this corpus, or None."""

        def decode(data: bytes) -> Stored:
            with np.load(io.BytesIO(data), allow_pickle=False) as z:
                # Checked now: the candidates become pairs only when first read, where a bad entry could no
                # longer be dropped.
                check_entry(z, key, len(sentences), "a", "b", "ia", "ib")
                a, b, v = z["a"], z["b"], z["score"]
                if not len(a) == len(b) == len(v) or a.dtype.kind != "i" or b.dtype.kind != "i" or v.dtype.kind != "f":
                    raise ValueError("not a table of pairs")
                implied = pair_scores(z, sentences, "ia", "ib", "iscore")
            return Stored(a, b, v, implied)

        return self.load(key, SUFFIX, decode)

    def put(
        self,
        key: str,
        sentences: Sequence[Sentence],
        scored: Sequence[tuple[Sentence, Sentence, float]],
        implied: Mapping[Pair, float],
    ) -> None:
        """Store the scores of one corpus, then keep the directory under its cap."""
        pos = {s: k for k, s in enumerate(sentences)}
        a, b, v = pair_arrays(scored, pos)
        ia, ib, iv = pair_arrays([(x, y, s) for (x, y), s in implied.items()], pos)
        self.write_archive(key, SUFFIX, len(sentences), a=a, b=b, score=v, ia=ia, ib=ib, iscore=iv)
