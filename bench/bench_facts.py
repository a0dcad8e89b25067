"""How facts group on generated corpora whose facts are known: rows per fact, mixed rows, and the time taken.

    uv run python bench/bench_facts.py                  # 100 documents of 50 sentences
    uv run python bench/bench_facts.py --docs 20 --sentences 100

bench/corpus.py writes each of 60 facts in one of three wordings into eight articles' worth of
filler, so every sentence's true fact is known. Printed: the facts (rows), the true facts that at
least two documents state, how many rows each such fact is spread over (1 is the aim: one fact,
one row), how many rows hold sentences of two true facts or more, and how long grouping takes
(the clique cover alone, then with the merge). A script, not a test: figures go in
docs/performance.md and docs/engine.md.
"""

from __future__ import annotations

import argparse
import os
import random
import re
import statistics
import sys
import tempfile
import time
from collections import Counter, defaultdict
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import corpus  # noqa: E402

import align  # noqa: E402


def templates(seed: int, facts: int) -> list[list[re.Pattern[str]]]:
    """Each true fact's wordings as patterns (figures as wildcards), rebuilt as make_corpus draws them."""
    pool = corpus._facts(random.Random(seed), corpus.ACQUIRERS[0], corpus.TARGETS[0], facts)
    out = []
    for wordings in pool:
        pats = []
        for w, *_ in wordings:
            parts = re.split(r"\{[ajp](?::,)?\}", w)
            pats.append(re.compile(r"[\d,]+".join(re.escape(p) for p in parts)))
        out.append(pats)
    return out


def report(name: str, facts: list[align.Fact], truth: dict[align.Sentence, int], told: list[int]) -> None:
    """Rows per true fact (1 is the aim), and how many true facts the rows mix."""
    rows_of: dict[int, set[int]] = defaultdict(set)
    mixes = []
    for f in facts:
        labels = {truth[s] for s in f.sentences if s in truth}
        mixes.append(len(labels))
        for k in labels:
            rows_of[k].add(f.id)
    spread = [len(rows_of[k]) for k in told]
    print(
        f"{name}: {len(facts)} facts; rows per true fact mean {statistics.mean(spread):.2f}, max {max(spread)}, "
        f"in one row {sum(n == 1 for n in spread)}/{len(told)}; rows mixing true facts {sum(m > 1 for m in mixes)}, "
        f"the worst mixing {max(mixes)}"
    )


def main(argv: list[str]) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--docs", type=int, default=100)
    ap.add_argument("--sentences", type=int, default=50)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--linkage", type=float, nargs="*", help="MERGE_LINKAGE values to compare (default: as shipped)")
    args = ap.parse_args(argv)
    os.environ.setdefault("DEAL_READER_CACHE_DIR", tempfile.mkdtemp(prefix="bench-facts-"))
    with tempfile.TemporaryDirectory() as tmp:
        corpus.write_corpus(Path(tmp), args.docs, args.sentences, args.seed)
        docs, _ = align.load_documents([tmp])
        result = align.align(docs)
    pats = templates(args.seed, 60)
    truth = {}
    for d in docs:
        for s in d.sentences:
            hit = [k for k, ps in enumerate(pats) if any(p.search(s.clean_text) for p in ps)]
            if len(hit) == 1:
                truth[s] = hit[0]
    stated = Counter(k for _, k in {(s.doc, k) for s, k in truth.items()})
    told = [k for k, n in stated.items() if n >= 2]
    print(
        f"{args.docs} x {args.sentences}: {len(result.pairs)} aligned pairs, {len(result.scored)} scored; "
        f"{len(told)} true facts in two documents or more"
    )
    report("as aligned", result.facts, truth, told)
    try:
        from align import facts as grouping
    except ImportError:  # an engine before align/facts.py (PYTHONPATH=an older tree): figures only
        return 0
    scored = [(p.a, p.b, p.score) for p in result.scored] + [(a, b, s) for (a, b), s in result.implied.items()]
    t0 = time.perf_counter()
    grouping.clique_cover(result.pairs)
    print(f"clique cover alone: {time.perf_counter() - t0:.3f} s")
    for value in args.linkage or [grouping.MERGE_LINKAGE]:
        grouping.MERGE_LINKAGE = value
        t0 = time.perf_counter()
        facts = grouping.group_facts(result.pairs, result.threshold, scored)
        report(f"linkage {value} ({time.perf_counter() - t0:.2f} s)", facts, truth, told)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
