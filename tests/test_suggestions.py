"""Suggestions from the importer's kinds and the cue lexicons (issue 16), on the samples,
through the real import and `annotator suggestions list`."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from annotator.models.suggestions import LexiconError
from annotator.suggest import importer
from annotator.suggest.lexicon import load_cues, parse_cues
from tests.conftest import (
    SEED_LONG,
    SEED_SHORT,
    RunCli,
    guidelines_copy,
    quote_renamed,
    signals_only_lexicon,
    write,
)

LONG = SEED_LONG.stem
FURNITURE_KINDS = ("byline", "credit", "media", "embed", "furniture")


def _listed(run_cli: RunCli, *args: str) -> list[dict[str, object]]:
    result = run_cli("suggestions", "list", "--format", "json", *args)
    assert result.exit_code == 0, result.output
    return [json.loads(line) for line in result.output.splitlines()]


def _segments(db: Path, article: str) -> list[tuple[int, int, str, str]]:
    conn = sqlite3.connect(db)
    try:
        return conn.execute(
            "SELECT s.id, s.position, s.kind, s.text FROM sentences s JOIN articles a "
            "ON a.id = s.article_id WHERE a.external_id = ? ORDER BY s.id",
            [article],
        ).fetchall()
    finally:
        conn.close()


def test_every_furniture_segment_and_the_whole_pitch_suggest_boilerplate(
    imported_db: Path, run_cli: RunCli
) -> None:
    rows = _listed(run_cli, "--article", LONG)
    assert rows and {"sentence_id", "article", "position", "label", "source", "score"} <= set(
        rows[0]
    )
    boiler = {r["sentence_id"] for r in rows if r["label"] == "BOILERPLATE"}
    segments = _segments(imported_db, LONG)
    furniture = {sid for sid, _p, kind, _t in segments if kind in FURNITURE_KINDS}
    assert furniture and furniture <= boiler
    start = next(i for i, s in enumerate(segments) if s[3].startswith("Subscribe to the New"))
    pitch = segments[start:]
    assert len(pitch) == 16
    assert {s[0] for s in pitch} <= boiler
    # and nothing of the article's prose before the pitch
    prose = {sid for sid, _p, kind, _t in segments[:start] if kind == "body"}
    assert not prose & boiler
    for r in rows:
        assert r["article"] == LONG
        assert segments[int(str(r["position"]))][0] == r["sentence_id"]


def test_austin_said_is_attributed_to_a_named_person(imported_db: Path, run_cli: RunCli) -> None:
    segments = {sid: text for sid, _p, _k, text in _segments(imported_db, LONG)}
    rows = _listed(run_cli, "--article", LONG)
    said = [
        r
        for r in rows
        if r["label"] == "ATTRIBUTED" and "Austin said" in segments[int(str(r["sentence_id"]))]
    ]
    assert len(said) == 1
    r = said[0]
    assert r["source"] == "cues" and r["source_type"] == "named_person"
    text = segments[int(str(r["sentence_id"]))]
    assert text[int(str(r["cue_start"])) : int(str(r["cue_end"]))] == "said"


def test_an_unknown_article_is_named_not_listed_as_having_no_suggestions(
    imported_db: Path, run_cli: RunCli
) -> None:
    # a mistyped id printed nothing with exit 0, which read as "no suggestions" (audit2 F14)
    for fmt in ("text", "json"):
        result = run_cli("suggestions", "list", "--format", fmt, "--article", "nope\x1b[2J")
        assert result.exit_code == 1
        assert result.output.strip() == "Error: no article 'nope\\x1b[2J'", result.output
    # the article's database id works too, as elsewhere: the same listing as its external id
    conn = sqlite3.connect(imported_db)
    (db_id,) = conn.execute("SELECT id FROM articles WHERE external_id = ?", [LONG]).fetchone()
    conn.close()
    by_id = _listed(run_cli, "--article", str(db_id))
    assert by_id and by_id == _listed(run_cli, "--article", LONG)


def test_could_signal_is_hedged_and_quotes_are_quotes(imported_db: Path, run_cli: RunCli) -> None:
    segments = {sid: text for sid, _p, _k, text in _segments(imported_db, LONG)}
    rows = _listed(run_cli, "--article", LONG)
    by = {(r["sentence_id"], r["label"]): r for r in rows}
    signal = next(sid for sid, t in segments.items() if "could signal" in t)
    hedge = by[(signal, "HEDGED")]
    assert hedge["cue"] == "hedges: could"
    quoted = next(sid for sid, t in segments.items() if t.startswith("“There is evidence"))
    assert (quoted, "QUOTE") in by
    vague = next(sid for sid, t in segments.items() if t.startswith("South Korean officials"))
    assert by[(vague, "ATTRIBUTED")]["source_type"] == "unnamed_specific"
    # a pronoun names nobody: no guess rather than a wrong one
    he = next(sid for sid, t in segments.items() if t.startswith("He said, “What"))
    assert by[(he, "ATTRIBUTED")]["source_type"] is None


def test_importing_again_adds_nothing_and_an_edited_lexicon_recomputes(
    imported_db: Path, run_cli: RunCli, tmp_path: Path
) -> None:
    before = _listed(run_cli)
    assert run_cli("import", str(SEED_LONG)).exit_code == 0
    assert _listed(run_cli) == before
    # the project's own guidelines, with a lexicon that hedges nothing but "signal"
    folder = signals_only_lexicon(tmp_path / "g")
    result = run_cli("--guidelines", str(folder), "suggestions", "refresh")
    assert result.exit_code == 0, result.output
    after = _listed(run_cli)
    hedged = [r for r in after if r["label"] == "HEDGED"]
    assert hedged and all(str(r["cue"]).startswith("signals: signal") for r in hedged)
    # a later command without --guidelines keeps the project's lexicon
    assert run_cli("suggestions", "refresh").exit_code == 0
    assert _listed(run_cli) == after


def test_a_broken_lexicon_is_one_line_naming_the_file(run_cli: RunCli, tmp_path: Path) -> None:
    folder = guidelines_copy(tmp_path / "g")
    write(folder / "cues.toml", '[[cues]]\nlabel = "NOPE"\nphrases = ["x"]\n')
    result = run_cli("--guidelines", str(folder), "import", str(SEED_LONG))
    assert result.exit_code != 0
    assert (
        "cues.toml:2: cues[1].label: must name a label of the schema, not 'NOPE'" in result.output
    )
    assert "Traceback" not in result.output
    assert "imported" not in result.output  # refused before anything was written


@pytest.mark.parametrize(
    "text, problem",
    [
        ("[[cues]]\nlabel = 'HEDGED'\n", "either `phrases` or `quotes`"),
        ("[[cues]]\nlabel = 'HEDGED'\nscore = 2\nphrases = ['x']\n", "score: must be a number"),
        ("[[cues]]\nlabel = 'HEDGED'\nphrases = ['x']\nregex = '.*'\n", "unknown key"),
        ("[[cues]]\nlabel = 'QUOTE'\nquotes = [['«']]\n", "[open, close] pairs"),
        ("[[cues]\n", "not valid TOML"),
    ],
)
def test_lexicon_mistakes_are_refused(text: str, problem: str) -> None:
    with pytest.raises(LexiconError, match=r"cues\.toml") as e:
        parse_cues(text, "cues.toml", frozenset({"HEDGED", "QUOTE"}))
    assert problem in str(e.value)


def test_a_toml_syntax_error_leads_with_file_and_line() -> None:
    # the house style is FILE:LINE: reason, not "(at line 3, column 9)" at the end
    for text, line in (
        ("[[cues]]\nlabel = 'HEDGED\nphrases = ['x']\n", 2),
        ("[[cues]]\nlabel = 'HEDGED'\nphrases = ['x'\n", 3),  # "at end of document"
    ):
        with pytest.raises(LexiconError) as e:
            parse_cues(text, "gl/cues.toml", frozenset({"HEDGED"}))
        assert str(e.value).startswith(f"gl/cues.toml:{line}: not valid TOML: "), str(e.value)
        assert not str(e.value).endswith(")"), str(e.value)


def test_a_pitch_heading_in_the_middle_of_a_long_article_is_not_a_pitch() -> None:
    segs = [importer.Segment(i, "body", f"Sentence {i}.") for i in range(100)]
    segs[10] = importer.Segment(10, "heading", "Subscribe to our newsletter")
    assert importer.suggest(segs) == []
    segs[90] = importer.Segment(90, "heading", "Subscribe to our newsletter")
    assert [s.sentence_id for s in importer.suggest(segs)] == list(range(90, 100))


def test_the_shipped_lexicon_loads() -> None:
    lex = load_cues()
    assert {r.label for r in lex.rules} == {"ATTRIBUTED", "QUOTE", "HEDGED"}


def test_a_custom_schema_gets_the_bundled_cues_it_has_labels_for(
    run_cli: RunCli, db_path: Path, tmp_path: Path
) -> None:
    folder = quote_renamed(guidelines_copy(tmp_path / "g", leave_out="cues.toml"))
    assert run_cli("import", str(SEED_SHORT)).exit_code == 0  # the bundled lexicon
    # the project adopts a schema without QUOTE; the next import keeps its lexicon, minus
    # the rules of labels the schema no longer has
    adopted = run_cli("--guidelines", str(folder), "guidelines")
    assert adopted.exit_code == 0 and "label schema changed" in adopted.output
    result = run_cli("import", str(SEED_LONG))
    assert result.exit_code == 0, result.output
    labels = {r["label"] for r in _listed(run_cli, "--article", LONG)}
    assert "ATTRIBUTED" in labels and "QUOTE" not in labels
    # a folder of its own without cues.toml: no cue suggestions at all
    assert run_cli("--guidelines", str(folder), "suggestions", "refresh").exit_code == 0
    assert {r["source"] for r in _listed(run_cli)} == {"importer"}


def test_a_project_made_before_its_first_import_gets_cue_suggestions(
    run_cli: RunCli, db_path: Path
) -> None:
    # The README's walkthrough: `team add` makes the database (no schema stored yet), then
    # `import`. Found by the audit: every cue rule was dropped (no schema labels) and the
    # source was still recorded as done, so not even `suggestions refresh` brought them.
    assert run_cli("team", "add", "alice").exit_code == 0
    result = run_cli("import", str(SEED_LONG))
    assert result.exit_code == 0, result.output
    rows = _listed(run_cli, "--article", LONG)
    segments = {sid: text for sid, _p, _k, text in _segments(db_path, LONG)}
    said = [
        r
        for r in rows
        if r["label"] == "ATTRIBUTED" and "Austin said" in segments[int(str(r["sentence_id"]))]
    ]
    assert len(said) == 1 and said[0]["source"] == "cues"
    assert {"QUOTE", "HEDGED"} <= {r["label"] for r in rows}


def test_a_schema_that_gets_a_label_back_recomputes_its_cues(
    run_cli: RunCli, db_path: Path, tmp_path: Path
) -> None:
    folder = quote_renamed(guidelines_copy(tmp_path / "g", leave_out="cues.toml"))
    assert run_cli("import", str(SEED_SHORT)).exit_code == 0
    assert run_cli("--guidelines", str(folder), "guidelines").exit_code == 0
    assert run_cli("import", str(SEED_LONG)).exit_code == 0
    assert "QUOTE" not in {r["label"] for r in _listed(run_cli, "--article", LONG)}
    # the bundled guidelines again: the same cues.toml now has a QUOTE rule that applies,
    # and the stored cue suggestions (made without it) are stale, not done
    bundled = guidelines_copy(tmp_path / "bundled")
    assert run_cli("--guidelines", str(bundled), "guidelines").exit_code == 0
    assert run_cli("suggestions", "refresh").exit_code == 0
    assert "QUOTE" in {r["label"] for r in _listed(run_cli, "--article", LONG)}


def test_the_text_listing_shows_data_inert_even_into_a_pipe(
    run_cli: RunCli, db_path: Path, tmp_path: Path
) -> None:
    # `suggestions list | head` hands its bytes to a terminal: the cue's text (a quotation
    # from the article) and the article id are shown with placeholders; json stays exact
    hostile = 'The minister said "[@click=app.quit]bye[/] \x1b[2J \x07 \x1b]52;c;aGk=\x07" today.'
    write(tmp_path / "cue.txt", f"Quote test\n\n{hostile}\n")
    assert run_cli("import", str(tmp_path / "cue.txt")).exit_code == 0
    # import refuses such an id now (a file name holding one too: audit9b F6), but a
    # database made before it was checked holds it, and it must show inert
    conn = sqlite3.connect(db_path)
    with conn:
        conn.execute("UPDATE articles SET external_id = 'cue\x1b[31m' WHERE external_id = 'cue'")
    conn.close()
    text = run_cli("suggestions", "list")
    assert text.exit_code == 0 and "QUOTE" in text.output
    assert not any(c in text.output for c in "\x1b\x07")
    assert "[@click=app.quit]bye[/]" in text.output  # shown as it is, not run
    rows = _listed(run_cli)
    assert any("\x1b[2J" in str(r["cue"]) for r in rows if r["label"] == "QUOTE")


def test_the_bundled_lexicon_keeps_its_files_version_and_a_lost_lexicon_is_redone(
    run_cli: RunCli, db_path: Path
) -> None:
    """An upgraded project's cue suggestions are not all recomputed for nothing (the second
    audit: 41 s for a one-file import at 100,000 articles): the full lexicon's version is
    its file's, as earlier releases stored it. And a project the previous release left
    with the lexicon recorded as done but no cue suggestion at all (made by `team add`
    before its first import) gets them at its next import."""
    assert run_cli("import", str(SEED_SHORT)).exit_code == 0
    conn = sqlite3.connect(db_path)
    try:
        (version,) = conn.execute(
            "SELECT version FROM suggestion_sources WHERE source = 'cues'"
        ).fetchone()
        assert version == load_cues().version
        with conn:  # what the previous release left
            conn.execute("DELETE FROM suggestions WHERE source = 'cues'")
    finally:
        conn.close()
    assert run_cli("import", str(SEED_LONG)).exit_code == 0
    rows = _listed(run_cli, "--article", SEED_SHORT.stem)
    assert any(r["source"] == "cues" for r in rows)
