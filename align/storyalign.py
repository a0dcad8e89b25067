"""Align a corpus story by story, so no pair, fact or conflict ever joins two stories.

Each story is aligned as a corpus of its own (its documents renumbered from 0), exactly as if
only its documents had been given: a corpus of one story is aligned as before. The default scorer
is told each corpus is one story (:func:`story_scorer`): a story split again on its own may part. Several stories
are aligned on every core by forked workers (Linux, from a process with one thread, as
:mod:`align.parallel` scores), each returning its scores; the parent rebuilds the alignments.
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from .alignment import DEFAULT_THRESHOLD, Alignment, ScoredPair, align
from .models import Document, Sentence
from .parallel import ENV_WORKERS, can_fork, workers
from .problems import Problem
from .similarity import Scorer, ScorerFactory
from .stories import Story

if TYPE_CHECKING:
    from .cache import DiskStore

# (story position, sentence positions and score of every scored pair, implied pairs alike, cache problems, score
# key, refined)
Scores = tuple[
    int, list[tuple[int, int, int, int, float]], list[tuple[int, int, int, int, float]], list[Problem], str, bool
]
# Called with (stories aligned, stories in all) as each story is done.
Progress = Callable[[int, int], None]

# (corpora, threshold, cache, group facts, refine): set before forking, workers inherit it
_job: tuple[list[list[Document]], float, bool | None, bool, bool] | None = None


def story_scorer(sentences: Sequence[Sentence]) -> Scorer:
    """The default scorer over one story's sentences: every pair of its articles tells one story."""
    return Scorer(sentences, one_story=True)


def story_corpus(docs: Sequence[Document], story: Story) -> list[Document]:
    """The story's documents as a corpus of their own, sentences renumbered to their new positions.

    When the story is the whole corpus in order, the documents themselves (nothing is copied).
    """
    if list(story.documents) == list(range(len(docs))):
        return list(docs)
    out = []
    for k, i in enumerate(story.documents):
        d = docs[i]
        copy = dataclasses.replace(d, sentences=[dataclasses.replace(s, doc=k) for s in d.sentences])
        copy.metadata = dict(d.metadata)
        out.append(copy)
    return out


def align_stories(
    docs: Sequence[Document],
    stories: Sequence[Story],
    threshold: float = DEFAULT_THRESHOLD,
    cache: bool | DiskStore | None = None,
    progress: Progress | None = None,
    scorer: ScorerFactory = Scorer,
    facts: bool = True,
    refine: bool = True,
) -> list[Alignment]:
    """One :class:`Alignment` per story, in the stories' order, each over :func:`story_corpus`.

    ``cache`` and ``scorer`` as for :func:`align.align`; ``progress`` hears of each story done.
    ``facts``: group each story's facts now (on every core, when the stories are aligned by forked
    workers); without it they are grouped on first use, and a pairs export never groups them.
    ``refine`` as for :func:`align.align`.
    """
    corpora = [story_corpus(docs, s) for s in stories]
    total = len(corpora)
    # A given store or scorer factory stays in this process (a worker could not share what it holds).
    if total > 1 and scorer is Scorer and (cache is None or isinstance(cache, bool)) and workers() > 1 and can_fork():
        got = _align_forked(corpora, threshold, cache, progress, facts, refine)
        if got is not None:
            return got
    out = []
    for k, corpus in enumerate(corpora):
        result = align(
            corpus, threshold, cache=cache, scorer=story_scorer if scorer is Scorer else scorer, refine=refine
        )
        out.append(result.with_facts() if facts else result)
        if progress:
            progress(k + 1, total)
    return out


def _align_one(k: int) -> Scores:
    """Align story ``k`` in a forked worker: its scores by sentence position (pickled back cheaply)."""
    assert _job is not None, "a worker runs only while align_stories has set the job"
    corpora, threshold, cache, facts, refine = _job
    os.environ[ENV_WORKERS] = "1"  # a pool's worker may not fork workers of its own
    result = align(corpora[k], threshold, cache=cache, scorer=story_scorer, refine=refine)
    if facts and result.fact_cache is not None:
        result.with_facts()  # stored in the fact cache, where the parent reads them back (without one, it groups)
    rows = [(p.a.doc, p.a.index, p.b.doc, p.b.index, p.score) for p in result.scored]
    implied = [(a.doc, a.index, b.doc, b.index, s) for (a, b), s in result.implied.items()]
    return k, rows, implied, result.problems, result.scores_key, result.refined


def _align_forked(
    corpora: list[list[Document]],
    threshold: float,
    cache: bool | None,
    progress: Progress | None,
    facts: bool,
    refine: bool,
) -> list[Alignment] | None:
    import multiprocessing

    global _job
    _job = (corpora, threshold, cache, facts, refine)
    found: dict[int, Scores] = {}
    try:
        # Largest stories first, so one big story does not start last and run alone.
        order = sorted(range(len(corpora)), key=lambda k: -sum(len(d.sentences) for d in corpora[k]))
        with multiprocessing.get_context("fork").Pool(min(workers(), len(corpora))) as pool:
            for got in pool.imap_unordered(_align_one, order):
                found[got[0]] = got
                if progress:
                    progress(len(found), len(corpora))
    except (OSError, RuntimeError):  # no fork allowed, no semaphores: align here
        return None
    finally:
        _job = None
    from .cache import open_store
    from .factcache import FactCache

    # The workers stored each story's pairs and facts under its score key: rebuilding reads them back.
    store = open_store(cache, FactCache)
    out = []
    for k, corpus in enumerate(corpora):
        _, rows, implied, problems, key, refined = found[k]
        sent = [d.sentences for d in corpus]
        scored = [ScoredPair(sent[a][i - 1], sent[b][j - 1], s) for a, i, b, j, s in rows]
        known = {(sent[a][i - 1], sent[b][j - 1]): s for a, i, b, j, s in implied}
        sentences = [s for d in corpus for s in d.sentences]
        result = Alignment(
            corpus, threshold, scored, story_scorer(sentences), known, fact_cache=store, scores_key=key, refined=refined
        )
        result.problems = problems
        out.append(result.with_facts() if facts else result)
    return out
