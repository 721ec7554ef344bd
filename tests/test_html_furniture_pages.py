"""An HTML page that is all page furniture (a paywall, a consent wall: what a scraper gets
instead of the article) is refused by name, not imported as an article without a sentence
to annotate; a page with a few words of article text among much furniture, or only
sentences about cookies, is imported with a note on its line (audit11 F15)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from tests.conftest import RunCli, write

PAYWALL = [
    "Subscribe to continue reading. Already a subscriber? Log in.",
    "Sign up for our newsletter to get the latest news delivered to your inbox every morning.",
    "We use cookies to improve your experience. By continuing you agree to our cookie policy.",
    "Advertisement",
    "This content is available to subscribers only. Subscribe now for unlimited digital access.",
]
CONSENT = [
    "We use cookies and data to deliver and maintain Google services, track outages and "
    "protect against spam, fraud and abuse, and measure audience engagement and site "
    "statistics to understand how our services are used.",
    "If you choose to \u201cAccept all,\u201d we will also use cookies and data to develop and "
    "improve new services, deliver and measure the effectiveness of ads, and show "
    "personalized content, depending on your settings.",
    "Sign up for our newsletter to get the latest news delivered to your inbox every morning.",
    "Subscribe now for unlimited access. Already a subscriber? Log in.",
]
STORY = [
    "The city council approved the new budget on Monday after a long debate about roads.",
    "Council members said the money would go to repairing bridges and resurfacing streets.",
    "Opponents argued that the plan raised taxes too quickly for families on fixed incomes.",
]


def _page(paras: list[str], title: str = "Subscribe") -> str:
    body = "".join(f"<p>{p}</p>" for p in paras)
    return (
        f"<!doctype html><html lang='en'><head><title>{title}</title></head><body><article>"
        f"{body}</article></body></html>"
    )


def _articles(db: Path) -> int:
    if not db.exists():
        return 0
    return int(sqlite3.connect(db).execute("SELECT count(*) FROM articles").fetchone()[0])


def test_a_page_of_furniture_and_a_share_line_is_refused_by_name(
    run_cli: RunCli, tmp_path: Path, db_path: Path
) -> None:
    walls = [
        write(tmp_path / "paywall.html", _page(PAYWALL)),
        write(tmp_path / "shared.html", _page([*PAYWALL, "Share this article on Facebook"])),
    ]
    story = write(tmp_path / "story.html", _page(STORY * 3, "Budget passes"))
    r = run_cli("import", *map(str, [*walls, story]))
    assert r.exit_code == 1, r.output
    for wall in walls:
        assert f"{wall}: no article text in this HTML page: only page furniture (" in r.output
    assert "1 share line: a consent or paywall page?); nothing imported" in r.output
    assert _articles(db_path) == 1  # the story, beside them


def test_segment_says_the_same(run_cli: RunCli, tmp_path: Path) -> None:
    wall = write(tmp_path / "paywall.html", _page(PAYWALL))
    r = run_cli("segment", str(wall))
    assert r.exit_code != 0
    assert "only page furniture" in r.output and "Traceback" not in r.output


def test_a_consent_page_or_a_sentence_behind_a_paywall_is_noted(
    run_cli: RunCli, tmp_path: Path, db_path: Path
) -> None:
    consent = write(tmp_path / "consent.html", _page(CONSENT, "Before you continue"))
    teaser = write(tmp_path / "teaser.html", _page([STORY[0], *PAYWALL, *PAYWALL[1:3]]))
    r = run_cli("import", str(consent), str(teaser))
    assert r.exit_code == 0, r.output
    assert "its only article text speaks of cookies: a consent page" in r.output
    assert "little article text: 15 of the page's" in r.output
    assert _articles(db_path) == 2


def test_a_text_file_of_furniture_is_left_as_it_was(
    run_cli: RunCli, tmp_path: Path, db_path: Path
) -> None:
    # a text file is what its author chose to save: the rule is the HTML page's
    text = write(tmp_path / "paywall.txt", "\n\n".join([*PAYWALL, "Share this on Facebook"]))
    r = run_cli("import", str(text))
    assert r.exit_code == 0, r.output
    assert _articles(db_path) == 1
