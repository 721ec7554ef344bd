"""`annotator agreement --by suggestions` and `annotator suggestions --evaluate`: how much
suggestions move annotators, and how good each source is (issue 16)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import click

from annotator.agreement.results import Coefficient
from annotator.cli.main import project
from annotator.cli.output import data_stdout, say
from annotator.store import anchoring as anchoring_store
from annotator.store import conditions as condition_store
from annotator.store import team as team_store
from annotator.suggest import anchoring, split

if TYPE_CHECKING:
    from annotator.store.database import Store


def whole_project_only(given: dict[str, object]) -> None:
    """Refuse the scopes `agreement --by suggestions` does not apply (the options given,
    by name): the anchoring report is the whole project's (audit15a F8: a scoped command
    printed the whole project's figures, not a word said)."""
    scoped = [flag for flag, value in given.items() if value]
    if scoped:
        raise click.UsageError(
            f"--by suggestions reports the whole project: {', '.join(scoped)} "
            f"{'is' if len(scoped) == 1 else 'are'} not applied to it"
        )


def _share(s: anchoring.Share, bootstrap: bool = True) -> dict[str, Any]:
    """`reason`: why there is no value; `ci_reason`: why a value has no interval."""
    ci = s.interval
    ci_reason = None
    if s.value is not None and ci is None:
        ci_reason = s.ci_reason or (None if bootstrap else NO_BOOTSTRAP)
    return {
        "value": s.value,
        "k": s.k,
        "n": s.n,
        "ci": list(ci) if ci else None,
        "reason": s.reason,
        "ci_reason": ci_reason,
    }


def _num(x: float | None) -> str:
    return "—" if x is None else f"{x:.3f}"


def _alpha_json(a: Coefficient) -> dict[str, Any]:
    """`reason`: why the value is undefined; `ci_reason`: why a defined value has no
    interval (too many undefined resamples, or --bootstrap 0). Never a null without one."""
    ci = a.ci
    defined = ci is not None and ci.defined and ci.low is not None and ci.high is not None
    ci_reason = None
    if a.value is not None and not defined:
        ci_reason = ci.reason if ci is not None and ci.reason else NO_BOOTSTRAP
    return {
        "value": a.value,
        "reason": a.reason,
        "ci": [ci.low, ci.high] if defined and ci is not None else None,
        "ci_reason": ci_reason,
    }


NO_BOOTSTRAP = "no interval: --bootstrap 0"


class _Notes:
    """Footnotes for the table: a reason is printed once, under the table, and its cell
    says `—[n]` (a number is never printed where there is none, nor a dash without why)."""

    def __init__(self) -> None:
        self.reasons: list[str] = []

    def mark(self, reason: str) -> str:
        if reason not in self.reasons:
            self.reasons.append(reason)
        return f"—[{self.reasons.index(reason) + 1}]"


def _judged(
    store: Store, labels: Sequence[str]
) -> tuple[list[anchoring.Confirmation], dict[int, anchoring.Verdict]]:
    """The confirmed annotations and the gold (each with the labels of `labels` its schema
    lacked), which both reports measure against."""
    confirmations = [
        anchoring.Confirmation(sid, article, who, frozenset(chosen), unrated)
        for sid, article, who, chosen, unrated in anchoring_store.confirmations(store, labels)
    ]
    gold = {
        sid: anchoring.Verdict(frozenset(chosen), unrated)
        for sid, (chosen, unrated) in anchoring_store.gold(store, labels).items()
    }
    return confirmations, gold


def show_by_suggestions(
    ctx: click.Context, n_resamples: int, seed: int, fmt: str, resample: str = "article"
) -> None:
    from annotator.cli import anchoring_follow  # its tables: it reads this module's helpers

    store, g = project(ctx).open()
    with store:
        settings = team_store.settings(store)
        confirmations, gold = _judged(store, g.schema.label_names)
        accepts = list(anchoring_store.acceptances(store))
        recorded = condition_store.recorded(store)
        suggested, guessing = anchoring_follow.read(store, g.schema)
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
        resample=resample,
        boot_seed=seed,
        suggested=suggested,
        guessing=guessing,
        empty_label=g.schema.info.empty_label,
    )
    seed_now = int(settings["suggestions_seed"])
    seen = {
        (c.annotator, c.article): anchoring.condition_of(c, mode, seed_now, recorded) == "with"
        for c in confirmations
    }
    uneven = split.lopsided(split.sides_of(mode, ((w, a, on) for (w, a), on in seen.items())))
    if fmt == "json":
        data = {
            "suggestions": settings["suggestions"],
            "split": rep.mode,
            "seed": rep.seed,
            "lopsided": [
                {"annotator": who or None, "shown": k, "articles": n} for who, k, n in uneven
            ],
            "reference": rep.reference,
            "confirmations": rep.confirmations,
            "without_reference": rep.unjudged,
            "conditions_from_split": rep.from_split,
            "articles": rep.articles,
            "few_articles": rep.few_articles(),
            "unrated": rep.unrated,
            "labels": [
                {
                    "label": label,
                    **{
                        cond: {
                            "alpha": _alpha_json(row.alpha),
                            "with_reference": _share(row.with_reference, n_resamples > 0),
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
            **anchoring_follow.json_part(rep, n_resamples > 0),
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
    for warning in (split.lopsided_warning(uneven), rep.few_articles()):
        if warning:
            say(warning)
    total = sum(rep.confirmations.values())
    for label, by in rep.unrated.items():
        say(
            f"{label} was added to the guidelines after {sum(by.values())} of the {total} "
            f"confirmations here ({by['with']} with suggestions shown, {by['without']} "
            f'without): those are not ratings of {label} (missing, not "absent"), left out '
            "of its alpha and vs ref and of the majority that is a reference"
        )
    for cond in ("with", "without"):
        if rep.unjudged[cond]:
            say(
                f"{rep.unjudged[cond]} confirmation{'s' * (rep.unjudged[cond] != 1)} "
                f"{anchoring.SHOWN[cond]} {'has' if rep.unjudged[cond] == 1 else 'have'} "
                "no reference (no gold, and no label that more "
                "than half of the other annotators chose): left out of vs ref"
            )
    notes = _Notes()
    say(f"{'label':<12} {'shown':<8} {'alpha':>7} {'95% CI':>17} {'vs ref':>7} {'95% CI':>17}")
    for i, label in enumerate(g.schema.label_names):
        for cond in ("with", "without"):
            row = rep.conditions[cond][i]
            a = _alpha_json(row.alpha)
            value = _num(a["value"]) if a["reason"] is None else notes.mark(a["reason"])
            if a["ci"] is not None:
                aci = f"{_num(a['ci'][0])}-{_num(a['ci'][1])}"
            else:
                aci = notes.mark(a["ci_reason"]) if a["ci_reason"] else "—"
            r = _share(row.with_reference, n_resamples > 0)
            share = _num(r["value"]) if r["reason"] is None else notes.mark(r["reason"])
            if r["ci"] is not None:
                rci = f"{_num(r['ci'][0])}-{_num(r['ci'][1])}"
            else:
                rci = notes.mark(r["ci_reason"]) if r["ci_reason"] else "—"
            shown = label if cond == "with" else ""
            say(f"{shown:<12} {cond:<8} {value:>7} {aci:>17} {share:>7} {rci:>17}")
    for n, reason in enumerate(notes.reasons, 1):
        say(f"[{n}] {reason}")
    if rep.from_split:
        say(
            f"note: {rep.from_split} confirmation{'s' * (rep.from_split != 1)} on articles "
            "opened before the condition was recorded (or labels imported or merged): their "
            "condition is the split as it is set now, which may not be what was shown"
        )
    u = rep.unchanged
    uci = f" (95% CI {_num(u.interval[0])}-{_num(u.interval[1])})" if u.interval else ""
    say(f"accepted suggestions: {rep.accepted}; kept unchanged: {_num(u.value)}{uci}")
    anchoring_follow.say_text(rep, n_resamples > 0)


def show_evaluation(ctx: click.Context, fmt: str) -> None:
    """Each source against the reference; the model only on sentences it did not learn
    from (scored on its own training sentences it would look far better than it is)."""
    from annotator.models.suggestions import MODEL
    from annotator.store import suggestion_model

    store, g = project(ctx).open()
    with store:
        confirmations, gold = _judged(store, g.schema.label_names)
        shown = list(anchoring_store.shown_suggestions(store))
        training = anchoring_store.model_training(store)
        model_report = suggestion_model.model_report(store)
    ref = anchoring.reference_labels(confirmations, gold)
    labels = g.schema.label_names
    # a label on a sentence whose every annotator confirmed before it was added is not
    # judged there (references.py)
    scores = anchoring.evaluate(
        [x for x in shown if x[1] != MODEL], ref.labels, labels, ref.unknown
    )
    unseen: dict[int, frozenset[str]] = {}
    if training is not None:
        unseen = {sid: v for sid, v in ref.labels.items() if sid not in training[2]}
        scores += anchoring.evaluate(
            [x for x in shown if x[1] == MODEL], unseen, labels, ref.unknown
        )
    scores.sort(key=lambda s: s.source)
    listed = model_report.get("labels")
    cv = [r for r in listed if isinstance(r, dict)] if isinstance(listed, list) else []
    what = (
        "gold, else the majority"
        if gold and ref.no_majority + len(ref.labels) > len(gold)
        else "gold"
        if gold
        else "the majority of the annotators"
    )
    if fmt == "json":
        data = {
            "reference": "gold"
            if what == "gold"
            else "majority"
            if not gold
            else "gold, else majority",
            "sentences": len(ref.labels),
            "no_majority": ref.no_majority,
            "sources": [
                {
                    "source": s.source,
                    "label": s.label,
                    "precision": s.precision,
                    "recall": s.recall,
                    "true_positives": s.true_positives,
                    "suggested": s.suggested,
                    "relevant": s.relevant,
                    "judged_on": "not trained on" if s.source == MODEL else "all",
                }
                for s in scores
            ],
            "model": None
            if training is None
            else {
                "version": training[0],
                "trained_at": training[1],
                "sentences_not_trained_on": len(unseen),
                "cross_validated": [
                    {k: r.get(k) for k in ("label", "trained", "precision", "recall")} for r in cv
                ],
            },
        }
        with data_stdout("json") as out:
            out.write(json.dumps(data, ensure_ascii=False) + "\n")
        return
    n = len(ref.labels)
    say(f"against {what} on {n} sentence{'s' * (n != 1)} (suggestions scoring 0.5 or more)")
    if ref.no_majority:
        say(
            f"{ref.no_majority} sentence{'s' * (ref.no_majority != 1)} without gold had no "
            "majority (no label chosen by more than half of its annotators): left out"
        )
    if training is not None:
        say(
            f"model {training[0]}: judged only on the {len(unseen)} of these sentences it was "
            f"not trained on (nothing touched before {training[1]})"
        )
    say(f"{'source':<16} {'label':<12} {'precision':>9} {'recall':>7} {'suggested':>9}")
    for s in scores:
        say(
            f"{s.source:<16} {s.label:<12} {_num(s.precision):>9} {_num(s.recall):>7} "
            f"{s.suggested:>9}"
        )
    trained = [r for r in cv if r.get("precision") is not None]
    if trained:
        figures = ", ".join(
            f"{r['label']} {_num(r['precision'])}/{_num(r['recall'])}" for r in trained
        )
        say(f"model, cross-validated when trained (precision/recall): {figures}")
