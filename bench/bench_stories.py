"""Stories at scale: a generated archive of many deals, grouped into stories, then aligned story by story.

    uv run python bench/bench_stories.py                          # 100 stories x 10 documents x 20 sentences
    uv run python bench/bench_stories.py --stories 20 --docs 5    # smaller

Each story is one generated deal (bench/corpus.py: an acquirer and a target, their own pool of
12 facts); each acquirer makes ten of the deals, as one company's acquisitions fill a feed. The documents are
written under neutral names in a shuffled order. Printed: the bare parse (the engine's reduced
pipeline, a whole process: the floor), a cold and a warm `deal-reader export` (whole processes),
the grouping's own time (find_stories on the parsed documents, in-process, fastest of three) and
its share of the cold export, the adjusted Rand index against the generated stories, and how many
exported pairs join two stories (must be 0). Run it as a script; it is not a test.
"""

from __future__ import annotations

import argparse
import csv
import os
import random
import shutil
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

from bench_scale import FLOOR, measured  # noqa: E402
from corpus import ACQUIRERS, make_corpus  # noqa: E402
from eval_stories import ari  # noqa: E402

# A story's documents state 8 of this many facts: news about one deal repeats its key facts.
FACTS = 12
# Targets of their own (invented names, in no other list), bought by the ten acquirers of bench/corpus.py:
# each acquirer makes ten deals, as one company's acquisitions fill a feed.
_HEADS = "Ka Lo Mi Ne Ru Sa Te Vo Xi Zu".split()
_TAILS = "bral drix fen gort lum mex nor pax rin tov".split()


def deal(k: int) -> tuple[str, str]:
    """Deal ``k`` (0-99): an acquirer shared with nine other deals, a target of its own."""
    return ACQUIRERS[k % len(ACQUIRERS)], f"{_HEADS[k // 10]}{_TAILS[k % 10]} Inc"


def write_archive(directory: Path, stories: int, docs: int, sentences: int) -> dict[str, int]:
    """The archive's files, and each file's story (the truth, kept out of the files and their names)."""
    texts = [(k, t) for k in range(stories) for t in make_corpus(docs, sentences, seed=k, deal=deal(k), facts=FACTS)]
    random.Random(0).shuffle(texts)
    directory.mkdir(parents=True, exist_ok=True)
    truth = {}
    for i, (k, text) in enumerate(texts):
        name = f"doc_{i:05d}.txt"
        (directory / name).write_text(text, encoding="utf-8")
        truth[name] = k
    return truth


def main() -> int:
    ap = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    ap.add_argument("--stories", type=int, default=100, help="deals in the archive (at most 100)")
    ap.add_argument("--docs", type=int, default=10, help="documents per deal")
    ap.add_argument("--sentences", type=int, default=20, help="sentences per document")
    args = ap.parse_args()
    work = Path(tempfile.mkdtemp(prefix="deal-reader-stories-"))
    try:
        archive = work / "archive"
        truth = write_archive(archive, min(args.stories, 100), args.docs, args.sentences)
        cache = work / "cache"
        env = {**os.environ, "DEAL_READER_CACHE_DIR": str(cache)}
        env.pop("DEAL_READER_NO_CACHE", None)
        python = sys.executable
        out_csv = work / "pairs.csv"
        export = [python, "-m", "tui.cli", "export", str(archive), "--csv", str(out_csv), "--force"]
        floor, floor_rss, _ = measured([python, "-c", FLOOR, str(archive), str(ROOT), "reduced"], env)
        cold, cold_rss, _ = measured(export, env)
        warm, warm_rss, _ = measured(export, env)

        os.environ["DEAL_READER_CACHE_DIR"] = str(cache)  # the parse the cold export left: no spaCy here
        import align

        docs, _ = align.load_documents([archive])
        grouping = float("inf")
        for _ in range(3):
            t = time.perf_counter()
            found = align.find_stories(docs)
            grouping = min(grouping, time.perf_counter() - t)
        label = {Path(docs[i].name).name: s.number for s in found for i in s.documents}
        names = sorted(truth)
        score = ari([str(truth[n]) for n in names], [label[n] for n in names])
        with open(out_csv, encoding="utf-8") as f:
            rows = list(csv.DictReader(f))
        across = sum(truth[Path(r["doc_a"]).name] != truth[Path(r["doc_b"]).name] for r in rows)
        n = len(docs)
        print(
            f"{n} documents in {args.stories} generated stories, {args.sentences} sentences each, {os.cpu_count()} cores"
        )
        print(f"parse floor (reduced pipeline, whole process) {floor:7.1f} s  peak {floor_rss:5.0f} MiB")
        print(
            f"cold export                                   {cold:7.1f} s  peak {cold_rss:5.0f} MiB  {cold / floor:.2f} x floor"
        )
        print(
            f"warm export                                   {warm:7.1f} s  peak {warm_rss:5.0f} MiB  {warm / floor:.2f} x floor"
        )
        print(
            f"grouping (find_stories, parsed documents)     {grouping:7.2f} s  {100 * grouping / cold:.1f}% of the cold export"
        )
        print(f"stories found {len(found)}, ARI against the generated stories {score:.3f}")
        print(f"exported pairs {len(rows)}, across two stories {across}")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
