"""A big annotator database for the annotation-screen benchmarks, built once and cached.

    .venv/bin/python benchmarks/bigdb.py              # 1,000,000 sentences, 3,000,000 events
    .venv/bin/python benchmarks/bigdb.py --quick      # 100,000 sentences, 300,000 events
    .venv/bin/python benchmarks/bigdb.py --rebuild    # build again even if it is cached
    .venv/bin/python benchmarks/bigdb.py --sentences 500000 --events 1500000 --integrity

The file goes to benchmarks/.data/ (git ignores it) and is reused while its parameters and
this script's VERSION are unchanged. benchmarks/annotate.py calls `ensure()`.

How it is built, fast but as the product would have written it:
- the file is created by `open_store` (the real migrations, WAL, application id) and the
  default guidelines are stored with `use_guidelines`;
- articles are 200 generated news articles (benchmarks/corpus.py) parsed by the real
  ingest pipeline (cleaning, segmentation, offsets, readability), replicated with a
  same-length number in the headline so every copy has its own text, hash and offsets;
- five annotators work in interleaved sessions through the product's own pure labeling
  rules (`annotator.labeling`): toggles, source types, confirms, comments, article fields,
  wrong keys undone at once, undone confirms, unconfirming revisions. Each change is an
  event with the before/after diff the store records, undo events point at the event they
  reverse (latest not-yet-undone first, like `undo_last`), and `annotations`,
  `article_annotations`, `confirmed_ranges`, `annotators.confirmed` and the cursors are the
  state those events leave;
- everything is written through the store's batch writer (annotator/store/bulk.py:
  executemany in one transaction, the secondary indexes dropped for the load and recreated
  from the exact SQL the migration stored).

Prints the build time, the row counts per table and per annotator, then checks the
invariants with SQL (consecutive sentence ids, annotations = latest state replayed from the
events on a sample, maximal confirmed ranges, counters, undo links, the stored schema equal
to a freshly migrated database) and prints each check with its result.
"""

from __future__ import annotations

import argparse
import array
import hashlib
import json
import os
import random
import shutil
import sqlite3
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

# Standalone: import the project from this checkout, installed or not.
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from annotator.ingest.articles import ParsedArticle, read_articles
from annotator.labeling import LabelingError, SentenceState
from annotator.labeling import confirm as confirm_state
from annotator.labeling import diff as state_diff
from annotator.labeling import set_comment as comment_state
from annotator.labeling import set_field as field_state
from annotator.labeling import toggle as toggle_state
from annotator.schema import LabelSchema
from annotator.store import bulk, exporting
from annotator.store.articles import prepare_article
from annotator.store.database import open_store
from annotator.store.jsontext import dumps
from annotator.store.schemas import use_guidelines
from benchmarks.corpus import article as corpus_article

ROOT = Path(__file__).resolve().parents[1]
VERSION = 3  # bump when the generated data changes: cached files are then rebuilt
DATA = ROOT / "benchmarks" / ".data"
FULL = (1_000_000, 3_000_000)
QUICK = (100_000, 300_000)
SEED = 20240902
POOL = 200  # distinct parsed articles, replicated
POOL_TOKEN = 90_000  # pool article k has the number POOL_TOKEN + k in its headline
COPY_TOKEN = 10_000  # copy i has COPY_TOKEN + i instead (same length, so same offsets)
EMPTY = SentenceState()


@dataclass(frozen=True)
class Profile:
    name: str
    share: float  # of all events
    style: str  # prefix | chunks | spots | reviser
    mistakes: float  # chance, per sentence, of a wrong key undone at once
    about: str


PROFILES = (
    Profile("alice", 0.40, "prefix", 0.02, "one long confirmed prefix, deep into the corpus"),
    Profile("bob", 0.20, "prefix", 0.03, "a shorter prefix"),
    Profile("carol", 0.15, "chunks", 0.03, "jumps between articles: many short ranges"),
    Profile("dave", 0.10, "spots", 0.02, "spot checks everywhere: very many 1-3 ranges"),
    Profile("erin", 0.15, "reviser", 0.08, "prefix with revisions: holes, undos, unconfirms"),
)

# how likely each label is on a body sentence (the rest get confirmed as NONE)
BODY_LABELS = (
    ("ATTRIBUTED", 0.40),
    ("QUOTE", 0.18),
    ("HEDGED", 0.25),
    ("UNVERIFIED", 0.08),
    ("EDITORIAL", 0.10),
    ("LOADED", 0.07),
)
FURNITURE = ("byline", "credit", "embed", "media", "furniture", "list_item")
COMMENTS = (
    "check the source",
    "quote or paraphrase?",
    "sarcasm?",
    "ask the team",
    "headline differs from body",
)


def db_path(sentences: int, events: int) -> Path:
    return DATA / f"bigdb-v{VERSION}-{sentences}s-{events}e.sqlite"


# --- articles and sentences ---------------------------------------------------------------


@dataclass
class PoolArticle:
    parsed: ParsedArticle
    token: str
    token_sentence: int
    rows: list[tuple[Any, ...]]  # sentence columns after (id, article_id)
    offset_map: str


def article_pool(n: int, rng: random.Random) -> list[PoolArticle]:
    """`n` generated articles through the real reader, cleaner and segmenter."""
    pool = []
    with tempfile.TemporaryDirectory(prefix="annotator-bigdb-") as tmp:
        for k in range(n):
            token = str(POOL_TOKEN + k)
            path = Path(tmp) / f"pool_{k:03d}.txt"
            path.write_text(corpus_article(rng, POOL_TOKEN + k), encoding="utf-8")
            (art,) = read_articles(path)
            assert art.text.count(token) == 1 and art.original.count(token.encode()) == 1
            assert art.title is not None and token in art.title
            # the rows and offset map exactly as the importer's writer prepares them
            prepared = prepare_article(art)
            hit = [s.position for s in art.sentences if token in s.text]
            assert len(hit) == 1
            pool.append(
                PoolArticle(art, token, hit[0], prepared.sentence_rows, prepared.offset_map)
            )
    return pool


def stamp(t: float) -> str:
    """`annotator.store.database.now()` for a given time: UTC, milliseconds, Z."""
    sec = int(t)
    return time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(sec)) + f".{int((t - sec) * 1000):03d}Z"


@dataclass
class Corpus:
    first_id: int = 1
    last_id: int = 0
    articles: int = 0
    article_of: array.array = field(default_factory=lambda: array.array("i", [0]))
    kind_of: bytearray = field(default_factory=lambda: bytearray(1))
    bounds: list[tuple[int, int]] = field(default_factory=list)  # article -> (first, last)
    kinds: list[str] = field(default_factory=list)


def write_corpus(conn: sqlite3.Connection, sentences: int, rng: random.Random, t0: float) -> Corpus:
    pool = article_pool(POOL, rng)
    outlets = [(i, f"Example Outlet {i:02d}", f"outlet{i:02d}.example.org") for i in range(1, 41)]
    bulk.write_outlets(conn, outlets)
    corpus = Corpus()
    corpus.bounds.append((0, -1))  # article ids start at 1
    kind_index: dict[str, int] = {}
    art_rows: list[tuple[Any, ...]] = []
    sent_rows: list[tuple[Any, ...]] = []
    sid = 1
    i = 0
    while sid <= sentences:
        p = rng.choice(pool)
        a = p.parsed
        aid = i + 1
        token = str(COPY_TOKEN + i)
        assert len(token) == len(p.token) and COPY_TOKEN + i < POOL_TOKEN
        text = a.text.replace(p.token, token)
        original = a.original.replace(p.token.encode(), token.encode())
        outlet = rng.choice(outlets) if rng.random() < 0.8 else None
        published = stamp(t0 - rng.uniform(0, 400 * 86400))[:10] if outlet else None
        c = a.counts
        first = sid
        art_rows.append(
            (
                aid,
                f"article_{i:05d}",
                (a.title or "").replace(p.token, token) or None,
                outlet[0] if outlet else None,
                a.author,
                published,
                f"https://{outlet[2]}/news/{i}" if outlet else None,
                a.byline,
                text,
                hashlib.sha256(text.encode("utf-8")).hexdigest(),
                original,
                a.encoding,
                p.offset_map,
                f"bigdb/article_{i:05d}.txt",
                a.source_line,
                dumps(a.meta) if a.meta else None,
                c.words,
                c.syllables,
                c.flesch_reading_ease,
                c.flesch_kincaid_grade,
                len(p.rows),
                first,
                stamp(t0 - 86400 + i * 0.5),
            )
        )
        for row in p.rows:
            if row[0] == p.token_sentence:
                row = (*row[:5], row[5].replace(p.token, token), *row[6:])
            sent_rows.append((sid, aid, *row))
            k = kind_index.setdefault(row[4], len(kind_index))
            corpus.article_of.append(aid)
            corpus.kind_of.append(k)
            sid += 1
        corpus.bounds.append((first, sid - 1))
        i += 1
        if len(sent_rows) >= 100_000:
            _flush_corpus(conn, art_rows, sent_rows)
    _flush_corpus(conn, art_rows, sent_rows)
    corpus.last_id = sid - 1
    corpus.articles = i
    corpus.kinds = sorted(kind_index, key=kind_index.__getitem__)
    return corpus


def _flush_corpus(
    conn: sqlite3.Connection, arts: list[tuple[Any, ...]], sents: list[tuple[Any, ...]]
) -> None:
    bulk.write_articles(conn, arts)  # rows in bulk.ARTICLE_COLUMNS order
    bulk.write_sentences(conn, sents)  # bulk.SENTENCE_COLUMNS
    arts.clear()
    sents.clear()


# --- annotators at work -------------------------------------------------------------------


@dataclass
class Annotator:
    id: int
    profile: Profile
    budget: int
    events: int = 0
    undos: int = 0
    # sentence -> [state, event id, updated_at, confirmed_at], only non-empty states
    states: dict[int, list[Any]] = field(default_factory=dict)
    # (article, field) -> [value, updated_at, event id]
    fields: dict[tuple[int, str], list[Any]] = field(default_factory=dict)
    # events `undo_last` could still reverse, oldest first
    undoable: list[tuple[Any, ...]] = field(default_factory=list)
    cursor: int | None = None
    walk: int = 0  # next sentence of a prefix walker


class Events:
    """Event ids, timestamps and sessions in order, written in batches (rows in
    bulk.EVENT_COLUMNS order)."""

    def __init__(
        self, conn: sqlite3.Connection, schema_hash: str, rng: random.Random, t0: float
    ) -> None:
        self.conn, self.schema_hash, self.rng, self.clock = conn, schema_hash, rng, t0
        self.next_id = 1
        self.session = ""
        self.rows: list[tuple[Any, ...]] = []

    def new_session(self) -> None:
        self.clock += self.rng.uniform(60, 3600)
        self.session = f"{self.rng.getrandbits(48):012x}"

    def add(
        self,
        annotator: int,
        kind: str,
        action: str,
        sentence: int | None,
        article: int,
        field_name: str | None,
        before: str,
        after: str,
        undoes: int | None,
    ) -> tuple[int, str]:
        self.clock += self.rng.uniform(0.3, 4.0)
        at = stamp(self.clock)
        eid = self.next_id
        self.next_id += 1
        self.rows.append(
            (
                eid,
                at,
                annotator,
                kind,
                action,
                sentence,
                article,
                field_name,
                before,
                after,
                undoes,
                self.schema_hash,
                self.session,
            )
        )
        if len(self.rows) >= 100_000:
            self.flush()
        return eid, at

    def flush(self) -> None:
        bulk.append_events(self.conn, self.rows)
        self.rows.clear()


Op = tuple[str, ...]


class World:
    """The annotators, changing sentence states through the product's labeling rules."""

    def __init__(
        self, schema: LabelSchema, corpus: Corpus, events: Events, rng: random.Random
    ) -> None:
        self.schema, self.corpus, self.out, self.rng = schema, corpus, events, rng
        self.labels = [lab.name for lab in schema.labels]
        sf = schema.sentence_fields[0]
        self.source_field, self.source_values = sf.name, [str(c.value) for c in sf.values]
        self.article_fields = [
            (f.name, [c.value for c in f.values]) for f in schema.article_fields if f.values
        ]
        self._next: dict[tuple[SentenceState, Op], SentenceState | None] = {}
        self._diffs: dict[tuple[SentenceState, SentenceState], tuple[str, str]] = {}
        self._undo: dict[tuple[SentenceState, str], SentenceState] = {}

    # the store's writes, as `_record_sentence` and `_set_article_field` do them

    def _transform(self, state: SentenceState, op: Op) -> SentenceState | None:
        key = (state, op)
        if key not in self._next:
            try:
                if op[0] == "toggle":
                    new = toggle_state(state, op[1], self.schema)
                elif op[0] == "field":
                    new = field_state(state, op[1], op[2], self.schema)
                elif op[0] == "confirm":
                    new = confirm_state(state, self.schema)
                else:
                    new = comment_state(state, op[1])
            except LabelingError:
                new = None
            self._next[key] = new
        return self._next[key]

    def _record(
        self,
        a: Annotator,
        sid: int,
        action: str,
        before: SentenceState,
        after: SentenceState,
        undoes: int | None,
    ) -> tuple[int, str]:
        pair = (before, after)
        if pair not in self._diffs:
            b, d = state_diff(before, after)
            self._diffs[pair] = (dumps(b), dumps(d))
        b_json, a_json = self._diffs[pair]
        eid, at = self.out.add(
            a.id, "sentence", action, sid, self.corpus.article_of[sid], None, b_json, a_json, undoes
        )
        a.events += 1
        prev = a.states.get(sid)
        if after == EMPTY:
            a.states.pop(sid, None)
        else:
            if after.confirmed:
                confirmed_at = at if not before.confirmed else (prev[3] if prev else None)
            else:
                confirmed_at = None
            a.states[sid] = [after, eid, at, confirmed_at]
        a.cursor = sid
        return eid, b_json

    def state(self, a: Annotator, sid: int) -> SentenceState:
        entry = a.states.get(sid)
        return entry[0] if entry else EMPTY

    def do(self, a: Annotator, sid: int, op: Op) -> bool:
        before = self.state(a, sid)
        after = self._transform(before, op)
        if after is None or after == before:
            return False  # refused, or no change: the product writes no event
        # the action names AnnotationSession gives these changes
        action = (
            f"toggle {op[1]}"
            if op[0] == "toggle"
            else f"set {op[1]}"
            if op[0] == "field"
            else op[0]
        )
        eid, b_json = self._record(a, sid, action, before, after, None)
        a.undoable.append(("sentence", eid, sid, action, b_json))
        return True

    def set_article_field(
        self, a: Annotator, article: int, name: str, value: Any, undoes: int | None = None
    ) -> None:
        entry = a.fields.get((article, name))
        old = entry[0] if entry else None
        if old == value and undoes is None:
            return
        action = f"undo: set {name}" if undoes else f"set {name}"
        eid, at = self.out.add(
            a.id,
            "article_field",
            action,
            None,
            article,
            name,
            dumps({"value": old}),
            dumps({"value": value}),
            undoes,
        )
        a.events += 1
        if value is None:
            a.fields.pop((article, name), None)
        else:
            a.fields[(article, name)] = [value, at, eid]
        if undoes is None:
            a.undoable.append(("article_field", eid, (article, name), action, old))

    def undo(self, a: Annotator) -> None:
        """`undo_last`: reverse the latest event not undone yet."""
        if not a.undoable:
            return
        kind, target, ref, action, before = a.undoable.pop()
        a.undos += 1
        if kind == "article_field":
            self.set_article_field(a, ref[0], ref[1], before, undoes=target)
            return
        current = self.state(a, ref)
        key = (current, before)
        if key not in self._undo:
            self._undo[key] = current.with_values(json.loads(before))
        self._record(a, ref, f"undo: {action}", current, self._undo[key], target)

    # one sentence, the way annotators label it

    def plan(self, sid: int) -> list[Op]:
        r = self.rng.random
        kind = self.corpus.kinds[self.corpus.kind_of[sid]]
        if kind in FURNITURE:
            labels = ["BOILERPLATE"] if r() < 0.85 else []
        elif kind in ("title", "heading"):
            labels = ["LOADED"] if r() < 0.3 else []
        else:
            labels = [name for name, p in BODY_LABELS if r() < p]
        ops: list[Op] = []
        for name in labels:
            ops.append(("toggle", name))
            if name == "ATTRIBUTED" and r() < 0.7:
                ops.append(("field", self.source_field, self.rng.choice(self.source_values)))
        if not labels and r() < 0.3:
            ops.append(("toggle", "NONE"))  # pressing n instead of confirming empty
        return ops

    def label(self, a: Annotator, sid: int) -> None:
        r = self.rng.random
        # a wrong key, undone at once
        if r() < a.profile.mistakes and self.do(a, sid, ("toggle", self.rng.choice(self.labels))):
            self.undo(a)
        for op in self.plan(sid):
            self.do(a, sid, op)
        if r() < 0.04:  # on and off again
            name = self.rng.choice(self.labels)
            self.do(a, sid, ("toggle", name))
            self.do(a, sid, ("toggle", name))
        if r() < 0.01:
            self.do(a, sid, ("comment", self.rng.choice(COMMENTS)))
        self.do(a, sid, ("confirm",))
        if r() < 0.01:  # confirmed too fast: undo, add a label, confirm again
            self.undo(a)
            self.do(a, sid, ("toggle", self.rng.choice(self.labels[:-1])))
            self.do(a, sid, ("confirm",))
        a.cursor = min(sid + 1, self.corpus.last_id)  # confirm moves on

    def article_form(self, a: Annotator, article: int) -> None:
        for name, values in self.rng.sample(self.article_fields, self.rng.randint(1, 3)):
            self.set_article_field(a, article, name, self.rng.choice(values))

    # work styles: one call is one stretch of work

    def unit(self, a: Annotator) -> None:
        c, rng = self.corpus, self.rng
        style = a.profile.style
        if style in ("prefix", "reviser"):
            sid = a.walk
            self.label(a, sid)
            a.walk += 1
            art = c.article_of[sid]
            if sid == c.bounds[art][1] and rng.random() < 0.3:
                self.article_form(a, art)
            if style == "reviser" and sid > c.first_id:
                if rng.random() < 0.06:  # go back and change a label: maybe unconfirms it
                    back = rng.randint(c.first_id, sid - 1)
                    self.do(a, back, ("toggle", rng.choice(self.labels)))
                    if rng.random() < 0.5:
                        self.do(a, back, ("confirm",))
                if rng.random() < 0.02:  # a label on the next one, left unconfirmed
                    self.do(a, min(sid + 1, c.last_id), ("toggle", rng.choice(self.labels)))
                if rng.random() < 0.02:
                    self.undo(a)
        elif style == "chunks":
            art = rng.randint(1, c.articles)
            first, last = c.bounds[art]
            start = first if rng.random() < 0.5 else rng.randint(first, last)
            for sid in range(start, min(last, start + rng.randint(3, 30)) + 1):
                if rng.random() < 0.08:  # skipped; sometimes half-labelled
                    if rng.random() < 0.5:
                        self.do(a, sid, ("toggle", rng.choice(self.labels)))
                    continue
                self.label(a, sid)
            if rng.random() < 0.2:
                self.article_form(a, art)
        else:  # spots
            sid = rng.randint(c.first_id, c.last_id)
            for s in range(
                sid, min(c.last_id, sid + rng.choice((0, 0, 0, 0, 0, 0, 0, 1, 1, 2))) + 1
            ):
                self.label(a, s)


def simulate(
    conn: sqlite3.Connection, world: World, events: int, progress: Callable[[str], None]
) -> list[Annotator]:
    c = world.corpus
    people = []
    for i, p in enumerate(PROFILES, 1):
        a = Annotator(i, p, int(events * p.share))
        a.walk = c.first_id
        people.append(a)
    people[-1].budget += events - sum(a.budget for a in people)
    bulk.write_annotators(conn, [(a.id, a.profile.name, stamp(world.out.clock)) for a in people])
    active = list(people)
    shown = 0
    while active:
        a = world.rng.choices(active, weights=[x.budget - x.events for x in active])[0]
        world.out.new_session()
        for _ in range(world.rng.randint(30, 400)):
            if a.walk > c.last_id - 1:  # a prefix walker at the end of the corpus
                a.budget = a.events
            if a.events >= a.budget:
                active.remove(a)
                break
            world.unit(a)
        if world.out.next_id - shown >= 500_000:
            shown = world.out.next_id
            progress(f"  {shown - 1:,} events")
    world.out.flush()
    return people


def ranges(sids: list[int]) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    for s in sorted(sids):
        if out and out[-1][1] == s - 1:
            out[-1] = (out[-1][0], s)
        else:
            out.append((s, s))
    return out


def write_state(conn: sqlite3.Connection, world: World, people: list[Annotator]) -> None:
    rows = []
    labels_json: dict[tuple[str, ...], str] = {}
    fields_json: dict[tuple[tuple[str, str], ...], str] = {}
    article_of = world.corpus.article_of
    for a in people:
        for sid, (st, eid, at, confirmed_at) in a.states.items():
            lj = labels_json.setdefault(st.labels, dumps(list(st.labels)))
            fj = fields_json.setdefault(st.fields, dumps(dict(st.fields)))
            rows.append(
                (
                    sid,
                    a.id,
                    article_of[sid],
                    lj,
                    fj,
                    st.comment,
                    int(st.confirmed),
                    int(st.revised),
                    confirmed_at,
                    at,
                    eid,
                )
            )
    rows.sort()
    bulk.write_annotations(conn, rows)
    bulk.write_article_fields(
        conn,
        sorted(
            (art, a.id, name, dumps(v), at, eid)
            for a in people
            for (art, name), (v, at, eid) in a.fields.items()
        ),
    )
    for a in people:
        confirmed = [sid for sid, entry in a.states.items() if entry[0].confirmed]
        bulk.write_progress(conn, a.id, ranges(confirmed), len(confirmed), a.cursor)


# --- building -----------------------------------------------------------------------------

LOAD_INDEXES = ("events", "annotations")  # secondary indexes dropped while loading these


def build(path: Path, sentences: int, events: int, log: Callable[[str], None] = print) -> None:
    rng = random.Random(SEED)
    tmp = path.with_name(path.name + ".building")
    for suffix in ("", "-wal", "-shm"):
        Path(f"{tmp}{suffix}").unlink(missing_ok=True)
    t_start = time.perf_counter()
    store = open_store(tmp)
    guidelines, _ = use_guidelines(store)
    conn = store.conn
    # per-connection settings for the load only; nothing here is stored in the file
    conn.execute("PRAGMA foreign_keys = OFF")  # checked below with SQL instead, row by row
    conn.execute("PRAGMA cache_size = -2000000")
    conn.execute("PRAGMA synchronous = OFF")
    t0 = 1_725_264_000.0  # 2024-09-02T08:00:00Z
    with store.write(), bulk.indexes_dropped(conn, LOAD_INDEXES):
        t = time.perf_counter()
        corpus = write_corpus(conn, sentences, rng, t0)
        log(f"  articles and sentences: {time.perf_counter() - t:.1f} s")
        t = time.perf_counter()
        out = Events(conn, guidelines.schema.hash, rng, t0)
        world = World(guidelines.schema, corpus, out, rng)
        people = simulate(conn, world, events, log)
        log(f"  events: {time.perf_counter() - t:.1f} s")
        t = time.perf_counter()
        write_state(conn, world, people)
        log(f"  annotations, ranges, counters: {time.perf_counter() - t:.1f} s")
        t = time.perf_counter()
    log(f"  indexes and commit: {time.perf_counter() - t:.1f} s")
    t = time.perf_counter()
    store.close()  # the last connection checkpoints the WAL into the file
    log(f"  checkpoint and close: {time.perf_counter() - t:.1f} s")
    os.replace(tmp, path)
    elapsed = time.perf_counter() - t_start
    (path.with_suffix(".json")).write_text(
        json.dumps(
            {
                "version": VERSION,
                "sentences": sentences,
                "events": events,
                "seed": SEED,
                "build_seconds": round(elapsed, 1),
            },
            indent=1,
        )
    )
    log(f"built {path.relative_to(ROOT)} in {elapsed:.1f} s ({path.stat().st_size / 1e6:,.0f} MB)")


def ensure(
    sentences: int, events: int, *, rebuild: bool = False, log: Callable[[str], None] = print
) -> Path:
    """The cached database for these parameters, built first if needed."""
    path = db_path(sentences, events)
    meta = path.with_suffix(".json")
    if rebuild or not path.exists() or not meta.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        meta.unlink(missing_ok=True)
        log(f"building {path.relative_to(ROOT)}: {sentences:,} sentences, {events:,} events")
        build(path, sentences, events, log)
    else:
        built = json.loads(meta.read_text())
        log(
            f"cached: {path.relative_to(ROOT)} ({path.stat().st_size / 1e6:,.0f} MB, "
            f"built in {built['build_seconds']} s; --rebuild to build again)"
        )
        _upgrade(path, log)
    return path


def _upgrade(path: Path, log: Callable[[str], None]) -> None:
    """A cache built before a newer migration is migrated once, here, as the product would
    on its first open: each working copy then starts migrated, and no benchmark times a
    migration by accident."""
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        applied = {str(r[0]) for r in conn.execute("SELECT name FROM _sqlite_migrations")}
    finally:
        conn.close()
    from annotator.store.migrations import NAMES

    pending = [n for n in NAMES if n not in applied]
    if not pending:
        return
    t = time.perf_counter()
    open_store(path).close()
    log(f"migrated the cache ({', '.join(pending)}) in {time.perf_counter() - t:.1f} s")


def working_copy(path: Path, folder: Path) -> Path:
    """A copy to write to, on the same disk (a benchmark run must not change the cache)."""
    wal = Path(f"{path}-wal")
    assert not wal.exists() or wal.stat().st_size == 0, f"{wal}: the cache has unmerged writes"
    folder.mkdir(parents=True, exist_ok=True)
    dest = folder / path.name
    shutil.copyfile(path, dest)
    # on disk before it is used: else the first checkpoint's fsync writes out the whole copy
    fd = os.open(dest, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
    return dest


# --- reporting and checks -----------------------------------------------------------------


def counts(path: Path) -> dict[str, Any]:
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        tables = (
            "articles",
            "sentences",
            "outlets",
            "annotators",
            "events",
            "annotations",
            "confirmed_ranges",
            "article_annotations",
        )
        out: dict[str, Any] = {
            t: conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in tables
        }
        out["per_annotator"] = conn.execute(
            "SELECT an.name, an.confirmed, "
            "(SELECT count(*) FROM confirmed_ranges r WHERE r.annotator_id = an.id), "
            "(SELECT count(*) FROM events e WHERE e.annotator_id = an.id), "
            "(SELECT count(*) FROM events e WHERE e.annotator_id = an.id "
            " AND e.undoes IS NOT NULL), "
            "(SELECT count(*) FROM annotations a WHERE a.annotator_id = an.id), "
            "an.cursor_sentence_id FROM annotators an ORDER BY an.id"
        ).fetchall()
        return out
    finally:
        conn.close()


def print_counts(path: Path) -> None:
    c = counts(path)
    print("rows: " + ", ".join(f"{k} {v:,}" for k, v in c.items() if k != "per_annotator"))
    print(
        f"  {'annotator':9s} {'confirmed':>10s} {'ranges':>8s} {'events':>10s} "
        f"{'undos':>7s} {'annotations':>11s} {'cursor':>9s}  style"
    )
    about = {p.name: p.about for p in PROFILES}
    for name, confirmed, nranges, nevents, undos, nann, cur in c["per_annotator"]:
        print(
            f"  {name:9s} {confirmed:10,} {nranges:8,} {nevents:10,} {undos:7,} {nann:11,} "
            f"{cur or 0:9,}  {about.get(name, '')}"
        )


def _replay(conn: sqlite3.Connection, samples: int, rng: random.Random) -> str:
    """Annotations equal the fold of each pair's events, on a random sample of pairs."""
    top = conn.execute("SELECT max(id) FROM events").fetchone()[0]
    bad = checked = 0
    for _ in range(samples):
        row = conn.execute(
            "SELECT sentence_id, annotator_id FROM events "
            "WHERE id >= ? AND kind = 'sentence' LIMIT 1",
            [rng.randint(1, top)],
        ).fetchone()
        if row is None:
            continue
        sid, aid = row
        state, last = EMPTY, None
        for eid, at, after in conn.execute(
            "SELECT id, at, after FROM events WHERE sentence_id = ? AND annotator_id = ? "
            "AND kind = 'sentence' ORDER BY id",
            [sid, aid],
        ):
            state, last = state.with_values(json.loads(after)), (eid, at)
        stored = conn.execute(
            "SELECT labels, fields, comment, confirmed, revised, event_id, updated_at "
            "FROM annotations WHERE sentence_id = ? AND annotator_id = ?",
            [sid, aid],
        ).fetchone()
        if stored is None:
            ok = state == EMPTY
        else:
            ok = (
                SentenceState.from_row(*stored[:5]) == state
                and last is not None
                and (stored[5], stored[6]) == last
            )
        bad += not ok
        checked += 1
    return f"{checked - bad}/{checked} sampled (sentence, annotator) pairs replay to their row"


def check(path: Path, *, integrity: bool = False) -> bool:
    """SQL checks of the invariants the product keeps; prints one line each."""
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    ok = True

    def expect(what: str, sql: str, want: Any = 0) -> None:
        nonlocal ok
        t = time.perf_counter()
        got = conn.execute(sql).fetchone()[0]
        good = got == want
        ok &= good
        print(
            f"  {'ok ' if good else 'BAD'} {what}: {got!r}"
            + ("" if good else f" (expected {want!r})")
            + f"  [{time.perf_counter() - t:.1f} s]"
        )

    print("checks:")
    expect(
        "sentence ids consecutive, no gaps",
        "SELECT count(*) - (max(id) - min(id) + 1) FROM sentences",
    )
    expect(
        "sentence id = article's first id + position, for every sentence",
        "SELECT count(*) FROM sentences s JOIN articles a ON a.id = s.article_id "
        "WHERE s.id <> a.first_sentence_id + s.position",
    )
    expect(
        "articles follow each other in corpus order (and sentence_count is right)",
        "SELECT count(*) FROM articles a JOIN articles b ON b.id = a.id + 1 "
        "WHERE b.first_sentence_id <> a.first_sentence_id + a.sentence_count",
    )
    expect(
        "sum(sentence_count) = sentences",
        "SELECT (SELECT sum(sentence_count) FROM articles) - (SELECT count(*) FROM sentences)",
    )
    expect(
        "annotators.confirmed = confirmed annotations",
        "SELECT count(*) FROM annotators an WHERE confirmed <> (SELECT count(*) FROM "
        "annotations a WHERE a.annotator_id = an.id AND a.confirmed = 1)",
    )
    expect(
        "ranges cover exactly the confirmed count",
        "SELECT count(*) FROM annotators an WHERE confirmed <> (SELECT coalesce(sum(hi - lo + "
        "1), 0) FROM confirmed_ranges r WHERE r.annotator_id = an.id)",
    )
    expect(
        "ranges are maximal (none empty, overlapping or touching the next)",
        "SELECT count(*) FROM (SELECT lo, hi, lag(hi) OVER (PARTITION BY annotator_id "
        "ORDER BY lo) AS prev FROM confirmed_ranges) WHERE hi < lo OR prev >= lo - 1",
    )
    expect(
        "every confirmed annotation lies in a range",
        "SELECT count(*) FROM annotations a WHERE a.confirmed = 1 AND coalesce((SELECT hi "
        "FROM confirmed_ranges r WHERE r.annotator_id = a.annotator_id AND r.lo <= "
        "a.sentence_id ORDER BY r.lo DESC LIMIT 1), 0) < a.sentence_id",
    )
    expect(
        "annotations.event_id is the pair's latest sentence event",
        "SELECT count(*) FROM annotations a WHERE a.event_id <> (SELECT max(e.id) FROM events "
        "e WHERE e.sentence_id = a.sentence_id AND e.annotator_id = a.annotator_id)",
    )
    expect(
        "article_annotations.event_id is the latest event for its field",
        "SELECT count(*) FROM article_annotations x WHERE x.event_id <> (SELECT max(e.id) "
        "FROM events e WHERE e.article_id = x.article_id AND e.annotator_id = x.annotator_id "
        "AND e.field = x.field AND e.kind = 'article_field')",
    )
    expect(
        "undo events reverse an earlier, non-undo event of the same annotator",
        "SELECT count(*) FROM events u JOIN events t ON t.id = u.undoes WHERE "
        "t.annotator_id <> u.annotator_id OR t.undoes IS NOT NULL OR t.id >= u.id "
        "OR u.action <> 'undo: ' || t.action",
    )
    expect(
        "references point at existing rows",
        "SELECT (SELECT count(*) FROM events WHERE sentence_id > (SELECT max(id) FROM "
        "sentences) OR article_id > (SELECT max(id) FROM articles) OR annotator_id NOT IN "
        "(SELECT id FROM annotators)) + (SELECT count(*) FROM annotations a WHERE "
        "a.article_id <> (SELECT article_id FROM sentences s WHERE s.id = a.sentence_id))",
    )
    expect(
        "cursors are sentences",
        "SELECT count(*) FROM annotators WHERE cursor_sentence_id "
        "NOT BETWEEN 1 AND (SELECT max(id) FROM sentences)",
    )
    t = time.perf_counter()
    print(f"  ok  {_replay(conn, 2000, random.Random(1))}  [{time.perf_counter() - t:.1f} s]")
    # the export JSON the triggers kept while loading equals a fresh build from the columns
    t = time.perf_counter()
    store = open_store(path)
    stale = exporting.stale_records(store)
    store.close()
    good = not any(stale.values())
    ok &= good
    print(
        f"  {'ok ' if good else 'BAD'} export records up to date: {stale}  "
        f"[{time.perf_counter() - t:.1f} s]"
    )
    # the stored schema is what a fresh migration gives (same tables, indexes, their SQL)
    with tempfile.TemporaryDirectory() as tmp:
        fresh = open_store(Path(tmp) / "fresh.sqlite")
        want = sorted(fresh.all("SELECT type, name, tbl_name, sql FROM sqlite_master"))
        migrations = fresh.all("SELECT migration_set, name FROM _sqlite_migrations ORDER BY name")
        fresh.close()
    got = sorted(conn.execute("SELECT type, name, tbl_name, sql FROM sqlite_master").fetchall())
    same = (
        got == want
        and migrations
        == conn.execute(
            "SELECT migration_set, name FROM _sqlite_migrations ORDER BY name"
        ).fetchall()
    )
    ok &= same
    print(
        f"  {'ok ' if same else 'BAD'} schema, indexes and migrations identical to a freshly "
        f"migrated database ({len(got)} objects)"
    )
    pragmas = (
        conn.execute("PRAGMA application_id").fetchone()[0],
        conn.execute("PRAGMA journal_mode").fetchone()[0],
    )
    good = pragmas == (0x414E4E4F, "wal")
    ok &= good
    print(f"  {'ok ' if good else 'BAD'} application_id and journal mode: {pragmas}")
    if integrity:
        expect("PRAGMA integrity_check", "PRAGMA integrity_check", "ok")
    conn.close()
    return ok


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="100,000 sentences, 300,000 events")
    ap.add_argument("--sentences", type=int)
    ap.add_argument("--events", type=int)
    ap.add_argument("--rebuild", action="store_true", help="build even if cached")
    ap.add_argument("--integrity", action="store_true", help="also PRAGMA integrity_check")
    args = ap.parse_args()
    sentences, events = QUICK if args.quick else FULL
    sentences, events = args.sentences or sentences, args.events or events
    path = ensure(sentences, events, rebuild=args.rebuild)
    print_counts(path)
    if not check(path, integrity=args.integrity):
        sys.exit(1)


if __name__ == "__main__":
    main()
