"""Names in `import-labels` files: one rule for names everywhere (audit7 F2), and in a
closed team only members' work comes in (audit7 F28)."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from tests.conftest import RunCli, write
from tests.test_label_import_older import ARTICLES


def records(*names: str) -> str:
    return "".join(
        json.dumps({"article_id": "s1", "position": i, "annotator": n, "labels": ["NONE"]}) + "\n"
        for i, n in enumerate(names)
    )


def annotators(db: Path) -> list[str]:
    conn = sqlite3.connect(db)
    try:
        return sorted(n for (n,) in conn.execute("SELECT name FROM annotators"))
    finally:
        conn.close()


@pytest.mark.parametrize(
    "name", ["ev\x1b]52;c;SGVsbG8=\x07il", "new\nline", "bidi\u202eevil", "tab\there"]
)
def test_a_name_team_add_refuses_is_refused_with_its_line(
    run_cli: RunCli, db_path: Path, tmp_path: Path, name: str
) -> None:
    assert run_cli("import", str(write(tmp_path / "a.jsonl", ARTICLES))).exit_code == 0
    f = write(tmp_path / "labels.jsonl", records("alice", name))
    r = run_cli("import-labels", str(f), "--format", "jsonl")
    assert r.exit_code == 1, r.output
    assert f"{f}:2: annotator " in r.output and "nothing was imported" in r.output
    assert "\x1b" not in r.output and "\x07" not in r.output
    assert len(r.output.strip().splitlines()) == 1
    assert annotators(db_path) == []  # not alice either: nothing from the file


def test_blanks_around_a_name_are_not_part_of_it(
    run_cli: RunCli, db_path: Path, tmp_path: Path
) -> None:
    assert run_cli("import", str(write(tmp_path / "a.jsonl", ARTICLES))).exit_code == 0
    f = write(tmp_path / "labels.jsonl", records("  spaced  "))
    assert run_cli("import-labels", str(f), "--format", "jsonl").exit_code == 0
    assert annotators(db_path) == ["spaced"]


def test_a_closed_team_takes_only_its_members_work(
    run_cli: RunCli, db_path: Path, tmp_path: Path
) -> None:
    assert run_cli("import", str(write(tmp_path / "a.jsonl", ARTICLES))).exit_code == 0
    for who in ("alice", "bob"):
        assert run_cli("team", "add", who).exit_code == 0
    assert run_cli("project", "set", "team", "closed").exit_code == 0
    f = write(tmp_path / "typo.jsonl", records("bob", "alcie"))
    r = run_cli("import-labels", str(f), "--format", "jsonl")
    assert r.exit_code == 1, r.output
    assert f"{f}:2: 'alcie' is not on the team, and the team is closed: did you mean 'alice'?" in (
        r.output
    )
    assert annotators(db_path) == ["alice", "bob"]  # no annotator alcie, no work of bob's
    conn = sqlite3.connect(db_path)
    assert conn.execute("SELECT count(*) FROM annotations").fetchone()[0] == 0
    conn.close()
    assert run_cli("project", "set", "team", "open").exit_code == 0
    assert run_cli("import-labels", str(f), "--format", "jsonl").exit_code == 0
    assert annotators(db_path) == ["alcie", "alice", "bob"]


def test_annotator_option_gives_a_jsonl_file_to_that_name(
    run_cli: RunCli, db_path: Path, tmp_path: Path
) -> None:
    """audit9b F12: `--annotator zed` ("overrides the file otherwise") was ignored for jsonl:
    the work went to the names in the file, without a word."""
    assert run_cli("import", str(write(tmp_path / "a.jsonl", ARTICLES))).exit_code == 0
    labels = write(tmp_path / "l.jsonl", records("x", "x"))
    r = run_cli("import-labels", str(labels), "--annotator", "zed")
    assert r.exit_code == 0 and "imported 2 annotations (zed)" in r.output, r.output
    assert annotators(db_path) == ["zed"]
    # a record of several people's annotations of one sentence cannot be one person's
    both = {
        "article_id": "s1",
        "position": 2,
        "annotations": [
            {"annotator": "x", "labels": ["NONE"]},
            {"annotator": "y", "labels": ["HEDGED"]},
        ],
    }
    mixed = write(tmp_path / "m.jsonl", records("x") + json.dumps(both) + "\n")
    r = run_cli("import-labels", str(mixed), "--annotator", "zed")
    assert r.exit_code == 1 and r.output.count("\n") == 1, r.output
    assert f"{mixed}:2: --annotator zed: this record holds the annotations of 2" in r.output
    assert "nothing was imported" in r.output and annotators(db_path) == ["zed"]


def test_label_studio_says_what_it_left_out_and_refuses_to_fold_several_into_one(
    run_cli: RunCli, db_path: Path, tmp_path: Path
) -> None:
    """audit9b F2 (Label Studio): cancelled annotations and the majority's ground truth were
    skipped without a word; --annotator folded several people's annotations into one."""
    assert run_cli("import", str(write(tmp_path / "a.jsonl", ARTICLES))).exit_code == 0
    labels = write(tmp_path / "l.jsonl", records("x", "y", "x") + records("y", "x", "y"))
    assert run_cli("import-labels", str(labels)).exit_code == 0
    out = tmp_path / "ls.json"
    assert run_cli("export", "--format", "label-studio", "--view", "majority", "-o", str(out))
    tasks = json.loads(out.read_text(encoding="utf-8"))
    tasks[0]["annotations"][0]["was_cancelled"] = True
    out.write_text(json.dumps(tasks), encoding="utf-8")
    fresh = tmp_path / "fresh.sqlite"
    assert run_cli("import", str(tmp_path / "a.jsonl"), db=fresh).exit_code == 0
    r = run_cli("import-labels", str(out), "--format", "label-studio", db=fresh)
    assert r.exit_code == 0, r.output
    assert "1 cancelled annotation left out" in r.output
    assert "3 majority ground truth annotations (the majority is no one's labels)" in r.output
    r = run_cli("import-labels", str(out), "--format", "label-studio", "--annotator", "z", db=fresh)
    assert r.exit_code == 1 and "holds the annotations of 2 annotators (x, y)" in r.output


def test_an_unmatched_article_of_the_articles_file_is_named_there_and_strict_refuses_it(
    run_cli: RunCli, db_path: Path, tmp_path: Path
) -> None:
    """audit9b F7: it was reported as line 2 of the labels file (a good record), and
    --strict imported everything anyway, exit 0."""
    assert run_cli("import", str(write(tmp_path / "a.jsonl", ARTICLES))).exit_code == 0
    labels = write(tmp_path / "l.jsonl", records("x", "x"))
    side = write(
        tmp_path / "l.articles.jsonl",
        json.dumps({"id": "s1", "annotations": {"x": {"credibility": 3}}})
        + "\n"
        + json.dumps({"id": "nope", "annotations": {"x": {"credibility": 2}}})
        + "\n",
    )
    r = run_cli("import-labels", str(labels), "--strict")
    assert r.exit_code == 1, r.output
    assert f"{side}:2: no article 'nope' in the database; nothing was imported" in r.output
    assert annotators(db_path) == []
    r = run_cli("import-labels", str(labels))
    assert r.exit_code == 0 and f"{side}:2: not matched: no article 'nope'" in r.output
    assert f"{labels}:2: not matched" not in r.output and "1 not matched" in r.output


def test_a_sentence_twice_for_one_annotator_is_imported_once_and_said(
    run_cli: RunCli, db_path: Path, tmp_path: Path
) -> None:
    """audit9b F13: both records were written (the last won), "imported 2", and every import
    of the same file wrote two more events, flipping the label back and forth."""
    assert run_cli("import", str(write(tmp_path / "a.jsonl", ARTICLES))).exit_code == 0
    rec = {"article_id": "s1", "position": 0, "annotator": "x"}
    lines = [
        {**rec, "labels": ["HEDGED"]},
        {**rec, "labels": ["QUOTE"]},
        {**rec, "position": 1, "labels": ["NONE"], "updated_at": "2026-11-02T09:00:02Z"},
        {**rec, "position": 1, "labels": ["LOADED"], "updated_at": "2026-11-02T09:00:01Z"},
    ]
    labels = write(tmp_path / "l.jsonl", "".join(json.dumps(x) + "\n" for x in lines))
    r = run_cli("import-labels", str(labels))
    assert r.exit_code == 0 and "imported 2 annotations (x)" in r.output, r.output
    assert (
        "2 records of a sentence and annotator the file has again left out, the latest "
        "kept (line 2 over 1, line 3 over 4)"
    ) in r.output

    def events() -> int:
        conn = sqlite3.connect(db_path)
        try:
            return int(conn.execute("SELECT count(*) FROM events").fetchone()[0])
        finally:
            conn.close()

    def labels_of(position: int) -> list[str]:
        conn = sqlite3.connect(db_path)
        try:
            (got,) = conn.execute(
                "SELECT a.labels FROM annotations a JOIN sentences s ON s.id = a.sentence_id "
                "WHERE s.position = ?",
                [position],
            ).fetchone()
            return list(json.loads(got))
        finally:
            conn.close()

    assert (labels_of(0), labels_of(1)) == (["QUOTE"], ["NONE"])
    before = events()
    again = run_cli("import-labels", str(labels))
    assert "imported 0 annotations" in again.output and "2 already there" in again.output
    assert events() == before


def test_an_older_articles_file_does_not_revert_newer_article_judgements(
    run_cli: RunCli, db_path: Path, tmp_path: Path
) -> None:
    """audit9b F8: the articles file carried no times, so re-importing an older export
    brought x's credibility 5 back over the 2 she set later, silently. Sentences had the
    later-wins rule; article and outlet values have it now, with their times exported."""
    assert run_cli("import", str(write(tmp_path / "a.jsonl", ARTICLES))).exit_code == 0

    def judge(name: str, value: int) -> Path:
        write(
            tmp_path / f"{name}.articles.jsonl",
            json.dumps({"id": "s1", "annotations": {"x": {"credibility": value}}}) + "\n",
        )
        return write(tmp_path / f"{name}.jsonl", "")

    assert run_cli("import-labels", str(judge("first", 5))).exit_code == 0
    old = tmp_path / "old.jsonl"
    assert run_cli("export", "--view", "raw", "-o", str(old)).exit_code == 0
    side = json.loads((tmp_path / "old.articles.jsonl").read_text().splitlines()[0])
    assert set(side["annotated_at"]["x"]) == {"credibility"}
    assert run_cli("import-labels", str(judge("later", 2))).exit_code == 0
    r = run_cli("import-labels", str(old))
    assert r.exit_code == 0 and "1 older than the database's not imported" in r.output, r.output
    now = tmp_path / "now.jsonl"
    assert run_cli("export", "--view", "raw", "-o", str(now)).exit_code == 0
    rec = json.loads((tmp_path / "now.articles.jsonl").read_text().splitlines()[0])
    assert rec["annotations"] == {"x": {"credibility": 2}}
    # the time goes with the value: exported again, imported elsewhere, still the same
    assert rec["annotated_at"]["x"]["credibility"] > side["annotated_at"]["x"]["credibility"]


def test_a_closed_team_takes_gold_and_article_values_only_from_members(
    run_cli: RunCli, db_path: Path, tmp_path: Path
) -> None:
    """audit9b F17: gold adjudicated by a non-member (and article values of one) came in, and
    they became an adjudicator of a closed team, without a word; `adjudicate` opened for
    any name (a typo of --adjudicator) where `annotate` refused."""
    assert run_cli("import", str(write(tmp_path / "a.jsonl", ARTICLES))).exit_code == 0
    for who, role in (("alice", "annotator"), ("bob", "annotator"), ("dana", "adjudicator")):
        assert run_cli("team", "add", who, "--role", role).exit_code == 0
    assert run_cli("project", "set", "team", "closed").exit_code == 0
    gold = {
        "article_id": "s1",
        "position": 0,
        "annotations": [{"annotator": "alice", "labels": ["NONE"]}],
        "gold": {"labels": ["NONE"], "fields": {}, "method": "adjudicated", "adjudicator": "dnaa"},
    }
    f = write(tmp_path / "g.jsonl", json.dumps(gold) + "\n")
    r = run_cli("import-labels", str(f))
    assert r.exit_code == 1, r.output
    assert f"{f}:1: 'dnaa' is not on the team, and the team is closed: did you mean 'dana'?" in (
        r.output
    )
    f2 = write(tmp_path / "h.jsonl", records("alice"))
    side = write(
        tmp_path / "h.articles.jsonl",
        json.dumps({"id": "s1", "annotations": {"mallory": {"credibility": 1}}}) + "\n",
    )
    r = run_cli("import-labels", str(f2))
    assert r.exit_code == 1 and f"{side}:1: 'mallory' is not on the team" in r.output, r.output
    assert annotators(db_path) == ["alice", "bob", "dana"]
    for args in (("--adjudicator", "mallory"), ("--adjudicator", "dana", "--annotators", "zed")):
        r = run_cli("adjudicate", *args)
        assert r.exit_code == 1, r.output
    assert (
        "'mallory' is not on the team" in run_cli("adjudicate", "--adjudicator", "mallory").output
    )
    r = run_cli("adjudicate", "--adjudicator", "dana", "--annotators", "alice,zed")
    assert "no annotator zed (known: alice, bob, dana)" in r.output


def test_a_file_with_no_annotations_is_an_error_and_small_messages(
    run_cli: RunCli, db_path: Path, tmp_path: Path
) -> None:
    """audit9b F16: an empty labels file said "imported 0 annotations (nobody)", exit 0;
    `agreement --from-csv` of a missing file printed Python's text; `--license` went into
    the card unchecked."""
    assert run_cli("import", str(write(tmp_path / "a.jsonl", ARTICLES))).exit_code == 0
    empty = write(tmp_path / "empty.jsonl", "")
    r = run_cli("import-labels", str(empty))
    assert r.exit_code == 1 and f"{empty}: no annotations in it; nothing was imported" in r.output
    missing = tmp_path / "nope.csv"
    r = run_cli("agreement", "--from-csv", str(missing))
    assert r.exit_code == 1 and r.output.strip() == f"Error: {missing}: cannot read (no such file)"
    r = run_cli("export", "--format", "hf", "--license", "mit\nlicense: evil", "-o", str(tmp_path))
    assert r.exit_code == 2 and "not a licence id" in r.output and "Traceback" not in r.output


def test_a_file_read_as_the_wrong_format_gets_the_format_it_looks_like(
    run_cli: RunCli, db_path: Path, tmp_path: Path
) -> None:
    """audit9b F16: a Label Studio export read as jsonl was "invalid JSON at column 1", and
    JSON Lines read as Label Studio "Extra data"."""
    assert run_cli("import", str(write(tmp_path / "a.jsonl", ARTICLES))).exit_code == 0
    assert run_cli("import-labels", str(write(tmp_path / "l.jsonl", records("x")))).exit_code == 0
    ls = tmp_path / "ls.json"
    assert (
        run_cli("export", "--format", "label-studio", "--view", "raw", "-o", str(ls)).exit_code == 0
    )
    r = run_cli("import-labels", str(ls))
    assert r.exit_code == 1 and "looks like a Label Studio export: add --format label-studio" in (
        r.output
    )
    r = run_cli("import-labels", str(tmp_path / "l.jsonl"), "--format", "label-studio")
    assert r.exit_code == 1 and "looks like JSON Lines: --format jsonl, prodigy or doccano" in (
        r.output
    )
