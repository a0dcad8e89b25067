"""The pair scorer: its protocol, its features against plain references, and its behaviour on small cases."""

import json
from dataclasses import replace

import pytest
from hypothesis import given
from hypothesis import strategies as st
from rapidfuzz.distance import Prefix

import align
from align.features import FEATURES, PREFIX_MIN, Corpus, pair_features
from align.models import Sentence
from align.quantities import find_quantities
from align.similarity import (
    JUDGE_FEATURES,
    JUDGE_PATH,
    MODEL_PATH,
    ModelError,
    PairScorer,
    Scorer,
    load_judge,
    load_model,
)

words = st.text(alphabet="abcdefgh", min_size=1, max_size=9)


@given(words, words)
def test_word_family_key_is_rapidfuzz_common_prefix(a, b):
    """Two lemmas are one family when rapidfuzz's common-prefix similarity reaches PREFIX_MIN;
    the features check this as equal PREFIX_MIN-letter keys, which must be the same test."""
    reference = min(len(a), len(b)) >= PREFIX_MIN and Prefix.similarity(a, b) >= PREFIX_MIN
    fast = len(a) >= PREFIX_MIN and len(b) >= PREFIX_MIN and a[:PREFIX_MIN] == b[:PREFIX_MIN]
    assert fast == reference


def _sentence(doc, index, text, lemmas):
    offsets, pos = [], 0
    for lemma in lemmas:
        pos = text.lower().find(lemma[:4], pos)
        offsets.append(max(pos, 0))
    return Sentence(
        doc=doc,
        index=index,
        text=text,
        start=0,
        end=len(text),
        lemmas=tuple(lemmas),
        lemma_offsets=tuple(offsets),
        quantities=tuple(find_quantities(text)),
    )


def _corpus():
    a = [
        _sentence(0, 1, "Acme will invest $1 billion immediately in Beta.", ["acme", "invest", "immediately", "beta"]),
        _sentence(0, 2, "The weather in Springfield was mild.", ["weather", "springfield", "mild"]),
        _sentence(0, 3, "Acme makes rockets.", ["acme", "make", "rocket"]),
    ]
    b = [
        _sentence(
            1,
            1,
            "Beta gets an initial investment of $1.25 billion from Acme.",
            ["beta", "initial", "investment", "acme"],
        ),
        _sentence(1, 2, "Gamma reported record sales of toasters.", ["gamma", "report", "record", "sale", "toaster"]),
        _sentence(1, 3, "Acme makes rockets and satellites.", ["acme", "make", "rocket", "satellite"]),
    ]
    # Two short toy articles share too few words to be found one story: they are said to be one.
    return a, b, Scorer(a + b, one_story=True)


def test_the_default_scorer_meets_the_protocol():
    a, b, scorer = _corpus()
    assert isinstance(scorer, PairScorer)
    assert scorer.fingerprint() == Scorer(a, one_story=True).fingerprint()  # code, weights and data: not the corpus
    assert set(scorer.blocking_terms(a[0])) >= {"acme", "invest"}


def test_fingerprint_follows_the_weights():
    a, _, scorer = _corpus()
    other = dict(load_model(), bias=load_model()["bias"] + 1.0)
    assert Scorer(a, model=other, one_story=True).fingerprint() != scorer.fingerprint()
    recalibrated = dict(load_judge(), calibration={"slope": 1.0, "intercept": 0.0, "other_story": 0.0})
    assert Scorer(a, judge=recalibrated, one_story=True).fingerprint() != scorer.fingerprint()


def _heading(index, text, tagged):
    lemmas, tags = zip(*tagged, strict=True)
    return replace(_sentence(0, index, text, list(lemmas)), lemma_tags=tags, heading=True)


@pytest.mark.parametrize(
    ("index", "text", "tagged", "linked"),
    [
        # an article's first line, its title, states its news
        (
            1,
            "Details of Acme's investment in Beta",
            [("detail", "NOUN"), ("acme", "PROPN"), ("investment", "NOUN"), ("beta", "PROPN")],
            True,
        ),
        # a headline inside the article, with a verb after its subject, states news too
        (4, "Acme invests $1 billion in Beta", [("acme", "PROPN"), ("invest", "VERB"), ("beta", "PROPN")], True),
        # a phrase with no verb names a section
        (
            4,
            "Details of Acme's investment in Beta",
            [("detail", "NOUN"), ("acme", "PROPN"), ("investment", "NOUN"), ("beta", "PROPN")],
            False,
        ),
        # so does a question, and a phrase that opens with its verb
        (4, "Why Acme invests in Beta", [("acme", "PROPN"), ("invest", "VERB"), ("beta", "PROPN")], False),
        (4, "Investing to win Beta", [("invest", "VERB"), ("win", "VERB"), ("beta", "PROPN")], False),
    ],
)
def test_a_heading_that_names_a_section_is_never_linked(index, text, tagged, linked):
    _, b, _ = _corpus()
    heading = _heading(index, text, tagged)
    scorer = Scorer([heading, *b])
    assert (scorer.score(heading, b[0]) > 0.0) is linked


def test_a_figure_told_again_keeps_the_evidence_probability():
    """Conflicting figures of one fact must stay linked: no training pair holds a figure's role, so a rule keeps it."""
    a, b, scorer = _corpus()
    f = scorer.features(a[0], b[0])
    assert f["same_figure"] == 1.0
    assert scorer.score(a[0], b[0]) >= scorer.evidence.score(a[0], b[0]) - 1e-6


def test_scores_lie_in_unit_interval_and_are_symmetric():
    a, b, scorer = _corpus()
    for x in a:
        for y in b:
            s = scorer.score(x, y)
            assert 0.0 <= s <= 1.0
            assert s == scorer.score(y, x)


def test_score_many_equals_score_one_at_a_time():
    a, b, scorer = _corpus()
    pairs = [(x, y) for x in a for y in b]
    assert scorer.score_many(pairs) == [scorer.score(x, y) for x, y in pairs]


def test_same_fact_told_differently_beats_unrelated():
    a, b, scorer = _corpus()
    tranche = scorer.score(a[0], b[0])
    assert tranche > scorer.score(a[0], b[1])
    assert tranche > scorer.score(a[1], b[0])
    f = scorer.evidence.features(a[0], b[0])
    assert f["same_figure"] == 1.0  # $1 billion "invest" against $1.25 billion "investment"
    assert f["near_quantity"] > 0


def test_features_are_named_and_the_models_fit_them(seed_documents):
    model = json.loads(MODEL_PATH.read_text(encoding="utf-8"))
    assert tuple(model["features"]) == FEATURES and len(model["weights"]) == len(FEATURES)
    judge = json.loads(JUDGE_PATH.read_text(encoding="utf-8"))
    assert tuple(judge["features"]) == JUDGE_FEATURES
    used = {f for t in judge["trees"] for f, leaf in zip(t["feature"], t["leaf"], strict=True) if not leaf}
    assert used <= set(range(len(JUDGE_FEATURES)))
    sentences = [s for d in seed_documents for s in d.sentences]
    scorer = Scorer(sentences)
    a, b = seed_documents[0].sentences[3], seed_documents[1].sentences[3]
    assert tuple(scorer.features(a, b)) == JUDGE_FEATURES


def test_a_sentence_is_its_own_best_match():
    a, b, _ = _corpus()
    twin = [_sentence(1, 4, a[2].text, list(a[2].lemmas))]
    corpus = Corpus(a + b + twin, zipf=lambda w: 0.0, vectors=align.similarity.sentence_vectors(a + b + twin))
    row = dict(zip(FEATURES, pair_features(corpus, [(2, 6)])[0], strict=True))
    assert row["token_sort"] == 1.0 and row["cover_min"] == 1.0 and row["mutual_best"] == 1.0
    assert row["cosine"] == pytest.approx(1.0, abs=1e-3)


class ConstantScorer:
    """A scorer of the protocol's shape that says the same of every pair."""

    def __init__(self, sentences):
        self.sentences = sentences

    def score(self, a, b):
        return 0.9

    def score_many(self, pairs):
        return [0.9] * len(pairs)

    def fingerprint(self):
        return "constant/0.9"

    def blocking_terms(self, s):
        return s.lemmas


def test_align_and_pair_scores_take_any_scorer(seed_documents):
    result = align.align(seed_documents, cache=False, scorer=ConstantScorer)
    assert result.pairs and all(p.score == 0.9 for p in result.pairs)
    assert align.pair_scores(["A cat sat."], ["A dog ran."], scorer=ConstantScorer) == [0.9]


def test_background_counts_only_other_articles_even_when_they_are_few():
    """With fewer than NEIGHBOURHOOD sentences in other articles, the background is their mean cosine."""
    import numpy as np

    from align.features import NEIGHBOURHOOD, _neighbourhoods

    rng = np.random.default_rng(0)
    for per_doc in (2, 3, NEIGHBOURHOOD + 4):
        v = rng.normal(size=(2 * per_doc, 8)).astype(np.float32)
        v /= np.linalg.norm(v, axis=1, keepdims=True)
        doc = np.repeat([0, 1], per_doc)
        best, background = _neighbourhoods(v, doc)
        sims = v @ v.T
        for i in range(len(doc)):
            other = np.sort(sims[i][doc != doc[i]])[-NEIGHBOURHOOD:]
            assert background[i] == pytest.approx(other.mean(), abs=1e-5)
            assert best[i, 1 - doc[i]] == pytest.approx(other.max(), abs=1e-5)


@pytest.mark.parametrize(
    ("content", "says"),
    [
        (None, "cannot read the judge"),  # no file
        ("{not json", "cannot read the judge"),
        ('{"features": ["token_sort"], "trees": [], "calibration": {}}', "fitted for other features"),
        ("{}", "fitted for other features"),
        # a judge calibrated before pairs across two stories had their own term
        (json.dumps({**load_judge(), "calibration": {"slope": 1.0, "intercept": 0.0}}), "fitted for other features"),
    ],
)
def test_a_broken_judge_file_is_one_clear_line(tmp_path, content, says):
    path = tmp_path / "judge.json"
    if content is not None:
        path.write_text(content, encoding="utf-8")
    with pytest.raises(ModelError) as e:
        load_judge(path)
    message = str(e.value)
    assert says in message and str(path) in message and "\n" not in message
