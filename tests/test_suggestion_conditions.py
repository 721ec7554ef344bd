"""What each annotator was shown is recorded when the article is first shown (issue 16):
`agreement --by suggestions` reports the conditions annotators worked under, whatever the
split says later; articles opened before that was recorded fall back to the split, and the
report says how many."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

from annotator.session import AnnotationSession
from annotator.store.database import open_store
from annotator.store.schemas import use_guidelines
from annotator.suggest import split
from tests.conftest import SEED_LONG, SEED_SHORT, RunCli

ARTICLES = (SEED_SHORT.stem, SEED_LONG.stem)
PEOPLE = ("alice", "bob")


def _seed_where(test: object) -> int:
    for seed in range(200):
        if test(seed):  # type: ignore[operator]
            return seed
    raise AssertionError("no such seed")


def _conditions(seed: int) -> dict[tuple[str, str], bool]:
    return {(w, a): split.shown("annotator", seed, w, a) for w in PEOPLE for a in ARTICLES}


def _recorded(db: Path) -> dict[tuple[str, str], int]:
    conn = sqlite3.connect(db)
    try:
        return {
            (str(w), str(a)): int(s)
            for w, a, s in conn.execute(
                "SELECT n.name, a.external_id, c.shown FROM suggestion_conditions c "
                "JOIN annotators n ON n.id = c.annotator_id JOIN articles a ON a.id = c.article_id"
            )
        }
    finally:
        conn.close()


def _work(db: Path, who: str, article: str, confirms: int) -> None:
    """Open the article through a real session and confirm its first sentences."""
    with open_store(db) as store:
        g, _ = use_guidelines(store)
        s = AnnotationSession(store, g, who, article=article)
        for _ in range(confirms):
            s.toggle("NONE")
            s.confirm()


def _report(run_cli: RunCli) -> dict[str, object]:
    result = run_cli("agreement", "--by", "suggestions", "--format", "json", "--bootstrap", "0")
    assert result.exit_code == 0, result.output
    data: dict[str, object] = json.loads(result.output)
    return data


def test_the_report_follows_what_was_shown_not_the_split_as_set_now(
    imported_db: Path, run_cli: RunCli
) -> None:
    # a seed under which some of the four (annotator, article) pairs see suggestions and
    # some do not, and a later seed that flips at least one of them
    first = _seed_where(lambda s: len(set(_conditions(s).values())) == 2)
    later = _seed_where(lambda s: _conditions(s) != _conditions(first))
    for k, v in (("suggestions", "on"), ("suggestions_split", "annotator")):
        assert run_cli("project", "set", k, v).exit_code == 0
    assert run_cli("project", "set", "suggestions_seed", str(first)).exit_code == 0
    shown = _conditions(first)
    for who in PEOPLE:
        for article in ARTICLES:
            _work(imported_db, who, article, 2)
    assert _recorded(imported_db) == {k: int(v) for k, v in shown.items()}
    expected = {
        "with": 2 * sum(shown.values()),
        "without": 2 * sum(not v for v in shown.values()),
    }
    before = _report(run_cli)
    assert before["confirmations"] == expected and before["conditions_from_split"] == 0
    # the manager changes the split after the work was done: nothing moves
    assert run_cli("project", "set", "suggestions_seed", str(later)).exit_code == 0
    after = _report(run_cli)
    assert after["confirmations"] == expected and after["conditions_from_split"] == 0
    assert after["labels"] == before["labels"]
    # and switching suggestions off altogether does not rewrite history either
    assert run_cli("project", "set", "suggestions", "off").exit_code == 0
    assert _report(run_cli)["confirmations"] == expected
    text = run_cli("agreement", "--by", "suggestions", "--bootstrap", "0").output
    assert "opened before the condition was recorded" not in text


def test_the_first_showing_is_kept(imported_db: Path, run_cli: RunCli) -> None:
    """Opened without suggestions, reopened after they were switched on: still without;
    a second session (another terminal) does not overwrite it either."""
    article = SEED_LONG.stem
    _work(imported_db, "alice", article, 1)  # suggestions are off by default
    assert _recorded(imported_db) == {("alice", article): 0}
    assert run_cli("project", "set", "suggestions", "on").exit_code == 0
    _work(imported_db, "alice", article, 1)
    assert _recorded(imported_db) == {("alice", article): 0}
    data = _report(run_cli)
    assert data["confirmations"] == {"with": 0, "without": 2}


def test_recorded_with_the_key_that_is_written_anyway(imported_db: Path) -> None:
    """Opening an article writes nothing; the first key that writes (here j, which saves
    the cursor) records the condition in its own commit; later keys add nothing."""
    with open_store(imported_db) as store:
        g, _ = use_guidelines(store)
        s = AnnotationSession(store, g, "carol", article=SEED_SHORT.stem)
        assert _recorded(imported_db) == {}
        s.move(1)
        assert _recorded(imported_db) == {("carol", SEED_SHORT.stem): 0}
        s.move(1)
        s.change_article(1)  # the other article: recorded by the cursor saved on opening it
        assert len(_recorded(imported_db)) == 2


def test_an_article_first_shown_without_suggestions_stays_without_on_the_screen(
    imported_db: Path, run_cli: RunCli
) -> None:
    """Found by the audit: the screen followed the setting as it is now, so an article
    first recorded "without" showed suggestions once they were switched on, and whatever
    was accepted there counted in the control group (and not as accepted)."""
    article = SEED_LONG.stem
    _work(imported_db, "alice", article, 1)  # suggestions off: recorded without
    assert run_cli("project", "set", "suggestions", "on").exit_code == 0
    with open_store(imported_db) as store:
        g, _ = use_guidelines(store)
        s = AnnotationSession(store, g, "alice", article=article)
        assert not s.suggesting and not s.suggested
        # another annotator, new to the article, sees them
        b = AnnotationSession(store, g, "bob", article=article)
        assert b.suggesting and b.suggested


def test_an_accepted_suggestion_is_never_counted_without(
    imported_db: Path, run_cli: RunCli
) -> None:
    """A database where it happened before the fix: recorded "without", yet a suggestion
    accepted and confirmed there. The confirmation counts with suggestions, and as accepted."""
    from annotator.suggesting import accept_current

    article = SEED_LONG.stem
    assert run_cli("project", "set", "suggestions", "on").exit_code == 0
    with open_store(imported_db) as store:
        g, _ = use_guidelines(store)
        s = AnnotationSession(store, g, "alice", article=article)
        austin = next(i for i, x in enumerate(s.sentences) if "Austin said" in x.text)
        s.move_to(austin)
        assert accept_current(s).saved
        s.confirm(advance=False)
    conn = sqlite3.connect(imported_db)
    try:
        with conn:
            conn.execute("UPDATE suggestion_conditions SET shown = 0")
    finally:
        conn.close()
    data = _report(run_cli)
    assert data["confirmations"] == {"with": 1, "without": 0}
    assert data["accepted"] == 1
