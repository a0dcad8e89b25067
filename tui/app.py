"""The reader app and `run_reader`, the `deal-reader [PATHS...]` entry point."""

from __future__ import annotations

import argparse
import dataclasses
import io
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from textual.app import App
from textual.binding import Binding

import align
from align import SourceOptions, add_input_args, source_options

from .commands import ReaderCommands
from .screens.reader import ReaderScreen

if TYPE_CHECKING:
    from .screens.help import HelpSection


class DealReaderApp(App[int]):
    """Several articles about one event side by side: aligned facts and numeric conflicts.

    Give ``alignment`` to open an already aligned corpus (tests, benchmarks), or ``stories`` for
    several stories aligned each on its own; otherwise the documents at ``paths`` (the bundled seeds
    when empty) are parsed, split into stories and aligned in a worker.
    """

    CSS_PATH = "reader.tcss"
    TITLE = "deal-reader"
    COMMANDS = App.COMMANDS | {ReaderCommands}
    BINDINGS = [
        Binding("q", "quit", "Quit"),
        Binding("question_mark,f1", "help", "Help", key_display="?"),
        Binding("ctrl+p", "command_palette", "Commands", show=False),
    ]

    def __init__(
        self,
        paths: Sequence[str] | None = None,
        *,
        threshold: float = align.DEFAULT_THRESHOLD,
        alignment: align.Alignment | None = None,
        options: SourceOptions | None = None,
        cache: bool | None = None,
        links: str | Path | None = None,
        stories: Sequence[tuple[align.Story, align.Alignment]] | None = None,
    ) -> None:
        super().__init__()
        self.stories = list(stories) if stories else None  # several stories aligned ready (tests)
        self.links = links  # the links file of corrections to apply and save (None: none)
        self.paths = list(paths) if paths else None
        self.options = options
        self.cache = cache  # False: --no-cache (parse and score everything again)
        self.threshold = threshold
        self.preloaded = alignment
        self.error = ""  # a one-line reason the corpus could not be opened

    def on_mount(self) -> None:
        self.push_screen(
            ReaderScreen(
                self.paths, self.threshold, self.preloaded, self.options, self.cache, self.links, stories=self.stories
            )
        )

    @property
    def reader(self) -> ReaderScreen:
        """The main screen, wherever it is in the stack."""
        return next(s for s in self.screen_stack if isinstance(s, ReaderScreen))

    def action_help(self) -> None:
        from .screens.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen(help_sections(), help_marks()))


def help_sections() -> list[HelpSection]:
    """Every binding of the reader, under the widget or screen that owns it."""
    from .screens.conflicts import ConflictsScreen
    from .screens.help import HelpSection
    from .screens.matrix import MatrixScreen, MatrixTable
    from .screens.stories import StoriesScreen
    from .widgets.pane_row import PaneRow
    from .widgets.search_bar import SearchBar

    return [
        HelpSection("Sentences (in a pane)", PaneRow.BINDINGS),
        HelpSection("Panes, jumps and views", ReaderScreen.BINDINGS),
        HelpSection("Search bar", SearchBar.BINDINGS),
        HelpSection("Conflicts view", ConflictsScreen.BINDINGS),
        HelpSection("Fact matrix", [*MatrixTable.BINDINGS, *MatrixScreen.BINDINGS]),
        HelpSection("Story list (a corpus of several stories)", StoriesScreen.BINDINGS),
        HelpSection("Anywhere", DealReaderApp.BINDINGS),
    ]


def help_marks() -> list[tuple[str, str]]:
    """The marks drawn in the panes, and the mouse gesture, with what each means."""
    from .widgets.sentence_view import CONFLICT_MARK, COUNTERPART_MARK, CURSOR_MARK, NEAR_MARK, UNIQUE_MARK

    return [
        ("Click", "select a sentence"),
        (CURSOR_MARK, "the selected sentence"),
        (COUNTERPART_MARK + " ≈0.82", "a counterpart of the selection, with its alignment score"),
        (CONFLICT_MARK, "a number that disagrees with a counterpart's"),
        (UNIQUE_MARK, "a sentence no other article states: nothing elsewhere comes close"),
        (NEAR_MARK, "not linked, but another article has a sentence close to it (in the panel below)"),
    ]


def reader_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="deal-reader",
        description="Read news articles about one event side by side: aligned facts and numeric conflicts. "
        "`deal-reader export --help` writes the alignment as CSV/JSON instead.",
    )
    add_input_args(parser)
    align.add_links_args(parser)
    return parser


def run_reader(argv: Sequence[str]) -> int:
    """Open the reader on the inputs named in ``argv``; the exit status."""
    args = reader_parser().parse_args(list(argv))
    options = source_options(args)
    unusable = align.unusable_paths(args.paths)
    if args.paths and len(unusable) == len(args.paths):  # nothing to open: say so before the window does
        for line in unusable:
            print(f"deal-reader: {line}", file=sys.stderr)
        return 2
    if "-" in args.paths and sys.stdin.isatty():
        print(
            "deal-reader: `-` reads a document from standard input; pipe one in "
            "(e.g. `cat article.txt | deal-reader - other.txt`)",
            file=sys.stderr,
        )
        return 2
    if "-" in args.paths:
        # The document comes down the pipe; the keys must come from the terminal.
        options = dataclasses.replace(options, stdin=io.BytesIO(sys.stdin.buffer.read()))
        try:
            tty = os.open("/dev/tty", os.O_RDONLY)
        except OSError:
            print(
                "deal-reader: reading a document from standard input needs a terminal for the keys; "
                "use `deal-reader export -` instead",
                file=sys.stderr,
            )
            return 2
        os.dup2(tty, 0)
        os.close(tty)
    app = DealReaderApp(
        args.paths or None,
        threshold=args.threshold,
        options=options,
        cache=False if args.no_cache else None,
        links=align.links_path(args),
    )
    try:
        result = app.run()
    except align.InputError as e:  # raised before the worker took over
        print(f"deal-reader: {e}", file=sys.stderr)
        return 2
    if app.error:
        print(f"deal-reader: {app.error}", file=sys.stderr)
    if app.return_code:
        return app.return_code
    return result or 0
