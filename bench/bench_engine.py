"""Where the engine's time goes on a corpus: pipeline load, parse, score and align (prints figures).

usage: uv run python bench/bench_engine.py [PATHS...]   (default: the bundled seeds)
"""

from __future__ import annotations

import sys
import time

import align
from align.alignment import Alignment, score_pairs
from align.documents import parse_sources
from align.pipeline import load_pipeline
from align.similarity import Scorer
from align.sources import read_sources


def main(argv: list[str]) -> int:
    paths = argv or [str(align.bundled_seeds())]
    t0 = time.perf_counter()
    nlp = load_pipeline()
    t1 = time.perf_counter()
    sources, problems = read_sources(paths)
    for p in problems:
        print("skipped:", p)
    t2 = time.perf_counter()
    docs = parse_sources(sources, nlp, cache=False)  # the parse itself, not a cache hit
    t3 = time.perf_counter()
    scorer = Scorer([s for d in docs for s in d.sentences])
    scored = score_pairs(docs, scorer)
    t4 = time.perf_counter()
    result = Alignment(docs, align.DEFAULT_THRESHOLD, scored, scorer)
    t5 = time.perf_counter()
    n = sum(len(d.sentences) for d in docs)
    print(
        f"documents {len(docs)}, sentences {n}, scored pairs {len(scored)}, aligned pairs {len(result.pairs)}, "
        f"facts {len(result.facts)}, conflicts {len(result.conflicts)}"
    )
    print(f"load pipeline  {t1 - t0:7.3f} s")
    print(f"read files     {t2 - t1:7.3f} s")
    print(f"parse          {t3 - t2:7.3f} s")
    print(f"score pairs    {t4 - t3:7.3f} s")
    print(f"select+group   {t5 - t4:7.3f} s")
    print(f"align / parse  {(t5 - t3) / (t3 - t2):7.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
