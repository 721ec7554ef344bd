"""What the model learns from and what it leaves: the training examples (gold, else the
majority of confirmed annotations), its report, and its suggestions, written in chunks."""

from __future__ import annotations

import json
import os
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from annotator.labeling import is_majority
from annotator.models.suggestions import MODEL, Suggestion
from annotator.store.database import Store, now
from annotator.store.jsontext import dumps
from annotator.store.schema_history import answer_schemas
from annotator.store.suggestions import PAUSE_SECONDS, UPSERT, row

MAX_EXAMPLES = 100_000
"""The model learns from at most this many sentences (gold first, then the latest)."""


def confirmed_examples(store: Store) -> int:
    """How many sentences the model could learn from now (gold, or confirmed by someone)."""
    return int(
        store.scalar(
            "SELECT count(*) FROM (SELECT sentence_id FROM annotations WHERE confirmed = 1 "
            "UNION SELECT sentence_id FROM gold_annotations)"
        )
        or 0
    )


NOTHING: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Examples:
    """What the model learns from: per sentence its text, the labels of its reference
    (gold, else the majority), and the labels nothing there says anything of (no voter's
    schema had them: added since all of them confirmed). Those are neither a "yes" nor a
    "no": the model leaves the sentence out for that label (audit15a F3: every sentence
    confirmed before a label was added was learnt as a negative example of it)."""

    texts: list[str] = field(default_factory=list)
    label_sets: list[frozenset[str]] = field(default_factory=list)
    unrated: list[frozenset[str]] = field(default_factory=list)


def training_examples(store: Store, labels: Sequence[str], limit: int = MAX_EXAMPLES) -> Examples:
    """Each sentence with gold labels, else the labels a majority (more than half, as
    everywhere: labeling.is_majority; a tie teaches nothing) of the annotators who
    confirmed it chose: gold first, then the latest sentences, at most `limit` (reading
    stops there: a big project's whole history is not read to retrain). A label of
    `labels` is voted on only by the confirmations whose schema had it (schema_history:
    added since, it was not on their screen), as the majority export and agreement count
    it; one that none of them had is in the example's `unrated`."""
    out = Examples()
    texts, sets, unrated = out.texts, out.label_sets, out.unrated
    # gold rates the labels its event's schema had: unanimous gold of answers that predate
    # a label never rated it (store/gold_schema.py; audit15c F7)
    gold_lacking, gold_schema, gold_joined = answer_schemas(store, labels, "g")
    for text, chosen, h in store.conn.execute(
        f"SELECT s.text, g.labels, {gold_schema} FROM gold_annotations g{gold_joined} "
        "JOIN sentences s ON s.id = g.sentence_id ORDER BY g.sentence_id"
    ):
        if len(texts) >= limit:
            return out
        texts.append(str(text))
        sets.append(frozenset(json.loads(chosen)))
        unrated.append(gold_lacking.get(h, NOTHING) if h is not None else NOTHING)
    # each row's schema, read only where some stored schema lacked a label (else NULL)
    lacking_of, schema, joined = answer_schemas(store, labels)
    current: int | None = None
    votes: Counter[str] = Counter()
    lacking: dict[str, int] = {}  # a dict, not a Counter: one per sentence, built cheaply
    n = 0
    text = ""
    for sid, t, chosen, h in store.conn.execute(
        f"SELECT a.sentence_id, s.text, a.labels, {schema} FROM annotations a{joined} "
        "JOIN sentences s ON s.id = a.sentence_id WHERE a.confirmed = 1 AND NOT EXISTS "
        "(SELECT 1 FROM gold_annotations g WHERE g.sentence_id = a.sentence_id) "
        "ORDER BY a.sentence_id DESC"
    ):
        if sid != current:
            if len(texts) >= limit:
                return out
            if current is not None:
                _add_majority(out, text, votes, lacking, n)
            current, votes, lacking, n, text = int(sid), Counter(), {}, 0, str(t)
        votes.update(json.loads(chosen))
        if h is not None:
            for label in lacking_of.get(h, NOTHING):
                lacking[label] = lacking.get(label, 0) + 1
        n += 1
    if current is not None:
        _add_majority(out, text, votes, lacking, n)
    return out


def _add_majority(
    out: Examples, text: str, votes: Counter[str], lacking: dict[str, int], n: int
) -> None:
    """The sentence's majority among those who could choose each label (n of them, less
    those whose schema lacked it)."""
    out.texts.append(text)
    if not lacking:  # every voter could choose every label
        out.label_sets.append(frozenset(k for k, v in votes.items() if is_majority(v, n)))
        out.unrated.append(NOTHING)
        return
    out.label_sets.append(
        frozenset(k for k, v in votes.items() if is_majority(v, n - lacking.get(k, 0)))
    )
    out.unrated.append(frozenset(k for k, v in lacking.items() if v >= n))


def model_report(store: Store) -> dict[str, object]:
    row = store.one("SELECT report FROM suggestion_sources WHERE source = ?", [MODEL])
    if row is None:
        return {}
    report: dict[str, object] = json.loads(str(row[0]))
    return report


WRITE_ROWS = 500
"""Suggestion rows per write transaction: a key waiting behind one waits ~1 ms, not 50."""
WRITE_SENTENCES = 16
"""Sentences rescored per write transaction (their old rows deleted, new ones written):
a fraction of a millisecond of the write lock, which is what a key that meets it waits
(the screen's keys try the lock every 0.1 ms: Store.set_patience)."""
WRITE_PAUSE_S = 0.0005
"""After each of those transactions: the lock stays free long enough for a waiting key,
which tries it every 0.1 ms, to take it (back-to-back transactions would leave it
microseconds)."""
SCORE_SENTENCES = 2_000
"""Sentences scored at a time (outside any transaction)."""
AHEAD = 2_000
"""Sentences after each annotator's cursor, scored first: what they read next."""


def _everyone(store: Store) -> list[int]:
    """Whose confirmations make a sentence done: the team's annotators when there is a
    team, else everyone who confirmed something or opened the annotation screen."""
    team = [
        int(r[0])
        for r in store.all("SELECT annotator_id FROM team_members WHERE role = 'annotator'")
    ]
    return team or [
        int(r[0])
        for r in store.all(
            "SELECT id FROM annotators WHERE confirmed > 0 OR cursor_sentence_id IS NOT NULL"
        )
    ]


def _order(store: Store, first: int, last: int) -> list[tuple[int, int]]:
    """The id ranges to rescore, in order: the sentences after each annotator's cursor
    (the articles next in their queues), then the rest of the corpus."""
    ahead: list[tuple[int, int]] = []
    for (cursor,) in store.all(
        "SELECT cursor_sentence_id FROM annotators WHERE cursor_sentence_id IS NOT NULL "
        "ORDER BY cursor_sentence_id"
    ):
        lo, hi = max(first, int(cursor)), min(last, int(cursor) + AHEAD - 1)
        if lo > hi:
            continue
        if ahead and lo <= ahead[-1][1] + 1:
            ahead[-1] = (ahead[-1][0], max(ahead[-1][1], hi))
        else:
            ahead.append((lo, hi))
    rest: list[tuple[int, int]] = []
    at = first
    for lo, hi in [*ahead, (last + 1, last + 1)]:
        if at < lo:
            rest.append((at, lo - 1))
        at = max(at, hi + 1)
    return ahead + rest


def write_model(
    store: Store,
    version: str,
    report: dict[str, object],
    predict: Callable[[list[str], Sequence[str]], list[list[tuple[str, float]]]],
    *,
    changed: Sequence[str],
    dropped: Sequence[str] = (),
) -> Rescored:
    """Bring the model's suggestions up to date after a retrain, never in one long
    transaction (annotators keep writing meanwhile; each write is BEGIN IMMEDIATE and at
    most WRITE_ROWS rows):
    - the suggestions of `dropped` labels (no longer suggested) are deleted;
    - `changed` labels (whose model changed) are rescored by `predict(texts, labels)`,
      first the sentences after each annotator's cursor, then the rest of the corpus in
      order, skipping sentences every annotator has confirmed (nobody needs a suggestion
      there; their earlier suggestions stay, of an older version);
    - labels whose model did not change keep their suggestions.
    The new version, report and fingerprints are written only when all that is done: until
    then the stored report is the last complete one, marked with the labels being rescored
    (`unfinished`), so a retrain ended halfway (the screen closing ends its child) leaves a
    retrain due that redoes those labels, and never the old model's rows for good."""
    prior = model_report(store)
    pending = sorted(set(changed) | set(dropped) | set(unfinished(prior)))
    with store.write() as conn:
        conn.execute(
            "INSERT INTO suggestion_sources (source, version, through_sentence_id, report, "
            "updated_at) VALUES (?, ?, 0, ?, ?) ON CONFLICT (source) DO UPDATE SET "
            "through_sentence_id = 0, report = excluded.report",
            [MODEL, version, dumps({**prior, "unfinished": pending, "by": os.getpid()}), now()],
        )
    done = _rescore(store, version, predict, changed=changed, dropped=dropped)
    with store.write() as conn:
        conn.execute(
            "UPDATE suggestion_sources SET version = ?, report = ?, updated_at = ? "
            "WHERE source = ?",
            [version, dumps(report), now(), MODEL],
        )
    return done


def unfinished(report: dict[str, object]) -> list[str]:
    """The labels an interrupted retrain was rescoring (or deleting): the next retrain
    redoes them whatever their fingerprints say."""
    found = report.get("unfinished")
    return [str(x) for x in found] if isinstance(found, list) else []


def rescoring_now(report: dict[str, object]) -> bool:
    """Is another process (alive, on this machine) rescoring now? Then no other retrain
    is due: its rows are on their way (a screen opened meanwhile must not start a second)."""
    if "unfinished" not in report:
        return False
    pid = report.get("by")
    if not isinstance(pid, int) or pid == os.getpid() or pid <= 0:
        return False
    try:
        os.kill(pid, 0)  # signal 0: only asks whether the process exists
    except ProcessLookupError:
        return False  # ended halfway: the retrain is due again
    except OSError:
        return True  # exists, another user's
    return True


def _rescore(
    store: Store,
    version: str,
    predict: Callable[[list[str], Sequence[str]], list[list[tuple[str, float]]]],
    *,
    changed: Sequence[str],
    dropped: Sequence[str],
) -> Rescored:
    done = Rescored()
    for label in dropped:
        while True:
            with store.write() as conn:
                n = conn.execute(
                    "DELETE FROM suggestions WHERE id IN (SELECT id FROM suggestions "
                    "WHERE source = ? AND label = ? LIMIT ?)",
                    [MODEL, label, WRITE_ROWS],
                ).rowcount
            done.deleted += n
            if n < WRITE_ROWS:
                break
            time.sleep(PAUSE_SECONDS)
    if not changed:
        return done
    bounds = store.one("SELECT min(id), max(id) FROM sentences")
    if bounds is None or bounds[0] is None:
        return done
    everyone = _everyone(store)
    who = f"annotator_id IN ({','.join('?' * len(everyone))})"
    labels = list(changed)
    marks = ",".join("?" * len(labels))
    for lo, hi in _order(store, int(str(bounds[0])), int(str(bounds[1]))):
        start = lo
        while start <= hi:
            end = min(hi, start + SCORE_SENTENCES - 1)
            finished: set[int] = set()
            if everyone:
                finished = {
                    int(r[0])
                    for r in store.all(
                        "SELECT sentence_id FROM annotations WHERE confirmed = 1 AND "
                        f"sentence_id BETWEEN ? AND ? AND {who} GROUP BY sentence_id "
                        "HAVING count(*) >= ?",
                        [start, end, *everyone, len(everyone)],
                    )
                }
            rows = [
                r
                for r in store.all(
                    "SELECT id, article_id, text FROM sentences WHERE id BETWEEN ? AND ? "
                    "ORDER BY id",
                    [start, end],
                )
                if int(r[0]) not in finished
            ]
            done.skipped += end - start + 1 - len(rows)
            start = end + 1
            if not rows:
                continue
            found = predict([str(r[2]) for r in rows], labels)
            at = now()
            ids = [int(r[0]) for r in rows]
            out = [
                row(Suggestion(int(r[0]), label, MODEL, version, round(p, 4)), int(r[1]), at)
                for r, made in zip(rows, found, strict=True)
                for label, p in made
            ]
            by_sentence: dict[int, list[tuple[object, ...]]] = {}
            for x in out:
                by_sentence.setdefault(int(str(x[0])), []).append(x)
            # the old rows of these sentences and labels go, the new ones come, a few
            # sentences per transaction, with a pause after each: see WRITE_SENTENCES
            for k in range(0, len(ids), WRITE_SENTENCES):
                part = ids[k : k + WRITE_SENTENCES]
                new = [x for sid in part for x in by_sentence.get(sid, ())]
                with store.write() as conn:
                    conn.execute(
                        "DELETE FROM suggestions WHERE source = ? AND sentence_id BETWEEN ? "
                        f"AND ? AND label IN ({marks}) AND sentence_id IN "
                        "(SELECT value FROM json_each(?))",
                        [MODEL, part[0], part[-1], *labels, dumps(part)],
                    )
                    conn.executemany(UPSERT, new)
                    conn.execute(
                        "UPDATE suggestion_sources SET through_sentence_id = "
                        "max(through_sentence_id, ?) WHERE source = ?",
                        [part[-1], MODEL],
                    )
                done.written += len(new)
                time.sleep(WRITE_PAUSE_S)
            done.scored += len(rows)
            # fold what this batch added to the WAL into the database here, in the
            # background (PASSIVE: never waits for, nor blocks, a writer): else the WAL
            # reaches the autocheckpoint size at some annotator's COMMIT, which pays it
            store.conn.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchall()
            time.sleep(PAUSE_SECONDS)
    return done


@dataclass
class Rescored:
    """What a retrain's rescoring did: sentences scored, skipped (confirmed by everyone),
    suggestions written, and deleted (labels no longer suggested)."""

    scored: int = 0
    skipped: int = 0
    written: int = 0
    deleted: int = 0
