"""The seeds' candidate pairs that the development gold labels, with the fact clusters each one touches.

A pair of two must members of one cluster is positive. A pair that touches a quoted sentence
and is neither a must nor a may pair is negative. Other pairs are not judged (as in the gold's
own scorer).
"""

from __future__ import annotations

import itertools
import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

import align
from align.candidates import candidate_pairs
from align.features import Corpus, pair_features
from align.models import Sentence
from align.similarity import sentence_vectors

ROOT = Path(__file__).resolve().parents[1]
GOLD = ROOT.parent / "shared" / "gold" / "seeds_dev.json"
if not GOLD.exists():
    GOLD = ROOT / "tests" / "fixtures" / "seeds_dev.json"


def _norm(text: str) -> str:
    table = str.maketrans(
        {"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"', "\u2013": "-", "\u2014": "-", "\u00a0": " "}
    )
    return " ".join(text.translate(table).lower().split())


@dataclass
class Labelled:
    pairs: list[tuple[int, int]]  # corpus positions
    labels: np.ndarray
    clusters: list[frozenset[str]]  # the gold clusters each pair touches


@dataclass
class SeedCorpus:
    documents: list[align.Document]
    corpus: Corpus
    candidates: list[tuple[Sentence, Sentence]]


@lru_cache(maxsize=1)
def seed_corpus() -> SeedCorpus:
    docs, _ = align.load_documents(None)
    sentences = [s for d in docs for s in d.sentences]
    vectors = sentence_vectors(sentences)
    return SeedCorpus(docs, Corpus(sentences, vectors=vectors), candidate_pairs(docs, vectors=vectors))


def _members(gold: dict, docs: list[align.Document]) -> dict[Sentence, list[tuple[str, str]]]:
    """Each quoted sentence with the (cluster, must|may) memberships of its quotes."""
    key = {d.name[:3]: d for d in docs}
    out: dict[Sentence, list[tuple[str, str]]] = {}
    for c in gold["clusters"]:
        for kind in ("must", "may"):
            for doc, quote in c[kind]:
                q = _norm(quote)
                for s in key[doc].sentences:
                    if q in _norm(s.text):
                        out.setdefault(s, []).append((c["id"], kind))
    return out


@lru_cache(maxsize=1)
def labelled() -> Labelled:
    gold = json.loads(GOLD.read_text(encoding="utf-8"))
    sc = seed_corpus()
    members = _members(gold, sc.documents)
    pairs, labels, clusters = [], [], []
    idx = sc.corpus.index
    for a, b in sc.candidates:
        ma, mb = members.get(a, []), members.get(b, [])
        if not ma and not mb:
            continue
        must = {c for c, k in ma if k == "must"} & {c for c, k in mb if k == "must"}
        may = {c for c, _ in ma} & {c for c, _ in mb}
        if must:
            label = 1
        elif may:
            continue
        else:
            label = 0
        pairs.append((idx[a], idx[b]))
        labels.append(label)
        clusters.append(frozenset(c for c, _ in itertools.chain(ma, mb)))
    return Labelled(pairs, np.asarray(labels), clusters)


@lru_cache(maxsize=1)
def features() -> np.ndarray:
    """The feature rows of the labelled pairs, in their order."""
    return pair_features(seed_corpus().corpus, labelled().pairs)
