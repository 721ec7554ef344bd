"""`annotator agreement --by suggestions` and `annotator suggestions --evaluate`: how much
suggestions move annotators, and how good each source is (issue 16)."""

from __future__ import annotations

import json
from typing import Any

import click

from annotator.cli.main import project
from annotator.cli.output import data_stdout, say
from annotator.store import anchoring as anchoring_store
from annotator.store import conditions as condition_store
from annotator.store import team as team_store
from annotator.suggest import anchoring


def _share(s: anchoring.Share) -> dict[str, Any]:
    ci = s.interval
    return {"value": s.value, "k": s.k, "n": s.n, "ci": list(ci) if ci else None}


def _num(x: float | None) -> str:
    return "—" if x is None else f"{x:.3f}"


def show_by_suggestions(ctx: click.Context, n_resamples: int, seed: int, fmt: str) -> None:
    store, g = project(ctx).open()
    with store:
        settings = team_store.settings(store)
        confirmations = [
            anchoring.Confirmation(sid, article, who, frozenset(labels))
            for sid, article, who, labels in anchoring_store.confirmations(store)
        ]
        gold = {sid: frozenset(v) for sid, v in anchoring_store.gold(store).items()}
        accepts = list(anchoring_store.acceptances(store))
        recorded = condition_store.recorded(store)
    mode = settings["suggestions_split"] if settings["suggestions"] == "on" else "off"
    rep = anchoring.report(
        confirmations,
        gold,
        g.schema.label_names,
        mode,
        int(settings["suggestions_seed"]),
        accepts,
        recorded=recorded,
        n_resamples=n_resamples,
        boot_seed=seed,
    )
    if fmt == "json":
        data = {
            "suggestions": settings["suggestions"],
            "split": rep.mode,
            "seed": rep.seed,
            "reference": rep.reference,
            "confirmations": rep.confirmations,
            "conditions_from_split": rep.from_split,
            "labels": [
                {
                    "label": label,
                    **{
                        cond: {
                            "alpha": None
                            if row.alpha is None
                            else {
                                "value": row.alpha.value,
                                "reason": row.alpha.reason,
                                "ci": None
                                if row.alpha.ci is None or not row.alpha.ci.defined
                                else [row.alpha.ci.low, row.alpha.ci.high],
                            },
                            "with_reference": _share(row.with_reference),
                        }
                        for cond, rows in rep.conditions.items()
                        for row in rows
                        if row.label == label
                    },
                }
                for label in g.schema.label_names
            ],
            "accepted": rep.accepted,
            "accepted_unchanged": _share(rep.unchanged),
        }
        with data_stdout("json") as out:
            out.write(json.dumps(data, ensure_ascii=False) + "\n")
        return
    if settings["suggestions"] != "on" or rep.mode == "none":
        say(
            "note: suggestions are not split now (annotator project set suggestions_split "
            "article|annotator): only recorded conditions can differ between confirmations"
        )
    say(
        f"split: {rep.mode}, seed {rep.seed}; reference: {rep.reference}; confirmations with "
        f"suggestions shown: {rep.confirmations['with']}, without: {rep.confirmations['without']}"
    )
    say(f"{'label':<12} {'shown':<8} {'alpha':>7} {'95% CI':>17} {'vs ref':>7} {'95% CI':>17}")
    for i, label in enumerate(g.schema.label_names):
        for cond in ("with", "without"):
            row = rep.conditions[cond][i]
            a = row.alpha
            ci = a.ci if a is not None and a.ci is not None and a.ci.defined else None
            aci = f"{_num(ci.low)}-{_num(ci.high)}" if ci else "—"
            r = row.with_reference
            rci = f"{_num(r.interval[0])}-{_num(r.interval[1])}" if r.interval else "—"
            shown = label if cond == "with" else ""
            say(
                f"{shown:<12} {cond:<8} {_num(a.value if a else None):>7} {aci:>17} "
                f"{_num(r.value):>7} {rci:>17}"
            )
    if rep.from_split:
        say(
            f"note: {rep.from_split} confirmation{'s' * (rep.from_split != 1)} on articles "
            "opened before the condition was recorded (or labels imported or merged): their "
            "condition is the split as it is set now, which may not be what was shown"
        )
    u = rep.unchanged
    uci = f" (95% CI {_num(u.interval[0])}-{_num(u.interval[1])})" if u.interval else ""
    say(f"accepted suggestions: {rep.accepted}; kept unchanged: {_num(u.value)}{uci}")


def show_evaluation(ctx: click.Context, fmt: str) -> None:
    store, g = project(ctx).open()
    with store:
        confirmations = [
            anchoring.Confirmation(sid, article, who, frozenset(labels))
            for sid, article, who, labels in anchoring_store.confirmations(store)
        ]
        gold = {sid: frozenset(v) for sid, v in anchoring_store.gold(store).items()}
        shown = list(anchoring_store.shown_suggestions(store))
    reference = anchoring.reference_labels(confirmations, gold)
    scores = anchoring.evaluate(shown, reference, g.schema.label_names)
    what = "gold" if gold else "the majority of the annotators"
    if fmt == "json":
        data = {
            "reference": "gold" if gold else "majority",
            "sentences": len(reference),
            "sources": [
                {
                    "source": s.source,
                    "label": s.label,
                    "precision": s.precision,
                    "recall": s.recall,
                    "true_positives": s.true_positives,
                    "suggested": s.suggested,
                    "relevant": s.relevant,
                }
                for s in scores
            ],
        }
        with data_stdout("json") as out:
            out.write(json.dumps(data, ensure_ascii=False) + "\n")
        return
    say(f"against {what} on {len(reference)} sentences (suggestions scoring 0.5 or more)")
    say(f"{'source':<16} {'label':<12} {'precision':>9} {'recall':>7} {'suggested':>9}")
    for s in scores:
        say(
            f"{s.source:<16} {s.label:<12} {_num(s.precision):>9} {_num(s.recall):>7} "
            f"{s.suggested:>9}"
        )
