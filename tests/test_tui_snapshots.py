"""SVG snapshots of the layout, reviewed by eye before they are accepted.

Update after a deliberate change with `.venv/bin/python -m pytest tests/test_tui_snapshots.py
--snapshot-update` and look at the SVGs in tests/__snapshots__/ before committing them.
"""

from __future__ import annotations

from pathlib import Path

from textual.pilot import Pilot

from tests.test_review import adjudicated  # noqa: F401  (fixture)
from tests.test_tui_annotate import LONG, make_app


async def _settled(pilot: Pilot) -> None:
    # the label counts arrive from a worker: wait, so the picture is always the same
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def test_main_screen(imported_db: Path, snap_compare) -> None:
    app = make_app(imported_db, "alice", article=LONG)
    assert snap_compare(
        app,
        terminal_size=(130, 40),
        run_before=_settled,
        press=["b", "enter", "n", "enter", "a", "2", "q", "enter", "h", "e"],
    )


def test_guideline_modal(imported_db: Path, snap_compare) -> None:
    app = make_app(imported_db, "alice", article=LONG)
    assert snap_compare(
        app, terminal_size=(120, 40), run_before=_settled, press=["u", "question_mark"]
    )


def test_narrow_terminal(imported_db: Path, snap_compare) -> None:
    app = make_app(imported_db, "alice", article=LONG)
    assert snap_compare(
        app, terminal_size=(72, 24), run_before=_settled, press=["l", "e", "enter", "j"]
    )


def test_80x24_with_a_message(imported_db: Path, snap_compare) -> None:
    # the refusal of an ATTRIBUTED without source type: the message on the legend's first
    # line, the source-type keys on the second, no toast over the article
    app = make_app(imported_db, "alice", article=LONG)
    assert snap_compare(
        app, terminal_size=(80, 24), run_before=_settled, press=["b", "enter", "a", "enter"]
    )


def test_wide_terminal(imported_db: Path, snap_compare) -> None:
    app = make_app(imported_db, "alice", article=LONG)
    assert snap_compare(
        app, terminal_size=(200, 50), run_before=_settled, press=["b", "enter", "q", "j"]
    )


def test_review_screen(adjudicated: Path, snap_compare) -> None:  # noqa: F811
    """Where alice differs from gold: the list, the second item in full, its guidelines."""
    from annotator.feedback import review
    from annotator.store.database import open_store
    from annotator.store.schemas import use_guidelines
    from annotator.tui.review_app import create_review_app

    store = open_store(adjudicated)
    g, _ = use_guidelines(store)
    app = create_review_app("alice", review(store, g, "alice"), g)
    assert snap_compare(app, terminal_size=(110, 34), press=["j"])
    store.close()
