"""Learn a metric over the static vectors by ECB+ topic folds, out of fold (build time only: torch).

Run in a throwaway virtual environment, never the project's (no torch at run time), on what
bench/judge_candidates.py dumps; its ``columns`` command then measures the result:

    python3 -m venv /tmp/ce && /tmp/ce/bin/pip install torch==2.13.0 numpy
    uv run --group fit python bench/judge_candidates.py dump /tmp/metric.npz
    /tmp/ce/bin/python bench/learn_metric.py /tmp/metric.npz /tmp/sentence.npy --kind sentence
    /tmp/ce/bin/python bench/learn_metric.py /tmp/metric.npz /tmp/words.npy --kind words
    uv run --group fit python bench/judge_candidates.py columns /tmp/sentence.npy /tmp/words.npy

A 256 x 256 projection, started at the identity and kept near it, is fitted with a logistic loss on
the training rows (weighed as fit_judge weighs them) of every fold but one, then applied to that
fold. ``sentence``: the cosine of the two projected sentence vectors (one column). ``words``: the
soft word alignment of bench/../align/events.py (each content word's best cosine in the other
sentence, weighed by rarity) in the projected space, the lower and the higher direction (two
columns). On two CPU cores: ``sentence`` 2 minutes, ``words`` 15.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F

FOLDS = 5
SETTINGS = {"sentence": {"epochs": 30, "batch": 512, "lr": 3e-3}, "words": {"epochs": 4, "batch": 256, "lr": 2e-3}}
KEEP_NEAR = 1e-3  # weight of the squared distance of the projection from the identity


class Data:
    def __init__(self, path: Path):
        d = np.load(path)
        self.sentence = torch.tensor(d["sentence"].astype(np.float32))
        self.words = torch.tensor(d["words"].astype(np.float32))
        self.weights = torch.tensor(d["weights"])
        self.pairs = torch.tensor(d["pairs"])
        self.y = torch.tensor(d["y"]).float()
        self.w = torch.tensor(d["w"]).float()
        self.fold = torch.tensor(d["fold"])


def sentence_cosine(data: Data, p: torch.Tensor, rows: torch.Tensor) -> list[torch.Tensor]:
    a, b = data.pairs[rows, 0], data.pairs[rows, 1]
    return [F.cosine_similarity(data.sentence[a] @ p.T, data.sentence[b] @ p.T)]


def soft_alignment(data: Data, p: torch.Tensor, rows: torch.Tensor) -> list[torch.Tensor]:
    a, b = data.pairs[rows, 0], data.pairs[rows, 1]
    va, vb = F.normalize(data.words[a] @ p.T, dim=-1), F.normalize(data.words[b] @ p.T, dim=-1)
    wa, wb = data.weights[a], data.weights[b]
    sims = (va @ vb.transpose(1, 2)).masked_fill((wb == 0).unsqueeze(1), -2.0).masked_fill((wa == 0).unsqueeze(2), -2.0)
    ra = (sims.max(2).values.clamp(min=-1) * wa).sum(1) / wa.sum(1).clamp(min=1e-9)
    rb = (sims.max(1).values.clamp(min=-1) * wb).sum(1) / wb.sum(1).clamp(min=1e-9)
    return [torch.minimum(ra, rb), torch.maximum(ra, rb)]


SIGNALS = {"sentence": sentence_cosine, "words": soft_alignment}


def train(data: Data, kind: str, mask: torch.Tensor) -> torch.Tensor:
    """The projection fitted on ``mask``'s rows of positive training weight."""
    settings, signals = SETTINGS[kind], SIGNALS[kind]
    dim = data.sentence.shape[1]
    start = torch.eye(dim)
    p = torch.nn.Parameter(start.clone())
    scale = torch.nn.Parameter(torch.tensor([4.0, 2.0, -4.0]))  # the logistic's weights and bias
    opt = torch.optim.Adam([p, scale], lr=settings["lr"])
    rows = torch.nonzero(mask & (data.w > 0)).squeeze(1)
    for _ in range(settings["epochs"]):
        order = rows[torch.randperm(len(rows))]
        for s in range(0, len(order), settings["batch"]):
            batch = order[s : s + settings["batch"]]
            values = signals(data, p, batch)
            logit = sum(scale[k] * v for k, v in enumerate(values)) + scale[-1]
            loss = F.binary_cross_entropy_with_logits(logit, data.y[batch], reduction="none") @ data.w[batch]
            loss = loss / data.w[batch].sum() + KEEP_NEAR * ((p - start) ** 2).sum()
            opt.zero_grad()
            loss.backward()
            opt.step()
    return p.detach()


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("dump", type=Path)
    ap.add_argument("out", type=Path)
    ap.add_argument("--kind", choices=tuple(SIGNALS), default="sentence")
    args = ap.parse_args()
    torch.manual_seed(0)
    data = Data(args.dump)
    out = np.zeros((len(data.y), 2 if args.kind == "words" else 1))
    for k in range(FOLDS):
        held = data.fold == k
        p = train(data, args.kind, ~held)
        rows = torch.nonzero(held).squeeze(1)
        with torch.no_grad():
            for s in range(0, len(rows), 1024):
                batch = rows[s : s + 1024]
                out[batch.numpy()] = torch.stack(SIGNALS[args.kind](data, p, batch), dim=1).numpy()
        print(f"fold {k + 1} of {FOLDS}", flush=True)
    np.save(args.out, out)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
