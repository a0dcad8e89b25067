"""The trees' walk gives, to the last bit, what the walk by two-dimensional indexing gave (its first form)."""

from __future__ import annotations

import numpy as np
import pytest

from align import forest as forest_mod
from align.forest import Forest
from align.similarity import load_judge


def indexed_walk(forest: Forest, x: np.ndarray) -> np.ndarray:
    """Every tree's node of every row at once, indexed by (tree, node): the walk as first written."""
    trees = np.arange(forest.feature.shape[0])[:, None]
    node = np.zeros((forest.feature.shape[0], x.shape[0]), dtype=np.int64)
    rows = np.arange(x.shape[0])[None, :]
    for _ in range(forest.depth):
        go_left = x[rows, forest.feature[trees, node]] <= forest.threshold[trees, node]
        node = np.where(go_left, forest.left[trees, node], forest.right[trees, node])
    return forest.baseline + forest.value[trees, node].sum(axis=0)


@pytest.mark.parametrize("rows", [1, 7, 300, 513])  # one block, and several blocks with a short last one
def test_the_shipped_judge_walks_as_it_did(rows):
    forest = Forest.from_dict(load_judge())
    rng = np.random.default_rng(rows)
    x = rng.normal(size=(rows, int(forest.feature.max()) + 1))
    # Some values exactly on a split, which goes left.
    on_split = rng.random(x.shape) < 0.3
    x[on_split] = rng.choice(forest.threshold.ravel(), size=int(on_split.sum()))
    chunk = forest_mod._CHUNK
    expected = np.concatenate([indexed_walk(forest, x[k : k + chunk]) for k in range(0, rows, chunk)])
    assert forest.raw(x).tobytes() == expected.tobytes()
