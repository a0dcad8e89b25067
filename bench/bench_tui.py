"""Benchmark of the reader: time to first paint, time until the alignment is shown, key-to-repaint latency.

    uv run python bench/bench_tui.py            # the seeds and a generated 20 x 100 corpus
    uv run python bench/bench_tui.py --docs 20 --sentences 100 --presses 60

Runs the real app headless (Textual's `run_test`, the same compositor as a terminal minus the
write to the tty) on the real engine. "First paint" is from the start of the app to its first
screen (the loading panel); "alignment shown" is until the panes are mounted with the aligned
corpus; "key-to-repaint" is from a key press until the app is idle again with the screen
refreshed, as the median and 95th percentile over repeated presses. Each corpus is measured
twice, each time in a fresh process: cold (empty cache directory: parse and score) and warm
(the parse and score caches the cold run left). With `--tmux`, the whole
process (`uv run deal-reader`) is also timed in a real terminal (tmux) from launch to the
first non-empty screen and to the first pane header.
"""

from __future__ import annotations

import argparse
import asyncio
import math
import os
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

COMPANIES = [
    "Northwind",
    "Contoso",
    "Fabrikam",
    "Globex",
    "Initech",
    "Umbrella",
    "Stark Labs",
    "Wayne Data",
    "Acme Cloud",
    "Hooli",
    "Vandelay",
    "Soylent AI",
    "Tyrell Systems",
    "Cyberdyne",
    "Aperture",
]
PEOPLE = [
    "Maria Lopez",
    "Kenji Sato",
    "Amara Okafor",
    "Lena Fischer",
    "Omar Haddad",
    "Priya Nair",
    "Tom Becker",
    "Sofia Rossi",
    "Ivan Petrov",
    "Grace Kim",
]
VERBS = ["invest", "spend", "commit", "put", "pledge"]
OBJECTS = [
    "its chip business",
    "a data-centre venture",
    "the research lab",
    "a robotics startup",
    "the cloud unit",
    "a battery maker",
    "the search team",
    "a model developer",
]
FILLER = [
    "Analysts said the move reflects growing pressure to show results from {obj}.",
    "{person}, who leads {obj}, declined to comment on the talks.",
    "Shares of {a} rose {pct} percent in early trading after the report.",
    "The company employs about {count} people across {n} countries.",
    "Critics argue that {a} is overpaying for {obj} at a time of rising rates.",
    "{a} was founded in {year} and went public {n} years later.",
    "Regulators in {n} countries are expected to review the agreement.",
    "{person} told reporters the deal would close within {n} months.",
    "The announcement came a week after {b} reported weaker quarterly sales.",
    "People familiar with the matter said talks had stalled twice this year.",
]


def money(rng: random.Random) -> str:
    return f"${rng.choice([1, 1.25, 2, 2.5, 3, 4, 5, 7.5])} {rng.choice(['million', 'billion'])}"


def generate_corpus(root: Path, docs: int, sentences: int, seed: int = 7) -> list[Path]:
    """``docs`` news-like articles of ``sentences`` sentences; about a third state shared facts."""
    rng = random.Random(seed)
    facts = []
    for _ in range(sentences // 3):
        a, b = rng.sample(COMPANIES, 2)
        facts.append(
            dict(
                a=a,
                b=b,
                verb=rng.choice(VERBS),
                obj=rng.choice(OBJECTS),
                amount=money(rng),
                year=rng.randint(2015, 2024),
            )
        )
    paths = []
    for d in range(docs):
        lines = [f"Report {d + 1}: {rng.choice(COMPANIES)} and {rng.choice(COMPANIES)} strike a deal"]
        for i in range(sentences - 1):
            if i % 3 == 0 and facts:
                f = facts[(i // 3 + d) % len(facts)]
                amount = f["amount"] if rng.random() > 0.1 else money(rng)  # some numbers disagree
                forms = [
                    f"{f['a']} will {f['verb']} {amount} in {f['obj']} owned by {f['b']}.",
                    f"{f['b']} said {f['a']} agreed to {f['verb']} {amount} in {f['obj']}.",
                    f"According to {f['b']}, {f['a']} plans to {f['verb']} {amount} in {f['obj']} from {f['year']}.",
                ]
                lines.append(rng.choice(forms))
            else:
                a, b = rng.sample(COMPANIES, 2)
                lines.append(
                    rng.choice(FILLER).format(
                        a=a,
                        b=b,
                        obj=rng.choice(OBJECTS),
                        person=rng.choice(PEOPLE),
                        pct=rng.randint(1, 15),
                        count=f"{rng.randint(1, 90) * 1000:,}",
                        n=rng.randint(2, 12),
                        year=rng.randint(1990, 2020),
                    )
                )
        path = root / f"report-{d + 1:02d}.txt"
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        paths.append(path)
    return paths


async def measure(paths: list[str] | None, presses: int, size=(120, 36)) -> dict[str, float]:
    t0 = time.perf_counter()
    from tui.app import DealReaderApp  # the import is part of the cost a user sees

    app = DealReaderApp(paths)
    out: dict[str, float] = {}
    async with app.run_test(size=size) as pilot:
        out["first paint"] = time.perf_counter() - t0
        while True:
            reader = app.reader
            if reader.alignment is not None and reader.views and app.focused is not None:
                break
            if app.return_code:
                raise SystemExit(f"the app could not open the corpus: {app.error}")
            await asyncio.sleep(0.01)
        await pilot.pause()
        out["alignment shown"] = time.perf_counter() - t0
        out["sentences"] = sum(len(d.sentences) for d in reader.alignment.documents)
        out["pairs"] = len(reader.alignment.pairs)
        # f12 is unbound: the Pilot's own overhead.
        for key in ["f12", "j", "n", "N", "tab", "right_square_bracket", "u", "enter", "pagedown", "plus", "minus"]:
            times = []
            for i in range(presses if key not in ("plus", "minus") else max(4, presses // 10)):
                k = key
                if key == "j" and i % 20 >= 10:
                    k = "k"
                start = time.perf_counter()
                await pilot.press(k)
                await pilot.pause()
                times.append((time.perf_counter() - start) * 1000)
            times.sort()
            out[f"key {key} median ms"] = statistics.median(times)
            out[f"key {key} p95 ms"] = times[min(len(times) - 1, int(len(times) * 0.95))]
        out["direct: j + redraw ms"] = direct_redraw_ms(app, presses)
    return out


def direct_redraw_ms(app, repeats: int) -> float:
    """Median of: move the cursor (with the sync of every pane) and render every visible line of the panes."""
    reader = app.reader
    times = []
    for i in range(repeats):
        start = time.perf_counter()
        reader.action_cursor("down" if i % 20 < 10 else "up")
        for v in reader.views:
            if v.display and v.parent.display:
                for y in range(v.size.height):
                    v.render_line(y)
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


class Tmux:
    """One detached tmux server running ``command`` at ``size``: capture the screen, send keys."""

    def __init__(self, command: str, size=(100, 30)) -> None:
        self.sock = f"bench-tui-{os.getpid()}-{time.monotonic_ns()}"
        self.started = time.perf_counter()
        subprocess.run(
            ["tmux", "-L", self.sock, "new-session", "-d", "-s", "b", "-x", str(size[0]), "-y", str(size[1]), command],
            check=True,
        )
        self._client: subprocess.Popen | None = None

    def _control(self) -> subprocess.Popen:
        """A control-mode client (tmux -C): one pipe for every command, no process per poll."""
        if self._client is None:
            self._client = subprocess.Popen(
                ["tmux", "-L", self.sock, "-C", "attach", "-t", "b"],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                text=True,
                encoding="utf-8",
                errors="replace",
                bufsize=1,
            )
            while not self._client.stdout.readline().startswith(("%end", "%error")):
                pass  # the attach command's own reply comes first
            self.command("refresh-client", "-f", "no-output")  # no copy of the app's output down the pipe
        return self._client

    def command(self, *words: str) -> str:
        """Run one tmux command through the control client; its output."""
        import shlex

        client = self._control()
        client.stdin.write(" ".join(map(shlex.quote, words)) + "\n")
        client.stdin.flush()
        lines: list[str] | None = None
        while True:
            line = client.stdout.readline()
            if not line:
                raise SystemExit("tmux: the control client went away")
            if line.startswith("%begin"):
                lines = []
            elif line.startswith(("%end", "%error")) and lines is not None:
                return "".join(lines)
            elif lines is not None:
                lines.append(line)

    def screen(self) -> str:
        """The pane as the terminal shows it, colours included (Tab changes colours, not text)."""
        return self.command("capture-pane", "-p", "-e", "-t", "b")

    def send(self, key: str) -> None:
        literal = len(key) == 1
        self.command("send-keys", "-t", "b", *(["-l"] if literal else []), key)

    def wait_for(self, done, timeout: float = 300) -> str:
        t0 = time.perf_counter()
        while time.perf_counter() - t0 < timeout:
            screen = self.screen()
            if done(screen):
                return screen
            time.sleep(0.01)
        raise SystemExit(f"tmux: timed out; the screen was:\n{screen}")

    def settle(self, quiet: float = 0.25) -> str:
        """Wait until the screen has not changed for ``quiet`` seconds."""
        last, since = self.screen(), time.perf_counter()
        while time.perf_counter() - since < quiet:
            time.sleep(0.005)
            now = self.screen()
            if now != last:
                last, since = now, time.perf_counter()
        return last

    def press(
        self, key: str, poll: float = 0.002, timeout: float = 2.0, quiet: float = 0.25
    ) -> tuple[float, float] | None:
        """Send ``key``; ms until the screen first changes, and until its last change (it then stays
        the same for ``quiet`` s); None if it did not change. Polled every ``poll`` s plus one capture."""
        before = self.screen()
        t0 = time.perf_counter()
        self.send(key)
        first = last = None
        screen = before
        while True:
            time.sleep(poll)
            now = self.screen()
            t = time.perf_counter()
            if now != screen:
                screen, last = now, t
                first = first or t
            if first is None and t - t0 > timeout:
                return None
            if first is not None and t - last > quiet:
                return (first - t0) * 1000, (last - t0) * 1000

    def close(self) -> None:
        if self._client is not None:
            self._client.kill()
            self._client.wait()
        subprocess.run(["tmux", "-L", self.sock, "kill-server"], capture_output=True)


def reader_command(args: list[str], cache: Path) -> str:
    import shlex

    cmd = " ".join(
        ["env", f"DEAL_READER_CACHE_DIR={shlex.quote(str(cache))}", "uv", "run", "deal-reader", *map(shlex.quote, args)]
    )
    return f"cd {Path(__file__).resolve().parents[1]} && {cmd}"


def panes_shown(screen: str) -> bool:
    return "threshold" in screen and "pair" in screen and "re-aligning" not in screen


def tmux_launch(args: list[str], cache: Path, size=(100, 30), timeout: float = 300) -> dict[str, float]:
    """Wall-clock of the whole command in a real terminal, with ``cache`` as the cache directory:
    launch to first screen and to the panes."""
    if not shutil.which("tmux"):
        return {}
    term = Tmux(reader_command(args, cache), size)
    out: dict[str, float] = {}
    try:
        term.wait_for(lambda screen: "deal-reader" in screen, timeout)
        out["first screen (process)"] = time.perf_counter() - term.started
        term.wait_for(panes_shown, timeout)
        out["panes shown (process)"] = time.perf_counter() - term.started
    finally:
        term.close()
    return out


# Each navigation key, pressed 15 times; k/N/[ walk back over what j/n/] visited. Enter after ]:
# a sentence in a fact always has a counterpart, and so has that counterpart.
TMUX_KEYS = ["j", "k", "Tab", "n", "N", "]", "[", "u", "Enter"]


def percentiles(times: list[float]) -> tuple[float, float]:
    times = sorted(times)
    return statistics.median(times), times[min(len(times) - 1, math.ceil(len(times) * 0.95) - 1)]


def tmux_keys(
    args: list[str], cache: Path, presses: int = 15, size=(100, 30), threshold_presses: int = 5
) -> dict[str, float]:
    """Key to screen, as a person sees it: send-keys, then poll capture-pane until the screen changes
    (p50/p95 of the first change, and of the last change before it stays still). The conflicts
    table's Enter is timed from the table (c first, not timed). +/- are timed from the press to the
    new threshold's alignment shown in the status line."""
    if not shutil.which("tmux"):
        return {}
    term = Tmux(reader_command(args, cache), size)
    out: dict[str, float] = {}
    try:
        term.wait_for(panes_shown)
        term.settle(1.0)
        cost = []
        for _ in range(20):
            t = time.perf_counter()
            term.screen()
            cost.append((time.perf_counter() - t) * 1000)
        out["one capture-pane ms"] = statistics.median(cost)
        for key in [*TMUX_KEYS, "conflicts Enter"]:
            first, last = [], []
            for i in range(presses):
                if key == "Enter" and i == 0:
                    term.press("]")
                if key == "conflicts Enter":
                    term.press("c")
                got = term.press("Enter" if key == "conflicts Enter" else key)
                if got is not None:  # a jump to where the cursor already is changes nothing
                    first.append(got[0])
                    last.append(got[1])
            if len(first) < presses:
                out[f"{key} presses without change"] = float(presses - len(first))
            if not first:
                continue
            out[f"{key} p50 ms"], out[f"{key} p95 ms"] = percentiles(first)
            out[f"{key} settled p50 ms"], out[f"{key} settled p95 ms"] = percentiles(last)
        for key in ["+", "-"] * threshold_presses:
            screen = term.settle()
            old = re.search(r"threshold (\d\.\d\d)", screen)
            assert old, screen
            want = f"{float(old.group(1)) + (0.05 if key == '+' else -0.05):.2f}"
            t0 = time.perf_counter()
            term.send(key)
            term.wait_for(lambda s, want=want: f"threshold {want}" in s and "re-aligning" not in s, 30)
            out.setdefault(f"{key} alignment shown ms", [])  # type: ignore[arg-type]
            out[f"{key} alignment shown ms"].append((time.perf_counter() - t0) * 1000)  # type: ignore[union-attr]
        for key in ["+", "-"]:
            times = out.pop(f"{key} alignment shown ms")
            out[f"{key} shown p50 ms"], out[f"{key} shown p95 ms"] = percentiles(times)  # type: ignore[arg-type]
    finally:
        term.close()
    return out


def report(name: str, results: dict[str, float]) -> None:
    print(f"\n== {name}")
    for k, v in results.items():
        unit = "" if k in ("sentences", "pairs") else ("" if k.endswith("ms") else " s")
        print(
            f"  {k:28} {v:10.3f}{unit}"
            if isinstance(v, float) and k not in ("sentences", "pairs")
            else f"  {k:28} {int(v):10d}"
        )


def measure_in_child(paths: list[str] | None, presses: int, cache: Path) -> dict[str, float]:
    """Run :func:`measure` in a fresh process (nothing imported yet) with ``cache`` as the cache directory."""
    import json
    import os

    cmd = [sys.executable, __file__, "--child", json.dumps(paths), "--presses", str(presses)]
    env = {**os.environ, "DEAL_READER_CACHE_DIR": str(cache)}
    env.pop("DEAL_READER_NO_CACHE", None)
    proc = subprocess.run(cmd, env=env, capture_output=True, text=True)
    if proc.returncode != 0:
        raise SystemExit(f"benchmark child failed:\n{proc.stderr[-3000:]}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def fill_cache(paths: list[str] | None, cache: Path, csv: Path) -> None:
    """One export, so the reader then starts warm (parse and score caches)."""
    env = {**os.environ, "DEAL_READER_CACHE_DIR": str(cache)}
    env.pop("DEAL_READER_NO_CACHE", None)
    subprocess.run(
        ["uv", "run", "deal-reader", "export", *(paths or ["seeds"]), "--csv", str(csv), "--force"],
        env=env,
        check=True,
        capture_output=True,
        cwd=Path(__file__).resolve().parents[1],
    )


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--docs", type=int, default=20)
    p.add_argument("--sentences", type=int, default=100)
    p.add_argument("--presses", type=int, default=40)
    p.add_argument("--tmux", action="store_true", help="also time the whole process and its keys in tmux")
    p.add_argument("--tmux-presses", type=int, default=15, help="presses of each key in tmux")
    p.add_argument("--tmux-only", action="store_true", help="only the tmux figures (the caches are filled first)")
    p.add_argument("--skip-seeds", action="store_true")
    p.add_argument("--child", help=argparse.SUPPRESS)  # JSON list of paths (or null): measure once, print JSON
    args = p.parse_args()
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    if args.child is not None:
        import json

        print(json.dumps(asyncio.run(measure(json.loads(args.child), args.presses))))
        return 0
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        corpora: list[tuple[str, list[str] | None]] = [] if args.skip_seeds else [("seeds", None)]
        generated = root / "corpus"
        generated.mkdir()
        generate_corpus(generated, args.docs, args.sentences)
        corpora.append((f"generated {args.docs} x {args.sentences}", [str(generated)]))
        for name, paths in corpora:
            cache = root / f"cache-{len(name)}-{name[:5]}"
            # Cold: an empty cache directory (parse and score); warm: the same again (both cached).
            if args.tmux_only:
                # Cold: the reader itself parses and aligns into the empty cache directory.
                report(f"{name}, whole process in tmux 100x30 (cold)", tmux_launch(paths or [], cache))
                fill_cache(paths, cache, root / "fill.csv")
            else:
                report(f"{name}, cold", measure_in_child(paths, args.presses, cache))
                report(f"{name}, warm", measure_in_child(paths, args.presses, cache))
            if args.tmux or args.tmux_only:
                report(f"{name}, whole process in tmux 100x30 (warm)", tmux_launch(paths or [], cache))
                report(f"{name}, keys in tmux 100x30 (warm)", tmux_keys(paths or [], cache, args.tmux_presses))
    return 0


if __name__ == "__main__":
    sys.exit(main())
