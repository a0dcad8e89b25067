"""Score many candidate pairs on every core, by forking workers that inherit the scorer.

Scoring is pure Python, so threads do not help, and a spawned worker would have to rebuild
the scorer (or receive it pickled, which costs as much as scoring). A forked worker inherits
it for free. Forking is only safe from a process with one thread, on Linux: elsewhere (the
reader's worker thread, macOS, Windows) and for small jobs the pairs are scored in-process.
"""

from __future__ import annotations

import os
import sys
import threading
from collections.abc import Sequence

from .models import Sentence
from .similarity import PairScorer

# Below this many pairs a worker's start-up costs more than it saves (forking a pool of two from a
# process holding a scored corpus of a hundred articles: 0.1-0.2 s; 4,000 pairs take 0.5-0.6 s on one core).
MIN_PAIRS = 4_000
ENV_WORKERS = "DEAL_READER_SCORE_WORKERS"

_job: tuple[PairScorer, Sequence[tuple[Sentence, Sentence]]] | None = (
    None  # set just before forking: the workers inherit it
)


def workers() -> int:
    """How many processes to score with: ``$DEAL_READER_SCORE_WORKERS``, else the usable cores."""
    env = os.environ.get(ENV_WORKERS, "")
    try:
        if env:
            return max(1, int(env))
    except ValueError:
        pass
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):
        return max(1, os.cpu_count() or 1)


def can_fork() -> bool:
    """Whether forking workers is safe here: Linux, from a process with one thread."""
    return sys.platform.startswith("linux") and threading.active_count() == 1


def _score_slice(bounds: tuple[int, int]) -> list[float]:
    assert _job is not None, "a worker runs only while score_all has set the job"
    scorer, pairs = _job
    return list(scorer.score_many(pairs[bounds[0] : bounds[1]]))


def score_all(scorer: PairScorer, pairs: Sequence[tuple[Sentence, Sentence]]) -> list[float]:
    """``scorer.score_many(pairs)``, in order; on several cores when that is safe and pays."""
    n = workers()
    if n < 2 or len(pairs) < MIN_PAIRS or not can_fork():
        return list(scorer.score_many(pairs))
    import multiprocessing

    # Score one pair first: a scorer that builds its corpus statistics lazily builds them once, here,
    # and the workers inherit them instead of each building its own.
    scorer.score_many(pairs[:1])
    global _job
    step = -(-len(pairs) // n)
    bounds = [(k, min(len(pairs), k + step)) for k in range(0, len(pairs), step)]
    _job = (scorer, pairs)
    try:
        with multiprocessing.get_context("fork").Pool(len(bounds)) as pool:
            parts = pool.map(_score_slice, bounds)
    except (OSError, RuntimeError):  # no fork allowed, no semaphores: score here
        return list(scorer.score_many(pairs))
    finally:
        _job = None
    return [s for part in parts for s in part]
