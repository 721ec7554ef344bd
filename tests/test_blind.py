"""Blind work, recorded (issue 14): in a blind project, whatever shows an annotator others'
labels asks first and records a `saw_others` event; `agreement --blind-only` keeps exactly
the annotations settled before that moment, and says how many it left out."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import krippendorff
import numpy as np
import pytest

from annotator.session import AnnotationSession
from annotator.store.database import open_store
from annotator.store.schemas import use_guidelines
from annotator.tui.screens.agreement import AgreementScreen
from annotator.tui.screens.annotate import AnnotateScreen
from tests.conftest import RunCli
from tests.ptyterm import annotate as pty_annotate
from tests.test_tui_annotate import SIZE, make_app

SHORT = "000_60cc46f11ca30d04"
LONG = "004_2bd55176b4b53eb1"
LABELS = ["ATTRIBUTED", "QUOTE", "HEDGED", "EDITORIAL"]


def session(db: Path, name: str, article: str = SHORT) -> AnnotationSession:
    store = open_store(db)
    g, _ = use_guidelines(store)
    return AnnotationSession(store, g, name, article=article)


def confirm(s: AnnotationSession, index: int, labels: list[str]) -> None:
    s.move_to(index)
    for lab in labels:
        s.toggle(lab)
    if "ATTRIBUTED" in labels:
        s.set_field_key("1")
    assert s.confirm(advance=False).saved


def saw_others(db: Path) -> list[tuple[str, str | None, dict[str, object]]]:
    conn = sqlite3.connect(db)
    rows = conn.execute(
        "SELECT n.name, a.external_id, e.after FROM events e "
        "JOIN annotators n ON n.id = e.annotator_id LEFT JOIN articles a ON a.id = e.article_id "
        "WHERE e.kind = 'blind' AND e.action = 'saw_others' ORDER BY e.id"
    ).fetchall()
    conn.close()
    return [(str(n), a, json.loads(after)) for n, a, after in rows]


@pytest.fixture
def blind_db(imported_db: Path, run_cli: RunCli) -> Path:
    """A blind project: alice confirmed 0-2 of the short article, bob 0-3."""
    assert run_cli("project", "set", "blind", "true").exit_code == 0
    alice = session(imported_db, "alice")
    for i, labels in enumerate([["ATTRIBUTED"], ["HEDGED"], []]):
        confirm(alice, i, labels)
    bob = session(imported_db, "bob")
    for i, labels in enumerate([["ATTRIBUTED"], [], ["HEDGED"], ["EDITORIAL"]]):
        confirm(bob, i, labels)
    return imported_db


def test_disagreements_under_an_annotators_name_ask_then_record(
    blind_db: Path, run_cli: RunCli, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ANNOTATOR_USER", "alice")
    declined = run_cli("agreement", "--disagreements", "--format", "json", input="n\n")
    assert declined.exit_code == 1
    assert "This project is blind" in declined.output
    assert "sentence_id" not in declined.output  # nothing shown
    assert saw_others(blind_db) == []
    shown = run_cli("agreement", "--disagreements", "--format", "json", input="y\n")
    assert shown.exit_code == 0, shown.output
    assert '"sentence_id"' in shown.output
    (event,) = saw_others(blind_db)
    assert event[0] == "alice" and event[1] == SHORT
    assert event[2] == {
        "shown": "article",
        "article": SHORT,
        "via": "annotator agreement --disagreements",
    }
    conn = sqlite3.connect(blind_db)
    at, schema_hash = conn.execute(
        "SELECT at, schema_hash FROM events WHERE kind = 'blind'"
    ).fetchone()
    assert at.endswith("Z") and len(schema_hash) >= 12
    # --yes answers for scripts, and it is recorded all the same
    assert run_cli("agreement", "--disagreements", "--yes").exit_code == 0
    assert len(saw_others(blind_db)) == 2


def test_staff_and_projects_that_are_not_blind_are_not_asked(
    blind_db: Path, run_cli: RunCli, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert run_cli("team", "add", "carol", "--role", "manager").exit_code == 0
    monkeypatch.setenv("ANNOTATOR_USER", "carol")
    assert run_cli("agreement", "--disagreements").exit_code == 0  # no input: no question
    monkeypatch.setenv("ANNOTATOR_USER", "alice")
    assert run_cli("project", "set", "blind", "false").exit_code == 0
    assert run_cli("agreement", "--disagreements").exit_code == 0
    assert saw_others(blind_db) == []


def test_blind_only_excludes_exactly_what_changed_after_seeing(
    blind_db: Path, run_cli: RunCli, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ANNOTATOR_USER", "alice")
    assert run_cli("agreement", "--disagreements", "--yes").exit_code == 0  # saw SHORT
    alice = session(blind_db, "alice")
    confirm(alice, 3, ["EDITORIAL"])  # confirmed after seeing: not blind
    alice.move_to(1)
    alice.toggle("QUOTE")  # sentence 1 changed after seeing: not blind any more
    alice.move_to(2)
    alice.comment("a note")  # a comment changes no label: sentence 2 stays blind
    other = session(blind_db, "alice", article=LONG)
    confirm(other, 0, ["HEDGED"])  # another article, never seen: blind
    # by hand: alice 0-3 of SHORT and 0 of LONG, bob 0-3 of SHORT: 9 confirmed; alice's
    # sentences 1 and 3 of SHORT are left out
    out = run_cli("agreement", "--blind-only", "--bootstrap", "0", "--format", "json")
    assert out.exit_code == 0, out.output
    report = json.loads(out.output)
    assert report["blind_only"] == {
        "excluded_annotations": 2,
        "annotations": 9,
        "excluded_article_fields": 0,
        "article_fields": 0,
    }
    assert any("2 of 9 confirmed annotations" in n for n in report["notes"])
    # the oracle: the krippendorff package on the stored labels, those two taken out
    conn = sqlite3.connect(blind_db)
    rows = conn.execute(
        "SELECT n.name, a.sentence_id, a.labels FROM annotations a "
        "JOIN annotators n ON n.id = a.annotator_id WHERE a.confirmed = 1"
    ).fetchall()
    first = conn.execute(f"SELECT first_sentence_id FROM articles WHERE external_id = '{SHORT}'")
    short0 = first.fetchone()[0]
    dropped = {("alice", short0 + 1), ("alice", short0 + 3)}
    units = sorted({sid for _n, sid, _l in rows})
    for label in LABELS:
        data = np.full((2, len(units)), np.nan)
        for name, sid, labels in rows:
            if (name, sid) not in dropped:
                data[["alice", "bob"].index(name), units.index(sid)] = label in json.loads(labels)
        got = next(la for la in report["labels"] if la["label"] == label)
        pairable = int(((~np.isnan(data)).sum(axis=0) >= 2).sum())
        assert got["pairable_units"] == pairable == 2  # sentences 0 and 2 of SHORT
        if np.nanmin(data[:, (~np.isnan(data)).all(axis=0)]) == np.nanmax(
            data[:, (~np.isnan(data)).all(axis=0)]
        ):
            continue  # no variation: alpha undefined, for both
        want = krippendorff.alpha(reliability_data=data, level_of_measurement="nominal")
        assert got["krippendorff_alpha"]["value"] == pytest.approx(want)
    # without --blind-only everything counts
    full = json.loads(run_cli("agreement", "--bootstrap", "0", "--format", "json").output)
    assert "blind_only" not in full
    assert next(la for la in full["labels"] if la["label"] == "HEDGED")["pairable_units"] == 4


def test_seeing_everything_makes_later_work_on_every_article_not_blind(
    blind_db: Path, run_cli: RunCli
) -> None:
    s = session(blind_db, "bob", article=LONG)
    s.saw_others(None, "test")  # what `annotate --show-others` records: all articles
    confirm(s, 0, ["QUOTE"])
    report = json.loads(
        run_cli("agreement", "--blind-only", "--bootstrap", "0", "--format", "json").output
    )
    assert report["blind_only"]["excluded_annotations"] == 1
    assert report["blind_only"]["annotations"] == 8


async def test_the_agreement_screen_asks_and_records_in_a_blind_project(blind_db: Path) -> None:
    app = make_app(blind_db, "alice", article=SHORT)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("R")
        modal = app.screen
        assert modal.__class__.__name__ == "ConfirmModal"
        assert "This project is blind: opening it is recorded" in str(modal.question)  # type: ignore[attr-defined]
        await pilot.press("n")
        assert isinstance(app.screen, AnnotateScreen)
        assert saw_others(blind_db) == []
        await pilot.press("R", "y")
        assert isinstance(app.screen, AgreementScreen)
        await app.workers.wait_for_complete()
    assert saw_others(blind_db) == [("alice", None, {"shown": "all", "via": "agreement screen"})]


async def test_what_cannot_be_recorded_is_not_shown(blind_db: Path) -> None:
    app = make_app(blind_db, "alice", article=SHORT)
    assert app.session is not None
    app.session.be_brief(0.05)
    holder = sqlite3.connect(blind_db, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")  # another process holds the write lock
    try:
        async with app.run_test(size=SIZE) as pilot:
            await pilot.press("R", "y")
            await pilot.pause()
            assert isinstance(app.screen, AnnotateScreen)  # not opened
            assert any("could not be recorded" in n.message for n in app._notifications)
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert saw_others(blind_db) == []


def test_show_others_in_a_blind_project_asks_and_records(blind_db: Path, run_cli: RunCli) -> None:
    declined = run_cli("annotate", "--annotator", "alice", "--show-others", input="n\n")
    assert declined.exit_code == 1 and "This project is blind" in declined.output
    assert saw_others(blind_db) == []
    app = pty_annotate(blind_db, "alice", "--show-others")
    try:
        app.wait_for("Go on?")
        app.send("y\r")
        app.wait_for("showing others")
    finally:
        app.stop()
    assert saw_others(blind_db) == [
        ("alice", None, {"shown": "all", "via": "annotate --show-others"})
    ]


def test_agreement_screen_and_adjudication_from_the_command_line_ask_an_annotator(
    blind_db: Path, run_cli: RunCli, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ANNOTATOR_USER", "alice")
    tui = run_cli("agreement", "--tui", input="n\n")
    assert tui.exit_code == 1 and "all articles" in tui.output
    adjudicate = run_cli("adjudicate", input="n\n")
    assert adjudicate.exit_code == 1 and "This project is blind" in adjudicate.output
    assert saw_others(blind_db) == []


def test_blind_only_leaves_out_article_fields_set_after_seeing(
    blind_db: Path, run_cli: RunCli
) -> None:
    alice, bob = session(blind_db, "alice"), session(blind_db, "bob")
    assert alice.set_article_field("genre", "opinion").saved  # before seeing: blind
    assert bob.set_article_field("genre", "news_report").saved
    alice.saw_others([alice.article.id], "test")
    assert alice.set_article_field("opinion_labelled", "no").saved  # after: not blind
    assert bob.set_article_field("opinion_labelled", "no").saved  # bob saw nothing
    report = json.loads(
        run_cli("agreement", "--blind-only", "--bootstrap", "0", "--format", "json").output
    )
    assert report["blind_only"]["excluded_article_fields"] == 1
    assert report["blind_only"]["article_fields"] == 4
    fields = {f["field"]: f for f in report["article_fields"]}
    assert fields["genre"]["units"] == 1 and fields["genre"]["pairable_units"] == 1
    assert fields["opinion_labelled"]["pairable_units"] == 0  # alice's value left out


def test_what_was_seen_travels_with_a_merge(
    blind_db: Path, run_cli: RunCli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Alice works on a copy, sees others there and goes on; merged back, --blind-only
    leaves out the same annotation as on her copy (events are ordered by time, not id)."""
    copy = tmp_path / "alice.sqlite"
    src, dst = sqlite3.connect(blind_db), sqlite3.connect(copy)
    src.backup(dst)
    src.close()
    dst.close()
    bob = session(blind_db, "bob")
    confirm(bob, 4, ["QUOTE"])  # meanwhile, on the shared file
    monkeypatch.setenv("ANNOTATOR_USER", "alice")
    assert run_cli("agreement", "--disagreements", "--yes", db=copy).exit_code == 0
    confirm(session(copy, "alice"), 4, ["QUOTE"])  # after seeing: not blind
    merged = run_cli("merge", str(copy))
    assert merged.exit_code == 0, merged.output
    assert [(n, a) for n, a, _after in saw_others(blind_db)] == [("alice", SHORT)]
    report = json.loads(
        run_cli("agreement", "--blind-only", "--bootstrap", "0", "--format", "json").output
    )
    # alice 0-2 and 4, bob 0-4: 9 confirmed; alice's sentence 4 is left out
    assert report["blind_only"]["excluded_annotations"] == 1
    assert report["blind_only"]["annotations"] == 9


def test_blind_only_in_a_project_that_is_not_blind_says_so(
    imported_db: Path, run_cli: RunCli
) -> None:
    out = run_cli("agreement", "--blind-only", "--bootstrap", "0", "--format", "json")
    assert out.exit_code == 0
    assert "this project is not blind" in out.output  # on stderr, mixed in by the runner


@pytest.mark.parametrize("command", [["agreement", "--tui", "--yes"], ["adjudicate"]])
def test_yes_without_a_terminal_records_nothing(
    blind_db: Path, run_cli: RunCli, monkeypatch: pytest.MonkeyPatch, command: list[str]
) -> None:
    """audit9a F5: a screen is refused without a terminal; seeing others' labels is not
    recorded for a screen that never opened (even when the question was answered yes)."""
    monkeypatch.setenv("ANNOTATOR_USER", "alice")
    args = [*command, "--adjudicator", "alice"] if command[0] == "adjudicate" else command
    r = run_cli(*args, input="y\n")  # CliRunner: stdin is no terminal
    assert r.exit_code == 1
    assert r.output.strip().splitlines()[-1].startswith(f"Error: {command[0]}")
    assert "needs a terminal (stdin is not a terminal)" in r.output
    assert saw_others(blind_db) == []
