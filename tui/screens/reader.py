"""The main screen: one pane per document, the selection's counterparts and conflicts."""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Sequence
from pathlib import Path

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.css.query import NoMatches
from textual.message import Message
from textual.notifications import SeverityLevel
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Header, Label, ProgressBar
from textual.worker import get_current_worker

import align
from align import Alignment, LinkBook, Problem, Sentence, Story

from .. import navigation
from ..widgets.detail_panel import DetailPanel
from ..widgets.document_pane import DocumentPane
from ..widgets.key_footer import KeyFooter
from ..widgets.pane_row import PaneRow
from ..widgets.search_bar import SearchBar
from ..widgets.sentence_view import SentenceView
from ..widgets.status_line import StatusLine

MIN_PANE_WIDTH = 40
THRESHOLD_STEP = 0.05
# How the reader announces each kind of problem: (notification title, severity).
PROBLEM_TITLES: dict[str, tuple[str, SeverityLevel]] = {
    "skipped": ("Skipped input", "warning"),
    "note": ("Note", "information"),
    "warning": ("Warning", "warning"),
}


class LoadingPanel(Vertical):
    """Shown while the worker parses and aligns: what it is doing and a progress bar."""

    def compose(self) -> ComposeResult:
        with Vertical(id="loading-box"):
            yield Label("Starting…", id="loading-label")
            yield ProgressBar(total=None, show_eta=False, show_percentage=False, id="loading-bar")


class ReaderScreen(Screen):
    """Panes side by side; the selection in the focused pane drives every other pane."""

    AUTO_FOCUS = ""  # nothing until the panes exist (not the hidden search bar): see _show_alignment

    BINDINGS = [
        Binding("tab,right,l", "pane(1)", "Next pane", show=False),
        Binding("shift+tab,left,h", "pane(-1)", "Previous pane", show=False),
        Binding(
            "enter,o",
            "counterpart",
            "Go to counterpart",
            show=False,
            tooltip="Jump to the selection's best counterpart, or its near miss (Enter again to come back)",
        ),
        Binding("n", "conflict(True)", "Next ≠", tooltip="Next sentence with a numeric conflict"),
        Binding("N", "conflict(False)", "Prev conflict", show=False),
        Binding("right_square_bracket", "fact(True)", "Next fact", show=False, key_display="]"),
        Binding("left_square_bracket", "fact(False)", "Prev fact", show=False, key_display="["),
        Binding("u", "unique", "Next unique", show=False),
        Binding("c", "conflicts", "Conflicts"),
        Binding("f", "matrix", "Facts", tooltip="Fact matrix: who says what, with which figure, article by article"),
        Binding(
            "escape",
            "back_to_matrix",
            "Back",
            tooltip="After a jump from the fact matrix: back to it, on the same cell",
        ),
        Binding("e", "export", "Export"),
        Binding(
            "plus,equals_sign",
            "threshold(1)",
            "Threshold+",
            show=False,
            key_display="+",
            tooltip="Raise the alignment threshold",
        ),
        Binding(
            "minus,underscore",
            "threshold(-1)",
            "Threshold-",
            show=False,
            key_display="-",
            tooltip="Lower the alignment threshold",
        ),
        Binding("slash", "search", "Search", key_display="/", show=False),
        Binding("greater_than_sign", "page(1)", "Next page of panes", show=False, key_display=">"),
        Binding("less_than_sign", "page(-1)", "Previous page of panes", show=False, key_display="<"),
        Binding("x", "reject_link", "Reject", tooltip="Reject the link between the selection and its counterpart"),
        # Not in the Footer: at 80 columns it would push out "? Help" (the help screen lists it).
        Binding("a", "add_link", "Link", show=False, tooltip="Start a link: move to the other sentence, then Enter"),
        Binding("U", "undo_link", "Undo", tooltip="Undo the last link correction"),
        Binding("escape", "cancel_link", "Cancel link", tooltip="Cancel the link being made"),
        Binding("S", "stories", "Stories", tooltip="Switch story: the list of the corpus's stories"),
        Binding("escape", "stories", "Stories", show=False, tooltip="Back to the list of stories"),
    ]

    class Loaded(Message):
        """The worker parsed and aligned the corpus, and applied the links file."""

        def __init__(
            self,
            alignment: Alignment,
            problems: list[Problem],
            book: LinkBook | None = None,
            link_problems: list[str] | None = None,
        ) -> None:
            super().__init__()
            self.alignment = alignment
            self.problems = problems
            self.book = book
            self.link_problems = link_problems or []

    class StoriesLoaded(Message):
        """The worker found several stories and aligned each on its own."""

        def __init__(
            self,
            stories: list[tuple[Story, Alignment]],
            problems: list[Problem],
            book: LinkBook,
            link_problems: list[str],
        ) -> None:
            super().__init__()
            self.stories = stories
            self.problems = problems
            self.book = book
            self.link_problems = link_problems

    class Progress(Message):
        def __init__(self, label: str) -> None:
            super().__init__()
            self.label = label

        def can_replace(self, message: Message) -> bool:
            return isinstance(message, ReaderScreen.Progress)

    class Failed(Message):
        def __init__(self, error: str) -> None:
            super().__init__()
            self.error = error

    class Corrected(Message):
        """A worker applied the link corrections and saved them (``problem`` says why it could not save)."""

        def __init__(self, alignment: Alignment, corrections: tuple, note: str, problem: str | None) -> None:
            super().__init__()
            self.alignment = alignment
            self.corrections = corrections
            self.note = note
            self.problem = problem

    class Realigned(Message):
        """A worker re-aligned the corpus at another threshold."""

        def __init__(self, alignment: Alignment) -> None:
            super().__init__()
            self.alignment = alignment

    class Refined(Message):
        """The refine worker's cross-encoder read another part of a story's uncertain pairs again."""

        def __init__(self, story: int | None, alignment: Alignment, done: int, total: int) -> None:
            super().__init__()
            self.story = story  # the story's position, None for a corpus of one story
            self.alignment = alignment
            self.done = done
            self.total = total

    class RefineFailed(Message):
        """The cross-encoder could not run: the judge's scores stay."""

        def __init__(self, error: str) -> None:
            super().__init__()
            self.error = error

    def __init__(
        self,
        paths: list[str] | None = None,
        threshold: float = align.DEFAULT_THRESHOLD,
        alignment: Alignment | None = None,
        options=None,
        cache: bool | None = None,
        links: str | Path | None = None,
        stories: Sequence[tuple[Story, Alignment]] | None = None,
    ) -> None:
        super().__init__()
        self.paths = paths
        self.options = options  # align.sources.SourceOptions: network access, standard input
        self.cache = cache  # parse and score caches: None default, False off
        self.initial_threshold = threshold
        self.alignment: Alignment | None = alignment
        self.problems: list[Problem] = []
        self.selected: Sentence | None = None
        self.first_visible = 0
        self.search_hits: list[Sentence] = []
        self.note = ""
        self.wanted_threshold: float | None = None  # asked for with +/-, being re-aligned in a worker
        self.matrix_place = None  # screens.matrix.MatrixExit: where the fact matrix closed
        self.from_matrix = False  # the selection came from the matrix: Escape goes back to it
        self.links = links  # the links file of corrections (align/links.py); None: none
        self.book: LinkBook | None = None
        self.linking: Sentence | None = None  # the first end of a link started with `a`
        self.previous: Sentence | None = None  # the last selection in another document: the link `x` rejects
        self.save_problem: str | None = None  # the last reason the corrections could not be saved
        self._save_lock = threading.Lock()
        self._panes: list[DocumentPane] | None = None  # once mounted (see panes)
        self._prepare_timer: Timer | None = None  # the idle-time wrapping of hidden panes (see _prepare_hidden)
        # A corpus of several stories: each story with its alignment, and which one the panes show.
        self.stories: list[tuple[Story, Alignment]] = list(stories or [])
        self.story: int | None = None
        self.working = ""  # what the refine worker is doing, for the status line ("" when done)

    # ----- composition and loading --------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield Header()
        loading = self.alignment is None and not self.stories
        yield PaneRow(id="panes", classes="loading" if loading else "")
        if loading:
            yield LoadingPanel(id="loading")
        yield DetailPanel(id="detail")
        yield SearchBar()
        yield StatusLine(id="status")
        yield KeyFooter(compact=True)

    def on_mount(self) -> None:
        if self.stories:
            # Stories given ready (tests): their links are applied by whoever aligned them.
            self.book, problems = LinkBook.open(self.links)
            self._report_links(problems)
            self.call_after_refresh(self.action_stories)
        elif self.alignment is None:
            self.load()
        else:
            # An alignment given ready (tests, benchmarks): its links file is small, read it here.
            self.alignment, problems = self._open_links(self.alignment)
            self._report_links(problems)
            self.call_after_refresh(self._show_alignment, self.alignment)
            if not self.alignment.refined:
                self.refine_given(self.alignment)

    def _open_links(self, alignment: Alignment) -> tuple[Alignment, list[str]]:
        """Read the links file and apply it; the lines for what did not apply."""
        self.book, problems = LinkBook.open(self.links)
        alignment, more = self.book.apply(alignment)
        return alignment, problems + more

    def _report_links(self, problems: list[str]) -> None:
        for problem in problems:
            self.notify(problem, title="Link corrections", severity="warning", timeout=10)

    @work(thread=True, exclusive=True, group="load", exit_on_error=False)
    def load(self) -> None:
        worker = get_current_worker()
        what = f"{len(self.paths)} input(s)" if self.paths else "the bundled seed articles"
        self.post_message(self.Progress(f"Reading and parsing {what} (loading the language model)…"))
        try:
            docs, problems = align.load_documents(self.paths, options=self.options, cache=self.cache)
            try:
                align.require_corpus(docs)
            except align.InputError as e:
                raise align.InputError("; ".join([*map(str, problems), str(e)])) from None
            if worker.is_cancelled:
                return
            self.post_message(self.Progress(f"Finding the stories of {len(docs)} documents…"))
            stories = align.find_stories(docs)
            if len(stories) > 1:
                self._load_stories(docs, stories, problems)
                return
            n = sum(len(d.sentences) for d in docs)
            self.post_message(self.Progress(f"Aligning {n} sentences in {len(docs)} documents…"))
            # The judge's scores show at once; the cross-encoder reads the uncertain pairs again after.
            result = align.align(docs, self.initial_threshold, cache=self.cache, refine=False)
            book, link_problems = LinkBook.open(self.links)
            result, more = book.apply(result)
            result.with_facts()
        except (align.InputError, align.InstallError, OSError) as e:
            self.post_message(self.Failed(str(e)))
            return
        self.post_message(self.Loaded(result, problems + result.problems, book, link_problems + more))
        self._refine([(None, result)])

    def _load_stories(self, docs: list[align.Document], stories: list[Story], problems: list[Problem]) -> None:
        """In the load worker: align each story on its own, then hand them over."""

        def progress(done: int, total: int) -> None:
            self.post_message(self.Progress(f"Aligned {done} of {total} stories…"))

        progress(0, len(stories))
        results = align.align_stories(
            docs, stories, self.initial_threshold, cache=self.cache, progress=progress, refine=False
        )
        book, link_problems = LinkBook.open(self.links)
        results, more = align.apply_to_stories(book, results)
        results = [r.with_facts() for r in results]
        engine = [p for r in results for p in r.problems]
        self.post_message(
            self.StoriesLoaded(list(zip(stories, results, strict=True)), problems + engine, book, link_problems + more)
        )
        self._refine(list(enumerate(results)))

    # A description of our own: Textual would otherwise repr() the whole alignment, on the UI thread.
    @work(thread=True, exclusive=True, group="load", exit_on_error=False, description="read pairs again")
    def refine_given(self, alignment: Alignment) -> None:
        """An alignment given ready but not yet refined: the cross-encoder reads its pairs again."""
        self._refine([(None, alignment)])

    def _refine(self, jobs: list[tuple[int | None, Alignment]]) -> None:
        """In the load worker: let the cross-encoder read each story's uncertain pairs again, the marks
        updating after each part (a warm open finds the refined scores cached and reads nothing)."""
        worker = get_current_worker()
        try:
            for story, alignment in jobs:
                for done, total, result in align.refine(alignment, cache=self.cache):
                    if worker.is_cancelled:
                        return
                    self.post_message(self.Refined(story, result.with_facts(), done, total))
        except (align.InstallError, OSError) as e:
            self.post_message(self.RefineFailed(str(e)))

    async def on_reader_screen_stories_loaded(self, message: StoriesLoaded) -> None:
        await self._loaded(message.problems, message.book, message.link_problems)
        self.stories = message.stories
        self.action_stories()

    def action_stories(self) -> None:
        """The list of stories; the one chosen opens in the panes."""
        from .stories import StoriesScreen

        if len(self.stories) < 2:
            return
        self._keep_story()
        self.app.push_screen(StoriesScreen(self.stories, self.story), self._story_chosen)

    def _keep_story(self) -> None:
        """Remember the open story's alignment as it is now (threshold, corrections)."""
        if self.story is not None and self.alignment is not None:
            self.stories[self.story] = (self.stories[self.story][0], self.alignment)

    def _story_chosen(self, k: int | None) -> None:
        if k is not None and k != self.story:
            self.call_after_refresh(self._open_story, k)

    async def _open_story(self, k: int) -> None:
        """Show story ``k`` in the panes, in place of the one open."""
        self._keep_story()
        self.story = k
        self.selected = self.previous = self.linking = None
        self.first_visible = 0
        self.from_matrix, self.matrix_place = False, None
        self.search_hits, self.note = [], ""
        await self.query(DocumentPane).remove()
        self._panes = None
        await self._show_alignment(self.stories[k][1])
        self.refresh_bindings()

    def on_reader_screen_progress(self, message: Progress) -> None:
        with contextlib.suppress(NoMatches):  # the label is gone once the corpus is shown
            self.query_one("#loading-label", Label).update(message.label)

    def on_reader_screen_failed(self, message: Failed) -> None:
        self.app.error = message.error  # type: ignore[attr-defined]
        self.app.exit(return_code=2)

    async def on_reader_screen_loaded(self, message: Loaded) -> None:
        await self._loaded(message.problems, message.book, message.link_problems)
        await self._show_alignment(message.alignment)

    async def _loaded(self, problems: list[Problem], book: LinkBook | None, link_problems: list[str]) -> None:
        """What every finished load does first: tell its problems once each, and take the loading screen away."""
        self.problems = problems
        self.book = book
        for problem in dict.fromkeys(problems):  # several stories may report one problem
            title, severity = PROBLEM_TITLES[problem.kind]
            self.notify(str(problem), title=title, severity=severity, timeout=8)
        self._report_links(link_problems)
        with contextlib.suppress(NoMatches):
            await self.query_one("#loading").remove()
        self.query_one("#panes").remove_class("loading")

    async def _show_alignment(self, alignment: Alignment) -> None:
        self.alignment = alignment
        docs = alignment.documents
        panes = self.query_one(PaneRow)
        with self.app.batch_update():
            await panes.mount_all(DocumentPane(d, alignment, i + 1, len(docs)) for i, d in enumerate(docs))
            self._panes = None
            self._layout_panes()
        panes.focus()
        self._enter(self.views[0])
        self._schedule_prepare(0.3)
        self._refresh_header()

    # ----- state ---------------------------------------------------------------------------------

    @property
    def views(self) -> list[SentenceView]:
        return [pane.view for pane in self.panes]

    @property
    def panes(self) -> list[DocumentPane]:
        # Asked for several times a key: a DOM query each time cost ~2 ms on 20 panes.
        if self._panes is None:
            self._panes = list(self.query(DocumentPane))
        return self._panes

    def _visible_count(self) -> int:
        return max(1, self.size.width // MIN_PANE_WIDTH)

    def _layout_panes(self) -> None:
        panes = self.panes
        if not panes:
            return
        shown = min(self._visible_count(), len(panes))
        self.first_visible = max(0, min(self.first_visible, len(panes) - shown))
        for i, pane in enumerate(panes):
            visible = self.first_visible <= i < self.first_visible + shown
            if pane.display != visible:
                pane.display = visible
        self._refresh_status()

    def _schedule_prepare(self, delay: float) -> None:
        """Wrap the hidden panes after ``delay``: one chain of timers at a time (a resize storm or
        several +/- presses would otherwise start one each)."""
        if self._prepare_timer is not None:
            self._prepare_timer.stop()
        self._prepare_timer = self.set_timer(delay, self._prepare_hidden)

    def _prepare_hidden(self) -> None:
        """Wrap the hidden panes' sentences in idle time, one pane per timer tick so keys get their
        turn: first those next to the shown ones (what Tab, Shift+Tab, > and < show next), then the
        rest (n, u, ] and the conflicts table jump anywhere). After a +/- the wraps mostly hit their
        cache and a pane costs a few milliseconds."""
        panes = self.panes
        shown = [p.view for p in panes if p.display]
        if not shown or not shown[0].size.width:
            return
        width = shown[0].scrollable_content_region.width
        first, n = self.first_visible, len(shown)
        near = [*range(first + n, first + 2 * n), *range(first - n, first), 0, len(panes) - 1]  # Tab wraps
        for i in [*near, *range(len(panes))]:
            if 0 <= i < len(panes) and not panes[i].display and panes[i].view.prepare(width):
                self._schedule_prepare(0.05)
                return

    def _ensure_pane_visible(self, doc: int) -> None:
        shown = min(self._visible_count(), len(self.panes))
        first = self.first_visible
        if doc < self.first_visible:
            self.first_visible = doc
        elif doc >= self.first_visible + shown:
            self.first_visible = doc - shown + 1
        self._layout_panes()
        if self.first_visible != first:
            self._schedule_prepare(0.3)  # the new neighbours

    def on_resize(self) -> None:
        if self.alignment is not None:
            self._layout_panes()
            if self.selected is not None:
                self._ensure_pane_visible(self.selected.doc)
            self._schedule_prepare(0.3)

    def _refresh_header(self) -> None:
        if self.alignment is None:
            return
        a = self.alignment
        self.title = "deal-reader"
        self.sub_title = f"{len(a.documents)} articles · threshold {a.threshold:.2f}"
        if self.story is not None:
            self.sub_title = f"story {self.story + 1} of {len(self.stories)} · " + self.sub_title
        self._refresh_status()

    def _refresh_status(self) -> None:
        if self.alignment is None:
            return
        shown = min(self._visible_count(), len(self.alignment.documents))
        pending = ""
        if self.linking is not None:
            pending = f"Linking {self._at(self.linking)}: go to a sentence, Enter links, Esc cancels"
        status = self.query_one(StatusLine)
        status.show(self.alignment, self.first_visible, shown, self.note, pending, self.working)

    # ----- selection -----------------------------------------------------------------------------

    @on(SentenceView.Selected)
    def _selection_changed(self, message: SentenceView.Selected) -> None:
        self._focus_panes()
        self._select(message.sentence)

    def _focus_panes(self) -> None:
        row = self.query_one(PaneRow)
        if not row.has_focus:
            row.focus()

    def _enter(self, view: SentenceView) -> None:
        """Make ``view``'s cursor sentence the selection (Tab, a page of panes, the first pane)."""
        self._focus_panes()
        self._select(view.enter())

    def _select(self, sentence: Sentence) -> None:
        """Make ``sentence`` the selection: highlight its counterparts in every other pane."""
        assert self.alignment is not None
        if self.selected is not None and self.selected.doc != sentence.doc:
            self.previous = self.selected
        self.selected = sentence
        pairs = self.alignment.pairs_of(sentence)
        counterparts = {p.other(sentence): p.score for p in pairs}
        user = frozenset(p.other(sentence) for p in pairs if p.origin == "user")
        keys = self.query_one(PaneRow).has_focus
        for pane in self.panes:
            view = pane.view
            pane.set_current(view.document is self.alignment.documents[sentence.doc], keys=keys)
            if view.active:
                if view.counterparts:
                    view.set_counterparts({}, follow=False)
            else:
                view.set_counterparts(counterparts, user=user)
        self._ensure_pane_visible(sentence.doc)
        self.query_one(DetailPanel).show(self.alignment, sentence)

    def jump_to(self, sentence: Sentence) -> None:
        """Select a sentence in its pane, making the pane current and showing it."""
        view = self.views[sentence.doc]
        self._ensure_pane_visible(sentence.doc)
        self._focus_panes()
        view.select(sentence.index - 1, center=True, announce=False)
        self._select(sentence)

    def focused_view(self) -> SentenceView | None:
        views = self.views
        if self.selected is not None and views:
            return views[self.selected.doc]
        return views[0] if views else None

    # ----- actions -------------------------------------------------------------------------------

    def action_cursor(self, move: str) -> None:
        """A cursor key (PaneRow's bindings) in the selection's pane; every pane follows at once."""
        view = self.focused_view()
        if view is None:
            return
        view.select(view.target(move), announce=False)
        self._select(view.selected)

    def action_pane(self, delta: int) -> None:
        views = self.views
        view = self.focused_view()
        if view is None:
            return
        doc = (views.index(view) + delta) % len(views)
        self._ensure_pane_visible(doc)
        self._enter(views[doc])

    def action_page(self, delta: int) -> None:
        views = self.views
        if not views:
            return
        shown = min(self._visible_count(), len(views))
        first = max(0, min(self.first_visible + delta * shown, len(views) - shown))
        self.first_visible = first
        self._layout_panes()
        self._enter(views[first])

    def _jump(self, target: Sentence | None, what: str) -> None:
        if target is None:
            self.notify(f"No {what} at this threshold.", timeout=3)
            return
        self.jump_to(target)

    def action_conflict(self, forward: bool) -> None:
        if self.alignment:
            self._jump(
                navigation.step(navigation.conflict_sentences(self.alignment), self.selected, forward),
                "numeric conflicts",
            )

    def action_counterpart(self) -> None:
        if self.linking is not None:
            self.finish_link()
            return
        if self.alignment and self.selected is not None:
            best = self.alignment.counterparts(self.selected)
            # An unlinked sentence's near miss is where the panel points: Enter goes there too, so
            # the reader can judge it (and link it with `a`).
            near = None if best else self.alignment.near_miss(self.selected)
            target = best[0][0] if best else near[0] if near else None
            self._jump(target, "counterpart for this sentence")

    def action_unique(self) -> None:
        if self.alignment:
            self._jump(navigation.step(navigation.unique_sentences(self.alignment), self.selected), "unique sentences")

    def action_fact(self, forward: bool) -> None:
        if not self.alignment:
            return
        fact = navigation.step_fact(self.alignment, self.selected, forward)
        if fact is None:
            self._jump(None, "aligned facts")
            return
        here = self.selected.doc if self.selected is not None else 0
        self._jump(navigation.in_document(fact, here) or min(fact.sentences, key=navigation.position), "")
        self.note = f"fact {navigation.ordered_facts(self.alignment).index(fact) + 1}/{len(self.alignment.facts)}"
        self._refresh_status()

    def action_threshold(self, direction: int) -> None:
        if self.alignment is None:
            return
        # Presses add up while a re-alignment runs: step from the value last asked for.
        current = self.wanted_threshold if self.wanted_threshold is not None else self.alignment.threshold
        value = round(min(0.95, max(0.05, current + direction * THRESHOLD_STEP)), 2)
        if value == round(current, 2):
            self.notify("The threshold is at its limit.", timeout=2)
            return
        self.wanted_threshold = value
        self.note = f"re-aligning at {value:.2f}…"
        self._refresh_status()
        self.realign(self.alignment, value)

    # A description of our own: Textual would otherwise repr() the whole alignment, on the UI thread.
    @work(thread=True, exclusive=True, group="threshold", exit_on_error=False, description="re-align")
    def realign(self, alignment: Alignment, threshold: float) -> None:
        """Select pairs and group facts at another threshold; on a large corpus this takes seconds."""
        result = alignment.with_threshold(threshold).with_facts()
        if not get_current_worker().is_cancelled:
            self.post_message(self.Realigned(result))

    def on_reader_screen_realigned(self, message: Realigned) -> None:
        if self.wanted_threshold is not None and message.alignment.threshold != self.wanted_threshold:
            return  # a later press is being worked on
        self.wanted_threshold = None
        self.note = ""
        result = message.alignment
        if self.alignment is not None and (result.rejected, result.added) != (
            self.alignment.rejected,
            self.alignment.added,
        ):
            # A correction landed while the threshold changed: the new pairs take the newest corrections.
            result = result.with_corrections(self.alignment.rejected, self.alignment.added)
        self.set_alignment(self._newer_scores(result))

    def on_reader_screen_refined(self, message: Refined) -> None:
        self.working = "" if message.done >= message.total else f"reading pairs again {message.done}/{message.total}"
        if message.story is not None and message.story != self.story:
            # A story not open: it takes the refined scores with its own threshold and corrections.
            story, kept = self.stories[message.story]
            self.stories[message.story] = (story, self._rebased(message.alignment, kept))
            self._refresh_status()
            return
        if self.alignment is not None:
            self.set_alignment(self._rebased(message.alignment, self.alignment))

    def on_reader_screen_refine_failed(self, message: RefineFailed) -> None:
        self.working = ""
        self.notify(message.error, title="Pairs not read again", severity="warning", timeout=10)
        self._refresh_status()

    @staticmethod
    def _rebased(fresh: Alignment, shown: Alignment) -> Alignment:
        """``fresh`` scores at the threshold and with the corrections of ``shown`` (the reader may have
        changed either while a worker ran)."""
        if fresh.threshold != shown.threshold:
            fresh = fresh.with_threshold(shown.threshold)
        if (fresh.rejected, fresh.added) != (shown.rejected, shown.added):
            fresh = fresh.with_corrections(shown.rejected, shown.added)
        return fresh

    def _newer_scores(self, result: Alignment) -> Alignment:
        """``result``, or, when the scores shown were refined after the worker that made it started, the
        refined ones at its threshold and with its corrections."""
        shown = self.alignment
        if shown is not None and shown.refined and not result.refined:
            return self._rebased(shown, result)
        return result

    def set_alignment(self, alignment: Alignment) -> None:
        self.alignment = alignment
        for view in self.views:
            view.set_alignment(alignment)
        self._refresh_header()
        if self.selected is not None:
            self._select(self.selected)
        self._schedule_prepare(0.3)

    # ----- corrections to the links ---------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "cancel_link":
            return self.linking is not None  # Escape does nothing else here; hidden until a link is started
        if action == "undo_link":
            return bool(self.book and self.book.history)
        if action == "stories":
            # Escape's last use: after a link being made and a jump from the matrix
            return len(self.stories) > 1 and self.linking is None and not self.from_matrix
        if action == "back_to_matrix":
            # hidden from the Footer, and Escape free, until a jump from the matrix (a link being made comes first)
            return self.from_matrix and self.linking is None
        return True

    def partner(self) -> Sentence | None:
        """The counterpart `x` rejects: the sentence the reader came from, if linked, else the best one."""
        if self.alignment is None or self.selected is None:
            return None
        counterparts = [s for s, _ in self.alignment.counterparts(self.selected)]
        if self.previous in counterparts:
            return self.previous
        return counterparts[0] if counterparts else None

    def action_reject_link(self) -> None:
        other = self.partner()
        if other is None or self.book is None or self.alignment is None:
            self.notify("This sentence has no counterpart to reject.", timeout=3)
            return
        assert self.selected is not None
        self.book.reject(self.alignment.documents, self.selected, other)
        self._correct(f"Rejected the link {self._at(self.selected)} ~ {self._at(other)}. U undoes.")

    def action_add_link(self) -> None:
        if self.selected is None or self.book is None:
            return
        self.linking = self.selected
        self.refresh_bindings()
        self._refresh_status()

    def action_cancel_link(self) -> None:
        self.linking = None
        self.refresh_bindings()
        self._refresh_status()

    def finish_link(self) -> None:
        """Enter while linking: link the sentence the link started from to the selection."""
        start, target = self.linking, self.selected
        assert start is not None and self.alignment is not None and self.book is not None
        if target is None or target.doc == start.doc:
            self.notify("A link joins sentences of two articles: move to another pane first (Esc cancels).", timeout=4)
            return
        self.action_cancel_link()
        if any(s is target for s, _ in self.alignment.counterparts(start)):
            self.notify("These two sentences are already linked.", timeout=3)
            return
        self.book.add(self.alignment.documents, start, target)
        self._correct(f"Linked {self._at(start)} ~ {self._at(target)}. U undoes.")

    def action_undo_link(self) -> None:
        if self.book is None or not self.book.undo():
            self.notify("No link correction to undo.", timeout=3)
            return
        self._correct("Undid the last link correction.")

    def _at(self, s: Sentence) -> str:
        return f"{s.doc + 1}:#{s.index}"

    def _correct(self, note: str) -> None:
        assert self.alignment is not None and self.book is not None
        self.refresh_bindings()
        self.apply_corrections(self.alignment, self.book.corrections, note)

    @work(thread=True, exclusive=True, group="links", exit_on_error=False, description="apply link corrections")
    def apply_corrections(self, alignment: Alignment, corrections: tuple, note: str) -> None:
        """Re-group facts and conflicts with the corrections, then save them (atomically)."""
        assert self.book is not None
        got = align.resolve_links(corrections, alignment.documents, self.book.label)
        result = alignment.with_corrections(got.rejected, got.added).with_facts()
        problem = None
        with self._save_lock:  # an older worker never writes after a newer one
            if corrections is self.book.corrections:
                problem = self.book.save(corrections)
        if not get_current_worker().is_cancelled:
            self.post_message(self.Corrected(result, corrections, note, problem))

    def on_reader_screen_corrected(self, message: Corrected) -> None:
        if self.book is None or self.alignment is None or message.corrections is not self.book.corrections:
            return  # a later correction is being worked on
        result = message.alignment
        if result.threshold != self.alignment.threshold:  # the threshold changed meanwhile: keep the new one
            result = self.alignment.with_corrections(result.rejected, result.added)
        if message.problem and message.problem != self.save_problem:
            self.notify(message.problem, title="Link corrections not saved", severity="warning", timeout=10)
        self.save_problem = message.problem
        self.set_alignment(self._newer_scores(result))
        self.notify(message.note, timeout=3)

    def action_conflicts(self) -> None:
        from .conflicts import ConflictsScreen

        if self.alignment is None:
            return

        def chosen(conflict) -> None:
            if conflict is not None:
                self.jump_to(conflict.a)

        self.app.push_screen(ConflictsScreen(self.alignment), chosen)

    def action_matrix(self) -> None:
        from .matrix import MatrixScreen

        if self.alignment is None:
            return

        def closed(place) -> None:
            self.matrix_place = place
            self.from_matrix = place is not None and place.sentence is not None
            if self.from_matrix:
                # Once this screen is back and laid out: a pane shown while it is suspended keeps
                # the size it had, so the jump would land in a pane that has not been laid out.
                self.call_after_refresh(self.jump_to, place.sentence)
            self.refresh_bindings()

        self.from_matrix = False
        self.app.push_screen(MatrixScreen(self.alignment, self.matrix_place), closed)

    def action_back_to_matrix(self) -> None:
        self.action_matrix()

    def action_export(self) -> None:
        from .export import ExportDialog

        if self.alignment is None:
            return
        if not self.alignment.refined:
            # The CSV must be what `deal-reader export` writes, which waits for the second reading.
            self.notify(
                "The pairs are still being read again (see the status line): export when that is done.",
                title="Not yet",
                severity="warning",
                timeout=5,
            )
            return
        self.app.push_screen(ExportDialog(self.alignment))

    # ----- search --------------------------------------------------------------------------------

    def action_search(self) -> None:
        bar = self.query_one(SearchBar)
        bar.add_class("open")
        bar.focus()

    @on(SearchBar.Changed)
    def _search_changed(self, event: SearchBar.Changed) -> None:
        if self.alignment is None:
            return
        self.search_hits = navigation.matches(self.alignment.documents, event.value)
        for view in self.views:
            view.set_query(event.value.strip())
        self._search_step(True, from_here=True)

    def _search_step(self, forward: bool, from_here: bool = False) -> None:
        hits = self.search_hits
        if not hits:
            self.note = "no match" if self.query_one(SearchBar).value.strip() else ""
            self._refresh_status()
            return
        current = self.selected
        target = current if from_here and current in hits else navigation.step(hits, current, forward)
        assert target is not None
        view = self.views[target.doc]
        self._ensure_pane_visible(target.doc)
        view.select(target.index - 1, center=True, announce=False)
        self._select(target)
        self.note = f"match {hits.index(target) + 1}/{len(hits)}"
        self._refresh_status()

    @on(SearchBar.Step)
    def _search_next(self, message: SearchBar.Step) -> None:
        self._search_step(message.forward)

    @on(SearchBar.Closed)
    def _search_closed(self) -> None:
        bar = self.query_one(SearchBar)
        bar.remove_class("open")
        self._focus_panes()
