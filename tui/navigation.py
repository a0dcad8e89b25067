"""Orders in which the reader's jump keys visit sentences; no alignment logic, only ordering."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from align import Alignment, Document, Fact, Sentence


def position(s: Sentence) -> tuple[int, int]:
    """Reading order across panes: document, then sentence."""
    return (s.doc, s.index)


def step(candidates: Iterable[Sentence], current: Sentence | None, forward: bool = True) -> Sentence | None:
    """The candidate after (or before) ``current`` in reading order, wrapping around."""
    ordered = sorted(set(candidates), key=position)
    if not ordered:
        return None
    if current is None:
        return ordered[0] if forward else ordered[-1]
    here = position(current)
    if forward:
        return next((s for s in ordered if position(s) > here), ordered[0])
    return next((s for s in reversed(ordered) if position(s) < here), ordered[-1])


def conflict_sentences(alignment: Alignment) -> list[Sentence]:
    """Every sentence that takes part in a numeric disagreement, in reading order."""
    seen = {s for c in alignment.conflicts for s in (c.a, c.b)}
    return sorted(seen, key=position)


def unique_sentences(alignment: Alignment) -> list[Sentence]:
    return [s for d in alignment.documents for s in d.sentences if alignment.is_unique(s)]


def ordered_facts(alignment: Alignment) -> list[Fact]:
    return sorted(alignment.facts, key=lambda f: min(position(s) for s in f.sentences))


def step_fact(alignment: Alignment, current: Sentence | None, forward: bool = True) -> Fact | None:
    """The fact after (or before) the one holding ``current``, in the order of their first sentences."""
    facts = ordered_facts(alignment)
    if not facts:
        return None
    firsts = [min(f.sentences, key=position) for f in facts]
    if current is None:
        return facts[0] if forward else facts[-1]
    mine = [i for i, f in enumerate(facts) if current in f.sentences]
    if mine:
        i = (mine[-1] + 1) if forward else (mine[0] - 1)
        return facts[i % len(facts)]
    target = step(firsts, current, forward)
    return None if target is None else facts[firsts.index(target)]


def in_document(fact: Fact, doc: int) -> Sentence | None:
    """The fact's sentence in a given document, if it has one there."""
    return next((s for s in sorted(fact.sentences, key=position) if s.doc == doc), None)


def matches(documents: Sequence[Document], query: str) -> list[Sentence]:
    """Sentences whose text contains ``query`` (case-insensitive), in reading order."""
    q = query.casefold().strip()
    if not q:
        return []
    return [s for d in documents for s in d.sentences if q in s.clean_text.casefold()]
