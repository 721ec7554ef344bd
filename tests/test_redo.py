"""Redo (audit7 F18): an extra `z`, which after a restart reaches into earlier sessions,
took back a comment or a confirmation for good. `Z` (or ctrl+y) puts back what the last
undo took back, step by step, until the annotator changes something else; the stack is
read from the events, so it survives a restart as undo does."""

import sqlite3
from pathlib import Path

from annotator.store import fields
from annotator.store.database import open_store
from annotator.store.events import plain_action
from annotator.store.schemas import use_guidelines
from annotator.suggesting import accept_boilerplate
from annotator.tui.widgets.article_view import ArticleView
from annotator.tui.widgets.messages import MessageLog
from tests.conftest import RunCli
from tests.test_session import open_session, stored
from tests.test_tui_annotate import LONG, SIZE, annotations, make_app


def comment_of(db: Path, sid: int) -> str | None:
    conn = sqlite3.connect(db)
    try:
        row = conn.execute("SELECT comment FROM annotations WHERE sentence_id = ?", [sid])
        found = row.fetchone()
        return None if found is None else found[0]
    finally:
        conn.close()


def test_redo_puts_back_each_undone_step_in_order_and_then_has_nothing(
    imported_db: Path,
) -> None:
    s = open_session(imported_db)
    sid = s.current.id
    s.toggle("HEDGED")
    s.comment("the source is vague about dates")
    s.confirm()
    for _ in range(3):
        s.undo()
    assert sid not in stored(imported_db)
    assert s.redo().message == "redone: toggle HEDGED"
    assert stored(imported_db)[sid] == (["HEDGED"], {}, 0)
    assert s.redo().message == "redone: comment"
    assert comment_of(imported_db, sid) == "the source is vague about dates"
    assert s.redo().message == "redone: confirm"
    assert stored(imported_db)[sid] == (["HEDGED"], {}, 1)
    assert s.redo().message == "nothing to redo"


def test_undo_after_redo_and_redo_again_walk_the_same_steps(imported_db: Path) -> None:
    s = open_session(imported_db)
    sid = s.current.id
    s.toggle("QUOTE")
    s.toggle("LOADED")
    s.undo()  # LOADED off
    s.undo()  # QUOTE off
    s.redo()  # QUOTE on
    assert stored(imported_db)[sid][0] == ["QUOTE"]
    assert s.undo().message == "undone: toggle QUOTE"  # the redo is a change like any other
    assert sid not in stored(imported_db)
    assert s.redo().message == "redone: toggle QUOTE"
    assert s.redo().message == "redone: toggle LOADED"
    assert stored(imported_db)[sid][0] == ["QUOTE", "LOADED"]
    assert s.redo().message == "nothing to redo"
    # and the undo stack is whole: two undos take both back, a third reaches nothing
    s.undo()
    s.undo()
    assert sid not in stored(imported_db)
    assert s.undo().message == "nothing to undo"


def test_a_new_change_ends_what_can_be_redone(imported_db: Path) -> None:
    s = open_session(imported_db)
    sid = s.current.id
    s.toggle("HEDGED")
    s.undo()
    s.toggle("EDITORIAL")
    assert s.redo().message == "nothing to redo"
    assert stored(imported_db)[sid][0] == ["EDITORIAL"]


def test_redo_survives_a_restart_and_puts_back_article_fields(imported_db: Path) -> None:
    s = open_session(imported_db)
    s.set_article_field("genre", "opinion")
    s.comment("see the correction at the end")
    s.undo()
    s.undo()
    assert s.article_fields == {}
    s.store.close()
    s2 = open_session(imported_db)
    assert s2.redo().message == "redone: set genre"
    assert s2.article_fields == {"genre": "opinion"}
    assert s2.redo().message == "redone: comment"
    assert comment_of(imported_db, s2.current.id) == "see the correction at the end"


def test_redo_records_an_event_even_when_the_value_is_back_already(imported_db: Path) -> None:
    """Another session set the same value meanwhile: the redo is still recorded (else the
    next redo would find the same undo again, for ever)."""
    s = open_session(imported_db)
    s.set_article_field("genre", "opinion")
    s.set_article_field("genre", "news")
    s.undo()  # back to opinion
    s.undo()  # back to nothing
    with open_store(imported_db) as other:
        g, _ = use_guidelines(other)
        fields.set_article_field(
            other,
            annotator_id=s.annotator_id,
            article_id=s.article.id,
            field="genre",
            value="opinion",
            schema_hash=g.schema.hash,
        )
    # that was a change of alice's (from another window): it ends the redo run
    assert s.redo().message == "nothing to redo"


def test_plain_action_strips_what_undo_and_redo_added() -> None:
    assert plain_action("undo: redo: undo: toggle HEDGED") == "toggle HEDGED"
    assert plain_action("toggle HEDGED") == "toggle HEDGED"


def test_one_redo_puts_back_a_whole_boilerplate_acceptance(
    imported_db: Path, run_cli: RunCli
) -> None:
    assert run_cli("project", "set", "suggestions", "on").exit_code == 0
    s = open_session(imported_db, article=LONG)
    assert accept_boilerplate(s).saved
    accepted = sorted(stored(imported_db).items())
    n = len(accepted)
    assert n > 5
    out = s.undo()
    # audit7 F19: it said "(1 of 26)", read as one of the 26 undone
    assert out.message == f"undone: accept BOILERPLATE, confirm ({n} sentences)"
    assert stored(imported_db) == {}
    out = s.redo()
    assert out.message == f"redone: accept BOILERPLATE, confirm ({n} sentences)"
    assert sorted(stored(imported_db).items()) == accepted
    # the labels put back are still the suggestion's, as exports say where labels came from
    conn = sqlite3.connect(imported_db)
    origins = {
        r[0] for r in conn.execute("SELECT origin FROM events WHERE action LIKE 'redo: accept%'")
    }
    conn.close()
    assert len(origins) == 1 and next(iter(origins)).startswith("suggestion:")


async def test_shift_z_and_ctrl_y_redo_on_the_screen(imported_db: Path) -> None:
    app = make_app(imported_db, article=LONG)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("h", "q")
        await pilot.press("z", "z")
        assert annotations(imported_db) == []
        await pilot.press("Z")
        assert annotations(imported_db) == [(0, ["HEDGED"], {}, 0, None)]
        await pilot.press("ctrl+y")
        assert annotations(imported_db) == [(0, ["QUOTE", "HEDGED"], {}, 0, None)]
        await pilot.press("Z")
        await pilot.pause()
        log = app.screen.query_one(MessageLog)  # SIZE is wide: messages go to the side panel
        said = [line.split(" ", 1)[-1] for line in str(log.render()).splitlines()]
        # newest first
        assert said[1:4] == ["nothing to redo", "redone: toggle QUOTE", "redone: toggle HEDGED"]


async def test_a_label_keyed_z_keeps_its_key_and_ctrl_y_redoes(
    imported_db: Path, run_cli: RunCli, tmp_path: Path
) -> None:
    """audit8 F2: reserving `Z` for redo made every command refuse a project whose stored
    guidelines gave Z to a label ("key 'Z' is the annotation screen's key for 'redo'")."""
    import shutil

    from annotator.session import AnnotationSession
    from annotator.tui.app import create_app
    from tests.conftest import ROOT

    folder = shutil.copytree(ROOT / "guidelines", tmp_path / "gz")
    toml = folder / "labels.toml"
    text = toml.read_text(encoding="utf-8")
    toml.write_text(text.replace('name = "LOADED"\nkey = "l"', 'name = "LOADED"\nkey = "Z"'))
    assert run_cli("--guidelines", str(folder), "guidelines").exit_code == 0
    r = run_cli("status", "--no-articles")  # the stored schema, without --guidelines
    assert r.exit_code == 0, r.output
    store = open_store(imported_db)
    g, _ = use_guidelines(store)
    assert g.schema.label("LOADED").key == "Z"
    app = create_app(AnnotationSession(store, g, "alice", article=LONG))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("Z")  # LOADED, not redo
        assert annotations(imported_db) == [(0, ["LOADED"], {}, 0, None)]
        await pilot.press("z", "ctrl+y")
        assert annotations(imported_db) == [(0, ["LOADED"], {}, 0, None)]


def test_undo_does_not_take_back_what_import_labels_brought(
    run_cli: RunCli, db_path: Path, tmp_path: Path
) -> None:
    """audit9a F14: `z` in a fresh session undid work that came by import-labels (a whole
    article form, then confirmed sentences), one key at a time."""
    import json

    from tests.conftest import write
    from tests.test_label_import_older import ARTICLES
    from tests.test_session import open_session

    assert run_cli("import", str(write(tmp_path / "a.jsonl", ARTICLES))).exit_code == 0
    rec = {"article_id": "s1", "annotator": "alice", "labels": ["HEDGED"]}
    lines = "".join(json.dumps({**rec, "position": p}) + "\n" for p in (0, 1))
    assert run_cli("import-labels", str(write(tmp_path / "l.jsonl", lines))).exit_code == 0
    s = open_session(db_path, article="s1")
    out = s.undo()
    assert out.message == "nothing to undo"
    assert [st.labels for st in (s.state_of(x.id) for x in s.sentences[:2])] == [("HEDGED",)] * 2
    # her own key after the import is hers to take back, and the stack ends at the import
    s.move_to(2)
    s.toggle("QUOTE")
    assert s.undo().message and s.state_of(s.sentences[2].id).labels == ()
    assert s.undo().message == "nothing to undo"


async def test_undo_and_redo_of_a_batch_keep_the_cursor_and_redraw_every_row(
    imported_db: Path, run_cli: RunCli
) -> None:
    """audit9a F13(c): after `B` then `z` the cursor went to the batch's first sentence, and
    `Z` to its last (86/86), wherever the annotator was reading; and the batch's rows away
    from the cursor were still drawn confirmed after the undo."""
    assert run_cli("project", "set", "suggestions", "on").exit_code == 0
    app = make_app(imported_db, article=LONG)
    async with app.run_test(size=SIZE) as pilot:
        view = app.screen.query_one(ArticleView)
        s = app.screen.session  # type: ignore[attr-defined]
        await pilot.press("j", "j", "B")
        accepted = {i for i, row in enumerate(view.rows) if row.state.confirmed}
        assert len(accepted) > 5 and 2 not in accepted and max(accepted) > 2
        await pilot.press("z")
        await pilot.pause()
        assert (s.index, view.cursor) == (2, 2)
        assert [i for i, row in enumerate(view.rows) if row.state.confirmed] == []
        await pilot.press("Z")
        await pilot.pause()
        assert (s.index, view.cursor) == (2, 2)
        assert {i for i, row in enumerate(view.rows) if row.state.confirmed} == accepted
    # and where it reopens: the cursor stored is where the annotator was
    again = make_app(imported_db)
    async with again.run_test(size=SIZE):
        assert again.screen.session.index == 2  # type: ignore[attr-defined]


def test_a_batch_undone_from_another_article_shows_its_start(
    imported_db: Path, run_cli: RunCli
) -> None:
    assert run_cli("project", "set", "suggestions", "on").exit_code == 0
    s = open_session(imported_db, article=LONG)
    s.move(3)
    assert accept_boilerplate(s).saved
    first = min(stored(imported_db))
    s.change_article(-1)
    assert s.article.external_id != LONG
    out = s.undo()
    assert out.moved_article and s.article.external_id == LONG
    assert s.current.id == first
    s.change_article(-1)
    out = s.redo()
    assert out.moved_article and s.article.external_id == LONG and s.current.id == first
