"""Measure candidate inputs for the judge as bench/fit_judge.py measures the judge (none of them ships).

    uv run --group fit python bench/judge_candidates.py parser      # predicates and arguments by spaCy's parser
    uv run --group fit python bench/judge_candidates.py ranked      # signals ranked within their own corpus
    uv run --group fit python bench/judge_candidates.py dump /tmp/metric.npz
    /tmp/ce/bin/python bench/learn_metric.py /tmp/metric.npz /tmp/metric.npy   # torch, a throwaway venv
    uv run --group fit python bench/judge_candidates.py columns /tmp/metric.npy

Each candidate is one or more columns, one value per training row of fit_judge (ECB+ topics 1-35
with their background pairs, then MRPC train with its random pairings, in fit_judge's row order).
Printed: each column alone (ECB+ AUC within one story, by fit_judge's topic folds), then the judge
refitted by the same folds with the columns as more inputs (within one story / across stories /
MRPC), beside the judge without them. Figures are in docs/quality.md.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterator
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

import fit_judge  # noqa: E402
import mrpc  # noqa: E402

from align.models import Sentence  # noqa: E402
from align.similarity import JUDGE_FEATURES, Scorer  # noqa: E402

FOLDS = 5
# A reporting verb with a clause under it ("police said the ship sank") gives way to that clause's verb.
REPORTING = {"say", "tell", "report", "add", "state", "note", "claim", "explain", "write", "accord"}
ARGUMENT_DEPS = {"nsubj", "nsubjpass", "dobj", "obj", "attr", "dative", "oprd", "pobj", "acomp", "xcomp", "npadvmod"}
ARGUMENT_POS = {"NOUN", "PROPN", "NUM"}
ARGUMENT_REACH = 6  # an argument's words within this many tokens of its head
RANKED = (
    "token_set",
    "soft_min",
    "shared_mass",
    "cosine",
    "paraphrase_logit",
    "evidence_logit",
    "noun_max",
    "verb_max",
)
WORDS_KEPT = 48  # content words kept per sentence in the dump (ECB+'s longest sentences run past it)


def training_pairs() -> Iterator[tuple[list[Sentence], list[tuple[Sentence, Sentence]]]]:
    """Each corpus of fit_judge's rows (an ECB+ topic, then MRPC) with its pairs, in row order."""
    for tp, pairs, _ in fit_judge.ecbplus_pairs():
        yield [s for d in tp.docs for s in d.sentences], pairs
    data = mrpc.load()
    yield data.a + data.b, fit_judge.mrpc_pairs(data, FOLDS)[0]


def training_rows() -> fit_judge.Rows:
    return fit_judge.Rows.join(fit_judge.ecbplus_rows(), fit_judge.mrpc_rows(FOLDS))


def measure(rows: fit_judge.Rows, columns: np.ndarray, names: list[str]) -> None:
    """Print each column alone, and the judge refitted with and without the columns."""
    is_ecb = rows.group > 0
    e = rows.take(is_ecb)
    folds = [held[is_ecb] for held in fit_judge.held_out(rows, FOLDS)]
    for k, name in enumerate(names):
        print(f"  {name:24s} alone within one story {fit_judge.auc(columns[is_ecb, k], e, 'in_story', folds):.3f}")
    with_columns = fit_judge.Rows(np.column_stack([rows.x, columns]), *(getattr(rows, f) for f in fit_judge.FIELDS[1:]))
    for label, r in (("the judge", rows), ("with the candidate", with_columns)):
        raw = fit_judge.out_of_fold(r, FOLDS)
        z = fit_judge.calibrated(raw, r, fit_judge.calibrate(raw, r))
        within, across, on_mrpc = fit_judge.held_out_aucs(z, r, FOLDS)
        print(f"  {label:24s} within {within:.4f} / across {across:.4f} / MRPC {on_mrpc:.4f}")


def predicates(doc) -> list[tuple[str, frozenset[str], bool]]:  # type: ignore[no-untyped-def]
    """Each predicate of a parsed sentence: its lemma, its arguments' content lemmas, and whether it is a main one."""
    main: set[int] = set()
    for root in (t for t in doc if t.dep_ == "ROOT"):
        clauses = [c for c in root.children if c.dep_ in ("ccomp", "parataxis") and c.pos_ in ("VERB", "AUX")]
        if root.lemma_.lower() in REPORTING and clauses:
            main.update(c.i for c in clauses)
        else:
            main.add(root.i)
    out = []
    for t in doc:
        lemma = t.lemma_.lower()
        reporting = lemma in REPORTING and any(c.dep_ in ("ccomp", "parataxis") for c in t.children)
        if (t.pos_ != "VERB" and t.i not in main) or reporting:
            continue
        heads = [c for c in t.children if c.dep_ in ARGUMENT_DEPS]
        heads += [g for c in t.children if c.dep_ in ("prep", "agent") for g in c.children if g.dep_ == "pobj"]
        args = {
            w.lemma_.lower()
            for h in heads
            for w in h.subtree
            if w.pos_ in ARGUMENT_POS and abs(w.i - h.i) <= ARGUMENT_REACH
        }
        out.append((lemma, frozenset(args), t.i in main))
    return out


def _share(a: frozenset[str], b: frozenset[str]) -> float:
    return len(a & b) / max(1, len(a | b))


def predicate_signals(pa: list, pb: list, sims: np.ndarray) -> list[float]:  # type: ignore[type-arg]
    """The best predicate pair sharing an argument (cosine scaled by the share), the main predicates'
    cosine and their arguments' share, and the arguments' share of the closest predicate pair."""
    if not pa or not pb:
        return [-1.0] * 4
    best, main_cos, main_share = 0.0, -1.0, -1.0
    for x, p in enumerate(pa):
        for y, q in enumerate(pb):
            share = _share(p[1], q[1])
            if share > 0:
                best = max(best, float(sims[x, y]) * (0.5 + 0.5 * share))
            if p[2] and q[2] and sims[x, y] > main_cos:
                main_cos, main_share = float(sims[x, y]), share
    x, y = np.unravel_index(np.argmax(sims), sims.shape)
    return [best, main_cos, main_share, _share(pa[x][1], pb[y][1])]


def parser_columns() -> np.ndarray:
    import spacy

    from align.pipeline import MODEL_NAMES
    from align.vectors import encode

    pairs = [p for _, ps in training_pairs() for p in ps]
    texts = sorted({s.text for p in pairs for s in p})
    nlp = spacy.load(MODEL_NAMES[-1], exclude=["ner"])  # the parser and the tagger; the reader leaves the parser out
    found = {t: predicates(doc) for t, doc in zip(texts, nlp.pipe(texts, batch_size=256), strict=True)}
    print(f"parsed {len(texts):,} sentences", file=sys.stderr)
    vocab = sorted({p[0] for ps in found.values() for p in ps})
    table = encode(vocab)
    row = {w: k for k, w in enumerate(vocab)}
    out = []
    for a, b in pairs:
        pa, pb = found[a.text], found[b.text]
        sims = table[[row[p[0]] for p in pa]] @ table[[row[p[0]] for p in pb]].T if pa and pb else np.zeros((0, 0))
        out.append(predicate_signals(pa, pb, sims))
    return np.asarray(out)


def ranked_columns(rows: fit_judge.Rows) -> np.ndarray:
    """Each signal as the share of its corpus's random pairs (ECB+ background, MRPC pairings) it beats."""
    cols = [JUDGE_FEATURES.index(n) for n in RANKED]
    out = np.zeros((len(rows.y), len(cols)))
    reference = np.isin(rows.kind, ("background", "mrpc_random"))
    corpus = np.where(rows.group > 0, rows.group, -1)  # MRPC is one corpus
    for g in np.unique(corpus):
        mine = corpus == g
        for k, c in enumerate(cols):
            ref = np.sort(rows.x[mine & reference, c])
            out[mine, k] = np.searchsorted(ref, rows.x[mine, c], side="right") / max(1, len(ref))
    return out


def dump(path: Path, rows: fit_judge.Rows) -> None:
    """What bench/learn_metric.py reads: each sentence's vector and content words' vectors and weights,
    each row's two sentences, label, training weight and fold."""
    sentence, words, weights, left, right = [], [], [], [], []
    for sentences, pairs in training_pairs():
        scorer = Scorer(sentences, judge={})
        at = {id(s): len(sentence) + k for k, s in enumerate(scorer.sentences)}
        for k, s in enumerate(scorer.sentences):
            sentence.append(s.vector_array())
            words.append(scorer.words.vectors[k][:WORDS_KEPT])
            weights.append(scorer.words.weights[k][:WORDS_KEPT])
        left += [at[id(a)] for a, _ in pairs]
        right += [at[id(b)] for _, b in pairs]
    dim = len(sentence[0])
    v = np.zeros((len(words), WORDS_KEPT, dim), np.float16)
    w = np.zeros((len(words), WORDS_KEPT), np.float32)
    for k, (vs, ws) in enumerate(zip(words, weights, strict=True)):
        v[k, : len(vs)], w[k, : len(ws)] = vs, ws
    fold = np.full(len(rows.y), -1)
    for k, held in enumerate(fit_judge.held_out(rows, FOLDS)):
        fold[held] = k
    np.savez(
        path,
        sentence=np.stack(sentence),
        words=v,
        weights=w,
        pairs=np.column_stack([left, right]),
        y=rows.y,
        w=fit_judge.training_weights(rows),
        fold=fold,
    )
    print(f"wrote {path}: {len(sentence):,} sentences, {len(left):,} rows")


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("candidate", choices=("parser", "ranked", "dump", "columns"))
    p.add_argument("paths", nargs="*", type=Path, help="dump: where to write; columns: .npy files of columns")
    args = p.parse_args()
    rows = training_rows()
    if args.candidate == "dump":
        dump(args.paths[0], rows)
        return 0
    if args.candidate == "parser":
        columns = parser_columns()
        names = [
            "predicates sharing an argument",
            "main predicates' cosine",
            "main arguments' share",
            "closest's arguments",
        ]
    elif args.candidate == "ranked":
        columns, names = ranked_columns(rows), [f"{n} ranked" for n in RANKED]
    else:
        columns = np.column_stack([np.load(f) for f in args.paths])
        names = [f"column {k}" for k in range(columns.shape[1])]
    assert len(columns) == len(rows.y), "one value per training row"
    measure(rows, columns, names)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
