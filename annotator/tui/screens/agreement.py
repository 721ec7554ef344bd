"""The agreement screen: per-label table with CI bars, pairwise kappa heatmap, and the
sentences annotators disagree on; Enter on one shows every annotator's labels side by side.

The report is computed in a thread worker with its own database connection, so the screen
stays responsive on a big corpus.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import DataTable, LoadingIndicator, Static, TabbedContent, TabPane

from annotator.agreement.overview import AgreementOverview
from annotator.agreement_screen import agreement_view
from annotator.guidelines import Guidelines
from annotator.models.errors import StoreError
from annotator.models.gold import Version
from annotator.safetext import printable
from annotator.tui.dialogs.disagreement import DisagreementModal, render_side_by_side
from annotator.tui.tables import ci_bar, fmt, who_rated, with_ci
from annotator.tui.text import literal
from annotator.tui.widgets.fitted_table import Col, FittedTable
from annotator.tui.widgets.footer import FittingFooter
from annotator.tui.widgets.heatmap import Heatmap, render_heatmap

# left out first in a narrow terminal, as `annotator agreement` drops the bars, then
# pos/neg/prev (audit9a F3: at 80 columns "n" read 0 for every label, cut inside "neg")
MORE = "a wider terminal, or `annotator agreement`"
BAR = "0 ────── α ────── 1"
LABEL_COLUMNS = [
    Col("label"),
    Col("α [95% CI]", 1),
    Col(BAR, 9, name="α bar"),
    Col("AC1", 4),
    Col("Fleiss", 5),
    Col("%agr", 3),
    Col("pos", 6),
    Col("neg", 7),
    Col("prev", 8),
    Col("n", 2),
]
FIELD_COLUMNS = [
    Col("field", flex=True),
    Col("level", 3),
    Col("α [95% CI]", 1),
    Col(BAR, 9, name="α bar"),
    Col("n", 2),
]
DISPUTE_COLUMNS = [Col("score"), Col("where"), Col("disputed", 1), Col("sentence", 2, flex=True)]
GOLD_COLUMNS = [
    Col("annotator"),
    Col("label"),
    Col("α [95% CI]", 1),
    Col(BAR, 9, name="α bar"),
    Col("%agr", 3),
    Col("n", 2),
]


def _number(ctx: dict[str, Any]) -> str:
    """The sentence's number as the annotation screen shows it (1-based)."""
    position = ctx.get("position")
    return str(position + 1) if isinstance(position, int) else "?"


def _t(value: object, style: str = "") -> Text:
    return Text(printable("" if value is None else str(value)), style=style)


class AgreementScreen(Screen[None]):
    BINDINGS = [
        Binding("escape,q", "close", "Back", id="agreement.close"),
        # left/right belong to the tabs; [ and ] step through the labels, as they step
        # through articles on the annotation screen
        Binding("left_square_bracket", "label(-1)", "Prev label", id="agreement.prev_label"),
        Binding("right_square_bracket", "label(1)", "Next label", id="agreement.next_label"),
        Binding("r", "refresh", "Recompute", id="agreement.refresh"),
        # as on the status screen (audit7 F19: here only the arrows changed tabs, unsaid)
        Binding("1", "tab('tab-labels')", "Labels", id="agreement.labels"),
        Binding("2", "tab('tab-pairs')", "Pairs", id="agreement.pairs"),
        Binding("3", "tab('tab-disagreements')", "Disagreements", id="agreement.disagreements"),
        Binding("4", "tab('tab-gold')", "Gold", id="agreement.gold"),
    ]

    def __init__(
        self,
        db_path: Path,
        guidelines: Guidelines,
        *,
        annotators: list[str] | None = None,
        label: str | None = None,
        article_id: int | None = None,
        n_resamples: int = 1000,
        seed: int = 0,
    ) -> None:
        super().__init__()
        self.db_path = db_path
        self.guidelines = guidelines
        self.annotators = annotators
        self.label = label
        self.article_id = article_id
        self.n_resamples = n_resamples
        self.seed = seed
        self.view: AgreementOverview | None = None
        self.contexts: dict[int, dict[str, Any]] = {}
        self.versions: dict[int, list[Version]] = {}
        self.heat_label = 0
        self.gold: list[dict[str, Any]] = []

    def compose(self) -> ComposeResult:
        yield Static(literal("Agreement: computing…", "bold"), id="agreement-title", markup=False)
        yield LoadingIndicator(id="agreement-loading")
        with TabbedContent(id="agreement-tabs"):
            with TabPane("Labels", id="tab-labels"), VerticalScroll():
                yield FittedTable(
                    id="label-table", more=MORE, cursor_type="row", zebra_stripes=True
                )
                yield FittedTable(id="field-table", more=MORE, cursor_type="row")
                yield Static(id="agreement-notes", markup=False)
            with TabPane("Pairs", id="tab-pairs"), VerticalScroll():
                yield Heatmap(id="heatmap", markup=False)
            with TabPane("Disagreements", id="tab-disagreements"), Vertical():
                yield Static(
                    literal(
                        "Most disputed sentences first. Enter shows every annotator's labels.",
                        "$text-muted",
                    ),
                    markup=False,
                )
                yield FittedTable(
                    id="dispute-table", more=MORE, cursor_type="row", zebra_stripes=True
                )
            # each annotator against gold: last, after the tabs about the annotators
            with TabPane("Gold", id="tab-gold"), VerticalScroll():
                yield Static(id="gold-title", markup=False)
                yield FittedTable(id="gold-table", more=MORE, cursor_type="row", zebra_stripes=True)
        yield FittingFooter()

    def on_mount(self) -> None:
        self.query_one("#agreement-tabs").display = False
        self.compute()

    @work(thread=True, exclusive=True, group="agreement")
    def compute(self) -> None:
        try:
            result = agreement_view(
                self.db_path,
                self.guidelines.schema,
                annotators=self.annotators,
                label=self.label,
                article_id=self.article_id,
                n_resamples=self.n_resamples,
                seed=self.seed,
            )
        except StoreError as e:
            self.app.call_from_thread(self.notify, str(e), severity="error", markup=False)
            return
        self.versions = result.versions
        self.gold = result.gold
        self.app.call_from_thread(self.show, result.overview, result.contexts)

    def show(self, view: AgreementOverview, contexts: dict[int, dict[str, Any]]) -> None:
        self.view, self.contexts = view, contexts
        rep = view.report
        self.query_one("#agreement-loading").display = False
        self.query_one("#agreement-tabs").display = True
        resamples = rep["bootstrap"]["resamples"]
        self.query_one("#agreement-title", Static).update(
            literal(
                f"Agreement: {who_rated(rep['annotators'])}, {rep['sentences']} sentences, "
                f"{rep['articles']} articles; "
                # `--bootstrap 0` computes no interval: it said "95% CI from 0 bootstrap
                # resamples" where the table output says "no intervals" (audit12 F17)
                + (
                    f"95% CI from {resamples} bootstrap resamples of "
                    + (
                        "whole articles"
                        if rep["bootstrap"]["resampled"] == "article"
                        else "sentences"
                    )
                    if resamples
                    else "no intervals (--bootstrap 0)"
                ),
                "bold",
            )
        )
        self.query_one("#label-table", FittedTable).fill(
            LABEL_COLUMNS,
            [
                [
                    _t(la["label"], "bold"),
                    with_ci(la["krippendorff_alpha"]),
                    ci_bar(la["krippendorff_alpha"]),
                    fmt(la["gwet_ac1"]),
                    fmt(la["fleiss_kappa"]),
                    fmt(la["percent_agreement"]),
                    fmt(la["positive_specific_agreement"]),
                    fmt(la["negative_specific_agreement"]),
                    Text("" if la["prevalence"] is None else f"{la['prevalence']:.2f}"),
                    Text(str(la["pairable_units"])),
                ]
                for la in rep["labels"]
            ],
        )
        self.query_one("#field-table", FittedTable).fill(
            FIELD_COLUMNS,
            [
                [
                    _t(f"{f['title']} ({f['scope']})", "bold"),
                    _t(f["level"]),
                    with_ci(f["krippendorff_alpha"]),
                    ci_bar(f["krippendorff_alpha"]),
                    Text(str(f["pairable_units"])),
                ]
                for f in rep["sentence_fields"] + rep["article_fields"]
            ],
        )
        from annotator.tui.tables import reasons

        notes = reasons(rep) + list(rep["notes"])
        self.query_one("#agreement-notes", Static).update(
            Content("\n").join([literal(n, "$text-muted") for n in notes])
        )
        self._show_heatmap()
        self._show_gold()
        rows, keys = [], []
        for d in view.disagreements:
            ctx = contexts.get(d.sentence_id, {})
            rows.append(
                [
                    Text(f"{d.score:.2f}"),
                    _t(f"{ctx.get('article', '?')} #{_number(ctx)}"),
                    _t(" ".join(d.labels_disputed), "yellow"),
                    _t(str(ctx.get("text", ""))[:90]),
                ]
            )
            keys.append(str(d.sentence_id))
        self.query_one("#dispute-table", FittedTable).fill(DISPUTE_COLUMNS, rows, keys)

    def _show_gold(self) -> None:
        """Each annotator against gold, label by label (what a manager looks at after
        adjudication: who needs which guideline again)."""
        self.query_one("#gold-title", Static).update(
            literal(
                "Each annotator against gold, per label, over the sentences both have "
                "(adjudicators and managers left out)."
                if self.gold
                else "No gold yet: adjudicate first (`annotator adjudicate`).",
                "$text-muted",
            )
        )
        rows = []
        for g in self.gold:
            for i, la in enumerate(g["labels"]):
                a = la["krippendorff_alpha"]
                who = f"{g['annotator']} ({g['differ_from_gold']}/{g['sentences']} differ)"
                rows.append(
                    [
                        _t(who if i == 0 else "", "bold"),
                        _t(la["label"]),
                        with_ci(a),
                        ci_bar(a),
                        fmt(la["percent_agreement"]),
                        Text(str(la["pairable_units"])),
                    ]
                )
        self.query_one("#gold-table", FittedTable).fill(GOLD_COLUMNS, rows)

    def _label_names(self) -> list[str]:
        return [la["label"] for la in self.view.report["labels"]] if self.view else []

    def _show_heatmap(self) -> None:
        if not self.view:
            return
        names = self._label_names()
        label = names[self.heat_label % len(names)]
        self.query_one(Heatmap).update(
            render_heatmap(label, self.view.report["annotators"], self.view.pairs)
        )

    def action_label(self, step: int) -> None:
        self.heat_label += step
        self._show_heatmap()

    def action_refresh(self) -> None:
        self.query_one("#agreement-loading").display = True
        self.compute()

    @on(DataTable.RowSelected, "#dispute-table")
    def open_disagreement(self, event: DataTable.RowSelected) -> None:
        if not self.view or event.row_key.value is None:
            return
        sid = int(event.row_key.value)
        d = next(x for x in self.view.disagreements if x.sentence_id == sid)
        ctx = self.contexts.get(sid, {})
        where = (
            f"{ctx.get('title') or ctx.get('article')} · sentence {_number(ctx)} "
            f"({ctx.get('kind')})"
        )
        marks = self.versions.get(sid, [])
        content = render_side_by_side(
            self.guidelines.schema, str(ctx.get("text", "")), where, marks, d.labels_disputed
        )
        first = d.labels_disputed[0] if d.labels_disputed else None
        self.app.push_screen(
            DisagreementModal(
                content,
                first,
                self.guidelines.section(first) if first else None,
                self.guidelines.markdown,
            )
        )

    def action_close(self) -> None:
        if self._stacked:
            self.app.pop_screen()
        else:  # "Back" must not quit: there is nothing to go back to
            self.notify("this is the only screen: ctrl+q quits", markup=False, timeout=3)

    @property
    def _stacked(self) -> bool:
        """Opened from the annotation screen (Back returns there), not on its own."""
        return len(self.app.screen_stack) > 2

    def action_tab(self, pane: str) -> None:
        self.query_one("#agreement-tabs", TabbedContent).active = pane

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "label":  # [ and ] step the heatmap's label: only on the Pairs tab
            tabs = self.query_one("#agreement-tabs", TabbedContent)
            return tabs.active == "tab-pairs"
        return True

    @on(TabbedContent.TabActivated, "#agreement-tabs")
    def tab_changed(self, event: TabbedContent.TabActivated) -> None:
        self.refresh_bindings()
        if event.pane.id == "tab-disagreements":
            # Enter opens the sentence under the cursor at once, without a Tab into the table
            self.query_one("#dispute-table", DataTable).focus()
