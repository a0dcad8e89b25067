"""Corpora for the reader's tests.

``seed_alignment()`` parses and aligns the bundled seeds once per test session (the engine's real
output). ``synthetic_alignment()`` is a small hand-built corpus with fixed pairs: it needs no spaCy
and does not change when the engine's scorer improves, so the snapshots drawn from it stay stable.
"""

from __future__ import annotations

from functools import cache

import align
from align import Alignment, Document, ScoredPair, Sentence

ARTICLES = [
    (
        "Amazon bets on Anthropic",
        {"site": "example.com", "author": "A. Writer", "date": "2023-09-25"},
        [
            "Amazon bets on Anthropic",
            "Amazon will invest up to $4 billion in Anthropic, the maker of the Claude chatbot.",
            "The tech giant plans to invest $1 billion immediately, with $3 billion more to follow.",
            "Google invested $300 million in the startup earlier this year.",
            "Anthropic was founded in 2021 by former OpenAI researchers.",
            "Analysts called the deal a defensive move.",
        ],
    ),
    (
        "Anthropic lands Amazon money",
        {"site": "news.example.org"},
        [
            "Anthropic lands Amazon money",
            "Anthropic said on Monday that Amazon would invest as much as US$4 billion.",
            "The deal begins with an initial investment of US$1.25 billion.",
            "Google had put $400 million into Anthropic.",
            "Claude is available to AWS customers through Bedrock.",
        ],
    ),
    (
        "Amazon and Anthropic: what the deal means",
        {},
        [
            "Amazon and Anthropic: what the deal means",
            "Amazon is investing nearly $4 billion in Anthropic.",
            "Amazon first puts in $1.25 billion, with an option for more.",
            "Anthropic was founded in 2021.",
            "Its researchers left OpenAI over safety concerns.",
            "The company now has 100,000 customers.",
        ],
    ),
]

# (doc, index) of the two sentences and their score: the pairs the corpus is meant to align.
PAIRS = [
    ((0, 2), (1, 2), 0.77),
    ((0, 2), (2, 2), 0.74),
    ((1, 2), (2, 2), 0.70),
    ((0, 3), (1, 3), 0.81),
    ((0, 3), (2, 3), 0.68),
    ((1, 3), (2, 3), 0.66),
    ((0, 4), (1, 4), 0.58),
    ((0, 5), (2, 4), 0.52),
    ((0, 1), (1, 1), 0.31),
    ((0, 1), (2, 1), 0.30),
]


# A second story, another deal of the same kind: the reader opens a corpus of both on its story list.
OTHER_ARTICLES = [
    (
        "Borealis Bank buys Quill Payments",
        {"date": "2022-07-12"},
        [
            "Borealis Bank buys Quill Payments",
            "Borealis Bank agreed to buy Quill Payments for $640 million in cash.",
            "The deal is expected to close in the fourth quarter.",
        ],
    ),
    (
        "Quill Payments sold to Borealis",
        {"date": "2022-07-13"},
        [
            "Quill Payments sold to Borealis",
            "Borealis will pay $620 million for the payments start-up.",
            "Quill's 40 staff will join the bank's Toronto office.",
        ],
    ),
]
OTHER_PAIRS = [((0, 2), (1, 2), 0.72), ((0, 1), (1, 1), 0.55)]


def synthetic_documents(articles: list | None = None) -> list[Document]:
    docs = []
    for d, (title, metadata, texts) in enumerate(ARTICLES if articles is None else articles):
        sentences, text, pos = [], "", 0
        for i, t in enumerate(texts, start=1):
            sentences.append(
                Sentence(
                    doc=d,
                    index=i,
                    text=t,
                    start=pos,
                    end=pos + len(t),
                    quantities=tuple(align.find_quantities(t)),
                    heading=i == 1,
                )
            )
            text += t + "\n"
            pos += len(t) + 1
        docs.append(
            Document(
                name=f"article-{d + 1}.txt",
                title=title,
                text=text,
                sentences=sentences,
                path=f"article-{d + 1}.txt",
                metadata=dict(metadata),
            )
        )
    return docs


def synthetic_alignment(threshold: float = 0.35, articles: list | None = None, pairs: list | None = None) -> Alignment:
    docs = synthetic_documents(articles)
    chosen = PAIRS if pairs is None else pairs
    scored = [ScoredPair(docs[a[0]].sentence(a[1]), docs[b[0]].sentence(b[1]), s) for a, b, s in chosen]
    scored.sort(key=lambda p: -p.score)
    return Alignment(docs, threshold, scored)


def synthetic_stories() -> list[tuple[align.Story, Alignment]]:
    """Two stories, each aligned on its own: the hand-built Amazon corpus and a smaller bank deal."""
    first = synthetic_alignment()
    second = synthetic_alignment(articles=OTHER_ARTICLES, pairs=OTHER_PAIRS)
    n = len(first.documents)
    return [
        (align.Story(1, tuple(range(n)), first.documents[0].title, ("2023-09-25",)), first),
        (
            align.Story(2, (n, n + 1), second.documents[0].title, ("2022-07-12", "2022-07-13")),
            second,
        ),
    ]


@cache
def seed_documents() -> tuple[Document, ...]:
    docs, problems = align.load_documents(None)
    assert not problems, problems
    return tuple(docs)


@cache
def seed_alignment() -> Alignment:
    return align.align(list(seed_documents()))
