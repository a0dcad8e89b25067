"""The links file (align/links.py): round trip, bad files, resolution by hash and text, corrections
applied to an alignment, and `deal-reader export` with and without it.

The documents are the hand-built corpus of tests/snapshot_apps/corpus.py (fixed pairs, no spaCy), so
nothing here depends on the engine's scorer, which is being replaced.
"""

from __future__ import annotations

import csv
import dataclasses
import io
import json
import tempfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import align
import align.cli
from align import links
from align.links import Anchor, Correction, LinkBook
from snapshot_apps.corpus import synthetic_alignment, synthetic_documents


def sentence(docs, needle: str) -> align.Sentence:
    hits = [s for d in docs for s in d.sentences if needle in s.clean_text]
    assert len(hits) == 1, f"{needle!r} in {len(hits)} sentences"
    return hits[0]


def pair_of(result: align.Alignment, x: align.Sentence, y: align.Sentence) -> align.AlignedPair | None:
    return next((p for p in result.pairs if {p.a, p.b} == {x, y}), None)


# ----- round trip ----------------------------------------------------------------------------------

anchors = st.builds(
    Anchor, doc=st.text(min_size=1, max_size=64), name=st.text(max_size=40), text=st.text(min_size=1, max_size=200)
)  # unicode, quotes, newlines, NULs...
corrections = st.lists(st.builds(Correction, action=st.sampled_from(links.ACTIONS), a=anchors, b=anchors), max_size=12)


@settings(max_examples=80, deadline=None)
@given(corrections)
def test_save_then_load_gives_the_same_corrections(items):
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / links.FILE_NAME
        links.save(path, items)
        got = links.load(path)
        assert got.problems == [] and got.writable
        assert got.corrections == items
        assert [p.name for p in Path(tmp).iterdir()] == [links.FILE_NAME]  # no temporary file left behind


@settings(max_examples=40, deadline=None)
@given(
    st.lists(
        st.text(min_size=1, max_size=80).filter(lambda t: " ".join(t.split()) == t and t),
        min_size=2,
        max_size=6,
        unique=True,
    )
)
def test_a_correction_on_any_sentence_text_resolves_to_that_sentence(texts):
    docs = []
    for d in range(2):
        sentences = [align.Sentence(doc=d, index=i, text=t, start=0, end=len(t)) for i, t in enumerate(texts, 1)]
        docs.append(align.Document(name=f"{d}.txt", title="", text="\n".join(texts) + str(d), sentences=sentences))
    x, y = docs[0].sentences[0], docs[1].sentences[-1]
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "links.json"
        links.save(path, [links.correction("add", docs, y, x)])
        got = links.resolve_links(links.load(path).corrections, docs)
    assert got.added == ((x, y),) and not got.problems


# ----- bad files: one line each, never rewritten ---------------------------------------------------

GOOD_ANCHOR = {"doc": "0" * 64, "name": "a.txt", "text": "A sentence."}
BAD_FILES = [
    ("corrupt", b'{"format": "deal-reader.links", "version": 1, "links": [', "not valid JSON"),
    ("not utf-8", b"\xff\xfe\x00garbage", "not valid JSON"),
    ("empty", b"", "not valid JSON"),
    ("foreign object", json.dumps({"name": "my-package", "version": "1.0"}).encode(), "not a deal-reader links file"),
    ("foreign list", b"[1, 2, 3]", "not a deal-reader links file"),
    ("wrong version", json.dumps({"format": links.FORMAT, "version": 99, "links": []}).encode(), "version 99"),
    ("links not a list", json.dumps({"format": links.FORMAT, "version": 1, "links": {}}).encode(), "not a list"),
    (
        "malformed link",
        json.dumps(
            {
                "format": links.FORMAT,
                "version": 1,
                "links": [
                    {"action": "reject", "a": GOOD_ANCHOR, "b": GOOD_ANCHOR},
                    {"action": "merge", "a": GOOD_ANCHOR, "b": GOOD_ANCHOR},
                ],
            }
        ).encode(),
        "link 2 is malformed",
    ),
]


@pytest.mark.parametrize("content, says", [(c, s) for _, c, s in BAD_FILES], ids=[n for n, _, _ in BAD_FILES])
def test_a_bad_links_file_is_one_line_and_is_never_overwritten(tmp_path, content, says):
    path = tmp_path / links.FILE_NAME
    path.write_bytes(content)
    got = links.load(path)
    assert len(got.problems) == 1 and says in got.problems[0] and "\n" not in got.problems[0]
    assert str(path) in got.problems[0]
    assert not got.writable
    book, problems = LinkBook.open(path)
    docs = synthetic_documents()
    book.reject(docs, docs[0].sentence(2), docs[1].sentence(2))
    problem = book.save()
    assert problem and "kept for this session" in problem
    assert path.read_bytes() == content  # left as it was


def test_a_missing_file_is_an_empty_one(tmp_path):
    got = links.load(tmp_path / "none.json")
    assert got.corrections == [] and got.problems == [] and got.writable


@pytest.mark.parametrize("where", ["file as parent", "directory as target"])
def test_an_unwritable_path_is_one_line_and_leaves_nothing_behind(tmp_path, where):
    blocker = tmp_path / "blocker"
    if where == "file as parent":
        blocker.write_text("a file, not a directory")
        path = blocker / links.FILE_NAME
    else:
        path = tmp_path / "is-a-dir"
        path.mkdir()
    book = LinkBook(path)
    docs = synthetic_documents()
    book.reject(docs, docs[0].sentence(2), docs[1].sentence(2))
    problem = book.save()
    assert problem and str(path) in problem and "kept for this session" in problem and "\n" not in problem
    assert len(book.corrections) == 1  # kept in memory
    assert [p.name for p in tmp_path.iterdir()] == [blocker.name if where == "file as parent" else path.name]
    if path.is_dir():
        assert list(path.iterdir()) == []  # no temporary file left behind


# ----- resolution: by content hash and text, not index ---------------------------------------------


def edited(doc: align.Document, prefix: str) -> align.Document:
    """The document with a sentence inserted first: a new text (hash), every index shifted by one."""
    first = align.Sentence(doc=doc.sentences[0].doc, index=1, text=prefix, start=0, end=len(prefix))
    rest = [dataclasses.replace(s, index=s.index + 1) for s in doc.sentences]
    return align.Document(
        name=doc.name, title=doc.title, text=prefix + "\n" + doc.text, sentences=[first, *rest], path=doc.path
    )


def test_corrections_follow_their_sentences_through_an_edited_and_re_split_article():
    docs = synthetic_documents()
    x, y = sentence(docs, "$1 billion immediately"), sentence(docs, "US$1.25 billion")
    saved = [links.correction("reject", docs, x, y)]
    again = [docs[0], edited(docs[1], "Updated at noon."), docs[2]]
    got = links.resolve_links(saved, again)
    assert not got.problems
    ((a, b),) = got.rejected
    assert a is again[0].sentence(x.index) and b.clean_text == y.clean_text and b.index == y.index + 1


@pytest.mark.parametrize(
    "case, says",
    [
        ("document not open", "names a document that is not open (other.txt)"),
        ("sentence gone", "no longer applies: article-2.txt has no sentence 'The deal begins"),
        ("same document", "joins two sentences of article-1.txt"),
    ],
)
def test_a_correction_that_no_longer_applies_is_one_line_and_the_rest_still_apply(case, says):
    docs = synthetic_documents()
    x, y = sentence(docs, "$1 billion immediately"), sentence(docs, "US$1.25 billion")
    good = links.correction("reject", docs, sentence(docs, "Google invested"), sentence(docs, "Google had put"))
    bad = links.correction("add", docs, x, y)
    if case == "document not open":
        bad = dataclasses.replace(bad, b=Anchor("f" * 64, "other.txt", y.clean_text))
    elif case == "sentence gone":
        docs = [docs[0], dataclasses.replace(docs[1], sentences=[s for s in docs[1].sentences if s is not y]), docs[2]]
    else:
        bad = dataclasses.replace(bad, b=links.anchor(docs, sentence(docs, "Analysts called")))
    got = links.resolve_links([bad, good], docs, "links.json")
    assert len(got.problems) == 1 and says in got.problems[0] and got.problems[0].startswith("links.json: ")
    assert len(got.rejected) == 1 and not got.added


def test_the_last_word_on_a_link_wins_and_the_book_undoes():
    docs = synthetic_documents()
    x, y = sentence(docs, "$1 billion immediately"), sentence(docs, "US$1.25 billion")
    book = LinkBook(None)
    book.reject(docs, x, y)
    assert [c.action for c in book.corrections] == ["reject"]
    book.add(docs, y, x)  # linking a rejected pair again lifts the rejection
    assert book.corrections == ()
    book.add(docs, x, sentence(docs, "Claude is available"))
    book.reject(docs, x, sentence(docs, "Claude is available"))  # rejecting a link one added forgets it
    assert book.corrections == ()
    assert book.undo() and [c.action for c in book.corrections] == ["add"]
    assert book.undo() and book.undo() and [c.action for c in book.corrections] == ["reject"]
    assert book.undo() and book.corrections == () and not book.undo()


# ----- applying to an alignment --------------------------------------------------------------------


def test_rejected_links_disappear_and_added_links_appear_as_the_user_s_with_their_conflicts():
    base = synthetic_alignment()
    docs = base.documents
    x, y = sentence(docs, "$1 billion immediately"), sentence(docs, "US$1.25 billion")
    wrong = pair_of(base, x, y)
    assert wrong is not None and wrong.origin == "engine"
    new_a, new_b = sentence(docs, "The tech giant plans"), sentence(docs, "Google had put $400 million")
    assert pair_of(base, new_a, new_b) is None
    assert align.find_conflicts(new_a, new_b), "the added pair must disagree on a figure for this test"

    result = base.with_corrections({(x, y)}, [(new_a, new_b)])
    assert pair_of(result, x, y) is None
    added = pair_of(result, new_a, new_b)
    assert added is not None and added.origin == "user" and added.conflicts
    assert len(result.pairs) == len(base.pairs)
    assert any(c.a is new_a and c.b is new_b for c in result.conflicts)
    assert not any({c.a, c.b} == {x, y} for c in result.conflicts)
    assert any(new_a in f.sentences and new_b in f.sentences for f in result.facts)
    assert not any(x in f.sentences and y in f.sentences for f in result.facts)
    assert result.counterparts(new_b)[0][0] is new_a  # a user link comes first
    assert pair_of(base, x, y) is not None  # the original is untouched
    # Back to the engine's own links: the same pairs as before.
    assert [(p.a, p.b, p.score) for p in result.with_corrections().pairs] == [(p.a, p.b, p.score) for p in base.pairs]


@pytest.mark.parametrize("threshold", [0.2, 0.5, 0.8])
def test_corrections_survive_a_change_of_threshold(threshold):
    base = synthetic_alignment()
    docs = base.documents
    x, y = sentence(docs, "$1 billion immediately"), sentence(docs, "US$1.25 billion")
    new = (sentence(docs, "Analysts called"), sentence(docs, "Claude is available"))
    result = base.with_corrections({(x, y)}, [new]).with_threshold(threshold).with_threshold(base.threshold)
    assert pair_of(result, x, y) is None
    assert pair_of(result, *new).origin == "user"
    moved = base.with_corrections({(x, y)}, [new]).with_threshold(threshold)
    assert pair_of(moved, x, y) is None and pair_of(moved, *new).origin == "user"


# ----- where the file lives ------------------------------------------------------------------------


def test_the_file_lives_beside_the_first_input_and_in_the_data_dir_for_the_seeds(tmp_path, monkeypatch):
    monkeypatch.setenv(links.ENV_DIR, str(tmp_path / "data"))
    article = tmp_path / "corpus" / "a.txt"
    article.parent.mkdir()
    article.write_text("x")
    assert links.default_path([str(article), "b.txt"]) == article.parent / links.FILE_NAME
    assert links.default_path([str(article.parent)]) == article.parent / links.FILE_NAME
    data = tmp_path / "data" / links.FILE_NAME
    assert links.default_path(None) == data
    assert links.default_path([str(align.bundled_seeds())]) == data
    assert links.default_path([str(next(align.bundled_seeds().iterdir()))]) == data
    assert links.default_path(["https://example.com/a"]) == data
    assert links.default_path(["-"]) == data


# ----- deal-reader export ---------------------------------------------------------------------------


@pytest.fixture
def corpus(monkeypatch, tmp_path):
    """`deal-reader export` on the hand-built corpus; the default links file in a directory of the test's own."""
    base = synthetic_alignment()
    monkeypatch.setattr(align.cli, "load_documents", lambda *a, **k: (base.documents, []))
    monkeypatch.setattr(
        align.cli, "align_stories", lambda docs, stories, threshold, cache=None, progress=None, facts=True: [base]
    )
    monkeypatch.setenv(links.ENV_DIR, str(tmp_path / "data"))
    return base


def corrected_file(base: align.Alignment, path: Path) -> tuple:
    docs = base.documents
    x, y = sentence(docs, "$1 billion immediately"), sentence(docs, "US$1.25 billion")
    new = (sentence(docs, "Analysts called"), sentence(docs, "Claude is available"))
    links.save(path, [links.correction("reject", docs, x, y), links.correction("add", docs, *new)])
    return (x, y), new


def exported(tmp_path: Path, *args: str) -> tuple[list[list[str]], dict]:
    out_csv, out_json = tmp_path / "out.csv", tmp_path / "out.json"
    assert align.cli.export_main(["--csv", str(out_csv), "--json", str(out_json), "--force", *args]) == 0
    return list(csv.reader(io.StringIO(out_csv.read_text()))), json.loads(out_json.read_text())


def test_export_applies_the_default_links_file_and_no_links_ignores_it(corpus, tmp_path, capsys):
    (x, y), (p, q) = corrected_file(corpus, tmp_path / "data" / links.FILE_NAME)
    rows, data = exported(tmp_path)
    texts = {(r[2], r[5]): r for r in rows[1:]}
    assert (x.clean_text, y.clean_text) not in texts
    assert texts[(p.clean_text, q.clean_text)][6] == "user"
    assert sum(r[6] == "user" for r in rows[1:]) == 1
    origins = {(j["a"]["doc"], j["a"]["sentence"], j["b"]["doc"], j["b"]["sentence"]): j for j in data["pairs"]}
    user = origins[(p.doc, p.index, q.doc, q.index)]
    assert user["origin"] == "user" and user["score"] is None
    assert all(j["origin"] == "engine" and isinstance(j["score"], float) for j in data["pairs"] if j is not user)
    assert (x.doc, x.index, y.doc, y.index) not in origins

    rows, data = exported(tmp_path, "--no-links")
    assert len(rows) - 1 == len(corpus.pairs) and not any(r[6] == "user" for r in rows[1:])
    assert {j["origin"] for j in data["pairs"]} == {"engine"}
    assert any((r[2], r[5]) == (x.clean_text, y.clean_text) for r in rows[1:])


def test_export_links_picks_another_file_and_reports_what_does_not_apply(corpus, tmp_path, capsys):
    other = tmp_path / "mine.json"
    corrected_file(corpus, other)
    data = json.loads(other.read_text())
    data["links"].append(
        {"action": "add", "a": {"doc": "f" * 64, "name": "gone.txt", "text": "Old."}, "b": data["links"][0]["b"]}
    )
    other.write_text(json.dumps(data))
    rows, _ = exported(tmp_path, "--links", str(other))
    assert sum(r[6] == "user" for r in rows[1:]) == 1
    err = capsys.readouterr().err
    assert "mine.json: an added link names a document that is not open (gone.txt); ignored" in err
    assert "Traceback" not in err


def test_export_with_a_corrupt_links_file_says_so_in_one_line_and_exports_the_engine_s_pairs(corpus, tmp_path, capsys):
    bad = tmp_path / "data" / links.FILE_NAME
    bad.parent.mkdir(parents=True)
    bad.write_text("{oops")
    rows, _ = exported(tmp_path)
    assert len(rows) - 1 == len(corpus.pairs)
    err = [line for line in capsys.readouterr().err.splitlines() if "links" in line]
    assert len(err) == 1 and "not valid JSON" in err[0]
    assert bad.read_text() == "{oops"


def test_links_and_no_links_together_are_refused(corpus, tmp_path, capsys):
    with pytest.raises(SystemExit) as e:
        align.cli.export_main(["--csv", "-", "--links", "x.json", "--no-links"])
    assert e.value.code == 2


def test_export_says_when_the_named_links_file_does_not_exist(tmp_path, capsys):
    from align.cli import export_main

    missing = tmp_path / "nope.json"
    assert export_main(["seeds", "--csv", str(tmp_path / "out.csv"), "--links", str(missing)]) == 0
    err = capsys.readouterr().err
    assert f"{missing}: no such links file; no corrections applied" in err
    assert not missing.exists()  # export reads the file; it never creates one
