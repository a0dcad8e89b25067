"""The development gold and the seed documents it judges, for bench/eval_quality.py."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import align

ROOT = Path(__file__).resolve().parents[1]
GOLD = ROOT.parent / "shared" / "gold" / "seeds_dev.json"
if not GOLD.exists():
    GOLD = ROOT / "tests" / "fixtures" / "seeds_dev.json"


@lru_cache(maxsize=1)
def seed_documents() -> list[align.Document]:
    """The bundled seeds, parsed once."""
    docs, _ = align.load_documents(None)
    return docs
