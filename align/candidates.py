"""Candidate sentence pairs from sparse products, so alignment does not visit every pair in Python.

Each sentence becomes a sparse vector over *blocking keys* derived from the scorer's terms:

- ``w:lemma`` for every content lemma;
- ``p:abcde`` for every lemma of at least ``PREFIX_MIN`` letters (one word family: invest,
  investment), so the scorer's part credit for shared prefixes is reachable;
- the quantity term itself (same figure), and ``q:kind:unit:bucket`` for two neighbouring
  buckets of log base ``NEAR_RATIO`` of its value, so two figures of one kind within the
  scorer's ratio always share a key (its part credit for near figures).

Keys weigh their inverse sentence frequency; keys in only one sentence (no pair) and
ubiquitous keys (in more than ``UBIQUITOUS_SHARE`` of the sentences, once the corpus is large
enough for that to mean "the topic words") are dropped. Rows are L2-normalised and the cosine
of every cross-document pair sharing a key comes from ``X[chunk] @ X.T`` in scipy, chunk by
chunk so memory stays bounded; a pair at or above ``MIN_COSINE`` is proposed when it is among the
``MAX_PER_SENTENCE`` best of either of its sentences. Only those go through the full scorer.

A restatement in other words may share no key ("collaboration" / "cooperation"), so each
sentence's ``EMBEDDING_NEIGHBOURS`` nearest sentences of other documents by embedding cosine
(at least ``EMBEDDING_MIN_COSINE``) are proposed too.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence

import numpy as np
from scipy import sparse

from .features import PREFIX_MIN, ordered_terms
from .models import Document, Sentence
from .quantities import NEAR_RATIO

# Cosine over blocking keys at or above which a pair may be scored. On the seeds the aligned
# pairs are then identical to scoring every pair at the default threshold and above, and at
# least nine in ten of them far below it, at 0.2 (tests/test_candidates.py).
MIN_COSINE = 0.03
# A key in more than this share of the sentences is a topic word: it links nearly everything.
UBIQUITOUS_SHARE = 0.2
# ...but only once the corpus has this many sentences; small corpora keep every key.
UBIQUITOUS_MIN_SENTENCES = 2000
# A pair is scored only when it is among the best this many (by cosine) of one of its sentences:
# what keeps the scored pairs linear in the corpus (~50 n) where topic words link everything.
MAX_PER_SENTENCE = 50
CHUNK_ROWS = 1024
# Each sentence's nearest neighbours by embedding are proposed too, when at least this close:
# a restatement in other words ("collaboration" / "cooperation") may share no blocking key.
EMBEDDING_NEIGHBOURS = 5
EMBEDDING_MIN_COSINE = 0.5
# The scorer leans on figures (same figure, near figure, same role): so do the keys.
QUANTITY_TERM_WEIGHT = 2.0
QUANTITY_KEY_WEIGHT = 1.0


def blocking_keys(terms: Iterable[str]) -> dict[str, float]:
    """The keys of one sentence's terms, each with a multiplier of its IDF weight."""
    pmin, ratio = PREFIX_MIN, NEAR_RATIO
    keys: dict[str, float] = {}
    for t in terms:
        if t.startswith("#"):
            keys[t] = QUANTITY_TERM_WEIGHT
            try:
                kind, unit, value = t[1:].split(":", 2)
                v = abs(float(value))
            except ValueError:
                continue
            if v > 0 and kind not in ("year", "date") and math.isfinite(v):
                b = math.floor(math.log(v) / math.log(ratio))
                for k in (b, b + 1):
                    keys.setdefault(f"q:{kind}:{unit}:{k}", QUANTITY_KEY_WEIGHT)
        else:
            keys[f"w:{t}"] = 1.0
            if len(t) >= pmin:
                keys.setdefault(f"p:{t[:pmin]}", 1.0)
    return keys


def _terms_of(s: Sentence, terms: Mapping[Sentence, Iterable[str]] | None) -> Iterable[str]:
    if terms is not None and s in terms:
        return terms[s]
    return ordered_terms(s)


def key_matrix(
    sentences: Sequence[Sentence], terms: Mapping[Sentence, Iterable[str]] | None = None
) -> sparse.csr_matrix:
    """The L2-normalised sentence x key TF-IDF matrix (CSR) over the kept blocking keys."""
    per_sentence = [blocking_keys(_terms_of(s, terms)) for s in sentences]
    n = len(sentences)
    df: dict[str, int] = defaultdict(int)
    for keys in per_sentence:
        for k in keys:
            df[k] += 1
    cap = UBIQUITOUS_SHARE * n if n >= UBIQUITOUS_MIN_SENTENCES else n + 1
    vocab: dict[str, int] = {}
    idf: list[float] = []
    for k, c in sorted(df.items()):  # a fixed column order: products sum in the same order every run
        if 2 <= c <= cap:
            vocab[k] = len(idf)
            idf.append(math.log((n + 1) / c))
    indptr = [0]
    indices: list[int] = []
    data: list[float] = []
    for keys in per_sentence:
        row = sorted((vocab[k], mult) for k, mult in keys.items() if k in vocab)
        indices.extend(col for col, _ in row)
        data.extend(idf[col] * mult for col, mult in row)
        indptr.append(len(indices))
    x = sparse.csr_matrix(
        (np.asarray(data, dtype=np.float64), np.asarray(indices, dtype=np.int64), np.asarray(indptr, dtype=np.int64)),
        shape=(n, max(len(vocab), 1)),
    )
    norms = np.sqrt(np.asarray(x.multiply(x).sum(axis=1)).ravel())
    norms[norms == 0] = 1.0
    return sparse.csr_matrix(sparse.diags(1.0 / norms) @ x)


def candidate_indices(
    x: sparse.csr_matrix, doc_of: np.ndarray, min_cosine: float = MIN_COSINE, max_per_sentence: int = MAX_PER_SENTENCE
) -> tuple[np.ndarray, np.ndarray]:
    """Row pairs (i, j), ``doc_of[i] < doc_of[j]``, with a cosine of at least ``min_cosine`` that are
    among the ``max_per_sentence`` best cross-document pairs of i or of j.

    ``X[chunk] @ X.T`` is computed chunk by chunk, so memory stays bounded by the chunk's pairs.
    """
    n = x.shape[0]
    xt = sparse.csr_matrix(x.T)
    out_i: list[np.ndarray] = []
    out_j: list[np.ndarray] = []
    for r0 in range(0, n, CHUNK_ROWS):
        r1 = min(n, r0 + CHUNK_ROWS)
        block = x[r0:r1] @ xt
        # Work on the CSR arrays directly, filtering before anything else touches the tens of
        # millions of products a large corpus makes. Rows stay in order throughout.
        rows = np.repeat(np.arange(r0, r1, dtype=np.int64), np.diff(block.indptr))
        keep = block.data >= min_cosine
        i, j, v = rows[keep], block.indices[keep].astype(np.int64), block.data[keep]
        keep = doc_of[j] != doc_of[i]
        i, j, v = i[keep], j[keep], v[keep]
        if max_per_sentence and len(i):
            keep = _best_per_row(i, j, v, r0, r1, max_per_sentence)
            i, j = i[keep], j[keep]
        out_i.append(np.minimum(i, j))
        out_j.append(np.maximum(i, j))
    if not out_i:
        return np.zeros(0, np.int64), np.zeros(0, np.int64)
    # A pair in both sentences' lists comes twice: once from each side.
    pairs = np.unique(np.concatenate(out_i) * n + np.concatenate(out_j))
    return pairs // n, pairs % n


def _best_per_row(i: np.ndarray, j: np.ndarray, v: np.ndarray, r0: int, r1: int, k: int) -> np.ndarray:
    """Mask of the ``k`` best entries (by ``v``) of each row in ``i`` (rows r0..r1, in order); ties
    at the cut go to the smaller column (the earlier sentence).

    A partition per crowded row, not a sort of everything: on 300 x 50 sentences a chunk holds
    millions of products and sorting them cost more than the product itself.
    """
    bounds = np.searchsorted(i, np.arange(r0, r1 + 1, dtype=np.int64), side="left")
    keep = np.ones(len(i), dtype=bool)
    for r in np.flatnonzero(np.diff(bounds) > k).tolist():
        s, e = int(bounds[r]), int(bounds[r + 1])
        seg = v[s:e]
        kth = np.partition(seg, len(seg) - k)[len(seg) - k]  # the k-th largest value
        mask = seg > kth
        ties = np.flatnonzero(seg == kth)
        room = k - int(mask.sum())
        if len(ties) > room:
            ties = ties[np.argsort(j[s + ties], kind="stable")[:room]]
        mask[ties] = True
        keep[s:e] = mask
    return keep


def nearest_indices(
    vectors: np.ndarray, doc_of: np.ndarray, k: int = EMBEDDING_NEIGHBOURS, min_cosine: float = EMBEDDING_MIN_COSINE
) -> tuple[np.ndarray, np.ndarray]:
    """Row pairs (i, j), i < j, in different documents, where j is among the ``k`` nearest of i by
    embedding cosine (unit rows), at ``min_cosine`` or above: restatements that share no word."""
    n = vectors.shape[0]
    out: list[np.ndarray] = []
    k = min(k, n - 1)
    if k <= 0:
        return np.zeros(0, np.int64), np.zeros(0, np.int64)
    for r0 in range(0, n, CHUNK_ROWS):
        r1 = min(n, r0 + CHUNK_ROWS)
        sims = vectors[r0:r1] @ vectors.T
        sims[doc_of[r0:r1, None] == doc_of[None, :]] = -1.0
        top = np.argpartition(-sims, k - 1, axis=1)[:, :k]
        rows = np.repeat(np.arange(r0, r1, dtype=np.int64), k)
        cols = top.ravel().astype(np.int64)
        keep = sims[rows - r0, cols] >= min_cosine
        rows, cols = rows[keep], cols[keep]
        out.append(np.minimum(rows, cols) * n + np.maximum(rows, cols))
    pairs = np.unique(np.concatenate(out)) if out else np.zeros(0, np.int64)
    return pairs // n, pairs % n


def candidate_pairs(
    documents: Sequence[Document],
    terms: Mapping[Sentence, Iterable[str]] | None = None,
    min_cosine: float = MIN_COSINE,
    vectors: np.ndarray | None = None,
) -> list[tuple[Sentence, Sentence]]:
    """Cross-document pairs worth scoring (a from an earlier document than b), in corpus order.

    ``vectors``: one unit embedding row per sentence (corpus order); when given, each sentence's
    nearest neighbours by embedding are proposed too.
    """
    sentences = [s for d in documents for s in d.sentences]
    if not sentences:
        return []
    n = len(sentences)
    doc_of = np.fromiter((k for k, d in enumerate(documents) for _ in d.sentences), dtype=np.int64, count=n)
    i, j = candidate_indices(key_matrix(sentences, terms), doc_of, min_cosine)
    if vectors is not None and len(vectors) == n:
        ei, ej = nearest_indices(vectors, doc_of)
        both = np.unique(np.concatenate([i * n + j, ei * n + ej]))
        i, j = both // n, both % n
    return [(sentences[a], sentences[b]) for a, b in zip(i.tolist(), j.tolist(), strict=True)]


def all_pairs(documents: Sequence[Document]) -> Iterable[tuple[Sentence, Sentence]]:
    """Every cross-document sentence pair: the reference the candidate step is tested against."""
    for k, da in enumerate(documents):
        for db in documents[k + 1 :]:
            for a in da.sentences:
                for b in db.sentences:
                    yield a, b
