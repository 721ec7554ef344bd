"""Cue guesses the audit found wrong on the samples (F16.8), through the real import and
`annotator suggestions list`: an organisation is not a named person, a subject ends at the
clause's comma, and "could not tell if" is named as the hedge it is (guidelines rule 2:
"could not confirm if" is HEDGED, whoever holds the doubt)."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

from annotator.suggest.cues import compile_lexicon, suggest
from annotator.suggest.lexicon import load_cues
from tests.conftest import RunCli


def _cues(db: Path, run_cli: RunCli) -> dict[tuple[str, str], dict[str, object]]:
    """(sentence text, label) -> the cue suggestion on it."""
    conn = sqlite3.connect(db)
    try:
        texts = {int(sid): str(t) for sid, t in conn.execute("SELECT id, text FROM sentences")}
    finally:
        conn.close()
    result = run_cli("suggestions", "list", "--format", "json")  # both samples
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in result.output.splitlines()]
    return {(texts[r["sentence_id"]], r["label"]): r for r in rows if r["source"] == "cues"}


def _on(
    cues: dict[tuple[str, str], dict[str, object]], start: str, label: str
) -> dict[str, object]:
    return next(r for (t, lab), r in cues.items() if t.startswith(start) and lab == label)


def test_organisations_are_not_people_on_the_sample(imported_db: Path, run_cli: RunCli) -> None:
    cues = _cues(imported_db, run_cli)
    title = _on(cues, "Biden Admin Confirms", "ATTRIBUTED")
    assert (title["cue"], title["source_type"]) == (
        "reporting_verbs: Confirms",
        "named_organisation",
    )
    kcna = _on(cues, "According to KCNA,", "ATTRIBUTED")
    assert kcna["source_type"] == "named_organisation"  # KCNA, not "North Korea maintains"
    austin = _on(cues, "Just a few days ago, Austin could not tell", "HEDGED")
    assert austin["cue"] == "hedges: could not tell"


def test_the_subject_after_the_cue_ends_at_the_clause() -> None:
    compiled = compile_lexicon(load_cues())

    def guess(text: str) -> str | None:
        (found,) = [s for s in suggest([(1, text)], compiled) if s.label == "ATTRIBUTED"]
        return found.source_type

    assert guess("According to KCNA, North Korea maintains it.") == "named_organisation"
    assert guess("According to Lloyd Austin, troops are there.") == "named_person"
    # a dot inside a name does not end it; the head is still the person
    assert guess("According to U.S. Defense Secretary Lloyd Austin, troops are there.") == (
        "named_person"
    )
    assert guess("“It is bad,” said Kirby, a spokesman for the council.") == "named_person"
    assert guess("The Trump Admin says it will.") == "named_organisation"
