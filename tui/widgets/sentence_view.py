"""One document's sentences, numbered and wrapped, drawn line by line (Textual's Line API).

A pane of a hundred sentences is one widget that renders only the lines in view, each a
``Strip``; wrapped sentences are cached, so moving the cursor repaints a handful of lines.
"""

from __future__ import annotations

from bisect import bisect_right
from functools import lru_cache

from rich.segment import Segment
from rich.text import Text
from textual import events
from textual.cache import LRUCache
from textual.geometry import Region, Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip

from align import Alignment, Document, Sentence

# Markers that do not rely on colour (NO_COLOR, monochrome terminals).
CURSOR_MARK = "▶"
COUNTERPART_MARK = "»"
CONFLICT_MARK = "≠"
UNIQUE_MARK = "○"
NEAR_MARK = "◌"  # not linked, but another article has a sentence close to it: not called unique


class SentenceView(ScrollView):
    """The numbered sentences of one document, with a cursor, counterpart and conflict marks."""

    COMPONENT_CLASSES = {
        "sentence-view--cursor",
        "sentence-view--cursor-blurred",
        "sentence-view--counterpart",
        "sentence-view--gutter",
        "sentence-view--unique",
        "sentence-view--conflict-mark",
        "sentence-view--quantity",
        "sentence-view--conflict",
        "sentence-view--score",
        "sentence-view--heading",
        "sentence-view--match",
    }

    class Selected(Message):
        """The cursor of a view moved to a sentence by a click."""

        def __init__(self, view: SentenceView, sentence: Sentence) -> None:
            super().__init__()
            self.view = view
            self.sentence = sentence

        @property
        def control(self) -> SentenceView:
            return self.view

    def __init__(
        self, document: Document, alignment: Alignment, *, id: str | None = None, classes: str | None = None
    ) -> None:
        super().__init__(id=id, classes=classes)
        self.document = document
        self.alignment = alignment
        self.cursor = 0
        self.active = False  # holds the selection: the keys move this pane's cursor (PaneRow)
        self.keys = False  # active, and the panes have the focus (not the search bar or a dialog)
        self.counterparts: dict[Sentence, float] = {}
        self.search_text = ""  # highlighted in every sentence (not `query`: that is Widget.query())
        self.user_links: frozenset[Sentence] = frozenset()  # counterparts the reader linked: badge "user"
        self._starts: list[int] = []  # first line of each sentence
        self._width = 0
        self._total = 0
        self._pending: tuple[int, bool] | None = None  # a scroll asked for before the view had a size
        self._conflicted: dict[Sentence, frozenset[int]] = {}
        self._alone: dict[Sentence, str] = {}  # UNIQUE_MARK or NEAR_MARK of a sentence with no link
        self._index_alignment()
        self._wrap = lru_cache(maxsize=1024)(self._wrap_uncached)
        self._lines: LRUCache[tuple, Strip] = LRUCache(2048)  # finished lines, by what they show
        self._drawn_with: tuple = ()
        self._prepared: tuple = ()  # (width, alignment, query) of the last prepare()

    # ----- state set by the screen --------------------------------------------------------------

    @property
    def sentences(self) -> list[Sentence]:
        return self.document.sentences

    @property
    def selected(self) -> Sentence:
        return self.sentences[self.cursor]

    def set_alignment(self, alignment: Alignment) -> None:
        self.alignment = alignment
        self._indexed = False  # indexed when next laid out: a hidden pane waits until it is shown
        self._reflow()

    def set_counterparts(
        self, counterparts: dict[Sentence, float], *, follow: bool = True, user: frozenset[Sentence] = frozenset()
    ) -> None:
        """Highlight these sentences with their scores (``user``: linked by the reader); move the cursor to, and show, the best."""
        mine = {s: v for s, v in counterparts.items() if s.doc == self.sentences[0].doc}
        user = frozenset(s for s in user if s in mine)
        if mine != self.counterparts or user != self.user_links:
            changed = [
                s
                for s in self.counterparts.keys() | mine.keys() | user | self.user_links
                if self.counterparts.get(s) != mine.get(s) or (s in user) != (s in self.user_links)
            ]
            self.counterparts = mine
            self.user_links = user
            self._repaint(changed)
        if follow and self.counterparts:
            best = max(self.counterparts, key=lambda s: self.counterparts[s])
            self.cursor = best.index - 1
            if not self._in_view(self.cursor):  # a pane that already shows it stays still
                self.scroll_to_sentence(self.cursor, center=True)

    def _repaint(self, changed: list[Sentence]) -> None:
        """Repaint only these sentences' lines, unless a new score badge changed how many lines one
        takes: then lay out the pane again. (Repainting whole panes on every key was most of j.)"""
        if not self._starts or self._width != self._text_width():
            self._reflow()
            return
        for s in changed:
            i = s.index - 1
            if (
                len(self._wrap(i, self._width, self._badge(s), self.search_text, self._marks(s)))
                != self._end_of(i) - self._starts[i]
            ):
                self._reflow()
                return
        for s in changed:
            self._refresh_sentence(s.index - 1)

    def _in_view(self, index: int) -> bool:
        if not self._starts or not self.size.height or self._pending is not None:
            return False
        top = round(self.scroll_offset.y)
        return top <= self._starts[index] and self._end_of(index) <= top + self.size.height

    def set_query(self, query: str) -> None:
        if query != self.search_text:
            self.search_text = query
            self._reflow()

    def select(self, index: int, *, announce: bool = True, center: bool = False) -> None:
        """Move the cursor to the sentence at this 0-based position."""
        index = max(0, min(index, len(self.sentences) - 1))
        old, self.cursor = self.cursor, index
        self._refresh_sentence(old)
        self._refresh_sentence(index)
        self.scroll_to_sentence(index, center=center)
        if announce:
            self.post_message(self.Selected(self, self.selected))

    def scroll_to_sentence(self, index: int, *, center: bool = False) -> None:
        if not self._starts or not self.size.height:
            self._pending = (index, center)
            return
        self._pending = None
        top = self._starts[index]
        bottom = self._end_of(index)
        height = min(bottom - top, self.size.height)
        self.scroll_to_region(Region(0, top, 1, height), animate=False, center=center, x_axis=False, immediate=True)

    def set_active(self, active: bool, *, keys: bool) -> None:
        """Whether this pane holds the selection, and whether the panes have the keyboard focus."""
        keys = keys and active
        if (active, keys) != (self.active, self.keys):
            self.active, self.keys = active, keys
            self._refresh_sentence(self.cursor)

    def enter(self) -> Sentence:
        """Show the cursor of a pane being entered (centred when a scroll waited for a size); its sentence."""
        self.select(self.cursor, announce=False, center=self._pending is not None)
        return self.selected

    def target(self, move: str) -> int:
        """Where a cursor key would put the cursor: down, up, page_down, page_up, first or last."""
        if move == "down":
            return self.cursor + 1
        if move == "up":
            return self.cursor - 1
        if move == "first":
            return 0
        if move == "last":
            return len(self.sentences) - 1
        if not self._starts:
            return self.cursor
        page = max(1, self.size.height - 1)
        if move == "page_down":
            return self._sentence_at(self._starts[self.cursor] + page)
        return self._sentence_at(max(0, self._starts[self.cursor] - page))

    # ----- events -------------------------------------------------------------------------------

    def on_click(self, event: events.Click) -> None:
        offset = event.get_content_offset(self)
        if offset is None or not self._starts:
            return
        self.select(self._sentence_at(round(self.scroll_offset.y) + offset.y))

    def on_resize(self) -> None:
        self._reflow()
        if self._pending is not None:
            index, center = self._pending
            # Now, so a pane shown by Tab or n paints once, at its place; again after the refresh
            # (a no-op when the first landed), in case the new virtual size did bound the scroll.
            self.scroll_to_sentence(index, center=center)
            self.call_after_refresh(self.scroll_to_sentence, index, center=center)

    def notify_style_update(self) -> None:
        super().notify_style_update()
        if not hasattr(self, "_wrap"):
            return
        # A restyle that changes no colour this view draws with (a theme change does) must not
        # re-wrap every sentence: that once made Tab four times slower than j.
        look = self._look()
        if not look or look != self._drawn_with:
            self._drawn_with = look
            self._wrap.cache_clear()
            self._lines.clear()
            self.refresh()

    def _look(self) -> tuple:
        """Every style the cached lines were drawn with (empty while the styles are not all set up)."""
        try:
            return (
                self.rich_style,
                *(self.get_component_rich_style(c, partial=True) for c in sorted(self.COMPONENT_CLASSES)),
            )
        except KeyError:
            return ()

    # ----- layout -------------------------------------------------------------------------------

    def _index_alignment(self) -> None:
        self._indexed = True
        self._conflicted = {}
        for s in self.sentences:
            spans = set()
            for c in self.alignment.conflicts_of(s):
                q = c.qa if c.a is s else c.qb
                spans.add(q.start)
            if spans:
                self._conflicted[s] = frozenset(spans)
        self._alone = {}
        for s in self.sentences:
            if self.alignment.is_unique(s):
                self._alone[s] = UNIQUE_MARK
            elif self.alignment.near_miss(s) is not None:
                self._alone[s] = NEAR_MARK
        # No cache is cleared: wrapped sentences and lines are keyed by the marks they draw, so
        # another threshold re-wraps only the sentences whose conflicts changed (clearing them
        # re-wrapped every sentence of every shown pane on each +/-).

    @property
    def gutter_width(self) -> int:
        return max(2, len(str(len(self.sentences)))) + 5  # cursor, number, space, two marks, space

    def _text_width(self) -> int:
        return max(8, self.scrollable_content_region.width - self.gutter_width)

    def _reflow(self) -> None:
        """Recompute each sentence's first line at the current width (not while hidden)."""
        if not self.size.width:
            self._starts = []
            return
        if not self._indexed:
            self._index_alignment()
        width = self._text_width()
        starts, y = [], 0
        for i, s in enumerate(self.sentences):
            starts.append(y)
            y += len(self._wrap(i, width, self._badge(s), self.search_text, self._marks(s)))
        self._starts, self._width, self._total = starts, width, y
        size = Size(self.scrollable_content_region.width, y)
        if size != self.virtual_size:
            self._set_virtual_size(size)
        self.refresh()

    def _set_virtual_size(self, size: Size) -> None:
        """A new scrollable height; without a relayout of the screen when the scrollbar stays as it is.

        A counterpart's score badge can wrap its sentence onto one more line. Setting
        ``virtual_size`` lays out the whole screen and repaints every widget, on every Tab or n;
        only this view's scrollbar needs to know (its gutter is reserved: ``scrollbar-gutter: stable``).
        """
        height = self.scrollable_content_region.height
        if (self.virtual_size.height > height) != (size.height > height) or not self.is_attached:
            self.virtual_size = size  # the scrollbar appears or goes: a layout
            return
        self.set_reactive(SentenceView.virtual_size, size)
        self._scroll_update(size)  # what the layout would do for this view: the scrollbar's range
        self.refresh()

    def prepare(self, content_width: int) -> bool:
        """Wrap every sentence now, for a hidden pane at the width the shown panes have, so that
        showing it (Tab, n, >) does not wrap a hundred sentences first; False if already done."""
        done = (content_width, self.alignment, self.search_text)
        if self._prepared == done:
            return False
        self._prepared = done
        if not self._indexed:
            self._index_alignment()
        width = max(8, content_width - self.gutter_width)
        for i, s in enumerate(self.sentences):
            marks = self._marks(s)
            self._wrap(i, width, "", self.search_text, marks)  # as the current pane, which shows no badges
            if s in self.counterparts:
                self._wrap(i, width, self._badge(s), self.search_text, marks)
        return True

    def _end_of(self, index: int) -> int:
        return self._starts[index + 1] if index + 1 < len(self._starts) else self._total

    def _sentence_at(self, line: int) -> int:
        return max(0, min(bisect_right(self._starts, line) - 1, len(self.sentences) - 1))

    def _refresh_sentence(self, index: int) -> None:
        if not self._starts or not 0 <= index < len(self._starts):
            return
        top = self._starts[index] - round(self.scroll_offset.y)
        self.refresh(Region(0, top, self.size.width, self._end_of(index) - self._starts[index]))

    def _badge(self, s: Sentence) -> str:
        score = self.counterparts.get(s)
        if score is None:
            return ""
        return "user " if s in self.user_links else f"≈{score:.2f} "

    def _marks(self, s: Sentence) -> tuple[frozenset[int], str]:
        """What the alignment marks on a sentence: where its conflicting numbers start; unique, near miss or neither."""
        return self._conflicted.get(s, frozenset()), self._alone.get(s, " ")

    def _wrap_uncached(
        self, index: int, width: int, badge: str, query: str, marks: tuple[frozenset[int], str]
    ) -> list[Strip]:
        s = self.sentences[index]
        style = self.get_component_rich_style
        body = s.text.replace("\n", " ").replace("\t", " ")
        conflicted = marks[0]
        text = Text(style=style("sentence-view--heading") if s.heading else "", no_wrap=False, end="")
        if badge:
            text.append(badge, style("sentence-view--score"))
        pos = 0
        for q in sorted(s.quantities, key=lambda q: q.start):
            if q.start < pos:
                continue
            text.append(body[pos : q.start])
            if q.start in conflicted:
                text.append(CONFLICT_MARK, style("sentence-view--conflict"))
                text.append(body[q.start : q.end], style("sentence-view--conflict"))
            else:
                text.append(body[q.start : q.end], style("sentence-view--quantity"))
            pos = q.end
        text.append(body[pos:])
        if query:
            text.highlight_words([query], style("sentence-view--match"), case_sensitive=False)
        console = self.app.console
        lines = text.wrap(console, width, overflow="fold")
        return [Strip(list(line.render(console)), line.cell_len) for line in lines] or [Strip.blank(0)]

    # ----- rendering ----------------------------------------------------------------------------

    def render_line(self, y: int) -> Strip:
        scroll_x, scroll_y = self.scroll_offset
        line = round(scroll_y) + y
        width = self.scrollable_content_region.width
        if not self._starts or line >= self._total:
            return Strip.blank(width, self.rich_style)
        index = self._sentence_at(line)
        s = self.sentences[index]
        row = line - self._starts[index]
        marks = self._marks(s)

        is_cursor = index == self.cursor and self.keys
        state = (
            "cursor"
            if is_cursor
            else "active"
            if index == self.cursor and self.active
            else "counterpart"
            if s in self.counterparts
            else ""
        )
        key = (index, row, state, self._width, width, scroll_x, self._badge(s), self.search_text, marks)
        cached = self._lines.get(key)
        if cached is not None:  # most lines of a pane that scrolls to a new counterpart
            return cached
        base = self.rich_style  # not cheap (it walks the ancestors): only for a line drawn anew
        strips = self._wrap(index, self._width, self._badge(s), self.search_text, marks)
        content = strips[row] if row < len(strips) else Strip.blank(0)
        if is_cursor:
            row_style = base + self.get_component_rich_style("sentence-view--cursor")
        elif index == self.cursor and self.active:
            row_style = base + self.get_component_rich_style("sentence-view--cursor-blurred")
        elif s in self.counterparts:
            row_style = base + self.get_component_rich_style("sentence-view--counterpart")
        else:
            row_style = base

        gutter_style = self.get_component_rich_style("sentence-view--gutter")
        if row == 0:
            mark = CURSOR_MARK if is_cursor else COUNTERPART_MARK if s in self.counterparts else " "
            number = str(s.index).rjust(self.gutter_width - 5)
            conflict = CONFLICT_MARK if s in self._conflicted else " "
            unique = self._alone.get(s, " ")
            segments = [
                Segment(mark + number + " ", gutter_style),
                Segment(conflict, self.get_component_rich_style("sentence-view--conflict-mark")),
                Segment(unique + " ", self.get_component_rich_style("sentence-view--unique")),
            ]
        else:
            segments = [Segment(" " * self.gutter_width, gutter_style)]
        strip = Strip(segments, self.gutter_width) + content
        strip = strip.apply_style(row_style).crop_extend(scroll_x, scroll_x + width, row_style)
        self._lines[key] = strip
        return strip
