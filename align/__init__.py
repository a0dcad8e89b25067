"""deal-reader's engine: which sentences in different articles state the same fact, and where their numbers disagree.

    >>> import align
    >>> docs, problems = align.load_documents(["seeds"])        # doctest: +SKIP
    >>> result = align.align(docs)                              # doctest: +SKIP
    >>> for pair in result.pairs: ...                           # doctest: +SKIP

It never imports Textual.
"""

from .alignment import DEFAULT_THRESHOLD, Alignment, ScoredPair, align, pair_scores, refine
from .cli import add_input_args, add_links_args, links_path, source_options
from .conflicts import find_conflicts
from .documents import load_documents, parse_sources, require_corpus
from .errors import InputError, InstallError, OutputError
from .export import CSV_COLUMNS, FACT_CSV_COLUMNS, to_csv, to_facts_csv, to_json, write_output
from .links import LinkBook, apply_to_stories, resolve_links
from .matrix import FactCell, FactRow, fact_matrix
from .models import AlignedPair, Conflict, Document, Fact, Quantity, Sentence
from .problems import Problem
from .quantities import find_quantities
from .sources import Source, SourceOptions, bundled_seeds, read_sources, unusable_paths
from .stories import Story, find_stories
from .storyalign import align_stories, story_corpus
from .version import __version__ as __version__

__all__ = [
    "DEFAULT_THRESHOLD",
    "Alignment",
    "AlignedPair",
    "CSV_COLUMNS",
    "Conflict",
    "Document",
    "Fact",
    "FACT_CSV_COLUMNS",
    "FactCell",
    "FactRow",
    "fact_matrix",
    "to_facts_csv",
    "InputError",
    "InstallError",
    "OutputError",
    "Problem",
    "Quantity",
    "ScoredPair",
    "Sentence",
    "Source",
    "Story",
    "find_stories",
    "SourceOptions",
    "LinkBook",
    "add_input_args",
    "add_links_args",
    "links_path",
    "resolve_links",
    "align",
    "align_stories",
    "refine",
    "apply_to_stories",
    "story_corpus",
    "bundled_seeds",
    "source_options",
    "find_conflicts",
    "find_quantities",
    "load_documents",
    "pair_scores",
    "parse_sources",
    "read_sources",
    "require_corpus",
    "to_csv",
    "to_json",
    "unusable_paths",
    "write_output",
]
