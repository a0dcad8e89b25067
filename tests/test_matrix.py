"""The fact matrix through the public API and `export --facts`: rows are found by content, never by number or id.

The pair scorer changes under these tests, so they look rows up by their figures and documents.
"""

from __future__ import annotations

import csv
import io
import json

import pytest

import align
from align.matrix import fact_label, fact_row
from snapshot_apps.corpus import synthetic_alignment, synthetic_documents
from tui.cli import main

SEEDS = align.bundled_seeds()


def key(doc: align.Document) -> str:
    """The seeds' document key: the number their file names start with (000 .. 004)."""
    return doc.name.split("_")[0]


def row_with(rows, figures_by_key, docs):
    """The one row whose cells give these figures in these documents (keys as in the file names)."""

    def matches(row):
        for k, figure in figures_by_key.items():
            cell = next(c for c in row.cells if key(docs[c.doc]) == k)
            if not any(q.text.endswith(figure) for q in cell.figures):
                return False
        return True

    hits = [r for r in rows if matches(r)]
    assert hits, f"no row gives {figures_by_key}"
    return hits[0]


def disagreeing_keys(row, docs):
    return {key(docs[c.doc]) for c in row.cells if c.disagrees}


@pytest.fixture(scope="module")
def seed_rows(seed_alignment):
    return align.fact_matrix(seed_alignment)


def test_the_tranche_row_sets_1_25_billion_against_1_billion(seed_alignment, seed_rows):
    docs = seed_alignment.documents
    row = row_with(seed_rows, {"001": "$1.25 billion", "002": "$1.25 billion", "004": "$1 billion"}, docs)
    assert row.disagrees
    assert {"001", "002", "004"} <= disagreeing_keys(row, docs)
    cell_004 = next(c for c in row.cells if key(docs[c.doc]) == "004")
    assert cell_004.disagreeing[0].text == "$1 billion"  # the disagreeing figure is shown first
    assert "$1 billion" in cell_004.figure_text


def test_googles_earlier_money_sets_300_against_400_million(seed_alignment, seed_rows):
    docs = seed_alignment.documents
    row = row_with(seed_rows, {"000": "$300 million", "003": "$400 million"}, docs)
    assert row.disagrees and {"000", "003"} <= disagreeing_keys(row, docs)
    assert any(c.label == "$300 million vs $400 million" for c in row.conflicts)


def test_rows_with_a_disagreement_come_first_then_the_most_stated(seed_alignment, seed_rows):
    assert len(seed_rows) == len(seed_alignment.facts)
    flags = [r.disagrees for r in seed_rows]
    assert flags == sorted(flags, reverse=True) and flags[0]
    calm = [r.stated_by for r in seed_rows if not r.disagrees]
    assert calm == sorted(calm, reverse=True)
    for row in seed_rows:
        assert len(row.cells) == len(seed_alignment.documents)
        assert [c.doc for c in row.cells] == list(range(len(row.cells)))
        assert row.stated_by == len({s.doc for s in row.fact.sentences})
        for cell in row.cells:
            assert cell.silent == (cell.doc not in {s.doc for s in row.fact.sentences})
            assert set(map(id, cell.disagreeing)) <= set(map(id, cell.figures))


def test_a_cell_states_without_a_figure_when_others_give_one(seed_alignment, seed_rows):
    """The Google row: 001 states the fact but gives no amount; its unrelated "two" is not shown."""
    docs = seed_alignment.documents
    row = row_with(seed_rows, {"000": "$300 million", "003": "$400 million"}, docs)
    stated = [c for c in row.cells if not c.silent and not c.figures]
    for cell in stated:
        assert cell.figure_text == "" and cell.sentence is not None


def sentence(docs, doc, needle):
    return next(s for s in docs[doc].sentences if needle in s.text)


def test_a_document_with_several_sentences_in_a_fact_shows_the_one_in_a_conflict():
    """Many-to-many links are coming: a cell picks one sentence, the one in a conflict before the first."""
    docs = synthetic_documents()
    plain = sentence(docs, 0, "up to $4 billion")  # index 2: comes first, agrees
    clash = sentence(docs, 0, "$1 billion immediately")  # index 3: disagrees with $1.25 billion
    other = sentence(docs, 1, "US$1.25 billion")
    conflicts = align.find_conflicts(clash, other)
    assert conflicts
    pairs = (align.AlignedPair(plain, other, 0.5), align.AlignedPair(clash, other, 0.6, conflicts))
    fact = align.Fact(id=1, sentences=(plain, clash, other), pairs=pairs)
    row = fact_row(fact, len(docs))
    first = row.cells[0]
    assert first.sentence is clash and first.sentences == (clash, plain) and first.disagrees
    assert row.cells[2].silent and row.stated_by == 2
    # Without the conflict, the sentence whose figure another article could also be giving
    # ($1 billion against US$1.25 billion) before the first in reading order ($4 billion is not).
    calm = fact_row(align.Fact(id=1, sentences=(plain, clash, other), pairs=(pairs[0],)), len(docs))
    assert calm.cells[0].sentence is clash and not calm.disagrees
    # With no figure shared at all, the first in reading order.
    lone = fact_row(align.Fact(id=1, sentences=(plain, clash), pairs=()), len(docs))
    assert lone.cells[0].sentence is plain


def test_the_label_is_the_shortest_clear_sentence_not_a_heading():
    docs = synthetic_documents()
    heading = docs[0].sentence(1)  # "Amazon bets on Anthropic": short, but a heading
    long = sentence(docs, 1, "as much as US$4 billion")
    short = sentence(docs, 2, "nearly $4 billion")
    fact = align.Fact(id=1, sentences=(heading, long, short), pairs=())
    assert heading.heading and fact_label(fact) == short.clean_text
    fragment = align.Sentence(doc=2, index=9, text="Read more.", start=0, end=10)  # short but not a statement
    assert fact_label(align.Fact(id=2, sentences=(long, fragment), pairs=())) == long.clean_text
    assert fact_label(align.Fact(id=3, sentences=(heading, docs[1].sentence(1)), pairs=())) == heading.clean_text


def test_synthetic_matrix_order_and_hedged_wording():
    a = synthetic_alignment()
    rows = align.fact_matrix(a)
    assert [r.disagrees for r in rows][:2] == [True, True] and not rows[-1].disagrees
    whole = next(r for r in rows if any("4 billion" in c.figure_text for c in r.cells))
    assert [c.figure_text for c in whole.cells] == ["up to $4 billion", "up to US$4 billion", "nearly $4 billion"]


# ----- export --facts and the JSON --------------------------------------------------------------


def test_facts_csv_has_a_row_per_fact_and_a_column_per_document(seed_alignment):
    rows = list(csv.reader(io.StringIO(align.to_facts_csv(seed_alignment))))
    docs = seed_alignment.documents
    assert rows[0] == [*align.FACT_CSV_COLUMNS, *(d.name for d in docs)]
    assert len(rows) - 1 == len(seed_alignment.facts)
    col = {key(d): len(align.FACT_CSV_COLUMNS) + i for i, d in enumerate(docs)}
    tranche = next(r for r in rows[1:] if "$1.25 billion" in r[col["002"]] and "$1 billion" in r[col["004"]])
    assert tranche[col["000"]] == ""  # silent
    index, figures = tranche[col["004"]].split(": ", 1)
    doc_004 = next(d for d in docs if key(d) == "004")
    assert index.isdigit() and "$1 billion" in doc_004.sentence(int(index)).text
    assert "≠$1 billion" in figures.split("; ")
    assert "$1.25 billion vs $1 billion" in tranche[2]
    google = next(r for r in rows[1:] if "$300 million" in r[col["000"]] and "$400 million" in r[col["003"]])
    assert google[col["000"]].endswith("≠$300 million")
    stated = [c for r in rows[1:] for c in r[3:] if c.isdigit()]
    assert stated  # a sentence that states the fact without a figure is its index alone


def test_facts_csv_neutralises_formulas(tmp_path, capsys):
    a = tmp_path / "=a.txt"
    a.write_text(
        "Deal news\n\n+1 point: Amazon will invest $4 billion in Anthropic, the company said.\nIt is big.\n",
        encoding="utf-8",
    )
    b = tmp_path / "b.txt"
    b.write_text(
        "Other news\n\nAmazon will invest $4 billion in Anthropic, the startup said on Monday.\nThe end.\n",
        encoding="utf-8",
    )
    assert main(["export", str(a), str(b), "--facts", "-"]) == 0
    rows = list(csv.reader(io.StringIO(capsys.readouterr().out)))
    assert rows[0][3] == "'=a.txt"
    assert any(r[1].startswith("'+1 point: Amazon") for r in rows[1:])
    assert all(not c.startswith(("=", "+", "-", "@")) for r in rows for c in r)


def test_export_facts_refuses_to_overwrite_without_force(tmp_path, capsys):
    target = tmp_path / "facts.csv"
    assert main(["export", str(SEEDS), "--facts", str(target)]) == 0
    assert target.read_text(encoding="utf-8").startswith("fact,label,conflicts,")
    assert "facts to" in capsys.readouterr().err
    target.write_text("keep me")
    code = main(["export", str(SEEDS), "--facts", str(target)])
    err = capsys.readouterr().err
    assert code != 0 and "--force" in err and len(err.strip().splitlines()) == 1
    assert target.read_text() == "keep me"
    assert main(["export", str(SEEDS), "--facts", str(target), "--force"]) == 0
    assert target.read_text(encoding="utf-8").startswith("fact,")


def test_only_one_output_on_standard_output(capsys):
    assert main(["export", "--facts", "-", "--csv", "-"]) == 2
    assert "standard output" in capsys.readouterr().err


def test_json_holds_the_fact_matrix(seed_alignment):
    data = json.loads(align.to_json(seed_alignment))
    matrix = data["fact_matrix"]
    assert len(matrix) == len(seed_alignment.facts)
    keys = [key(d) for d in seed_alignment.documents]
    fact_ids = {f["id"] for f in data["facts"]}
    for row in matrix:
        assert row["fact"] in fact_ids and row["label"]
        assert [c["doc"] for c in row["cells"]] == list(range(len(keys)))

    def figures(row, k):
        return row["cells"][keys.index(k)]["figures"]

    tranche = next(r for r in matrix if "$1 billion" in figures(r, "004") and "$1.25 billion" in figures(r, "002"))
    assert "$1 billion" in tranche["cells"][keys.index("004")]["disagreeing"]
    assert tranche["cells"][keys.index("000")] == {
        "doc": 0,
        "sentence": None,
        "sentences": [],
        "figures": [],
        "disagreeing": [],
    }
    assert any("$300 million" in figures(r, "000") and "$400 million" in figures(r, "003") for r in matrix)
