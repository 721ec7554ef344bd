"""Each sentence's export record built by the importer, byte for byte what SQLite builds.

`sentence_records` holds each sentence's export JSON (migration 0003; why: store/exporting.py).
It was filled by a trigger on every sentence inserted, which cost the importing process
about 40% of its write (a trigger program per row, a look-up of the article, json_object
formatting every column). The importer now builds the same JSON in the worker that parsed
the article and inserts it with one executemany; the trigger (migration 0016) fills only
rows nobody filled, so every other way a sentence comes in (a merge) is unchanged.

The record must be the bytes SQLite's own expression gives (exporting.SENTENCE_RECORD:
`stale_records` compares them, and an export splices them), and those depend on the SQLite
library in use. So `python_records_agree()` asks this process's SQLite once, on a probe
row with every kind of value met here (control characters, quotes, non-ASCII, links, -0.0,
integral and rounded floats, NULL); if SQLite formats any of them differently, records are
left to the trigger, as before. A float that is not a plain short decimal (readability
figures are rounded to 2 places; anything else would be a change elsewhere) also leaves that
article to the trigger.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Sequence
from functools import lru_cache
from typing import Any

from annotator.store.exporting import SENTENCE_RECORD
from annotator.store.jsontext import dumps

# a sentence row as store/articles.py builds it: every column but article_id
_POSITION, _PARAGRAPH, _START, _END, _KIND, _TEXT, _LINKS, _WORDS = range(8)
_READING_EASE, _GRADE = 9, 10
# a JSON string, escaped as SQLite's json_object escapes it (quote, backslash, controls;
# \b \f \n \r \t short) and nothing else: json's own C function, without the encoder
# object json.dumps builds per call (6 us a record); the probe checks it
_string: Callable[[str], str] = json.encoder.encode_basestring


def _real(value: object) -> str | None:
    """A REAL column's value as json_object writes it ("%!.15g"), when that is Python's own
    repr: NULL, and a finite float below 1e13 written with at most 2 decimals (readability
    figures are rounded to 2 places), not -0.0. None when only SQLite can say it. (The
    repr is the shortest text that reads back as the float, so "at most 2 decimals" is
    round(value, 2) == value, without round's own decimal conversion.)"""
    if value is None:
        return "null"
    if type(value) is not float or not -1e13 < value < 1e13:  # also NaN
        return None
    text = repr(value)
    if "e" in text or text == "-0.0" or len(text) - text.index(".") > 3:
        return None
    return text


def record_tail(words: object, ease: object, grade: object) -> str | None:
    """The end of a record, from "words" on: the same for every sentence with these counts
    (prepare_article formats it once per distinct count); None when only SQLite can say a
    figure exactly."""
    e, g = _real(ease), _real(grade)
    if e is None or g is None:
        return None
    return f',"words":{words},"flesch_reading_ease":{e},"flesch_kincaid_grade":{g}}}'


# a kind's JSON string, made once per kind (a handful of them)
_KINDS: dict[str, str] = {}


def _kind(kind: str) -> str:
    made = _KINDS.get(kind)
    if made is None:
        made = _string(kind)
        if len(_KINDS) < 256:
            _KINDS[kind] = made
    return made


class ArticleRecords:
    """The records of one article's sentences, with what they share (the article's id, as
    the record's "id" opens and as its "article_id") escaped once. The id's escaping
    is the concatenation's: encode_basestring escapes character by character, and ":" and
    digits need none."""

    __slots__ = ("_article", "_open")

    def __init__(self, external_id: str) -> None:
        ident = _string(external_id)
        self._open = '{"id":' + ident[:-1] + ":"
        self._article = '","article_id":' + ident + ',"position":'

    def record(
        self,
        position: object,
        paragraph: object,
        kind: str,
        start: object,
        end: object,
        text: str,
        links: str | None,
        tail: str,
    ) -> str:
        """One sentence's record; `links`: its links column (store/jsontext.py's JSON of
        the list, None for none), `tail`: record_tail's for its counts."""
        return (
            f'{self._open}{position}{self._article}{position},"paragraph":{paragraph},'
            f'"kind":{_kind(kind)},"start":{start},"end":{end},"text":{_string(text)},'
            f'"links":{links or "[]"}{tail}'
        )


def sentence_record(external_id: str, row: Sequence[object]) -> str | None:
    """The export JSON of one sentence row (store/articles.py's, its links column as
    store/jsontext.py writes it); None when only SQLite can say it exactly."""
    tail = record_tail(row[_WORDS], row[_READING_EASE], row[_GRADE])
    if tail is None:
        return None
    links = row[_LINKS]
    return ArticleRecords(external_id).record(
        row[_POSITION],
        row[_PARAGRAPH],
        str(row[_KIND]),
        row[_START],
        row[_END],
        str(row[_TEXT]),
        links if isinstance(links, str) else None,
        tail,
    )


def article_records(external_id: str, rows: Sequence[Sequence[object]]) -> list[str] | None:
    """Every sentence's record, or None to leave them all to the trigger."""
    if not python_records_agree():
        return None
    out: list[str] = []
    for row in rows:
        record = sentence_record(external_id, row)
        if record is None:
            return None
        out.append(record)
    return out


# the probe: the values the importer meets, and the ones a formatter gets wrong
_PROBE_TEXT = "".join(map(chr, range(32))) + ' "q" \\ \x7f é “x” \u2028 😀 </script>'
_PROBE_LINKS: list[dict[str, Any]] = [{"start": 0, "end": 3, "url": 'https://e.x/a?b=1&c="é"\n'}]
_PROBE_ROWS: tuple[tuple[object, ...], ...] = (
    (0, 0, 0, 12, "body", _PROBE_TEXT, dumps(_PROBE_LINKS), 7, 9, 89.6, 0.0),
    (1, 1, 13, 20, "heading", "Title: ok.", None, 2, 3, None, None),
    (2, 1, 21, 40, "list item", "x", None, 1, 1, 100.0, -3.41),
    (3, 2, 41, 60, "body", "y", None, 1, 1, 121.22, 0.52),
    (4, 2, 61, 80, "body", "z", None, 30, 44, -48.98, 12345.67),
)


@lru_cache(maxsize=1)
def python_records_agree() -> bool:
    """Does this process's SQLite write exactly what sentence_record writes? (Once per
    process, in memory: a fraction of a millisecond.)"""
    ext = 'probe "id" é\n'
    conn = sqlite3.connect(":memory:")
    try:
        conn.execute("CREATE TABLE articles (id INTEGER PRIMARY KEY, external_id TEXT)")
        conn.execute(
            'CREATE TABLE s (position INTEGER, paragraph INTEGER, start INTEGER, "end" INTEGER, '
            "kind TEXT, text TEXT, links TEXT, words INTEGER, syllables INTEGER, "
            "flesch_reading_ease REAL, flesch_kincaid_grade REAL, article_id INTEGER)"
        )
        conn.execute("INSERT INTO articles VALUES (1, ?)", [ext])
        conn.executemany(
            "INSERT INTO s VALUES (?,?,?,?,?,?,?,?,?,?,?,1)", [list(r) for r in _PROBE_ROWS]
        )
        theirs = [
            str(r[0])
            for r in conn.execute(
                f"SELECT {SENTENCE_RECORD.format(s='s')} FROM s "
                "JOIN articles a ON a.id = s.article_id ORDER BY s.position"
            )
        ]
    finally:
        conn.close()
    return theirs == [sentence_record(ext, r) for r in _PROBE_ROWS]
