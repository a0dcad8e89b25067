"""The CSV/JSON export and the command line: schema, formula safety, errors as one line, no overwrite."""

import csv
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

import align
from align.export import neutralise
from tui.cli import main

SEEDS = align.bundled_seeds()


def test_csv_schema(seed_alignment):
    rows = list(csv.reader(io.StringIO(align.to_csv(seed_alignment))))
    assert (
        tuple(rows[0])
        == align.CSV_COLUMNS
        == ("doc_a", "sentence_a", "text_a", "doc_b", "sentence_b", "text_b", "score", "conflicts")
    )
    assert len(rows) - 1 == len(seed_alignment.pairs) > 0
    names = {d.name for d in seed_alignment.documents}
    for r in rows[1:]:
        assert r[0] in names and r[3] in names and r[0] < r[3]
        assert r[1].isdigit() and r[4].isdigit()
        assert "\n" not in r[2] and "  " not in r[2]
        assert len(r[6].split(".")[1]) == 3 and 0 <= float(r[6]) <= 1
    flagged = [r for r in rows[1:] if r[7]]
    assert flagged and all(" vs " in part for r in flagged for part in r[7].split("; "))


@pytest.mark.parametrize(
    "cell, safe",
    [
        ("=SUM(A1)", "'=SUM(A1)"),
        ("+1", "'+1"),
        ("-2", "'-2"),
        ("@x", "'@x"),
        ("plain", "plain"),
        ("$4 billion", "$4 billion"),
    ],
)
def test_formula_cells_are_neutralised(cell, safe):
    assert neutralise(cell) == safe


def _csv_cell_by_cell(results: list[align.Alignment]) -> str:
    """The pairs' CSV written as the csv module writes whole rows, every cell neutralised: what to_csv must equal."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(align.CSV_COLUMNS)
    for r in results:
        for p in r.pairs:
            score = "user" if p.origin == "user" else f"{p.score:.3f}"
            cells = [r.documents[p.a.doc].name, str(p.a.index), p.a.clean_text]
            cells += [r.documents[p.b.doc].name, str(p.b.index), p.b.clean_text]
            cells += [score, "; ".join(c.label for c in p.conflicts)]
            w.writerow([neutralise(c) for c in cells])
    return buf.getvalue()


def test_csv_quotes_and_neutralises_awkward_cells(seed_alignment):
    texts = ['=HYPERLINK("x"), then', "-5% of it", 'He said "no".  Twice,\tagain', "plain words here"]
    names = ['=cmd|" /C calc"!A0', "b, with a comma", 'c "quoted".txt']
    docs = []
    for k, name in enumerate(names):
        d = align.Document(name=name, title="", text="")
        d.sentences = [align.Sentence(doc=k, index=i + 1, text=t, start=0, end=len(t)) for i, t in enumerate(texts)]
        docs.append(d)
    s = [d.sentences for d in docs]
    scored = [align.ScoredPair(s[0][i], s[1][i], 0.9 - 0.1 * i) for i in range(4)] + [
        align.ScoredPair(s[1][0], s[2][3], 0.5),
        align.ScoredPair(s[0][2], s[2][2], 0.45),
    ]
    result = align.Alignment(docs, 0.3, scored).with_corrections(added=[(s[0][3], s[2][0])])
    assert result.pairs and any(p.origin == "user" for p in result.pairs)
    both = [result, seed_alignment]
    assert align.to_csv(both) == _csv_cell_by_cell(both)
    assert align.to_csv(result) == _csv_cell_by_cell([result])
    rows = list(csv.reader(io.StringIO(align.to_csv(result))))
    assert rows[1][0] == "'" + names[0] and rows[1][2] == "'" + texts[0]


def test_json_holds_everything(seed_alignment):
    data = json.loads(align.to_json(seed_alignment))
    assert set(data) >= {"documents", "pairs", "facts", "conflicts", "threshold"}
    s = data["documents"][0]["sentences"][0]
    assert {"index", "text", "start", "end", "quantities"} <= set(s)
    q = next(q for d in data["documents"] for s in d["sentences"] for q in s["quantities"] if q["kind"] == "money")
    assert isinstance(q["value"], float) and q["unit"] == "USD"
    assert len(data["pairs"]) == len(seed_alignment.pairs)


def run(args, capsys):
    code = main(args)
    out = capsys.readouterr()
    return code, out.out, out.err


def test_export_writes_and_refuses_to_overwrite(tmp_path, capsys):
    target = tmp_path / "out.csv"
    code, _, err = run(["export", str(SEEDS), "--csv", str(target)], capsys)
    assert code == 0 and target.read_text().startswith("doc_a,sentence_a")
    target.write_text("keep me")
    code, _, err = run(["export", str(SEEDS), "--csv", str(target)], capsys)
    assert code != 0 and "--force" in err and len(err.strip().splitlines()) == 1
    assert target.read_text() == "keep me"
    code, _, _ = run(["export", str(SEEDS), "--csv", str(target), "--force"], capsys)
    assert code == 0 and target.read_text().startswith("doc_a")


def test_export_to_stdout_and_threshold(capsys):
    code, out, _ = run(["export", "--csv", "-", "--threshold", "0.9"], capsys)
    high = len(out.splitlines())
    code2, out2, _ = run(["export", "--csv", "-", "--threshold", "0.2"], capsys)
    assert code == code2 == 0 and high < len(out2.splitlines())


def write(p: Path, data: bytes) -> Path:
    p.write_bytes(data)
    return p


@pytest.mark.parametrize(
    "make, message",
    [
        (lambda d: d / "missing.txt", "no such file"),
        (lambda d: write(d / "empty.txt", b"   \n"), "empty"),
        (lambda d: write(d / "bin.txt", b"\x00\x01\x02binary" * 50), "binary"),
        (lambda d: (d / "sub").mkdir() or d / "sub", "no .txt"),
    ],
)
def test_bad_input_is_one_line_and_nonzero(tmp_path, capsys, make, message):
    good = write(tmp_path / "good.txt", b"Amazon invests in Anthropic. It pays $4 billion.\n")
    code, _, err = run(["export", str(make(tmp_path)), str(good), "--csv", "-"], capsys)
    assert code != 0
    assert message in err
    assert "Traceback" not in err


def test_single_document_is_refused(tmp_path, capsys):
    one = write(tmp_path / "one.txt", b"Amazon invests in Anthropic.\n")
    code, _, err = run(["export", str(one), "--csv", "-"], capsys)
    assert code != 0 and "only one document" in err


def test_legacy_encoding_is_read(tmp_path, capsys):
    a = write(tmp_path / "a.txt", "Caf\u00e9 owners said Amazon pays \u20ac2 billion.\n".encode("cp1252"))
    b = write(tmp_path / "b.txt", b"Amazon pays EUR 2 billion, owners said.\n")
    code, out, err = run(["export", str(a), str(b), "--json", "-"], capsys)
    assert code == 0
    data = json.loads(out)
    assert data["documents"][0]["sentences"][0]["text"].startswith("Caf\u00e9")
    assert "cp1252" in err


def test_bad_threshold_is_a_usage_error(capsys):
    with pytest.raises(SystemExit) as e:
        main(["export", "--csv", "-", "--threshold", "7"])
    assert e.value.code == 2
    assert "between 0 and 1" in capsys.readouterr().err


def test_import_hygiene():
    """The engine never pulls in Textual; the CLI entry does not load spaCy or Textual until needed."""
    code = (
        "import sys, align, tui.cli; bad = [m for m in ('textual', 'spacy') if m in sys.modules]; print(','.join(bad))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip()
    assert out == ""
    # Every engine module, lazy imports aside (the import-linter contract covers those).
    code = (
        "import importlib, pkgutil, sys, align; "
        "[importlib.import_module(m.name) for m in pkgutil.iter_modules(align.__path__, 'align.')]; "
        "print(','.join(m for m in sys.modules if m.split('.')[0] in ('textual', 'tui')))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip()
    assert out == ""


def test_writing_to_a_pipe_keeps_the_pipe(tmp_path):
    """A FIFO (like /dev/null) is written into, never replaced by a regular file."""
    import os
    import stat
    import threading

    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    got = []
    reader = threading.Thread(target=lambda: got.append(fifo.read_text()))
    reader.start()
    align.write_output("doc_a\n", fifo)
    reader.join(5)
    assert got == ["doc_a\n"]
    assert stat.S_ISFIFO(os.stat(fifo).st_mode)


def test_export_follows_the_umask(tmp_path):
    import os

    old = os.umask(0o022)
    try:
        target = tmp_path / "out.csv"
        align.write_output("x\n", target)
    finally:
        os.umask(old)
    assert (target.stat().st_mode & 0o777) == 0o644


def test_a_pairs_export_never_groups_facts(tmp_path, capsys, monkeypatch):
    """Facts are grouped on first use: the pairs' CSV has no use for them (seconds on a hundred
    articles); --facts and --json group them."""
    grouped: list[align.Alignment] = []
    real = align.Alignment._facts
    monkeypatch.setattr(align.Alignment, "_facts", lambda self: grouped.append(self) or real(self))
    code, _, _ = run(["export", str(SEEDS), "--csv", str(tmp_path / "pairs.csv")], capsys)
    assert code == 0 and grouped == []
    code, _, err = run(["export", str(SEEDS), "--facts", str(tmp_path / "facts.csv")], capsys)
    assert code == 0 and len(grouped) == 1 and " facts to " in err
    code, _, _ = run(["export", str(SEEDS), "--json", str(tmp_path / "all.json")], capsys)
    assert code == 0 and len(grouped) == 2 and json.loads((tmp_path / "all.json").read_text())["facts"]
