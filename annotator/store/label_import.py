"""Bringing annotations made elsewhere into the database: matched first, then written.

Each incoming annotation is matched to a sentence: by article id and offsets (what our own
exports carry), else article id and position, else by its exact text when that text occurs
once in the corpus. What cannot be matched is reported with its line, never dropped
silently. An annotation equal to the one stored changes nothing, so importing a file twice
is a no-op.
"""

from __future__ import annotations

import sqlite3
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from annotator.labeling import SentenceState
from annotator.models.suggestions import IMPORTED
from annotator.store import annotations as ann
from annotator.store import answers, fields
from annotator.store.coders import Coders, coders
from annotator.store.database import Store, now
from annotator.store.label_import_gold import import_gold, import_gold_field
from annotator.store.label_match import Matcher
from annotator.store.paced_writes import in_batches


@dataclass(frozen=True)
class Incoming:
    line: int
    annotator: str
    labels: tuple[str, ...]
    fields: tuple[tuple[str, str], ...] = ()
    comment: str | None = None
    confirmed_at: str | None = None
    updated_at: str | None = None
    text: str | None = None
    article: str | None = None
    start: int | None = None
    end: int | None = None
    position: int | None = None
    gold: str | None = None  # a gold decision (its method), made by `annotator`
    # where each label came from, as the file says (label -> `typed`, `imported` or
    # `suggestion:SOURCE@VERSION`); a label the file says nothing of is IMPORTED
    origins: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class IncomingField:
    """An article-level (or outlet) field value from an export's articles sidecar."""

    line: int
    article: str
    annotator: str
    field: str
    value: object
    scope: str = "article"  # or "outlet", or "gold" (`annotator` is then its adjudicator)
    method: str | None = None  # gold: adjudicated or unanimous
    note: str | None = None  # gold: the adjudicator's note
    decided_at: str | None = None  # gold: when it was decided (ISO time)
    updated_at: str | None = None  # an annotator's or outlet value: when it was set


@dataclass
class LabelImportReport:
    imported: int = 0
    unchanged: int = 0
    unmatched: list[tuple[int, str]] = field(default_factory=list)
    side_unmatched: list[tuple[int, str]] = field(default_factory=list)  # the articles file's
    # records of a sentence and annotator the file has again: (line left out, line kept)
    duplicates: list[tuple[int, int]] = field(default_factory=list)
    # records older than what the database holds for that sentence and annotator: kept the
    # database's (line, "ARTICLE:POSITION ANNOTATOR")
    older: list[tuple[int, str]] = field(default_factory=list)
    annotators: set[str] = field(default_factory=set)
    fields_imported: int = 0
    gold_imported: int = 0
    gold_fields_imported: int = 0
    fields_older: int = 0  # article/outlet values older than the database's: not imported
    # gold of article fields not imported, and why: "older" (the database's decision is
    # later, or adjudicated where the file's is unanimous), "not unanimous" (the annotators
    # here disagree, or none gave the value)
    gold_fields_kept: Counter[str] = field(default_factory=Counter)
    gold_kept: Counter[str] = field(default_factory=Counter)  # sentence gold, the same way


def import_annotations(
    store: Store,
    items: Iterable[Incoming],
    *,
    schema_hash: str,
    session: str,
    strict: bool = False,
    article_fields: Iterable[IncomingField] = (),
    progress: Callable[[int], None] = lambda n: None,
) -> LabelImportReport:
    """Match every item to its sentence first, reading outside any transaction (an error
    in `items`, or with `strict` an unmatched item, stops here with nothing written); then
    write in short transactions, so annotators can save meanwhile."""
    report = LabelImportReport()
    matcher = Matcher(store)
    matched: list[tuple[Incoming, int, int]] = []
    gold_in: list[tuple[Incoming, int, int]] = []
    for item in items:
        found = matcher.match(item)
        if isinstance(found, str):
            report.unmatched.append((item.line, found))
            if strict:
                raise UnmatchedError(item.line, found)
            continue
        if item.gold is not None:
            gold_in.append((item, *found))  # written after the annotations it agrees with
            continue
        matched.append((item, *found))
    matched = _latest_of_each(matched, report)
    fields_in: list[tuple[IncomingField, int]] = []
    for f in article_fields:
        if f.article not in matcher.articles:
            # audit9b F7: said under the labels file's name and line, and let through by
            # --strict; the articles file's own records now
            reason = f"no article {f.article!r} in the database"
            report.side_unmatched.append((f.line, reason))
            if strict:
                raise UnmatchedError(f.line, reason, side=True)
            continue
        fields_in.append((f, matcher.articles[f.article][0]))
    ids: dict[str, int] = {
        str(r[1]): int(r[0]) for r in store.all("SELECT id, name FROM annotators")
    }
    worked = _last_worked(matched)
    how = answers.reading(store)

    def annotator_id(conn: sqlite3.Connection, name: str) -> int:
        if name not in ids:
            row = conn.execute("SELECT id FROM annotators WHERE name = ?", [name]).fetchone()
            ids[name] = (
                int(row[0])
                if row
                else int(
                    conn.execute(
                        "INSERT INTO annotators (name, created_at) VALUES (?, ?)", [name, now()]
                    ).lastrowid
                    or 0
                )
            )
        return ids[name]

    def write_sentence(conn: sqlite3.Connection, n: int) -> None:
        item, sid, aid = matched[n]
        annotator = annotator_id(conn, item.annotator)
        report.annotators.add(item.annotator)
        before = ann.state_in_tx(conn, sid, annotator)
        after = SentenceState(item.labels, item.fields, item.comment, True)
        if before == after or (
            # the confirmed answer (with a draft of the annotator's pending over it, which
            # stays: audit8 F4) as the adopted schema reads it (store/answers.py): our own
            # export of it after a reorder or a drop lists the labels so, and writing it
            # again erased the dropped labels from the answer and made it a rating of
            # labels added since (audit15b F4)
            before.confirmed
            and before.comment == after.comment
            and _read(how, before.answer) == _read(how, after.answer)
            # ... unless the file's is the later change (audit15c F2: a laptop's answer
            # that took off a label dropped since read the same, and lost to the older one)
            and (
                before.answer == after.answer
                or _against_stored(conn, sid, annotator, item.updated_at) <= 0
            )
        ):
            report.unchanged += 1
            return
        if _against_stored(conn, sid, annotator, item.updated_at) < 0:
            # the file is older than the work here (audit7 F21: re-importing a laptop's
            # export reverted what the annotator corrected since): the later change wins,
            # as in `merge`
            report.older.append((item.line, f"{_sentence_name(conn, sid)} {item.annotator}"))
            return
        steps = _by_origin(before, after, dict(item.origins))
        for n_step, (state, origin) in enumerate(steps):
            ann.record_sentence_in_tx(
                conn,
                annotator,
                sid,
                aid,
                "import",
                before,
                state,
                schema_hash,
                session,
                None,
                times=(item.confirmed_at, item.updated_at) if n_step == len(steps) - 1 else None,
                origin=origin,
            )
            before = state
        report.imported += 1

    def write_field(conn: sqlite3.Connection, n: int) -> None:
        f, aid = fields_in[n]
        if f.scope == "gold":
            report.gold_fields_imported += _tally(
                import_gold_field(conn, f, aid, annotator_id, schema_hash, session, gold_coders),
                report.gold_fields_kept,
            )
            return
        who = annotator_id(conn, f.annotator)
        if f.scope == "article":
            target: int | None = aid
            kind = "article_field"
        else:
            row = conn.execute("SELECT outlet_id FROM articles WHERE id = ?", [aid]).fetchone()
            target, kind = row[0], "outlet_field"
        if target is None:
            return
        # the value's own time, else the file's for that article and annotator (audit10
        # F9: an articles file without times had them set at the import's)
        at = f.updated_at or worked.get((aid, f.annotator))
        stored = fields.field_time_in_tx(conn, kind, target, f.field, who)
        if at and stored and at < stored:
            # the later change wins, as for sentences (audit9b F8)
            report.fields_older += 1
            return
        setter = (
            fields.set_article_field_in_tx
            if kind == "article_field"
            else fields.set_outlet_field_in_tx
        )
        event = setter(
            conn, who, target, f.field, f.value, schema_hash, session, at=at, origin=IMPORTED
        )
        report.fields_imported += event is not None

    def write_gold(conn: sqlite3.Connection, n: int) -> None:
        item, sid, aid = gold_in[n]
        report.gold_imported += _tally(
            import_gold(conn, ids, item, sid, aid, schema_hash, session, gold_coders),
            report.gold_kept,
        )

    # `progress`: how many records (annotations, gold, field values) are written so far
    in_batches(store, len(matched), write_sentence, progress)
    # whose answers gold is checked against: read once, after the file's answers are in
    # (someone who only decided gold becomes an annotator with their first answer)
    gold_coders = coders(store) if gold_in or fields_in else Coders()
    in_batches(store, len(gold_in), write_gold, lambda n: progress(len(matched) + n))
    in_batches(
        store, len(fields_in), write_field, lambda n: progress(len(matched) + len(gold_in) + n)
    )
    return report


def _latest_of_each(
    matched: list[tuple[Incoming, int, int]], report: LabelImportReport
) -> list[tuple[Incoming, int, int]]:
    """One record per sentence and annotator: the latest by `updated_at`, else the last in
    the file (audit9b F13: both were written, the last won, and each import of the same
    file wrote two events and flipped the label back and forth). The others are reported
    as (line left out, line kept)."""
    best: dict[tuple[int, str], int] = {}
    for i, (item, sid, _aid) in enumerate(matched):
        key = (sid, item.annotator)
        j = best.get(key)
        if j is None or (item.updated_at or "") >= (matched[j][0].updated_at or ""):
            best[key] = i
    if len(best) == len(matched):
        return matched
    keep = set(best.values())
    for i, (item, sid, _aid) in enumerate(matched):
        if i not in keep:
            report.duplicates.append((item.line, matched[best[(sid, item.annotator)]][0].line))
    return [m for i, m in enumerate(matched) if i in keep]


def _last_worked(matched: list[tuple[Incoming, int, int]]) -> dict[tuple[int, str], str]:
    """(article id, annotator) -> the latest time the labels file gives for their work on
    that article (a record's `updated_at`, else `confirmed_at`), as the events write it."""
    out: dict[tuple[int, str], str] = {}
    for item, _sid, aid in matched:
        text = item.updated_at or item.confirmed_at
        at = ann.event_time(text) if text else None
        if at is not None and at > out.get((aid, item.annotator), ""):
            out[(aid, item.annotator)] = at
    return out


def _read(
    how: answers.Reading | None, answer: tuple[tuple[str, ...], tuple[tuple[str, str], ...]]
) -> tuple[tuple[str, ...], dict[str, Any]]:
    """An answer as the adopted schema reads it (as stored while none is adopted)."""
    labels, fields_ = answer
    return (labels, dict(fields_)) if how is None else how.answer(labels, dict(fields_))


def _against_stored(
    conn: sqlite3.Connection, sentence_id: int, annotator_id: int, updated_at: str | None
) -> int:
    """-1 if a record changed at `updated_at` is older than the annotation stored for it, 1
    if later, 0 if neither is known (no time in the record, or one that cannot be read: it
    is not known to be older)."""
    row = conn.execute(
        "SELECT updated_at FROM annotations WHERE sentence_id = ? AND annotator_id = ?",
        [sentence_id, annotator_id],
    ).fetchone()
    if row is None or not updated_at:
        return 0
    # both as the events' sortable UTC text (annotations.event_time), compared as text
    ours, theirs = ann.event_time(updated_at), ann.event_time(str(row[0]))
    if ours is None or theirs is None or ours == theirs:
        return 0
    return -1 if ours < theirs else 1


def _sentence_name(conn: sqlite3.Connection, sentence_id: int) -> str:
    article, position = conn.execute(
        "SELECT a.external_id, s.position FROM sentences s JOIN articles a "
        "ON a.id = s.article_id WHERE s.id = ?",
        [sentence_id],
    ).fetchone()
    return f"{article}:{position}"


def _by_origin(
    before: SentenceState, after: SentenceState, origins: dict[str, str]
) -> list[tuple[SentenceState, str]]:
    """The states to record, each with its event's origin: one event when every new label
    came the same way (the usual case), else one per origin, each adding its labels (as
    `y` writes one event per suggestion source), the last one the whole annotation. A
    label already there keeps the origin it had (store/origins replays the events)."""
    new = [lab for lab in after.labels if lab not in before.labels]
    order: list[str] = []
    for lab in new:
        o = origins.get(lab, IMPORTED)
        if o not in order:
            order.append(o)
    if len(order) <= 1:  # no new label (a confirmation, fields): IMPORTED
        return [(after, order[0] if order else IMPORTED)]
    steps: list[tuple[SentenceState, str]] = []
    have = [lab for lab in after.labels if lab in before.labels]
    for o in order[:-1]:
        have += [lab for lab in new if origins.get(lab, IMPORTED) == o]
        kept = [lab for lab in after.labels if lab in have]  # the schema's order
        state = SentenceState(tuple(kept), (), before.comment, False)
        steps.append((state, o))
    steps.append((after, order[-1]))
    return steps


def _tally(done: int | str, kept: Counter[str]) -> int:
    """A gold import's outcome (label_import_gold.py): 1 or 0 imported, else why it was not,
    counted in `kept`."""
    if isinstance(done, str):
        kept[done] += 1
        return 0
    return done


class UnmatchedError(ValueError):
    """With `strict`, a record that matches nothing; `side`: a record of the articles
    file, not of the labels file."""

    def __init__(self, line: int, reason: str, side: bool = False) -> None:
        self.line = line
        self.reason = reason
        self.side = side
        super().__init__(f"line {line}: {reason}")
