"""Anchoring, measured: agreement with and without suggestions shown, and how often
suggestions were accepted unchanged (`annotator agreement --by suggestions`); each source's
precision and recall against gold (`annotator suggestions --evaluate`, references.py);
how often confirmed labels follow the suggestions, shown and hidden (following.py).
Numbers only.

With and without are told apart by what the annotator was shown: the condition the session
recorded the first time the article was shown to them (store/conditions.py). For articles
opened before that was recorded (a database older than migration 0015, labels imported or
merged), by the project's seeded split as it is set now (split.shown); the report counts
those (`from_split`), since a split changed since then would misplace them. A confirmation
counts as "with" when its annotator saw suggestions on its article. Agreement between
annotators is Krippendorff's alpha per label over the confirmations of one condition (a
sentence's confirmations made under the other condition are left out), with the bootstrap
interval of `annotator agreement`; agreement with the reference (gold, else the majority of
the OTHER annotators of the sentence: more than half, as `export --view majority`) is the
share of confirmations whose presence or absence of the label matches it, with the same
bootstrap as alpha's beside it (whole articles resampled, none below MIN_INTERVAL_UNITS
articles: agreement/shares.py; audit15a F1). A confirmation with no reference (no gold, and
no label more than half of the others chose) is left out and counted. A confirmation whose
schema lacked a label (added since) is no rating of it: left out of that label's alpha and
share, and of the majority it is a vote in (references.py; audit15a F3).
"""

from __future__ import annotations

from collections.abc import Collection, Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace

import numpy as np

from annotator.agreement import label_matrix_from_triples, label_report
from annotator.agreement.alpha import NAME as ALPHA_NAME
from annotator.agreement.intervals import clustered_label_report
from annotator.agreement.report_json import MIN_INTERVAL_UNITS
from annotator.agreement.results import LABEL_UNUSED, NO_PAIRABLE_UNIT, Coefficient
from annotator.models.matrices import MISSING, LabelMatrix
from annotator.suggest import split
from annotator.suggest.following import Following, GuessRow, following, guesses
from annotator.suggest.references import Confirmation as Confirmation
from annotator.suggest.references import Reference as Reference
from annotator.suggest.references import SourceScore as SourceScore
from annotator.suggest.references import Verdict as Verdict
from annotator.suggest.references import evaluate as evaluate
from annotator.suggest.references import reference_for
from annotator.suggest.references import reference_labels as reference_labels
from annotator.suggest.share import Share as Share
from annotator.suggest.share import article_share, wilson_share


@dataclass(frozen=True)
class ConditionRow:
    label: str
    alpha: Coefficient  # between annotators; undefined ones carry their reason
    with_reference: Share


@dataclass(frozen=True)
class AnchoringReport:
    mode: str
    seed: int
    reference: str  # "gold", "the majority of the other annotators" or both
    conditions: dict[str, list[ConditionRow]]  # "with" / "without" -> per label
    confirmations: dict[str, int]
    unjudged: dict[str, int]  # confirmations with no reference (reference_for is None)
    accepted: int  # confirmations where a suggestion was accepted
    unchanged: Share  # ... and whose final labels are those the acceptance left
    from_split: int = 0  # confirmations whose condition was not recorded: the split's
    # per condition, the articles its confirmations come from
    articles: dict[str, int] = field(default_factory=dict)
    # per label added to the guidelines since some confirmations, per condition how many
    # of them predate it (not ratings of it)
    unrated: dict[str, dict[str, int]] = field(default_factory=dict)
    # how often the confirmed labels follow the suggestions, shown and hidden (following.py)
    following: Following | None = None
    # per sentence field `y` fills from a guess: how often the confirmed value is the guess
    guesses: list[GuessRow] = field(default_factory=list)
    # acceptances (counted above) that set a field, and of those the ones still holding it
    guesses_accepted: int = 0
    guesses_kept: int = 0

    def few_articles(self) -> str | None:
        """A warning when a condition rests on fewer articles than an interval needs: a
        difference between the sides may then be one between a few articles (audit15a F1:
        one article per side read as a clear anchoring effect, without a word)."""
        if not any(self.confirmations.values()):
            return None
        a, b = self.articles.get("with", 0), self.articles.get("without", 0)
        if min(a, b) >= MIN_INTERVAL_UNITS:
            return None
        return (
            f"note: the confirmations with suggestions shown come from {a} article(s), those "
            f"without from {b}: below {MIN_INTERVAL_UNITS} articles on a side, a difference "
            "between the sides may be one between these articles rather than the "
            "suggestions' effect (resampling whole articles gives no interval there)"
        )


def added_after(label: str, n: int, total: int, cond: str, since: str) -> str:
    """Why a label has no figure in a condition where `n` of its `total` confirmations
    predate it (a label added mid-project); `since`: what those made since lack."""
    if n == total:
        return (
            f"{label} was added to the guidelines after every confirmation {SHOWN[cond]} "
            f"({total}): none of them rated it"
        )
    return (
        f"{label} was added to the guidelines after {n} of the {total} confirmations "
        f"{SHOWN[cond]} (not ratings of it: left out), and {since}"
    )


SHOWN = {"with": "with suggestions shown", "without": "without suggestions shown"}


def _matrix(mine: Sequence[Confirmation], labels: Sequence[str]) -> LabelMatrix:
    """The condition's label matrix, -1 where a confirmation's schema lacked the label."""
    matrix = label_matrix_from_triples(
        ((c.sentence_id, c.annotator, c.labels & frozenset(labels)) for c in mine), labels
    )
    if not any(c.unrated for c in mine):
        return matrix
    unit = {u: i for i, u in enumerate(matrix.units)}
    coder = {n: i for i, n in enumerate(matrix.coders)}
    present = matrix.present.copy()
    for c in mine:
        for label in c.unrated:
            if label in labels:
                present[unit[c.sentence_id], coder[c.annotator], labels.index(label)] = MISSING
    return LabelMatrix(present, matrix.labels, matrix.coders, matrix.units)


def _alphas(
    mine: Sequence[Confirmation],
    labels: Sequence[str],
    cond: str,
    n_resamples: int,
    seed: int,
    resample: str = "article",
) -> dict[str, Coefficient]:
    """Krippendorff's alpha per label over one condition's confirmations; an undefined one
    says why in this command's terms (a sentence's confirmations under the other condition
    are not in `mine`, so "no unit with two coders" means no sentence has two here)."""
    if len({c.annotator for c in mine}) < 2:
        why = f"fewer than two annotators confirmed sentences {SHOWN[cond]}"
        return {label: Coefficient(ALPHA_NAME, None, reason=why) for label in labels}
    matrix = _matrix(mine, labels)
    if resample == "article":  # whole articles resampled, as `agreement` does (audit8 F10)
        article_of: dict[Hashable, str] = {c.sentence_id: c.article for c in mine}
        clusters = np.asarray([article_of[u] for u in matrix.units])
        report, _why = clustered_label_report(
            matrix,
            clusters,
            n_resamples=n_resamples,
            seed=seed,
            shared=f"a sentence two annotators confirmed {SHOWN[cond]}",
            instead=" (--bootstrap-by sentence resamples sentences)",
            pairwise=False,
        )
    else:
        report = label_report(matrix, n_resamples=n_resamples, seed=seed, pairwise=False)
    out = {}
    for la in report:
        a = la.alpha
        lacking = sum(la.label in c.unrated for c in mine)
        if a.reason == NO_PAIRABLE_UNIT:
            why = f"no sentence has two confirmations {SHOWN[cond]}"
            if lacking:
                since = "no sentence has two of those made since"
                why = added_after(la.label, lacking, len(mine), cond, since)
            a = replace(a, reason=why)
        elif a.reason == LABEL_UNUSED and lacking:
            why = f"nobody used {la.label} since it was added to the guidelines"
            a = replace(a, reason=f"{why} ({lacking} confirmation(s) {SHOWN[cond]} predate it)")
        out[la.label] = a
    return out


# (confirmed fields by (sentence, annotator), (sentence, field) -> the guess `y` applies
# there, (field, its label) pairs): following.guesses
Guessing = tuple[
    Mapping[tuple[int, str], Mapping[str, str]],
    Mapping[tuple[int, str], str],
    Sequence[tuple[str, str]],
]

Recorded = Mapping[tuple[str, str], bool]
"""(annotator, article external id) -> suggestions shown, as the session recorded it."""


def condition_of(c: Confirmation, mode: str, seed: int, recorded: Recorded | None = None) -> str:
    """The recorded condition, else the split's: `mode` "off": the project does not show
    suggestions at all (now)."""
    shown = (recorded or {}).get((c.annotator, c.article))
    if shown is not None:
        return "with" if shown else "without"
    if mode == "off":
        return "without"
    return "with" if split.shown(mode, seed, c.annotator, c.article) else "without"


def _share(
    judged: Sequence[tuple[Confirmation, Verdict]],
    label: str,
    cond: str,
    lacking: int,
    total: int,
    n_resamples: int,
    seed: int,
    resample: str,
    too_few: str | None,
) -> Share:
    """The share of `judged` confirmations that say of `label` what their reference says,
    with its interval (agreement/shares.py: each sentence once, whole articles resampled).
    `too_few`: why the condition as a whole has no interval (the label's own count is
    checked in share_interval, as intervals._thin_labels does for alpha)."""
    mine = [(c, v) for c, v in judged if label not in c.unrated and label not in v.unknown]
    if not mine:
        if lacking:
            since = "none of those made since has a reference that rated it"
            return Share(0, 0, reason=added_after(label, lacking, total, cond, since))
        return Share(0, 0, reason=f"no confirmation {SHOWN[cond]} has a reference")
    per: dict[int, tuple[int, int, str]] = {}
    for c, v in mine:
        k, n, _a = per.get(c.sentence_id, (0, 0, c.article))
        per[c.sentence_id] = (k + ((label in c.labels) == (label in v.labels)), n + 1, c.article)
    return article_share(
        per,
        label=label,
        n_resamples=n_resamples,
        seed=seed,
        resample=resample,
        what=f"a confirmation {SHOWN[cond]} judged on {label}",
        too_few=too_few,
    )


def _too_few(
    judged: Sequence[tuple[Confirmation, Verdict]], cond: str, resample: str
) -> str | None:
    """Why no label's share has an interval in this condition: fewer than
    MIN_INTERVAL_UNITS articles (sentences) hold a confirmation with a reference."""
    if resample == "article":
        n, kind, needs = len({c.article for c, _v in judged}), "article(s)", "whole articles"
        instead = " (--bootstrap-by sentence resamples sentences)"
    else:
        n, kind, needs, instead = (
            len({c.sentence_id for c, _v in judged}),
            "sentence(s)",
            "sentences",
            "",
        )
    if n >= MIN_INTERVAL_UNITS:
        return None
    return (
        f"no interval: {n} {kind} with a confirmation {SHOWN[cond]} that has a reference, "
        f"and resampling {needs} needs at least {MIN_INTERVAL_UNITS}{instead}"
    )


def report(
    confirmations: Sequence[Confirmation],
    gold: Mapping[int, Verdict],
    labels: Sequence[str],
    mode: str,
    seed: int,
    accepts: Iterable[tuple[str, str, Collection[str], Collection[str]]],
    *,
    recorded: Recorded | None = None,
    n_resamples: int = 1000,
    boot_seed: int = 0,
    resample: str = "article",
    suggested: Mapping[int, frozenset[str]] | None = None,
    guessing: Guessing | None = None,
    empty_label: str | None = None,
) -> AnchoringReport:
    """`accepts`: (annotator, article, what the acceptances left, what is confirmed) for
    each confirmation holding an accepted suggestion, each as labels and `field=value` for
    the fields an acceptance set; only those made with suggestions shown count.
    `empty_label`: the schema's "nothing applies" (NONE), left out of the following
    figures: no label to follow or to add, and a confirmation with nothing marked would
    count it as an unsuggested label confirmed (audit15c F5).
    `recorded`: the conditions the sessions recorded (see the module's docstring).
    `suggested`: per sentence the labels suggested at a shown score (following.py);
    `guessing`: (confirmed fields, (sentence, field) -> the guess `y` applies, (field, its
    label) pairs)."""
    accepts = list(accepts)
    # An annotator who accepted a suggestion on an article saw suggestions there, whatever
    # was recorded (a database whose screens showed them on an article first recorded
    # "without", before the screen kept to the recorded condition): their work there is
    # never the control group's.
    recorded = {**(recorded or {}), **{(who, article): True for who, article, _a, _f in accepts}}
    by_sentence: dict[int, list[Confirmation]] = {}
    for c in confirmations:
        by_sentence.setdefault(c.sentence_id, []).append(c)
    reference: dict[Confirmation, Verdict | None] = {
        c: reference_for(
            c, [o for o in by_sentence[c.sentence_id] if o.annotator != c.annotator], gold
        )
        for c in confirmations
    }
    conditions: dict[str, list[ConditionRow]] = {}
    counts: dict[str, int] = {}
    unjudged: dict[str, int] = {}
    articles: dict[str, int] = {}
    unrated: dict[str, dict[str, int]] = {}
    of = {id(c): condition_of(c, mode, seed, recorded) for c in confirmations}
    from_split = sum((c.annotator, c.article) not in recorded for c in confirmations)
    for cond in ("with", "without"):
        mine = [c for c in confirmations if of[id(c)] == cond]
        counts[cond] = len(mine)
        articles[cond] = len({c.article for c in mine})
        judged = [(c, ref) for c in mine if (ref := reference[c]) is not None]
        unjudged[cond] = len(mine) - len(judged)
        alphas = _alphas(mine, labels, cond, n_resamples, boot_seed, resample)
        too_few = _too_few(judged, cond, resample)
        rows = []
        for label in labels:
            lacking = sum(label in c.unrated for c in mine)
            if lacking:
                unrated.setdefault(label, {"with": 0, "without": 0})[cond] = lacking
            share = _share(
                judged, label, cond, lacking, len(mine), n_resamples, boot_seed, resample, too_few
            )
            rows.append(ConditionRow(label, alphas[label], share))
        conditions[cond] = rows
    pairs = [
        (after, final)
        for who, article, after, final in accepts
        if condition_of(Confirmation(0, article, who, frozenset()), mode, seed, recorded) == "with"
    ]
    unchanged = sum(set(after) == set(final) for after, final in pairs)
    # a field an acceptance set is `field=value` in what it left (store/anchoring.py)
    set_fields = [(after, final) for after, final in pairs if any("=" in x for x in after)]
    guesses_kept = sum({x for x in a if "=" in x} <= set(f) for a, f in set_fields)

    def cond_of(c: Confirmation) -> str:
        return str(of[id(c)])

    follow = None
    if suggested is not None:
        follow = following(
            confirmations,
            cond_of,
            suggested,
            [x for x in labels if x != empty_label],
            n_resamples=n_resamples,
            seed=boot_seed,
            resample=resample,
        )
    guess_rows = []
    if guessing is not None:
        guess_rows = guesses(
            confirmations,
            cond_of,
            *guessing,
            n_resamples=n_resamples,
            seed=boot_seed,
            resample=resample,
        )
    judged_by_gold = any(c.sentence_id in gold for c in confirmations)
    judged_by_majority = any(c.sentence_id not in gold for c in confirmations)
    against = (
        "gold, else the majority of the other annotators"
        if judged_by_gold and judged_by_majority
        else "gold"
        if judged_by_gold
        else "the majority of the other annotators"
    )
    return AnchoringReport(
        mode,
        seed,
        against,
        conditions,
        counts,
        unjudged,
        len(pairs),
        wilson_share(unchanged, len(pairs)),
        from_split,
        articles,
        unrated,
        follow,
        guess_rows,
        len(set_fields),
        guesses_kept,
    )
