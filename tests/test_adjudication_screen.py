"""The adjudication screen driven by keys (Pilot) against the real database: article-field
decisions and their undo, the queue refreshing while annotators work on another connection,
source-type disputes, the 80x24 layout, decisions applied to the gold as stored."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from annotator.adjudication import AdjudicationSession
from annotator.session import AnnotationSession
from annotator.store.database import StoreError, open_store
from annotator.store.schemas import use_guidelines
from annotator.tui.adjudicate_app import create_adjudicate_app
from annotator.tui.screens.adjudicate import render_decision
from tests.conftest import RunCli
from tests.test_adjudication import SIZE, gold_rows, session
from tests.test_adjudication import two_annotators as two_annotators  # the fixture
from tests.test_export import RAW
from tests.test_tui_status import assert_footer_keeps_every_key, screen_lines


def field_gold(db: Path) -> dict[tuple[int, str], dict[str, object]]:
    conn = sqlite3.connect(db)
    try:
        return {
            (aid, field): {
                "value": json.loads(value),
                "method": method,
                "adjudicator": who,
                "agrees_with": json.loads(agrees),
                "note": note,
            }
            for aid, field, value, method, who, agrees, note in conn.execute(
                "SELECT g.article_id, g.field, g.value, g.method, n.name, g.agrees_with, g.note "
                "FROM gold_article_fields g LEFT JOIN annotators n ON n.id = g.adjudicator_id"
            )
        }
    finally:
        conn.close()


def decide_sentences(s: AdjudicationSession) -> None:
    """Settle every sentence item (the first version), so the queue opens on the fields."""
    for i, it in enumerate(s.items):
        if it.kind == "sentence":
            s.index = i
            s.pick(1)


def screen_text(app: object, selector: str) -> str:
    return str(app.screen.query_one(selector).render())  # type: ignore[attr-defined]


async def test_article_field_pick_note_and_undo_through_the_screen(two_annotators: Path) -> None:
    s = session(two_annotators)
    decide_sentences(s)
    s.store.close()
    s = session(two_annotators)  # reopened: the first undecided item is the article field
    item = s.current
    assert item is not None and item.kind == "article_field" and item.field == "genre"
    key = (item.article_id, "genre")
    (_first, v1), (_second, v2) = item.values
    assert v1 != v2 and key not in field_gold(two_annotators)
    app = create_adjudicate_app(s)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("enter")  # no gold yet: refused, nothing written
        assert key not in field_gold(two_annotators) and s.current is item
        # a note before the value is kept and saved with it (audit9a F16)
        await pilot.press("c", *"too early", "enter")
        assert key not in field_gold(two_annotators)
        await pilot.press("q")  # a label key on a field item changes nothing
        assert key not in field_gold(two_annotators)
        await pilot.press("1")
        assert field_gold(two_annotators)[key] == {
            "value": v1,
            "method": "adjudicated",
            "adjudicator": "dana",
            "agrees_with": ["alice"],
            "note": "too early",
        }
        await pilot.press("2")  # the other version replaces it
        await pilot.press("c", *"the body is news", "enter")
        row = field_gold(two_annotators)[key]
        assert row["value"] == v2 and row["agrees_with"] == ["bob"]
        assert row["note"] == "the body is news"
        spec = s.schema.article_field("genre")
        shown = screen_text(app, "#adjudicate-decision")
        choice = spec.choice(v2)
        assert (choice.title if choice else str(v2)) in shown and "the body is news" in shown
        assert "1 decided" not in screen_text(app, "#adjudicate-progress")
        await pilot.press("z")  # the new note goes: the one kept with the first pick is back
        assert field_gold(two_annotators)[key]["note"] == "too early"
        assert field_gold(two_annotators)[key]["value"] == v2
        await pilot.press("z")  # back to the first pick
        assert field_gold(two_annotators)[key]["value"] == v1
        await pilot.press("z")  # no gold at all
        assert key not in field_gold(two_annotators)
        await pilot.pause()
        assert "not decided" in screen_text(app, "#adjudicate-decision")
        assert s.decided == len(s.items) - 1  # the counter followed every step
    events = (
        sqlite3.connect(two_annotators)
        .execute(
            "SELECT action, undoes IS NOT NULL FROM events WHERE kind = 'gold_article_field' "
            "AND session = ? ORDER BY id",
            [s.session_id],
        )
        .fetchall()
    )
    assert [e[1] for e in events] == [0, 0, 0, 1, 1, 1]


def carol_confirms(db: Path, sentence_id: int, label: str) -> None:
    """Another annotator, on another connection, through the annotation session."""
    store = open_store(db)
    try:
        g, _ = use_guidelines(store)
        a = AnnotationSession(store, g, "carol")
        article = store.scalar("SELECT article_id FROM sentences WHERE id = ?", [sentence_id])
        a.open_article(int(str(article)))
        first = int(
            str(store.scalar("SELECT min(id) FROM sentences WHERE article_id = ?", [article]))
        )
        a.move_to(sentence_id - first)
        assert a.toggle(label).saved
        assert a.confirm().saved
    finally:
        store.close()


async def test_new_disputes_appear_on_r_and_by_the_timer(two_annotators: Path) -> None:
    s = session(two_annotators)
    decide_sentences(s)
    for i in range(len(s.items)):  # and the article fields
        s.index = i
        s.pick(1)
    unanimous = sorted(
        sid for sid, row in gold_rows(two_annotators).items() if row["method"] == "unanimous"
    )
    first, second = unanimous[0], unanimous[1]
    app = create_adjudicate_app(s, refresh_seconds=0.2)
    async with app.run_test(size=SIZE) as pilot:
        assert s.decided == len(s.items)
        await pilot.press("enter")  # every item has gold
        count = len(s.items)
        carol_confirms(two_annotators, first, "EDITORIAL")
        await pilot.press("r")
        assert len(s.items) == count + 1
        assert any(it.sentence_id == first for it in s.items)
        assert first not in gold_rows(two_annotators)  # no longer unanimous: withdrawn
        await pilot.press("enter")  # on to the new, undecided item
        assert s.current is not None and s.current.sentence_id == first
        assert "EDITORIAL" in screen_text(app, "#adjudicate-decision")
        assert f"/{count + 1}" in screen_text(app, "#adjudicate-progress")
        # nothing pressed: the timer finds the next one
        carol_confirms(two_annotators, second, "EDITORIAL")
        for _ in range(40):
            await pilot.pause(0.1)
            if len(s.items) == count + 2:
                break
        assert len(s.items) == count + 2
        assert f"/{count + 2}" in screen_text(app, "#adjudicate-progress")
        assert s.current is not None and s.current.sentence_id == first  # not moved
    # the counter kept by the refreshes equals the database
    conn = sqlite3.connect(two_annotators)
    decided = {r[0] for r in conn.execute("SELECT sentence_id FROM gold_annotations")}
    assert s.decided == sum(
        1
        for it in s.items
        if (it.sentence_id in decided if it.kind == "sentence" else it.gold_field is not None)
    )


def labels_file(tmp_path: Path, rows: list[tuple[str, list[str], dict[str, str]]]) -> Path:
    base = json.loads(RAW.read_text().splitlines()[0])
    f = tmp_path / "labels.jsonl"
    f.write_text(
        "".join(
            json.dumps({**base, "annotator": who, "labels": labels, "fields": fields}) + "\n"
            for who, labels, fields in rows
        )
    )
    return f


async def test_source_type_disputes_are_named(
    two_annotators: Path, run_cli: RunCli, tmp_path: Path
) -> None:
    f = labels_file(
        tmp_path,
        [
            ("carol", ["ATTRIBUTED"], {"source_type": "named_person"}),
            ("erin", ["ATTRIBUTED"], {"source_type": "vague"}),
        ],
    )
    assert "imported 2" in run_cli("import-labels", str(f)).output
    s = session(two_annotators, annotators=["carol", "erin"])
    assert len(s.items) == 1
    item = s.items[0]
    assert item.disputed == ("source_type",)
    app = create_adjudicate_app(s)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert "disputed: source_type" in screen_text(app, "#adjudicate-decision")
        await pilot.press("2")
    assert item.sentence_id is not None
    assert gold_rows(two_annotators)[item.sentence_id]["fields"] == {"source_type": "vague"}


def test_decisions_apply_to_the_gold_as_stored(two_annotators: Path) -> None:
    """Two adjudicators on one item: a toggle edits the gold the other one decided, not
    the (stale) gold this session last read."""
    a = session(two_annotators, "dana")
    b = session(two_annotators, "erin")
    item = a.current
    assert item is not None and b.current is not None
    assert b.current.sentence_id == item.sentence_id and a.gold() is None
    assert item.sentence_id is not None
    b.pick(1)
    extra = next(
        n
        for n in a.schema.label_names
        if n not in item.versions[0].labels and not a.schema.label(n).exclusive
    )
    assert a.toggle(extra).saved
    row = gold_rows(two_annotators)[item.sentence_id]
    assert set(row["labels"]) == {*item.versions[0].labels, extra}
    gold = a.gold()
    assert gold is not None and set(gold.labels) == set(row["labels"])
    # a note before any gold writes nothing: it waits for the decision (audit9a F16)
    c = session(two_annotators, "fred")
    c.index = next(i for i, it in enumerate(c.items) if it.kind == "sentence" and not it.decided)
    before = gold_rows(two_annotators)
    assert (c.note("why").message or "").startswith("note kept")
    assert gold_rows(two_annotators) == before


async def test_versions_and_gold_in_view_at_80x24(two_annotators: Path) -> None:
    s = session(two_annotators)
    # the longest context: the item whose three sentences are longest
    s.index = max(
        range(len(s.items)),
        key=lambda i: sum(len(x.text) for x in s.context(s.items[i]) if x is not None),
    )
    item = s.current
    assert item is not None
    app = create_adjudicate_app(s)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("1")
        await pilot.pause()
        decision = app.screen.query_one("#adjudicate-decision")
        footer_top = app.screen.query_one("Footer").region.y
        region = decision.region
        lines = render_decision(s, item).split("\n")
        assert region.y >= 2 and region.bottom <= footer_top
        assert region.height >= len(lines)  # nothing of it is cut
        assert region.width >= 60  # the side panel gave its room
        shown = screen_text(app, "#adjudicate-decision")
        assert "Gold" in shown and all(v.annotator in shown for v in item.versions)
        _, sentence, _ = s.context(item)
        assert sentence is not None
        assert f"#{sentence.position + 1} " in screen_text(app, "#adjudicate-body")


def test_refresh_gives_way_to_a_busy_database_and_catches_up(two_annotators: Path) -> None:
    s = session(two_annotators)
    sid = min(sid for sid, row in gold_rows(two_annotators).items() if row["method"] == "unanimous")
    count = len(s.items)
    carol_confirms(two_annotators, sid, "EDITORIAL")
    lock = sqlite3.connect(two_annotators, isolation_level=None)
    lock.execute("BEGIN IMMEDIATE")  # a long import, say
    try:
        with pytest.raises(StoreError):
            s.refresh()
        assert len(s.items) == count and not s.store.conn.in_transaction
    finally:
        lock.execute("ROLLBACK")
        lock.close()
    out = s.refresh()  # the change was not forgotten
    assert out is not None and len(s.items) == count + 1
    assert sid not in gold_rows(two_annotators)
    assert s.refresh() is None  # nothing new since


def test_refresh_takes_in_article_fields(two_annotators: Path) -> None:
    """An annotator's article field joins the queue (a new dispute), then leaves it when
    they change it to agree: only that field is computed again."""
    s = session(two_annotators)
    unanimous = {
        key for key, row in field_gold(two_annotators).items() if row["method"] == "unanimous"
    }
    (article, field) = sorted(unanimous)[0]
    agreed = field_gold(two_annotators)[(article, field)]["value"]
    spec = s.schema.article_field(field)
    other = next(c.value for c in spec.values if c.value != agreed)
    store = open_store(two_annotators)
    try:
        g, _ = use_guidelines(store)
        carol = AnnotationSession(store, g, "carol")
        carol.open_article(article)
        assert carol.set_article_field(field, other).saved
        out = s.refresh()
        assert out is not None and "1 new item" in (out.message or "")
        item = next(it for it in s.items if it.field == field and it.article_id == article)
        assert dict(item.values)["carol"] == other and item.gold_field is None
        assert (article, field) not in field_gold(two_annotators)  # unanimity withdrawn
        assert carol.set_article_field(field, agreed).saved  # carol agrees after all
        out = s.refresh()
        assert out is not None and "1 settled elsewhere" in (out.message or "")
        assert not any(it.field == field and it.article_id == article for it in s.items)
        assert field_gold(two_annotators)[(article, field)]["method"] == "unanimous"
    finally:
        store.close()


async def test_r_on_a_busy_database_says_so_and_saves_nothing(two_annotators: Path) -> None:
    s = session(two_annotators)
    sid = min(sid for sid, row in gold_rows(two_annotators).items() if row["method"] == "unanimous")
    count = len(s.items)
    carol_confirms(two_annotators, sid, "EDITORIAL")
    app = create_adjudicate_app(s, refresh_seconds=3600)  # only r refreshes here
    async with app.run_test(size=SIZE) as pilot:
        lock = sqlite3.connect(two_annotators, isolation_level=None)
        lock.execute("BEGIN IMMEDIATE")
        try:
            await pilot.press("r")
            shown = [str(n.message) for n in app._notifications]
            assert any("another process is writing" in m for m in shown), shown
            assert not any("NOT SAVED" in m for m in shown)
            assert len(s.items) == count
        finally:
            lock.execute("ROLLBACK")
            lock.close()
        await pilot.press("r")
        assert len(s.items) == count + 1
        assert f"/{count + 1}" in screen_text(app, "#adjudicate-progress")


async def test_at_80_columns_the_footer_keeps_every_key(two_annotators: Path) -> None:
    """audit9a F4: at 80x24 the footer ended "z ▏^p palette": no Undo, ?, r, ^q."""
    s = session(two_annotators)
    app = create_adjudicate_app(s)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert_footer_keeps_every_key(app, 80)
        last = screen_lines(app)[-1]
        assert "z Undo" in last and "?" in last and "r Refresh" in last
    s.store.close()


def test_a_timer_refresh_never_waits_for_the_lock(two_annotators: Path) -> None:
    """gold_queue.without_waiting set `busy_timeout = 0`, and the store's BEGIN IMMEDIATE set
    its own 5 s back before trying: the timer's refresh waited out three attempts (15 s)
    whenever another process wrote. Inside it, no statement may wait: every busy_timeout
    this connection runs is 0, and the write gives up (DatabaseBusy)."""
    from annotator.models.errors import DatabaseBusy
    from annotator.store.gold_queue import without_waiting

    store = open_store(two_annotators)
    other = sqlite3.connect(two_annotators, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")  # another process writing
    ran: list[str] = []
    store.conn.set_trace_callback(ran.append)
    try:
        with without_waiting(store), pytest.raises(DatabaseBusy), store.write() as conn:
            conn.execute("SELECT 1")
    finally:
        store.conn.set_trace_callback(None)
        other.execute("ROLLBACK")
        other.close()
    waits = [s for s in ran if s.startswith("PRAGMA busy_timeout")]
    assert waits and all(s.endswith("= 0") for s in waits[:-1]), waits
    assert waits[-1] != "PRAGMA busy_timeout = 0"  # and the patience is put back after
    store.close()
