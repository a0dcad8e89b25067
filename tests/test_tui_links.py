"""Pilot tests of the reader's corrections to the links: x rejects, a + Enter adds, U undoes, and a new
reader on the same links file re-applies them.

Most run on the hand-built corpus (fixed pairs, no spaCy); one opens the bundled seeds through the
loading worker. Every links file is in tmp_path.
"""

from __future__ import annotations

import json

import align
from snapshot_apps.corpus import synthetic_alignment
from tui.app import DealReaderApp
from tui.screens.export import ExportDialog
from tui.widgets.detail_panel import DetailPanel
from tui.widgets.status_line import StatusLine

SIZE = (120, 36)


def sentence(alignment: align.Alignment, needle: str) -> align.Sentence:
    hits = [s for d in alignment.documents for s in d.sentences if needle in s.clean_text]
    assert len(hits) == 1, f"{needle!r} in {len(hits)} sentences"
    return hits[0]


def linked(alignment: align.Alignment, x: align.Sentence, y: align.Sentence) -> align.AlignedPair | None:
    return next((p for p in alignment.pairs if {p.a, p.b} == {x, y}), None)


def saved(path) -> list[str]:
    return [c["action"] for c in json.loads(path.read_text())["links"]]


async def settle(pilot) -> None:
    """Let the correction worker finish and its message reach the screen."""
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


async def go(pilot, s: align.Sentence) -> None:
    pilot.app.reader.jump_to(s)
    await pilot.pause()
    assert pilot.app.reader.selected is s


async def reject(pilot, x: align.Sentence, y: align.Sentence) -> None:
    """Come to ``y`` from its counterpart ``x`` (so x is the link `x` rejects), then press x."""
    await go(pilot, x)
    await go(pilot, y)
    assert pilot.app.reader.partner() is x
    await pilot.press("x")
    await settle(pilot)


async def test_x_rejects_the_link_at_once_and_saves_it(tmp_path):
    path = tmp_path / "links.json"
    base = synthetic_alignment()
    x, y = sentence(base, "$1 billion immediately"), sentence(base, "US$1.25 billion")
    assert linked(base, x, y) is not None
    app = DealReaderApp(alignment=base, links=path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await reject(pilot, x, y)
        reader = app.reader
        assert linked(reader.alignment, x, y) is None
        assert len(reader.alignment.pairs) == len(base.pairs) - 1
        assert x not in reader.views[0].counterparts  # the pane no longer highlights it
        assert "1 counterpart" in str(reader.query_one(DetailPanel).render())
        assert f"{len(reader.alignment.pairs)} pairs" in str(reader.query_one(StatusLine).render())
        assert saved(path) == ["reject"]
        # It stays rejected at another threshold, both ways.
        await pilot.press("minus")
        await settle(pilot)
        await pilot.press("plus")
        await settle(pilot)
        assert reader.alignment.threshold == base.threshold and linked(reader.alignment, x, y) is None


async def test_a_then_enter_adds_a_user_link_with_its_conflict(tmp_path):
    path = tmp_path / "links.json"
    base = synthetic_alignment()
    start, target = sentence(base, "The tech giant plans"), sentence(base, "Google had put $400 million")
    assert linked(base, start, target) is None and align.find_conflicts(start, target)
    app = DealReaderApp(alignment=base, links=path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        reader = app.reader
        await go(pilot, start)
        await pilot.press("a")
        assert "Linking 1:#3" in str(reader.query_one(StatusLine).render())
        await pilot.press("tab")  # to the next pane; the cursor on a sentence there, then Enter
        await go(pilot, target)
        await pilot.press("enter")
        await settle(pilot)
        pair = linked(reader.alignment, start, target)
        assert pair is not None and pair.origin == "user"
        assert reader.linking is None and "Linking" not in str(reader.query_one(StatusLine).render())
        assert len(reader.alignment.conflicts) == len(base.conflicts) + len(align.find_conflicts(start, target))
        assert reader.views[0].counterparts.get(start) is not None and start in reader.views[0].user_links
        assert reader.views[0]._badge(start) == "user "
        assert "» user " in str(reader.query_one(DetailPanel).render())
        assert saved(path) == ["add"]

        # The reader's export carries it: score "user".
        (tmp_path / "out").mkdir()
        app.push_screen(ExportDialog(reader.alignment, default=str(tmp_path / "out" / "pairs.csv")))
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        rows = (tmp_path / "out" / "pairs.csv").read_text().splitlines()
        assert sum(r.endswith(",user,") or ",user," in r for r in rows) == 1


async def test_escape_cancels_a_link_and_enter_in_the_same_pane_does_not_link(tmp_path):
    base = synthetic_alignment()
    app = DealReaderApp(alignment=base, links=tmp_path / "links.json")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        reader = app.reader
        await go(pilot, sentence(base, "Analysts called"))
        await pilot.press("a")
        await pilot.press("k")  # another sentence of the same article
        await pilot.press("enter")
        assert reader.linking is not None  # still waiting for a sentence of another article
        assert any("two articles" in n.message for n in app._notifications)
        await pilot.press("escape")
        assert reader.linking is None
        assert "Linking" not in str(reader.query_one(StatusLine).render())
        await pilot.press("enter")  # Enter is "go to counterpart" again
        await settle(pilot)
        assert len(reader.alignment.pairs) == len(base.pairs)
        assert not (tmp_path / "links.json").exists()


async def test_shift_u_undoes_the_last_correction(tmp_path):
    path = tmp_path / "links.json"
    base = synthetic_alignment()
    x, y = sentence(base, "$1 billion immediately"), sentence(base, "US$1.25 billion")
    app = DealReaderApp(alignment=base, links=path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        reader = app.reader
        assert not reader.check_action("undo_link", ())  # nothing to undo: not in the Footer
        await reject(pilot, x, y)
        assert linked(reader.alignment, x, y) is None and reader.check_action("undo_link", ())
        await pilot.press("U")
        await settle(pilot)
        assert linked(reader.alignment, x, y) is not None
        assert [(p.a, p.b) for p in reader.alignment.pairs] == [(p.a, p.b) for p in base.pairs]
        assert saved(path) == []
        assert not reader.check_action("undo_link", ())  # nothing left: U is off (and out of the Footer)
        await pilot.press("U")
        await settle(pilot)
        assert [(p.a, p.b) for p in reader.alignment.pairs] == [(p.a, p.b) for p in base.pairs]


async def test_a_new_reader_on_the_same_file_re_applies_them_and_reports_the_stale_one(tmp_path):
    path = tmp_path / "links.json"
    base = synthetic_alignment()
    x, y = sentence(base, "$1 billion immediately"), sentence(base, "US$1.25 billion")
    p, q = sentence(base, "Analysts called"), sentence(base, "Claude is available")
    app = DealReaderApp(alignment=base, links=path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await reject(pilot, x, y)
        await go(pilot, p)
        await pilot.press("a")
        await go(pilot, q)
        await pilot.press("enter")
        await settle(pilot)
    assert saved(path) == ["reject", "add"]
    data = json.loads(path.read_text())
    data["links"].append(
        {
            "action": "reject",
            "a": data["links"][0]["a"],
            "b": {**data["links"][0]["b"], "text": "A sentence the article no longer has."},
        }
    )
    path.write_text(json.dumps(data))

    again = DealReaderApp(alignment=synthetic_alignment(), links=path)  # new documents, new sentence objects
    async with again.run_test(size=SIZE) as pilot:
        await pilot.pause()
        result = again.reader.alignment
        x2, y2 = sentence(result, x.clean_text), sentence(result, y.clean_text)
        p2, q2 = sentence(result, p.clean_text), sentence(result, q.clean_text)
        assert x2 is not x
        assert linked(result, x2, y2) is None
        assert linked(result, p2, q2).origin == "user"
        stale = [n.message for n in again._notifications if "no longer applies" in n.message]
        assert len(stale) == 1 and "A sentence the article no longer" in stale[0]


async def test_an_unwritable_links_file_keeps_the_corrections_for_the_session(tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a directory")
    base = synthetic_alignment()
    x, y = sentence(base, "$1 billion immediately"), sentence(base, "US$1.25 billion")
    app = DealReaderApp(alignment=base, links=blocker / "links.json")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await reject(pilot, x, y)
        assert linked(app.reader.alignment, x, y) is None
        warnings = [n.message for n in app._notifications if "cannot save" in n.message]
        assert len(warnings) == 1 and "kept for this session" in warnings[0]


async def test_the_seeds_reopened_through_the_loading_worker_keep_a_rejected_link(tmp_path):
    path = tmp_path / "links.json"
    app = DealReaderApp(links=path)
    async with app.run_test(size=SIZE) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        reader = app.reader
        first = reader.alignment
        pair = first.pairs[0]  # whichever pair the engine gives first
        await reject(pilot, pair.a, pair.b)
        assert linked(reader.alignment, pair.a, pair.b) is None
    texts = (pair.a.clean_text, pair.b.clean_text)

    again = DealReaderApp(links=path)
    async with again.run_test(size=SIZE) as pilot:
        await again.workers.wait_for_complete()
        await pilot.pause()
        result = again.reader.alignment
        a, b = (
            next(s for s in result.documents[d].sentences if s.clean_text == t)
            for d, t in zip((pair.a.doc, pair.b.doc), texts, strict=True)
        )
        assert linked(result, a, b) is None
        assert len(result.pairs) == len(first.pairs) - 1
        assert not [n for n in again._notifications if "Link corrections" in (n.title or "")]
