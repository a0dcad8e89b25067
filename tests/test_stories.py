"""Stories: a corpus that mixes several events is split by event, and nothing is aligned across stories."""

from __future__ import annotations

import csv
import dataclasses
import io
from pathlib import Path

import numpy as np
import pytest

import align
from align import stories as st
from align.links import correction
from align.models import Document, Sentence
from align.similarity import Scorer, load_judge
from tui.cli import main

SEEDS = align.bundled_seeds()
MIXED = Path(__file__).parent / "fixtures" / "stories"


def doc(name: str, *texts: str, date: str = "") -> Document:
    """A hand-built document: lemmas are the lower-cased words (no spaCy needed)."""
    sentences = [
        Sentence(doc=0, index=i, text=t, start=0, end=len(t), lemmas=tuple(w.strip(".,").lower() for w in t.split()))
        for i, t in enumerate(texts, 1)
    ]
    return Document(
        name=name, title=texts[0], text="\n".join(texts), sentences=sentences, metadata={"date": date} if date else {}
    )


QUAKE_A = [
    ("qa1", "A strong earthquake struck Qeshm island near Dargahan on Sunday, 2008, Governor Irannejad said."),
    ("qa2", "The Dargahan earthquake on Qeshm injured five people, Irannejad told ISNA in 2008."),
    ("qa3", "Governor Irannejad said walls collapsed in Zainabieh near Dargahan after the 2008 quake."),
]
QUAKE_B = [
    ("qb1", "A powerful earthquake hit Bandar Abbas and Qeshm, killing ten people, Alishvandi said in 2005."),
    ("qb2", "Governor Alishvandi said the 2005 earthquake flattened villages near Bandar Abbas."),
    ("qb3", "Rescue teams reached Bandar Abbas villages, Karami told the Associated Press in 2005."),
]


def groups(docs: list[Document]) -> list[set[str]]:
    return [{docs[i].name for i in s.documents} for s in align.find_stories(docs)]


@pytest.mark.parametrize(
    "corpus, expected",
    [
        ([], []),
        ([QUAKE_A[0]], [{"qa1"}]),
        (QUAKE_A, [{"qa1", "qa2", "qa3"}]),
        (QUAKE_A + QUAKE_B, [{"qa1", "qa2", "qa3"}, {"qb1", "qb2", "qb3"}]),
        # Interleaved input: the grouping follows the content, not the order.
        ([QUAKE_B[0], QUAKE_A[0], QUAKE_B[1], QUAKE_A[1], QUAKE_A[2]], [{"qa1", "qa2", "qa3"}, {"qb1", "qb2"}]),
    ],
)
def test_documents_are_grouped_by_the_event_they_report(corpus, expected):
    assert groups([doc(n, t) for n, t in corpus]) == expected


def blocks(sizes: list[int], within: float, between: float) -> np.ndarray:
    """A similarity matrix of groups of the given sizes: ``within`` inside a group, ``between`` across."""
    group = np.repeat(np.arange(len(sizes)), sizes)
    sim = np.where(group[:, None] == group[None, :], within, between)
    np.fill_diagonal(sim, 1.0)
    return sim


@pytest.mark.parametrize(
    "sizes, within, between, found",
    [
        ([5, 5], 0.5, 0.02, 2),  # far apart: two stories
        ([5, 5], 0.5, 0.15, 2),  # close enough for the cut, but far apart next to their own likeness
        ([5, 5], 0.3, 0.15, 1),  # half as alike across as within: one story told two ways
        ([3, 3], 0.5, 0.15, 1),  # too few documents to judge their likeness: the cut alone decides
        ([6, 1], 0.5, 0.05, 1),  # a lone document near a story joins it
        ([6, 1], 0.5, 0.005, 2),  # a lone document about something else stays alone
    ],
)
def test_groups_from_similarities(sizes, within, between, found):
    labels = st.group_labels(blocks(sizes, within, between), [False] * sum(sizes))
    assert len(set(labels)) == found


def test_a_document_too_short_to_stand_alone_joins_its_nearest_story():
    docs = [doc(n, t) for n, t in QUAKE_A + QUAKE_B] + [doc("short", "Bandar Abbas.")]
    found = groups(docs)
    assert len(found) == 2 and "short" in next(g for g in found if "qb1" in g)


def test_stories_are_numbered_by_size_with_label_and_dates():
    docs = [doc(n, t, date=f"2008-0{k + 1}-01") for k, (n, t) in enumerate(QUAKE_A)]
    docs += [doc(n, t) for n, t in QUAKE_B[:2]]
    found = align.find_stories(docs)
    assert [(s.number, s.size) for s in found] == [(1, 3), (2, 2)]
    assert found[0].label in {d.title for d in docs[:3]}
    assert found[0].dates == ("2008-01-01", "2008-02-01", "2008-03-01")
    assert found[0].date_range == "2008-01-01 – 2008-03-01"
    assert found[1].dates == () and found[1].date_range == ""


@pytest.mark.parametrize(
    "text, terms",
    [
        ("Posted 11/27/2005 7:21 AM", ["%year:2005"]),
        ("12/16/08 1:30 AM EST", ["%year:2008"]),
        ("Last Updated: Monday, 28 November 2005", ["%year:2005", "%month:nov"]),
        ("on Dec. 14, 2008 the team", ["%year:2008", "%month:dec"]),
        ("paid $2005 for 1.2005 units", []),
    ],
)
def test_dates_become_terms(text, terms):
    assert st._date_terms(text) == terms


def test_the_seeds_stay_one_story(seed_documents):
    found = align.find_stories(seed_documents)
    assert len(found) == 1 and found[0].documents == tuple(range(len(seed_documents)))


@pytest.fixture(scope="module")
def mixed() -> list[Document]:
    docs, problems = align.load_documents([SEEDS, MIXED])
    assert not problems
    return docs


def test_seeds_and_two_other_deals_make_three_stories(mixed):
    found = [{Path(mixed[i].name).stem.split("-")[0] for i in s.documents} for s in align.find_stories(mixed)]
    seed_stems = {Path(d.name).stem for d in mixed if d.path.startswith(str(SEEDS))}
    assert found == [seed_stems, {"nuance"}, {"slack"}]


def test_story_labels_of_term_bags_group_as_find_stories_does(mixed):
    bags = [st.sentence_terms(d.sentences) for d in mixed]
    assert bags == [st.document_terms(d) for d in mixed]
    labels = st.story_labels(bags)
    groups = {tuple(i for i, g in enumerate(labels) if g == label) for label in set(labels)}
    assert groups == {s.documents for s in align.find_stories(mixed)}
    assert st.story_labels(bags[:1]) == [1] and st.story_labels([]) == []


def test_the_judge_ranks_a_pair_across_two_stories_below_one_inside_a_story(mixed):
    """A mixed corpus's scorer finds its stories and lowers a pair of two (by the calibration's term);
    told the corpus is one story, as the reader's scorer of each story is, it never does."""
    sentences = [s for d in mixed for s in d.sentences]
    found, told = Scorer(sentences), Scorer(sentences, one_story=True)
    story = {i: s.number for s in align.find_stories(mixed) for i in s.documents}
    pairs = [(a, b) for a in mixed[0].sentences[:8] for d in mixed[1:] for b in d.sentences[:8]]
    apart = found.apart(pairs)
    assert apart.tolist() == [story[a.doc] != story[b.doc] for a, b in pairs]
    assert apart.any() and not apart.all() and not told.apart(pairs).any()
    term = load_judge()["calibration"]["other_story"]
    assert term < 0
    for (a, b), k in zip(pairs, apart.tolist(), strict=True):
        assert (
            (found.score(a, b) < told.score(a, b))
            if k and told.score(a, b) > 0
            else found.score(a, b) == told.score(a, b)
        )
    assert found.fingerprint() != told.fingerprint()


def test_each_story_is_scored_as_one_story(mixed):
    story = align.find_stories(mixed)[1]
    corpus = align.story_corpus(mixed, story)
    [result] = align.align_stories(corpus, [align.Story(1, tuple(range(len(corpus))), "")], cache=False)
    assert result.scorer.one_story


def test_a_story_corpus_renumbers_copies_and_leaves_the_corpus_alone(mixed):
    story = align.find_stories(mixed)[2]
    corpus = align.story_corpus(mixed, story)
    assert [d.name for d in corpus] == [mixed[i].name for i in story.documents]
    assert [{s.doc for s in d.sentences} for d in corpus] == [{0}, {1}, {2}]
    assert all(s.doc == i for i in story.documents for s in mixed[i].sentences)


@pytest.mark.parametrize("workers", ["1", "2"])
def test_pairs_facts_and_conflicts_never_cross_stories(mixed, monkeypatch, workers):
    monkeypatch.setenv("DEAL_READER_SCORE_WORKERS", workers)  # "2": the forked path, where it can fork
    found = align.find_stories(mixed)
    seen: list[tuple[int, int]] = []
    results = align.align_stories(mixed, found, progress=lambda done, total: seen.append((done, total)))
    assert seen[-1] == (3, 3) and len(seen) == 3
    for story, result in zip(found, results, strict=True):
        names = {mixed[i].name for i in story.documents}
        assert {d.name for d in result.documents} == names
        assert result.pairs, "each story of three or more articles has aligned pairs"
        for p in result.pairs:
            assert result.documents[p.a.doc].name in names and result.documents[p.b.doc].name in names
    # The seeds' story aligns exactly as the seeds alone do.
    alone = align.align(align.load_documents([SEEDS])[0])
    assert align.to_csv(results[0]) == align.to_csv(alone)


def rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


def test_stories_command_lists_and_writes_csv(tmp_path, capsys):
    out = tmp_path / "stories.csv"
    assert main(["stories", str(SEEDS), str(MIXED), "--csv", str(out)]) == 0
    shown = capsys.readouterr().out
    assert shown.startswith("3 stories in 11 documents")
    assert "Story 2: " in shown and "nuance-1.txt" in shown
    got = rows(out.read_text())
    assert list(got[0]) == ["story", "document", "title"]
    assert [r["story"] for r in got] == ["1"] * 5 + ["2"] * 3 + ["3"] * 3
    assert {Path(r["document"]).name for r in got if r["story"] == "3"} == {"slack-1.txt", "slack-2.txt", "slack-3.txt"}
    # Never overwrites without --force.
    assert main(["stories", str(MIXED), "--csv", str(out)]) == 2
    assert "already exists" in capsys.readouterr().err
    assert len(rows(out.read_text())) == 11


@pytest.mark.parametrize(
    "argv, message",
    [
        (["stories", "/no/such/dir"], "no readable documents"),
        (["export", str(SEEDS), "--story", "2", "--csv", "-"], "--story 2: the documents make 1 story"),
        (["export", str(SEEDS), str(MIXED), "--facts", "-"], "give --story N"),
    ],
)
def test_bad_story_input_is_one_line_and_exit_2(argv, message, capsys):
    assert main(argv) == 2
    err = capsys.readouterr().err
    # The last line says why; any before it name an input that was skipped.
    assert message in err.strip().splitlines()[-1] and "Traceback" not in err


def test_story_numbers_start_at_one(capsys):
    with pytest.raises(SystemExit) as exit:
        main(["export", str(SEEDS), "--story", "0", "--csv", "-"])
    assert exit.value.code == 2 and "stories are numbered from 1" in capsys.readouterr().err


def test_export_of_every_story_and_of_one(tmp_path, capsys):
    every, one, seeds = tmp_path / "all.csv", tmp_path / "one.csv", tmp_path / "seeds.csv"
    assert main(["export", str(SEEDS), str(MIXED), "--csv", str(every)]) == 0
    assert main(["export", str(SEEDS), str(MIXED), "--story", "3", "--csv", str(one)]) == 0
    assert main(["export", str(SEEDS), "--csv", str(seeds)]) == 0
    assert "in 3 stories" in capsys.readouterr().err
    listed = tmp_path / "stories.csv"
    main(["stories", str(SEEDS), str(MIXED), "--csv", str(listed)])
    story_of = {Path(r["document"]).name: r["story"] for r in rows(listed.read_text())}
    pairs = rows(every.read_text())
    assert pairs and all(story_of[Path(r["doc_a"]).name] == story_of[Path(r["doc_b"]).name] for r in pairs)
    only = rows(one.read_text())
    assert only and {Path(r["doc_a"]).name[:5] for r in only} == {"slack"}
    assert only == [r for r in pairs if story_of[Path(r["doc_a"]).name] == "3"]
    # The seeds' rows are the seeds' export as it was: same rows, same order.
    assert [r for r in pairs if story_of[Path(r["doc_a"]).name] == "1"] == rows(seeds.read_text())


def test_json_of_several_stories_holds_each(tmp_path):
    import json

    out = tmp_path / "all.json"
    assert main(["export", str(SEEDS), str(MIXED), "--json", str(out)]) == 0
    data = json.loads(out.read_text())
    assert [s["story"] for s in data["stories"]] == [1, 2, 3]
    assert [len(s["documents"]) for s in data["stories"]] == [5, 3, 3]
    assert all({"pairs", "facts", "conflicts"} <= set(s["alignment"]) for s in data["stories"])


def test_a_correction_is_said_once_and_only_where_it_fails(mixed):
    """Every story but one finds a correction's documents not open: that is not said. Where its story
    holds them and it fails, its line is said, even when the sentence it quotes reads "not open"."""
    found = align.find_stories(mixed)
    results = align.align_stories(mixed, found, cache=False)
    first = results[0]
    x, y = first.documents[0].sentences[0], first.documents[1].sentences[0]
    fine = correction("add", first.documents, x, y)
    stale = dataclasses.replace(fine, b=dataclasses.replace(fine.b, text="The shop that is not open on Sundays."))
    _, lines = align.apply_to_stories(align.LinkBook(None, (fine, stale)), results)
    assert len(lines) == 1 and "no longer applies" in lines[0] and "that is not open on Sundays" in lines[0]
    gone = dataclasses.replace(fine, a=dataclasses.replace(fine.a, doc="0" * 64, name="gone.txt"))
    _, lines = align.apply_to_stories(align.LinkBook(None, (gone,)), results)
    assert lines == ["deal-reader.links.json: an added link names a document that is not open (gone.txt); ignored"]
