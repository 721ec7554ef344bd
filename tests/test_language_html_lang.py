"""An HTML page's `<html lang>` in a code the detector knows is a declaration, as front
matter `language:` is: stored as the article's language, the detector's disagreement said on
the page's line (audit11 F17: a French page full of English phrases, `lang="fr-FR"`, was
stored as English with English readability scores)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from tests.conftest import RunCli, write

# French festival copy in English words: the detector reads it as English
FRANGLAIS = [
    "Summer Vibes is back: the festival with the best line-up of the year, all-star DJs and "
    "after-parties until the sun comes up, selon les organisateurs.",
    "Food trucks, pop-up stores, chill zones and a live streaming for the fans who stay at "
    "home, a annoncé le directeur.",
    "The headliner will play his new single for the first time, with a light show that "
    "nobody has seen before, dit-il.",
    "The early bird pass is sold out, but VIP tickets with meet and greet are still "
    "available online, précise le communiqué.",
    "Dress code: be yourself, have fun, and dance like nobody is watching, comme le dit le "
    "slogan du festival.",
    "An after-movie will be posted on social media with the official hashtag of the "
    "festival, stay tuned.",
]
DUTCH = [
    "Het was een koude dag in Amsterdam en de burgemeester had het druk met de begroting.",
    "Hij is naar het stadhuis gegaan, waar het overleg in de raad tot laat in de avond duurde.",
    "De oppositie vond dat de plannen te duur waren voor de inwoners van de stad.",
    "Volgende week stemt de gemeenteraad over het voorstel, zei een woordvoerder.",
]
ENGLISH = [
    "The city council approved the new budget on Monday after a long debate about roads.",
    "Council members said the money would go to repairing bridges and resurfacing streets.",
    "Opponents argued that the plan raised taxes too quickly for families on fixed incomes.",
    "The mayor said she would sign the budget into law by the end of the week, aides said.",
]


def _page(lang: str, paras: list[str]) -> str:
    body = "".join(f"<p>{p}</p>" for p in paras)
    return (
        f"<!doctype html><html lang='{lang}'><head><title>Page</title></head><body>"
        f"<article><h1>Page</h1>{body}</article></body></html>"
    )


def _language(db: Path) -> tuple[str | None, float | None]:
    rows = sqlite3.connect(db).execute("SELECT language, flesch_reading_ease FROM articles")
    (row,) = rows.fetchall()
    return row[0], row[1]


def test_the_page_s_declared_language_wins_and_the_disagreement_is_said(
    run_cli: RunCli, tmp_path: Path, db_path: Path
) -> None:
    page = write(tmp_path / "frlang.html", _page("fr-FR", FRANGLAIS))
    r = run_cli("import", str(page))
    assert r.exit_code == 0, r.output
    assert _language(db_path) == ("fr", None)  # no English readability for French
    assert "the page declares fr (<html lang>), the detector reads en: fr kept" in r.output


def test_a_page_whose_text_agrees_gets_no_note(
    run_cli: RunCli, tmp_path: Path, db_path: Path
) -> None:
    page = write(tmp_path / "nl.html", _page("nl-NL", DUTCH))
    r = run_cli("import", str(page))
    assert r.exit_code == 0, r.output
    assert _language(db_path) == ("nl", None)
    assert "the page declares" not in r.output


def test_a_lang_the_detector_does_not_know_declares_nothing(
    run_cli: RunCli, tmp_path: Path, db_path: Path
) -> None:
    page = write(tmp_path / "xx.html", _page("xx", ENGLISH))
    r = run_cli("import", str(page))
    assert r.exit_code == 0, r.output
    language, ease = _language(db_path)
    assert language == "en" and ease is not None
    assert "the page declares" not in r.output
