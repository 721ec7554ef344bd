"""Smaller slips of the guidelines commands and adoption (audit12 F17), each met by a user."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import SEED_SHORT, RunCli, guidelines_copy, write


def test_drop_labels_without_guidelines_is_refused(run_cli: RunCli, imported_db: Path) -> None:
    """`--drop-labels` only loosens the adoption of a folder: alone it was accepted and did
    nothing, without a word."""
    r = run_cli("--drop-labels", "status")
    assert r.exit_code == 2, r.output
    assert "--drop-labels goes with --guidelines DIR" in r.output


def _without_econ_section(tmp_path: Path) -> Path:
    """The bundled guidelines with the Markdown section of EDITORIAL left out, and no newline
    at the end of the Markdown."""
    folder = guidelines_copy(tmp_path / "g")
    md = (folder / "guidelines.md").read_text(encoding="utf-8")
    start = md.index("## EDITORIAL (e)")
    end = md.index("## LOADED (l)")
    write(folder / "guidelines.md", (md[:start] + md[end:]).rstrip("\n"))
    return folder


def test_a_label_without_a_section_is_said_at_adoption(
    run_cli: RunCli, imported_db: Path, tmp_path: Path
) -> None:
    """It was adopted silently: `?` then had nothing for the label, and `guidelines --label`
    said only "no guideline section"."""
    folder = _without_econ_section(tmp_path)
    # shown before any database has them, and said at adoption
    r = run_cli("--guidelines", str(folder), "guidelines", db=tmp_path / "none.sqlite")
    assert f"warning: {folder}/guidelines.md has no section for EDITORIAL" in r.output
    r = run_cli("--guidelines", str(folder), "status")
    assert r.exit_code == 0, r.output
    assert f"warning: {folder}/guidelines.md has no section for EDITORIAL" in r.output
    r = run_cli("guidelines", "--label", "EDITORIAL")
    assert r.exit_code == 1
    assert "guidelines.md stored in the database has no section for 'EDITORIAL'" in r.output
    # a name the schema lacks is not a missing section: the message lists what there is
    r = run_cli("guidelines", "--label", "EDITORAL")
    assert r.exit_code == 1
    assert "no label or field 'EDITORAL' in the schema news-credibility" in r.output
    assert "ATTRIBUTED, QUOTE, HEDGED" in r.output and "source_type" in r.output
    # the bundled guidelines have every section: nothing said
    r = run_cli("--guidelines", str(guidelines_copy(tmp_path / "full")), "status")
    assert r.exit_code == 0 and "no section" not in r.output


def test_guidelines_markdown_is_the_stored_text_exactly(
    run_cli: RunCli, imported_db: Path, tmp_path: Path
) -> None:
    """`guidelines --markdown > FILE` appended a newline: adopting FILE again changed the
    prose hash, so the guidelines version, for nothing."""
    folder = _without_econ_section(tmp_path)
    assert run_cli("--guidelines", str(folder), "status").exit_code == 0
    r = run_cli("guidelines", "--markdown")
    assert r.exit_code == 0
    assert r.stdout == (folder / "guidelines.md").read_text(encoding="utf-8")


def test_a_lexicon_naming_a_label_the_schema_lacks_is_refused_by_every_command(
    run_cli: RunCli, imported_db: Path, tmp_path: Path
) -> None:
    """audit12 F7: only `import` and `suggestions refresh` read cues.toml; `status` and the
    rest adopted the folder. The error counts groups from 1 with the line, as labels.toml's
    errors do."""
    folder = guidelines_copy(tmp_path / "g")
    cues = (folder / "cues.toml").read_text(encoding="utf-8")
    write(folder / "cues.toml", cues.replace('label = "ATTRIBUTED"', 'label = "ATTRIBUTE"', 1))
    line = cues[: cues.index('label = "ATTRIBUTED"')].count("\n") + 1
    for args in (
        ["status"],
        ["agreement"],
        ["guidelines"],
        ["export", "--format", "jsonl"],
        ["team", "list"],
        ["suggestions", "list"],
    ):
        r = run_cli("--guidelines", str(folder), *args)
        assert r.exit_code == 1, (args, r.output)
        assert f"cues.toml:{line}: cues[1] (" in r.output
        assert ".label: must name a label of the schema, not 'ATTRIBUTE'" in r.output
    # nothing adopted: the database keeps the bundled guidelines' text
    assert "label schema changed" not in run_cli("status").output
    # and without a database, `guidelines` and `import` say the same; import makes none
    for args in (["guidelines"], ["import", str(SEED_SHORT)]):
        r = run_cli("--guidelines", str(folder), *args, db=tmp_path / "none.sqlite")
        assert r.exit_code == 1 and "not 'ATTRIBUTE'" in r.output
        assert "created database" not in r.output
    assert not (tmp_path / "none.sqlite").exists()
