"""The scorer's fast paths against plain references, and its behaviour on small cases."""
from hypothesis import given
from hypothesis import strategies as st
from rapidfuzz.distance import Prefix

from align.models import Sentence
from align.quantities import find_quantities
from align.similarity import PREFIX_MIN, Scorer

words = st.text(alphabet="abcdefgh", min_size=1, max_size=9)


@given(words, words)
def test_word_family_key_is_rapidfuzz_common_prefix(a, b):
    """Two lemmas are one family when rapidfuzz's common-prefix similarity reaches PREFIX_MIN;
    the scorer checks this as equal PREFIX_MIN-letter keys, which must be the same test."""
    reference = min(len(a), len(b)) >= PREFIX_MIN and Prefix.similarity(a, b) >= PREFIX_MIN
    fast = len(a) >= PREFIX_MIN and len(b) >= PREFIX_MIN and a[:PREFIX_MIN] == b[:PREFIX_MIN]
    assert fast == reference


def _sentence(doc, index, text, lemmas):
    offsets, pos = [], 0
    for lemma in lemmas:
        pos = text.lower().find(lemma[:4], pos)
        offsets.append(max(pos, 0))
    return Sentence(doc=doc, index=index, text=text, start=0, end=len(text), lemmas=tuple(lemmas),
                    lemma_offsets=tuple(offsets), quantities=tuple(find_quantities(text)))


def _corpus():
    a = [
        _sentence(0, 1, "Acme will invest $1 billion immediately in Beta.", ["acme", "invest", "immediately", "beta"]),
        _sentence(0, 2, "The weather in Springfield was mild.", ["weather", "springfield", "mild"]),
        _sentence(0, 3, "Acme makes rockets.", ["acme", "make", "rocket"]),
    ]
    b = [
        _sentence(1, 1, "Beta gets an initial investment of $1.25 billion from Acme.", ["beta", "initial", "investment", "acme"]),
        _sentence(1, 2, "Gamma reported record sales of toasters.", ["gamma", "report", "record", "sale", "toaster"]),
        _sentence(1, 3, "Acme makes rockets and satellites.", ["acme", "make", "rocket", "satellite"]),
    ]
    return a, b, Scorer(a + b)


def test_scores_lie_in_unit_interval_and_are_symmetric():
    a, b, scorer = _corpus()
    for x in a:
        for y in b:
            s = scorer.score(x, y)
            assert 0.0 <= s <= 1.0
            assert s == scorer.score(y, x)


def test_same_fact_told_differently_beats_unrelated():
    a, b, scorer = _corpus()
    tranche = scorer.score(a[0], b[0])
    assert tranche > scorer.score(a[0], b[1])
    assert tranche > scorer.score(a[1], b[0])
    f = scorer.features(a[0], b[0])
    assert f["same_figure"] == 1.0  # $1 billion "invest" against $1.25 billion "investment"
    assert f["near_quantity"] > 0


def test_nothing_shared_scores_zero():
    a, b, scorer = _corpus()
    assert scorer.score(a[1], b[1]) == 0.0


def test_every_feature_has_a_weight_and_features_name_them_all(seed_documents):
    from align.similarity import FEATURES, WEIGHTS, Scorer

    assert set(FEATURES) == set(WEIGHTS) and len(FEATURES) == len(WEIGHTS)
    sentences = [s for d in seed_documents for s in d.sentences]
    scorer = Scorer(sentences)
    a, b = seed_documents[0].sentences[3], seed_documents[1].sentences[3]
    assert tuple(scorer.features(a, b)) == FEATURES
