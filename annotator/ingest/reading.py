"""Reading article files: decoding, front matter and JSON Lines, with errors that name FILE:LINE.

Scraped files arrive in every state. Whatever we cannot read with certainty is refused with
one line that says where and why; nothing is guessed silently.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO

from annotator.ingest.decoding import check_unicode, cut_off, refuse_nul_bytes
from annotator.ingest.decoding import decode as decode
from annotator.ingest.front_matter import METADATA_KEYS as METADATA_KEYS
from annotator.ingest.front_matter import split_front_matter as split_front_matter

# which files are read, and refusing what is not a regular file, are input_files'; the
# importers name these from here, with the readers
from annotator.ingest.input_files import HTML_SUFFIXES as HTML_SUFFIXES
from annotator.ingest.input_files import SUFFIXES as SUFFIXES
from annotator.ingest.input_files import InputError as InputError
from annotator.ingest.input_files import check_regular as check_regular
from annotator.ingest.input_files import file_kind as file_kind
from annotator.ingest.input_files import is_html_page as is_html_page
from annotator.ingest.input_files import iter_paths as iter_paths
from annotator.ingest.input_files import open_regular as open_regular
from annotator.ingest.input_files import refuse_feed
from annotator.ingest.language import declared
from annotator.ingest.strictjson import JsonRefused, describe_decode_error, loads

if TYPE_CHECKING:
    from pydantic import ValidationError

# The longest article imported, in characters of text. An article is written in one
# transaction, which an annotator's key waits for: about 25 ms of CPU at 250,000 characters
# (2,700 segments), 120 ms at 1,000,000, 0.5 s under a load of 10 on two cores; and parsing
# costs about 25 times the article in memory. The longest page of the news corpus is 91,000
# characters, a long read 120,000; past this, an "article" is a dump to split (the README's
# Known limits). Files are refused by size before they are read whole: more bytes than this
# could hold (UTF-8 takes at most 4 per character, a JSON escape 12 per astral character),
# or an HTML page over MAX_HTML_BYTES.
MAX_ARTICLE_CHARS = 250_000
# ... and at most this many segments: an article is written in one transaction, 15-30 us a
# segment, so an annotator's key may wait behind it. 250,000 characters of prose are about
# 2,700 segments, but lines of a few characters (a results table, a list, a menu dump) are
# one segment each: 62,000 of them held the write lock 0.5 s (audit11 F12)
MAX_ARTICLE_SEGMENTS = 5_000
MAX_HTML_BYTES = 20_000_000
_MAX_LINE_BYTES = 12 * MAX_ARTICLE_CHARS + 1_000_000  # a JSON Lines line, with its metadata


@dataclass
class SourceArticle:
    """An article as read, before cleaning."""

    path: str
    line: int  # where the article starts in its file (1 for .txt/.md)
    original: bytes  # the bytes as they were in the file (for .jsonl, the text field's UTF-8)
    encoding: str
    text: str  # `original` decoded; offsets of the cleaned text map back into this
    body_start: int  # where the body starts in `text` (after front matter)
    metadata: dict[str, str] = field(default_factory=dict)
    meta: dict[str, Any] = field(default_factory=dict)
    decode_note: str | None = None
    # set when `text` is not `original` decoded but extracted from it (an HTML page): the
    # offsets refer to this text, which is stored beside the original
    extracted: bool = False
    language_hint: str | None = None  # what the page says its language is (<html lang>)
    # what the source declares (JSON Lines `language` or `meta.language`, front matter
    # `language:`/`lang:`), checked: stored as the article's language, no detection
    language: str | None = None
    # the id the file's name gives (ingest/file_ids.py), when the import worked it out from
    # all its files; None: the name's stem
    name_id: str | None = None

    def __reduce__(self) -> tuple[type[SourceArticle], tuple[object, ...]]:
        # sent to a worker in chunks of a JSON Lines file (store/import_workers.py): by the
        # constructor, not a dataclass's copy of its attribute dict (half the unpickling)
        return (
            SourceArticle,
            (
                self.path,
                self.line,
                self.original,
                self.encoding,
                self.text,
                self.body_start,
                self.metadata,
                self.meta,
                self.decode_note,
                self.extracted,
                self.language_hint,
                self.language,
                self.name_id,
            ),
        )


def check_size(path: Path | str, line: int | None, chars: int) -> None:
    """Refuse an article longer than MAX_ARTICLE_CHARS, by name and line."""
    if chars > MAX_ARTICLE_CHARS:
        raise InputError(
            path,
            line,
            f"article of {chars:,} characters is over the limit of "
            f"{MAX_ARTICLE_CHARS:,} characters for one article; split it into several articles",
        )


def _read_bounded(fh: BinaryIO, path: Path | str, limit: int, why: str) -> bytes:
    data = fh.read(limit + 1)
    if len(data) > limit:
        raise InputError(path, None, f"more than {limit:,} bytes: {why}")
    return data


def read_text_file(path: Path, encoding: str | None = None) -> SourceArticle:
    with open_regular(path) as fh:
        # front matter aside, 4 bytes per character at most in UTF-8 (more in UTF-16)
        data = _read_bounded(
            fh,
            path,
            4 * MAX_ARTICLE_CHARS + 100_000,
            f"over the limit of {MAX_ARTICLE_CHARS:,} characters for one article; "
            "split it into several articles",
        )
    text, enc, note = decode(data, path, encoding)
    refuse_feed(text, path)
    known, other, body_start = split_front_matter(text, path)
    declared_language = known.pop("language", None)
    if not text[body_start:].strip():
        raise InputError(path, None, "no article text (only front matter)")
    check_size(path, None, len(text) - body_start)
    return SourceArticle(
        path=str(path),
        line=1,
        original=data,
        encoding=enc,
        text=text,
        body_start=body_start,
        metadata=known,
        meta=dict(other),
        decode_note=note,
        language=declared_language,
    )


def read_html_file(path: Path, encoding: str | None = None) -> SourceArticle:
    """An HTML page: its main text as Markdown, with the metadata the page gives.
    `encoding`: the page's, instead of what it declares (ingest/html_bytes.py)."""
    from annotator.ingest import html
    from annotator.ingest.html_bytes import plain_page

    with open_regular(path) as fh:
        data = _read_bounded(fh, path, MAX_HTML_BYTES, "an HTML page over the import's limit")
    if not data.strip():
        raise InputError(path, None, "empty file")
    # decompressed and in UTF-8 before any pass reads it; the file's bytes stay the original
    plain = plain_page(data, path, encoding, MAX_HTML_BYTES)
    # refused as a text file with one is (the parser dropped them and the page went in:
    # audit11 F16); decoded first, so a UTF-16 page's zero bytes are no NULs
    refuse_nul_bytes(plain.data, path)
    try:
        page = html.extract(plain.data)
    except html.NoText as e:
        raise InputError(path, None, str(e)) from None
    check_size(path, None, len(page.text))
    metadata = {
        k: v
        for k, v in (
            ("title", page.title),
            ("author", page.author),
            ("published", page.published),
            ("outlet", page.outlet),
            ("url", page.url),
        )
        if v
    }
    return SourceArticle(
        path=str(path),
        line=1,
        original=data,
        # what was done to the bytes before extraction: "html (gzip, cp1252)"
        encoding=f"html ({', '.join(plain.steps)})" if plain.steps else "html",
        text=page.text,
        body_start=0,
        metadata=metadata,
        meta=dict(page.extra),
        decode_note=plain.note,
        extracted=True,
        language_hint=page.page_language,
    )


def read_jsonl(path: Path, encoding: str | None = None) -> Iterator[SourceArticle]:
    """Yield the articles of a .jsonl file, one per non-blank line, validating each.

    The whole file is validated before anything is returned by the caller's transaction, so
    callers that want all-or-nothing simply consume the iterator first.
    """
    # pydantic only for JSON Lines: a .txt import starts without it
    from pydantic import ValidationError

    from annotator.ingest.records import ArticleRecord

    with open_regular(path) as fh:
        first = True
        any_line = False
        # a line is read up to a bound, so a huge one costs no more memory than that
        lines = iter(lambda: fh.readline(_MAX_LINE_BYTES + 1), b"")
        for lineno, raw in enumerate(lines, start=1):
            if len(raw) > _MAX_LINE_BYTES:
                raise InputError(
                    path,
                    lineno,
                    # the text alone may be short: a huge `meta` is what fills it (audit11 F16)
                    f"a line of more than {_MAX_LINE_BYTES:,} bytes is over the limit for one "
                    f"record (at most {MAX_ARTICLE_CHARS:,} characters of text, with its "
                    "metadata); split its text into several articles, or trim its metadata",
                )
            if first:
                first = False
                if raw.startswith(b"\xef\xbb\xbf"):
                    raw = raw[3:]
                elif raw.startswith((b"\xff\xfe", b"\xfe\xff")):
                    raise InputError(path, 1, "JSON Lines must be UTF-8 (this file is UTF-16)")
            if not raw.strip():
                continue
            any_line = True
            if b"\x00" in raw:
                raise InputError(path, lineno, "contains NUL bytes: not a JSON Lines file")
            try:
                line = raw.decode(encoding or "utf-8")
            except UnicodeDecodeError as e:
                if e.reason == "unexpected end of data" and not raw.endswith(b"\n"):
                    raise InputError(path, lineno, cut_off(e.start + 1)) from None
                raise InputError(
                    path, lineno, f"not UTF-8 (byte 0x{raw[e.start]:02x} at column {e.start + 1})"
                ) from None
            if encoding:
                check_unicode(line, path, lineno)  # a codec may yield lone surrogates
            try:
                obj = loads(line)
            except json.JSONDecodeError as e:
                raise InputError(path, lineno, describe_decode_error(e)) from None
            except JsonRefused as e:
                raise InputError(path, lineno, str(e)) from None
            if not isinstance(obj, dict):
                raise InputError(path, lineno, "each line must be a JSON object")
            try:
                rec = ArticleRecord.model_validate(obj)
            except ValidationError as e:
                raise InputError(path, lineno, _describe(e)) from None
            if not rec.text.strip():
                raise InputError(path, lineno, "field 'text' is empty")
            if "\x00" in rec.text:
                raise InputError(path, lineno, "field 'text' contains NUL characters")
            check_size(path, lineno, len(rec.text))
            metadata = {k: v for k in METADATA_KEYS if (v := getattr(rec, k)) is not None}
            for k, v in metadata.items():
                if "\x00" in str(v):  # as in the text, and in front matter (audit11 F16)
                    raise InputError(path, lineno, f"field {k!r} contains NUL characters")
            declared_language = _jsonl_language(rec.language, rec.meta, path, lineno)
            yield SourceArticle(
                path=str(path),
                line=lineno,
                original=rec.text.encode("utf-8"),
                encoding="utf-8",
                text=rec.text,
                body_start=0,
                metadata=metadata,
                meta=rec.meta or {},
                language=declared_language,
            )
        if not any_line:
            raise InputError(path, None, "empty file")


def _jsonl_language(
    field_value: str | None, meta: dict[str, Any] | None, path: Path, line: int
) -> str | None:
    """The language a record declares: its `language` field or `meta.language` (which must
    agree when both are given), as a checked code; None when it declares none."""
    given = [("language", field_value)] if field_value is not None else []
    if meta and meta.get("language") is not None:
        given.append(("meta.language", meta["language"]))
    codes = []
    for name, value in given:
        try:
            codes.append(declared(value))
        except ValueError as e:
            raise InputError(path, line, f"field '{name}': {e}") from None
    if len(set(codes)) > 1:
        raise InputError(
            path, line, f"field 'language' ({codes[0]}) and meta.language ({codes[1]}) disagree"
        )
    return codes[0] if codes else None


def _describe(err: ValidationError) -> str:
    from annotator.ingest.records import ArticleRecord

    allowed = ", ".join(ArticleRecord.model_fields)
    parts = []
    for e in err.errors():
        loc = ".".join(str(p) for p in e["loc"])
        if e["type"] == "extra_forbidden":
            parts.append(
                f"unknown field '{loc}' (fields: {allowed}; put anything else under 'meta')"
            )
        elif e["type"] == "missing":
            parts.append(f"missing field '{loc}'")
        else:
            parts.append(f"field '{loc}': {e['msg']}")
    return "; ".join(parts)
