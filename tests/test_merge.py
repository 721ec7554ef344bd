"""`annotator merge`: two copies made from one database, worked on apart, brought together.

The merged database must hold what one shared file would hold had everyone worked on it in
the same order: the test replays the same work on a single file and compares the labels,
fields, comments, gold, the confirmed counters and the agreement report.
"""

from __future__ import annotations

import json
import re
import sqlite3
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from annotator.session import AnnotationSession
from annotator.store import assignments
from annotator.store.database import open_store
from annotator.store.schemas import use_guidelines
from tests.conftest import (
    ROOT,
    SEED_LONG,
    SEED_SHORT,
    RunCli,
    guidelines_copy,
    quote_renamed,
    signals_only_lexicon,
    write,
)

SHORT = "000_60cc46f11ca30d04"
LONG = "004_2bd55176b4b53eb1"


def copy_db(src: Path, dst: Path) -> Path:
    """A copy as a user makes one (the WAL folded in: sqlite's backup)."""
    s, d = sqlite3.connect(src), sqlite3.connect(dst)
    s.backup(d)
    s.close()
    d.close()
    return dst


def work(db: Path, name: str, article: str, plan: dict[int, list[str]], **fields: Any) -> None:
    """`name` labels and confirms the sentences of `plan` (position -> labels)."""
    store = open_store(db)
    g, _ = use_guidelines(store)
    s = AnnotationSession(store, g, name, article=article)
    for i, labels in plan.items():
        s.move_to(i)
        for lab in s.current_state.labels:
            s.toggle(lab)  # a re-label: start from nothing
        for lab in labels:
            s.toggle(lab)
        if "ATTRIBUTED" in labels:
            s.set_field_key("1")
        assert s.confirm(advance=False).saved
        time.sleep(0.002)  # event times are in milliseconds: keep the order visible
    for key, value in fields.items():
        if key == "comment":
            assert s.set_article_comment(value).saved
        else:
            assert s.set_article_field(key, value).saved
    store.close()


def state(db: Path) -> dict[str, Any]:
    """What a user sees of the work, by names and positions (never row ids)."""
    conn = sqlite3.connect(db)
    q: Callable[[str], list[tuple[Any, ...]]] = lambda sql: sorted(conn.execute(sql).fetchall())  # noqa: E731
    out = {
        "labels": q(
            "SELECT a.external_id, s.position, n.name, x.labels, x.fields, x.comment, "
            "x.confirmed FROM annotations x JOIN sentences s ON s.id = x.sentence_id "
            "JOIN articles a ON a.id = s.article_id JOIN annotators n ON n.id = x.annotator_id"
        ),
        "article_fields": q(
            "SELECT a.external_id, n.name, f.field, f.value FROM article_annotations f "
            "JOIN articles a ON a.id = f.article_id JOIN annotators n ON n.id = f.annotator_id"
        ),
        "comments": q(
            "SELECT a.external_id, n.name, f.value FROM article_comments f "
            "JOIN articles a ON a.id = f.article_id JOIN annotators n ON n.id = f.annotator_id"
        ),
        "confirmed": q("SELECT name, confirmed FROM annotators WHERE confirmed > 0"),
        # the export records, but for the times (the replay on one file ran later)
        "records": sorted(
            json.dumps({k: v for k, v in json.loads(r[0]).items() if not k.endswith("_at")})
            for r in q("SELECT record FROM annotations")
        ),
    }
    conn.close()
    return out


def check_invariants(db: Path) -> None:
    conn = sqlite3.connect(db)
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
    # the counters and ranges the screen reads agree with the annotations
    for aid, confirmed in conn.execute("SELECT id, confirmed FROM annotators"):
        ids = [
            r[0]
            for r in conn.execute(
                "SELECT sentence_id FROM annotations WHERE annotator_id = ? AND confirmed = 1 "
                "ORDER BY sentence_id",
                [aid],
            )
        ]
        assert confirmed == len(ids)
        covered = [
            sid
            for lo, hi in conn.execute(
                "SELECT lo, hi FROM confirmed_ranges WHERE annotator_id = ? ORDER BY lo", [aid]
            )
            for sid in range(lo, hi + 1)
        ]
        assert covered == ids
    conn.close()


# The work, in the order it happened: (copy, annotator, article, plan, article fields)
Work = tuple[str, str, str, dict[int, list[str]], dict[str, str]]
SHARED_START: list[Work] = [("base", "alice", SHORT, {0: ["NONE"], 1: ["ATTRIBUTED"]}, {})]
APART: list[Work] = [
    ("a", "alice", SHORT, {2: ["QUOTE"], 3: ["HEDGED"], 4: ["EDITORIAL"]}, {}),
    ("b", "carol", SHORT, {0: ["NONE"], 1: ["ATTRIBUTED", "QUOTE"], 2: ["QUOTE"]}, {}),
    ("a", "bob", SHORT, {0: ["NONE"], 1: ["HEDGED"], 4: ["LOADED"]}, {"comment": "bob was here"}),
    # alice changes sentences 4 and 1 again on the other copy, later: hers there must win
    ("b", "alice", SHORT, {4: ["LOADED"], 1: ["NONE"]}, {}),
    ("b", "carol", LONG, {0: ["BOILERPLATE"], 5: ["UNVERIFIED"]}, {"comment": "long one"}),
    # and sentence 3 here, later still: this database's change must win
    ("a", "alice", SHORT, {3: ["UNVERIFIED"]}, {}),
]


@pytest.fixture
def copies(tmp_path: Path, run_cli: RunCli) -> dict[str, Path]:
    base = tmp_path / "base.sqlite"
    single = tmp_path / "single.sqlite"
    assert run_cli("import", str(SEED_SHORT), str(SEED_LONG), db=base).exit_code == 0
    for _copy, name, article, plan, fields in SHARED_START:
        work(base, name, article, plan, **fields)
    paths = {
        "a": copy_db(base, tmp_path / "a.sqlite"),
        "b": copy_db(base, tmp_path / "b.sqlite"),
        "single": copy_db(base, single),
    }
    for copy, name, article, plan, fields in APART:
        work(paths[copy], name, article, plan, **fields)
        work(single, name, article, plan, **fields)
    return paths


def merged_json(run_cli: RunCli, into: Path, other: Path, *extra: str) -> dict[str, Any]:
    result = run_cli("merge", str(other), "--format", "json", *extra, db=into)
    assert result.exit_code == 0, result.output
    data: dict[str, Any] = json.loads(result.output)
    return data


def test_merge_equals_one_shared_file(copies: dict[str, Path], run_cli: RunCli) -> None:
    a, b, single = copies["a"], copies["b"], copies["single"]
    events_b = sqlite3.connect(b).execute("SELECT count(*) FROM events").fetchone()[0]
    events_base = 7  # alice's two confirms on the shared start: toggles, source type, confirms
    report = merged_json(run_cli, a, b)
    assert report["events_known"] >= 1
    assert report["events_added"] + report["events_known"] == events_b
    assert report["events_added"] == events_b - report["events_known"]
    assert report["events_known"] >= min(events_base, report["events_known"])
    assert report["annotators_added"] == ["carol"]
    assert report["articles_matched"] == 2 and report["articles_added"] == []
    conflicts = {(c["who"], c["where"], c["winner"]) for c in report["conflicts"]}
    # alice changed sentence 4 in both copies: the copy's change is later, it wins; sentence 1
    # she changed only in the copy after the shared start (no conflict); sentence 3 changed
    # only here
    assert conflicts == {("alice", f"{SHORT}:4", "there")}
    assert state(a) == state(single)
    check_invariants(a)
    # the agreement a team reads is the same as on the one shared file
    agree = [
        json.loads(run_cli("agreement", "--format", "json", db=db).output) for db in (a, single)
    ]
    assert agree[0] == agree[1]


def test_merging_twice_changes_nothing(copies: dict[str, Path], run_cli: RunCli) -> None:
    a, b = copies["a"], copies["b"]
    merged_json(run_cli, a, b)
    before = state(a)
    events = sqlite3.connect(a).execute("SELECT count(*) FROM events").fetchone()[0]
    again = merged_json(run_cli, a, b)
    assert again["events_added"] == 0 and again["conflicts"] == []
    assert not any(again["states_taken"].values())
    assert state(a) == before
    assert sqlite3.connect(a).execute("SELECT count(*) FROM events").fetchone()[0] == events
    text = run_cli("merge", str(b), db=a)
    assert text.exit_code == 0 and "nothing new to merge" in text.output
    # and the other way round: b gets a's work, and the two copies then agree
    merged_json(run_cli, b, a)
    assert state(b) == state(a)
    check_invariants(b)


def test_the_summary_names_sentences_as_exports_do(
    copies: dict[str, Path], run_cli: RunCli
) -> None:
    """audit10 F9: the summary said "sentence 5" of the sentence every export and
    import-labels call ARTICLE:4 (positions from 0), and "taken from the copy: 2 sentence"."""
    a, b = copies["a"], copies["b"]
    text = run_cli("merge", str(b), db=a)
    assert text.exit_code == 0, text.output
    lines = text.output.splitlines()
    (conflict,) = [line for line in lines if line.startswith("    sentence ")]
    assert conflict.startswith(f"    sentence {SHORT}:4 by alice: here ")
    assert conflict.endswith(": the copy's kept")
    # the id is the one the export gives the sentence alice's later labels (LOADED) are on
    exported = run_cli("export", "--view", "raw", "-o", "-", db=a)
    mine = [
        r
        for r in map(json.loads, exported.stdout.splitlines())
        if r["annotator"] == "alice" and r["labels"] == ["LOADED"]
    ]
    assert [r["id"] for r in mine] == [f"{SHORT}:4"]
    (taken,) = [line for line in lines if "taken from the copy:" in line]
    assert re.search(r"taken from the copy: \d+ article comments?, \d+ sentences$", taken), taken


def test_dry_run_writes_nothing(copies: dict[str, Path], run_cli: RunCli) -> None:
    a, b = copies["a"], copies["b"]
    before = state(a)
    events = sqlite3.connect(a).execute("SELECT count(*) FROM events").fetchone()[0]
    plan = merged_json(run_cli, a, b, "--dry-run")
    assert plan["dry_run"] and plan["events_added"] > 0 and len(plan["conflicts"]) == 1
    assert state(a) == before
    assert sqlite3.connect(a).execute("SELECT count(*) FROM events").fetchone()[0] == events
    real = merged_json(run_cli, a, b)
    assert {k: v for k, v in real.items() if k != "dry_run"} == {
        k: v for k, v in plan.items() if k != "dry_run"
    }


def test_undo_after_merge_reverses_the_merged_change(
    copies: dict[str, Path], run_cli: RunCli
) -> None:
    """The history travels with the labels: carol's last change, made on the copy, is
    undone on the merged database as on her own copy."""
    a, b = copies["a"], copies["b"]
    merged_json(run_cli, a, b)
    for db in (a, b):
        store = open_store(db)
        g, _ = use_guidelines(store)
        s = AnnotationSession(store, g, "carol", article=LONG)
        assert s.undo().saved
        store.close()
    assert [r for r in state(a)["labels"] if r[2] == "carol"] == [
        r for r in state(b)["labels"] if r[2] == "carol"
    ]
    check_invariants(a)


def test_articles_only_in_the_copy_come_with_their_work(tmp_path: Path, run_cli: RunCli) -> None:
    here = tmp_path / "here.sqlite"
    there = tmp_path / "there.sqlite"
    assert run_cli("import", str(SEED_SHORT), db=here).exit_code == 0
    copy_db(here, there)
    assert run_cli("import", str(SEED_LONG), db=there).exit_code == 0
    # another text under an id this database already uses: not merged, said
    clash = write(tmp_path / "clash" / f"{SHORT}.txt", "A different text. It has two sentences.\n")
    other = tmp_path / "other.sqlite"
    assert run_cli("import", str(clash), db=other).exit_code == 0
    work(there, "dana", LONG, {0: ["BOILERPLATE"], 2: ["NONE"]}, comment="from the laptop")
    with open_store(there) as store:
        assignments.assign(store, ["dana"], per_article=1, calibration=0, seed=3, dry_run=False)
    report = merged_json(run_cli, here, there)
    assert report["articles_added"] == [LONG]
    assert report["assignments_added"] == 2
    assert state(here) == state(there)
    check_invariants(here)
    conn = sqlite3.connect(here)
    n, first, count = conn.execute(
        "SELECT (SELECT count(*) FROM sentences WHERE article_id = a.id), first_sentence_id, "
        "sentence_count FROM articles a WHERE external_id = ?",
        [LONG],
    ).fetchone()
    assert n == count and first is not None
    ids = [
        r[0]
        for r in conn.execute(
            "SELECT id FROM sentences WHERE article_id = "
            "(SELECT id FROM articles WHERE external_id = ?) "
            "ORDER BY position",
            [LONG],
        )
    ]
    assert ids == list(range(first, first + count))  # contiguous, as the screen assumes
    skipped = merged_json(run_cli, here, other)
    assert skipped["articles_skipped"] == [SHORT] and skipped["articles_added"] == []
    # the added article has the suggestions an import gives it (a split project counts it
    # as "suggestions shown"): the same as on the copy, where it was imported
    assert report["suggested"] > 0
    assert suggestions_of(here, LONG) == suggestions_of(there, LONG) != []


def suggestions_of(db: Path, article: str) -> list[tuple[Any, ...]]:
    conn = sqlite3.connect(db)
    rows = conn.execute(
        "SELECT s.position, x.label, x.source, x.score, x.cue_start, x.cue_end FROM suggestions x "
        "JOIN sentences s ON s.id = x.sentence_id JOIN articles a ON a.id = s.article_id "
        "WHERE a.external_id = ? ORDER BY 1, 2, 3",
        [article],
    ).fetchall()
    conn.close()
    return rows


def test_an_accepted_suggestion_keeps_its_origin_through_a_merge(
    tmp_path: Path, run_cli: RunCli
) -> None:
    # the merge copied events without `origin`: accepted suggestions came back as typed,
    # and `agreement --by suggestions` counted none accepted after the merge
    from annotator.suggesting import accept_boilerplate

    here = tmp_path / "here.sqlite"
    assert run_cli("import", str(SEED_LONG), db=here).exit_code == 0
    assert run_cli("project", "set", "suggestions", "on", db=here).exit_code == 0
    there = copy_db(here, tmp_path / "there.sqlite")
    store = open_store(there)
    g, _ = use_guidelines(store)
    s = AnnotationSession(store, g, "dana", article=LONG)
    assert accept_boilerplate(s).saved
    store.close()
    q = (
        "SELECT e.kind, e.action, e.origin, s.position FROM events e "
        "JOIN sentences s ON s.id = e.sentence_id ORDER BY e.at, s.position"
    )
    conn = sqlite3.connect(there)
    theirs = conn.execute(q).fetchall()
    conn.close()
    assert theirs and all(o.startswith("suggestion:importer@") for _k, _a, o, _p in theirs)
    report = merged_json(run_cli, here, there)
    assert report["events_added"] == len(theirs)
    # and what dana was shown there (with suggestions) is what `agreement --by suggestions`
    # reads here, not the split recomputed
    assert report["conditions_added"] == 1
    cond = (
        "SELECT n.name, a.external_id, c.shown, c.at FROM suggestion_conditions c "
        "JOIN annotators n ON n.id = c.annotator_id JOIN articles a ON a.id = c.article_id"
    )
    conn = sqlite3.connect(there)
    recorded = conn.execute(cond).fetchall()
    conn.close()
    assert [r[:3] for r in recorded] == [("dana", LONG, 1)]
    conn = sqlite3.connect(here)
    assert conn.execute(q).fetchall() == theirs
    assert conn.execute(cond).fetchall() == recorded
    conn.close()
    assert merged_json(run_cli, here, there)["conditions_added"] == 0  # merged once


def test_a_merge_suggests_for_added_articles_as_an_import_does(
    tmp_path: Path, run_cli: RunCli
) -> None:
    # merge and import share one refresh: the project's stored lexicon (here its own, which
    # hedges only "signal*") filtered to its schema (no QUOTE), never the bundled one
    folder = signals_only_lexicon(tmp_path / "g")
    here = tmp_path / "here.sqlite"
    result = run_cli("--guidelines", str(folder), "import", str(SEED_SHORT), db=here)
    assert result.exit_code == 0, result.output
    # then a schema without QUOTE (a folder without cues.toml: the stored lexicon stays)
    schema = quote_renamed(guidelines_copy(tmp_path / "s", leave_out="cues.toml"))
    adopted = run_cli("--guidelines", str(schema), "guidelines", db=here)
    assert adopted.exit_code == 0 and "label schema changed" in adopted.output
    there = copy_db(here, tmp_path / "there.sqlite")
    imported = copy_db(here, tmp_path / "imported.sqlite")
    assert run_cli("import", str(SEED_LONG), db=there).exit_code == 0
    assert merged_json(run_cli, here, there)["articles_added"] == [LONG]
    assert run_cli("import", str(SEED_LONG), db=imported).exit_code == 0

    def made(db: Path) -> tuple[list[tuple[Any, ...]], list[tuple[Any, ...]]]:
        conn = sqlite3.connect(db)
        rows = conn.execute(
            "SELECT s.position, x.label, x.source, x.version, x.score, x.cue, x.cue_start, "
            "x.cue_end, x.source_type FROM suggestions x JOIN sentences s ON s.id = x.sentence_id"
            " JOIN articles a ON a.id = s.article_id WHERE a.external_id = ? ORDER BY 1, 2, 3",
            [LONG],
        ).fetchall()
        sources = conn.execute(
            "SELECT source, version, config FROM suggestion_sources ORDER BY 1"
        ).fetchall()
        conn.close()
        return rows, sources

    merged, imported_rows = made(here), made(imported)
    assert merged == imported_rows
    rows = merged[0]
    hedged = [r for r in rows if r[1] == "HEDGED"]
    assert hedged and all(str(r[5]).startswith("signals: signal") for r in hedged)
    assert "QUOTE" not in {r[1] for r in rows} and "ATTRIBUTED" in {r[1] for r in rows}


def _conditions(db: Path) -> dict[tuple[str, str], tuple[int, str]]:
    conn = sqlite3.connect(db)
    rows = conn.execute(
        "SELECT n.name, a.external_id, c.shown, c.at FROM suggestion_conditions c "
        "JOIN annotators n ON n.id = c.annotator_id JOIN articles a ON a.id = c.article_id"
    ).fetchall()
    conn.close()
    return {(str(w), str(a)): (int(s), str(at)) for w, a, s, at in rows}


def test_many_conditions_merge_to_the_first_showing(tmp_path: Path, run_cli: RunCli) -> None:
    # one read of this database's conditions serves every row of the copy: each (annotator,
    # article) keeps its earliest showing, whichever copy recorded it
    from annotator.store.annotations import annotator_id
    from annotator.store.conditions import record_in_tx

    base = tmp_path / "base.sqlite"
    assert run_cli("import", str(SEED_SHORT), str(SEED_LONG), db=base).exit_code == 0
    here = copy_db(base, tmp_path / "here.sqlite")
    there = copy_db(base, tmp_path / "there.sqlite")
    names = [f"ann{i:02d}" for i in range(30)]

    def show(db: Path, who: list[str], shown: bool) -> None:
        with open_store(db) as store:
            ids = {n: annotator_id(store, n) for n in who}
            articles = [int(r[0]) for r in store.all("SELECT id FROM articles ORDER BY id")]
            with store.write() as conn:
                for n in who:
                    for article in articles:
                        record_in_tx(conn, ids[n] or 0, (article, shown))
        time.sleep(0.005)  # times are to the millisecond: keep the phases apart

    first_here = names[0::3]  # shown here first: here's showing stays
    first_there = names[1::3]  # shown on the copy first: the copy's replaces here's
    only_there = names[2::3]  # only on the copy: added
    show(here, first_here, True)
    show(there, names, False)
    show(here, first_there, True)
    before_here, theirs = _conditions(here), _conditions(there)
    assert len(theirs) == 60 and len(before_here) == 40
    report = merged_json(run_cli, here, there)
    assert report["conditions_added"] == 2 * (len(first_there) + len(only_there))
    expected = {
        k: min(before_here.get(k, theirs[k]), theirs[k], key=lambda v: v[1]) for k in theirs
    }
    after = _conditions(here)
    assert after == expected
    assert {k[0] for k, (shown, _at) in after.items() if shown} == set(first_here)
    assert merged_json(run_cli, here, there)["conditions_added"] == 0  # merged once


@pytest.mark.parametrize("case", ["itself", "missing", "not ours", "folder", "text file"])
def test_merge_refuses_with_one_line(tmp_path: Path, run_cli: RunCli, case: str) -> None:
    db = tmp_path / "here.sqlite"
    assert run_cli("import", str(SEED_SHORT), db=db).exit_code == 0
    other = {
        "itself": db,
        "missing": tmp_path / "nope.sqlite",
        "not ours": tmp_path / "foreign.sqlite",
        "folder": tmp_path,
        "text file": write(tmp_path / "notes.txt", "not a database\n"),
    }[case]
    if case == "not ours":
        c = sqlite3.connect(other)
        c.execute("CREATE TABLE t (x)")
        c.commit()
        c.close()
    before = Path(other).read_bytes() if Path(other).is_file() else None
    result = run_cli("merge", str(other), db=db)
    assert result.exit_code != 0
    assert "Traceback" not in result.output
    lines = [x for x in result.output.splitlines() if x.strip()]
    assert len(lines) == 1 and str(other) in lines[0], result.output
    if before is not None and case != "itself":
        assert Path(other).read_bytes() == before  # merge only reads the other copy


def gold_state(db: Path) -> list[tuple[Any, ...]]:
    conn = sqlite3.connect(db)
    rows = sorted(
        conn.execute(
            "SELECT a.external_id, s.position, g.labels, g.fields, g.method, n.name, "
            "g.agrees_with, g.note FROM gold_annotations g "
            "JOIN sentences s ON s.id = g.sentence_id JOIN articles a ON a.id = s.article_id "
            "LEFT JOIN annotators n ON n.id = g.adjudicator_id"
        ).fetchall()
    )
    conn.close()
    return rows


def test_gold_decided_on_a_copy_is_merged(tmp_path: Path) -> None:
    from annotator.adjudication import AdjudicationSession
    from tests.consumers import cli_run, team_db

    base = team_db(tmp_path, "no_gold")  # the samples labelled by alice and bob
    here, there = copy_db(base, tmp_path / "here.sqlite"), copy_db(base, tmp_path / "there.sqlite")
    store = open_store(there)
    g, _ = use_guidelines(store)
    adj = AdjudicationSession(store, g, "dana")  # records the unanimous gold
    for i in range(3):
        adj.index = i
        assert adj.pick(1).saved
    assert adj.note("settled on the laptop").saved
    store.close()
    assert gold_state(here) == [] and len(gold_state(there)) > 3
    out = cli_run(here, "merge", str(there), "--format", "json")
    assert out.exit_code == 0, out.output
    report = json.loads(out.output)
    assert report["states_taken"]["gold sentence"] == len(gold_state(there))
    assert gold_state(here) == gold_state(there)
    assert any(r[-1] == "settled on the laptop" for r in gold_state(here))
    check_invariants(here)
    again = json.loads(cli_run(here, "merge", str(there), "--format", "json").output)
    assert again["events_added"] == 0
    # the gold export of the merged database is the copy's
    exports = [
        cli_run(db, "export", "--format", "jsonl", "--view", "gold", "-o", "-").output
        for db in (here, there)
    ]
    assert exports[0] == exports[1] and exports[0].strip()


def test_a_copy_from_an_older_annotator_is_read_not_upgraded(
    tmp_path: Path, run_cli: RunCli
) -> None:
    """Merging never writes to the copy, not even to upgrade it: it is upgraded in a
    temporary file."""
    here = tmp_path / "here.sqlite"
    assert run_cli("import", str(SEED_SHORT), db=here).exit_code == 0
    there = copy_db(here, tmp_path / "there.sqlite")
    work(there, "erin", SHORT, {0: ["NONE"], 1: ["QUOTE"]})
    conn = sqlite3.connect(there)  # as the release before the team table left it
    conn.execute("DROP TABLE team_members")
    conn.execute("DROP TABLE assignments")
    conn.execute("DELETE FROM _sqlite_migrations WHERE name = '0007_team'")
    conn.commit()
    conn.execute("PRAGMA journal_mode = DELETE")
    conn.close()
    before = there.read_bytes()
    report = merged_json(run_cli, here, there)
    assert report["annotators_added"] == ["erin"] and report["states_taken"]["sentence"] == 2
    assert there.read_bytes() == before
    assert not Path(f"{there}-wal").exists()
    assert state(here)["labels"] == state(there)["labels"]


def test_a_member_taken_off_after_the_copy_stays_off(
    imported_db: Path, run_cli: RunCli, tmp_path: Path
) -> None:
    """audit10 F4: `merge` of a copy made before `team remove carol` put carol back on the
    closed team ("new team members: carol"), though the removal was the later change; she
    could annotate again from a terminal and `assign` counted her."""
    for who in ("alice", "carol"):
        assert run_cli("team", "add", who).exit_code == 0
    assert run_cli("project", "set", "team", "closed").exit_code == 0
    laptop = tmp_path / "laptop.sqlite"
    copy_db(imported_db, laptop)
    time.sleep(0.01)  # the removal is later than the copy's membership, as in life
    assert run_cli("team", "remove", "carol").exit_code == 0
    r = run_cli("merge", str(laptop))
    assert r.exit_code == 0, r.output
    assert "kept off the team (taken off here after the copy was made): carol" in r.output
    assert "new team members" not in r.output
    assert "carol" not in run_cli("team", "list").output
    # someone added on the copy and never removed here still comes in
    other = tmp_path / "other.sqlite"
    copy_db(imported_db, other)
    assert run_cli("team", "add", "dana", db=other).exit_code == 0
    r = run_cli("merge", str(other))
    assert "new team members: dana" in r.output, r.output
    # added back here: the removal no longer holds
    assert run_cli("team", "add", "carol").exit_code == 0
    assert "carol" in run_cli("team", "list").output


def test_undo_after_merge_never_erases_the_answer_that_won(tmp_path: Path, run_cli: RunCli) -> None:
    """audit14 F2: bob labelled a sentence on a laptop copy (QUOTE), then otherwise here,
    later (UNVERIFIED); the merge kept this database's, the later, but brought the laptop's
    events in with the newest ids, and bob's `z` undid those: his confirmed UNVERIFIED was
    unconfirmed, then its labels set to the laptop's `before`, nothing."""
    office = tmp_path / "office.sqlite"
    assert run_cli("import", str(SEED_SHORT), db=office).exit_code == 0
    laptop = copy_db(office, tmp_path / "laptop.sqlite")
    work(laptop, "bob", SHORT, {0: ["QUOTE"]})
    time.sleep(0.01)
    work(office, "bob", SHORT, {0: ["UNVERIFIED"]})
    merged = merged_json(run_cli, office, laptop)
    assert merged["conflicts"], merged

    def bobs() -> tuple[list[str], int]:
        row = (
            sqlite3.connect(office)
            .execute(
                "SELECT a.labels, a.confirmed FROM annotations a JOIN annotators n "
                "ON n.id = a.annotator_id JOIN sentences s ON s.id = a.sentence_id "
                "WHERE n.name = 'bob' AND s.position = 0"
            )
            .fetchone()
        )
        return json.loads(row[0]), int(row[1])

    assert bobs() == (["UNVERIFIED"], 1)
    store = open_store(office)
    g, _ = use_guidelines(store)
    s = AnnotationSession(store, g, "bob", article=SHORT)
    said = [s.undo().message for _ in range(2)]
    assert all(m and m.startswith("not undone: ") for m in said), said
    assert bobs() == (["UNVERIFIED"], 1)  # the laptop's changes never stood here
    # then bob's own changes here, latest first
    assert s.undo().message == "undone: confirm"
    assert bobs() == (["UNVERIFIED"], 0)
    store.close()
    check_invariants(office)


def test_the_same_outcome_in_both_copies_is_no_conflict_and_gold_names_both_sides(
    tmp_path: Path, run_cli: RunCli, monkeypatch: pytest.MonkeyPatch
) -> None:
    """audit14 F4: each copy's adjudication screen made the same unanimous gold, and the
    merge listed every one as a conflict; the one real conflict (dave decided on his copy,
    erin otherwise here, later) was shown "by dave" although erin's decision was kept."""
    from annotator.adjudication import AdjudicationSession
    from tests.test_export import RAW

    monkeypatch.chdir(ROOT)
    here = tmp_path / "here.sqlite"
    assert run_cli("import", "samples", db=here).exit_code == 0
    assert run_cli("import-labels", str(RAW), db=here).exit_code == 0
    there = copy_db(here, tmp_path / "there.sqlite")

    def adjudicate(db: Path, name: str, version: int) -> int:
        store = open_store(db)
        g, _ = use_guidelines(store)
        s = AdjudicationSession(store, g, name)
        assert s.auto_added > 0  # the unanimous gold, the same in both copies
        item = s.current
        assert item is not None and item.sentence_id is not None
        assert s.pick(version).saved
        store.close()
        return item.sentence_id

    sid = adjudicate(there, "dave", 1)
    time.sleep(0.01)
    assert adjudicate(here, "erin", 2) == sid
    text = run_cli("merge", str(there), "--dry-run", db=here).output
    assert "here erin " in text and "there dave " in text, text
    merged = merged_json(run_cli, here, there)
    conflicts = merged["conflicts"]
    assert len(conflicts) == 1, [(x["what"], x["where"]) for x in conflicts]
    (c,) = conflicts
    assert (c["what"], c["who"], c["here_who"], c["winner"]) == (
        "gold sentence",
        "dave",
        "erin",
        "here",
    )
