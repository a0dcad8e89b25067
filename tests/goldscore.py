"""Score an alignment against a gold file of fact clusters and numeric conflicts (the project's own scorer).

A gold member is [doc, quote]: doc is the first three characters of a file name, quote a
substring of one sentence. Links between two must members are true; links touching a may
member are neutral; any other link touching a quoted sentence is false; unquoted pairs are
not judged. A must conflict is found when the row linking its quotes names both values.
"""

from __future__ import annotations

import itertools
import json
import re
from dataclasses import dataclass
from pathlib import Path

_QUOTES = str.maketrans(
    {"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"', "\u2013": "-", "\u2014": "-", "\u00a0": " "}
)
_MONEY = re.compile(r"(?:us)?\$\s?(\d[\d,]*(?:\.\d+)?)\s*(billion|bn|million|mn|m|b)?\b", re.I)
_SCALE = {"billion": 1e9, "bn": 1e9, "b": 1e9, "million": 1e6, "mn": 1e6, "m": 1e6}


def norm(text: str) -> str:
    return " ".join(text.translate(_QUOTES).lower().split())


def values_in(text: str) -> set[float]:
    found = {
        round(float(m.group(1).replace(",", "")) * _SCALE.get((m.group(2) or "").lower(), 1), 2)
        for m in _MONEY.finditer(text)
    }
    found |= {
        round(float(m.group(1).replace(",", "")), 2) for m in re.finditer(r"(?<![\d.$])(\d[\d,]*(?:\.\d+)?)", text)
    }
    return found


@dataclass
class GoldScore:
    precision: float
    recall: float
    f1: float
    conflicts_found: int
    conflicts_must: int
    false_flags: list[str]
    true_links: int = 0  # rows that link a must pair
    false_links: int = 0  # rows that link a quoted sentence to one it must not
    must_pairs: int = 0
    must_found: int = 0


def score(gold_path: Path, rows: list[dict]) -> GoldScore:
    """Rows are CSV export rows (doc_a, text_a, doc_b, text_b, conflicts)."""
    gold = json.loads(gold_path.read_text(encoding="utf-8"))
    quotes = [(d, norm(q)) for c in gold["clusters"] for d, q in c["must"] + c["may"]]
    for group in gold["conflicts"].values():
        if isinstance(group, list):
            quotes += [(x[0], norm(x[1])) for e in group for x in (e["a"], e["b"])]

    def quotes_of(doc: str, text: str) -> set:
        t = norm(text)
        return {(d, q) for d, q in quotes if d == doc and q in t}

    must, may = set(), set()
    for c in gold["clusters"]:
        m = [(d, norm(q)) for d, q in c["must"]]
        every = m + [(d, norm(q)) for d, q in c["may"]]
        must |= {frozenset(p) for p in itertools.combinations(m, 2) if p[0][0] != p[1][0]}
        may |= {frozenset(p) for p in itertools.combinations(every, 2) if p[0][0] != p[1][0]}
    may -= must

    linked = []
    tp = fp = 0
    found = set()
    for r in rows:
        da, db = Path(r["doc_a"]).name[:3], Path(r["doc_b"]).name[:3]
        qa, qb = quotes_of(da, r["text_a"]), quotes_of(db, r["text_b"])
        links = {frozenset((x, y)) for x in qa for y in qb}
        linked.append((r, links))
        if links & must:
            tp += 1
            found |= links & must
        elif links & may:
            continue
        elif qa or qb:
            fp += 1
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = len(found) / len(must) if must else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0

    def rows_linking(a, b):
        want = frozenset(((a[0], norm(a[1])), (b[0], norm(b[1]))))
        return [r for r, links in linked if want in links]

    hits = sum(
        any(
            all(any(abs(v - w) <= 1e-6 * max(1, abs(v)) for w in values_in(r["conflicts"])) for v in e["values"])
            for r in rows_linking(e["a"], e["b"])
        )
        for e in gold["conflicts"]["must"]
    )
    false_flags = [
        e["id"]
        for e in gold["conflicts"]["must_not"]
        if any(r["conflicts"].strip() for r in rows_linking(e["a"], e["b"]))
    ]
    return GoldScore(
        round(precision, 3),
        round(recall, 3),
        round(f1, 3),
        hits,
        len(gold["conflicts"]["must"]),
        false_flags,
        tp,
        fp,
        len(must),
        len(found),
    )
