"""Suggested labels in the database: computed, listed, accepted.

`refresh` computes the importer's and the cue lexicons' suggestions for what is new (each
source remembers the last sentence id it covered and the version it ran at; a changed
version recomputes its own rows), in short write transactions like an import, so an
annotator's key waits at most one batch. `annotator import` calls it after its files, so an
article's suggestions exist before its first sentence is drawn.

Accepting writes annotations through the one event writer, with the suggestion's origin.
"""

from __future__ import annotations

import hashlib
import sqlite3
import time
from array import array
from dataclasses import replace
from pathlib import Path

from annotator.models.suggestions import CUES, IMPORTER, CueLexicon, Suggestion
from annotator.store.database import Store, now
from annotator.store.schema_names import adopted_label_names
from annotator.suggest import cues as cue_rules
from annotator.suggest import importer
from annotator.suggest.lexicon import load_cues, parse_cues

# a batch of refresh work: this many sentences or this long, then commit and let others write
BATCH_SENTENCES = 5_000
BATCH_SECONDS = 0.05
PAUSE_SECONDS = 0.01
SHOWN_SCORE = 0.5
"""Suggestions scoring below this are kept (and evaluated) but not shown on the screen."""

_COLUMNS = (
    "sentence_id, article_id, label, source, version, score, cue, cue_start, cue_end, "
    "source_type, created_at"
)
UPSERT = (
    f"INSERT INTO suggestions ({_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
    "ON CONFLICT (sentence_id, source, label) DO UPDATE SET version = excluded.version, "
    "score = excluded.score, cue = excluded.cue, cue_start = excluded.cue_start, "
    "cue_end = excluded.cue_end, source_type = excluded.source_type, "
    "created_at = excluded.created_at"
)


# --- sources -------------------------------------------------------------------------------


def source_versions(store: Store) -> dict[str, tuple[str, int]]:
    """source -> (version, the last sentence id it covered)."""
    return {
        str(s): (str(v), int(t))
        for s, v, t in store.all(
            "SELECT source, version, through_sentence_id FROM suggestion_sources"
        )
    }


def behind(store: Store) -> bool:
    """Are there sentences the importer's or the cue suggestions have not covered yet (a
    refresh stopped by Ctrl-C, audit11 F6)? Versions are not compared: that needs the
    lexicon, and a refresh that runs for new sentences compares them anyway."""
    top = store.one("SELECT coalesce(max(id), 0) FROM sentences")
    highest = int(top[0]) if top is not None else 0
    have = source_versions(store)
    return any(have.get(s, ("", 0))[1] < highest for s in (IMPORTER, CUES))


def project_cues(store: Store, folder: Path | None, labels: frozenset[str]) -> CueLexicon:
    """The cue lexicon of this project: the folder's when one is given (it becomes the
    project's at the next refresh; checked against the schema's labels), else the one the
    stored suggestions came from, else the bundled one, keeping only the rules whose label
    the project's schema has (a custom schema without QUOTE just gets no QUOTE cues)."""
    if folder is not None:
        lexicon = load_cues(folder, labels)
    else:
        row = store.one("SELECT config FROM suggestion_sources WHERE source = ?", [CUES])
        if row is not None:
            lexicon = parse_cues(str(row[0]), "cues.toml (stored in the database)")
        else:
            lexicon = load_cues()
    kept = tuple(r for r in lexicon.rules if r.label in labels)
    # When rules are left out, the version names what the rules can produce, not only the
    # file's text: the same cues.toml under a schema without QUOTE suggests other things,
    # and a refresh must find the stored suggestions stale instead of taking them as done.
    if kept == lexicon.rules:
        # every rule applies: the file's own version, as the stored suggestions of earlier
        # releases have it (a new version would recompute every cue suggestion of the project)
        return lexicon
    used = ",".join(sorted({r.label for r in kept}))
    version = hashlib.sha256(f"{lexicon.version}:{used}".encode()).hexdigest()[:8]
    return replace(lexicon, rules=kept, version=version)


def schema_labels(store: Store) -> frozenset[str]:
    """The label names of the project's schema, read from the database (without parsing
    the schema). A project that has none stored yet (made by `team add` or `project set`
    before any import) gets the bundled guidelines' labels, which the first command that
    needs a schema adopts: else its cue lexicon would keep no rule and suggest nothing."""
    names = adopted_label_names(store)
    if names:
        return names
    # the labels the first command that needs a schema will adopt: the bundled guidelines'
    # (their names read from labels.toml, which ships with us; parsing the whole schema
    # would load pydantic into an import that needs only these names)
    import tomllib

    from annotator.guidelines import default_guidelines_dir
    from annotator.models.schema_errors import SCHEMA_FILE

    data = tomllib.loads((default_guidelines_dir() / SCHEMA_FILE).read_text(encoding="utf-8"))
    return frozenset(str(lab["name"]) for lab in data.get("labels", []))


def project_lexicon(store: Store, folder: Path | None = None) -> CueLexicon:
    """The project's cue lexicon: `project_cues` with the labels of the project's schema."""
    return project_cues(store, folder, schema_labels(store))


def refresh_project(store: Store, lexicon: CueLexicon | None = None) -> int:
    """Bring the project's suggestions up to date after articles came in (`annotator
    import`, `annotator merge`): `refresh` with `lexicon` (a --guidelines folder's, read
    before the import) or the project's own. Returns the number of suggestions written."""
    return refresh(store, lexicon if lexicon is not None else project_lexicon(store))


def _reset(conn: sqlite3.Connection, source: str, version: str, config: str) -> None:
    # the old version's rows stay (screens keep showing them) until the recompute reaches
    # their article and replaces them, a batch at a time: deleting them all at once held
    # the write lock 1.4 s at 300,000 rows, and every key waited (audit F17)
    conn.execute(
        "INSERT INTO suggestion_sources (source, version, through_sentence_id, config, "
        "updated_at) VALUES (?, ?, 0, ?, ?) ON CONFLICT (source) DO UPDATE SET "
        "version = excluded.version, through_sentence_id = 0, config = excluded.config, "
        "updated_at = excluded.updated_at",
        [source, version, config, now()],
    )


def refresh(store: Store, lexicon: CueLexicon, *, until: int | None = None) -> int:
    """Compute the importer's and the lexicon's suggestions for every sentence they have
    not covered at their current version (`until`: stop after the article holding that
    sentence id). Returns the number of suggestions written."""
    # The importer's one label is BOILERPLATE: a schema without it gets no importer
    # suggestions (audit12 F12: they were stored, shown as chips, and B raised on them),
    # under a version of its own, so that a schema that gains or loses it recomputes them
    suggests = importer.BOILERPLATE in schema_labels(store)
    version = importer.VERSION if suggests else f"{importer.VERSION}-none"
    wanted = {IMPORTER: (version, ""), CUES: (lexicon.version, lexicon.text)}
    have = source_versions(store)
    stale = [s for s, (v, _c) in wanted.items() if have.get(s, ("", 0))[0] != v]
    if CUES not in stale and _cues_lost(store, lexicon, have):
        stale.append(CUES)
    if stale:
        with store.write() as conn:
            for s in stale:
                _reset(conn, s, *wanted[s])
        have = source_versions(store)
    through = {s: have[s][1] for s in wanted}
    start = min(through.values())
    compiled = cue_rules.compile_lexicon(lexicon)
    written = 0
    batched = False
    # What is left to cover, read once: the query scans every article's row, past its text
    # and original (overflow pages), 20 ms at 2,000 articles, and it ran once per batch.
    # Each batch takes the next 200 of it that end past `start`, as the query would give
    # them; used up, it is read again (articles imported meanwhile).
    pending = _Pending()
    pos = 0
    while True:
        while pos < len(pending) and pending[pos][1] + pending[pos][2] - 1 <= start:
            pos += 1
        fresh = pos == len(pending)
        if fresh:
            pos, pending = 0, _pending(store, start)
        articles = _ahead(pending, pos, start)
        if not articles and not fresh:
            pos, pending = 0, _pending(store, start)
            articles = _ahead(pending, pos, start)
        if not articles or (until is not None and start >= until):
            return written
        if batched:
            # a pause between batches for the annotators' keys; none after the last (a
            # one-file import waited 10 ms for nothing)
            time.sleep(PAUSE_SECONDS)
        deadline = time.monotonic() + BATCH_SECONDS
        rows: list[tuple[object, ...]] = []
        last = start
        # the batch's sentences in one range query (an article's sentences are the ids
        # first_sentence_id .. + sentence_count - 1), read only as far as the batch goes
        span = (
            "SELECT id, kind, text, article_id FROM sentences WHERE id >= ? AND id <= ? ORDER BY id"
        )
        high = int(articles[-1][1]) + int(articles[-1][2]) - 1
        cursor = store.conn.execute(span, [articles[0][1], high])
        try:
            for aid, first, count in articles:
                end = int(first) + int(count) - 1
                got = cursor.fetchmany(count) if count else []  # fetchmany(0): ALL rows
                sentences = [(int(i), str(k), str(t)) for i, k, t, _a in got]
                if len(got) != count or any(r[3] != aid for r in got):
                    # its rows are not its range (never so as the importer writes them):
                    # this article read by its id as before, the range read on after it
                    cursor.close()
                    sentences = [
                        (int(i), str(k), str(t))
                        for i, k, t in store.all(
                            "SELECT id, kind, text FROM sentences WHERE article_id = ? ORDER BY id",
                            [aid],
                        )
                    ]
                    cursor = store.conn.execute(span, [end + 1, high])
                rows += _article_rows(int(aid), end, sentences, through, compiled, suggests)
                last = end
                if len(rows) >= BATCH_SENTENCES or time.monotonic() >= deadline:
                    break
        finally:
            cursor.close()  # before the write: no read statement left open
        with store.write() as conn:
            for s, t in through.items():
                if t < last:  # recomputed here: what an older version left goes
                    conn.execute(
                        "DELETE FROM suggestions WHERE sentence_id > ? AND sentence_id <= ? "
                        "AND source = ?",
                        [t, last, s],
                    )
            conn.executemany(UPSERT, rows)
            conn.execute(
                "UPDATE suggestion_sources SET through_sentence_id = max(through_sentence_id, ?),"
                " updated_at = ? WHERE source IN (?, ?)",
                [last, now(), IMPORTER, CUES],
            )
        written += len(rows)
        batched = True
        through = {s: max(t, last) for s, t in through.items()}
        start = last


class _Pending:
    """(id, first sentence id, sentence count) of the articles left to cover, packed in one
    array: 24 bytes an article. As a list of tuples a project of 1M articles held 200 MB
    more than the import itself for the whole pass (audit11 F10)."""

    def __init__(self, values: array[int] | None = None) -> None:
        self._a = values if values is not None else array("q")

    def __len__(self) -> int:
        return len(self._a) // 3

    def __getitem__(self, i: int) -> tuple[int, int, int]:
        a, j = self._a, 3 * i
        return a[j], a[j + 1], a[j + 2]


def _pending(store: Store, start: int) -> _Pending:
    """The articles that end past `start`, in sentence order, read row by row into the
    packed array (a list of every row first would hold them all as tuples at once)."""
    packed = array("q")
    cursor = store.conn.execute(
        "SELECT id, first_sentence_id, sentence_count FROM articles "
        "WHERE first_sentence_id + sentence_count - 1 > ? ORDER BY first_sentence_id",
        [start],
    )
    try:
        for row in cursor:
            packed.extend(row)
    finally:
        cursor.close()
    return _Pending(packed)


def _ahead(pending: _Pending, pos: int, start: int) -> list[tuple[int, int, int]]:
    """The next batch's articles: the first 200 from `pos` that end past `start` (read by
    index from `pos`: skipping to it by iteration cost O(pos) a batch)."""
    out: list[tuple[int, int, int]] = []
    for i in range(pos, len(pending)):
        a = pending[i]
        if a[1] + a[2] - 1 > start:
            out.append(a)
            if len(out) == 200:
                break
    return out


def _article_rows(
    aid: int,
    end: int,
    sentences: list[tuple[int, str, str]],
    through: dict[str, int],
    compiled: cue_rules.CompiledLexicon,
    importing: bool = True,
) -> list[tuple[object, ...]]:
    """The rows to write for one article's sentences (id, kind, text; all of them, in order):
    the importer's suggestions past what it covered (when `importing`: the schema has its
    label), then the lexicon's."""
    at = now()
    rows: list[tuple[object, ...]] = []
    if importing and through[IMPORTER] < end:
        segs = [importer.Segment(i, k, t) for i, k, t in sentences]
        rows += [
            row(x, aid, at) for x in importer.suggest(segs) if x.sentence_id > through[IMPORTER]
        ]
    if through[CUES] < end:
        done, version = through[CUES], compiled.lexicon.version
        rows += [
            (sid, aid, label, CUES, version, score, cue, cs, ce, st, at)
            for sid, label, score, cue, cs, ce, st in cue_rules.suggest_rows(
                ((i, t) for i, _k, t in sentences if i > done), compiled
            )
        ]
    return rows


def _cues_lost(store: Store, lexicon: CueLexicon, have: dict[str, tuple[str, int]]) -> bool:
    """A project made by `team add` before its first import, under the previous release,
    kept no cue rule (no schema was stored yet) and recorded the lexicon as done through
    every sentence, with the same version a full lexicon has: covered, yet not one cue
    suggestion. Recomputed once; a project with rules and suggestions is never touched."""
    if CUES not in have or have[CUES][1] == 0 or not lexicon.rules:
        return False
    return store.one("SELECT 1 FROM suggestions WHERE source = ? LIMIT 1", [CUES]) is None


def row(x: Suggestion, article_id: int, at: str) -> tuple[object, ...]:
    return (
        x.sentence_id,
        article_id,
        x.label,
        x.source,
        x.version,
        x.score,
        x.cue,
        x.cue_start,
        x.cue_end,
        x.source_type,
        at,
    )
