"""The reader on the hand-built corpus: `uv run python tests/snapshot_apps/synthetic_app.py` to look at it."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from snapshot_apps.corpus import synthetic_alignment  # noqa: E402
from tui.app import DealReaderApp  # noqa: E402

app = DealReaderApp(alignment=synthetic_alignment())

if __name__ == "__main__":
    app.run()
