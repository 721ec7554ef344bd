"""Anchoring, measured: agreement with and without suggestions shown, and how often
suggestions were accepted unchanged (`annotator agreement --by suggestions`); each source's
precision and recall against gold (`annotator suggestions --evaluate`). Numbers only.

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
share of confirmations whose presence or absence of the label matches it, with a Wilson
95% interval. A confirmation with no reference (no gold, and no label more than half of the
others chose) is left out and counted.
"""

from __future__ import annotations

import math
from collections.abc import Collection, Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace

import numpy as np

from annotator.agreement import label_matrix_from_triples, label_report
from annotator.agreement.alpha import NAME as ALPHA_NAME
from annotator.agreement.intervals import clustered_label_report
from annotator.agreement.results import NO_PAIRABLE_UNIT, Coefficient
from annotator.labeling import majority_labels
from annotator.suggest import split

Z95 = 1.959963984540054


@dataclass(frozen=True)
class Confirmation:
    sentence_id: int
    article: str
    annotator: str
    labels: frozenset[str]


@dataclass(frozen=True)
class Share:
    """k of n, with a Wilson 95% interval (None when n is 0)."""

    k: int
    n: int

    @property
    def value(self) -> float | None:
        return self.k / self.n if self.n else None

    @property
    def interval(self) -> tuple[float, float] | None:
        return wilson(self.k, self.n)


def wilson(k: int, n: int, z: float = Z95) -> tuple[float, float] | None:
    if n == 0:
        return None
    p = k / n
    denom = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / denom
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denom
    return max(0.0, centre - half), min(1.0, centre + half)


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


@dataclass(frozen=True)
class Reference:
    """What a sentence's labels are taken to be: gold where it exists, else the labels more
    than half of its annotators chose (labeling.is_majority, as `export --view majority`).
    A sentence without gold on which no label has such a majority has no reference: it is
    left out and counted in `no_majority`."""

    labels: dict[int, frozenset[str]]
    no_majority: int


def reference_labels(
    confirmations: Iterable[Confirmation], gold: Mapping[int, frozenset[str]]
) -> Reference:
    by_sentence: dict[int, list[frozenset[str]]] = {}
    for c in confirmations:
        by_sentence.setdefault(c.sentence_id, []).append(c.labels)
    out: dict[int, frozenset[str]] = {}
    no_majority = 0
    for sid, sets in by_sentence.items():
        if sid in gold:
            continue
        m = _majority(sets)
        if m is not None:
            out[sid] = m
        else:
            no_majority += 1
    out.update(gold)
    return Reference(out, no_majority)


def reference_for(
    c: Confirmation,
    others: Sequence[frozenset[str]],
    gold: Mapping[int, frozenset[str]],
) -> frozenset[str] | None:
    """What one confirmation is compared with: gold, else the majority of the OTHER
    annotators who confirmed the sentence (`others`). Its own vote is left out: it would
    make every annotator agree with a reference they half made. None: no gold, and no
    label that more than half of the others chose (or nobody else confirmed it)."""
    if c.sentence_id in gold:
        return gold[c.sentence_id]
    return _majority(others)


def _majority(sets: Sequence[frozenset[str]]) -> frozenset[str] | None:
    """None when some label was chosen but none by more than half (confirmations record
    NONE explicitly, so "nobody marked anything" only comes from bare label sets)."""
    if not sets:
        return None
    m = majority_labels(sets)
    return m if m or not any(sets) else None


SHOWN = {"with": "with suggestions shown", "without": "without suggestions shown"}


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
    matrix = label_matrix_from_triples(
        ((c.sentence_id, c.annotator, c.labels) for c in mine), labels
    )
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
        if a.reason == NO_PAIRABLE_UNIT:
            a = replace(a, reason=f"no sentence has two confirmations {SHOWN[cond]}")
        out[la.label] = a
    return out


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


def report(
    confirmations: Sequence[Confirmation],
    gold: Mapping[int, frozenset[str]],
    labels: Sequence[str],
    mode: str,
    seed: int,
    accepts: Iterable[tuple[str, str, Collection[str], Collection[str]]],
    *,
    recorded: Recorded | None = None,
    n_resamples: int = 1000,
    boot_seed: int = 0,
    resample: str = "article",
) -> AnchoringReport:
    """`accepts`: (annotator, article, labels right after the last acceptance, final
    confirmed labels) for each confirmation on which the annotator accepted a suggestion;
    only those made with suggestions shown count. `recorded`: the conditions the sessions
    recorded (see the module's docstring)."""
    accepts = list(accepts)
    # An annotator who accepted a suggestion on an article saw suggestions there, whatever
    # was recorded (a database whose screens showed them on an article first recorded
    # "without", before the screen kept to the recorded condition): their work there is
    # never the control group's.
    recorded = {**(recorded or {}), **{(who, article): True for who, article, _a, _f in accepts}}
    by_sentence: dict[int, list[Confirmation]] = {}
    for c in confirmations:
        by_sentence.setdefault(c.sentence_id, []).append(c)
    reference: dict[Confirmation, frozenset[str] | None] = {
        c: reference_for(
            c, [o.labels for o in by_sentence[c.sentence_id] if o.annotator != c.annotator], gold
        )
        for c in confirmations
    }
    conditions: dict[str, list[ConditionRow]] = {}
    counts: dict[str, int] = {}
    unjudged: dict[str, int] = {}
    of = {id(c): condition_of(c, mode, seed, recorded) for c in confirmations}
    from_split = sum((c.annotator, c.article) not in recorded for c in confirmations)
    for cond in ("with", "without"):
        mine = [c for c in confirmations if of[id(c)] == cond]
        counts[cond] = len(mine)
        judged = [(c, ref) for c in mine if (ref := reference[c]) is not None]
        unjudged[cond] = len(mine) - len(judged)
        alphas = _alphas(mine, labels, cond, n_resamples, boot_seed, resample)
        rows = []
        for label in labels:
            k = sum((label in c.labels) == (label in ref) for c, ref in judged)
            rows.append(ConditionRow(label, alphas[label], Share(k, len(judged))))
        conditions[cond] = rows
    pairs = [
        (after, final)
        for who, article, after, final in accepts
        if condition_of(Confirmation(0, article, who, frozenset()), mode, seed, recorded) == "with"
    ]
    unchanged = sum(set(after) == set(final) for after, final in pairs)
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
        Share(unchanged, len(pairs)),
        from_split,
    )


@dataclass(frozen=True)
class SourceScore:
    source: str
    label: str
    true_positives: int
    suggested: int  # among the judged sentences
    relevant: int  # sentences whose reference has the label

    @property
    def precision(self) -> float | None:
        return self.true_positives / self.suggested if self.suggested else None

    @property
    def recall(self) -> float | None:
        return self.true_positives / self.relevant if self.relevant else None


def evaluate(
    suggestions: Iterable[tuple[int, str, str]],
    reference: Mapping[int, frozenset[str]],
    labels: Sequence[str],
) -> list[SourceScore]:
    """Each source's precision and recall per label over the sentences with a reference.
    `suggestions`: (sentence_id, source, label) of the suggestions shown (score >= 0.5).
    A source is judged only on labels it ever suggests."""
    by_source: dict[str, set[tuple[int, str]]] = {}
    for sid, source, label in suggestions:
        by_source.setdefault(source, set()).add((sid, label))
    out = []
    for source in sorted(by_source):
        made = by_source[source]
        for label in labels:
            if not any(lab == label for _s, lab in made):
                continue
            suggested = [sid for sid, lab in made if lab == label and sid in reference]
            tp = sum(label in reference[sid] for sid in suggested)
            relevant = sum(label in ref for ref in reference.values())
            out.append(SourceScore(source, label, tp, len(suggested), relevant))
    return out
