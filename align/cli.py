"""`deal-reader export`: align documents and write CSV/JSON without the UI."""

from __future__ import annotations

import argparse
import csv
import gc
import io
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from .alignment import DEFAULT_THRESHOLD
from .documents import load_documents, require_corpus
from .errors import InputError, InstallError, OutputError
from .export import neutralise, to_csv, to_facts_csv, to_json, to_json_stories, write_output
from .fetch import DEFAULT_TIMEOUT
from .links import FILE_NAME, apply_file, default_path
from .models import Document
from .problems import Problem
from .sources import SourceOptions
from .stories import Story, find_stories
from .storyalign import align_stories

STORY_CSV_COLUMNS = ("story", "document", "title")


def threshold_arg(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
    if not 0.0 <= value <= 1.0:
        raise argparse.ArgumentTypeError(f"must lie between 0 and 1, got {value}")
    return value


def timeout_arg(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
    if not 0.0 < value <= 600.0:
        raise argparse.ArgumentTypeError(f"must lie between 0 and 600 seconds, got {value:g}")
    return value


def source_options(args: argparse.Namespace) -> SourceOptions:
    """How to read the inputs, from the arguments :func:`add_input_args` declared."""
    return SourceOptions(offline=getattr(args, "offline", False), timeout=getattr(args, "timeout", DEFAULT_TIMEOUT))


def add_input_args(parser: argparse.ArgumentParser, threshold: bool = True) -> None:
    """Arguments shared by the reader, export and stories: inputs and (unless ``threshold`` is False) the
    alignment threshold."""
    parser.add_argument(
        "paths",
        nargs="*",
        metavar="PATH",
        help="text, Markdown or saved HTML files, directories of them, http(s):// URLs, "
        "or - for one document from standard input (default: the bundled seed articles)",
    )
    parser.add_argument("--offline", action="store_true", help="never use the network: URLs are refused with a message")
    parser.add_argument(
        "--timeout",
        type=timeout_arg,
        default=DEFAULT_TIMEOUT,
        metavar="SECONDS",
        help=f"give up on a URL after this many seconds (default {DEFAULT_TIMEOUT:g})",
    )
    parser.add_argument(
        "--no-cache",
        action="store_true",
        help="parse every input again instead of reusing parses stored in the user cache directory",
    )
    if not threshold:
        return
    parser.add_argument(
        "--threshold",
        type=threshold_arg,
        default=DEFAULT_THRESHOLD,
        help=f"minimum score for two sentences to align, 0..1 (default {DEFAULT_THRESHOLD})",
    )


def add_links_args(parser: argparse.ArgumentParser) -> None:
    """--links FILE / --no-links: the reader's corrections to the links (align/links.py)."""
    group = parser.add_mutually_exclusive_group()
    group.add_argument(
        "--links",
        metavar="FILE",
        help=f"the file of link corrections to apply (default: {FILE_NAME} beside the first "
        "input; in the user data directory for the bundled seeds)",
    )
    group.add_argument("--no-links", action="store_true", help="ignore the file of link corrections")


def links_path(args: argparse.Namespace) -> Path | None:
    """The links file the arguments name: --links, else the default beside the inputs; None for --no-links."""
    if getattr(args, "no_links", False):
        return None
    given = getattr(args, "links", None)
    return Path(given) if given else default_path(args.paths)


def export_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="deal-reader export", description="Align documents and export the aligned pairs.")
    add_input_args(p)
    p.add_argument("--csv", metavar="FILE", help="write aligned pairs as CSV ('-' for standard output)")
    p.add_argument("--json", metavar="FILE", help="write documents, sentences, pairs, facts and conflicts as JSON")
    p.add_argument(
        "--facts", metavar="FILE", help="write the fact matrix as CSV: one row per fact, one column per document"
    )
    p.add_argument(
        "--story",
        type=story_arg,
        metavar="N",
        help="export only story N, as `deal-reader stories` numbers them (default: every story, "
        "each aligned on its own)",
    )
    p.add_argument("--force", action="store_true", help="overwrite existing output files")
    add_links_args(p)
    return p


def story_arg(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"stories are numbered from 1, got {value}")
    return value


def stories_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="deal-reader stories",
        description="Split the documents into stories, one per event they report, and list them.",
    )
    add_input_args(p, threshold=False)
    p.add_argument(
        "--csv", metavar="FILE", help="write one row per document: story,document,title ('-' for standard output)"
    )
    p.add_argument("--force", action="store_true", help="overwrite an existing output file")
    return p


def stories_main(argv: Sequence[str]) -> int:
    """`deal-reader stories PATH... [--csv FILE]`: the corpus's stories, largest first."""
    args = stories_parser().parse_args(list(argv))
    try:
        docs, problems = load_documents(args.paths, options=source_options(args), cache=not args.no_cache)
        report(problems)
        if not docs:
            raise InputError("no readable documents")
        stories = find_stories(docs)
        if args.csv:
            where = write_output(stories_csv(docs, stories), args.csv, force=args.force)
            if where != "standard output":
                stories_word = "story" if len(stories) == 1 else "stories"
                print(
                    f"deal-reader: wrote {len(docs)} documents in {len(stories)} {stories_word} to {where}",
                    file=sys.stderr,
                )
        if args.csv != "-":
            sys.stdout.write(stories_text(docs, stories))
    except (InputError, OutputError, InstallError, OSError) as e:
        print(f"deal-reader: {e}", file=sys.stderr)
        return 2
    return 0


def stories_text(docs: Sequence[Document], stories: Sequence[Story]) -> str:
    """The stories as a person reads them: number, label, size and dates, then each document."""
    n = len(stories)
    lines = [f"{n} stor{'y' if n == 1 else 'ies'} in {len(docs)} document{'s' * (len(docs) != 1)}"]
    for st in stories:
        size = f"{st.size} document{'s' * (st.size != 1)}"
        lines += ["", f"Story {st.number}: {st.label}", f"  {size}" + (f" · {st.date_range}" if st.dates else "")]
        lines += [f"  - {docs[i].path or docs[i].name} · {docs[i].label}" for i in st.documents]
    return "\n".join(lines) + "\n"


def stories_csv(docs: Sequence[Document], stories: Sequence[Story]) -> str:
    """One row per document: its story's number (1 the largest), the document as given, its title."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(STORY_CSV_COLUMNS)
    for st in stories:
        for i in st.documents:
            w.writerow([str(st.number), neutralise(docs[i].path or docs[i].name), neutralise(docs[i].label)])
    return buf.getvalue()


def report(problems: Sequence[Problem | str]) -> None:
    for problem in problems:
        print(f"deal-reader: {problem}", file=sys.stderr)


def export_main(argv: Sequence[str]) -> int:
    args = export_parser().parse_args(list(argv))
    if not args.csv and not args.json and not args.facts:
        print(
            "deal-reader export: give --csv FILE, --json FILE and/or --facts FILE ('-' for standard output)",
            file=sys.stderr,
        )
        return 2
    if [args.csv, args.json, args.facts].count("-") > 1:
        print("deal-reader export: only one of --csv, --json and --facts can go to standard output", file=sys.stderr)
        return 2
    try:
        docs, problems = load_documents(args.paths, options=source_options(args), cache=not args.no_cache)
        # The documents live until the process ends: frozen, no later garbage collection walks their
        # hundreds of thousands of objects again (a fifth of a warm export of a hundred articles).
        gc.freeze()
        report(problems)
        require_corpus(docs)
        stories = find_stories(docs)
        if args.story is not None:
            if args.story > len(stories):
                n = len(stories)
                raise InputError(f"--story {args.story}: the documents make {n} stor{'y' if n == 1 else 'ies'}")
            stories = [stories[args.story - 1]]
        elif args.facts and len(stories) > 1:
            raise InputError(
                f"the documents make {len(stories)} stories and the fact matrix holds one: "
                "give --story N (see `deal-reader stories`)"
            )
        # A corpus of one story is aligned as a whole, exactly as before stories (align_stories copies nothing).
        progress = _progress if sys.stderr.isatty() and len(stories) > 1 else None
        results = align_stories(
            docs,
            stories,
            args.threshold,
            cache=not args.no_cache,
            progress=progress,
            facts=bool(args.json or args.facts),
        )
        for r in results:
            report(r.problems)
        links = links_path(args)
        if args.links and links is not None and not links.exists():
            # Named by the user: say that nothing was applied (the default file may well not exist).
            report([f"{links}: no such links file; no corrections applied"])
        results, link_problems = apply_file(results, links)
        report(link_problems)
        pairs = f"{sum(len(r.pairs) for r in results)} aligned pairs"
        if len(results) > 1:
            pairs += f" in {len(results)} stories"
        # What each output holds is said after it is rendered: only the outputs asked for group the facts.
        outputs: list[tuple[str | None, Callable[[], str], Callable[[], str]]] = [
            (args.csv, lambda: to_csv(results), lambda: pairs),
            (
                args.json,
                lambda: to_json(results[0]) if len(results) == 1 else to_json_stories(stories, results),
                lambda: pairs,
            ),
            (args.facts, lambda: to_facts_csv(results[0]), lambda: f"{len(results[0].facts)} facts"),
        ]
        for target, render, what in outputs:
            if target:
                where = write_output(render(), target, force=args.force)
                if where != "standard output":
                    print(f"deal-reader: wrote {what()} to {where}", file=sys.stderr)
    except (InputError, OutputError, InstallError, OSError) as e:
        print(f"deal-reader: {e}", file=sys.stderr)
        return 2
    return 0


def _progress(done: int, total: int) -> None:
    """Stories aligned so far, on one line of the terminal."""
    end = "\n" if done == total else ""
    print(f"\rdeal-reader: aligned {done}/{total} stories", end=end, file=sys.stderr, flush=True)
