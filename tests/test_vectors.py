"""Static sentence vectors and word frequencies: the shipped data, its loaders, and the parse cache carrying vectors."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest

from align import vectors
from align.cache import ParseCache
from align.documents import load_documents
from align.wordfreq import zipf


def cosine(a: str, b: str) -> float:
    va, vb = vectors.encode([a, b])
    return float(va @ vb)


def test_encode_rows_are_unit_length_float32():
    texts = ["The company opened a new office.", "Prices rose sharply in the spring.", "A short one."]
    out = vectors.encode(texts)
    assert out.shape == (3, vectors.dim())
    assert out.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(out, axis=1), 1.0, atol=1e-5)


def test_encode_empty_text_and_empty_batch():
    out = vectors.encode(["", "   ", "Something happened."])
    assert not out[0].any() and not out[1].any()
    assert np.linalg.norm(out[2]) == pytest.approx(1.0, abs=1e-5)
    assert vectors.encode([]).shape == (0, vectors.dim())


def test_encode_is_batch_independent():
    texts = ["The board approved the plan.", "Rain is expected tomorrow.", "It was approved by the board."]
    together = vectors.encode(texts)
    alone = np.vstack([vectors.encode([t]) for t in texts])
    np.testing.assert_allclose(together, alone, atol=1e-6)


@pytest.mark.parametrize(
    "a, paraphrase, unrelated",
    [
        (
            "The two firms announced a strategic collaboration.",
            "The two firms announced a strategic cooperation.",
            "Heavy rain flooded the village overnight.",
        ),
        (
            "The factory will hire 300 workers next year.",
            "Next year the plant is set to employ 300 more staff.",
            "She painted the kitchen a bright shade of blue.",
        ),
        (
            "Shares fell sharply after the announcement.",
            "The stock dropped steeply following the news.",
            "The recipe calls for two cups of flour.",
        ),
    ],
)
def test_paraphrases_are_closer_than_unrelated_sentences(a, paraphrase, unrelated):
    assert cosine(a, paraphrase) > cosine(a, unrelated) + 0.1


def test_vector_bytes_round_trip():
    v = vectors.encode(["A vector to store."])[0]
    back = vectors.from_bytes(vectors.to_bytes(v))
    assert back.dtype == np.float32 and back.shape == v.shape
    np.testing.assert_allclose(back, v, atol=1e-3)  # float16
    assert vectors.from_bytes(b"").shape == (0,)


def test_fingerprint_names_the_shipped_table():
    fp = vectors.fingerprint()
    assert fp != "missing" and len(fp) == 16


def test_zipf_orders_common_rare_unknown():
    common, rare, unknown = zipf("the"), zipf("serendipitous"), zipf("qzxvbnmkl")
    assert common > 6.0
    assert common > rare > unknown == 0.0
    assert zipf("The") == common  # lower-cased lookup


ARTICLE = """Harbour opens

The new harbour opened to ships on Tuesday.
It cost 40 million euros to build, the city said.
"""


def test_parse_cache_round_trips_vectors(tmp_path):
    (tmp_path / "a.txt").write_text(ARTICLE, encoding="utf-8")
    store = ParseCache(tmp_path / "cache")
    cold, problems = load_documents([tmp_path / "a.txt"], cache=store)
    assert not problems and store.written == 1
    warm, _ = load_documents([tmp_path / "a.txt"], cache=store)
    assert store.hits == 1
    assert cold[0].sentences and len(warm[0].sentences) == len(cold[0].sentences)
    for c, w in zip(cold[0].sentences, warm[0].sentences, strict=True):
        assert len(c.vector) == 2 * vectors.dim()
        assert w.vector == c.vector
        np.testing.assert_allclose(w.vector_array(), vectors.encode([c.text])[0], atol=1e-3)


def test_sentences_from_texts_carry_vectors():
    from align.documents import sentences_from_texts

    (doc,) = sentences_from_texts([["The museum reopened after repairs.", ""]])
    assert doc[0].vector_array().shape == (vectors.dim(),)
    assert not doc[1].vector_array().any()


def test_import_align_and_encode_do_not_import_torch():
    code = (
        "import sys, align, align.vectors as v, align.wordfreq as w; v.encode(['x y']); w.zipf('x'); "
        "print(sorted(m for m in ('torch', 'transformers', 'model2vec', 'wordfreq') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
