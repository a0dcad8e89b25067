"""The README's screenshots stay current: each is drawn again from the app state that makes it and
compared byte for byte with the file in docs/images.

A change to the reader's drawing, or to the engine's output on the seeds, fails here until the
pictures are redrawn, together with the snapshots:

    uv run pytest tests/test_tui_snapshots.py tests/test_readme_images.py --snapshot-update
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from snapshot_apps.readme_images import IMAGES, SHOTS, Shot, render

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"
REDRAW = "uv run pytest tests/test_tui_snapshots.py tests/test_readme_images.py --snapshot-update"


@pytest.mark.parametrize("shot", SHOTS, ids=lambda s: s.file)
async def test_readme_image_is_current(shot: Shot, request: pytest.FixtureRequest):
    svg = await render(shot)
    if request.config.getoption("--snapshot-update", default=False):
        shot.path.write_text(svg, encoding="utf-8")
    assert shot.path.exists(), f"{shot.path.relative_to(ROOT)} is missing: {REDRAW}"
    if shot.path.read_text(encoding="utf-8") != svg:
        pytest.fail(f"{shot.path.relative_to(ROOT)} no longer shows what the reader draws: look, then {REDRAW}")


async def test_a_screenshot_is_the_same_each_time():
    """No id, time or random class prefix in the export: an unchanged screen gives identical bytes."""
    shot = SHOTS[0]
    first, second = await render(shot), await render(shot)
    assert first == second
    assert first.startswith("<svg")


def test_the_readme_opens_with_a_picture_and_shows_every_one():
    text = README.read_text(encoding="utf-8")
    shown = re.findall(r"!\[[^\]]*\]\((docs/images/[^)\s]+)\)", text)
    assert shown, "the README shows no picture from docs/images"
    assert shown[0] == "docs/images/reader.svg"
    # The picture comes before any section: right under the title and the two sentences saying what it is for.
    assert text.index("![") < text.index("\n## ")
    assert sorted(shown) == sorted(f"docs/images/{s.file}" for s in SHOTS)
    # Nothing stale is kept: every picture in docs/images is one the test redraws.
    assert sorted(p.name for p in IMAGES.glob("*.svg")) == sorted(s.file for s in SHOTS)
