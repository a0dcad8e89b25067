"""Numeric disagreements within an aligned pair: match figures of the same kind and role, then compare."""

from __future__ import annotations

import math

from .models import Conflict, Quantity, Sentence
from .quantities import COMPARABLE_KINDS, NEAR_RATIO, words_around

# Two years further apart than this are about different things (dates: the same in YYYYMMDD units).
MAX_YEAR_GAP = 10
# Percentages in one story measure many different things (a takeover premium, a stake, a day's move
# in the shares), so two are compared only when the words next to them say they are shares of the
# same thing: this many content words before each (the hedge's adverbs left out) and one after.
# Amounts of money in one fact are usually one amount, and keep the plain rule.
CONTEXT_KINDS = ("percent",)
CONTEXT_BEFORE = 2
CONTEXT_AFTER = 1


def comparable(x: Quantity, y: Quantity) -> bool:
    """Whether two figures could be the same thing: same kind, unit and role, and of a similar size."""
    if x.kind != y.kind or x.kind not in COMPARABLE_KINDS or x.unit != y.unit:
        return False
    if x.role and y.role and x.role != y.role:
        return False
    if x.kind in ("year", "date"):
        return abs(x.value - y.value) <= (MAX_YEAR_GAP if x.kind == "year" else MAX_YEAR_GAP * 10000)
    lo, hi = sorted((abs(x.value), abs(y.value)))
    return lo > 0 and hi / lo <= NEAR_RATIO


def same_measure(a: Sentence, x: Quantity, b: Sentence, y: Quantity) -> bool:
    """Whether two comparable figures can be the same measure: always, except for CONTEXT_KINDS, whose
    neighbouring words must share one (a figure with no content word beside it is given the benefit)."""
    if x.kind not in CONTEXT_KINDS:
        return True
    # Adverbs ("nearly", "roughly") belong to the hedge, not to what the figure measures.
    wx = set(words_around(a, x, CONTEXT_BEFORE, CONTEXT_AFTER, skip=frozenset({"ADV"})))
    wy = set(words_around(b, y, CONTEXT_BEFORE, CONTEXT_AFTER, skip=frozenset({"ADV"})))
    return not wx or not wy or bool(wx & wy)


def _distance(x: Quantity, y: Quantity) -> tuple[int, float]:
    """Sort key for pairing leftover figures: an explicit shared role first, then closeness in size."""
    same_role = 0 if (x.role and x.role == y.role) else 1
    if x.kind in ("year", "date"):
        return same_role, abs(x.value - y.value)
    return same_role, abs(math.log(abs(x.value) / abs(y.value)))


def find_conflicts(a: Sentence, b: Sentence) -> tuple[Conflict, ...]:
    """Figures of ``a`` and ``b`` that state the same thing differently, once hedges are applied.

    A figure that agrees with any comparable figure on the other side is settled; the rest
    are paired one to one, shared roles first (initial with initial), then by closeness.
    """
    qa = [q for q in a.quantities if q.kind in COMPARABLE_KINDS]
    qb = [q for q in b.quantities if q.kind in COMPARABLE_KINDS]
    if not qa or not qb:
        return ()
    pairs = [(x, y) for x in qa for y in qb if comparable(x, y) and same_measure(a, x, b, y)]
    settled_a = {id(x) for x, y in pairs if x.agrees_with(y)}
    settled_b = {id(y) for x, y in pairs if x.agrees_with(y)}
    open_pairs = sorted(
        ((x, y) for x, y in pairs if id(x) not in settled_a and id(y) not in settled_b),
        key=lambda p: _distance(*p),
    )
    used_a: set[int] = set()
    used_b: set[int] = set()
    found: list[Conflict] = []
    for x, y in open_pairs:
        if id(x) in used_a or id(y) in used_b:
            continue
        used_a.add(id(x))
        used_b.add(id(y))
        found.append(Conflict(a=a, b=b, qa=x, qb=y))
    found.sort(key=lambda c: c.qa.start)
    return tuple(found)
