"""The export JSON the database keeps (migration 0003) and the grouped read of it.

Triggers keep `sentence_records`, `annotations.record` and `gold_annotations.record` in step
with every write; these tests make the writes the product makes (annotation keys, undo,
comments, label import, adjudication) and check nothing went stale, then check the grouped
export query keeps annotations in annotator-name order whatever order the annotators were
created in, and brings gold of sentences nobody confirmed.
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Any

import pytest

from annotator.adjudication import AdjudicationSession
from annotator.session import AnnotationSession
from annotator.store import annotations as ann
from annotator.store import exporting
from annotator.store.database import open_store
from annotator.store.schemas import use_guidelines
from tests.conftest import ROOT, SEED_LONG, RunCli, write

RAW = ROOT / "tests" / "data" / "annotations_raw.jsonl"
EXPECTED = ROOT / "tests" / "data" / "export"


def labelled(run_cli: RunCli, db: Path) -> None:
    """The samples with tests/data's two annotators' labels (run from the repository)."""
    assert run_cli("import", "samples", db=db).exit_code == 0
    assert run_cli("import-labels", str(RAW), db=db).exit_code == 0


def stale(db: Path) -> dict[str, int]:
    store = open_store(db)
    try:
        return exporting.stale_records(store)
    finally:
        store.close()


def test_every_write_keeps_the_records_fresh(run_cli: RunCli, imported_db: Path) -> None:
    store = open_store(imported_db)
    g, _ = use_guidelines(store)
    s = AnnotationSession(store, g, "zoe", article=SEED_LONG.stem)
    s.toggle("ATTRIBUTED")
    s.set_field_key("1")
    s.comment('said "so" \\ with a backslash')
    s.confirm()
    s.toggle("HEDGED")
    s.confirm()
    s.toggle("EDITORIAL")
    s.undo()  # the toggle reversed: the record must follow
    s.confirm()
    s.move(-1)
    s.toggle("HEDGED")  # the last label off: unconfirmed
    store.close()
    assert stale(imported_db) == {"sentences": 0, "annotations": 0, "gold": 0}
    assert run_cli("import-labels", str(RAW)).exit_code == 0
    store = open_store(imported_db)
    adj = AdjudicationSession(store, g, "dana")
    adj.pick(1)
    adj.toggle("LOADED")
    adj.note("a note")
    adj.accept()
    adj.undo()
    adj.pick(2)
    n = store.scalar("SELECT count(*) FROM annotations WHERE record IS NOT NULL")
    assert isinstance(n, int) and n == store.scalar("SELECT count(*) FROM annotations") and n > 30
    gold = store.scalar("SELECT count(*) FROM gold_annotations")
    assert isinstance(gold, int) and gold > 0
    store.close()
    assert stale(imported_db) == {"sentences": 0, "annotations": 0, "gold": 0}
    # a write the product never makes still leaves nothing stale: the triggers see it
    conn = sqlite3.connect(imported_db)
    conn.execute("UPDATE annotators SET name = 'zoë' WHERE name = 'zoe'")
    conn.execute("UPDATE articles SET external_id = 'renamed' WHERE id = 1")
    conn.commit()
    conn.close()
    assert stale(imported_db) == {"sentences": 0, "annotations": 0, "gold": 0}


def test_the_checker_sees_a_bypassed_trigger(imported_db: Path) -> None:
    conn = sqlite3.connect(imported_db)
    conn.execute("UPDATE sentence_records SET record = '{}' WHERE sentence_id = 3")
    conn.execute("DELETE FROM sentence_records WHERE sentence_id = 4")
    conn.commit()
    conn.close()
    assert stale(imported_db)["sentences"] == 2


@pytest.mark.parametrize("view", ["raw", "gold", "majority"])
def test_annotators_created_out_of_name_order_export_the_same(
    run_cli: RunCli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, view: str
) -> None:
    """bob is created before alice here: group_concat's id order is then not name order,
    and each sentence's annotations must be put back in name order."""
    monkeypatch.chdir(ROOT)
    dbs = {}
    for name in ("straight", "flipped"):
        db = tmp_path / f"{name}.sqlite"
        assert run_cli("import", "samples", db=db).exit_code == 0
        if name == "flipped":  # bob opens the annotation screen first
            store = open_store(db)
            ann.annotator_id(store, "bob")
            store.close()
        assert run_cli("import-labels", str(RAW), db=db).exit_code == 0
        dbs[name] = db
    conn = sqlite3.connect(dbs["flipped"])
    assert [r[0] for r in conn.execute("SELECT name FROM annotators ORDER BY id")] == [
        "bob",
        "alice",
    ]
    conn.close()
    out = {}
    for name, db in dbs.items():
        dest = tmp_path / f"{name}-{view}.jsonl"
        assert run_cli("export", "--view", view, "-o", str(dest), db=db).exit_code == 0
        out[name] = dest.read_bytes()
    assert out["flipped"] == out["straight"]
    if view == "raw":  # and both are the fixed expected file
        assert out["straight"] == (EXPECTED / "jsonl_raw.jsonl").read_bytes()
    records = [json.loads(x) for x in out["flipped"].splitlines()]
    if view != "raw":
        both = [r for r in records if len(r["annotations"]) == 2]
        assert both and all(
            [a["annotator"] for a in r["annotations"]] == ["alice", "bob"] for r in both
        )


def test_gold_on_a_sentence_nobody_confirmed_is_exported_in_order(
    run_cli: RunCli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(ROOT)
    db = tmp_path / "g.sqlite"
    labelled(run_cli, db)
    store = open_store(db)
    g, _ = use_guidelines(store)
    adj = AdjudicationSession(store, g, "dana")
    adj.pick(1)
    gold_sid = store.scalar(
        "SELECT min(sentence_id) FROM gold_annotations WHERE method <> 'unanimous'"
    )
    # every annotator takes the sentence back: its gold stays, nobody confirms it now
    store.conn.execute("UPDATE annotations SET confirmed = 0 WHERE sentence_id = ?", [gold_sid])
    store.conn.commit()
    store.close()
    dest = tmp_path / "gold.jsonl"
    assert run_cli("export", "-o", str(dest), db=db).exit_code == 0
    records = [json.loads(x) for x in dest.read_text(encoding="utf-8").splitlines()]
    store = open_store(db)
    ids = [exporting_id(store, r["id"]) for r in records]
    store.close()
    assert ids == sorted(ids) and len(ids) == len(set(ids))
    mine = [r for r, i in zip(records, ids, strict=True) if i == gold_sid]
    assert len(mine) == 1 and mine[0]["annotations"] == [] and mine[0]["gold"] is not None
    dest_all = tmp_path / "all.jsonl"
    assert run_cli("export", "--all-sentences", "-o", str(dest_all), db=db).exit_code == 0
    every = [json.loads(x) for x in dest_all.read_text(encoding="utf-8").splitlines()]
    assert [r for r in every if r["id"] == mine[0]["id"]] == mine
    store = open_store(db)
    assert len(every) == store.scalar("SELECT count(*) FROM sentences")
    store.close()


def exporting_id(store: object, record_id: str) -> int:
    """The sentence id of an exported record id ("article:position")."""
    article, position = record_id.rsplit(":", 1)
    return int(
        store.scalar(  # type: ignore[attr-defined]
            "SELECT s.id FROM sentences s JOIN articles a ON a.id = s.article_id "
            "WHERE a.external_id = ? AND s.position = ?",
            [article, int(position)],
        )
    )


def test_records_and_sidecar_show_one_moment(
    run_cli: RunCli, imported_db: Path, tmp_path: Path
) -> None:
    """An article imported and a sentence confirmed while the export runs are in neither the
    records nor the articles sidecar: the export reads one snapshot."""
    from annotator.export.formats import export

    assert run_cli("import-labels", str(RAW)).exit_code == 0
    new_article = write(
        tmp_path / "late.txt",
        "Title: Late news\n\nOfficials said it rained. It could stop, analysts said.\n",
    )
    store = open_store(imported_db)
    g, _ = use_guidelines(store)
    before = store.scalar("SELECT count(*) FROM articles")
    assert isinstance(before, int)
    calls: list[int] = []

    def meanwhile(n: int) -> None:
        if not calls:  # another connection writes while the export is reading
            assert run_cli("import", str(new_article)).exit_code == 0
            other = open_store(imported_db)
            s = AnnotationSession(other, g, "mallory", article="late")
            s.toggle("ATTRIBUTED")
            s.confirm()
            other.close()
        calls.append(n)

    out = tmp_path / "out.jsonl"
    export(store, g, "jsonl", "gold", out, progress=meanwhile)
    after = store.scalar("SELECT count(*) FROM articles")
    store.close()
    assert calls and after == before + 1
    records = [json.loads(x) for x in out.read_text(encoding="utf-8").splitlines()]
    side = out.with_name("out.articles.jsonl").read_text(encoding="utf-8").splitlines()
    assert len(side) == before
    assert not [r for r in records if r["article_id"] == "late"]
    assert "mallory" not in {a["annotator"] for r in records for a in r["annotations"]}


# --- the helper process (export/parallel.py) ------------------------------------------------


def export_bytes(run_cli: RunCli, db: Path, dest: Path, *args: str) -> bytes:
    result = run_cli("export", *args, "-o", str(dest), db=db)
    assert result.exit_code == 0, result.output
    return dest.read_bytes() + dest.with_name(dest.stem + ".articles.jsonl").read_bytes()


@pytest.mark.parametrize("flipped", [False, True])
@pytest.mark.parametrize(
    "args", [(), ("--view", "raw"), ("--all-sentences",), ("--view", "raw", "--all-sentences")]
)
def test_two_processes_write_the_same_file_as_one(
    run_cli: RunCli,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    args: tuple[str, ...],
    flipped: bool,
) -> None:
    monkeypatch.chdir(ROOT)
    db = tmp_path / "p.sqlite"
    assert run_cli("import", "samples", db=db).exit_code == 0
    if flipped:  # annotator ids out of name order: the reordering path, in both processes
        store = open_store(db)
        ann.annotator_id(store, "bob")
        store.close()
    assert run_cli("import-labels", str(RAW), db=db).exit_code == 0
    store = open_store(db)
    g, _ = use_guidelines(store)
    adj = AdjudicationSession(store, g, "dana")
    adj.pick(1)
    # gold on a sentence nobody confirms any more, in the helper's half
    late = store.scalar("SELECT max(sentence_id) FROM gold_annotations")
    store.conn.execute("UPDATE annotations SET confirmed = 0 WHERE sentence_id = ?", [late])
    store.conn.commit()
    store.close()
    one = export_bytes(run_cli, db, tmp_path / "one.jsonl", "--jobs", "1", *args)
    two = export_bytes(run_cli, db, tmp_path / "two.jsonl", "--jobs", "2", *args)
    assert one == two and one.count(b"\n") > 10
    # the helper's part file is gone; only the two exports and their sidecars are left
    assert sorted(p.name for p in tmp_path.iterdir() if not p.name.startswith("p.sqlite")) == [
        "one.articles.jsonl",
        "one.jsonl",
        "two.articles.jsonl",
        "two.jsonl",
    ]


def test_the_helper_joins_the_snapshot_while_writers_wait(imported_db: Path) -> None:
    store = open_store(imported_db)
    other = sqlite3.connect(imported_db, timeout=0.2)
    helper = sqlite3.connect(imported_db)

    def join() -> bool:
        with pytest.raises(sqlite3.OperationalError, match="locked"):
            other.execute("DELETE FROM sentences WHERE id = 1")  # held off
        exporting.begin_snapshot(helper)
        return True

    count = "SELECT count(*) FROM sentence_records"
    before = store.scalar(count)
    assert isinstance(before, int)
    with exporting.snapshot(store, join) as joined:
        assert joined
        other.execute("DELETE FROM sentences WHERE id = 1")  # lands now, after both began
        other.commit()
        assert store.scalar(count) == before == helper.execute(count).fetchone()[0]
    helper.execute("COMMIT")
    assert store.scalar(count) == before - 1
    for c in (other, helper):
        c.close()
    store.close()


def write_with_helper(db: Path, view: str, dest: Path, *, kill: bool = False) -> tuple[int, Any]:
    """write_jsonl with a helper forced on (killed once it has joined, with `kill`): the
    records written, and the helper."""
    from annotator.export import parallel
    from annotator.export.formats import write_jsonl
    from annotator.export.records import Job

    store = open_store(db)
    g, _ = use_guidelines(store)
    helper = parallel.start(store, view, False, dest.parent, force=True)
    assert helper is not None
    try:
        with exporting.snapshot(store, helper.begin) as joined:
            assert joined
            if kill:
                helper.proc.kill()
            with open(dest, "w", encoding="utf-8") as fh:
                n = write_jsonl(Job(store, g.schema, view), fh, helper=helper)
    finally:
        helper.close()
        store.close()
    return n, helper


def test_a_failed_helper_leaves_its_half_to_the_exporter(
    run_cli: RunCli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The helper is killed before it writes anything: the export is still whole."""
    monkeypatch.chdir(ROOT)
    db = tmp_path / "k.sqlite"
    labelled(run_cli, db)
    one = tmp_path / "one.jsonl"
    assert run_cli("export", "--jobs", "1", "-o", str(one), db=db).exit_code == 0
    n, _helper = write_with_helper(db, "gold", tmp_path / "two.jsonl", kill=True)
    assert (tmp_path / "two.jsonl").read_bytes() == one.read_bytes()
    assert n == one.read_bytes().count(b"\n")


def test_the_helper_writes_its_half(
    run_cli: RunCli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(ROOT)
    db = tmp_path / "h.sqlite"
    labelled(run_cli, db)
    n, helper = write_with_helper(db, "raw", tmp_path / "two.jsonl")
    lines = (tmp_path / "two.jsonl").read_bytes().splitlines()
    assert n == len(lines) == 31
    assert helper.records is not None and 0 < helper.records < n  # it wrote its share


def test_two_processes_into_a_folder_that_does_not_exist_yet(
    run_cli: RunCli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(ROOT)
    db = tmp_path / "f.sqlite"
    labelled(run_cli, db)
    one = export_bytes(run_cli, db, tmp_path / "a" / "one.jsonl", "--jobs", "1")
    two = export_bytes(run_cli, db, tmp_path / "b" / "c" / "two.jsonl", "--jobs", "2")
    assert one == two


def test_a_helper_gone_before_it_began_is_not_joined(
    run_cli: RunCli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """It died after starting (out of memory, killed): no crash, this process reads alone."""
    from annotator.export import parallel

    monkeypatch.chdir(ROOT)
    db = tmp_path / "d.sqlite"
    labelled(run_cli, db)
    store = open_store(db)
    helper = parallel.start(store, "gold", False, tmp_path, force=True)
    assert helper is not None
    helper.proc.kill()
    helper.proc.wait()
    try:
        with exporting.snapshot(store, helper.begin) as joined:
            assert not joined
    finally:
        helper.close()
        store.close()
    assert not list(tmp_path.glob(".export-part.*"))


def test_a_failed_export_leaves_the_old_sidecar(
    run_cli: RunCli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The records file cannot be put in place (a folder has its name): the articles file
    next to it must not be replaced either, or the two would describe different moments.
    (The folder is now refused before anything is written: export/target.py.)"""
    from annotator.export.formats import export
    from annotator.export.target import OutputError

    monkeypatch.chdir(ROOT)
    db = tmp_path / "s.sqlite"
    labelled(run_cli, db)
    out = tmp_path / "out.jsonl"
    out.mkdir()
    side = write(tmp_path / "out.articles.jsonl", "OLD\n")
    store = open_store(db)
    g, _ = use_guidelines(store)
    for jobs in (1, 2):
        with pytest.raises(OutputError):
            export(store, g, "jsonl", "gold", out, jobs=jobs)
        assert side.read_text() == "OLD\n"
    store.close()
    assert sorted(p.name for p in tmp_path.iterdir() if not p.name.startswith("s.sqlite")) == [
        "out.articles.jsonl",
        "out.jsonl",
    ]  # no part or temporary file left


@pytest.mark.parametrize(
    ("load", "cpus", "worth"),
    [
        (0.2, 2, True),  # an idle 2-CPU machine: the helper has a CPU to itself
        (0.9, 2, False),  # one CPU already busy elsewhere: two processes would share one
        (5.0, 2, False),  # the shared benchmark machine: measured slower with a helper
        (0.0, 1, False),  # one CPU: never
        (5.0, 8, True),
        (7.0, 8, False),
    ],
)
def test_a_helper_only_when_a_cpu_is_idle(load: float, cpus: int, worth: bool) -> None:
    from annotator.export import parallel

    assert parallel.worth_a_helper(load, cpus) is worth
