"""The docs hold together: the README stays short, and every link between the pages resolves."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"
PAGES = [README, ROOT / "CONTRIBUTING.md", *sorted((ROOT / "docs").glob("*.md"))]
README_LIMIT = 12_000


def slug(heading: str) -> str:
    """GitHub's anchor for a heading: lower case, punctuation dropped, spaces as hyphens."""
    text = re.sub(r"[^\w\- ]", "", heading.strip().lower())
    return text.replace(" ", "-")


def anchors(page: Path) -> set[str]:
    text = re.sub(r"^```.*?^```", "", page.read_text(encoding="utf-8"), flags=re.M | re.S)
    return {slug(h) for h in re.findall(r"^#+ (.+)$", text, flags=re.M)}


def local_links(page: Path) -> list[str]:
    """Targets of the page's Markdown links and images that stay in the repository."""
    targets = re.findall(r"\]\(([^)\s]+)\)", page.read_text(encoding="utf-8"))
    return [t for t in targets if not re.match(r"[a-z]+:", t)]


def test_slug_follows_github():
    assert slug("Export without the UI") == "export-without-the-ui"
    assert slug("The fact matrix (`f`)") == "the-fact-matrix-f"
    assert slug("How the engine works (`align/`)") == "how-the-engine-works-align"


def test_the_readme_is_short():
    assert len(README.read_text(encoding="utf-8")) <= README_LIMIT


@pytest.mark.parametrize("page", PAGES, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_link_resolves(page: Path):
    links = local_links(page)
    assert links, f"{page.name} links to no other page"
    for link in links:
        path, _, anchor = link.partition("#")
        target = (page.parent / path).resolve() if path else page
        assert target.exists(), f"{page.name}: {link} does not exist"
        if anchor:
            assert anchor in anchors(target), f"{page.name}: {link}: no heading #{anchor}"


def test_the_readme_links_every_docs_page():
    linked = {Path(t.partition("#")[0]).name for t in local_links(README)}
    assert {p.name for p in (ROOT / "docs").glob("*.md")} <= linked
    assert "CONTRIBUTING.md" in linked
