"""Articles, their sentences and outlets: writing imported articles and reading them back."""

from __future__ import annotations

import hashlib
import json
import re
import sqlite3
from collections.abc import Callable, Sequence
from dataclasses import dataclass, fields
from itertools import count, repeat
from operator import add, attrgetter

from annotator.ingest.articles import ParsedArticle
from annotator.ingest.file_ids import is_page_name
from annotator.ingest.readability import Counts
from annotator.ingest.textmap import OffsetMap
from annotator.models.articles import Article, Sentence
from annotator.store.database import Row, Store, StoreError, now
from annotator.store.jsontext import dumps
from annotator.store.records import ArticleRecords, python_records_agree, record_tail


class DuplicateArticle(StoreError):
    """An article id that is already taken by different text."""

    @classmethod
    def taken(cls, external_id: str, path: str | None = None) -> DuplicateArticle:
        """The one message, for the check before the write and the one under the lock.
        An HTML page has no front matter or JSON to give it an id (audit9b F14): its
        advice is the file's name, which is its id."""
        if path is not None and is_page_name(path):
            advice = (
                "a page's id is its file name: rename the file, or import it in one run "
                "with the other pages of that name (each then takes its path in the folder "
                "given as its id)"
            )
        else:
            advice = "give this version another id (front matter or JSON 'id') to import it"
        return cls(
            f"article id {external_id!r} is already in the database with different text; {advice}"
        )


_ARTICLE_COLS = (
    "a.id, a.external_id, a.title, o.name, a.outlet_id, a.author, a.published, a.url, a.byline, "
    "a.sentence_count, a.first_sentence_id, a.flesch_reading_ease, "
    "a.flesch_kincaid_grade, a.language"
)
_ARTICLE_FROM = "articles a LEFT JOIN outlets o ON o.id = a.outlet_id"
_SENTENCE_COLS = (
    'id, article_id, position, paragraph, start, "end", kind, text, links, '
    "flesch_reading_ease, flesch_kincaid_grade"
)


def _article(row: Row) -> Article:
    return Article(*row)


def _sentence(row: Row) -> Sentence:
    links = tuple(json.loads(row[8])) if row[8] else ()
    return Sentence(
        row[0], row[1], row[2], row[3], row[4], row[5], row[6], row[7], links, row[9], row[10]
    )


@dataclass(frozen=True, slots=True)
class PreparedArticle:
    """What add_article writes, computed before the write transaction (hashing, JSON, the
    readability figures, one row per sentence), so that a long article holds the lock only
    for SQLite's own work."""

    # its `sentences` and `offset_map` may be left out (pickled): the rows and the offset
    # map's JSON below say them
    article: ParsedArticle
    sha: str
    offset_map: str
    meta: str | None
    sentence_rows: list[tuple[object, ...]]  # every column but article_id
    # each row's sentence_records JSON (store/records.py), None: left to the trigger
    records: list[str] | None = None

    def __reduce__(
        self,
    ) -> tuple[Callable[..., PreparedArticle], tuple[object, ...]]:
        """Pickled (a worker's answer, the spool: store/import_spool.py) without the
        article's sentences and offset map, which the rows and `offset_map` (its JSON) say:
        rebuilding the map's thousands of pairs was a fifth of the importer's unpickling.
        The article goes as its fields' values, in order, not as a copy of it pickled with
        its attribute names (the copy and the names were a fifth of a short item's pickle,
        audit5 F10); unpickled by unship, not dataclasses' per-field __setstate__. Its
        offset map goes as None and its counts as a tuple of ints: each object pickled as
        itself costs the unpickler a look-up of its class (a third of a short item's
        unpickling)."""
        return (unship, ship(self))


def ship(prepared: PreparedArticle) -> tuple[object, ...]:
    """What a PreparedArticle is pickled as (see its __reduce__): plain values only, so that
    unpickling them looks up no class at all (store/import_spool.py pickles these, not the
    object: a class's look-up is an import by name, a fifth of a short item's unpickling);
    unship() makes it again."""
    values = list(_values_of(prepared.article))
    values[_SENTENCES_AT] = ()
    values[_OFFSET_MAP_AT] = None
    c = values[_COUNTS_AT]
    values[_COUNTS_AT] = (c.words, c.syllables, c.sentences)
    return (
        tuple(values),
        prepared.sha,
        prepared.offset_map,
        prepared.meta,
        prepared.sentence_rows,
        prepared.records,
    )


_SHIPPED = OffsetMap(())  # a pickled article's offset map: see PreparedArticle.__reduce__
_FIELDS = tuple(f.name for f in fields(ParsedArticle))  # every one a parameter, in order
_values_of = attrgetter(*_FIELDS)
_SENTENCES_AT = _FIELDS.index("sentences")
_OFFSET_MAP_AT = _FIELDS.index("offset_map")
_COUNTS_AT = _FIELDS.index("counts")


def unship(
    values: tuple[object, ...],
    sha: str,
    offset_map: str,
    meta: str | None,
    rows: list[tuple[object, ...]],
    records: list[str] | None,
) -> PreparedArticle:
    """A shipped PreparedArticle made again (see ship)."""
    art = ParsedArticle(*values)  # type: ignore[arg-type]  # _FIELDS' values, in order
    art.sentences = []  # its own list: the rows say the sentences
    art.offset_map = _SHIPPED
    art.counts = Counts(*art.counts)  # type: ignore[misc]  # shipped as a tuple
    return PreparedArticle(art, sha, offset_map, meta, rows, records)


def prepare_article(art: ParsedArticle) -> PreparedArticle:
    """The rows and their export records in one pass over the sentences (in the worker that
    parsed the article). What depends only on a sentence's counts (its readability figures
    and the record's end) is made once per distinct count: sentences share few of them."""
    maker = ArticleRecords(art.external_id) if python_records_agree() else None
    records: list[str] | None = [] if maker is not None else None
    rows: list[tuple[object, ...]] = []
    add_row = rows.append
    for s in art.sentences:
        c = s.counts
        key = (c.words, c.syllables, c.sentences)
        figures = _FIGURES.get(key)
        if figures is None:
            figures = _figures(key, c)
        tail, record_end = figures
        links = dumps(s.links_json()) if s.links else None
        add_row((s.position, s.paragraph, s.start, s.end, s.kind, s.text, links, *tail))
        if records is not None and maker is not None:
            if record_end is None:
                records = None  # a figure only SQLite can write: the article's to the trigger
            else:
                records.append(
                    maker.record(
                        s.position, s.paragraph, s.kind, s.start, s.end, s.text, links, record_end
                    )
                )
    return PreparedArticle(
        art,
        art.text_sha256,
        offset_map_json(art.offset_map),
        dumps(art.meta) if art.meta else None,
        rows,
        records,
    )


# (words, syllables, sentences) -> the row's last columns and the record's end (records.py)
_FIGURES: dict[tuple[int, int, int], tuple[tuple[object, ...], str | None]] = {}
FIGURES_CACHE = 50_000


def _figures(key: tuple[int, int, int], c: Counts) -> tuple[tuple[object, ...], str | None]:
    ease, grade = c.flesch_reading_ease, c.flesch_kincaid_grade
    made = ((c.words, c.syllables, ease, grade), record_tail(c.words, ease, grade))
    if len(_FIGURES) < FIGURES_CACHE:
        _FIGURES[key] = made
    return made


_POINTS = re.compile(r"\[(?:\[-?\d+,-?\d+\](?:,\[-?\d+,-?\d+\])*)?\]")


def offset_map_json(offsets: OffsetMap) -> str:
    """store/jsontext.py's JSON of the map's points ([[clean, original], ...]), from the C
    repr of the list of int pairs; the general encoder when that is not plain ints."""
    text = repr(list(offsets.points)).replace(" ", "").replace("(", "[").replace(")", "]")
    return text if _POINTS.fullmatch(text) else dumps(offsets.to_json())


def same_source(stored: object, sha: str) -> bool:
    """Was the stored article made from bytes with this SHA-256?"""
    return isinstance(stored, bytes) and bool(sha) and hashlib.sha256(stored).hexdigest() == sha


def add_article(
    conn: sqlite3.Connection, parsed: ParsedArticle | PreparedArticle
) -> tuple[int, bool]:
    """Insert one parsed article inside the caller's write transaction.

    Returns (article id, added). The same cleaned text imported again is not added twice;
    a known id with different text is refused (annotations are tied to the text).
    """
    prepared = parsed if isinstance(parsed, PreparedArticle) else prepare_article(parsed)
    art = prepared.article
    sha = prepared.sha
    # what is checked under the lock, in one statement (phase 1 checked it without the lock;
    # a concurrent importer may have written since): the article with this text, the one
    # with this id, the outlet's id, and the ids SQLite would give the sentences (max + 1
    # onwards: sentences.id is a plain INTEGER PRIMARY KEY), given here so that the records
    # know them and the article row knows its first sentence without a query and an UPDATE
    same, taken, outlet, first = conn.execute(
        "SELECT (SELECT id FROM articles WHERE text_sha256 = ?), "
        "(SELECT id FROM articles WHERE external_id = ?), "
        "(SELECT id FROM outlets WHERE name = ?), "
        "(SELECT coalesce(max(id), 0) + 1 FROM sentences)",
        [sha, art.external_id, art.outlet or None],
    ).fetchone()
    if same is not None and (taken is None or same == taken):
        return int(same), False
    # this text is stored under another id, and this id holds a text of its own: the file
    # and the database disagree on what the id is, which is refused as for a new text
    # (audit5 F1: it was counted "unchanged", under the other id)
    if taken is not None:
        stored = conn.execute("SELECT original FROM articles WHERE id = ?", [taken]).fetchone()
        if same_source(stored[0], hashlib.sha256(art.original).hexdigest()):
            return int(taken), False  # the same bytes, cleaned by older rules: unchanged
        raise DuplicateArticle.taken(art.external_id, art.source_path)
    if outlet is None and art.outlet:
        outlet = conn.execute("INSERT INTO outlets (name) VALUES (?)", [art.outlet]).lastrowid
    c = art.counts
    rows = prepared.sentence_rows
    first = int(first)
    cur = conn.execute(
        "INSERT INTO articles (external_id, title, outlet_id, author, published, url, byline, "
        "text, text_sha256, original, encoding, offset_map, source_path, source_line, meta, "
        "words, syllables, flesch_reading_ease, flesch_kincaid_grade, sentence_count, "
        "imported_at, language, extracted, first_sentence_id) "
        "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
        [
            art.external_id,
            art.title,
            outlet,
            art.author,
            art.published,
            art.url,
            art.byline,
            art.text,
            sha,
            art.original,
            art.encoding,
            prepared.offset_map,
            art.source_path,
            art.source_line,
            prepared.meta,
            c.words,
            c.syllables,
            c.flesch_reading_ease,
            c.flesch_kincaid_grade,
            len(rows),
            now(),
            art.language,
            art.extracted,
            first if rows else None,
        ],
    )
    article_id = int(cur.lastrowid or 0)
    records = prepared.records
    if records is not None:  # the trigger is to skip this article's sentences (0016)
        conn.execute("INSERT INTO sentence_records_by_writer (article_id) VALUES (?)", [article_id])
    conn.executemany(
        'INSERT INTO sentences (id, article_id, position, paragraph, start, "end", kind, '
        "text, links, words, syllables, flesch_reading_ease, flesch_kincaid_grade) "
        "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)",
        # (id, article id) + row, by map and zip: no Python frame per row (half the time)
        map(add, zip(count(first), repeat(article_id)), rows),
    )
    if records is not None:
        conn.executemany(
            "INSERT INTO sentence_records (sentence_id, article_id, record) VALUES (?,?,?)",
            zip(count(first), repeat(article_id), records),
        )
        conn.execute("DELETE FROM sentence_records_by_writer WHERE article_id = ?", [article_id])
    return article_id, True


# --- reading ------------------------------------------------------------------------------


def article_count(store: Store) -> int:
    row = store.one("SELECT (SELECT min(id) FROM articles), (SELECT max(id) FROM articles)")
    return 0 if row is None or row[0] is None else int(row[1]) - int(row[0]) + 1


def sentence_bounds(store: Store) -> tuple[int, int]:
    """The first and last sentence id. Two subqueries: SQLite answers a lone min() or max()
    from the index end, but scans the whole index for min(), max() together."""
    row = store.one("SELECT (SELECT min(id) FROM sentences), (SELECT max(id) FROM sentences)")
    if row is None or row[0] is None:
        return 0, -1
    return int(row[0]), int(row[1])


def sentence_count(store: Store) -> int:
    # sentence ids have no gaps, so the count is arithmetic, not a scan of every article row
    first, last = sentence_bounds(store)
    return last - first + 1


def get_article(store: Store, article_id: int) -> Article | None:
    row = store.one(f"SELECT {_ARTICLE_COLS} FROM {_ARTICLE_FROM} WHERE a.id = ?", [article_id])
    return _article(row) if row else None


def find_article(store: Store, ref: str) -> Article | None:
    """An article by database id or by its external id."""
    row = store.one(f"SELECT {_ARTICLE_COLS} FROM {_ARTICLE_FROM} WHERE a.external_id = ?", [ref])
    if row is None and ref.isdigit():
        row = store.one(f"SELECT {_ARTICLE_COLS} FROM {_ARTICLE_FROM} WHERE a.id = ?", [int(ref)])
    return _article(row) if row else None


def list_articles(store: Store) -> list[Article]:
    return [
        _article(r) for r in store.all(f"SELECT {_ARTICLE_COLS} FROM {_ARTICLE_FROM} ORDER BY a.id")
    ]


def neighbour_article(store: Store, article_id: int, step: int) -> Article | None:
    op, order = (">", "ASC") if step > 0 else ("<", "DESC")
    row = store.one(
        f"SELECT {_ARTICLE_COLS} FROM {_ARTICLE_FROM} WHERE a.id {op} ? "
        f"ORDER BY a.id {order} LIMIT 1",
        [article_id],
    )
    return _article(row) if row else None


def article_of_sentence(store: Store, sentence_id: int) -> Article | None:
    row = store.one(
        f"SELECT {_ARTICLE_COLS} FROM {_ARTICLE_FROM} "
        "WHERE a.id = (SELECT article_id FROM sentences WHERE id = ?)",
        [sentence_id],
    )
    return _article(row) if row else None


def article_rank(store: Store, article_id: int) -> int:
    """1-based position of the article in corpus order.

    Article ids have no gaps (articles are only ever added, and a rolled-back insert does
    not leave one), so the rank is arithmetic: counting the rows before it read every
    article page, 8 ms deep into a 20,000-article corpus.
    """
    first = store.scalar("SELECT min(id) FROM articles")
    return article_id - int(str(first)) + 1 if first is not None else 0


def sentences_of(store: Store, article_id: int) -> list[Sentence]:
    return [
        _sentence(r)
        for r in store.all(
            f"SELECT {_SENTENCE_COLS} FROM sentences WHERE article_id = ? ORDER BY position",
            [article_id],
        )
    ]


def articles_of(store: Store, sentence_ids: Sequence[int]) -> list[int]:
    """The article of each sentence, in the order given (for resampling whole articles)."""
    if not sentence_ids:
        return []
    found = {
        int(r[0]): int(r[1])
        for r in store.all(
            "SELECT id, article_id FROM sentences WHERE id IN (SELECT value FROM json_each(?))",
            [json.dumps([int(x) for x in sentence_ids])],
        )
    }
    return [found[int(x)] for x in sentence_ids]
