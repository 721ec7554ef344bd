"""The annotation session without any UI: every change in SQLite, history, undo, progress."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from annotator.guidelines import load_guidelines
from annotator.session import AnnotationSession, SessionError
from annotator.store.database import open_store
from annotator.store.schemas import use_guidelines
from tests.conftest import RunCli


def open_session(db: Path, name: str = "alice", **kw: object) -> AnnotationSession:
    store = open_store(db)
    g, _ = use_guidelines(store)
    return AnnotationSession(store, g, name, **kw)  # type: ignore[arg-type]


def stored(db: Path, name: str = "alice") -> dict[int, tuple[list[str], dict, int]]:
    conn = sqlite3.connect(db)
    rows = conn.execute(
        "SELECT a.sentence_id, a.labels, a.fields, a.confirmed FROM annotations a "
        "JOIN annotators n ON n.id = a.annotator_id WHERE n.name = ?",
        [name],
    )
    return {r[0]: (json.loads(r[1]), json.loads(r[2]), r[3]) for r in rows}


def test_no_articles_is_a_clear_error(db_path: Path) -> None:
    with pytest.raises(SessionError, match="no articles"):
        open_session(db_path)
    # refused before the name was registered (audit9a F5: `status` then listed a phantom
    # annotator with 0 confirmed)
    conn = sqlite3.connect(db_path)
    assert conn.execute("SELECT count(*) FROM annotators").fetchone() == (0,)
    conn.close()


def test_toggle_confirm_none_and_fields_are_stored_at_once(imported_db: Path) -> None:
    s = open_session(imported_db, article="004_2bd55176b4b53eb1")
    first = s.current.id
    s.toggle("ATTRIBUTED")
    assert stored(imported_db)[first] == (["ATTRIBUTED"], {}, 0)
    s.set_field_key("1")
    s.toggle("QUOTE")
    assert stored(imported_db)[first] == (
        ["ATTRIBUTED", "QUOTE"],
        {"source_type": "named_person"},
        0,
    )
    s.toggle("NONE")  # exclusive: clears the others, and the source type with ATTRIBUTED
    assert stored(imported_db)[first] == (["NONE"], {}, 0)
    s.toggle("HEDGED")  # and any other label clears NONE
    assert stored(imported_db)[first] == (["HEDGED"], {}, 0)
    s.confirm()
    assert stored(imported_db)[first] == (["HEDGED"], {}, 1)
    assert s.current.id == first + 1  # confirm moves on
    s.confirm()  # nothing marked: confirming records NONE explicitly
    assert stored(imported_db)[first + 1] == (["NONE"], {}, 1)
    assert s.confirmed_total == 2


def test_unseen_and_nothing_applies_stay_different(imported_db: Path) -> None:
    s = open_session(imported_db)
    s.confirm()
    conn = sqlite3.connect(imported_db)
    confirmed = conn.execute("SELECT count(*) FROM annotations WHERE confirmed = 1").fetchone()[0]
    assert confirmed == 1  # every other sentence has no row at all: not seen
    # removing the last label of a confirmed sentence is a draft over its answer (audit8
    # F1: it deleted the row, answer and all); the answer stays NONE, never []
    s.move(-1)
    s.toggle("NONE")
    assert stored(imported_db)[s.current.id] == (["NONE"], {}, 1)
    assert s.current_state.labels == () and s.current_state.revised
    assert s.confirmed_total == 1
    s.toggle("NONE")  # set back: no draft, nothing changed
    assert not s.current_state.revised


def test_source_type_needs_its_label(imported_db: Path) -> None:
    s = open_session(imported_db)
    out = s.set_field_key("2")
    assert out.message and "ATTRIBUTED" in out.message
    assert s.current.id not in stored(imported_db)


def test_every_change_is_an_event_with_before_and_after(imported_db: Path) -> None:
    s = open_session(imported_db)
    s.toggle("QUOTE")
    s.comment("speaker unclear")
    s.confirm()
    conn = sqlite3.connect(imported_db)
    rows = conn.execute(
        "SELECT action, before, after, schema_hash, session FROM events ORDER BY id"
    ).fetchall()
    assert [r[0] for r in rows] == ["toggle QUOTE", "comment", "confirm"]
    assert json.loads(rows[0][1]) == {"labels": []}
    assert json.loads(rows[0][2]) == {"labels": ["QUOTE"]}
    assert json.loads(rows[1][2]) == {"comment": "speaker unclear"}
    assert json.loads(rows[2][2]) == {"confirmed": True}
    assert {r[3] for r in rows} == {s.schema.hash}
    assert {r[4] for r in rows} == {s.session_id}


def test_undo_survives_a_restart(imported_db: Path) -> None:
    s = open_session(imported_db)
    sid = s.current.id
    s.toggle("ATTRIBUTED")
    s.set_field_key("1")  # ATTRIBUTED is confirmed only with its source type
    s.toggle("QUOTE")
    s.confirm()
    s.store.close()
    s2 = open_session(imported_db)
    out = s2.undo()
    assert out.message == "undone: confirm"
    assert s2.current.id == sid  # the cursor goes to what was undone
    named = {"source_type": "named_person"}
    assert stored(imported_db)[sid] == (["ATTRIBUTED", "QUOTE"], named, 0)
    s2.undo()
    assert stored(imported_db)[sid] == (["ATTRIBUTED"], named, 0)
    s2.undo()
    assert stored(imported_db)[sid] == (["ATTRIBUTED"], {}, 0)
    s2.undo()
    assert sid not in stored(imported_db)
    assert s2.undo().message == "nothing to undo"
    conn = sqlite3.connect(imported_db)
    undos = conn.execute("SELECT count(*) FROM events WHERE undoes IS NOT NULL").fetchone()[0]
    assert undos == 4  # history is kept: undo appends, it never deletes


def test_undo_reverses_article_fields(imported_db: Path) -> None:
    s = open_session(imported_db)
    s.set_article_field("genre", "opinion")
    s.set_article_field("credibility", 2)
    assert s.article_fields == {"genre": "opinion", "credibility": 2}
    s.undo()
    assert s.article_fields == {"genre": "opinion"}
    out = s.set_article_field("credibility", 9)
    assert out.message and "not one of its values" in out.message


def test_blind_by_default_others_on_request(imported_db: Path) -> None:
    a = open_session(imported_db, "alice")
    a.toggle("EDITORIAL")
    a.confirm()
    b = open_session(imported_db, "bob")
    assert b.current_state.labels == ()
    assert b.others == {}
    b2 = open_session(imported_db, "bob", show_others=True, article=str(a.article.id))
    assert b2.others[a.sentences[0].id][0][0] == "alice"


def test_resume_where_they_were_and_next_unconfirmed(imported_db: Path) -> None:
    s = open_session(imported_db)
    assert s.current.id == s.first_id  # a new annotator starts at the beginning
    for _ in range(3):
        s.confirm()
    s.move(5)
    where = s.current.id
    s.store.close()
    s = open_session(imported_db)
    assert s.current.id == where
    s.move(-10)  # back to the first sentence
    s.next_unconfirmed()
    assert s.current.id == s.first_id + 3


def test_reopening_an_article_by_name_goes_back_to_where_they_were_in_it(
    imported_db: Path,
) -> None:
    """`annotate --article X` opened X at its first unconfirmed sentence even when the
    annotator quit in the middle of it: her cursor on the title she was labelling, the
    screen on the byline above. Now where she was, when that is in X."""
    long = "004_2bd55176b4b53eb1"
    s = open_session(imported_db, article=long)
    first = s.index
    s.move(6)
    s.toggle("HEDGED")  # labelled, not confirmed: the sentences before stay unconfirmed
    where = s.current.id
    s.store.close()
    s = open_session(imported_db, article=long)
    assert s.current.id == where and s.index == first + 6
    s.store.close()
    # another article by name: its first unconfirmed sentence, as before
    s = open_session(imported_db, article="000_60cc46f11ca30d04")
    assert s.index == 0
    s.store.close()


def test_a_note_is_stored_without_control_characters(imported_db: Path) -> None:
    """audit15d F1: a note pasted in the browser kept a raw ESC (and the rest of an OSC 52
    clipboard write), which every export and `review` then printed; the article's comment
    too. Dropped where they are; line breaks and tabs kept."""
    s = open_session(imported_db)
    pasted = "START \x1b[2J end \x1b]52;c;SGFja2Vk\x07 \u202eevil\u202c \x9b TAIL"
    assert s.comment(pasted).saved
    (comment,) = [c for c in _comments(imported_db) if c]
    assert comment == "START [2J end ]52;c;SGFja2Vk evil  TAIL", repr(comment)
    assert s.set_article_comment("one\r\ntwo\tthree\x1b\x00").saved
    assert s.article_comment == "one\ntwo\tthree"
    s.store.close()


def _comments(db: Path) -> list[str | None]:
    conn = sqlite3.connect(db)
    try:
        return [r[0] for r in conn.execute("SELECT comment FROM annotations")]
    finally:
        conn.close()


def test_next_unconfirmed_crosses_articles_and_wraps(imported_db: Path) -> None:
    s = open_session(imported_db, article="000_60cc46f11ca30d04")
    outs = [s.confirm() for _ in range(len(s.sentences))]
    # the first article is done: confirm stays on it and asks for its article form
    assert s.article.external_id == "000_60cc46f11ca30d04"
    assert outs[-1].message and "its article form needs 7 of 7 fields: press A" in outs[-1].message
    s.next_unconfirmed()  # g: the next article's first sentence
    assert s.article.external_id == "004_2bd55176b4b53eb1"
    s.open_article(s.article.id)
    s.next_unconfirmed()
    assert s.article.external_id == "004_2bd55176b4b53eb1"


def test_article_navigation(imported_db: Path) -> None:
    s = open_session(imported_db, article="000_60cc46f11ca30d04")
    assert s.change_article(-1).message == "this is the first article"
    s.change_article(1)
    assert s.article.external_id == "004_2bd55176b4b53eb1"
    assert s.article_rank == 2 and s.article_total == 2
    with pytest.raises(SessionError):
        open_session(imported_db, article="no-such-article")


def test_label_counts_base_plus_changes(imported_db: Path) -> None:
    s = open_session(imported_db)
    s.toggle("QUOTE")
    s.confirm()
    s.read_label_counts()
    assert s.label_counts == {"QUOTE": 1}
    s.toggle("QUOTE")  # on the second sentence now
    s.toggle("HEDGED")
    s.confirm()
    s.undo()  # the confirm of the second sentence
    assert s.label_counts == {"QUOTE": 1}
    s.confirm()
    s.move(-2)
    s.toggle("NONE")  # a confirmed sentence relabelled: QUOTE out, NONE in
    assert s.label_counts == {"QUOTE": 1, "HEDGED": 1, "NONE": 1}
    fresh = open_session(imported_db)
    fresh.read_label_counts()
    assert fresh.label_counts == s.label_counts


def test_outlet_fields_once_per_outlet_with_who(tmp_path: Path, run_cli) -> None:
    src = tmp_path / "a.jsonl"
    src.write_text(json.dumps({"id": "x", "outlet": "Example Times", "text": "One. Two."}) + "\n")
    assert run_cli("import", str(src)).exit_code == 0
    db = tmp_path / "test.sqlite"
    s = open_session(db, "alice")
    s.set_outlet_field("corrections_policy", "yes")
    s2 = open_session(db, "bob")
    s2.set_outlet_field("political_leaning", "centre-left (AllSides)")
    fields = s2.outlet_fields()
    assert fields["corrections_policy"][:2] == ("yes", "alice")
    assert fields["political_leaning"][:2] == ("centre-left (AllSides)", "bob")


def test_guidelines_load_from_default() -> None:
    assert load_guidelines().schema.info.empty_label == "NONE"


def test_reopening_after_b_alone_resumes_in_that_article(imported_db: Path, run_cli) -> None:
    """audit7 F19: open an article by name, B (its furniture accepted and confirmed), quit;
    reopened without --article, the screen started at the first article, not where all of
    the work was (after a label key or a move it did resume there)."""
    from annotator.suggesting import accept_boilerplate

    assert run_cli("project", "set", "suggestions", "on").exit_code == 0
    s = open_session(imported_db, "zed", article="004_2bd55176b4b53eb1")
    assert s.article_rank == 2
    assert accept_boilerplate(s).saved
    s.store.close()
    again = open_session(imported_db, "zed")
    assert again.article.external_id == "004_2bd55176b4b53eb1"


def test_someone_taken_off_a_closed_team_writes_nothing_more(
    imported_db: Path, run_cli: RunCli
) -> None:
    """audit9a F17: bob, taken off a closed team while his screen was open, went on writing
    (and a confirm of his withdrew unanimous gold); a new session was refused."""
    for who in ("alice", "bob"):
        assert run_cli("team", "add", who).exit_code == 0
    assert run_cli("project", "set", "team", "closed").exit_code == 0
    s = open_session(imported_db, "bob")
    assert s.toggle("HEDGED").saved
    assert run_cli("team", "remove", "bob").exit_code == 0
    s.sync()  # the screen looks at the database before each key
    before = stored(imported_db, "bob")
    for out in (
        s.toggle("QUOTE"),
        s.confirm(),
        s.undo(),
        s.set_article_field("genre", "news_report"),
    ):
        assert out.message and out.message.startswith("you are no longer on the team"), out
    assert stored(imported_db, "bob") == before
    assert run_cli("team", "add", "bob").exit_code == 0
    s.sync()
    assert s.toggle("QUOTE").saved


def test_undo_says_when_it_takes_back_a_change_made_in_another_window(imported_db: Path) -> None:
    """audit14 F5: alice in two windows; `z` in one took back the other's latest change, in
    another article, and read as this window's own."""
    earlier = open_session(imported_db)
    earlier.toggle("QUOTE")  # a change from before both windows opened
    one = open_session(imported_db, article="000_60cc46f11ca30d04")
    two = open_session(imported_db, article="004_2bd55176b4b53eb1")
    one.toggle("HEDGED")
    out = two.undo()
    assert out.message is not None and out.message.startswith("undone: toggle HEDGED"), out
    assert "in your other window" in out.message, out.message
    # its own changes, and those from before it opened, read as they always did
    two.toggle("LOADED")
    assert two.undo().message == "undone: toggle LOADED"
    assert two.undo().message == "undone: toggle QUOTE"
