"""Anchoring measured directly: how often annotators' confirmed labels follow the
suggestions, where they were shown and where they were hidden (audit15a F5, F12).

The suggestions table holds every article's suggestions, those of the control arm too
(computed, not shown), so on both sides we know what would have been suggested. Of the
labels suggested on a sentence (a score the screen shows), the share each confirmation
holds: with suggestions shown against without is the pre-annotation bias (Fort & Sagot
2010), needing neither gold nor a second annotator. Beside it, of the labels NOT suggested,
the share confirmed anyway: annotators who simply mark more labels on one side raise the
first figure without following anything. Alpha and agreement with a reference cannot show
this: anchoring raises agreement whether the suggester is right or wrong.

The same for the source type that `y` fills in (a sentence field of a label): of the
confirmations holding the label on a sentence where a guess would be applied, the share
whose field is that guess.

Each share counts per sentence and resamples whole articles, with the minimums of the
other columns (share.article_share). A label added to the guidelines since a confirmation
was not rated by it: that confirmation is left out of the label's figures (references.py).
The schema's empty label (NONE) is not among `labels` (report() leaves it out, audit15c F5):
with it, "not sugg." counted a confirmation with nothing marked as a label confirmed.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from annotator.agreement.report_json import MIN_INTERVAL_UNITS
from annotator.suggest.references import Confirmation
from annotator.suggest.share import Share, article_share

CONDITIONS = ("with", "without")
# the share over every label: its bootstrap draws from this name's seed (label_seed)
ALL = "(all labels)"


@dataclass(frozen=True)
class Following:
    """Per condition: per label (and ALL), of the labels suggested the share confirmed
    (`suggested`), and of those not suggested the share confirmed (`unsuggested`)."""

    suggested: dict[str, dict[str, Share]]
    unsuggested: dict[str, dict[str, Share]]


@dataclass(frozen=True)
class GuessRow:
    """A sentence field `y` fills from a suggestion's guess (the source type of
    ATTRIBUTED): per condition, of the confirmations holding `label` where a guess was
    there, the share whose field is the guess."""

    field: str
    label: str
    kept: dict[str, Share]


Condition = Callable[[Confirmation], str]


def following(
    confirmations: Sequence[Confirmation],
    condition: Condition,
    suggested: Mapping[int, frozenset[str]],
    labels: Sequence[str],
    *,
    n_resamples: int,
    seed: int,
    resample: str,
) -> Following:
    """`suggested`: sentence -> the labels suggested there at a shown score (shown or not)."""
    out: dict[str, dict[str, dict[str, Share]]] = {"yes": {}, "no": {}}
    for cond in CONDITIONS:
        mine = [c for c in confirmations if condition(c) == cond]
        shown = SHOWN[cond]
        few = too_few(mine, cond, resample)
        for side, what in (("yes", "suggested"), ("no", "not suggested")):
            per: dict[str, dict[int, tuple[int, int, str]]] = {x: {} for x in (*labels, ALL)}
            for c in mine:
                here = suggested.get(c.sentence_id, frozenset())
                for label in labels:
                    if label in c.unrated or (label in here) != (side == "yes"):
                        continue
                    for key in (label, ALL):
                        k, n, _a = per[key].get(c.sentence_id, (0, 0, c.article))
                        per[key][c.sentence_id] = (k + (label in c.labels), n + 1, c.article)
            rows = {}
            for label, units in per.items():
                name = "any label" if label == ALL else label
                rows[label] = _share(
                    units,
                    label,
                    f"no confirmation {shown} on a sentence where {name} was {what}"
                    if mine
                    else f"no confirmation {shown}",
                    f"a confirmation {shown} where {name} was {what}",
                    n_resamples,
                    seed,
                    resample,
                    few,
                )
            out[side][cond] = rows
    return Following(out["yes"], out["no"])


SHOWN = {"with": "with suggestions shown", "without": "without suggestions shown"}


def _share(
    per: Mapping[int, tuple[int, int, str]],
    label: str,
    none: str,
    what: str,
    n_resamples: int,
    seed: int,
    resample: str,
    few: str | None,
) -> Share:
    """`none`: why there is no value; `what`: a unit, in the reason for no interval;
    `few`: why the condition has none at all (too_few)."""
    if not per:
        return Share(0, 0, reason=none)
    return article_share(
        per,
        label=label,
        n_resamples=n_resamples,
        seed=seed,
        resample=resample,
        what=what,
        too_few=few,
    )


def too_few(mine: Sequence[Confirmation], cond: str, resample: str) -> str | None:
    """Why no share of a condition has an interval: its confirmations come from fewer
    articles (sentences) than the bootstrap needs. One reason for the whole condition,
    not one per label and figure; a label's own count is checked in share_interval."""
    if resample == "article":
        n, kind, needs = len({c.article for c in mine}), "article(s)", "whole articles"
        instead = " (--bootstrap-by sentence resamples sentences)"
    else:
        n, kind, needs = len({c.sentence_id for c in mine}), "sentence(s)", "sentences"
        instead = ""
    if n >= MIN_INTERVAL_UNITS:
        return None
    return (
        f"no interval: the confirmations {SHOWN[cond]} come from {n} {kind}, and "
        f"resampling {needs} needs at least {MIN_INTERVAL_UNITS}{instead}"
    )


def guesses(
    confirmations: Sequence[Confirmation],
    condition: Condition,
    fields: Mapping[tuple[int, str], Mapping[str, str]],
    guessed: Mapping[tuple[int, str], str],
    field_labels: Sequence[tuple[str, str]],
    *,
    n_resamples: int,
    seed: int,
    resample: str,
) -> list[GuessRow]:
    """`fields`: (sentence, annotator) -> the confirmed fields; `guessed`: (sentence,
    field) -> the value `y` would set there; `field_labels`: (field, its label)."""
    rows = []
    for name, label in field_labels:
        kept: dict[str, Share] = {}
        for cond in CONDITIONS:
            per: dict[int, tuple[int, int, str]] = {}
            mine = [c for c in confirmations if condition(c) == cond]
            few = too_few(mine, cond, resample)
            for c in mine:
                guess = guessed.get((c.sentence_id, name))
                if guess is None or label not in c.labels:
                    # only a confirmation holding the label has the field to compare
                    continue
                same = fields.get((c.sentence_id, c.annotator), {}).get(name) == guess
                k, n, _a = per.get(c.sentence_id, (0, 0, c.article))
                per[c.sentence_id] = (k + same, n + 1, c.article)
            kept[cond] = _share(
                per,
                f"{label}:{name}",
                f"no confirmation {SHOWN[cond]} holds {label} where a {name} was guessed"
                if mine
                else f"no confirmation {SHOWN[cond]}",
                f"a confirmation {SHOWN[cond]} holding {label} where a {name} was guessed",
                n_resamples,
                seed,
                resample,
                few,
            )
        rows.append(GuessRow(name, label, kept))
    return rows
