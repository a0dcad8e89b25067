"""Input kinds and bad inputs, without spaCy: HTML pages, Markdown, URLs, standard input, duplicates, copies."""

from __future__ import annotations

import contextlib
import io
import random
import shutil
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from align.copies import find_duplicates, fold, is_copy
from align.html import looks_like_html
from align.markdown import clean_markdown, strip_inline
from align.models import Sentence
from align.problems import Problem
from align.sentences import split_blocks
from align.sources import MAX_BYTES, Source, SourceOptions, read_sources

FIX = Path(__file__).parent / "fixtures" / "sources"
BOILERPLATE = (
    "cookies",
    "Accept",
    "Markets and trading desk",
    "Subscribe",
    "Related stories",
    "Fabrikam",
    "All rights reserved",
    "Privacy policy",
    "Terms of use",
    "By Jane Roe",
    "dataLayer",
)


def read(*paths, **opts):
    return read_sources([str(p) for p in paths], SourceOptions(**opts) if opts else None)


def assert_one_line_naming(problems: list[Problem], name: str, *words: str, kind: str = "skipped") -> str:
    """The one problem naming ``name`` is one line holding ``words``, of ``kind``."""
    hits = [p for p in problems if name in str(p)]
    assert len(hits) == 1, problems
    line = str(hits[0])
    assert "\n" not in line and "Traceback" not in line
    for w in words:
        assert w in line, line
    assert hits[0].kind == kind, hits[0]
    return line


# --- HTML -------------------------------------------------------------------------------------------


def test_html_page_gives_the_article_without_boilerplate():
    (src,), problems = read(FIX / "ledger.html")
    assert problems == []
    assert src.kind == "html" and src.name == "ledger.html"
    assert src.title == "Northwind to buy Contoso for $2.1 billion"
    assert src.metadata == {"site": "The Daily Ledger", "author": "Jane Roe", "date": "2024-10-07"}
    assert "Northwind Traders said on Monday that it will buy Contoso Pharmaceuticals for $2.1 billion" in src.text
    assert "Shares of Northwind rose 4 percent in early trading after the announcement." in src.text
    for junk in BOILERPLATE:
        assert junk not in src.text, junk


def test_page_with_json_ld_legacy_charset_and_in_article_clutter():
    (src,), problems = read(FIX / "techdaily_cp1252.html")
    assert problems == []  # the page declares windows-1252: no guess to report
    assert src.metadata == {"site": "TechDaily", "author": "Kim Lee", "date": "2023-09-25"}
    assert src.title == "Amazon to invest up to $4 billion in Anthropic"
    assert src.text.splitlines() == [
        "Amazon to invest up to $4 billion in Anthropic",
        "Amazon will invest up to $4 billion in Anthropic, the AI startup said on Monday.",
        "The initial investment is $1.25 billion.",
        "Anthropic will use AWS as its primary cloud provider for mission-critical workloads, the companies said "
        "in a joint statement.",
        "Amazon can increase its investment to a total of $4 billion, the companies said.",
    ]  # no cookie banner, share buttons, caption, newsletter box, "Read more:" teaser, tags, comments, sidebar


def test_html_paragraphs_headings_and_list_items_are_lines():
    (src,), _ = read(FIX / "ledger.html")
    lines = src.text.splitlines()
    assert lines[0] == src.title  # the headline is the first line, as in a .txt article
    assert "What Northwind gets" in lines
    assert "- Contoso employs 3,200 people across Europe and Asia." in lines
    blocks, _ = split_blocks(src.text)
    texts = [src.text[b.start : b.end] for b in blocks]
    assert "Contoso employs 3,200 people across Europe and Asia." in texts  # glyph stripped by segmentation


def test_directory_of_pages_skips_the_browsers_asset_folder(tmp_path):
    shutil.copy(FIX / "ledger.html", tmp_path / "ledger.html")
    shutil.copy(FIX / "wire.txt", tmp_path / "wire.txt")
    assets = tmp_path / "ledger_files"
    assets.mkdir()
    (assets / "ad-frame.html").write_text(
        "<html><body><p>" + "Buy now and save big on everything. " * 10 + "</p></body></html>"
    )
    (assets / "style.css").write_text("body { color: red }")
    sources, problems = read(tmp_path)
    assert [s.name for s in sources] == ["ledger.html", "wire.txt"]
    assert problems == []


def test_directory_with_only_assets_says_so(tmp_path):
    (tmp_path / "a.css").write_text("x")
    sources, problems = read(tmp_path)
    assert sources == []
    assert_one_line_naming(problems, str(tmp_path), ".html")


def test_txt_file_that_is_html_is_read_as_a_page_and_says_so():
    (src,), problems = read(FIX / "disguised.txt")
    assert src.kind == "html" and src.title == "Contoso deal explained"
    assert src.metadata["site"] == "Explainer Weekly"
    assert "<" not in src.text and "About us" not in src.text and "Copyright" not in src.text
    assert_one_line_naming(problems, "disguised.txt", "HTML", "web page", kind="note")


def test_html_file_holding_plain_text_is_read_as_text(tmp_path):
    f = tmp_path / "plain.html"
    f.write_text("Northwind buys Contoso.\n\nThe deal is worth $2.1 billion in cash.\n")
    (src,), problems = read(f)
    assert src.kind == "text" and src.text.startswith("Northwind buys Contoso.")
    assert_one_line_naming(problems, "plain.html", "plain text", kind="note")


def test_markdown_file_holding_html_is_read_as_a_page(tmp_path):
    f = tmp_path / "saved.md"
    f.write_bytes((FIX / "ledger.html").read_bytes())
    (src,), problems = read(f)
    assert src.kind == "html" and src.metadata["author"] == "Jane Roe"
    assert_one_line_naming(problems, "saved.md", "HTML", kind="note")


@pytest.mark.parametrize(
    "fixture, words",
    [
        ("nav_only.html", ("no article text",)),
        ("app_shell.html", ("JavaScript",)),
    ],
)
def test_page_without_an_article_is_one_line(fixture, words):
    sources, problems = read(FIX / fixture, FIX / "wire.txt")
    assert [s.name for s in sources] == ["wire.txt"]  # the other input still opens
    assert_one_line_naming(problems, fixture, *words)


def test_empty_html_page(tmp_path):
    f = tmp_path / "empty.html"
    f.write_text("<html><body></body></html>")
    sources, problems = read(f)
    assert sources == []
    assert_one_line_naming(problems, "empty.html", "no article")


def test_looks_like_html():
    assert looks_like_html("<!DOCTYPE html><html><body>x</body></html>")
    assert looks_like_html("\n  <html lang='en'><p>x</p></html>")
    assert looks_like_html("<div><p>a</p><p>b</p><p>c</p><span>d</span><a href=x>e</a><br><br><br></div>")
    assert not looks_like_html("Use the <p> tag for paragraphs, the article says.")
    assert not looks_like_html((FIX / "wire.txt").read_text())
    assert not looks_like_html((FIX / "notes.md").read_text())


# --- Markdown ---------------------------------------------------------------------------------------


def test_markdown_markup_is_stripped_and_structure_kept():
    (src,), problems = read(FIX / "notes.md")
    assert problems == []
    assert src.kind == "markdown"
    assert src.title == "Notes: Northwind and Contoso"
    assert src.metadata == {"author": "Alex Doe", "date": "2024-10-08", "site": "My research notes"}
    for mark in ("**", "__", "`", "](", "![", "<https", "---", "title:", "print(", "> "):
        assert mark not in src.text, mark
    lines = src.text.splitlines()
    assert lines[0] == "# Notes: Northwind and Contoso"
    # a paragraph wrapped over three lines is one line; emphasis and link text stay as words
    assert (
        "Northwind Traders will pay $2.1 billion in cash for Contoso Pharmaceuticals, according to the "
        "company's press release and a filing seen by reporters."
    ) in lines
    assert "- Contoso has 3,200 employees (source)." in lines
    assert "- The deal should close in the first quarter of 2025." in lines
    assert "- Northwind shares rose 4 percent on Monday." in lines  # "+" items too
    assert "Analysts called the price fair for a company of Contoso's size." in lines


def test_markdown_blocks_are_clean_sentences():
    (src,), _ = read(FIX / "notes.md")
    blocks, _ = split_blocks(src.text, markdown=True)
    texts = [src.text[b.start : b.end] for b in blocks]
    assert texts[0] == "Notes: Northwind and Contoso" and blocks[0].heading
    assert "Key points" in texts
    assert "Contoso has 3,200 employees (source)." in texts
    assert not any(t.startswith(("#", "-", "*", "+")) for t in texts)


@pytest.mark.parametrize(
    "md, plain",
    [
        ("**bold** and *em* and _under_ and __strong__", "bold and em and under and strong"),
        ("***both*** and **bold _inner_**", "both and bold inner"),
        ("[text](http://x.com/a_(b)) and [ref][1] and <http://y.org>", "text and ref and http://y.org"),
        ("snake_case_name and 2*3*4 stay", "snake_case_name and 2*3*4 stay"),
        ("`code` and ~~gone~~ and \\*literal\\*", "code and gone and *literal*"),
        ("a note[^1] and <b>tag</b> <!-- hidden -->", "a note and tag"),
        ("![logo](x.png) Caption", "Caption"),
    ],
)
def test_strip_inline(md, plain):
    assert strip_inline(md) == plain


def test_markdown_setext_headings_rules_and_hard_breaks():
    text, title, meta = clean_markdown(
        "Big Deal\n========\n\nShort line  \nNext line is separate.\n\n---\n\n"
        "A line that is long enough to be wrapped by an editor and\ncontinues here.\n"
        "| Item | Value |\n|---|---|\n| Price | $2.1 billion |\n"
    )
    assert title == "Big Deal" and meta == {}
    assert text.splitlines() == [
        "# Big Deal",
        "",
        "Short line",
        "Next line is separate.",
        "",
        "A line that is long enough to be wrapped by an editor and continues here.",
        "Item | Value",
        "Price | $2.1 billion",
    ]


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("ab #*_-+>[]()!`~|\\:\n 12.")), max_size=200))
def test_markdown_cleaner_never_fails(text):
    out, title, meta = clean_markdown(text)
    assert isinstance(out, str) and isinstance(title, str)
    assert "\n\n\n" not in out


# --- standard input ---------------------------------------------------------------------------------


def test_stdin_plain_markdown_and_html():
    plain = b"Northwind buys Contoso.\nThe deal is worth $2.1 billion.\n"
    (src,), problems = read("-", stdin=io.BytesIO(plain))
    assert problems == [] and src.kind == "text" and src.text == plain.decode()
    assert src.name == "<stdin>"
    (src,), _ = read("-", stdin=io.BytesIO((FIX / "notes.md").read_bytes()))
    assert src.kind == "markdown" and "**" not in src.text
    (src,), _ = read("-", stdin=io.BytesIO((FIX / "ledger.html").read_bytes()))
    assert src.kind == "html" and src.metadata["site"] == "The Daily Ledger"


def test_stdin_bad_inputs():
    _, problems = read("-", stdin=io.BytesIO(b"  \n"))
    assert_one_line_naming(problems, "-", "empty")
    _, problems = read("-", stdin=io.BytesIO(b"\x00\x01\x02binary" * 100))
    assert_one_line_naming(problems, "-", "binary")
    sources, problems = read("-", FIX / "wire.txt", "-", stdin=io.BytesIO(b"Some text here."))
    assert [s.name for s in sources] == ["<stdin>", "wire.txt"]
    assert_one_line_naming(problems, "-", "only once")


@settings(max_examples=60, deadline=None)
@given(
    st.one_of(
        st.binary(max_size=300),
        st.lists(
            st.sampled_from(
                [
                    "<p>",
                    "</p>",
                    "<html>",
                    "<!doctype html>",
                    "<div class=nav>",
                    "</div>",
                    "<br>",
                    "Amazon invests $4 billion.",
                    "# Title",
                    "- item",
                    "**b**",
                    "\n",
                    " ",
                    "é",
                    "\x00",
                ]
            ),
            max_size=40,
        ).map(lambda parts: "".join(parts).encode("utf-8")),
    )
)
def test_any_input_is_a_source_or_one_line(data):
    sources, problems = read("-", stdin=io.BytesIO(data))
    assert len(sources) + len([p for p in problems if p.kind == "skipped"]) == 1
    assert all("\n" not in str(p) for p in problems)


# --- binary, huge, mixed ----------------------------------------------------------------------------


def test_binary_and_huge_files_are_one_line_each_and_others_open(tmp_path):
    binary = tmp_path / "photo.html"
    binary.write_bytes(bytes(range(256)) * 40)
    huge = tmp_path / "huge.txt"
    with huge.open("wb") as f:
        f.truncate(MAX_BYTES + 1)
    huge_page = tmp_path / "huge.html"
    with huge_page.open("wb") as f:
        f.truncate(30 * 1024 * 1024)
    big_text = tmp_path / "big.md"
    big_text.write_text("Northwind buys Contoso for $2.1 billion. " * (MAX_BYTES // 40 + 10))
    sources, problems = read(
        binary, huge, huge_page, big_text, FIX / "ledger.html", tmp_path / "missing.html", FIX / "wire.txt"
    )
    assert [s.name for s in sources] == ["ledger.html", "wire.txt"]
    assert len(problems) == 5
    assert_one_line_naming(problems, "huge.html", "too large")
    assert_one_line_naming(problems, "photo.html", "binary")
    assert_one_line_naming(problems, "huge.txt", "too large")
    assert_one_line_naming(problems, "big.md", "too large")
    assert_one_line_naming(problems, "missing.html", "no such file")


# --- URLs against a local server -------------------------------------------------------------------


class _Handler(BaseHTTPRequestHandler):
    hits: list[str] = []
    pages = {
        "/ledger.html": ("text/html; charset=utf-8", (FIX / "ledger.html").read_bytes()),
        "/notes.md": ("text/markdown", (FIX / "notes.md").read_bytes()),
        "/wire.txt": ("text/plain", (FIX / "wire.txt").read_bytes()),
        "/latin1.html": (
            "text/html; charset=iso-8859-1",
            (
                "<html><head><title>Caf\xe9 deal</title></head><body><article><p>"
                + "The caf\xe9 chain Northwind will pay \xa32 million for Contoso, its rival across town. " * 3
                + "</p></article></body></html>"
            ).encode("latin-1"),
        ),
        "/nav.html": ("text/html", (FIX / "nav_only.html").read_bytes()),
        "/chart.png": ("image/png", b"\x89PNG\r\n\x1a\n" + bytes(200)),
    }

    def do_GET(self):  # noqa: N802 (http.server's name)
        self.hits.append(self.path)
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):  # the client gave up (timeout tests)
            self._answer(self.path.split("?")[0])

    def _answer(self, path: str) -> None:
        if path == "/slow":
            time.sleep(3)
        if path == "/drip":  # headers at once, then a byte every 0.1 s: each read is quick, the whole is not
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.send_header("Content-Length", "100")
            self.end_headers()
            for _ in range(100):
                self.wfile.write(b"x")
                self.wfile.flush()
                time.sleep(0.1)
            return
        if path == "/moved":
            self.send_response(301)
            self.send_header("Location", "/ledger.html")
            self.end_headers()
            return
        if path not in self.pages:
            self.send_error(404 if path != "/boom" else 500)
            return
        ctype, body = self.pages[path]
        self.send_response(200)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def server():
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def test_url_page_is_read_with_metadata_and_named_by_its_url(server):
    url = f"{server}/ledger.html"
    (src,), problems = read(url)
    assert problems == []
    assert src.name == url and src.kind == "html"
    assert src.metadata["site"] == "The Daily Ledger" and src.metadata["author"] == "Jane Roe"
    assert src.metadata["url"] == url
    assert "Related stories" not in src.text


def test_url_kinds_redirect_and_declared_charset(server):
    sources, problems = read(f"{server}/notes.md", f"{server}/wire.txt", f"{server}/moved", f"{server}/latin1.html")
    assert problems == []
    md, txt, moved, latin = sources
    assert md.kind == "markdown" and "**" not in md.text
    assert txt.kind == "text" and txt.text.startswith("Northwind agrees Contoso deal")
    assert moved.name == f"{server}/moved" and moved.metadata["url"] == f"{server}/ledger.html"
    assert "The café chain Northwind will pay £2 million" in latin.text


def test_failing_urls_are_one_line_each_and_others_open(server):
    bad = {
        f"{server}/missing": ("HTTP error 404",),
        f"{server}/boom": ("HTTP error 500",),
        f"{server}/slow": ("timed out after 0.5 s",),
        f"{server}/drip": ("timed out after 0.5 s",),
        f"{server}/chart.png": ("not a web page", "image/png"),
        f"{server}/nav.html": ("no article text",),
        "http://127.0.0.1:9/closed": ("cannot fetch",),
        "ftp://127.0.0.1/file.txt": ("only http",),
    }
    good = f"{server}/ledger.html"
    start = time.monotonic()
    sources, problems = read(*bad, good, FIX / "wire.txt", timeout=0.5)
    assert time.monotonic() - start < 2.5
    assert [s.name for s in sources] == [good, "wire.txt"]
    assert len(problems) == len(bad)
    for url, words in bad.items():
        assert_one_line_naming(problems, url, *words)


def test_slow_urls_are_fetched_in_parallel(server):
    start = time.monotonic()
    _, problems = read(*(f"{server}/slow?{i}" for i in range(4)), timeout=0.5)
    assert len(problems) == 4 and all("timed out after 0.5 s" in str(p) for p in problems)
    assert time.monotonic() - start < 1.5  # four timeouts of 0.5 s, not 2 s in a row


def test_offline_refuses_every_url_without_a_request(server):
    _Handler.hits.clear()
    sources, problems = read(f"{server}/ledger.html", FIX / "wire.txt", offline=True)
    assert [s.name for s in sources] == ["wire.txt"]
    assert_one_line_naming(problems, f"{server}/ledger.html", "--offline")
    assert _Handler.hits == []


# --- duplicates and copies --------------------------------------------------------------------------


def _src(name: str, text: str) -> Source:
    return Source(name=name, text=text, path=f"/in/{name}")


def test_same_article_twice_is_kept_once_naming_both():
    wire = (FIX / "wire.txt").read_text()
    kept, problems = find_duplicates(
        [_src("a.txt", wire), _src("b.txt", (FIX / "notes.md").read_text()), _src("c.txt", wire)]
    )
    assert [s.name for s in kept] == ["a.txt", "b.txt"]
    assert kept[0].metadata["duplicates"] == "/in/c.txt"
    assert_one_line_naming(problems, "/in/c.txt", "/in/a.txt", "same text", kind="note")


def test_near_verbatim_wire_copy_is_a_duplicate():
    wire = (FIX / "wire.txt").read_text()
    copy = wire.replace("'", "’").replace("Monday", "Monday morning").upper()  # retouched, re-typeset
    kept, problems = find_duplicates([_src("a.txt", wire), _src("b.txt", copy)])
    assert [s.name for s in kept] == ["a.txt"]
    assert_one_line_naming(problems, "/in/b.txt", "near-verbatim", "/in/a.txt", kind="note")
    rewritten = wire.replace(
        "Northwind Traders has agreed to acquire", "In a surprise move, Northwind Traders said it was buying"
    )
    kept, problems = find_duplicates(
        [_src("a.txt", wire), _src("b.txt", rewritten + "\nA new closing paragraph with its own facts and figures.")]
    )
    assert len(kept) == 2 and problems == []


def test_same_file_named_twice(tmp_path):
    f = tmp_path / "a.txt"
    f.write_text("Northwind buys Contoso.\nThe deal is worth $2.1 billion.\n")
    sources, problems = read(f, f)
    kept, repeats = find_duplicates(sources)
    assert len(kept) == 1 and "duplicates" not in kept[0].metadata
    assert_one_line_naming(repeats, str(f), "more than once", kind="note")


def test_duplicates_found_among_many_articles():
    rng = random.Random(5)
    words = (
        "northwind contoso fabrikam deal billion million shares buy sell close quarter regulators the a of in".split()
    )
    texts = [" ".join(rng.choice(words) for _ in range(400)) + "." for _ in range(30)]
    copy = texts[7][:-40] + " with one edit."
    kept, problems = find_duplicates([_src(f"{i}.txt", t) for i, t in enumerate(texts)] + [_src("copy.txt", copy)])
    assert len(kept) == 30 and len(problems) == 1
    assert_one_line_naming(problems, "copy.txt", "/in/7.txt", kind="note")


def _sentence(text: str, doc: int = 0) -> Sentence:
    return Sentence(doc=doc, index=1, text=text, start=0, end=len(text))


def test_copied_sentences():
    s = "Northwind said the acquisition would add about 40 new medicines to its pipeline and lift annual revenue."
    assert is_copy(_sentence(s), _sentence(s, 1))
    assert is_copy(_sentence(s), _sentence(s.replace("'", "’").replace("said", "says"), 1))
    assert not is_copy(
        _sentence(s), _sentence("Northwind expects about 40 new medicines and a revenue lift of 15 percent.", 1)
    )
    assert not is_copy(
        _sentence("Amazon invests in Anthropic."), _sentence("Amazon invests in Anthropic.", 1)
    )  # too short to tell


def test_fold():
    assert fold("  It’s “Big” — \u00a0REALLY ") == 'it\'s "big" - really'
