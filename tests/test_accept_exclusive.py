"""`y` and an exclusive label (audit, round 6): a NONE suggested beside other labels used to
clear the labels accepted a moment before, keep whichever source came last, and name in its
event labels it did not store; a NONE suggested on a sentence the annotator had labelled
would have replaced their labels."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from annotator.session import AnnotationSession
from annotator.store.database import open_store
from annotator.store.schemas import use_guidelines
from annotator.suggesting import accept_current
from tests.conftest import SEED_LONG, RunCli, write

LONG = SEED_LONG.stem


@contextmanager
def _alice(db: Path) -> Iterator[AnnotationSession]:
    """alice's session on the long sample, as the screen opens it."""
    with open_store(db) as store:
        g, _ = use_guidelines(store)
        yield AnnotationSession(store, g, "alice", article=LONG)


def _events(db: Path, sentence_id: int) -> list[tuple[str, str, list[str]]]:
    conn = sqlite3.connect(db)
    try:
        rows = conn.execute(
            "SELECT action, origin, after FROM events WHERE sentence_id = ? ORDER BY id",
            [sentence_id],
        ).fetchall()
    finally:
        conn.close()
    return [(str(a), str(o), json.loads(after)["labels"]) for a, o, after in rows]


def _outside(run_cli: RunCli, tmp_path: Path, position: int, *labels: str) -> None:
    lines = [
        json.dumps(
            {
                "article": LONG,
                "position": position,
                "label": lab,
                "score": 0.95 - i / 100,
                "source": f"zz{i}",
            }
        )
        for i, lab in enumerate(labels)
    ]
    f = write(tmp_path / "p.jsonl", "\n".join(lines) + "\n")
    result = run_cli("import-suggestions", str(f))
    assert result.exit_code == 0, result.output


def test_none_beside_other_suggestions_is_left_and_the_others_are_accepted(
    imported_db: Path, run_cli: RunCli, tmp_path: Path
) -> None:
    assert run_cli("project", "set", "suggestions", "on").exit_code == 0
    with _alice(imported_db) as s:
        austin = next(i for i, x in enumerate(s.sentences) if "Austin said" in x.text)
    # NONE from a source whose name sorts after the cues' and before: either way
    _outside(run_cli, tmp_path, austin, "LOADED", "NONE")
    with _alice(imported_db) as s:
        s.move_to(austin)
        suggested = {x.label for x in s.suggested[s.current.id]}
        assert {"NONE", "LOADED", "ATTRIBUTED"} <= suggested
        out = accept_current(s)
        assert out.saved and out.message is not None and "NONE" in out.message
        labels = set(s.current_state.labels)
        assert "NONE" not in labels and {"LOADED", "ATTRIBUTED"} <= labels
        sid = s.current.id
    stored = set(_events(imported_db, sid)[-1][2])
    assert stored == labels
    # every accept event names only labels that are stored after it
    for action, origin, after in _events(imported_db, sid):
        assert origin.startswith("suggestion:")
        named = action.removeprefix("accept ").split(", ")
        assert set(named) <= set(after), (action, after)


def test_a_suggested_none_never_replaces_the_annotators_labels(
    imported_db: Path, run_cli: RunCli, tmp_path: Path
) -> None:
    assert run_cli("project", "set", "suggestions", "on").exit_code == 0
    with _alice(imported_db) as s:
        # a sentence with no suggestion of its own
        quiet = next(
            i for i, x in enumerate(s.sentences) if x.kind == "body" and x.id not in s.suggested
        )
    _outside(run_cli, tmp_path, quiet, "NONE")
    with _alice(imported_db) as s:
        s.move_to(quiet)
        s.toggle("EDITORIAL")
        out = accept_current(s)
        assert not out.saved and out.message == "no suggestion to accept on this sentence"
        assert set(s.current_state.labels) == {"EDITORIAL"}
        # alone and on an unlabelled sentence, NONE is accepted as any label is
        s.toggle("EDITORIAL")
        assert accept_current(s).saved
        assert set(s.current_state.labels) == {"NONE"}


def test_y_after_the_annotators_own_none_says_why_nothing_was_accepted(
    imported_db: Path, run_cli: RunCli
) -> None:
    # the second audit: chips on screen, yet "no suggestion to accept on this sentence"
    assert run_cli("project", "set", "suggestions", "on").exit_code == 0
    with _alice(imported_db) as s:
        s.move_to(next(i for i, x in enumerate(s.sentences) if "Austin said" in x.text))
        s.toggle("NONE")
        out = accept_current(s)
        assert not out.saved and out.message is not None
        assert "your NONE excludes these suggestions" in out.message
        assert set(s.current_state.labels) == {"NONE"}
