"""The main screen: one pane per document, the selection's counterparts and conflicts."""
from __future__ import annotations

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.css.query import NoMatches
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Header, Label, ProgressBar
from textual.worker import get_current_worker

import align
from align import Alignment, Sentence

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
        Binding("enter,o", "counterpart", "Go to counterpart", show=False,
                tooltip="Jump to the selection's best counterpart (Enter again to come back)"),
        Binding("n", "conflict(True)", "Next conflict", tooltip="Next sentence with a numeric conflict"),
        Binding("N", "conflict(False)", "Prev conflict", show=False),
        Binding("right_square_bracket", "fact(True)", "Next fact", show=False, key_display="]"),
        Binding("left_square_bracket", "fact(False)", "Prev fact", show=False, key_display="["),
        Binding("u", "unique", "Next unique", show=False),
        Binding("c", "conflicts", "Conflicts"),
        Binding("e", "export", "Export"),
        Binding("plus,equals_sign", "threshold(1)", "Threshold+", show=False, key_display="+", tooltip="Raise the alignment threshold"),
        Binding("minus,underscore", "threshold(-1)", "Threshold-", show=False, key_display="-", tooltip="Lower the alignment threshold"),
        Binding("slash", "search", "Search", key_display="/"),
        Binding("greater_than_sign", "page(1)", "Next page of panes", show=False, key_display=">"),
        Binding("less_than_sign", "page(-1)", "Previous page of panes", show=False, key_display="<"),
    ]

    class Loaded(Message):
        """The worker parsed and aligned the corpus."""

        def __init__(self, alignment: Alignment, problems: list[str]) -> None:
            super().__init__()
            self.alignment = alignment
            self.problems = problems

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

    class Realigned(Message):
        """A worker re-aligned the corpus at another threshold."""

        def __init__(self, alignment: Alignment) -> None:
            super().__init__()
            self.alignment = alignment

    def __init__(self, paths: list[str] | None = None, threshold: float = align.DEFAULT_THRESHOLD,
                 alignment: Alignment | None = None, options=None, cache: bool | None = None) -> None:
        super().__init__()
        self.paths = paths
        self.options = options  # align.sources.SourceOptions: network access, standard input
        self.cache = cache  # parse and score caches: None default, False off
        self.initial_threshold = threshold
        self.alignment: Alignment | None = alignment
        self.problems: list[str] = []
        self.selected: Sentence | None = None
        self.first_visible = 0
        self.search_hits: list[Sentence] = []
        self.note = ""
        self.wanted_threshold: float | None = None  # asked for with +/-, being re-aligned in a worker
        self._panes: list[DocumentPane] | None = None  # once mounted (see panes)

    # ----- composition and loading --------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield Header()
        yield PaneRow(id="panes", classes="loading" if self.alignment is None else "")
        if self.alignment is None:
            yield LoadingPanel(id="loading")
        yield DetailPanel(id="detail")
        yield SearchBar()
        yield StatusLine(id="status")
        yield KeyFooter(compact=True)

    def on_mount(self) -> None:
        if self.alignment is None:
            self.load()
        else:
            self.call_after_refresh(self._show_alignment, self.alignment)

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
                raise align.InputError("; ".join([*problems, str(e)])) from None
            if worker.is_cancelled:
                return
            n = sum(len(d.sentences) for d in docs)
            self.post_message(self.Progress(f"Aligning {n} sentences in {len(docs)} documents…"))
            result = align.align(docs, self.initial_threshold, cache=self.cache)
        except align.InputError as e:
            self.post_message(self.Failed(str(e)))
            return
        self.post_message(self.Loaded(result, problems))

    def on_reader_screen_progress(self, message: Progress) -> None:
        try:
            self.query_one("#loading-label", Label).update(message.label)
        except NoMatches:
            pass

    def on_reader_screen_failed(self, message: Failed) -> None:
        self.app.error = message.error  # type: ignore[attr-defined]
        self.app.exit(return_code=2)

    async def on_reader_screen_loaded(self, message: Loaded) -> None:
        self.problems = message.problems
        for problem in message.problems:
            self.notify(problem, title="Skipped input", severity="warning", timeout=8)
        try:
            await self.query_one("#loading").remove()
        except NoMatches:
            pass
        self.query_one("#panes").remove_class("loading")
        await self._show_alignment(message.alignment)

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
        self.set_timer(0.3, self._prepare_hidden)
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
                self.set_timer(0.05, self._prepare_hidden)
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
            self.set_timer(0.3, self._prepare_hidden)  # the new neighbours

    def on_resize(self) -> None:
        if self.alignment is not None:
            self._layout_panes()
            if self.selected is not None:
                self._ensure_pane_visible(self.selected.doc)
            self.set_timer(0.3, self._prepare_hidden)

    def _refresh_header(self) -> None:
        if self.alignment is None:
            return
        a = self.alignment
        self.title = "deal-reader"
        self.sub_title = f"{len(a.documents)} articles · threshold {a.threshold:.2f}"
        self._refresh_status()

    def _refresh_status(self) -> None:
        if self.alignment is None:
            return
        shown = min(self._visible_count(), len(self.alignment.documents))
        self.query_one(StatusLine).show(self.alignment, self.first_visible, shown, self.note)

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
        self.selected = sentence
        counterparts = dict(self.alignment.counterparts(sentence))
        keys = self.query_one(PaneRow).has_focus
        for pane in self.panes:
            view = pane.view
            pane.set_current(view.document is self.alignment.documents[sentence.doc], keys=keys)
            if view.active:
                if view.counterparts:
                    view.set_counterparts({}, follow=False)
            else:
                view.set_counterparts(counterparts)
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
            self._jump(navigation.step(navigation.conflict_sentences(self.alignment), self.selected, forward),
                       "numeric conflicts")

    def action_counterpart(self) -> None:
        if self.alignment and self.selected is not None:
            best = self.alignment.counterparts(self.selected)
            self._jump(best[0][0] if best else None, "counterpart for this sentence")

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
        result = alignment.with_threshold(threshold)
        if not get_current_worker().is_cancelled:
            self.post_message(self.Realigned(result))

    def on_reader_screen_realigned(self, message: Realigned) -> None:
        if self.wanted_threshold is not None and message.alignment.threshold != self.wanted_threshold:
            return  # a later press is being worked on
        self.wanted_threshold = None
        self.note = ""
        self.set_alignment(message.alignment)

    def set_alignment(self, alignment: Alignment) -> None:
        self.alignment = alignment
        for view in self.views:
            view.set_alignment(alignment)
        self._refresh_header()
        if self.selected is not None:
            self._select(self.selected)
        self.set_timer(0.3, self._prepare_hidden)

    def action_conflicts(self) -> None:
        from .conflicts import ConflictsScreen

        if self.alignment is None:
            return

        def chosen(conflict) -> None:
            if conflict is not None:
                self.jump_to(conflict.a)

        self.app.push_screen(ConflictsScreen(self.alignment), chosen)

    def action_export(self) -> None:
        from .export import ExportDialog

        if self.alignment is not None:
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
        if from_here and current in hits:
            target = current
        else:
            target = navigation.step(hits, current, forward)
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

