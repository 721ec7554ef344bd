"""The agreement screen: from the annotation screen (with a blind-mode warning) and alone."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import DataTable

from annotator.store.database import open_store
from annotator.store.schemas import use_guidelines
from annotator.tui.agreement_app import create_agreement_app
from annotator.tui.dialogs.disagreement import DisagreementModal
from annotator.tui.screens.agreement import AgreementScreen
from annotator.tui.screens.annotate import AnnotateScreen
from annotator.tui.widgets.fitted_table import FittedTable
from tests.test_agreement_cli import annotated_db  # noqa: F401  (fixture)
from tests.test_tui_annotate import SIZE, make_app
from tests.test_tui_status import (
    assert_footer_keeps_every_key,
    assert_whole_columns,
    screen_lines,
)


async def _ready(pilot, screen: AgreementScreen) -> None:
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    assert screen.view is not None


async def test_agreement_screen_from_annotation(annotated_db: Path) -> None:  # noqa: F811
    # not blind: nothing to ask (audit7 F19: it asked whether to end a blind annotation)
    async with make_app(annotated_db, "alice", article="000_60cc46f11ca30d04").run_test(
        size=SIZE
    ) as pilot:
        await pilot.press("R")
        assert isinstance(pilot.app.screen, AgreementScreen)
    with open_store(annotated_db) as store:
        store.conn.execute("INSERT OR REPLACE INTO settings (key, value) VALUES ('blind', 'true')")
    app = make_app(annotated_db, "alice", article="000_60cc46f11ca30d04")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("R")
        assert app.screen.__class__.__name__ == "ConfirmModal"  # blind: ask first
        await pilot.press("n")
        assert isinstance(app.screen, AnnotateScreen)
        await pilot.press("R", "y")
        screen = app.screen
        assert isinstance(screen, AgreementScreen)
        await _ready(pilot, screen)
        table = screen.query_one("#label-table", DataTable)
        assert table.row_count == len(app.session.schema.labels)
        assert str(table.get_row_at(0)[0]) == "ATTRIBUTED"
        await pilot.press("escape")
        assert isinstance(app.screen, AnnotateScreen)


async def test_standalone_screen_disagreements_side_by_side(annotated_db: Path) -> None:  # noqa: F811
    store = open_store(annotated_db)
    g, _ = use_guidelines(store)
    app = create_agreement_app(store.path, g, n_resamples=100)
    async with app.run_test(size=SIZE) as pilot:
        screen = app.screen
        assert isinstance(screen, AgreementScreen)
        await _ready(pilot, screen)
        heat = str(screen.query_one("#heatmap").render())
        assert "Cohen's kappa per pair: ATTRIBUTED" in heat and "alice" in heat
        await pilot.press("right")  # the Pairs tab: [ and ] step its label
        await pilot.press("right_square_bracket")
        assert "per pair: QUOTE" in str(screen.query_one("#heatmap").render())
        disputes = screen.query_one("#dispute-table", DataTable)
        assert screen.view is not None
        assert disputes.row_count == len(screen.view.disagreements) > 0
        disputes.focus()
        await pilot.press("enter")
        modal = app.screen
        assert modal.__class__.__name__ == "DisagreementModal"
        assert isinstance(modal, DisagreementModal)
        shown = str(modal.content)
        for name in ("alice", "bob", "carol"):
            assert name in shown
        await pilot.press("escape", "escape")
        assert app.is_running  # Back on the only screen does not quit (ctrl+q does)
        await pilot.press("ctrl+q")
        await pilot.pause()
        assert not app.is_running
    store.close()


def test_heatmap_headers_stand_over_their_columns() -> None:
    """Regression (seen on the team demo): names were right-aligned over centred cells."""
    from annotator.tui.widgets.heatmap import CELL, render_heatmap

    names = ["alice", "bob", "christina"]
    pairs = [
        {"label": "A", "annotator_a": a, "annotator_b": b, "cohen_kappa": {"value": v}}
        for a, b, v in [
            ("alice", "bob", 0.87),
            ("alice", "christina", 0.5),
            ("bob", "christina", None),
        ]
    ]
    lines = render_heatmap("A", names, pairs).plain.splitlines()
    header, rows = lines[1], lines[2:5]
    start = len(header) - len(header.lstrip())  # where the first column begins
    start -= (CELL - len(names[0])) // 2
    for j, name in enumerate(names):
        column = slice(start + j * CELL, start + (j + 1) * CELL)
        assert header[column].strip() == name[: CELL - 1]
        shown = [row[column].strip() for row in rows]
        assert shown[j] == "—" and all(s for s in shown)


async def test_digits_choose_the_tabs_as_on_the_status_screen(annotated_db: Path) -> None:  # noqa: F811
    """audit7 F19: only the arrows changed tabs here, while `status --tui` uses 1-4."""
    from textual.widgets import TabbedContent

    store = open_store(annotated_db)
    g, _ = use_guidelines(store)
    app = create_agreement_app(store.path, g, n_resamples=0)
    async with app.run_test(size=SIZE) as pilot:
        screen = app.screen
        await _ready(pilot, screen)  # type: ignore[arg-type]
        tabs = screen.query_one("#agreement-tabs", TabbedContent)
        for key, pane in (("3", "tab-disagreements"), ("4", "tab-gold"), ("2", "tab-pairs")):
            await pilot.press(key)
            assert tabs.active == pane
        await pilot.press("right_square_bracket")  # on Pairs, ] still steps the label
        assert "per pair: QUOTE" in str(screen.query_one("#heatmap").render())
        await pilot.press("1")
        assert tabs.active == "tab-labels"
        footer = " ".join(b.binding.description for b in screen.active_bindings.values())
        assert "Labels" in footer and "Gold" in footer
    store.close()


async def test_a_project_made_blind_while_the_screen_is_open_asks_again(
    annotated_db: Path,  # noqa: F811
) -> None:
    """audit10 F3: the blind setting was read once, when the session began: a project made
    blind meanwhile still opened the agreement screen at R, nothing asked, nothing recorded;
    served, an annotator's browser session still had the right to it."""
    from annotator.access import rights
    from annotator.store import team

    app = make_app(annotated_db, "alice", article="000_60cc46f11ca30d04")
    session = app.session
    assert session is not None

    def agreement_now() -> bool:  # as `annotator serve` gives it to an annotator's app
        return rights("annotator", blind=session.blind_now()).agreement

    app.agreement_allowed = agreement_now
    async with app.run_test(size=SIZE) as pilot:
        with open_store(annotated_db) as store:
            team.set_setting(store, "blind", "true")
        await pilot.press("R")
        assert isinstance(app.screen, AnnotateScreen)  # not opened, not asked
        app.agreement_allowed = True  # in a terminal: asked, and recorded if opened
        await pilot.press("R")
        assert app.screen.__class__.__name__ == "ConfirmModal"


async def test_at_80_columns_no_figure_is_cut(annotated_db: Path) -> None:  # noqa: F811
    """audit9a F3: at 80 columns the Labels tab was cut inside "neg": a column headed "n"
    showed the first digit of 0.941, i.e. n = 0 for every label. Whole columns are left
    out instead (the bar first, as `annotator agreement` does), and said so; the real n
    is on screen in full."""
    store = open_store(annotated_db)
    g, _ = use_guidelines(store)
    app = create_agreement_app(store.path, g, n_resamples=20)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = app.screen
        assert isinstance(screen, AgreementScreen)
        await _ready(pilot, screen)
        lines = screen_lines(app)
        for selector in ("#label-table", "#field-table"):
            assert_whole_columns(screen.query_one(selector, DataTable), lines)
        table = screen.query_one("#label-table", FittedTable)
        assert table.hidden[0] == "α bar"  # the bar goes first, the figures stay
        assert screen.view is not None
        first = screen.view.report["labels"][0]
        row = next(x for x in lines if x.startswith(f" {first['label']} "))
        assert row.rstrip().endswith(f" {first['pairable_units']}")  # n, every digit
        await pilot.press("4")
        await pilot.pause()
        assert_whole_columns(screen.query_one("#gold-table", DataTable), screen_lines(app))
        await pilot.resize_terminal(200, 50)
        await pilot.press("1")
        await pilot.pause()
        assert not table.hidden  # room for all, the bar included
        assert_whole_columns(table, screen_lines(app))
    store.close()


async def test_the_agreement_footer_keeps_every_key(annotated_db: Path) -> None:  # noqa: F811
    """audit9a F4: at 80x24 the Pairs tab's footer ended "2 Pair▏": no r, 3, 4, ^q."""
    store = open_store(annotated_db)
    g, _ = use_guidelines(store)
    app = create_agreement_app(store.path, g, n_resamples=0)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = app.screen
        assert isinstance(screen, AgreementScreen)
        await _ready(pilot, screen)
        assert_footer_keeps_every_key(app, 80)
        await pilot.press("2")  # the Pairs tab adds [ and ]
        await pilot.pause()
        assert_footer_keeps_every_key(app, 80)
        assert "[" in screen_lines(app)[-1]
    store.close()


async def agreement_title(db: Path) -> str:
    """The agreement screen's title, `--bootstrap 0`, once the report is shown."""
    from textual.widgets import Static

    store = open_store(db)
    g, _ = use_guidelines(store)
    app = create_agreement_app(store.path, g, n_resamples=0)
    try:
        async with app.run_test(size=SIZE) as pilot:
            screen = app.screen
            await _ready(pilot, screen)  # type: ignore[arg-type]
            return str(screen.query_one("#agreement-title", Static).render())
    finally:
        store.close()


async def test_no_resamples_say_no_intervals(annotated_db: Path) -> None:  # noqa: F811
    """audit12 F17: `agreement --tui --bootstrap 0` was headed "95% CI from 0 bootstrap
    resamples of whole articles"; the table output says "no intervals"."""
    title = await agreement_title(annotated_db)
    assert "no intervals" in title and "95% CI" not in title


async def test_with_nobody_confirmed_the_title_says_what_agreement_waits_for(
    imported_db: Path,
) -> None:
    """A demo user's first `R`: "Agreement: 0 annotators (), 0 sentences"."""
    title = await agreement_title(imported_db)
    assert "no confirmed sentences yet" in title and "()" not in title, title
