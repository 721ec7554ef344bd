"""`agreement --by suggestions`: which confirmations hold an accepted suggestion, and which
kept it unchanged (audit15a F6, F12). An acceptance counts only when the confirmation
stored came after it: one left as a draft on a confirmed sentence is not in the stored
answer. And a guessed source type the annotator overrode is a change, not "unchanged".
Real seeds, a real session on a real database, the real CLI; the figures checked against
a reading of the events table written here."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

from annotator.session import AnnotationSession
from annotator.store.database import open_store
from annotator.store.schemas import use_guidelines
from annotator.suggest import split
from annotator.suggesting import accept_current
from tests.conftest import SEED_LONG, RunCli


def _setup(run_cli: RunCli) -> None:
    for k, v in (
        ("suggestions", "on"),
        ("suggestions_split", "article"),
        ("suggestions_seed", "0"),
    ):
        assert run_cli("project", "set", k, v).exit_code == 0


def _oracle(db: Path) -> tuple[int, int, int, int]:
    """(confirmed answers holding an acceptance, of which unchanged) from the events: the
    last acceptance not undone, counted when a later event not undone confirmed the
    sentence; unchanged when the stored labels are the ones it left and every field it
    set still has its value. Then: of those, the ones whose acceptances set a field, and
    of these the ones whose fields still have the values set."""
    with sqlite3.connect(db) as conn:
        undone = {u for (u,) in conn.execute("SELECT undoes FROM events WHERE undoes > 0")}
        events = conn.execute(
            "SELECT id, sentence_id, annotator_id, after, origin, undoes FROM events "
            "WHERE kind = 'sentence' ORDER BY id"
        ).fetchall()
        answers = {
            (s, a): (set(json.loads(labels)), json.loads(fields))
            for s, a, labels, fields in conn.execute(
                "SELECT sentence_id, annotator_id, labels, fields FROM annotations "
                "WHERE confirmed = 1"
            )
        }
    counted = unchanged = guessed = guess_kept = 0
    for key, (labels, fields) in answers.items():
        mine = [
            (i, json.loads(after), origin)
            for i, s, a, after, origin, undoes in events
            if (s, a) == key and i not in undone and undoes is None
        ]
        accepts = [(i, after) for i, after, origin in mine if origin.startswith("suggestion:")]
        if not accepts:
            continue
        last, left = accepts[-1]
        confirms = [
            i
            for i, after, _o in mine
            if after.get("confirmed") is True or after.get("revised") is False
        ]
        if not confirms or confirms[-1] < last:
            continue
        counted += 1
        set_fields = {k: v for _i, after in accepts for k, v in after.get("fields", {}).items()}
        kept = set(left.get("labels", labels)) == labels and all(
            fields.get(k) == v for k, v in set_fields.items()
        )
        unchanged += kept
        if set_fields:
            guessed += 1
            guess_kept += all(fields.get(k) == v for k, v in set_fields.items())
    return counted, unchanged, guessed, guess_kept


def test_a_draft_acceptance_or_an_overridden_guess_is_not_kept_unchanged(
    imported_db: Path, run_cli: RunCli
) -> None:
    _setup(run_cli)
    long = SEED_LONG.stem
    assert split.shown("article", 0, "e", long)
    with open_store(imported_db) as store:
        g, _ = use_guidelines(store)
        s = AnnotationSession(store, g, "e", article=long)
        assert s.suggesting
        # 2: LOADED typed and confirmed, then y (ATTRIBUTED, HEDGED): a draft, not confirmed
        s.move_to(2)
        s.toggle("LOADED")
        assert s.confirm(advance=False).saved
        assert not accept_current(s).message
        assert s.current_state.revised
        # 3: y, Enter: accepted, unchanged
        s.move_to(3)
        accept_current(s)
        assert s.confirm(advance=False).saved
        # 9: y, Enter, then LOADED added and confirmed: accepted, changed
        s.move_to(9)
        accept_current(s)
        assert s.confirm(advance=False).saved
        s.toggle("LOADED")
        assert s.confirm(advance=False).saved
        # 1: y fills ATTRIBUTED and the guess named_organisation; 4 makes it vague; Enter
        s.move_to(1)
        accept_current(s)
        assert s.current_state.field("source_type") == "named_organisation"
        s.set_field_key("4")
        assert s.confirm(advance=False).saved
        # 7: y (ATTRIBUTED named_person, QUOTE), Enter: unchanged, guess kept
        s.move_to(7)
        accept_current(s)
        assert s.confirm(advance=False).saved
        # 11: y, undone; ATTRIBUTED typed and confirmed: nothing accepted
        s.move_to(11)
        accept_current(s)
        assert s.undo().message == "undone: accept ATTRIBUTED"
        s.toggle("ATTRIBUTED")
        s.set_field_key("1")
        assert s.confirm(advance=False).saved
    data = json.loads(
        run_cli("agreement", "--by", "suggestions", "--format", "json", "--bootstrap", "0").output
    )
    counted, unchanged, guessed, guess_kept = _oracle(imported_db)
    assert (counted, unchanged) == (4, 2)  # 3, 9, 1, 7; of those 3 and 7
    assert (guessed, guess_kept) == (2, 1)  # 1 and 7 had a guess filled in; 7 kept it
    assert (data["guesses_accepted"], data["guesses_kept"]) == (guessed, guess_kept)
    assert data["accepted"] == counted
    assert data["accepted_unchanged"]["k"] == unchanged
    assert data["accepted_unchanged"]["n"] == counted
    text = run_cli("agreement", "--by", "suggestions", "--bootstrap", "0").output
    assert "accepted suggestions: 4; kept unchanged: 0.500" in text
    assert "accepted suggestions that filled in a field: 2; the field still as filled in: 1" in text

    # Enter on 2 confirms the draft (with a source type typed: y guessed none there): now
    # its acceptance is in the stored answer, its labels as y left them
    with open_store(imported_db) as store:
        g, _ = use_guidelines(store)
        s = AnnotationSession(store, g, "e", article=long)
        s.move_to(2)
        s.set_field_key("3")
        assert s.confirm(advance=False).saved
    after = json.loads(
        run_cli("agreement", "--by", "suggestions", "--format", "json", "--bootstrap", "0").output
    )
    assert _oracle(imported_db) == (5, 3, 2, 1)
    assert after["accepted"] == 5 and after["accepted_unchanged"]["k"] == 3
