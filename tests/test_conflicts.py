"""Conflicts: figures are matched by kind and role before comparing, and hedges decide agreement."""

import pytest

from align.conflicts import find_conflicts
from align.models import Sentence
from align.quantities import find_quantities


def sent(text: str, doc: int = 0) -> Sentence:
    return Sentence(doc=doc, index=1, text=text, start=0, end=len(text), quantities=tuple(find_quantities(text)))


def labels(a: str, b: str) -> list[str]:
    return [c.label for c in find_conflicts(sent(a), sent(b, 1))]


@pytest.mark.parametrize(
    "a, b, expected",
    [
        # The tranches: initial with initial, remainder with remainder.
        (
            "The tech giant plans to invest $1 billion immediately, followed by $3 billion more over time.",
            "Amazon will acquire a minority stake through an initial investment of US$1.25 billion, and any party "
            "has the right to trigger the remaining US$2.75 billion in capital injection.",
            ["$1 billion vs US$1.25 billion", "$3 billion vs US$2.75 billion"],
        ),
        # No role on one side: the closest figure of the same kind is its match.
        (
            "The tech giant plans to invest $1 billion immediately, followed by $3 billion more over time.",
            "Amazon announced that it has committed to paying $1.25 billion to take a minority stake in Anthropic.",
            ["$1 billion vs $1.25 billion"],
        ),
        (
            "Google Cloud wooed them away barely seven months ago for $300 million.",
            "Anthropic previously received a $400 million investment from Google.",
            ["$300 million vs $400 million"],
        ),
        # Hedges: a ceiling, a plain figure and "nearly" agree.
        ("Amazon is investing up to $4 billion in Anthropic.", "Amazon would invest US$4 billion in it.", []),
        (
            "Amazon is investing “up to $4 billion” in Anthropic.",
            "Amazon plans to invest up to $4 billion in Anthropic.",
            [],
        ),
        ("its nearly $4 billion investment in Anthropic", "Amazon’s investment of up to $4 billion in Anthropic", []),
        ("approximately US$1.45 billion", "Anthropic has raised a total of $1.45 billion", []),
        (
            "Its valuation exceeded US$4 billion.",
            "Anthropic has raised a total of $1.45 billion, with a valuation exceeding $4 billion.",
            [],
        ),
        # A total is never compared with a part of it.
        ("Amazon is investing up to $4 billion in Anthropic.", "through an initial investment of US$1.25 billion", []),
        # Figures of very different size are about different things.
        (
            "OpenAI, which recently raised $10 billion from Microsoft.",
            "Anthropic previously received a $400 million investment.",
            [],
        ),
        # Different kinds are never compared.
        ("founded in 2021", "established less than 2 years ago", []),
        ("grew by 11%", "grew by 14%", ["11% vs 14%"]),
        ("100,000 customers", "120,000 customers", ["100,000 vs 120,000"]),
        ("100,000 customers", "120,000 employees", []),
        ("$5 million", "€6 million", []),
    ],
)
def test_conflicts(a, b, expected):
    assert labels(a, b) == expected


def test_conflict_keeps_both_sentences():
    a, b = sent("paid $1 billion now", 0), sent("paid $2 billion now", 1)
    (c,) = find_conflicts(a, b)
    assert c.a is a and c.b is b and (c.qa.value, c.qb.value) == (1e9, 2e9)


def parsed(text: str, doc: int) -> Sentence:
    """A sentence as the engine parses it (lemmas and parts of speech: what tells two percentages apart)."""
    from align.documents import parse_sources
    from align.sources import Source

    (d,) = parse_sources([Source(name=f"{doc}.txt", text=f"An article about a deal\n\n{text}\n", kind="text")])
    s = d.sentences[1]
    s.doc = doc
    return s


@pytest.mark.parametrize(
    "a, b, expected",
    [
        # A takeover premium and the day's move in the shares are two different measures.
        (
            "The software giant will pay $95 per share, a premium of roughly 45% to Activision's closing price.",
            "Shares of Activision Blizzard surged nearly 26% on Tuesday after Microsoft agreed to buy it.",
            [],
        ),
        # The same measure told twice, with different figures: a conflict.
        ("Amazon will hold a stake of 20% in the startup.", "Amazon takes a 25% stake in the startup.", ["20% vs 25%"]),
        (
            "The premium of 23% values the company highly.",
            "It pays a premium of 30% over Friday's close.",
            ["23% vs 30%"],
        ),
        # Amounts of money keep the plain rule: no shared word is needed.
        (
            "The tech giant plans to invest $1 billion immediately.",
            "Amazon has committed to paying $1.25 billion to take a minority stake.",
            ["$1 billion vs $1.25 billion"],
        ),
    ],
)
def test_percentages_are_compared_only_as_one_measure(a, b, expected):
    assert [c.label for c in find_conflicts(parsed(a, 0), parsed(b, 1))] == expected
