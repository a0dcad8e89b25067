"""Turn raw sources into parsed Documents: title, metadata and sentences with lemmas and quantities."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from .errors import InputError
from .models import Document, Sentence
from .pipeline import BLANK_PIPELINE, is_blank, load_pipeline
from .problems import Problem
from .quantities import find_quantities
from .sentences import content_lemmas, guess_title, make_sentences, split_blocks
from .sources import Source, SourceOptions, read_sources

if TYPE_CHECKING:
    from spacy.language import Language

    from .cache import DiskStore

BATCH_SIZE = 256


def _fallback_title(doc: Document) -> str:
    first = doc.sentences[0].clean_text if doc.sentences else doc.name
    return first if len(first) <= 60 else first[:59].rstrip() + "…"


def parse_sources(
    sources: Sequence[Source], nlp: Language | None = None, cache: bool | DiskStore | None = None
) -> list[Document]:
    """Parse every source with spaCy (one batched pass over all lines of the sources not in the cache).

    ``cache``: a :class:`align.cache.ParseCache`, True/None for the default one in the user cache
    directory (None also honours ``$DEAL_READER_NO_CACHE``), False to parse everything. When every
    source is cached and ``nlp`` is not given, spaCy is never imported.
    """
    return _parse(sources, nlp, cache)[0]


def _parse(
    sources: Sequence[Source], nlp: Language | None, cache: bool | DiskStore | None
) -> tuple[list[Document], list[Problem]]:
    """:func:`parse_sources`, and the engine's problems on the way (no trained pipeline, cache not written)."""
    from .cache import ParseCache, entry_key, open_store
    from .pipeline import parse_processes, pipeline_key

    problems: list[Problem] = []
    store = open_store(cache, ParseCache)
    pkey = pipeline_key(nlp) if store is not None else ""
    prepared = []
    for src in sources:
        blocks, meta = split_blocks(src.text, markdown=src.kind == "markdown")
        title = src.title or guess_title(src.text, blocks)
        prepared.append((src, blocks, {**meta, **src.metadata}, title))
    found: dict[int, list[Sentence]] = {}
    keys: dict[int, str] = {}
    if store is not None:
        for i, (src, _, _, title) in enumerate(prepared):
            keys[i] = entry_key(src.text, f"{src.kind}|{title}", pkey)
            got = store.get(keys[i], i)
            if got is not None:
                found[i] = got
    todo = [i for i in range(len(prepared)) if i not in found]
    if todo:
        default = nlp is None
        nlp = nlp or load_pipeline()
        if default and is_blank(nlp):
            problems.append(BLANK_PIPELINE)
        # A trained pipeline that failed to load falls back to a blank one: not what the key says.
        writable = store is not None and (not default or pipeline_key(nlp) == pkey)
        texts = [prepared[i][0].text[b.start : b.end] for i in todo for b in prepared[i][1]]
        parsed = iter(nlp.pipe(texts, batch_size=BATCH_SIZE, n_process=parse_processes(len(texts))))
        for i in todo:
            src, blocks, _, title = prepared[i]
            block_docs = [next(parsed) for _ in blocks]
            found[i] = list(make_sentences(i, src.text, blocks, block_docs, title))
        add_vectors([s for i in todo for s in found[i]])
        if writable and store is not None:
            for i in todo:
                store.put(keys[i], found[i])
        if store is not None and store.written:
            store.evict()
    if store is not None:
        problems += store.problems
    docs: list[Document] = []
    for i, (src, _, meta, title) in enumerate(prepared):
        doc = Document(name=src.name, title=title, text=src.text, path=src.path, metadata=meta)
        doc.sentences = found[i]
        if not doc.title:
            doc.title = _fallback_title(doc)
        docs.append(doc)
    return docs, problems


def load_documents(
    paths: Iterable[str | Path] | None = None,
    nlp: Language | None = None,
    options: SourceOptions | None = None,
    cache: bool | DiskStore | None = None,
) -> tuple[list[Document], list[Problem]]:
    """Read and parse the inputs (the bundled seeds when none are given), and what went wrong on the way.

    Each :class:`align.problems.Problem` reads as one line (``str(problem)``); its ``kind`` says
    whether the input was skipped, used with a caveat (a guessed encoding, a repeat shown once),
    or whether the engine itself works on less well (no trained pipeline, cache not written).

    ``options`` set network access and standard input (see :class:`align.sources.SourceOptions`).
    ``cache`` as for :func:`parse_sources` (False: ``--no-cache``, parse everything again).
    An article given twice is parsed and shown once (see :func:`align.copies.find_duplicates`).
    """
    from .copies import find_duplicates
    from .sources import bundled_seeds

    paths = list(paths or [bundled_seeds()])
    sources, problems = read_sources(paths, options)
    sources, repeats = find_duplicates(sources)
    problems += repeats
    docs, engine = _parse(sources, nlp, cache) if sources else ([], [])
    kept = []
    for d in docs:
        if d.sentences:
            kept.append(d)
        else:
            problems.append(Problem(d.path or d.name, "no sentences found"))
    problems += engine
    return kept, problems


def require_corpus(docs: Sequence[Document]) -> None:
    """Raise InputError unless there are at least two documents to compare."""
    if not docs:
        raise InputError("no readable documents")
    if len(docs) < 2:
        raise InputError(f"only one document ({docs[0].name}); deal-reader compares two or more")


def add_vectors(sentences: Sequence[Sentence]) -> None:
    """Give each sentence its vector (:func:`align.vectors.encode`), all in one batch."""
    from .vectors import encode, to_bytes

    for s, v in zip(sentences, encode([s.text for s in sentences]), strict=True):
        s.vector = to_bytes(v)


def sentences_from_texts(docs: Sequence[Sequence[str]], nlp: Language | None = None) -> list[list[Sentence]]:
    """Sentences built from ready-split texts (one item one sentence, not re-segmented), one list per document."""
    nlp = nlp or load_pipeline()
    flat = [t for d in docs for t in d]
    parsed = iter(nlp.pipe(flat, batch_size=BATCH_SIZE))
    out: list[list[Sentence]] = []
    for i, texts in enumerate(docs):
        doc_sents = []
        for k, text in enumerate(texts, 1):
            sdoc = next(parsed)
            span = sdoc[:]
            tokens = [(t.idx, t.lemma_, t.pos_) for t in span]
            lemmas, offsets, tags = content_lemmas(span)
            doc_sents.append(
                Sentence(
                    doc=i,
                    index=k,
                    text=text,
                    start=0,
                    end=len(text),
                    lemmas=lemmas,
                    lemma_offsets=offsets,
                    lemma_tags=tags,
                    quantities=tuple(find_quantities(text, tokens)),
                )
            )
        out.append(doc_sents)
    add_vectors([s for d in out for s in d])
    return out
