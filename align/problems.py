"""What went wrong with an input, or with the engine, said in one line: returned, never printed.

The CLI prints each problem on standard error; the reader shows it as a notification (Textual
captures standard error, so a printed warning would never be seen there).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

# skipped: the input is not used (unreadable, empty, a repeat of another input...);
# note: the input is used, with a caveat (a guessed encoding, HTML in a .txt file...);
# warning: the engine works on, less well (the cache cannot be written, no trained pipeline).
ProblemKind = Literal["skipped", "note", "warning"]


@dataclass(frozen=True)
class Problem:
    """One problem: the input it is about ("" for the engine itself), what happened, and its kind."""

    input: str
    message: str
    kind: ProblemKind = "skipped"

    def __str__(self) -> str:
        return f"{self.input}: {self.message}" if self.input else self.message


def from_error(error: Exception, kind: ProblemKind = "skipped") -> Problem:
    """The problem an error states: its message reads "<input>: <what happened>" (see align.errors)."""
    input, sep, message = str(error).partition(": ")
    return Problem(input, message, kind) if sep else Problem("", input, kind)
