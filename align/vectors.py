"""Static sentence vectors: all-MiniLM-L6-v2 distilled by model2vec into one vector per token.

A sentence's vector is the mean of its tokens' vectors, L2-normalised, as model2vec's
``StaticModel.encode`` computes it, with numpy, scipy and HF ``tokenizers`` only: no torch,
nothing downloaded. The table and the tokenizer ship in ``align/data/vectors.npz``, written by
``bench/build_vectors.py`` (which also checks that this module matches model2vec).

This module imports nothing from the rest of the engine, so the build script can load it alone.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt

if TYPE_CHECKING:
    from tokenizers import Tokenizer

DATA = Path(__file__).resolve().parent / "data" / "vectors.npz"


class VectorsError(OSError):
    """The vector file is missing or unreadable (an OSError: the CLI and the reader report it in one line)."""


@dataclass(frozen=True)
class StaticModel:
    """The loaded table: one float32 row per token id, and the tokenizer that makes the ids."""

    matrix: npt.NDArray[np.float32]
    tokenizer: Tokenizer  # truncating at ``max_tokens``
    unk_id: int | None  # model2vec drops the unknown token before averaging
    max_chars: int  # model2vec cuts a text to max_tokens * median token length characters first

    @property
    def dim(self) -> int:
        return int(self.matrix.shape[1])


def _unk_id(tokenizer: Tokenizer) -> int | None:
    token = getattr(tokenizer.model, "unk_token", None)
    return tokenizer.token_to_id(token) if token else None


@lru_cache(maxsize=2)
def load(path: Path = DATA) -> StaticModel:
    """The table at ``path``, read once (about 15 MB: only when a sentence is first encoded)."""
    # A fork after the tokenizer's thread pool has run (spaCy's n_process) would warn and disable it.
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    from tokenizers import Tokenizer

    try:
        with np.load(path, allow_pickle=False) as data:
            matrix = data["vectors"].astype(np.float32)
            tokenizer = Tokenizer.from_str(data["tokenizer"].tobytes().decode("utf-8"))
            max_tokens = int(data["max_tokens"])
            max_chars = max_tokens * int(data["median_token_length"])
    except (OSError, KeyError, ValueError, Exception) as e:  # tokenizers raises its own Exception type
        raise VectorsError(f"cannot read the sentence vectors {path} ({e}); reinstall deal-reader") from e
    tokenizer.no_padding()
    tokenizer.enable_truncation(max_tokens)
    return StaticModel(matrix, tokenizer, _unk_id(tokenizer), max_chars)


@lru_cache(maxsize=1)
def fingerprint(path: Path = DATA) -> str:
    """A short hash of the shipped table, written by the build (part of the parse cache's key)."""
    try:
        with np.load(path, allow_pickle=False) as data:  # reads this one member, not the matrix
            return str(data["fingerprint"])
    except (OSError, KeyError, ValueError):
        return "missing"


def dim() -> int:
    """Length of one sentence vector."""
    return load().dim


def token_ids(texts: Sequence[str], model: StaticModel | None = None) -> list[list[int]]:
    """The token ids each text is averaged over (no special tokens, no unknown token)."""
    model = model or load()
    cut = [t[: model.max_chars] for t in texts]
    ids = [e.ids for e in model.tokenizer.encode_batch_fast(cut, add_special_tokens=False)]
    if model.unk_id is not None:
        ids = [[i for i in row if i != model.unk_id] for row in ids]
    return ids


def encode(texts: Sequence[str], model: StaticModel | None = None) -> npt.NDArray[np.float32]:
    """One float32 row per text, L2-normalised; a text with no known token gets a zero row."""
    from scipy.sparse import csr_matrix

    model = model or load()
    ids = token_ids(texts, model)
    lengths = np.fromiter((len(row) for row in ids), dtype=np.int64, count=len(ids))
    indptr = np.concatenate(([0], np.cumsum(lengths)))
    flat = np.fromiter((t for row in ids for t in row), dtype=np.int64, count=int(indptr[-1]))
    weights = np.repeat(1.0 / np.maximum(lengths, 1), lengths).astype(np.float32)
    # The means as one sparse (texts x tokens) product: 15x faster than gathering every token's row.
    means = csr_matrix((weights, flat, indptr), shape=(len(ids), model.matrix.shape[0])) @ model.matrix
    norms = np.linalg.norm(means, axis=1, keepdims=True)
    return np.asarray(means / np.maximum(norms, 1e-32), dtype=np.float32)


def to_bytes(vector: npt.NDArray[np.floating[Any]]) -> bytes:
    """A vector as float16 bytes: how a Sentence carries it (and the parse cache stores it)."""
    return np.asarray(vector, dtype=np.float16).tobytes()


def from_bytes(data: bytes) -> npt.NDArray[np.float32]:
    """The float32 vector held in float16 ``data`` (empty for ``b""``)."""
    return np.frombuffer(data, dtype=np.float16).astype(np.float32)
