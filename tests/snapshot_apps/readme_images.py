"""The README's screenshots (docs/images/*.svg): the reader on the bundled seeds, drawn the way the
snapshot tests draw (tests/test_tui_snapshots.py: an app given its alignment, a terminal size, keys
pressed, then Textual's own SVG export).

tests/test_readme_images.py renders each picture again and fails when it differs from the committed
file. To redraw them after a change to the reader or the engine:

    uv run pytest tests/test_tui_snapshots.py tests/test_readme_images.py --snapshot-update

(or `uv run python tests/snapshot_apps/readme_images.py`, which writes the pictures only).

The export is deterministic: Rich names the SVG's CSS classes after a hash of what is drawn, and
nothing here depends on the time, the user's theme or ``NO_COLOR``, so an unchanged screen gives
byte-identical files.
"""

from __future__ import annotations

import asyncio
import os
import sys
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from snapshot_apps.corpus import seed_alignment  # noqa: E402
from tui.app import DealReaderApp  # noqa: E402

IMAGES = Path(__file__).resolve().parents[2] / "docs" / "images"
THEME = "textual-dark"  # the default theme, whatever $TEXTUAL_THEME says


@dataclass(frozen=True)
class Shot:
    """One picture: the file it is kept in, the terminal's (columns, rows), and the keys pressed first."""

    file: str
    size: tuple[int, int]
    press: tuple[str, ...]

    @property
    def path(self) -> Path:
        return IMAGES / self.file


SHOTS = (
    # The first conflict of the seeds (`n`): its counterparts marked in the other panes, the detail panel below.
    Shot("reader.svg", (120, 32), ("n",)),
    # The fact matrix (`f`), wide enough for all five articles.
    Shot("fact-matrix.svg", (172, 20), ("f",)),
)


def seed_app() -> DealReaderApp:
    """The reader on the bundled seeds, aligned by the engine as shipped, with no links file."""
    return DealReaderApp(alignment=seed_alignment())


async def render(shot: Shot) -> str:
    """The SVG of ``shot``: the same steps as the snapshot harness (pytest-textual-snapshot)."""
    saved = os.environ.pop("NO_COLOR", None)  # Textual reads (and removes) it when an app is made
    try:
        app = seed_app()
    finally:
        if saved is not None:
            os.environ["NO_COLOR"] = saved
    async with app.run_test(size=shot.size) as pilot:
        app.theme = THEME
        await pilot.pause()
        await pilot.press(*shot.press)
        await pilot.wait_for_scheduled_animations()
        await pilot.pause()
        await pilot.pause()
        await pilot.wait_for_scheduled_animations()
        return app.export_screenshot(title="deal-reader", simplify=True)


def write_all() -> list[Path]:
    """Draw every picture and write it to docs/images; the paths written."""
    IMAGES.mkdir(parents=True, exist_ok=True)
    for shot in SHOTS:
        shot.path.write_text(asyncio.run(render(shot)), encoding="utf-8")
    return [shot.path for shot in SHOTS]


if __name__ == "__main__":
    for path in write_all():
        print(path)
