"""A declared language wins over detection (audit4 F2): a JSON Lines `language` field or
`meta.language`, front matter `language:` or `lang:`; checked against the model's codes."""

from __future__ import annotations

import json
import re
import sqlite3
from pathlib import Path

import pytest

from annotator.ingest import language
from tests.conftest import RunCli, write

DUTCH = (
    "Het was een koude dag in Amsterdam en de burgemeester had het druk. Hij is naar het "
    "stadhuis gegaan, waar het overleg in de raad plaatsvond."
)
ENGLISH = "The mayor said on Monday that the bridge would reopen. Officials could not confirm it."


def _rows(db: Path) -> list[tuple[str, str | None, float | None]]:
    return (
        sqlite3.connect(db)
        .execute(
            "SELECT external_id, language, flesch_reading_ease FROM articles ORDER BY external_id"
        )
        .fetchall()
    )


def test_the_codes_accepted_are_the_model_s() -> None:
    assert set(language._identifier().nb_classes) == language.LANGUAGES
    assert len(language.LANGUAGES) == 140  # the README says so


@pytest.mark.parametrize(
    ("given", "code"),
    [("nl", "nl"), ("NL", "nl"), ("nl-BE", "nl"), ("zh_Hant", "zh"), ("yue", "yue")],
)
def test_a_declared_code_is_normalised(given: str, code: str) -> None:
    assert language.declared(given) == code


@pytest.mark.parametrize("given", ["dutch", "xx", "", "n", "nl BE", 7, None, ["nl"]])
def test_a_declared_code_not_known_is_refused(given: object) -> None:
    with pytest.raises(ValueError, match="not a language code the detector knows"):
        language.declared(given)


def test_jsonl_language_and_meta_language_are_stored(
    run_cli: RunCli, tmp_path: Path, db_path: Path
) -> None:
    src = write(
        tmp_path / "items.jsonl",
        json.dumps({"id": "field", "text": DUTCH, "language": "nl"})
        + "\n"
        + json.dumps({"id": "meta", "text": DUTCH + " Zo", "meta": {"language": "nl-NL"}})
        + "\n"
        # the user's word wins over the detector (how to correct a wrong detection)
        + json.dumps({"id": "said", "text": ENGLISH, "language": "de"})
        + "\n"
        + json.dumps({"id": "plain", "text": ENGLISH + " It was late."})
        + "\n",
    )
    r = run_cli("import", str(src))
    assert r.exit_code == 0, r.output
    rows = _rows(db_path)
    assert [(i, lang) for i, lang, _ in rows] == [
        ("field", "nl"),
        ("meta", "nl"),
        ("plain", "en"),
        ("said", "de"),
    ]
    assert [f is None for _, _, f in rows] == [True, True, False, True]


@pytest.mark.parametrize(
    ("record", "message"),
    [
        ({"language": "dutch"}, "items.jsonl:2: field 'language': language 'dutch' is not"),
        ({"language": 3}, "items.jsonl:2: field 'language'"),
        ({"meta": {"language": "xx"}}, "items.jsonl:2: field 'meta.language': language 'xx'"),
        (
            {"language": "nl", "meta": {"language": "de"}},
            "items.jsonl:2: field 'language' (nl) and meta.language (de) disagree",
        ),
    ],
)
def test_a_bad_jsonl_language_is_one_line_naming_file_and_line(
    run_cli: RunCli, tmp_path: Path, db_path: Path, record: dict[str, object], message: str
) -> None:
    src = write(
        tmp_path / "items.jsonl",
        json.dumps({"id": "ok", "text": DUTCH})
        + "\n"
        + json.dumps({"id": "bad", "text": DUTCH, **record})
        + "\n",
    )
    r = run_cli("import", str(src))
    assert r.exit_code != 0
    assert message in r.output
    assert "Traceback" not in r.output
    assert not db_path.exists()  # nothing half-imported: the database it made is removed


@pytest.mark.parametrize("key", ["language", "lang", "Language"])
def test_front_matter_language_is_stored(
    run_cli: RunCli, tmp_path: Path, db_path: Path, key: str
) -> None:
    src = write(tmp_path / "nl_fm.md", f"---\ntitle: Amsterdam\n{key}: nl\n---\n{ENGLISH}\n")
    r = run_cli("import", str(src))
    assert r.exit_code == 0, r.output
    assert _rows(db_path) == [("nl_fm", "nl", None)]
    assert "language nl" in r.output


@pytest.mark.parametrize(
    ("front", "message"),
    [
        (
            "title: A\nlanguage: Nederlands\n",
            "nl_fm.md:3: front matter 'language': language 'Nederlands'",
        ),
        (
            "language: nl\nlang: de\n",
            "nl_fm.md:3: front matter 'language' and 'lang' disagree (nl, de)",
        ),
        ("lang: [nl, de]\n", "nl_fm.md:2: front matter 'lang': language a list is not"),
    ],
)
def test_a_bad_front_matter_language_is_one_line_naming_file_and_line(
    run_cli: RunCli, tmp_path: Path, db_path: Path, front: str, message: str
) -> None:
    src = write(tmp_path / "nl_fm.md", f"---\n{front}---\n{DUTCH}\n")
    r = run_cli("import", str(src))
    assert r.exit_code != 0
    assert message in r.output
    assert "Traceback" not in r.output
    assert not db_path.exists()  # nothing imported: the database it made is removed


def test_front_matter_language_and_lang_agreeing_are_fine(
    run_cli: RunCli, tmp_path: Path, db_path: Path
) -> None:
    src = write(tmp_path / "nl_fm.md", f"---\nlanguage: nl\nlang: nl-BE\n---\n{DUTCH}\n")
    assert run_cli("import", str(src)).exit_code == 0
    assert _rows(db_path) == [("nl_fm", "nl", None)]


def test_the_readme_names_every_code_that_is_not_iso_639_1() -> None:
    # audit4 F8: the README said 97 languages, db/README ISO 639-1; the model answers yue,
    # ary, zxx ... too
    from tests.conftest import ROOT

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("**Languages.**") : readme.index("**Declaring the language**")]
    assert "140 languages" in section
    missing = [
        c for c in sorted(language.LANGUAGES) if len(c) == 3 and not re.search(rf"\b{c}\b", section)
    ]
    assert missing == []
