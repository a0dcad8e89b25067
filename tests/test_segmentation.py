"""Sentences: lines, headings and bullets are hard boundaries; glyphs stripped; offsets and indices stable."""

import pytest

from align.documents import parse_sources
from align.sources import Source


def parse(text: str, kind: str = "text"):
    (doc,) = parse_sources([Source(name="t.txt", text=text, kind=kind)])
    return doc


def texts(doc):
    return [s.text for s in doc.sentences]


def test_short_first_line_is_the_title_and_a_heading():
    doc = parse("Amazon bets on Anthropic\n\nAmazon will invest $4 billion. Anthropic agreed.\n")
    assert doc.title == "Amazon bets on Anthropic"
    assert doc.sentences[0].heading
    assert texts(doc)[1:] == ["Amazon will invest $4 billion.", "Anthropic agreed."]


def test_long_first_line_is_not_a_title():
    long = "In a major development in the AI arms race, Amazon announced this morning that it has committed to paying $1.25 billion to take a stake."
    doc = parse(long + "\nIt could go higher.\n")
    assert not doc.sentences[0].heading
    assert doc.title.endswith("…") and len(doc.title) <= 60


@pytest.mark.parametrize("glyph", ["•", "-", "*", "–"])
def test_bullet_glyphs_are_boundaries_and_stripped(glyph):
    doc = parse(f"Title here\n  {glyph} First point without a stop\n  {glyph} Second point. It has two sentences.\n")
    assert texts(doc) == ["Title here", "First point without a stop", "Second point.", "It has two sentences."]
    assert not doc.sentences[1].heading  # a bullet item is running text


def test_line_breaks_split_even_without_punctuation():
    doc = parse("Heading\nOne line without a stop\nAnother line\n")
    assert texts(doc) == ["Heading", "One line without a stop", "Another line"]


def test_headings_are_marked():
    doc = parse(
        "Title\n\nSome text here. More text.\n\nAn Introduction to Anthropic\n\nAnthropic was founded in 2021.\n"
    )
    heading = [s for s in doc.sentences if s.text == "An Introduction to Anthropic"][0]
    assert heading.heading


def test_markdown_heading_marks_are_stripped():
    doc = parse("# The deal\n\nAmazon invests. Anthropic agrees.\n\n## Details\n\n* point one\n", kind="markdown")
    assert texts(doc) == ["The deal", "Amazon invests.", "Anthropic agrees.", "Details", "point one"]


def test_curly_quotes_stay_inside_their_sentence():
    doc = parse(
        "Title\nAmazon is investing “up to $4 billion” in Anthropic. It said “We’re only three steps in.” Then it left.\n"
    )
    assert texts(doc)[1] == "Amazon is investing “up to $4 billion” in Anthropic."
    assert "“We’re only three steps in.”" in texts(doc)[2]


def test_offsets_index_and_quantities():
    text = "Title\n\n  • Amazon pays $1 billion now.   Anthropic agrees.\n"
    doc = parse(text)
    assert [s.index for s in doc.sentences] == [1, 2, 3]
    for s in doc.sentences:
        assert text[s.start : s.end] == s.text
    assert [q.text for q in doc.sentences[1].quantities] == ["$1 billion"]


def test_metadata_lines_at_the_top_become_metadata():
    doc = parse("Deal news\nWritten by: jh\nSource: example.com\nAmazon invests in Anthropic.\n")
    assert doc.metadata == {"author": "jh", "site": "example.com"}
    assert texts(doc) == ["Deal news", "Amazon invests in Anthropic."]


def test_seed_segmentation(seed_documents):
    assert [d.name[:3] for d in seed_documents] == ["000", "001", "002", "003", "004"]
    assert 200 <= sum(len(d.sentences) for d in seed_documents) <= 240
    for d in seed_documents:
        for s in d.sentences:
            assert d.text[s.start : s.end] == s.text
            assert not s.text.startswith(("•", "- ", "* ", "– "))


@pytest.mark.parametrize(
    ("text", "lemma", "tag"),
    [
        ("Amazon acquired a minority stake in Anthropic.", "acquire", "VERB"),
        ("Amazon acquired a minority stake in Anthropic.", "stake", "NOUN"),
        ("Amazon acquired a minority stake in Anthropic.", "anthropic", "PROPN"),
        ("The earthquake struck the island on Sunday.", "earthquake", "NOUN"),
    ],
)
def test_each_content_lemma_keeps_its_part_of_speech(text, lemma, tag):
    (s,) = parse(f"Some title of an article here\n\n{text}\n").sentences[1:]
    assert len(s.lemma_tags) == len(s.lemmas)
    assert s.lemma_tags[s.lemmas.index(lemma)] == tag
