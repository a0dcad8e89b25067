"""A disk cache of what one threshold makes of a corpus's scores: the chosen pairs and the facts.

The score cache (:mod:`align.scorecache`) spares a second look the scoring; what it left is
choosing the pairs (selection, completion, each pair's conflicts and copy verdict) and grouping
them into facts, which on a hundred articles costs several times everything else a warm export
does (merging cliques into facts follows the number of links). Both are functions of the scores,
the threshold, the reader's corrections and the code, so two kinds of entry hold them:

- ``.pairs``: the pairs chosen at one threshold, with their verdicts and the scores of the
  implied pairs the choice read, keyed by the corpus's score key, the threshold, the selection's
  settings and the source of the code that chooses pairs and judges them (:func:`pairs_key`);
- ``.facts``: the facts, as sentence positions, keyed by the pairs' key, the corrections, the
  merge's settings and the source of the facts code (:func:`facts_key`).

Entries are NumPy ``.npz`` archives of positions and scores, read with ``allow_pickle=False``;
a corrupt or foreign one is deleted and rebuilt (:class:`align.cache.DiskStore`). They share the
parse cache's directory, its size cap and ``--no-cache``.
"""

from __future__ import annotations

import hashlib
import io
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from .cache import DiskStore, check_entry, hash_modules, pair_arrays, pair_scores
from .models import AlignedPair, Conflict, Quantity, Sentence

PAIRS = ".pairs"
FACTS = ".facts"
_FORMAT = 1
# Modules whose code decides which pairs are chosen and what is said of each (conflicts, copies).
_PAIR_MODULES = ("alignment.py", "conflicts.py", "copies.py", "quantities.py", "models.py")
# ...and how the chosen pairs become facts.
_FACT_MODULES = ("facts.py",)

Pair = tuple[Sentence, Sentence]


@lru_cache(maxsize=2)
def _code(modules: tuple[str, ...]) -> str:
    h = hashlib.sha256()
    hash_modules(h, modules)
    return h.hexdigest()


def _hash(*parts: object) -> str:
    h = hashlib.sha256()
    for part in parts:
        h.update(part if isinstance(part, bytes) else repr(part).encode("utf-8", "surrogatepass"))
        h.update(b"\0")
    return h.hexdigest()


def pairs_key(scores_key: str, threshold: float, settings: Sequence[float]) -> str:
    """The key of the pairs one threshold chooses: the corpus's score key, the threshold, the settings the
    selection reads when it runs (bench scripts vary them) and the source of the code."""
    return _hash(_FORMAT, PAIRS, scores_key, threshold, tuple(settings), _code(_PAIR_MODULES))


def facts_key(
    pairs_key: str,
    position: Mapping[Sentence, int],
    corrections: tuple[Iterable[Pair], Sequence[Pair]],
    settings: Sequence[float],
) -> str:
    """The key of the facts: the chosen pairs' key, the corrections (rejected, added), the merge's settings
    and the source of the facts code.

    The scores the merge reads are fixed by ``pairs_key``: the candidates' by the score key inside
    it, the on-demand ones by the choice (the merge reads those the threshold's completion read).
    """
    rejected, added = corrections
    return _hash(
        _FORMAT,
        FACTS,
        pairs_key,
        sorted((position[a], position[b]) for a, b in rejected),
        [(position[a], position[b]) for a, b in added],
        tuple(settings),
        _code(_FACT_MODULES),
    )


@dataclass
class Chosen:
    """The pairs one threshold chose, with their verdicts, and the on-demand scores the choice read."""

    pairs: list[AlignedPair]
    implied: dict[Pair, float]


class FactCache(DiskStore):
    """Chosen pairs and facts per corpus, threshold and corrections, on disk; every failure degrades to a miss."""

    what = "fact cache"

    def get_pairs(self, key: str, sentences: Sequence[Sentence]) -> Chosen | None:
        """The pairs chosen under ``key`` (in the order chosen), or None."""

        def decode(data: bytes) -> Chosen:
            with np.load(io.BytesIO(data), allow_pickle=False) as z:
                check_entry(z, key, len(sentences), "a", "b", "ia", "ib")
                a, b, score, copy = z["a"].tolist(), z["b"].tolist(), z["score"].tolist(), z["copy"].tolist()
                found: dict[int, tuple[Conflict, ...]] = {}
                for k, i, j in zip(z["cpair"].tolist(), z["cqa"].tolist(), z["cqb"].tolist(), strict=True):
                    if min(k, i, j) < 0:
                        raise ValueError("a negative index")
                    x, y = sentences[a[k]], sentences[b[k]]
                    found[k] = (*found.get(k, ()), Conflict(x, y, x.quantities[i], y.quantities[j]))
                implied = pair_scores(z, sentences, "ia", "ib", "iscore")
            none = ()
            pairs = [
                AlignedPair(sentences[i], sentences[j], s, found.get(k, none), c)
                for k, (i, j, s, c) in enumerate(zip(a, b, score, copy, strict=True))
            ]
            return Chosen(pairs, implied)

        return self.load(key, PAIRS, decode)

    def put_pairs(self, key: str, position: Mapping[Sentence, int], chosen: Chosen) -> None:
        """Store the pairs chosen under ``key`` (``position``: each sentence's place in the corpus)."""
        a, b, score = pair_arrays([(p.a, p.b, p.score) for p in chosen.pairs], position)
        conflicts = [(k, _index(c.qa, p.a), _index(c.qb, p.b)) for k, p in enumerate(chosen.pairs) for c in p.conflicts]
        ia, ib, iscore = pair_arrays([(x, y, s) for (x, y), s in chosen.implied.items()], position)
        self.write_archive(
            key,
            PAIRS,
            len(position),
            a=a,
            b=b,
            score=score,
            copy=np.array([p.copy for p in chosen.pairs], dtype=bool),
            cpair=np.array([k for k, _, _ in conflicts], dtype=np.int64),
            cqa=np.array([i for _, i, _ in conflicts], dtype=np.int64),
            cqb=np.array([j for _, _, j in conflicts], dtype=np.int64),
            ia=ia,
            ib=ib,
            iscore=iscore,
        )

    def get_facts(self, key: str, sentences: Sequence[Sentence]) -> list[list[Sentence]] | None:
        """The facts stored under ``key``, each a list of sentences, in their order, or None."""

        def decode(data: bytes) -> list[list[Sentence]]:
            with np.load(io.BytesIO(data), allow_pickle=False) as z:
                check_entry(z, key, len(sentences), "members")
                members, sizes = z["members"].tolist(), z["sizes"].tolist()
            if sum(sizes) != len(members) or any(size < 1 for size in sizes):
                raise ValueError("sizes do not add up")
            out, start = [], 0
            for size in sizes:
                out.append([sentences[k] for k in members[start : start + size]])
                start += size
            return out

        return self.load(key, FACTS, decode)

    def put_facts(self, key: str, position: Mapping[Sentence, int], groups: Sequence[Sequence[Sentence]]) -> None:
        """Store the facts' sentences under ``key`` (``position``: each sentence's place in the corpus)."""
        members = np.array([position[s] for g in groups for s in g], dtype=np.int64)
        sizes = np.array([len(g) for g in groups], dtype=np.int64)
        self.write_archive(key, FACTS, len(position), members=members, sizes=sizes)


def _index(q: Quantity, s: Sentence) -> int:
    """Where the figure ``q`` stands among its sentence's figures (the very object, not an equal one)."""
    return next(k for k, x in enumerate(s.quantities) if x is q)
