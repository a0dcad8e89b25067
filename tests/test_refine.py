"""The second reading: the paraphrase cross-encoder reads the uncertain pairs again (align/rereading.py)."""

from __future__ import annotations

import pytest

import align
from align import alignment as alignment_mod
from align import paraphrase
from align.rereading import to_refine
from align.similarity import RefiningScorer, Scorer


def _scored(result: align.Alignment) -> list[tuple]:
    return [(p.a.doc, p.a.index, p.b.doc, p.b.index, p.score) for p in result.scored]


def _pairs(result: align.Alignment) -> list[tuple]:
    return [(p.a.doc, p.a.index, p.b.doc, p.b.index, p.score) for p in result.pairs]


@pytest.mark.parametrize(
    "scores,floor,budget,expected",
    [
        ([0.1, 0.3, 0.9, 0.2], 0.15, 10, [1, 3, 2]),  # nearest the centre (0.25) in log-odds first; 0.1 is below
        ([0.1, 0.3, 0.9, 0.2], 0.15, 2, [1, 3]),  # the budget keeps the most uncertain
        ([0.1, 0.3, 0.9, 0.2], 0.95, 10, []),  # nothing from the floor up
        ([], 0.1, 10, []),
        ([0.25, 0.25], 0.1, 10, [0, 1]),  # ties keep their order
    ],
)
def test_which_pairs_are_read_again(scores, floor, budget, expected):
    assert to_refine(scores, 0.25, floor, budget) == expected


def test_the_shipped_settings_read_from_where_a_pair_can_cross_the_threshold():
    s = paraphrase.settings()
    assert 0.0 < s["floor"] < align.DEFAULT_THRESHOLD and s["budget"] > 0 and s["paraphrase"] > 0
    assert s["max_length"] > 0


def test_the_default_scorer_has_a_second_reading_with_its_own_fingerprint(seed_documents):
    sentences = [s for d in seed_documents for s in d.sentences]
    scorer = Scorer(sentences)
    assert isinstance(scorer, RefiningScorer)
    assert scorer.refined_fingerprint() != scorer.fingerprint()
    assert paraphrase.fingerprint() in scorer.refined_fingerprint()


def test_a_restatement_in_other_words_rises_and_two_statements_fall():
    """The issue's restatements (words the judge misses) against statements that share words."""
    a = [
        "Amazon and Anthropic announce strategic collaboration to advance generative AI.",
        "Amazon will hold a minority stake in the company.",
        "The company reported revenue of $4 billion last year.",
    ]
    b = [
        "The two parties announced a strategic cooperation to jointly promote generative AI.",
        "Amazon claimed that its stake amounted to a minority.",
        "The company plans to hire 4,000 engineers next year.",
    ]
    from align.documents import sentences_from_texts

    doc_a, doc_b = sentences_from_texts([a, b])
    scorer = Scorer(doc_a + doc_b)
    pairs = list(zip(doc_a, doc_b, strict=True))
    judge, read = scorer.score_many(pairs), scorer.refined_many(pairs)
    assert read[0] > judge[0] and read[1] > judge[1]
    assert read[2] < read[0] and read[2] < read[1]
    logits = paraphrase.load().logits([(a[k], b[k]) for k in range(3)])
    assert logits[0] > 0 and logits[1] > 0 and logits[0] > logits[2]


def test_pair_scores_read_every_pair_from_the_floor_up():
    a = ["Amazon and Anthropic announce strategic collaboration to advance generative AI."]
    b = ["The two parties announced a strategic cooperation to jointly promote generative AI."]
    from align.documents import sentences_from_texts

    doc_a, doc_b = sentences_from_texts([a, b])
    scorer = Scorer(doc_a + doc_b)
    judge = scorer.score_many([(doc_a[0], doc_b[0])])[0]
    assert judge >= paraphrase.settings()["floor"]
    assert align.pair_scores(a, b) == scorer.refined_many([(doc_a[0], doc_b[0])])


def test_a_cheap_alignment_is_refined_in_steps_then_cached(cache_dir, seed_documents, monkeypatch):
    cheap = align.align(seed_documents, refine=False)
    assert not cheap.refined and cheap.pairs
    steps = list(align.refine(cheap, steps=4))
    assert len(steps) >= 2
    done = [d for d, _, _ in steps]
    assert done == sorted(done) and done[-1] == steps[-1][1] > 0
    assert [r.refined for _, _, r in steps] == [False] * (len(steps) - 1) + [True]
    final = steps[-1][2]
    assert _scored(final) != _scored(cheap)  # the cross-encoder moved some scores
    # What align() gives at once when it may wait is the same.
    whole = align.align(seed_documents, cache=False)
    assert whole.refined and _scored(whole) == _scored(final) and _pairs(whole) == _pairs(final)
    # A warm open finds the refined scores: nothing is read again.
    monkeypatch.setattr(paraphrase, "load", lambda *a, **k: pytest.fail("read again"))
    monkeypatch.setattr(alignment_mod, "score_pairs", lambda *a, **k: pytest.fail("scored again"))
    warm = align.align(seed_documents, refine=False)
    assert warm.refined and _scored(warm) == _scored(final)
    assert list(align.refine(warm)) == []


def test_refining_keeps_the_threshold_and_the_corrections(seed_documents):
    cheap = align.align(seed_documents, cache=False, refine=False).with_threshold(0.4)
    p = cheap.pairs[0]
    corrected = cheap.with_corrections(rejected=[(p.a, p.b)])
    *_, (_, _, final) = align.refine(corrected, cache=False)
    assert final.threshold == 0.4 and final.rejected == frozenset({(p.a, p.b)})
    assert (p.a, p.b) not in {(q.a, q.b) for q in final.pairs}


def test_a_scorer_without_a_second_reading_is_never_refined(seed_documents):
    from align.similarity import PairScorer

    class Plain:
        def __init__(self, sentences):
            self.inner = Scorer(sentences)

        def score(self, a, b):
            return self.inner.score(a, b)

        def score_many(self, pairs):
            return self.inner.score_many(pairs)

        def fingerprint(self):
            return "plain"

        def blocking_terms(self, s):
            return self.inner.blocking_terms(s)

    result = align.align(seed_documents, cache=False, scorer=Plain)
    assert isinstance(result.scorer, PairScorer) and not isinstance(result.scorer, RefiningScorer)
    assert result.refined and list(align.refine(result)) == []


@pytest.mark.parametrize(
    ("model", "settings", "says"),
    [
        (None, "ok", "cannot read the paraphrase model"),  # no file
        (b"not a model", "ok", "cannot read the paraphrase model"),
        ("ok", None, "cannot read"),
        ("ok", "{not json", "cannot read"),
        ("ok", "{}", "lacks the cross-encoder's settings"),
        (
            "ok",
            '{"max_length": 96, "model_sha256": "ab", "budget": 600, "floor": "low", "judge": 1, "paraphrase": 1, '
            '"intercept": 0}',
            "lacks",
        ),
    ],
)
def test_a_broken_model_or_settings_file_is_one_clear_line(tmp_path, model, settings, says):
    model_path, settings_path = tmp_path / "paraphrase.onnx", tmp_path / "paraphrase.json"
    if model == "ok":
        model_path = paraphrase.MODEL
    elif model is not None:
        model_path.write_bytes(model)
    if settings == "ok":
        settings_path = paraphrase.SETTINGS
    elif settings is not None:
        settings_path.write_text(settings, encoding="utf-8")
    with pytest.raises(paraphrase.ParaphraseError) as e:
        paraphrase._settings(settings_path)
        paraphrase.load.__wrapped__(model=model_path, tokenizer=paraphrase.TOKENIZER, max_length=16)
    message = str(e.value)
    assert says in message and "\n" not in message and isinstance(e.value, OSError)


def test_a_model_other_than_the_one_the_settings_were_fitted_for_is_refused(tmp_path, monkeypatch):
    """The fingerprint trusts the settings' digest of the model, so loading checks it."""
    other = tmp_path / "paraphrase.onnx"
    other.write_bytes(paraphrase.MODEL.read_bytes()[:-1] + b"\0")
    assert paraphrase.model_digest(other) != paraphrase.settings()["model_sha256"]
    assert paraphrase.model_digest(paraphrase.MODEL) == paraphrase.settings()["model_sha256"]
    monkeypatch.setattr(paraphrase, "MODEL", other)
    with pytest.raises(paraphrase.ParaphraseError, match="is not the model paraphrase.json was fitted for"):
        paraphrase.load.__wrapped__(model=other)


def test_a_candidate_model_is_read_unchecked_for_the_fit(tmp_path, monkeypatch):
    """bench/fit_refine.py reads a newly exported model before it writes the digest the check compares."""
    other = tmp_path / "paraphrase.onnx"
    other.write_bytes(paraphrase.MODEL.read_bytes())
    monkeypatch.setattr(paraphrase, "MODEL", other)
    monkeypatch.setattr(paraphrase, "settings", lambda path=None: {"model_sha256": "not-this-one", "max_length": 96})
    with pytest.raises(paraphrase.ParaphraseError):
        paraphrase.load.__wrapped__(model=other)
    pair = ("The storm killed 12 people.", "Twelve people died in the storm.")
    assert paraphrase.open_model(other, paraphrase.TOKENIZER, 96).logits([pair]) == pytest.approx(
        paraphrase.load().logits([pair])
    )


def test_export_says_in_one_line_when_the_model_cannot_run(seed_documents, monkeypatch, capsys, tmp_path):
    from align.cli import export_main

    def broken(*args, **kwargs):
        raise paraphrase.ParaphraseError("cannot read the paraphrase model x.onnx (bad); reinstall deal-reader")

    monkeypatch.setattr(paraphrase, "load", broken)
    out = tmp_path / "pairs.csv"
    code = export_main(["--no-cache", "--csv", str(out)])
    err = capsys.readouterr().err.strip()
    assert code != 0 and not out.exists()
    assert err.count("\n") == 0 and "reinstall deal-reader" in err and "Traceback" not in err
