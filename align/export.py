"""Write an alignment as CSV (one row per aligned pair) or JSON (everything), safely."""

from __future__ import annotations

import csv
import io
import json
import math
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from .alignment import Alignment
from .atomic import replace_atomically
from .errors import OutputError
from .matrix import FactCell, FactRow, fact_matrix, wording
from .models import AlignedPair, Quantity, Sentence
from .stories import Story

CSV_COLUMNS = ("doc_a", "sentence_a", "text_a", "doc_b", "sentence_b", "text_b", "score", "conflicts")
# A spreadsheet runs a cell starting with one of these as a formula.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def neutralise(cell: str) -> str:
    """Prefix a quote so a spreadsheet shows the cell as text, never runs it."""
    return "'" + cell if cell.startswith(_FORMULA_START) else cell


def _score(p: AlignedPair) -> str:
    """The score as exported: ``user`` for a link the reader added (it has no score of the engine's)."""
    return "user" if p.origin == "user" else f"{p.score:.3f}"


def to_csv(result: Alignment | Sequence[Alignment]) -> str:
    """The aligned pairs as CSV; given one alignment per story, their rows one story after another.

    One row per pair: each sentence's document, index and text, the score and the conflicts, every
    cell neutralised. A sentence is in many pairs (tens of thousands of rows on a hundred articles),
    so its three cells are written once and each distinct cell is quoted once (:func:`_csv_cell`).
    """
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerow(CSV_COLUMNS)
    cell = _csv_cell()
    for one in [result] if isinstance(result, Alignment) else result:
        names = [cell(d.name) for d in one.documents]
        side: dict[Sentence, str] = {}
        for p in one.pairs:
            a = side.get(p.a) or side.setdefault(p.a, f"{names[p.a.doc]},{cell(str(p.a.index))},{cell(p.a.clean_text)}")
            b = side.get(p.b) or side.setdefault(p.b, f"{names[p.b.doc]},{cell(str(p.b.index))},{cell(p.b.clean_text)}")
            buf.write(f"{a},{b},{cell(_score(p))},{cell('; '.join(c.label for c in p.conflicts))}\n")
    return buf.getvalue()


def _csv_cell() -> Callable[[str], str]:
    """A cell as the csv module writes it (quoted only when it must be), neutralised: worked out once per text."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    memo: dict[str, str] = {}

    def cell(text: str) -> str:
        got = memo.get(text)
        if got is None:
            buf.seek(0)
            buf.truncate()
            w.writerow((neutralise(text), ""))  # two cells: a row of one empty cell is written '""'
            got = memo[text] = buf.getvalue()[:-2]  # less the "," of the empty cell and the line's end
        return got

    return cell


# The fact matrix's CSV: these, then one column per document (named as in the pairs CSV).
FACT_CSV_COLUMNS = ("fact", "label", "conflicts")


def fact_cell(cell: FactCell) -> str:
    """``17: ≠US$1.25 billion; US$2.75 billion``: the sentence's index, its figures, ``≠`` on those disagreeing."""
    if cell.sentence is None:
        return ""
    disagreeing = {id(q) for q in cell.disagreeing}
    figures = "; ".join(("≠" if id(q) in disagreeing else "") + wording(q) for q in cell.figures)
    return f"{cell.sentence.index}: {figures}" if figures else str(cell.sentence.index)


def to_facts_csv(result: Alignment) -> str:
    """One row per fact, in the matrix's order, and one column per document."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow([neutralise(c) for c in (*FACT_CSV_COLUMNS, *(d.name for d in result.documents))])
    for row in fact_matrix(result):
        cells = [str(row.fact.id), row.label, "; ".join(c.label for c in row.conflicts)]
        w.writerow([neutralise(c) for c in cells + [fact_cell(c) for c in row.cells]])
    return buf.getvalue()


def _matrix_row(row: FactRow) -> dict[str, Any]:
    return {
        "fact": row.fact.id,
        "label": row.label,
        "conflicts": [c.label for c in row.conflicts],
        "cells": [
            {
                "doc": c.doc,
                "sentence": None if c.sentence is None else c.sentence.index,
                "sentences": [s.index for s in c.sentences],
                "figures": [wording(q) for q in c.figures],
                "disagreeing": [wording(q) for q in c.disagreeing],
            }
            for c in row.cells
        ],
    }


def _quantity(q: Quantity) -> dict[str, Any]:
    return {
        "text": q.text,
        "start": q.start,
        "end": q.end,
        "kind": q.kind,
        "value": q.value,
        "unit": q.unit,
        "low": q.low,
        "high": None if math.isinf(q.high) else q.high,
        "hedge": q.hedge,
        "role": q.role,
    }


def _ref(s: Sentence) -> dict[str, int]:
    return {"doc": s.doc, "sentence": s.index}


def to_json(result: Alignment) -> str:
    return json.dumps(json_data(result), ensure_ascii=False, indent=1)


def to_json_stories(stories: Sequence[Story], results: Sequence[Alignment]) -> str:
    """Every story as an object: its number, label, dates and documents, and its alignment as :func:`to_json` has it."""
    data = {
        "stories": [
            {
                "story": st.number,
                "label": st.label,
                "dates": list(st.dates),
                "documents": [d.name for d in r.documents],
                "alignment": json_data(r),
            }
            for st, r in zip(stories, results, strict=True)
        ]
    }
    return json.dumps(data, ensure_ascii=False, indent=1)


def json_data(result: Alignment) -> dict[str, Any]:
    """Everything about an alignment, as JSON-ready data."""
    data = {
        "threshold": result.threshold,
        "documents": [
            {
                "name": d.name,
                "path": d.path,
                "title": d.title,
                "metadata": d.metadata,
                "sentences": [
                    {
                        "index": s.index,
                        "text": s.text,
                        "start": s.start,
                        "end": s.end,
                        "heading": s.heading,
                        "quantities": [_quantity(q) for q in s.quantities],
                    }
                    for s in d.sentences
                ],
            }
            for d in result.documents
        ],
        "pairs": [
            {
                "a": _ref(p.a),
                "b": _ref(p.b),
                "score": None if p.origin == "user" else round(p.score, 3),
                "origin": p.origin,
                "copy": p.copy,
                "conflicts": [c.label for c in p.conflicts],
            }
            for p in result.pairs
        ],
        "facts": [{"id": f.id, "sentences": [_ref(s) for s in f.sentences]} for f in result.facts],
        "conflicts": [
            {
                "a": _ref(c.a),
                "b": _ref(c.b),
                "value_a": c.qa.text,
                "value_b": c.qb.text,
                "normalised_a": c.qa.value,
                "normalised_b": c.qb.value,
                "unit": c.qa.unit,
                "kind": c.qa.kind,
            }
            for c in result.conflicts
        ],
        "fact_matrix": [_matrix_row(r) for r in fact_matrix(result)],
    }
    return data


def write_output(content: str, target: str | Path, force: bool = False) -> str:
    """Write ``content`` to a file (atomically) or to stdout for ``-``; refuse to overwrite without ``force``."""
    if str(target) == "-":
        sys.stdout.write(content)
        sys.stdout.flush()
        return "standard output"
    path = Path(target)
    if path.is_dir():
        raise OutputError(f"{path}: is a directory")
    if path.exists() and not path.is_file():
        # A device or pipe (/dev/null, a FIFO): write into it; replacing it would destroy it.
        try:
            with open(path, "w", encoding="utf-8", newline="") as f:
                f.write(content)
        except OSError as e:
            raise OutputError(f"{path}: cannot write ({e.strerror or e})") from e
        return str(path)
    if path.exists() and not force:
        raise OutputError(f"{path}: already exists; use --force to overwrite it")
    parent = path.parent if str(path.parent) else Path(".")
    if not parent.is_dir():
        raise OutputError(f"{parent}: no such directory")
    try:
        replace_atomically(path, content)
    except OSError as e:
        raise OutputError(f"{path}: cannot write ({e.strerror or e})") from e
    return str(path)
