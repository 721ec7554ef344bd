"""The status screen: what `annotator status` reports, as tables: each annotator's progress
(confirmed, events, active time, rate, queue), their progress per article, who is assigned
to what, each annotator against gold (for those who may see it) and the adjudication.

`annotator status --tui` in the terminal; `annotator serve` gives it to managers at
URL/status. The report is gathered in a thread worker with its own database connection
(annotator/project_status.py, the same calls the command makes), so the screen stays
responsive on a big corpus: the counts first, shown at once, then the gold agreement, whose
bootstrap intervals can take seconds (audit9a F15: 14 s at 5,000 articles, with nothing on
the screen but "reading…"); the Gold tab says "computing…" until they come. r gathers it
again, the same way. Every name and title is shown as Text after printable(): never markup.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import DataTable, LoadingIndicator, Static, TabbedContent, TabPane
from textual.worker import get_current_worker

from annotator.guidelines import Guidelines
from annotator.models.errors import StoreError
from annotator.models.shares import percent_done
from annotator.project_status import annotator_names, changed_note, gold_view, status_view
from annotator.tui.tables import ci_bar, text, with_ci
from annotator.tui.text import literal
from annotator.tui.widgets.fitted_table import Col, FittedTable
from annotator.tui.widgets.footer import FittingFooter

# per-article rows past this many are left to `annotator status` (a million-sentence
# project has tens of thousands; a table of them helps nobody and costs seconds to build)
MAX_ROWS = 2000

# what is left out first when the terminal is narrow (audit9a F3: never a figure cut short)
MORE = "a wider terminal, or `annotator status`"
ANNOTATOR_COLUMNS = [
    Col("annotator"),
    Col("confirmed", 1),
    Col("%", 2),
    Col("events", 9),
    Col("articles done", 6),
    Col("forms done", 8),
    Col("active", 5),
    Col("per hour", 4),
    Col("queue done", 7),
    Col("queue left", 3),
]
ARTICLE_COLUMNS = [
    Col("annotator"),
    Col("confirmed", 1),
    Col("form", 2),
    Col("article", 0),
    Col("title", 3, flex=True),
]
ASSIGNMENT_COLUMNS = [
    Col("article"),
    Col("sentences", 2),
    Col("annotators (confirmed)", 1, flex=True),
]
GOLD_COLUMNS = [
    Col("annotator"),
    Col("label", 0),
    Col("α [95% CI]", 1),
    Col("0 ────── α ────── 1", 9, name="α bar"),
    Col("n", 2),
]


def _duration(seconds: float) -> str:
    minutes = int(seconds // 60)
    return f"{minutes // 60} h {minutes % 60:02d} min" if minutes >= 60 else f"{minutes} min"


def _n(value: object) -> Text:
    return Text(str(value), justify="right")


class StatusScreen(Screen[None]):
    BINDINGS = [
        Binding("escape,q", "close", "Back", id="status.close"),
        Binding("r", "refresh", "Refresh", id="status.refresh"),
        # the tables take the arrow keys: the tabs have keys of their own
        Binding("1", "tab('tab-annotators')", "Annotators", id="status.annotators"),
        Binding("2", "tab('tab-articles')", "Articles", id="status.articles"),
        Binding("3", "tab('tab-assignments')", "Assignments", id="status.assignments"),
        Binding("4", "tab('tab-gold')", "Gold", id="status.gold"),
    ]

    def __init__(
        self,
        db_path: Path,
        guidelines: Guidelines,
        viewer: str,
        *,
        n_resamples: int = 1000,
    ) -> None:
        super().__init__()
        self.db_path = db_path
        self.guidelines = guidelines
        self.viewer = viewer
        self.n_resamples = n_resamples
        self.data: dict[str, Any] | None = None
        # the gold agreement: None while computing, or when the viewer may not see it
        self.gold: list[dict[str, Any]] | None = None
        self.sees_gold = False
        self._turn = 0  # which gather's results are shown (_start)

    def compose(self) -> ComposeResult:
        yield Static(literal("Status: reading…", "bold"), id="status-title", markup=False)
        yield LoadingIndicator(id="status-loading")
        with TabbedContent(id="status-tabs"):
            with TabPane("Annotators", id="tab-annotators"), VerticalScroll():
                yield FittedTable(
                    id="annotator-table", more=MORE, cursor_type="row", zebra_stripes=True
                )
                yield Static(id="status-notes", markup=False)
            with TabPane("Articles", id="tab-articles"):
                yield FittedTable(
                    id="article-table", more=MORE, cursor_type="row", zebra_stripes=True
                )
            with TabPane("Assignments", id="tab-assignments"):
                yield FittedTable(
                    id="assignment-table", more=MORE, cursor_type="row", zebra_stripes=True
                )
            with TabPane("Gold", id="tab-gold"), VerticalScroll():
                yield Static(id="status-gold-title", markup=False)
                yield FittedTable(
                    id="status-gold-table", more=MORE, cursor_type="row", zebra_stripes=True
                )
        yield FittingFooter()

    def on_mount(self) -> None:
        self.query_one("#status-tabs").display = False
        self._start()

    def _start(self) -> None:
        # a worker's results are shown only while it is the latest: r pressed during a
        # bootstrap starts another, and the first one's thread cannot be stopped
        self._turn += 1
        self.gather(self._turn)

    @work(thread=True, exclusive=True, group="status")
    def gather(self, turn: int) -> None:
        worker = get_current_worker()
        try:
            data, sees_gold = status_view(self.db_path, self.guidelines, self.viewer)
            if worker.is_cancelled:
                return
            self.app.call_from_thread(self.show, data, sees_gold, turn)
            if not sees_gold:
                return
            gold = gold_view(self.db_path, self.guidelines, annotator_names(data), self.n_resamples)
        except StoreError as e:
            self.app.call_from_thread(self.notify, str(e), severity="error", markup=False)
            return
        if not worker.is_cancelled:
            self.app.call_from_thread(self.show_gold, gold, turn)

    def show(self, data: dict[str, Any], sees_gold: bool, turn: int) -> None:
        """The counts; the Gold tab says "computing…" until show_gold (when the viewer
        sees gold agreement), or who may see it."""
        if turn != self._turn:
            return
        self.data = data
        self.gold = None
        self.sees_gold = sees_gold
        self.query_one("#status-loading").display = False
        self.query_one("#status-tabs").display = True
        langs = ", ".join(f"{n} {k}" for k, n in data["languages"].items())
        self.query_one("#status-title", Static).update(
            literal(
                f"Status: {data['articles']} articles"
                + (f" ({langs})" if langs else "")
                + f", {data['sentences']} sentences, {data['outlets']} outlets, "
                f"{len(data['annotators'])} annotators",
                "bold",
            )
        )
        self._annotators(data)
        self._articles(data)
        self._assignments(data)
        self._gold()

    def show_gold(self, gold: list[dict[str, Any]], turn: int) -> None:
        if turn != self._turn:
            return
        self.gold = gold
        self._gold()

    def _annotators(self, data: dict[str, Any]) -> None:
        table = self.query_one("#annotator-table", FittedTable)
        total = data["sentences"] or 1
        rows = []
        for a in data["annotators"]:
            rate = a["sentences_per_hour"]
            q = a["assigned"]
            rows.append(
                [
                    text(a["annotator"], "bold"),
                    _n(a["confirmed"]),
                    _n(f"{percent_done(a['confirmed'], total):.1f}"),
                    _n(a["events"]),
                    _n(f"{a['articles_complete']}/{data['articles']}"),
                    _n(f"{a['article_forms_done']}/{data['articles']}"),
                    _n(_duration(a["active_seconds"])),
                    _n("" if rate is None else f"{rate:.0f}"),
                    _n(f"{q['articles_done']}/{q['articles']}" if a["queue"] else ""),
                    _n(q["remaining"] if a["queue"] else ""),
                ]
            )
        table.fill(ANNOTATOR_COLUMNS, rows)
        notes = [f"{p['role']}: {p['name']} ({p['events']} events)" for p in data["staff"]]
        notes += [
            f"{a['annotator']}: {changed_note(a)}"
            for a in data["annotators"]
            if a["changed_not_reconfirmed"]
        ]
        if not data["annotators"]:
            notes.append("No annotators yet.")
        adj = data["adjudication"]
        if adj["disputed_sentences"] or adj["gold_sentences"]:
            methods = ", ".join(f"{n} {m}" for m, n in sorted(adj["by_method"].items()))
            notes.append(
                f"Adjudication: {adj['gold_sentences']} sentences have gold"
                + (f" ({methods})" if methods else "")
                + f"; {adj['disputed_open']} of {adj['disputed_sentences']} disputed "
                f"sentences still open; {adj['gold_article_fields']} article fields decided"
                + (
                    f"; {adj['stale_decisions']} adjudicated decisions contradicted by answers "
                    "confirmed since (shown again in `adjudicate`)."
                    if adj.get("stale_decisions")
                    else "."
                )
            )
        self.query_one("#status-notes", Static).update(
            Content("\n").join([literal(n, "$text-muted") for n in notes])
        )

    def _articles(self, data: dict[str, Any]) -> None:
        table = self.query_one("#article-table", FittedTable)
        n_fields = len(self.guidelines.schema.article_fields)
        rows: list[list[Text]] = []
        for a in data["annotators"]:
            forms = a["article_form_fields"]
            rows += [
                [
                    text(a["annotator"], "bold"),
                    _n(f"{art['confirmed']}/{art['sentences']}"),
                    _n(f"{forms.get(art['article'], 0)}/{n_fields}"),
                    text(art["article"]),
                    text((art["title"] or "")[:70]),
                ]
                for art in a["articles"][: MAX_ROWS + 1 - len(rows)]
            ]
        if len(rows) > MAX_ROWS:
            rows[MAX_ROWS:] = [[text("… more: `annotator status` lists every one", "italic")]]
        table.fill(ARTICLE_COLUMNS, rows)

    def _assignments(self, data: dict[str, Any]) -> None:
        table = self.query_one("#assignment-table", FittedTable)
        assigned = [x for x in data["assigned_articles"] if x["assigned"]]
        if not assigned:
            table.fill(
                ASSIGNMENT_COLUMNS, [[text("No assignments (`annotator assign`).", "italic")]]
            )
            return
        rows: list[list[Text]] = []
        for i, x in enumerate(assigned):
            if i == MAX_ROWS:
                rows.append([text("… more: `annotator status` lists every one", "italic")])
                break
            who = ", ".join(f"{p['annotator']} {p['confirmed']}" for p in x["progress"])
            mark = " (calibration)" if x["calibration"] else ""
            rows.append([text(x["article"] + mark), _n(x["sentences"]), text(who)])
        table.fill(ASSIGNMENT_COLUMNS, rows)

    def _gold(self) -> None:
        gold = self.gold
        self.query_one("#status-gold-title", Static).update(
            literal(
                "Only a manager sees each annotator's agreement with gold."
                if not self.sees_gold
                else "Each annotator against gold: computing…"
                + (
                    f" (95% intervals from {self.n_resamples} bootstrap resamples of "
                    "whole articles)"
                    if self.n_resamples
                    else ""
                )
                if gold is None
                else "Each annotator against gold, per label, over the sentences with gold."
                if gold
                else "No gold yet: adjudicate first (`annotator adjudicate`).",
                "$text-muted",
            )
        )
        table = self.query_one("#status-gold-table", FittedTable)
        rows = []
        for person in gold or []:
            for i, la in enumerate(person["labels"]):
                a = la["krippendorff_alpha"]
                who = f"{person['annotator']} ({person['sentences']} sentences)"
                rows.append(
                    [
                        text(who if i == 0 else "", "bold"),
                        text(la["label"]),
                        with_ci(a),
                        ci_bar(a),
                        _n(la["pairable_units"]),
                    ]
                )
        table.fill(GOLD_COLUMNS, rows)

    def action_tab(self, pane: str) -> None:
        self.query_one("#status-tabs", TabbedContent).active = pane

    def action_refresh(self) -> None:
        self.query_one("#status-loading").display = True
        self._start()

    def action_close(self) -> None:
        if len(self.app.screen_stack) > 2:
            self.app.pop_screen()
        else:  # "Back" must not quit: there is nothing to go back to
            self.notify("this is the only screen: ctrl+q quits", markup=False, timeout=3)

    @on(TabbedContent.TabActivated, "#status-tabs")
    def tab_changed(self, event: TabbedContent.TabActivated) -> None:
        # the arrow keys move through the table at once, without a Tab into it
        table = event.pane.query(DataTable)
        if table:
            table.first().focus()
