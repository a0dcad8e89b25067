"""ECB+ topics parsed as the engine parses them, with the gold's pair labels, for fitting and validating the judge.

Not part of the product: the data stays in ../shared/data/ecbplus and is never shipped. Each topic
folder is loaded as the reader loads a folder (one corpus per topic), and every annotated sentence
is found again among the engine's sentences by its text, as ../shared/eval/ecbplus/score.py does.

Pairs (every cross-document pair of annotated sentences of one topic):
  positive  the two sentences share an event chain;
  in_story  same sub-topic, no shared event chain (one story, two different facts);
  cross     different sub-topics (another event of the same kind).
"""

from __future__ import annotations

import hashlib
import itertools
import json
import pickle
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

import align
from align.models import Document, Sentence
from align.similarity import Scorer

ROOT = Path(__file__).resolve().parents[1]
ECBPLUS = ROOT.parent / "shared" / "data" / "ecbplus"
sys.path.insert(0, str(ROOT.parent / "shared" / "eval" / "ecbplus"))

LABELS = ("positive", "in_story", "cross")


@dataclass
class TopicPairs:
    """One topic's documents as parsed, and its labelled pairs of engine sentences."""

    topic: str
    docs: list[Document]
    pairs: list[tuple[Sentence, Sentence]]
    labels: list[str]  # one of LABELS per pair
    subtopic: dict[int, str]  # document position -> gold sub-topic
    # Per pair: the share of the events either sentence mentions that both do (Jaccard of the
    # gold's action chains). 1: both state the same events; low: one shared event among several.
    shares: list[float]


def topics(corpus: Path = ECBPLUS) -> list[str]:
    return sorted((p.name for p in corpus.iterdir() if p.is_dir()), key=int)


def _load_topic(corpus: Path, t: str) -> TopicPairs:
    from score import Topic  # the evaluation's own mapping of sentences to gold lines

    topic = Topic(corpus, t)
    docs, _ = align.load_documents([corpus / t])
    ids: dict[int, Sentence] = {}
    for d in docs:
        name = Path(d.name).name
        for s in d.sentences:
            line = topic.line_of(name, s.text, s.index)
            sid = topic.sid_of.get((name, line)) if line else None
            if sid is not None:
                ids.setdefault(sid, s)
    pairs: list[tuple[Sentence, Sentence]] = []
    labels: list[str] = []
    shares: list[float] = []
    for a, b in itertools.combinations(sorted(ids), 2):
        lab = topic.label(a, b)
        sa, sb = topic.sent[a], topic.sent[b]
        if (
            lab == "neutral"
            and sa["subtopic"] == sb["subtopic"]
            and not set(sa["action_chains"]) & set(sb["action_chains"])
        ):
            lab = "in_story"
        elif lab == "negative":
            lab = "cross"
        if lab in LABELS and ids[a].doc != ids[b].doc:
            pairs.append((ids[a], ids[b]))
            labels.append(lab)
            ca, cb = set(sa["action_chains"]), set(sb["action_chains"])
            shares.append(len(ca & cb) / max(len(ca | cb), 1))
    subtopic = {k: topic.subtopic.get(Path(d.name).name, "") for k, d in enumerate(docs)}
    return TopicPairs(t, docs, pairs, labels, subtopic, shares)


def load(corpus: Path = ECBPLUS, only: list[str] | None = None) -> list[TopicPairs]:
    """Every topic (or ``only``), parsed once and kept in the user's cache directory, keyed by the engine."""
    from align.cache import cache_dir, engine_fingerprint
    from align.pipeline import pipeline_key

    folder = cache_dir() / "bench-ecbplus"
    folder.mkdir(parents=True, exist_ok=True)
    out = []
    for t in only or topics(corpus):
        h = hashlib.sha256(json.dumps(json.loads((corpus / f"{t}.gold.json").read_text()), sort_keys=True).encode())
        h.update(f"{engine_fingerprint()}|{pipeline_key()}|shares".encode())
        cached = folder / f"{t}-{h.hexdigest()[:16]}.pkl"
        if cached.exists():
            out.append(TopicPairs(*pickle.loads(cached.read_bytes())))
            continue
        tp = _load_topic(corpus, t)
        # A plain tuple: the entry must load whether this module runs as a script or is imported.
        cached.write_bytes(pickle.dumps((tp.topic, tp.docs, tp.pairs, tp.labels, tp.subtopic, tp.shares)))
        print(f"ecbplus: topic {t}: {len(tp.docs)} documents, {len(tp.pairs)} pairs", file=sys.stderr)
        out.append(tp)
    return out


if __name__ == "__main__":
    from collections import Counter

    data = load()
    print(sum(len(t.docs) for t in data), "documents", Counter(lab for t in data for lab in t.labels))


def background_pairs(tp: TopicPairs, count: int, rng: np.random.Generator) -> list[tuple[Sentence, Sentence]]:
    """Up to ``count`` random pairs of unannotated sentences of one sub-topic in different documents
    (headings left out): mostly two different facts of one story, the pairs a reader meets most."""
    annotated = {s for p in tp.pairs for s in p}
    pool = [s for d in tp.docs for s in d.sentences if s not in annotated and not s.heading]
    out: list[tuple[Sentence, Sentence]] = []
    for _ in range(count * 5):
        if len(out) >= count or len(pool) < 2:
            break
        a, b = (pool[k] for k in rng.integers(0, len(pool), 2))
        if a.doc != b.doc and tp.subtopic[a.doc] == tp.subtopic[b.doc]:
            out.append((a, b))
    return out


def ranking(data: list[TopicPairs], scorer: Callable[[list[Sentence]], Any]) -> dict[str, float]:
    """ROC-AUC of a scorer (built per topic over its sentences) within one story and across stories,
    beside rapidfuzz's token_set_ratio, and the scorer's pairs per second (corpus statistics included).

    A pair the aligner would read again with the scorer's cross-encoder (align/rereading.py, every
    such pair: the budget limits a corpus's candidates) is scored so here too, and the cross-encoder's
    own pairs per second are given beside the judge's."""
    from rapidfuzz import fuzz
    from score import norm
    from sklearn.metrics import roc_auc_score

    from align.rereading import read_again

    y, own, tok = [], [], []
    seconds, read_seconds, read = 0.0, 0.0, 0
    for tp in data:
        t = time.perf_counter()
        judge = scorer([s for d in tp.docs for s in d.sentences])
        scores = judge.score_many(tp.pairs)
        seconds += time.perf_counter() - t
        t = time.perf_counter()
        read += read_again(judge, tp.pairs, scores, align.DEFAULT_THRESHOLD)
        read_seconds += time.perf_counter() - t
        own += scores
        tok += [fuzz.token_set_ratio(norm(a.text), norm(b.text)) for a, b in tp.pairs]
        y += tp.labels
    lab = np.asarray(y)

    def auc(s: list[float], negative: str) -> float:
        keep = (lab == "positive") | (lab == negative)
        return float(roc_auc_score(lab[keep] == "positive", np.asarray(s)[keep]))

    return {
        "in_story": auc(own, "in_story"),
        "cross_story": auc(own, "cross"),
        "token_set_in_story": auc(tok, "in_story"),
        "token_set_cross_story": auc(tok, "cross"),
        "pairs_per_second": len(lab) / seconds,
        "read_again": read,
        "read_per_second": read / read_seconds if read_seconds else 0.0,
    }


def export_stories(
    docs: list[Document], scorer: Callable[..., Scorer] = Scorer, threshold: float = align.DEFAULT_THRESHOLD
) -> list[Any]:
    """What ``deal-reader export`` writes for a topic folder: its stories found, each aligned on its own
    by ``scorer(sentences, one_story=True)`` (as the reader's scorer is told each story is one)."""
    return align.align_stories(
        docs, align.find_stories(docs), threshold, cache=False, scorer=lambda ss: scorer(ss, one_story=True)
    )


def export_f1(data: list[TopicPairs], align_topic: Callable[[list[Document]], Any], corpus: Path = ECBPLUS) -> dict:
    """Micro P, R, F1 of CSV exports of each topic (``align_topic(docs)`` -> an Alignment or one per
    story), scored by ../shared/eval/ecbplus/score.py as the project's evaluation scores them."""
    import subprocess
    import tempfile

    with tempfile.TemporaryDirectory() as out:
        for tp in data:
            (Path(out) / f"{tp.topic}.csv").write_text(align.to_csv(align_topic(tp.docs)), encoding="utf-8")
        script = ROOT.parent / "shared" / "eval" / "ecbplus" / "score.py"
        topics = ",".join(tp.topic for tp in data)
        run = subprocess.run(
            [sys.executable, str(script), str(corpus), out, "--topics", topics],
            capture_output=True,
            text=True,
            check=True,
        )
    result: dict = json.loads(run.stdout)
    return result
