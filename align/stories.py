"""Split a corpus into its stories: groups of documents that report one event.

Two events of one kind (two acquisitions, two earthquakes) share most of their words, so a
document is described by what tells events apart: rare words weighted by their rarity in
general English and in the corpus, names written with a capital, and figures. Documents are
grouped by average-linkage agglomerative clustering of their cosine distances, cut at a
distance rather than at a given number of groups, so the number of stories is found. Two large
groups also stay apart when they are much less alike than each is within itself: the stories of
two deals by one company share its name, not their facts.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from .models import Document, Quantity, Sentence
from .wordfreq import rarity, zipf

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

# Cut the tree where documents are on average further apart than this (cosine distance), and join a
# lone document to a group it is at least this similar to on average. Chosen by folds of ECB+ topics
# (bench/eval_stories.py; docs/stories.md), as were the weights below.
DEFAULT_CUT = 0.92
ATTACH = 0.02
# Weight of a name (a capitalised word not opening its sentence), a figure and a date, over a plain word.
NAME_WEIGHT = 2.0
FIGURE_WEIGHT = 2.0
DATE_WEIGHT = 3.0
# Smoothed IDF is log((n + 1) / (df + 1)) + IDF_FLOOR: a term every document shares still counts, so a
# corpus of one story holds together, but half as much as in sklearn's smoothing (floor 1).
IDF_FLOOR = 0.5
# A document with fewer weighted terms than this says too little to stand alone: it joins its nearest story.
MIN_TERMS = 4
# A merge of two groups of at least RELATIVE_MIN documents each also needs their similarity to be at
# least RELATIVE of the looser group's own (folds of ECB+ and bench/bench_stories.py; docs/stories.md).
RELATIVE = 0.35
RELATIVE_MIN = 5
# Up to this many documents are clustered in numpy, beyond by scipy (see average_linkage).
SMALL = 300

_WORD = re.compile(r"[A-Za-z][A-Za-z'’\-]+")
# A year written out (1900-2099), or the last part of a numeric date (11/27/2005, 12/16/08).
_YEAR = re.compile(r"(?<![\d.,$])(?:19|20)\d\d(?![\d.,]\d)|(?<=\d/)\d\d(?:\d\d)?(?![/\d])")
_MONTHS = "jan feb mar apr may jun jul aug sep oct nov dec".split()
_MONTH = re.compile(
    r"\b(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.?\s+\d{1,2}\b|\b\d{1,2}\s+(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*\b"
)


@dataclass(frozen=True)
class Story:
    """Documents of a corpus that report one event (positions in the corpus), with what to call them."""

    number: int  # 1 for the largest story
    documents: tuple[int, ...]  # positions in the corpus, ascending
    label: str  # the title of its most central document
    dates: tuple[str, ...] = ()  # the documents' dates where known, sorted and distinct

    @property
    def size(self) -> int:
        return len(self.documents)

    @property
    def date_range(self) -> str:
        """``first – last`` of the known dates ('' when none is known)."""
        if not self.dates:
            return ""
        return self.dates[0] if len(self.dates) == 1 else f"{self.dates[0]} – {self.dates[-1]}"


def _figure_term(q: Quantity) -> str:
    """A figure as a term: its kind, unit and value to three significant digits (hedges ignored)."""
    v = q.value
    shown = f"{v:.3g}" if math.isfinite(v) else "inf"
    return f"#{q.kind}:{q.unit}:{shown}"


def document_terms(doc: Document) -> Counter[str]:
    """The terms that describe a document's event, with their counts: content lemmas, names and figures."""
    return sentence_terms(doc.sentences)


def sentence_terms(sentences: Iterable[Sentence]) -> Counter[str]:
    """The terms of :func:`document_terms` for a document given as its sentences."""
    terms: Counter[str] = Counter()
    for s in sentences:
        terms.update(s.lemmas)
        for m in _WORD.finditer(s.text):
            # A capital word that does not open its sentence is a name (or part of one).
            if m.start() > 0 and m.group()[0].isupper() and not m.group().isupper():
                terms["@" + m.group().lower()] += 1
        terms.update(_figure_term(q) for q in s.quantities if q.kind not in ("number", "year", "date"))
        terms.update(_date_terms(s.text))
    return terms


def _date_terms(text: str) -> list[str]:
    """When a sentence says things happen: the years it names and the months it dates a day in."""
    out = []
    for m in _YEAR.finditer(text):
        y = m.group()
        out.append("%year:" + (y if len(y) == 4 else ("20" if int(y) < 50 else "19") + y))
    for m in _MONTH.finditer(text):
        out.append("%month:" + (m.group(1) or m.group(2))[:3].lower())
    return out


def _term_weight(term: str) -> float:
    if term.startswith("%"):
        return DATE_WEIGHT
    if term.startswith("#"):
        return FIGURE_WEIGHT
    if term.startswith("@"):
        return NAME_WEIGHT * rarity(zipf(term[1:]))
    return rarity(zipf(term))


def document_vectors(docs: Sequence[Document]) -> list[dict[str, float]]:
    """One L2-normalised weighted vector per document: sublinear counts x English rarity x corpus IDF."""
    return term_vectors([document_terms(d) for d in docs])


def term_vectors(bags: Sequence[Counter[str]]) -> list[dict[str, float]]:
    """The vectors of :func:`document_vectors` from the documents' term bags."""
    n = len(bags)
    df: Counter[str] = Counter()
    for bag in bags:
        df.update(bag.keys())
    idf = {t: math.log((n + 1) / (c + 1)) + IDF_FLOOR for t, c in df.items()}
    out = []
    for bag in bags:
        vec = {t: (1.0 + math.log(c)) * _term_weight(t) * idf[t] for t, c in bag.items()}
        vec = {t: w for t, w in vec.items() if w > 0}
        norm = math.sqrt(sum(w * w for w in vec.values())) or 1.0
        out.append({t: w / norm for t, w in vec.items()})
    return out


def similarities(vectors: Sequence[dict[str, float]]) -> npt.NDArray[np.float64]:
    """The documents' cosine similarities, as a dense square matrix (a sparse product underneath)."""
    import numpy as np

    vocab: dict[str, int] = {}
    rows, cols, vals = [], [], []
    for i, vec in enumerate(vectors):
        for t, w in vec.items():
            rows.append(i)
            cols.append(vocab.setdefault(t, len(vocab)))
            vals.append(w)
    shape = (len(vectors), max(1, len(vocab)))
    if len(vectors) <= SMALL:  # dense: a warm export of a small corpus never imports scipy
        x = np.zeros(shape)
        x[rows, cols] = vals
        sim = x @ x.T
    else:
        from scipy import sparse

        xs = sparse.csr_matrix((vals, (rows, cols)), shape=shape)
        sim = np.asarray((xs @ xs.T).todense(), dtype=np.float64)
    np.clip(sim, 0.0, 1.0, out=sim)
    return sim


def group_labels(sim: npt.NDArray[np.float64], weak: Sequence[bool], cut: float = DEFAULT_CUT) -> list[int]:
    """A group number per document (from 1): average-linkage clusters of the strong documents (see
    :func:`_split`), lone documents joined to the group they are closest to, and each weak document
    (too little text to stand alone) put with the strong document most like it."""
    import numpy as np

    n = len(sim)
    strong = [i for i in range(n) if not weak[i]] or list(range(n))
    if len(strong) == 1:
        groups = [[0]]
    else:
        sub = sim[np.ix_(strong, strong)]
        groups = _attach_lone(sub, _split(sub, average_linkage(sub), cut))
    labels = [0] * n
    for g, members in enumerate(groups, 1):
        for k in members:
            labels[strong[k]] = g
    keep = set(strong)
    for i in range(n):
        if i not in keep:
            labels[i] = labels[max(strong, key=lambda j: sim[i, j])]
    return labels


def average_linkage(sim: npt.NDArray[np.float64]) -> list[tuple[int, int]]:
    """The merges of average-linkage (UPGMA) clustering, as scipy numbers them: leaves 0..n-1, the
    k-th merge n+k. Up to SMALL documents in numpy, beyond with scipy (whose import alone costs more
    than clustering a few dozen documents, a tenth of a small corpus's whole export)."""
    import numpy as np

    n = len(sim)
    if n > SMALL:
        from scipy.cluster.hierarchy import linkage
        from scipy.spatial.distance import squareform

        dist = 1.0 - sim
        np.fill_diagonal(dist, 0.0)
        return [(int(a), int(b)) for a, b, _, _ in linkage(squareform(dist, checks=False), method="average")]
    near = np.array(sim, dtype=np.float64)  # average similarity between the live clusters, -inf elsewhere
    np.fill_diagonal(near, -np.inf)
    size = np.ones(n)
    ids = list(range(n))
    merges = []
    for k in range(n - 1):
        i, j = sorted(divmod(int(np.argmax(near)), n))
        merges.append((ids[i], ids[j]))
        row = (near[i] * size[i] + near[j] * size[j]) / (size[i] + size[j])
        near[i, :] = row
        near[:, i] = row
        near[i, i] = near[j, :] = near[:, j] = -np.inf
        size[i] += size[j]
        ids[i] = n + k
    return merges


def _split(sim: npt.NDArray[np.float64], tree: Sequence[tuple[int, int]], cut: float) -> list[list[int]]:
    """The largest branches of an average-linkage tree whose every merge holds: the two halves on average
    no further apart than ``cut`` and, when both hold several documents, at least RELATIVE as similar
    to each other as the looser half is within itself (two stories that share a company, not the event)."""
    import numpy as np

    n = len(sim)
    members: list[list[int]] = [[i] for i in range(n)]
    holds = [True] * n
    for left, right in tree:
        a, b = members[left], members[right]
        ok = holds[left] and holds[right]
        if ok:
            between = float(sim[np.ix_(a, b)].mean())
            ok = between >= 1.0 - cut
            if ok and min(len(a), len(b)) >= RELATIVE_MIN:
                ok = between >= RELATIVE * min(_within(sim, a), _within(sim, b))
        members.append(a + b)
        holds.append(ok)
    # The top-most merges that hold are the groups; below a merge that fails, its halves are looked at.
    groups: list[list[int]] = []
    todo = [len(members) - 1]
    while todo:
        k = todo.pop()
        if holds[k]:
            groups.append(sorted(members[k]))
        else:
            todo += list(tree[k - n])
    return groups


def _within(sim: npt.NDArray[np.float64], members: list[int]) -> float:
    """Average similarity of a group's documents to each other."""
    import numpy as np

    block = sim[np.ix_(members, members)]
    return float((block.sum() - np.trace(block)) / (len(members) * (len(members) - 1)))


def _attach_lone(sim: npt.NDArray[np.float64], groups: list[list[int]]) -> list[list[int]]:
    """Lone documents joined to the group they are closest to on average, when that is at least ATTACH.

    A follow-up that strays from the story's words falls out of average linkage on its own; a
    document about another event shares next to nothing with any group and stays alone.
    """
    import numpy as np

    big = [list(g) for g in groups if len(g) > 1]
    if not big:
        return groups
    out = [list(g) for g in big]
    for g in groups:
        if len(g) > 1:
            continue
        near = [float(sim[np.ix_(g, h)].mean()) for h in big]
        k = int(np.argmax(near))
        if near[k] >= ATTACH:
            out[k] += g
        else:
            out.append(list(g))
    return [sorted(g) for g in out]


def find_stories(docs: Sequence[Document], cut: float = DEFAULT_CUT) -> list[Story]:
    """The stories of a corpus, largest first (ties: the one whose first document comes first).

    A corpus whose documents all report one event is one story; the number of stories is found.
    """
    if len(docs) < 2:
        return [Story(1, (0,), docs[0].label, _dates(docs, [0]))] if docs else []
    vectors = document_vectors(docs)
    sim = similarities(vectors)
    labels = group_labels(sim, _weak(vectors), cut)
    by_label: dict[int, list[int]] = {}
    for i, g in enumerate(labels):
        by_label.setdefault(g, []).append(i)
    groups = sorted(by_label.values(), key=lambda g: (-len(g), g[0]))
    return [Story(k, tuple(g), _label(docs, g, sim), _dates(docs, g)) for k, g in enumerate(groups, 1)]


def story_labels(bags: Sequence[Counter[str]], cut: float = DEFAULT_CUT) -> list[int]:
    """A story number per document given as its term bag (:func:`sentence_terms`), grouped as
    :func:`find_stories` groups documents (numbers in no particular order)."""
    if len(bags) < 2:
        return [1] * len(bags)
    vectors = term_vectors(bags)
    return group_labels(similarities(vectors), _weak(vectors), cut)


def _weak(vectors: Sequence[dict[str, float]]) -> list[bool]:
    return [len(v) < MIN_TERMS for v in vectors]


def _label(docs: Sequence[Document], members: Sequence[int], sim: npt.NDArray[np.float64]) -> str:
    """The title of the story's most central document: the highest summed similarity to the others."""
    if len(members) == 1:
        return docs[members[0]].label
    best = max(members, key=lambda i: (sum(float(sim[i, j]) for j in members if j != i), -i))
    return docs[best].label


def _dates(docs: Sequence[Document], members: Sequence[int]) -> tuple[str, ...]:
    """The members' publication dates (day part) where their metadata gives one."""
    return tuple(sorted({d[:10] for i in members if (d := docs[i].metadata.get("date", "").strip())}))
