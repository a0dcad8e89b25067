"""Find the numbers a reader would compare in a sentence, and normalise them.

A small grammar of regular expressions, not spaCy's entities alone: the small pipeline
tags ``10k`` as a DATE and ``Anthropic marks`` as part of a MONEY span, and it never
reports the hedge (``up to``, ``nearly``) that decides whether two figures disagree.
Token lemmas and parts of speech, when given, name the unit of a count.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence

from .models import Quantity, Sentence

# (offset in the sentence, lemma, part of speech) of each token, from the pipeline.
TokenInfo = tuple[int, str, str]

# Kinds whose figures two articles can state alike or differently (scored as evidence, checked for conflicts).
COMPARABLE_KINDS = frozenset({"money", "percent", "count", "duration", "year", "date"})
# Two figures of one kind and unit further apart than this are about different things.
NEAR_RATIO = 3.0

_SMALL = {
    "zero": 0,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "thirteen": 13,
    "fourteen": 14,
    "fifteen": 15,
    "sixteen": 16,
    "seventeen": 17,
    "eighteen": 18,
    "nineteen": 19,
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "sixty": 60,
    "seventy": 70,
    "eighty": 80,
    "ninety": 90,
    "a dozen": 12,
    "dozen": 12,
    "a hundred": 100,
    "hundred": 100,
    "a thousand": 1000,
}
_SCALES = {
    "thousand": 1e3,
    "k": 1e3,
    "million": 1e6,
    "mn": 1e6,
    "mln": 1e6,
    "m": 1e6,
    "billion": 1e9,
    "bn": 1e9,
    "b": 1e9,
    "bln": 1e9,
    "trillion": 1e12,
    "tn": 1e12,
    "t": 1e12,
}
_CURRENCIES = {
    "us$": "USD",
    "$": "USD",
    "usd": "USD",
    "dollar": "USD",
    "dollars": "USD",
    "€": "EUR",
    "eur": "EUR",
    "euro": "EUR",
    "euros": "EUR",
    "£": "GBP",
    "gbp": "GBP",
    "pound": "GBP",
    "pounds": "GBP",
    "¥": "JPY",
    "jpy": "JPY",
    "yen": "JPY",
    "cny": "CNY",
    "yuan": "CNY",
    "rmb": "CNY",
    "c$": "CAD",
    "cad": "CAD",
    "a$": "AUD",
    "aud": "AUD",
    "hk$": "HKD",
    "hkd": "HKD",
    "chf": "CHF",
    "₹": "INR",
    "inr": "INR",
    "rupees": "INR",
}
_DURATION_UNITS = {
    "second": "second",
    "minute": "minute",
    "hour": "hour",
    "day": "day",
    "week": "week",
    "month": "month",
    "quarter": "quarter",
    "year": "year",
    "decade": "decade",
}

_WORD_NUM = (
    r"(?:(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)(?:[- ](?:one|two|three|four|five|six|seven|eight|nine))?"
    r"|a\s+dozen|dozen|a\s+hundred|a\s+thousand|zero|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve"
    r"|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen)"
)
_DIGITS = r"(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?|\.\d+"
_NUM = rf"(?P<num>{_DIGITS}|{_WORD_NUM}(?:\s+hundred)?)"
_SCALE = r"(?:\s*(?P<scale>thousand|million|billion|trillion|mln|bln|mn|bn|tn|[kmbt])\b)"
_CUR_PRE = r"(?P<cur>US\$|USD\s?|HK\$|C\$|A\$|\$|€|£|¥|₹|EUR\s?|GBP\s?|CNY\s?|CHF\s?|RMB\s?)"
_CUR_POST = r"(?:\s+(?P<curword>dollars|euros|pounds|yuan|yen|rupees|USD|EUR|GBP|CNY|RMB)\b)"

_MONEY = re.compile(rf"{_CUR_PRE}\s?{_NUM}{_SCALE}?(?![\w$])", re.I)
_MONEY_WORDS = re.compile(rf"(?<![\w$.,]){_NUM}{_SCALE}?{_CUR_POST}", re.I)
_PERCENT = re.compile(rf"(?<![\w$.,]){_NUM}\s?(?P<pct>%|percent\b|per\s+cent\b|percentage\s+points?\b)", re.I)
_DURATION = re.compile(
    rf"(?<![\w$.,]){_NUM}(?:\s+|-)(?P<dur>seconds?|minutes?|hours?|days?|weeks?|months?|quarters?|years?|decades?)\b"
    r"(?P<ago>\s+(?:ago|old|earlier|later))?",
    re.I,
)
_DATE = re.compile(r"(?<![\w.])(?P<y>(?:19|20)\d\d)-(?P<m>\d\d)-(?P<d>\d\d)(?![\w.])")
_YEAR = re.compile(r"(?<![\w$.,\-])(?P<num>(?:19|20)\d\d)s?(?![\w.,%]|\s*(?:thousand|million|billion|[kmb]\b))")
_COUNT = re.compile(rf"(?<![\w$.,\-]){_NUM}{_SCALE}?(?![\w%$.]|,\d)", re.I)

_HEDGES = [
    # (pattern just before the number, hedge name)
    (r"up\s+to|as\s+much\s+as|as\s+many\s+as|at\s+most|no\s+more\s+than|a\s+maximum\s+of|capped\s+at", "up to"),
    (r"nearly|almost|close\s+to|just\s+(?:under|below|shy\s+of)", "nearly"),
    (r"about|approximately|approx\.?|around|roughly|some|an\s+estimated|estimated|circa|~|c\.", "about"),
    (
        r"over|more\s+than|exceeding|exceeded|exceeds|exceed|above|upwards\s+of|in\s+excess\s+of|north\s+of|surpassing|topping",
        "over",
    ),
    (r"at\s+least|a\s+minimum\s+of", "at least"),
    (r"less\s+than|fewer\s+than|under|below", "less than"),
]
_HEDGE_RE = [(re.compile(rf"(?:^|[\s(\"“‘'])(?:{p})\s*[\"“‘']?\s*$", re.I), name) for p, name in _HEDGES]

_ROLE_AFTER = [
    (re.compile(r"^\s*(?:immediately|upfront|up\s+front|now|initially|at\s+first|at\s+once)\b", re.I), "initial"),
    (re.compile(r"^\s*(?:more|later|additional|extra|further|thereafter)\b", re.I), "remainder"),
    (re.compile(r"^\s*(?:in\s+total|in\s+all|overall|altogether|combined)\b", re.I), "total"),
]
_ROLE_BEFORE = [
    (re.compile(r"\b(?:initial|initially|first|upfront|up-front|opening|immediate)\b", re.I), "initial"),
    (
        re.compile(
            r"\b(?:remaining|rest|remainder|additional|further|another|second|balance|followed\s+by|later)\b", re.I
        ),
        "remainder",
    ),
    (re.compile(r"\b(?:total|totaling|totalling|overall|cumulative|combined|whole)\b", re.I), "total"),
]
_WINDOW_BREAK = re.compile(r"[,;:()\[\]—–]|\s-\s")


def parse_number(text: str) -> float:
    """The value of a numeral or number word: '1,250' -> 1250.0, 'twenty-five' -> 25.0."""
    t = " ".join(text.lower().replace("-", " ").split())
    if t and (t[0].isdigit() or t[0] == "."):
        return float(t.replace(",", ""))
    total = 0.0
    for word in re.findall(r"a dozen|a hundred|a thousand|[a-z]+", t):
        if word == "hundred":
            total = (total or 1) * 100
        elif word in _SMALL:
            total += _SMALL[word]
        else:
            raise ValueError(f"not a number: {text!r}")
    return total


def _hedge_before(text: str, start: int) -> tuple[str, int]:
    """The hedge that ends just before ``start``, and where it begins."""
    head = text[max(0, start - 40) : start]
    for rx, name in _HEDGE_RE:
        m = rx.search(head)
        if m:
            begin = start - len(head) + m.start()
            while begin < start and text[begin] in " (\"“‘'":
                begin += 1
            return name, begin
    return "", start


def _bounds(value: float, hedge: str) -> tuple[float, float]:
    if hedge == "up to":
        return 0.0, value
    if hedge == "nearly":
        return value * 0.9, value
    if hedge == "about":
        return value * 0.9, value * 1.1
    if hedge in ("over", "at least"):
        return value, math.inf
    if hedge == "less than":
        return 0.0, value
    return value, value


def _role(text: str, start: int, end: int, hedge: str) -> str:
    after = _WINDOW_BREAK.split(text[end : end + 30], maxsplit=1)[0]
    for rx, role in _ROLE_AFTER:
        if rx.search(after):
            return role
    before = _WINDOW_BREAK.split(text[max(0, start - 45) : start])[-1]
    before = " ".join(before.split()[-4:])
    for rx, role in _ROLE_BEFORE:
        if rx.search(before):
            return role
    # A ceiling ("up to $4 billion") names the whole amount, not a part of it.
    return "total" if hedge == "up to" else ""


def _scaled(m: re.Match[str]) -> float:
    value = parse_number(m.group("num"))
    scale = (m.groupdict().get("scale") or "").lower()
    return value * _SCALES.get(scale, 1.0)


def _unit_after(text: str, end: int, tokens: Sequence[TokenInfo] | None) -> str:
    """The noun a count counts: '100,000 customers' -> 'customer'."""
    if tokens:
        for off, lemma, pos in tokens:
            if off < end:
                continue
            if text[end:off].strip(" -"):
                return ""
            return lemma.lower() if pos in ("NOUN", "PROPN") else ""
        return ""
    m = re.match(r"[\s-]+([A-Za-z][A-Za-z-]+)", text[end:])
    if not m:
        return ""
    word = m.group(1).lower()
    if word in {
        "of",
        "to",
        "in",
        "and",
        "or",
        "the",
        "a",
        "an",
        "for",
        "with",
        "by",
        "on",
        "at",
        "from",
        "as",
        "is",
        "was",
    }:
        return ""
    return word[:-1] if word.endswith("s") and not word.endswith("ss") else word


def find_quantities(text: str, tokens: Sequence[TokenInfo] | None = None) -> list[Quantity]:
    """Every comparable number in ``text``, in order, each with kind, unit, bounds, hedge and role."""
    found: list[Quantity] = []
    taken: list[tuple[int, int]] = []

    def free(a: int, b: int) -> bool:
        return all(b <= s or a >= e for s, e in taken)

    def add(
        m: re.Match[str], kind: str, value: float, unit: str, start: int | None = None, end: int | None = None
    ) -> None:
        s = m.start() if start is None else start
        e = m.end() if end is None else end
        if not free(s, e):
            return
        hedge, hstart = _hedge_before(text, s)
        low, high = _bounds(value, hedge)
        taken.append((min(s, hstart), e))
        found.append(
            Quantity(
                text=text[s:e].strip(),
                start=s,
                end=e,
                kind=kind,
                value=value,
                unit=unit,
                low=low,
                high=high,
                hedge=hedge,
                role=_role(text, s, e, hedge),
            )
        )

    for m in [*_MONEY.finditer(text), *_MONEY_WORDS.finditer(text)]:
        cur = (m.groupdict().get("cur") or m.groupdict().get("curword") or "").strip().lower()
        add(m, "money", _scaled(m), _CURRENCIES.get(cur, cur.upper()))
    for m in _PERCENT.finditer(text):
        add(m, "percent", parse_number(m.group("num")), "%")
    for m in _DATE.finditer(text):
        y, mo, d = int(m.group("y")), int(m.group("m")), int(m.group("d"))
        if 1 <= mo <= 12 and 1 <= d <= 31:
            add(m, "date", y * 10000 + mo * 100 + d, "date")
    for m in _DURATION.finditer(text):
        unit = _DURATION_UNITS[m.group("dur").lower().rstrip("s")]
        end = m.end("ago") if m.group("ago") else m.end("dur")
        add(m, "duration", parse_number(m.group("num")), unit, end=end)
    for m in _YEAR.finditer(text):
        add(m, "year", float(m.group("num")), "year", end=m.end("num"))
    for m in _COUNT.finditer(text):
        raw = m.group("num")
        if not raw[0].isdigit() and raw[0] != ".":
            # A bare number word counts only when it counts something ("three steps"), not "one of".
            unit = _unit_after(text, m.end(), tokens)
            if not unit or raw.lower() == "one":
                continue
        else:
            unit = _unit_after(text, m.end(), tokens)
        add(m, "count" if unit else "number", _scaled(m), unit)
    found.sort(key=lambda q: q.start)
    return found


def words_around(s: Sentence, q: Quantity, before: int, after: int, skip: frozenset[str] = frozenset()) -> list[str]:
    """The content lemmas next to figure ``q`` of sentence ``s``: up to ``before`` of them before it and
    ``after`` after it, in reading order; lemmas whose part of speech is in ``skip`` are passed over."""
    tags = s.lemma_tags if len(s.lemma_tags) == len(s.lemmas) else ("",) * len(s.lemmas)  # a hand-built Sentence
    words = [(o, w) for o, w, t in zip(s.lemma_offsets, s.lemmas, tags, strict=False) if t not in skip]
    return [w for o, w in words if o < q.start][-before:] + [w for o, w in words if o >= q.end][:after]
