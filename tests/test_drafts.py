"""A confirmed sentence changed later is a draft until confirmed again (audit7 F17).

One stray `q` on a confirmed sentence, which the screen marks "changed after confirmation
... until you confirm it again", was exported as the annotator's answer under the old
confirmation time, changed agreement, and drove unanimous gold and the adjudication
queue. Now the answer downstream is the confirmed one until Enter; the draft is the
annotator's alone (their screen, their legend counts), and `status` counts drafts."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from annotator.session import AnnotationSession
from annotator.store import annotations as ann
from tests.conftest import RunCli
from tests.test_session import open_session
from tests.test_tui_annotate import SHORT, SIZE, make_app


def exported(run_cli: RunCli, view: str = "raw") -> list[dict[str, Any]]:
    result = run_cli("export", "--format", "jsonl", "--view", view, "-o", "-")
    assert result.exit_code == 0, result.output
    return [json.loads(line) for line in result.output.splitlines() if line.startswith("{")]


def answers(run_cli: RunCli, who: str) -> dict[str, list[str]]:
    """sentence id -> `who`'s labels, as the raw jsonl export gives them."""
    return {rec["id"]: rec["labels"] for rec in exported(run_cli) if rec["annotator"] == who}


def hedged_and_back(db: Path) -> AnnotationSession:
    """alice's session on the first sentence, confirmed HEDGED (the cursor back on it)."""
    s = open_session(db, article=SHORT)
    s.toggle("HEDGED")
    s.confirm()
    s.move(-1)
    return s


def test_a_change_after_confirmation_is_not_the_answer_until_confirmed(
    imported_db: Path, run_cli: RunCli
) -> None:
    s = hedged_and_back(imported_db)
    first = exported(run_cli)[0]["id"]
    at = exported(run_cli)[0]["confirmed_at"]
    out = s.toggle("QUOTE")  # the stray key
    assert (
        out.message and "(was HEDGED, still your answer): Enter confirms the change" in out.message
    )
    assert s.current_state.labels == ("QUOTE", "HEDGED") and s.current_state.revised
    assert answers(run_cli, "alice") == {first: ["HEDGED"]}
    assert exported(run_cli)[0]["confirmed_at"] == at
    data = json.loads(run_cli("status", "--format", "json").output)
    (alice,) = data["annotators"]
    assert alice["changed_not_reconfirmed"] == 1
    assert "1 confirmed sentence changed and not confirmed again" in run_cli("status").output
    # the legend counts what the annotator sees
    s.read_label_counts()
    assert s.label_counts == {"QUOTE": 1, "HEDGED": 1}
    s.confirm()
    assert answers(run_cli, "alice") == {first: ["QUOTE", "HEDGED"]}
    data = json.loads(run_cli("status", "--format", "json").output)
    assert data["annotators"][0]["changed_not_reconfirmed"] == 0


def test_setting_the_labels_back_clears_the_mark(imported_db: Path) -> None:
    s = hedged_and_back(imported_db)
    s.toggle("QUOTE")
    assert s.current_state.revised
    s.toggle("QUOTE")
    assert not s.current_state.revised and s.current_state.kept is None
    s.store.close()
    again = open_session(imported_db, article=SHORT)
    assert not again.current_state.revised


def test_undoing_a_reconfirmation_brings_back_the_draft_and_the_answer_before_it(
    imported_db: Path, run_cli: RunCli
) -> None:
    s = hedged_and_back(imported_db)
    s.toggle("QUOTE")
    s.confirm()
    (first,) = answers(run_cli, "alice")
    assert answers(run_cli, "alice") == {first: ["QUOTE", "HEDGED"]}
    s.undo()  # the second confirm: a draft again, over the first answer
    assert answers(run_cli, "alice") == {first: ["HEDGED"]}
    sid, article = s.current.id, s.article.id
    s.store.close()
    again = open_session(imported_db, article=SHORT)
    st = ann.states_for_article(again.store, article, again.annotator_id)[sid]
    assert st.revised and st.labels == ("QUOTE", "HEDGED") and st.kept == (("HEDGED",), ())


def test_colleagues_and_the_adjudicator_see_the_answer_not_the_draft(
    imported_db: Path,
) -> None:
    a = open_session(imported_db, "alice", article=SHORT)
    a.toggle("EDITORIAL")
    a.confirm()
    a.move(-1)
    a.toggle("LOADED")
    seen = ann.others_for_article(a.store, a.article.id, None)
    ((who, state),) = seen[a.current.id]
    assert who == "alice" and state.labels == ("EDITORIAL",) and state.confirmed is not False


async def test_the_screen_marks_the_draft_and_exports_keep_the_answer(
    imported_db: Path, run_cli: RunCli
) -> None:
    app = make_app(imported_db, article=SHORT)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("a", "1", "enter", "k", "q")
        await pilot.pause()
    (rec,) = exported(run_cli)
    assert rec["labels"] == ["ATTRIBUTED"] and rec["fields"] == {"source_type": "named_person"}


def test_the_export_summary_counts_one_record_in_the_singular(
    imported_db: Path, run_cli: RunCli, tmp_path: Path
) -> None:
    s = open_session(imported_db, article=SHORT)
    s.toggle("HEDGED")
    s.confirm()
    r = run_cli("export", "--format", "jsonl", "--view", "raw", "-o", str(tmp_path / "o.jsonl"))
    assert r.exit_code == 0, r.output
    assert "wrote 1 record (raw) to " in r.output


def test_taking_the_only_label_off_a_confirmed_sentence_keeps_its_answer(
    imported_db: Path, run_cli: RunCli
) -> None:
    """audit8 F1: the stray key deleted the annotation, answer and source type with it,
    and said nothing (the sentence became unconfirmed)."""
    s = hedged_and_back(imported_db)
    first = next(iter(answers(run_cli, "alice")))
    out = s.toggle("HEDGED")
    assert s.current_state.labels == () and s.current_state.confirmed
    assert (
        out.message and "(was HEDGED, still your answer): Enter confirms the change" in out.message
    )
    assert answers(run_cli, "alice") == {first: ["HEDGED"]}
    s.confirm()  # nothing marked: NONE, the new answer
    assert answers(run_cli, "alice") == {first: ["NONE"]}


def test_a_draft_message_names_the_confirmed_answer_not_the_last_draft(
    imported_db: Path,
) -> None:
    """audit8 F3: after two keys it said "was HEDGED, QUOTE ... until then HEDGED, QUOTE is
    your answer" while the answer was HEDGED."""
    s = hedged_and_back(imported_db)
    s.toggle("QUOTE")
    out = s.toggle("EDITORIAL")
    assert out.message and out.message.startswith(
        "changed after confirmation (was HEDGED, still your answer): Enter confirms the change"
    )


def test_reconfirming_a_draft_dates_the_new_answer_and_reimport_keeps_drafts(
    imported_db: Path, run_cli: RunCli, tmp_path: Path
) -> None:
    """audit8 F7: the new answer kept the first confirmation's time; F4: importing the
    project's own export counted drafts as imports and threw them away."""
    s = hedged_and_back(imported_db)
    at = exported(run_cli)[0]["confirmed_at"]
    s.toggle("QUOTE")
    out = tmp_path / "raw.jsonl"
    assert run_cli("export", "--view", "raw", "-o", str(out)).exit_code == 0
    r = run_cli("import-labels", str(out))
    assert (
        r.exit_code == 0
        and "imported 0 annotations" in r.output
        and "1 already there" in (r.output)
    ), r.output
    data = json.loads(run_cli("status", "--format", "json").output)
    assert data["annotators"][0]["changed_not_reconfirmed"] == 1  # the draft is still there
    s.confirm()
    (rec,) = exported(run_cli)
    assert rec["labels"] == ["QUOTE", "HEDGED"] and rec["confirmed_at"] > at


def test_g_leads_to_drafts_once_everything_is_confirmed(
    run_cli: RunCli, db_path: Path, tmp_path: Path
) -> None:
    """audit8 F8: with every sentence confirmed, `g` said so and nothing on the screen led
    to the changes waiting for Enter (status counted them)."""
    from tests.conftest import write
    from tests.test_label_import_older import ARTICLES

    assert run_cli("import", str(write(tmp_path / "a.jsonl", ARTICLES))).exit_code == 0
    s = open_session(db_path)
    for _ in range(3):
        s.toggle("NONE")
        s.confirm()
    first = s.sentences[0].id
    s.move_to(0)
    s.toggle("HEDGED")  # a draft on the first sentence
    s.move_to(2)
    out = s.next_unconfirmed()
    assert s.current.id == first
    assert out.message == (
        "every sentence in the corpus is confirmed; 1 changed after confirmation waits for "
        "Enter (or z): g goes on to the next"
    )
    s.confirm(advance=False)
    assert s.next_unconfirmed().message == "every sentence in the corpus is confirmed"


def test_an_export_gives_the_answers_origins_while_a_draft_waits(
    imported_db: Path, run_cli: RunCli
) -> None:
    """audit8 F11: BOILERPLATE accepted from a suggestion, then a stray `n`: the export
    carried the answer's labels with the draft's origins ('typed')."""
    from annotator.suggesting import accept_boilerplate
    from tests.test_tui_annotate import LONG

    assert run_cli("project", "set", "suggestions", "on").exit_code == 0
    s = open_session(imported_db, article=LONG)
    assert accept_boilerplate(s).saved
    furniture = next(i for i, x in enumerate(s.sentences) if s.state_of(x.id).confirmed)
    s.move_to(furniture)
    s.toggle("NONE")  # the stray key: a draft over BOILERPLATE
    assert s.current_state.revised
    rec = next(
        r
        for r in exported(run_cli)
        if r["annotator"] == "alice" and r["position"] == s.current.position
    )
    assert rec["labels"] == ["BOILERPLATE"]
    assert rec["origins"][0].startswith("suggestion:"), rec["origins"]


def test_enter_in_a_stale_window_does_not_confirm_what_it_does_not_show(
    imported_db: Path, run_cli: RunCli
) -> None:
    """audit8 F14: alice with two windows (serve allows three per member); a draft made in
    one was confirmed, unseen, by Enter in the other, which still showed the answer."""
    a = hedged_and_back(imported_db)
    b = open_session(imported_db, article=SHORT)
    b.move_to(0)
    assert b.current_state.labels == ("HEDGED",)
    a.toggle("QUOTE")  # a draft, in window a
    out = b.confirm(advance=False)  # window b still shows HEDGED, confirmed
    assert out.message == (
        "changed in another window of yours: now QUOTE, HEDGED; shown as stored, Enter confirms it"
    )
    first = next(iter(answers(run_cli, "alice")))
    assert answers(run_cli, "alice") == {first: ["HEDGED"]}  # nothing confirmed
    shown = b.current_state  # read again (mypy kept the ("HEDGED",) of the assert above)
    assert shown.labels == ("QUOTE", "HEDGED")  # b now shows what is stored
    assert not b.confirm(advance=False).message  # and Enter confirms what it shows
    assert answers(run_cli, "alice") == {first: ["QUOTE", "HEDGED"]}


def test_undoing_a_reconfirmation_brings_back_the_old_answer_and_its_time(
    imported_db: Path, run_cli: RunCli
) -> None:
    """audit8 F14: undo of Enter on a draft restored the old answer under the new
    confirmation's time, so exports and `merge` (which keeps the later change) dated the old
    answer as if it had just been confirmed. Redo dates the new answer as it was."""
    s = hedged_and_back(imported_db)
    first = exported(run_cli)[0]["confirmed_at"]
    s.toggle("QUOTE")
    s.confirm()
    (rec,) = exported(run_cli)
    second = rec["confirmed_at"]
    assert rec["labels"] == ["QUOTE", "HEDGED"] and second > first
    s.undo()
    (rec,) = exported(run_cli)
    assert rec["labels"] == ["HEDGED"] and rec["confirmed_at"] == first
    assert s.current_state.revised and s.current_state.labels == ("QUOTE", "HEDGED")
    s.redo()
    (rec,) = exported(run_cli)
    assert rec["labels"] == ["QUOTE", "HEDGED"] and rec["confirmed_at"] == second
    s.undo()
    assert exported(run_cli)[0]["confirmed_at"] == first


def test_redoing_a_change_recorded_before_drafts_makes_a_draft(
    imported_db: Path, run_cli: RunCli
) -> None:
    """audit8 F14: an event written before migration 0018 has no `kept`; redoing such a
    change to a confirmed sentence wrote it straight into the answer, unconfirmed. Its
    event is made here as 0017 wrote it: the same change without `kept`."""
    import sqlite3

    s = hedged_and_back(imported_db)
    s.toggle("QUOTE")
    s.undo()
    conn = sqlite3.connect(imported_db)
    with conn:
        for column in ("before", "after"):
            conn.execute(
                f"UPDATE events SET {column} = json_remove({column}, '$.kept') "
                "WHERE action = 'toggle QUOTE'"
            )
    conn.close()
    assert answers(run_cli, "alice") == {exported(run_cli)[0]["id"]: ["HEDGED"]}
    s.redo()
    assert s.current_state.labels == ("QUOTE", "HEDGED") and s.current_state.revised
    assert s.current_state.answer == (("HEDGED",), ())
    assert list(answers(run_cli, "alice").values()) == [["HEDGED"]]


def test_status_says_which_changed_labels_count(imported_db: Path, run_cli: RunCli) -> None:
    """audit8 F14: a sentence changed before migration 0018 has no draft (its changed labels
    are the answer), but `status` said the confirmed labels counted for it too. Such a row
    is made here as 0017 left it: revised, the changed labels stored, no draft."""
    import sqlite3

    s = hedged_and_back(imported_db)
    s.toggle("QUOTE")
    assert "(the confirmed labels count until then)" in run_cli("status").output
    conn = sqlite3.connect(imported_db)
    with conn:
        conn.execute(
            "UPDATE annotations SET labels = draft_labels, fields = draft_fields, "
            "draft_labels = NULL, draft_fields = NULL WHERE revised = 1"
        )
    conn.close()
    out = run_cli("status").output
    assert "1 confirmed sentence changed and not confirmed again before drafts were kept " in out
    assert "(the changed labels count)" in out and "confirmed labels count" not in out
    data = json.loads(run_cli("status", "--format", "json").output)
    (alice,) = data["annotators"]
    assert alice["changed_not_reconfirmed"] == 1 and alice["changed_before_drafts"] == 1
