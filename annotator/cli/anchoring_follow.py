"""`agreement --by suggestions`: the figures that measure anchoring directly (audit15a F5,
F12): of the labels suggested, the share confirmed with suggestions shown and hidden (and
of those not suggested); of the source types `y` would fill in, the share confirmed as
guessed. The numbers: suggest/following.py."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from annotator.cli import anchoring as base
from annotator.cli.output import say
from annotator.schema import LabelSchema
from annotator.store import anchoring as anchoring_store
from annotator.suggest import anchoring
from annotator.suggest.following import ALL, CONDITIONS

if TYPE_CHECKING:
    from annotator.store.database import Store


def read(store: Store, schema: LabelSchema) -> tuple[dict[int, frozenset[str]], anchoring.Guessing]:
    """What report() needs for these figures: the labels suggested per sentence (of the
    schema's labels), and the confirmed fields with the guesses `y` applies."""
    names = frozenset(schema.label_names)
    suggested = {
        sid: labels & names
        for sid, labels in anchoring_store.suggested_labels(store).items()
        if labels & names
    }
    best = anchoring_store.best_guesses(store)
    guessed: dict[tuple[int, str], str] = {}
    pairs = [(sf.name, sf.label) for sf in schema.sentence_fields]
    for sf in schema.sentence_fields:
        for (sid, label), guess in best.items():
            # `y` sets only a value the field has (suggesting._add)
            if label == sf.label and guess is not None and sf.choice(guess) is not None:
                guessed[(sid, sf.name)] = guess
    return suggested, (anchoring_store.confirmed_fields(store), guessed, pairs)


def json_part(rep: anchoring.AnchoringReport, bootstrap: bool) -> dict[str, Any]:
    f = rep.following
    out: dict[str, Any] = {}
    if f is not None:
        out["following"] = {
            label: {
                cond: {
                    "suggested_confirmed": base._share(f.suggested[cond][label], bootstrap),
                    "unsuggested_confirmed": base._share(f.unsuggested[cond][label], bootstrap),
                }
                for cond in CONDITIONS
            }
            for label in f.suggested["with"]
        }
    out["field_guesses"] = [
        {
            "field": g.field,
            "label": g.label,
            **{cond: base._share(g.kept[cond], bootstrap) for cond in CONDITIONS},
        }
        for g in rep.guesses
    ]
    out["guesses_accepted"] = rep.guesses_accepted
    out["guesses_kept"] = rep.guesses_kept
    return out


class _Notes(base._Notes):
    """Notes of these tables, `—(n)`: the table above numbers its own `—[n]`."""

    def mark(self, reason: str) -> str:
        return super().mark(reason).replace("[", "(").replace("]", ")")


def _cells(share: dict[str, Any], notes: _Notes) -> tuple[str, str]:
    value = base._num(share["value"]) if share["reason"] is None else notes.mark(share["reason"])
    if share["ci"] is not None:
        return value, f"{base._num(share['ci'][0])}-{base._num(share['ci'][1])}"
    return value, notes.mark(share["ci_reason"]) if share["ci_reason"] else "—"


def say_text(rep: anchoring.AnchoringReport, bootstrap: bool) -> None:
    data = json_part(rep, bootstrap)
    notes = _Notes()
    following = data.get("following")
    if following is not None:
        never = [
            label
            for label, by in following.items()
            if label != ALL and not any(by[c]["suggested_confirmed"]["n"] for c in CONDITIONS)
        ]
        say(
            "following the suggestions: of the labels suggested on a sentence (shown or "
            "hidden), the share confirmed; of those not suggested, the share confirmed"
        )
        head = f"{'label':<12} {'shown':<8} {'sugg.':>8} {'95% CI':>17}"
        say(f"{head} {'not sugg.':>10} {'95% CI':>17}")
        for label, by in following.items():
            if label in never:
                continue
            for cond in CONDITIONS:
                s, sci = _cells(by[cond]["suggested_confirmed"], notes)
                u, uci = _cells(by[cond]["unsuggested_confirmed"], notes)
                shown = ("all" if label == ALL else label) if cond == "with" else ""
                say(f"{shown:<12} {cond:<8} {s:>8} {sci:>17} {u:>10} {uci:>17}")
        if never:
            say(f"never suggested on a confirmed sentence: {', '.join(never)}")
    for g in data["field_guesses"]:
        say(
            f"{g['field']} as guessed: the share of {g['label']} confirmations, on sentences "
            f"where y would fill in a guess, whose {g['field']} is the guess"
        )
        for cond in CONDITIONS:
            value, ci = _cells(g[cond], notes)
            counts = f" ({g[cond]['k']} of {g[cond]['n']})" if g[cond]["n"] else ""
            say(f"{'':<12} {cond:<8} {value:>8} {ci:>17}{counts}")
    for n, reason in enumerate(notes.reasons, 1):
        say(f"({n}) {reason}")
    if rep.guesses_accepted:
        say(
            f"accepted suggestions that filled in a field: {rep.guesses_accepted}; the field "
            f"still as filled in: {rep.guesses_kept}"
        )
