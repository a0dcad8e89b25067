"""Export a cross-encoder trained by bench/train_cross_encoder.py to ONNX, int8, for align/paraphrase.py (build time only).

Run in the throwaway virtual environment that trained it (torch, transformers, onnx, onnxruntime):

    /tmp/ce/bin/pip install onnx onnxruntime
    /tmp/ce/bin/python bench/export_cross_encoder.py /tmp/cross-encoder align/data/paraphrase.onnx

Writes the model with its weights quantised to int8 (dynamic quantisation: about a quarter of the
fp32 size) and the WordPiece tokenizer beside it (``paraphrase.tokenizer.json``), then prints the
torch and int8 log-odds of a few pairs side by side and the int8 model's speed (bench/fit_refine.py
measures what int8 costs in AUC: 0.838 on MRPC's held-out fold against torch's 0.844).
``--per-channel`` keeps one scale per output channel instead of one per matrix: the shipped MRPC
model reaches 0.842 so, but its join links one more seed pair, which costs the development gold's
precision (docs/quality.md, candidates), so what ships is per matrix.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

import numpy as np
import onnxruntime as ort
import torch
from onnxruntime.quantization import QuantType, quantize_dynamic
from transformers import AutoModelForSequenceClassification, AutoTokenizer

SAMPLE = [
    ("Amazon and Beta announce a strategic collaboration.", "The two parties announced a strategic cooperation."),
    ("The company will hold a minority stake.", "It said its stake amounted to a minority."),
    ("Shares fell 3 percent on Monday.", "The firm hired a new chief executive."),
    ("The storm killed 12 people in the region.", "Twelve people died when the storm hit the region."),
]


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("model", type=Path, help="the folder bench/train_cross_encoder.py saved")
    p.add_argument("out", type=Path, help="the .onnx file to write")
    p.add_argument("--max-length", type=int, default=96)
    p.add_argument(
        "--per-channel", action="store_true", help="one int8 scale per output channel (a candidate; not what ships)"
    )
    args = p.parse_args()
    tok = AutoTokenizer.from_pretrained(args.model)
    model = AutoModelForSequenceClassification.from_pretrained(args.model).eval()
    enc = tok(
        [a for a, _ in SAMPLE],
        [b for _, b in SAMPLE],
        padding=True,
        truncation=True,
        max_length=args.max_length,
        return_tensors="pt",
    )
    names = ["input_ids", "attention_mask", "token_type_ids"]
    with tempfile.TemporaryDirectory() as tmp:
        fp32 = Path(tmp) / "fp32.onnx"
        torch.onnx.export(
            model,
            (enc["input_ids"], enc["attention_mask"], enc["token_type_ids"]),
            str(fp32),
            input_names=names,
            output_names=["logits"],
            dynamic_axes={n: {0: "batch", 1: "tokens"} for n in names} | {"logits": {0: "batch"}},
            opset_version=17,
            dynamo=False,
        )
        args.out.parent.mkdir(parents=True, exist_ok=True)
        quantize_dynamic(str(fp32), str(args.out), weight_type=QuantType.QInt8, per_channel=args.per_channel)
    tok.backend_tokenizer.save(str(args.out.with_suffix(".tokenizer.json")))
    with torch.no_grad():
        ref = model(**enc).logits[:, 0].numpy()
    sess = ort.InferenceSession(str(args.out), providers=["CPUExecutionProvider"])
    got = sess.run(None, {n: enc[n].numpy().astype(np.int64) for n in names})[0][:, 0]
    print("torch logits", np.round(ref, 3).tolist())
    print("int8 logits ", np.round(got, 3).tolist())
    batch = tok(
        [a for a, _ in SAMPLE] * 16,
        [b for _, b in SAMPLE] * 16,
        padding=True,
        truncation=True,
        max_length=args.max_length,
        return_tensors="np",
    )
    t0 = time.perf_counter()
    for _ in range(5):
        sess.run(None, {n: batch[n].astype(np.int64) for n in names})
    print(f"int8: {5 * len(batch['input_ids']) / (time.perf_counter() - t0):.0f} pairs/s (short pairs, batch 64)")
    print(f"wrote {args.out} ({args.out.stat().st_size / 1e6:.1f} MB) and its tokenizer")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
