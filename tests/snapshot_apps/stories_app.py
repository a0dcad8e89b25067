"""The reader on two hand-built stories: `uv run python tests/snapshot_apps/stories_app.py` to look at it."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from snapshot_apps.corpus import synthetic_stories  # noqa: E402
from tui.app import DealReaderApp  # noqa: E402

app = DealReaderApp(stories=synthetic_stories())

if __name__ == "__main__":
    app.run()
