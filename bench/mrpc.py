"""Labelled news sentence pairs (MRPC) parsed as the engine parses sentences, for fitting and evaluation.

Not part of the product: the data stays in ../shared/data and is never shipped.
"""

from __future__ import annotations

import csv
import hashlib
import pickle
from dataclasses import dataclass
from pathlib import Path

from align.models import Sentence

ROOT = Path(__file__).resolve().parents[1]
MRPC_TRAIN = ROOT.parent / "shared" / "data" / "mrpc" / "train.tsv"


@dataclass
class LabelledPairs:
    """Two lists of sentences parsed as two documents of one corpus; ``labels[k]`` judges a[k] against b[k]."""

    a: list[Sentence]
    b: list[Sentence]
    labels: list[int]


def read_tsv(path: Path = MRPC_TRAIN) -> tuple[list[str], list[str], list[int]]:
    with open(path, encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f, delimiter="\t", quoting=csv.QUOTE_NONE))[1:]
    return [r[3] for r in rows], [r[4] for r in rows], [int(r[0]) for r in rows]


def load(path: Path = MRPC_TRAIN) -> LabelledPairs:
    """The pairs of ``path``, parsed once and kept in the user's cache directory (the parse takes a while).

    The entry is keyed by the file and by what decides a parse (the engine's extraction code and
    vectors, the pipeline and its components), so a changed engine parses again.
    """
    from align.cache import cache_dir, engine_fingerprint
    from align.documents import sentences_from_texts
    from align.pipeline import pipeline_key

    sa, sb, labels = read_tsv(path)
    folder = cache_dir() / "bench-mrpc"
    folder.mkdir(parents=True, exist_ok=True)
    h = hashlib.sha256(path.read_bytes())
    h.update(f"{engine_fingerprint()}|{pipeline_key()}".encode())
    cached = folder / f"{path.stem}-{h.hexdigest()[:16]}.pkl"
    if cached.exists():
        a, b = pickle.loads(cached.read_bytes())
    else:
        a, b = sentences_from_texts([sa, sb])
        cached.write_bytes(pickle.dumps((a, b)))
    return LabelledPairs(a, b, labels)
