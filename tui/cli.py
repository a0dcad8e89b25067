"""The `deal-reader` command: the reader by default, `deal-reader export ...` for CSV/JSON, `deal-reader stories ...`."""

from __future__ import annotations

import sys
from collections.abc import Sequence


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv and argv[0] == "export":
        from align.cli import export_main

        return export_main(argv[1:])
    if argv and argv[0] == "stories":
        from align.cli import stories_main

        return stories_main(argv[1:])
    from .app import run_reader  # Textual loads only when the reader runs

    return run_reader(argv)


if __name__ == "__main__":
    sys.exit(main())
