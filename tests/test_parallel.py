"""Scoring on several cores: the same scores, in the same order, as scoring in-process."""

from __future__ import annotations

import sys
import threading

import pytest

from align import parallel
from align.candidates import candidate_pairs
from align.similarity import Scorer


@pytest.fixture
def seed_job(seed_documents):
    scorer = Scorer([s for d in seed_documents for s in d.sentences])
    terms = {s: list(scorer.blocking_terms(s)) for d in seed_documents for s in d.sentences}
    return scorer, candidate_pairs(seed_documents, terms)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="workers are forked on Linux only")
def test_forked_workers_give_the_same_scores_in_order(seed_job, monkeypatch):
    scorer, pairs = seed_job
    serial = [scorer.score(a, b) for a, b in pairs]
    monkeypatch.setattr(parallel, "MIN_PAIRS", 1)
    monkeypatch.setattr(parallel, "can_fork", lambda: True)
    monkeypatch.setenv(parallel.ENV_WORKERS, "3")
    import multiprocessing

    forked = []
    real = multiprocessing.get_context

    def spy(method=None):
        forked.append(method)
        return real(method)

    monkeypatch.setattr(multiprocessing, "get_context", spy)
    assert parallel.score_all(scorer, pairs) == serial
    assert forked == ["fork"]


def test_small_jobs_and_threads_score_in_process(seed_job, monkeypatch):
    scorer, pairs = seed_job
    import multiprocessing

    monkeypatch.setattr(multiprocessing, "get_context", lambda *a: pytest.fail("forked"))
    monkeypatch.setenv(parallel.ENV_WORKERS, "2")
    assert parallel.score_all(scorer, pairs[:10]) == [scorer.score(a, b) for a, b in pairs[:10]]
    monkeypatch.setattr(parallel, "MIN_PAIRS", 1)
    got = []
    t = threading.Thread(target=lambda: got.append(parallel.score_all(scorer, pairs[:50])))
    t.start()
    t.join()
    assert got == [[scorer.score(a, b) for a, b in pairs[:50]]]


@pytest.mark.parametrize("env, expected", [("1", 1), ("4", 4), ("0", 1), ("many", None)])
def test_worker_count_from_the_environment(monkeypatch, env, expected):
    monkeypatch.setenv(parallel.ENV_WORKERS, env)
    n = parallel.workers()
    assert n == expected if expected is not None else n >= 1
