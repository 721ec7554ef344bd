"""Labels a file gives that the project's earlier guidelines had and the adopted ones
dropped (`--drop-labels`, or renamed since): work done on a copy from before the change
(audit15b F6). They are no unknown labels, and `import-labels --drop-labels` reads such
answers as the project reads its own since the change: without the dropped labels, an
answer whose only labels they were kept with no label (its annotator confirmed the
sentence: none of the labels applies), a gold decision whose only labels they were left
out, a sentence field of a dropped label left out. Without the option the file is refused,
with these counts and the way through."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field


@dataclass
class DroppedLabels:
    """What the project dropped (`labels`, sentence `fields`: store/schema_names.
    dropped_names), and what the file read so far gave of them."""

    labels: frozenset[str] = frozenset()
    fields: frozenset[str] = frozenset()
    answers: Counter[str] = field(default_factory=Counter)  # label -> annotations giving it
    gold: Counter[str] = field(default_factory=Counter)  # label -> gold decisions giving it
    emptied: int = 0  # annotations with no other label: kept with no label
    gold_emptied: int = 0  # gold decisions with no other label: left out
    fields_left: Counter[str] = field(default_factory=Counter)
    first: tuple[int, str] | None = None  # the first line giving one, and the label
    # the project dropped a label at some point (schema_names.ever_dropped), perhaps one
    # adopted again since: answers stored with no label then are still so, and exported so
    ever: bool = False
    marks_unmeant: int = 0  # such marks read as NONE: the project never dropped a label

    def no_label(self, marked: bool) -> bool:
        """Whether an empty answer that a file marks as one whose every label was dropped
        (our Label Studio and Prodigy exports' `meta.no_label`) is read so, with no label:
        only in a project that dropped labels (now or before), where our export can have
        written it. Elsewhere the mark is any tool's key and cannot mean that (audit15c F1:
        a file from elsewhere stored answers with no label at all, the state the screen
        never allows, scored as a "no" to NONE): `[]` is NONE, as everywhere else, and
        counted."""
        if not marked:
            return False
        if self.labels or self.ever:
            return True
        self.marks_unmeant += 1
        return False

    def take(self, labels: list[str], line: int, *, gold: bool) -> list[str]:
        """`labels` without the dropped ones, counting what went."""
        gone = [x for x in dict.fromkeys(labels) if x in self.labels]
        if not gone:
            return labels
        if self.first is None:
            self.first = (line, gone[0])
        (self.gold if gold else self.answers).update(gone)
        kept = [x for x in labels if x not in self.labels]
        if not kept:
            if gold:
                self.gold_emptied += 1
            else:
                self.emptied += 1
        return kept

    def field_left(self, name: str) -> bool:
        """Whether a sentence field the adopted schema lacks is one the project dropped
        (then counted and left out)."""
        if name not in self.fields:
            return False
        self.fields_left[name] += 1
        return True

    def given(self) -> bool:
        return bool(self.answers or self.gold or self.fields_left)

    def counts(self, *, done: bool) -> str:
        """Per label, how many annotations and gold decisions gave it, and those that gave
        no other label: "LOADED (10 annotations, 1 gold decision); 5 annotations with no
        other label". `done`: the file was imported, say what became of those."""
        parts = []
        for label in sorted(set(self.answers) | set(self.gold)):
            uses = [
                f"{n} {what}{'s' * (n != 1)}"
                for n, what in (
                    (self.answers[label], "annotation"),
                    (self.gold[label], "gold decision"),
                )
                if n
            ]
            parts.append(f"{label} ({', '.join(uses)})")
        if self.fields_left:
            parts.append(
                "sentence fields of a dropped label: "
                + ", ".join(f"{name} ({n})" for name, n in sorted(self.fields_left.items()))
            )
        if self.emptied:
            parts.append(
                f"{self.emptied} annotation{'s' * (self.emptied != 1)} with no other label"
                + (" (kept, with no label: none of the labels applies)" if done else "")
            )
        if self.gold_emptied:
            n = self.gold_emptied
            parts.append(
                f"{n} gold decision{'s' * (n != 1)} with no other label"
                + (" (left out)" if done else "")
            )
        return "; ".join(parts)
