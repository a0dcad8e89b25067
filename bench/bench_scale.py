"""Scale benchmark: bare spaCy parse (the floor) against `deal-reader export`, cold and warm.

    uv run python bench/bench_scale.py                 # seeds, 20, 100 and 300 generated documents
    uv run python bench/bench_scale.py --sizes 20 100  # a subset
    uv run python bench/bench_scale.py --repeat 3      # the fastest of three interleaved runs (noisy machines)
    uv run python bench/bench_scale.py --profile 100   # also profile one warm export (pyinstrument)

Every measurement is a whole process, timed from outside, with its peak RSS (getrusage of the
child). The floor is a process that imports spaCy, loads the whole trained pipeline (as shipped)
and runs ``nlp.pipe`` over the same line blocks the engine parses; "reduced" is the same with the
pipeline the engine loads (parser and NER excluded, senter enabled), the engine's own floor. "cold" runs export with an empty cache directory,
"warm" again with the cache it left. Corpora are generated here (bench/corpus.py): 50 sentences
per document, about a sixth of them one of 60 shared facts. Run it as a script; it is not a test.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

from corpus import write_corpus  # noqa: E402

FLOOR = r"""
import sys, time
t0 = time.perf_counter()
import spacy
sys.path.insert(0, sys.argv[2])
from align.pipeline import MODEL_NAMES, load_pipeline, parse_processes
from align.documents import BATCH_SIZE
from align.sentences import split_blocks
from align.sources import read_sources
if sys.argv[3] == "reduced":
    nlp = load_pipeline()  # what the engine loads (parser and NER excluded, senter on)
else:  # the whole trained pipeline as shipped, so the figures stay comparable across rounds
    for name in MODEL_NAMES:
        try:
            nlp = spacy.load(name)
            break
        except OSError:
            continue
sources, _ = read_sources([sys.argv[1]])
texts = [s.text[b.start:b.end] for s in sources for b in split_blocks(s.text, markdown=s.kind == "markdown")[0]]
n = sum(len(d) for d in nlp.pipe(texts, batch_size=BATCH_SIZE, n_process=parse_processes(len(texts))))
print(n, len(texts))
"""


def run(cmd: list[str], env: dict[str, str]) -> tuple[float, float, str]:
    """Wall seconds, peak RSS in MiB of the child, and its stdout."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    t = time.perf_counter()
    proc = subprocess.run(cmd, env=env, capture_output=True, text=True, cwd=ROOT)
    wall = time.perf_counter() - t
    if proc.returncode != 0:
        raise SystemExit(f"failed: {' '.join(cmd)}\n{proc.stderr[-2000:]}")
    # ru_maxrss of children is the max over all waited children so far: measure in a fresh wrapper.
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return wall, max(peak, before) / 1024, proc.stdout


def measured(cmd: list[str], env: dict[str, str]) -> tuple[float, float, str]:
    """Like run, but the peak RSS is that process's own (via /usr/bin/time when present)."""
    timer = "/usr/bin/time"
    if os.path.exists(timer):
        with tempfile.NamedTemporaryFile("r", suffix=".rss") as f:
            wall, _, out = run([timer, "-f", "%M", "-o", f.name, *cmd], env)
            try:
                rss = int(f.read().strip().splitlines()[-1]) / 1024
            except (ValueError, IndexError):
                rss = float("nan")
            return wall, rss, out
    return run(cmd, env)


def bench(name: str, path: Path, work: Path, python: str, deal_reader: list[str], repeat: int = 1) -> dict:
    """Floor, cold and warm, ``repeat`` times interleaved; the fastest of each (the least disturbed
    by whatever else the machine does) and the highest peak RSS."""
    cache = work / f"cache-{name}"
    env = {**os.environ, "DEAL_READER_CACHE_DIR": str(cache)}
    env.pop("DEAL_READER_NO_CACHE", None)
    out_csv = work / f"{name}.csv"
    export = [*deal_reader, "export", str(path), "--csv", str(out_csv), "--force"]
    floor = reduced = cold = warm = float("inf")
    floor_rss = cold_rss = warm_rss = 0.0
    for _ in range(max(1, repeat)):
        shutil.rmtree(cache, ignore_errors=True)
        f, f_rss, out = measured([python, "-c", FLOOR, str(path), str(ROOT), "full"], env)
        r, _, _ = measured([python, "-c", FLOOR, str(path), str(ROOT), "reduced"], env)
        c, c_rss, _ = measured(export, env)
        w, w_rss, _ = measured(export, env)
        floor, reduced, cold, warm = min(floor, f), min(reduced, r), min(cold, c), min(warm, w)
        floor_rss, cold_rss, warm_rss = max(floor_rss, f_rss), max(cold_rss, c_rss), max(warm_rss, w_rss)
    tokens, blocks = (int(x) for x in out.split())
    with open(out_csv, encoding="utf-8") as f:
        pairs = max(0, sum(1 for _ in f) - 1)
    return dict(
        name=name,
        blocks=blocks,
        tokens=tokens,
        floor=floor,
        reduced=reduced,
        cold=cold,
        warm=warm,
        floor_rss=floor_rss,
        cold_rss=cold_rss,
        warm_rss=warm_rss,
        pairs=pairs,
    )


def profile(path: Path, work: Path, python: str) -> None:
    """A pyinstrument profile of one warm export in-process (the cache is warmed first)."""
    try:
        import pyinstrument  # noqa: F401
    except ImportError:
        print("pyinstrument is not installed (uv sync --group dev); no profile")
        return
    cache = work / "cache-profile"
    env = {**os.environ, "DEAL_READER_CACHE_DIR": str(cache)}
    code = (
        "import sys; from align.cli import export_main\n"
        f"args = [{str(path)!r}, '--csv', {str(work / 'profile.csv')!r}, '--force']\n"
        "export_main(args)\n"
        "from pyinstrument import Profiler\n"
        "p = Profiler(interval=0.005); p.start(); export_main(args); p.stop()\n"
        "print(p.output_text(unicode=False, color=False, show_all=False))\n"
    )
    proc = subprocess.run([python, "-c", code], env=env, capture_output=True, text=True, cwd=ROOT)
    print(proc.stdout[-12000:] or proc.stderr[-3000:])


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--sizes", type=int, nargs="*", default=[20, 100, 300], help="generated corpus sizes (documents)")
    ap.add_argument("--sentences", type=int, default=50, help="sentences per generated document")
    ap.add_argument("--no-seeds", action="store_true", help="skip the bundled seeds")
    ap.add_argument("--profile", type=int, metavar="DOCS", help="profile a warm export of this generated size")
    ap.add_argument(
        "--repeat",
        type=int,
        default=1,
        metavar="N",
        help="measure each corpus N times, interleaved, and keep the fastest (default 1)",
    )
    args = ap.parse_args(argv)

    python = sys.executable
    script = Path(python).parent / "deal-reader"
    deal_reader = [str(script)] if script.exists() else [python, "-m", "tui.cli"]
    with tempfile.TemporaryDirectory(prefix="deal-reader-bench-") as tmp:
        work = Path(tmp)
        corpora: list[tuple[str, Path]] = []
        if not args.no_seeds:
            corpora.append(("seeds", ROOT / "seeds"))
        for n in args.sizes:
            corpora.append((f"{n}x{args.sentences}", write_corpus(work / f"gen{n}", n, args.sentences)))
        rows = []
        print(
            f"{'corpus':>8} {'lines':>6} {'tokens':>7} {'floor s':>8} {'reduced':>8} {'cold s':>7} {'warm s':>7} "
            f"{'cold/fl':>7} {'warm/fl':>7} {'cold/red':>8} {'RSS MiB fl/cold/warm':>21} {'pairs':>6}",
            flush=True,
        )
        for name, path in corpora:
            r = bench(name, path, work, python, deal_reader, args.repeat)
            rows.append(r)
            print(
                f"{r['name']:>8} {r['blocks']:>6} {r['tokens']:>7} {r['floor']:>8.1f} {r['reduced']:>8.1f} "
                f"{r['cold']:>7.1f} {r['warm']:>7.1f} {r['cold'] / r['floor']:>7.2f} {r['warm'] / r['floor']:>7.2f} "
                f"{r['cold'] / r['reduced']:>8.2f} "
                f"{r['floor_rss']:>7.0f}/{r['cold_rss']:.0f}/{r['warm_rss']:.0f} {r['pairs']:>6}",
                flush=True,
            )
        by = {r["name"]: r for r in rows}
        small, big = f"20x{args.sentences}", f"300x{args.sentences}"
        mid = f"100x{args.sentences}"
        if small in by and big in by:
            for what in ("floor", "reduced", "cold", "warm"):
                print(f"growth 20 -> 300 documents ({what}): x{by[big][what] / by[small][what]:.1f}")
        if mid in by and big in by:
            print(f"300 vs 100 documents (cold): x{by[big]['cold'] / by[mid]['cold']:.2f} (target < 3)")
        if mid in by:
            r = by[mid]
            ok = (
                r["cold"] <= 0.6 * r["floor"]
                and r["warm"] <= 0.1 * r["floor"]
                and max(r["cold_rss"], r["warm_rss"]) < 1024
            )
            print(f"targets on 100 docs (cold <= 0.6x, warm <= 0.1x floor, RSS < 1 GiB): {'met' if ok else 'NOT met'}")
        if args.profile:
            p = work / f"gen{args.profile}"
            if not p.exists():
                write_corpus(p, args.profile, args.sentences)
            profile(p, work, python)
    return 0


if __name__ == "__main__":
    sys.exit(main())
