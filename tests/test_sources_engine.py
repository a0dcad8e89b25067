"""Real-world inputs through the engine and `deal-reader export`: HTML seeds align like their .txt,
metadata in the JSON, documents named by file or URL, stdin, duplicates shown once, copied sentences."""

from __future__ import annotations

import csv
import html
import io
import json
import shutil
import sys
from pathlib import Path

import pytest

from align import align, bundled_seeds, load_documents, to_csv
from align.cli import export_main
from test_sources import FIX, _Handler, server  # noqa: F401  (the local HTTP server fixture)


def page_from_txt(src: Path, out: Path, headline: bool) -> None:
    """What a user gets saving an article from the web: <title>, a menu, the article, a footer."""
    lines = [line.strip() for line in src.read_text(encoding="utf-8").splitlines() if line.strip()]
    title = lines.pop(0) if headline else src.stem
    body, in_list = [], False
    for line in lines:
        if line[0] in "•-*–":
            body.append(("" if in_list else "<ul>") + f"<li>{html.escape(line[1:].strip())}</li>")
            in_list = True
            continue
        if in_list:
            body.append("</ul>")
            in_list = False
        body.append(f"<p>{html.escape(line)}</p>")
    if in_list:
        body.append("</ul>")
    h1 = f"<h1>{html.escape(title)}</h1>" if headline else ""
    out.write_text(
        f"<!DOCTYPE html><html><head><meta charset='utf-8'><title>{html.escape(title)}</title></head><body>"
        "<nav><a href='/'>Home</a> <a href='/tech'>Technology</a></nav>"
        f"<article>{h1}\n" + "\n".join(body) + "</article><footer>Copyright 2023 Example News</footer></body></html>",
        encoding="utf-8",
    )


def rows(result) -> list[list[str]]:
    """CSV rows with file suffixes dropped from doc names."""
    out = list(csv.reader(io.StringIO(to_csv(result))))
    return [[Path(c).stem if k in (0, 3) else c for k, c in enumerate(r)] for r in out[1:]]


def test_seed_articles_saved_as_html_align_like_their_txt(tmp_path):
    seeds = sorted(bundled_seeds().glob("*.txt"))
    for f in seeds:
        if f.name.startswith(("000_", "003_")):
            page_from_txt(f, tmp_path / (f.stem + ".html"), headline=f.name.startswith("000_"))
        else:
            shutil.copy(f, tmp_path / f.name)
    docs_html, problems = load_documents([tmp_path])
    assert problems == []
    assert [d.name[:4] for d in docs_html] == ["000_", "001_", "002_", "003_", "004_"]
    assert docs_html[0].name.endswith(".html") and docs_html[3].name.endswith(".html")
    docs_txt, _ = load_documents(seeds)
    # What the aligner sees is the same, sentence for sentence ...
    for dh, dt in zip(docs_html, docs_txt, strict=True):
        assert dh.metadata == dt.metadata, dh.name
        assert list(map(_seen, dh.sentences)) == list(map(_seen, dt.sentences)), dh.name
    assert docs_html[0].title == docs_txt[0].title == "Culture Clash Conjecture: Amazon and Anthropic"
    assert docs_html[3].title == "003_f896579d94785d33"  # the page's <title>; the .txt has none
    # ... and so is what it makes of the two pages (aligned on their own: the full corpus costs seconds).
    pages, _ = load_documents(sorted(tmp_path.glob("*.html")))
    texts, _ = load_documents([f for f in seeds if f.name.startswith(("000_", "003_"))])
    html_rows, txt_rows = rows(align(pages)), rows(align(texts))
    assert html_rows == txt_rows and html_rows


def _seen(s):
    return (s.index, s.text, s.heading, s.lemmas, s.quantities)


def run_export(args: list[str], capsys) -> tuple[int, str]:
    code = export_main(args)
    err = capsys.readouterr().err
    assert "Traceback" not in err
    return code, err


def test_export_json_has_metadata_and_csv_names_files(tmp_path, capsys):
    out_json, out_csv = tmp_path / "out.json", tmp_path / "out.csv"
    code, err = run_export(
        [
            str(FIX / "ledger.html"),
            str(FIX / "wire.txt"),
            str(FIX / "notes.md"),
            "--json",
            str(out_json),
            "--csv",
            str(out_csv),
        ],
        capsys,
    )
    assert code == 0, err
    data = json.loads(out_json.read_text())
    meta = {d["name"]: d["metadata"] for d in data["documents"]}
    assert meta["ledger.html"] == {"site": "The Daily Ledger", "author": "Jane Roe", "date": "2024-10-07"}
    assert meta["wire.txt"] == {"author": "Sam Poe", "site": "Wire Service"}
    assert meta["notes.md"] == {"author": "Alex Doe", "date": "2024-10-08", "site": "My research notes"}
    titles = {d["name"]: d["title"] for d in data["documents"]}
    assert titles["ledger.html"] == "Northwind to buy Contoso for $2.1 billion"
    assert titles["notes.md"] == "Notes: Northwind and Contoso"
    names = {r["doc_a"] for r in csv.DictReader(out_csv.open())} | {r["doc_b"] for r in csv.DictReader(out_csv.open())}
    assert names <= {"ledger.html", "wire.txt", "notes.md"} and names
    # The wire copy's sentence is word for word the page's: aligned, and marked as a copy.
    docs = data["documents"]
    copies = [p for p in data["pairs"] if p["copy"]]
    texts = {(docs[p["a"]["doc"]]["name"], docs[p["b"]["doc"]]["name"]) for p in copies}
    assert texts == {("ledger.html", "wire.txt")}
    assert all("40 new medicines" in docs[p["a"]["doc"]]["sentences"][p["a"]["sentence"] - 1]["text"] for p in copies)
    assert not all(p["copy"] for p in data["pairs"])


def test_markdown_sentences_are_clean_and_point_into_the_text():
    (doc,), problems = load_documents([FIX / "notes.md"])
    assert problems == []
    assert doc.title == "Notes: Northwind and Contoso"
    assert doc.sentences[0].heading and doc.sentences[0].text == doc.title
    for s in doc.sentences:
        assert doc.text[s.start : s.end] == s.text
        assert not any(m in s.text for m in ("**", "](", "`", "#", "> "))
    assert "Contoso has 3,200 employees (source)." in [s.text for s in doc.sentences]


def test_export_names_urls_and_reads_stdin(server, tmp_path, capsys, monkeypatch):  # noqa: F811
    url = f"{server}/ledger.html"
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO((FIX / "wire.txt").read_bytes())))
    out_json, out_csv = tmp_path / "out.json", tmp_path / "out.csv"
    code, err = run_export([url, "-", "--csv", str(out_csv), "--json", str(out_json)], capsys)
    assert code == 0, err
    docs = json.loads(out_json.read_text())["documents"]
    assert [d["name"] for d in docs] == [url, "<stdin>"]
    assert docs[0]["metadata"]["url"] == url and docs[0]["metadata"]["site"] == "The Daily Ledger"
    assert docs[1]["metadata"] == {"author": "Sam Poe", "site": "Wire Service"}
    pairs = list(csv.DictReader(out_csv.open()))
    assert pairs and {r["doc_a"] for r in pairs} == {url} and {r["doc_b"] for r in pairs} == {"<stdin>"}


def test_export_offline_refuses_urls_and_opens_the_rest(server, tmp_path, capsys):  # noqa: F811
    _Handler.hits.clear()
    url = f"{server}/ledger.html"
    code, err = run_export(
        [url, str(FIX / "wire.txt"), str(FIX / "notes.md"), "--offline", "--csv", str(tmp_path / "o.csv")], capsys
    )
    assert code == 0
    assert f"deal-reader: {url}: not fetched (--offline forbids network access)" in err.splitlines()
    assert _Handler.hits == []


def test_same_article_twice_is_shown_once_naming_both(tmp_path, capsys):
    again = tmp_path / "wire-copy.txt"
    again.write_text((FIX / "wire.txt").read_text().replace("Monday", "Monday,"))
    out_json = tmp_path / "out.json"
    code, err = run_export(
        [str(FIX / "wire.txt"), str(FIX / "ledger.html"), str(again), "--json", str(out_json)], capsys
    )
    assert code == 0
    docs = json.loads(out_json.read_text())["documents"]
    assert [d["name"] for d in docs] == ["wire.txt", "ledger.html"]
    assert docs[0]["metadata"]["duplicates"] == str(again)
    line = [x for x in err.splitlines() if "wire-copy.txt" in x]
    assert len(line) == 1 and "near-verbatim" in line[0] and "wire.txt" in line[0].split("copy (")[1]


def test_only_bad_inputs_exit_non_zero_one_line_each(server, tmp_path, capsys):  # noqa: F811
    binary = tmp_path / "b.htm"
    binary.write_bytes(bytes(range(256)) * 8)
    inputs = [
        str(FIX / "nav_only.html"),
        str(FIX / "app_shell.html"),
        str(binary),
        f"{server}/missing",
        str(tmp_path / "nothing.md"),
    ]
    code, err = run_export([*inputs, "--timeout", "2", "--csv", str(tmp_path / "o.csv")], capsys)
    assert code == 2
    lines = err.strip().splitlines()
    for name in inputs:
        assert sum(name in line for line in lines) == 1, (name, lines)
    assert lines[-1] == "deal-reader: no readable documents"
    assert not (tmp_path / "o.csv").exists()


@pytest.mark.parametrize("value", ["0", "-1", "abc", "9999"])
def test_timeout_must_be_sensible(value, capsys):
    with pytest.raises(SystemExit) as e:
        export_main(["--timeout", value, "--csv", "-"])
    assert e.value.code == 2
    assert "--timeout" in capsys.readouterr().err
