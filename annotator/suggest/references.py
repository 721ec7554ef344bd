"""What anchoring figures and suggestions are judged against: gold, else the majority of the
annotators (more than half, labeling.is_majority, as `export --view majority`), counted
only among those who could have chosen each label.

A label added to the guidelines after a confirmation was not on that annotator's screen:
the confirmation is missing for it, not a "no" (store/schema_history.py, the one place that
says which schema lacked which label; audit15a F3: two annotators who confirmed before a
label existed out-voted the two who chose it, and a sentence confirmed only before it was
added was a "no" to it). Each source's precision and recall per label
(`annotator suggestions --evaluate`) are judged on the sentences whose reference says
something of that label.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from annotator.labeling import majority_labels

NOTHING: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Confirmation:
    sentence_id: int
    article: str
    annotator: str
    labels: frozenset[str]
    # the labels its schema lacked (added to the guidelines since it was confirmed): it
    # never rated them, neither "yes" nor "no" (store/schema_history.presence_cells)
    unrated: frozenset[str] = NOTHING


@dataclass(frozen=True)
class Verdict:
    """What a reference says of a sentence: the `labels` present, nothing of the `unknown`
    ones (every confirmation it comes from predates them), every other label absent."""

    labels: frozenset[str]
    unknown: frozenset[str] = NOTHING


@dataclass(frozen=True)
class Reference:
    """What each sentence's labels are taken to be: gold where it exists, else the labels
    more than half of its annotators chose among those who could choose each (a label
    none of them could is in `unknown`). A sentence without gold on which no label has such
    a majority has no reference: it is left out and counted in `no_majority`."""

    labels: dict[int, frozenset[str]]
    no_majority: int
    unknown: dict[int, frozenset[str]] = field(default_factory=dict)


def reference_labels(
    confirmations: Iterable[Confirmation], gold: Mapping[int, Verdict]
) -> Reference:
    """`gold`: per sentence its gold, with the labels its schema lacked as `unknown` (the
    gold never rated them: store/anchoring.gold; audit15c F7)."""
    by_sentence: dict[int, list[Confirmation]] = {}
    for c in confirmations:
        by_sentence.setdefault(c.sentence_id, []).append(c)
    out: dict[int, frozenset[str]] = {}
    unknown: dict[int, frozenset[str]] = {}
    no_majority = 0
    for sid, confs in by_sentence.items():
        if sid in gold:
            continue
        m = majority(confs)
        if m is None:
            no_majority += 1
            continue
        out[sid] = m.labels
        if m.unknown:
            unknown[sid] = m.unknown
    for sid, verdict in gold.items():
        out[sid] = verdict.labels
        if verdict.unknown:
            unknown[sid] = verdict.unknown
    return Reference(out, no_majority, unknown)


def reference_for(
    c: Confirmation, others: Sequence[Confirmation], gold: Mapping[int, Verdict]
) -> Verdict | None:
    """What one confirmation is compared with: gold, else the majority of the OTHER
    annotators who confirmed the sentence (`others`). Its own vote is left out: it would
    make every annotator agree with a reference they half made. None: no gold, and no
    label that more than half of the others chose (or nobody else confirmed it)."""
    if c.sentence_id in gold:
        return gold[c.sentence_id]
    return majority(others)


def majority(confs: Sequence[Confirmation]) -> Verdict | None:
    """The labels more than half of those who could choose each chose; None when some label
    was chosen but none by such a majority (confirmations record NONE explicitly, so
    "nobody marked anything" only comes from bare label sets)."""
    if not confs:
        return None
    m = majority_labels([c.labels for c in confs], [c.unrated for c in confs])
    if not m and any(c.labels for c in confs):
        return None
    return Verdict(m, frozenset.intersection(*(c.unrated for c in confs)))


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
    unknown: Mapping[int, frozenset[str]] | None = None,
) -> list[SourceScore]:
    """Each source's precision and recall per label over the sentences with a reference.
    `suggestions`: (sentence_id, source, label) of the suggestions shown (score >= 0.5).
    A source is judged only on labels it ever suggests; a label on a sentence whose
    reference says nothing of it (`unknown`: Reference.unknown) is not judged there."""
    unknown = unknown or {}
    by_source: dict[str, set[tuple[int, str]]] = {}
    for sid, source, label in suggestions:
        by_source.setdefault(source, set()).add((sid, label))
    out = []
    for source in sorted(by_source):
        made = by_source[source]
        for label in labels:
            if not any(lab == label for _s, lab in made):
                continue
            suggested = [
                sid
                for sid, lab in made
                if lab == label and sid in reference and label not in unknown.get(sid, NOTHING)
            ]
            tp = sum(label in reference[sid] for sid in suggested)
            relevant = sum(label in ref for ref in reference.values())
            out.append(SourceScore(source, label, tp, len(suggested), relevant))
    return out
