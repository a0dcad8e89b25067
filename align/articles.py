"""How alike two articles are as wholes: their mean sentence vectors and their weighted term bags.

Two sentences are likelier to state one fact when their whole articles report one event: the
articles' similarity lets the judge read a clash of figures as a conflict inside one story and as
another event across two.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import numpy.typing as npt


def _unit(m: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    out: npt.NDArray[np.float64] = m / np.maximum(np.linalg.norm(m, axis=1, keepdims=True), 1e-12)
    return out


def document_similarity(
    vectors: npt.NDArray[np.float32], weights: Sequence[dict[str, float]], doc_of: npt.NDArray[np.int64]
) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64], npt.NDArray[np.float64]]:
    """(documents x documents): cosine of the articles' mean sentence vectors, that cosine less the
    mean of each row's other documents, and the cosine of their weighted term bags."""
    docs = int(doc_of.max()) + 1 if len(doc_of) else 0
    centroid = np.zeros((docs, vectors.shape[1]))
    np.add.at(centroid, doc_of, vectors)
    cos = _unit(centroid) @ _unit(centroid).T
    off = ~np.eye(docs, dtype=bool)
    mean = (cos * off).sum(axis=1) / np.maximum(off.sum(axis=1), 1)
    excess = cos - (mean[:, None] + mean[None, :]) / 2
    vocab: dict[str, int] = {}
    rows: list[dict[int, float]] = [{} for _ in range(docs)]
    for d, w in zip(doc_of.tolist(), weights, strict=True):
        for t, v in w.items():
            k = vocab.setdefault(t, len(vocab))
            rows[d][k] = rows[d].get(k, 0.0) + v
    bags = np.zeros((docs, max(len(vocab), 1)))
    for d, row in enumerate(rows):
        for k, v in row.items():
            bags[d, k] = v
    return cos, excess, _unit(bags) @ _unit(bags).T
