"""`deal-reader export`: align documents and write CSV/JSON without the UI."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from .alignment import DEFAULT_THRESHOLD, align
from .documents import load_documents, require_corpus
from .errors import InputError, InstallError, OutputError
from .export import to_csv, to_facts_csv, to_json, write_output
from .fetch import DEFAULT_TIMEOUT
from .links import FILE_NAME, apply_file, default_path
from .problems import Problem
from .sources import SourceOptions


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


def add_input_args(parser: argparse.ArgumentParser) -> None:
    """Arguments shared by the reader and export: inputs and the alignment threshold."""
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
    p.add_argument("--force", action="store_true", help="overwrite existing output files")
    add_links_args(p)
    return p


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
        report(problems)
        require_corpus(docs)
        result = align(docs, args.threshold, cache=not args.no_cache)
        report(result.problems)
        links = links_path(args)
        if args.links and links is not None and not links.exists():
            # Named by the user: say that nothing was applied (the default file may well not exist).
            missing = [f"{links}: no such links file; no corrections applied"]
        else:
            missing = []
        result, link_problems = apply_file(result, links)
        report(missing + link_problems)
        for target, render, what in (
            (args.csv, to_csv, f"{len(result.pairs)} aligned pairs"),
            (args.json, to_json, f"{len(result.pairs)} aligned pairs"),
            (args.facts, to_facts_csv, f"{len(result.facts)} facts"),
        ):
            if target:
                where = write_output(render(result), target, force=args.force)
                if where != "standard output":
                    print(f"deal-reader: wrote {what} to {where}", file=sys.stderr)
    except (InputError, OutputError, InstallError, OSError) as e:
        print(f"deal-reader: {e}", file=sys.stderr)
        return 2
    return 0
