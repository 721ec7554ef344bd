"""Guidelines that leave out a label the database uses are not adopted silently (audit7
F15: adoption printed only "label schema changed", and the exports then disagreed: csv, hf
and spacy-jsonl dropped the label, jsonl kept it)."""

from __future__ import annotations

import json
import re
import shutil
import sqlite3
from pathlib import Path

from tests.conftest import ROOT, RunCli, write
from tests.test_label_import_older import ARTICLES


def without(tmp_path: Path, label: str) -> Path:
    """The bundled guidelines without one label."""
    folder = shutil.copytree(ROOT / "guidelines", tmp_path / f"no-{label}")
    toml = folder / "labels.toml"
    blocks = re.split(r"(?=^\[\[labels\]\]$)", toml.read_text(encoding="utf-8"), flags=re.M)
    kept = [b for b in blocks if f'name = "{label}"' not in b]
    assert len(kept) == len(blocks) - 1
    toml.write_text("".join(kept), encoding="utf-8")
    return folder


def schema_hash(db: Path) -> str:
    conn = sqlite3.connect(db)
    try:
        return str(
            conn.execute("SELECT value FROM settings WHERE key = 'schema_hash'").fetchone()[0]
        )
    finally:
        conn.close()


def test_dropping_a_label_in_use_is_refused_until_asked(
    run_cli: RunCli, db_path: Path, tmp_path: Path
) -> None:
    assert run_cli("import", str(write(tmp_path / "a.jsonl", ARTICLES))).exit_code == 0
    line = {"article_id": "s1", "position": 0, "annotator": "x", "labels": ["LOADED"]}
    labels = write(tmp_path / "l.jsonl", json.dumps(line) + "\n")
    assert run_cli("import-labels", str(labels)).exit_code == 0
    before = schema_hash(db_path)
    no_loaded = without(tmp_path, "LOADED")
    r = run_cli("--guidelines", str(no_loaded), "guidelines")
    assert r.exit_code == 1, r.output
    assert "leave out labels in use: LOADED (1 annotation, 0 gold decisions)" in r.output
    assert "--drop-labels" in r.output and "nothing changed" in r.output
    assert len(r.output.strip().splitlines()) == 1 and "Traceback" not in r.output
    assert schema_hash(db_path) == before
    # a label nobody used goes without a word
    assert (
        run_cli("--guidelines", str(without(tmp_path, "UNVERIFIED")), "guidelines").exit_code == 0
    )
    assert schema_hash(db_path) != before
    # asked for: adopted
    r = run_cli("--drop-labels", "--guidelines", str(no_loaded), "guidelines")
    assert r.exit_code == 0, r.output
    assert "label schema changed" in r.output
    # and said what it dropped (audit12 F17: first said at the next export)
    assert "dropped labels in use: LOADED (1 annotation, 0 gold decisions)" in r.output


FORMATS = ("jsonl", "csv", "label-studio", "prodigy", "doccano", "spacy-jsonl")


def test_every_export_leaves_a_dropped_label_out_and_says_so(
    run_cli: RunCli, db_path: Path, tmp_path: Path
) -> None:
    """audit7 F15, rest: after a deliberate --drop-labels, csv, hf, doccano and spaCy left
    LOADED out while jsonl, Label Studio and Prodigy kept it (a Label Studio import then
    met a choice its config lacks), without a word from any of them."""
    assert run_cli("import", str(write(tmp_path / "a.jsonl", ARTICLES))).exit_code == 0
    lines = [
        {"article_id": "s1", "position": 0, "annotator": "x", "labels": ["LOADED", "HEDGED"]},
        {"article_id": "s1", "position": 0, "annotator": "y", "labels": ["LOADED"]},
        {"article_id": "s1", "position": 1, "annotator": "x", "labels": ["NONE"]},
    ]
    labels = write(tmp_path / "l.jsonl", "".join(json.dumps(x) + "\n" for x in lines))
    assert run_cli("import-labels", str(labels)).exit_code == 0
    no_loaded = without(tmp_path, "LOADED")
    assert run_cli("--drop-labels", "--guidelines", str(no_loaded), "guidelines").exit_code == 0
    # and says what the files hold (audit15b F2: it said y's answer was "left out whole")
    note = (
        "note: labels the adopted guidelines no longer have are left out, as in every format: "
        "LOADED (2 annotations, 0 gold decisions); an annotation with no other label stays, "
        "with no label (its annotator confirmed the sentence: none of these labels applies); "
        "a gold decision with no other label is left out"
    )
    for fmt in FORMATS:
        for view in ("raw", "majority"):
            if fmt == "spacy-jsonl" and view == "raw":
                continue  # one answer per text: refused for raw
            out = tmp_path / f"{fmt}-{view}.out"
            r = run_cli("export", "--format", fmt, "--view", view, "-o", str(out))
            assert r.exit_code == 0, (fmt, view, r.output)
            assert note in r.output, (fmt, view, r.output)
            written = [p for p in tmp_path.iterdir() if p.name.startswith(f"{fmt}-{view}.")]
            assert written and all("LOADED" not in p.read_text("utf-8") for p in written)
    # the jsonl raw export: x's two answers, and y's whose only label is gone (confirmed,
    # none of these labels: a rating in agreement, a vote in the majority, audit12 F10),
    # and it imports again under these guidelines as it is
    raw = [json.loads(x) for x in (tmp_path / "jsonl-raw.out").read_text().splitlines()]
    assert sorted((r["annotator"], r["position"], r["labels"]) for r in raw) == [
        ("x", 0, ["HEDGED"]),
        ("x", 1, ["NONE"]),
        ("y", 0, []),
    ]
    fresh = tmp_path / "fresh.sqlite"
    assert run_cli("import", str(tmp_path / "a.jsonl"), db=fresh).exit_code == 0
    back = run_cli(
        "--guidelines", str(no_loaded), "import-labels", str(tmp_path / "jsonl-raw.out"), db=fresh
    )
    assert back.exit_code == 0 and "imported 3 annotations" in back.output, back.output


def test_an_annotation_whose_labels_were_all_dropped_is_still_a_vote(
    run_cli: RunCli, db_path: Path, tmp_path: Path
) -> None:
    """audit9b F3: y confirmed LOADED alone, x LOADED and HEDGED. With LOADED dropped, y's
    annotation left the count, and HEDGED became "the majority" (1 of 1) in every majority
    export, while agreement still counted y's "no" to HEDGED. y still confirmed the
    sentence: HEDGED is 1 vote of 2, no majority."""
    assert run_cli("import", str(write(tmp_path / "a.jsonl", ARTICLES))).exit_code == 0
    lines = [
        {"article_id": "s1", "position": 0, "annotator": "x", "labels": ["LOADED", "HEDGED"]},
        {"article_id": "s1", "position": 0, "annotator": "y", "labels": ["LOADED"]},
        {"article_id": "s1", "position": 1, "annotator": "x", "labels": ["HEDGED"]},
        {"article_id": "s1", "position": 1, "annotator": "y", "labels": ["LOADED", "HEDGED"]},
    ]
    labels = write(tmp_path / "l.jsonl", "".join(json.dumps(x) + "\n" for x in lines))
    assert run_cli("import-labels", str(labels)).exit_code == 0
    no_loaded = without(tmp_path, "LOADED")
    assert run_cli("--drop-labels", "--guidelines", str(no_loaded), "guidelines").exit_code == 0

    def export(fmt: str) -> list[dict[str, object]]:
        out = run_cli("export", "--format", fmt, "--view", "majority", "-o", "-").stdout
        return [json.loads(x) for x in out.splitlines() if x.startswith("{")]

    maj = {r["position"]: r["majority"] for r in export("jsonl")}
    assert maj[0] == {"labels": [], "fields": {}, "votes": {"HEDGED": 1}, "annotators": 2}
    assert maj[1]["labels"] == ["HEDGED"] and maj[1]["annotators"] == 2  # type: ignore[index]
    spacy = export("spacy-jsonl")
    assert [r["meta"]["position"] for r in spacy] == [1]  # type: ignore[index]
    prodigy = export("prodigy")
    assert [(r["meta"]["position"], r["answer"]) for r in prodigy] == [  # type: ignore[index]
        (0, "ignore"),
        (1, "accept"),
    ]


def test_a_sentence_whose_every_label_was_dropped_keeps_its_answers_in_every_format(
    run_cli: RunCli, db_path: Path, tmp_path: Path
) -> None:
    """audit9b F3 addendum: a sentence every annotator marked LOADED only stayed in jsonl and
    csv after the drop with no annotations (csv: an all-0 row nobody gave), while hf left
    it out. Since audit12 F10 each such annotation is kept, with no label, in every format
    alike: x and y confirmed the sentence and said none of these labels applies, which is
    what agreement counts (all absent) and the majority (two votes, no majority); the raw
    export carries them, so that it imports back to the same figures."""
    assert run_cli("import", str(write(tmp_path / "a.jsonl", ARTICLES))).exit_code == 0
    lines = [
        {"article_id": "s1", "position": 0, "annotator": "x", "labels": ["LOADED"]},
        {"article_id": "s1", "position": 0, "annotator": "y", "labels": ["LOADED"]},
        {"article_id": "s1", "position": 1, "annotator": "x", "labels": ["HEDGED"]},
    ]
    labels = write(tmp_path / "l.jsonl", "".join(json.dumps(x) + "\n" for x in lines))
    assert run_cli("import-labels", str(labels)).exit_code == 0
    no_loaded = without(tmp_path, "LOADED")
    assert run_cli("--drop-labels", "--guidelines", str(no_loaded), "guidelines").exit_code == 0
    # csv rows: one per answer (raw: x and y on s1:0, x on s1:1); gold: none decided, so
    # the rows of the sentences confirmed, empty; majority: s1:0 split (no label has more
    # than half), written empty like any split
    expected = {"raw": ["s1:0", "s1:0", "s1:1"], "gold": ["s1:0", "s1:1"]}
    for fmt in ("jsonl", "csv"):
        for view in ("gold", "majority", "raw"):
            out = run_cli("export", "--format", fmt, "--view", view, "-o", "-").stdout
            rows = [x for x in out.splitlines()[(fmt == "csv") :] if x.strip()]
            ids = [
                x.split('"id":"')[1].split('"')[0] if fmt == "jsonl" else x.split(",")[0]
                for x in rows
            ]
            assert ids == expected.get(view, ["s1:0", "s1:1"]), (fmt, view, out)


def edited(tmp_path: Path, name: str, old: str, new: str) -> Path:
    """The bundled guidelines with one piece of labels.toml replaced."""
    folder = shutil.copytree(ROOT / "guidelines", tmp_path / name)
    toml = folder / "labels.toml"
    text = toml.read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    toml.write_text(text.replace(old, new), encoding="utf-8")
    return folder


def test_leaving_out_a_field_value_in_use_is_refused_whatever_is_asked(
    run_cli: RunCli, db_path: Path, tmp_path: Path
) -> None:
    """audit12 F3, F4: a renamed or removed field value (or field) in use was adopted with
    only "label schema changed"; agreement and the hf export then ended in a traceback on the
    stored value (article fields), or hf wrote data its own card's ClassLabel refused."""
    assert run_cli("import", str(write(tmp_path / "a.jsonl", ARTICLES))).exit_code == 0
    line = {
        "article_id": "s1",
        "position": 0,
        "annotator": "x",
        "labels": ["ATTRIBUTED"],
        "fields": {"source_type": "vague"},
    }
    labels = write(tmp_path / "l.jsonl", json.dumps(line) + "\n")
    side = {"id": "s1", "annotations": {"x": {"genre": "satire"}}}
    write(tmp_path / "l.articles.jsonl", json.dumps(side))
    assert run_cli("import-labels", str(labels)).exit_code == 0
    before = schema_hash(db_path)
    cases = [
        (
            edited(tmp_path, "vague", 'value = "vague"', 'value = "anonymous"'),
            "source_type value 'vague' (1 answer)",
        ),
        (
            edited(tmp_path, "satire", '{ value = "satire", title = "Satire" },\n', ""),
            "genre value 'satire' (1 answer)",
        ),
    ]
    for folder, said in cases:
        for drop in ([], ["--drop-labels"]):
            r = run_cli(*drop, "--guidelines", str(folder), "guidelines")
            assert r.exit_code == 1, r.output
            assert f"leave out fields or values in use: {said}" in r.output, r.output
            assert "nothing changed" in r.output and "Traceback" not in r.output
            assert len(r.output.strip().splitlines()) == 1
            assert schema_hash(db_path) == before
    # a field left out whole
    side_only = edited(tmp_path, "no-genre", 'name = "genre"', 'name = "kind_of_piece"')
    r = run_cli("--guidelines", str(side_only), "guidelines")
    assert "leave out fields or values in use: the field genre (1 answer)" in r.output, r.output
    # a value nobody used goes without a word, and agreement and hf still run
    unused = edited(
        tmp_path, "no-pr", '{ value = "press_release", title = "Press release" },\n', ""
    )
    assert run_cli("--guidelines", str(unused), "guidelines").exit_code == 0
    assert schema_hash(db_path) != before
    assert run_cli("agreement", "--bootstrap", "0").exit_code == 0
    assert run_cli("export", "--format", "hf", "-o", str(tmp_path / "hf")).exit_code == 0


def test_a_label_only_in_an_unconfirmed_change_counts_as_in_use(
    run_cli: RunCli, db_path: Path, tmp_path: Path
) -> None:
    """audit12 F13: the check read confirmed answers only; a label in an annotator's draft
    (toggled on a confirmed sentence, not yet confirmed again) was dropped without a word,
    and her next Enter stored it as a confirmed answer of a label the schema no longer has."""
    from annotator.session import AnnotationSession
    from annotator.store.database import open_store
    from annotator.store.schemas import use_guidelines

    assert run_cli("import", str(write(tmp_path / "a.jsonl", ARTICLES))).exit_code == 0
    line = {"article_id": "s1", "position": 0, "annotator": "alice", "labels": ["HEDGED"]}
    assert (
        run_cli("import-labels", str(write(tmp_path / "l.jsonl", json.dumps(line)))).exit_code == 0
    )
    with open_store(db_path) as store:
        g, _ = use_guidelines(store)
        s = AnnotationSession(store, g, "alice", article="s1")
        s.move_to(0)
        assert s.toggle("LOADED").saved  # a draft: the sentence stays confirmed as HEDGED
    before = schema_hash(db_path)
    r = run_cli("--guidelines", str(without(tmp_path, "LOADED")), "guidelines")
    assert r.exit_code == 1, r.output
    assert "LOADED (0 annotations, 0 gold decisions, 1 unconfirmed change)" in r.output, r.output
    assert schema_hash(db_path) == before


def test_making_a_label_exclusive_that_answers_give_with_others_is_refused(
    run_cli: RunCli, db_path: Path, tmp_path: Path
) -> None:
    """audit12 F5: adopted silently, after which every export broke the schema and our own
    raw export no longer imported ("HEDGED is exclusive: it cannot go with LOADED")."""
    assert run_cli("import", str(write(tmp_path / "a.jsonl", ARTICLES))).exit_code == 0
    line = {"article_id": "s1", "position": 0, "annotator": "x", "labels": ["HEDGED", "LOADED"]}
    assert (
        run_cli("import-labels", str(write(tmp_path / "l.jsonl", json.dumps(line)))).exit_code == 0
    )
    before = schema_hash(db_path)
    exclusive = edited(tmp_path, "ex", 'name = "HEDGED"\n', 'name = "HEDGED"\nexclusive = true\n')
    for drop in ([], ["--drop-labels"]):
        r = run_cli(*drop, "--guidelines", str(exclusive), "guidelines")
        assert r.exit_code == 1, r.output
        assert (
            "make labels exclusive that answers give with other labels: HEDGED (1 annotation"
            in r.output
        )
        assert schema_hash(db_path) == before
    # a label given alone everywhere may become exclusive
    alone = edited(
        tmp_path, "ex2", 'name = "UNVERIFIED"\n', 'name = "UNVERIFIED"\nexclusive = true\n'
    )
    assert run_cli("--guidelines", str(alone), "guidelines").exit_code == 0


def test_a_screen_open_over_a_guideline_change_saves_nothing_more(
    run_cli: RunCli, db_path: Path, tmp_path: Path
) -> None:
    """audit12 F19: a screen left open while the lead adopted new guidelines went on writing
    the old schema's labels (a dropped one too), under the old schema's hash."""
    from annotator.session import AnnotationSession
    from annotator.store.database import open_store
    from annotator.store.schemas import use_guidelines

    assert run_cli("import", str(write(tmp_path / "a.jsonl", ARTICLES))).exit_code == 0
    with open_store(db_path) as store:
        g, _ = use_guidelines(store)
        s = AnnotationSession(store, g, "erin", article="s1")
        assert s.toggle("HEDGED").saved
        r = run_cli("--guidelines", str(without(tmp_path, "UNVERIFIED")), "guidelines")
        assert r.exit_code == 0, r.output
        s.sync()  # as the screen does before each key
        out = s.toggle("UNVERIFIED")
        assert not out.saved and "guidelines changed since this screen opened" in (
            out.message or ""
        )
        assert not s.confirm().saved
    conn = sqlite3.connect(db_path)
    rows = conn.execute("SELECT labels, confirmed FROM annotations").fetchall()
    conn.close()
    assert rows == [('["HEDGED"]', 0)]
