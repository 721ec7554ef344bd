"""Turning files into parsed articles: read, clean, segment, score. No database here."""

from __future__ import annotations

import hashlib
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from annotator.ingest import language, ordinals, readability
from annotator.ingest.furniture_pages import furniture_page, little_text_note
from annotator.ingest.layout import Layout, Link, layout
from annotator.ingest.reading import (
    MAX_ARTICLE_SEGMENTS,
    InputError,
    SourceArticle,
    check_regular,
    is_html_page,
    read_html_file,
    read_jsonl,
    read_text_file,
)
from annotator.ingest.textmap import OffsetMap

# how a note about one article of a JSON Lines file starts (cli/importing.py groups them)
ARTICLE_NOTE = "line {line} ({id}): "

# segments whose words count toward the article's readability (prose, not page furniture)
PROSE_KINDS = ("body",)


@dataclass(frozen=True, slots=True)
class ParsedSentence:
    position: int
    paragraph: int
    start: int
    end: int
    kind: str
    text: str
    links: tuple[Link, ...]
    counts: readability.Counts

    def links_json(self) -> list[dict[str, Any]]:
        """Links relative to the sentence, as stored and exported."""
        return [
            {"start": lk.start - self.start, "end": lk.end - self.start, "url": lk.url}
            for lk in self.links
        ]


@dataclass
class ParsedArticle:
    external_id: str
    text: str
    sentences: list[ParsedSentence]
    offset_map: OffsetMap
    original: bytes
    encoding: str
    source_path: str
    source_line: int
    title: str | None = None
    outlet: str | None = None
    author: str | None = None
    published: str | None = None
    url: str | None = None
    byline: str | None = None
    meta: dict[str, Any] = field(default_factory=dict)
    counts: readability.Counts = readability.ZERO
    notes: list[str] = field(default_factory=list)
    # the text the offset map refers to when it is not `original` decoded (an HTML page's
    # extracted Markdown); None for text files and JSON Lines
    extracted: str | None = None
    language: str | None = None

    @property
    def text_sha256(self) -> str:
        return hashlib.sha256(self.text.encode("utf-8")).hexdigest()


def parse_source(src: SourceArticle, *, with_readability: bool = True) -> ParsedArticle:
    md = src.metadata
    lay = layout(src.text, src.body_start, title=md.get("title"))
    if not lay.segments:
        raise InputError(src.path, src.line, "no text to annotate after cleaning")
    if len(lay.segments) > MAX_ARTICLE_SEGMENTS:
        raise InputError(
            src.path,
            src.line,
            f"article of {len(lay.segments):,} segments is over the limit of "
            f"{MAX_ARTICLE_SEGMENTS:,} segments for one article; split it into several articles",
        )
    furniture_note = _furniture_page(src, lay)
    # a language the source declares wins (the way to correct a wrong detection)
    lang, lang_note = _language(src, lay)
    # "am 9. November": a German date the splitter cut, not knowing the language yet
    lay.segments = ordinals.joined(lay.text, lay.segments, lang)
    unfit = language.readability_reason(lang)
    sentences = []
    # the article's counts summed as numbers: adding Counts makes one (a frozen dataclass,
    # slow to make) per sentence
    words = syllables = counted = 0
    left_out: frozenset[int] = frozenset()  # sentences left out of those sums
    texts = [lay.text[seg.start : seg.end] for seg in lay.segments]
    if not with_readability:
        each = [readability.ZERO] * len(texts)
    elif unfit:
        # words are still counted (exports carry them); no sentences, so no scores
        each = [readability.Counts(len(text.split()), 0, 0) for text in texts]
    else:
        each = readability.counts_each(texts)
        # a sentence in another script (a Chinese quote in an English article): words
        # counted, no scores, as in an article not in English, and out of the article's
        # figures, which it would skew (audit11 F3)
        for i in (others := readability.unscored(texts)):
            each[i] = readability.Counts(len(texts[i].split()), 0, 0)
        left_out = frozenset(others)
    for i, (seg, text, c) in enumerate(zip(lay.segments, texts, each, strict=True)):
        if seg.kind in PROSE_KINDS and i not in left_out:
            words += c.words
            syllables += c.syllables
            counted += c.sentences
        sentences.append(
            ParsedSentence(i, seg.paragraph, seg.start, seg.end, seg.kind, text, seg.links, c)
        )
    external_id = article_id(src)
    notes = [
        n for n in (src.decode_note, furniture_note, lang_note, language.support_note(lang)) if n
    ]
    if src.path.lower().endswith(".jsonl"):
        # many articles to a file: each note says which one (the import groups them)
        notes = [f"{ARTICLE_NOTE.format(line=src.line, id=external_id)}{n}" for n in notes]
    meta = dict(src.meta)
    if unfit and with_readability:
        meta["readability_unavailable"] = unfit
    elif left_out:
        meta["readability_unscored"] = (
            f"{len(left_out)} sentence(s) mostly in another script than Latin: no readability "
            "scores for them (the Flesch formulas are fitted to English), and the article's "
            "figures leave them out"
        )
    if lay.removed_furniture:
        notes.append(
            f"removed {lay.removed_furniture} repeated line(s) of page furniture"
            + (f", rejoined {lay.rejoined} split sentence(s)" if lay.rejoined else "")
        )
    return ParsedArticle(
        external_id=external_id,
        text=lay.text,
        sentences=sentences,
        offset_map=lay.offset_map,
        original=src.original,
        encoding=src.encoding,
        source_path=src.path,
        source_line=src.line,
        title=md.get("title") or lay.title,
        outlet=md.get("outlet"),
        author=md.get("author") or lay.author,
        published=md.get("published") or lay.published,
        url=md.get("url"),
        byline=lay.byline,
        meta=meta,
        counts=readability.Counts(words, syllables, counted),
        notes=notes,
        extracted=src.text if src.extracted else None,
        language=lang,
    )


def article_id(src: SourceArticle) -> str:
    """The id an article is stored under: its own (JSON `id`, front matter), else the one
    its file's name gives (ingest/file_ids.py: the name without its extension, or its path
    in the folder when files of the import share the name). The importer checks a JSON
    Lines file's ids with this before parsing it."""
    declared = src.metadata.get("id")
    if declared:
        # an id is what people type (--article, assign --articles @FILE) and what exports
        # key records by: one line, no control characters (audit7 F9: "z\x1b[31m" and an id
        # with a tab were imported), as a team member's name
        bad = next((c for c in declared if _unfit_in_id(c)), None)
        if bad is not None:
            raise InputError(
                src.path,
                src.line,
                f"article id {declared!r} holds U+{ord(bad):04X}: an id has no line breaks, "
                "tabs, control characters or bidirectional overrides",
            )
        return str(declared)
    named = src.name_id if src.name_id is not None else Path(src.path).stem if src.path else ""
    # the same rule for an id the file's name gives (audit9b F6: a name holding an OSC 52
    # sequence, ESC ... BEL, went into every export's keys, and to the clipboard of whoever
    # printed them): refused, naming the file, as the JSON and front matter ids are
    bad = next((c for c in named if _unfit_in_id(c)), None)
    if bad is not None:
        text = Path(src.path).suffix.lower() in (".txt", ".md", ".markdown")
        raise InputError(
            src.path,
            None,
            f"article id {named!r}, from the file's name, holds U+{ord(bad):04X}: an id has no "
            "line breaks, tabs, control characters or bidirectional overrides; rename the file"
            + (" or give it an `id:` in front matter" if text else ""),
        )
    return named


def _unfit_in_id(c: str) -> bool:
    return unicodedata.category(c) == "Cc" or "\u202a" <= c <= "\u202e" or "\u2066" <= c <= "\u2069"


def _furniture_page(src: SourceArticle, lay: Layout) -> str | None:
    """An HTML page of page furniture only (a consent wall, a paywall) refused by name; a
    note when its article text is a few words among much furniture (furniture_pages.py)."""
    if not src.extracted:
        return None
    refusal = furniture_page(lay)
    if refusal is not None:
        raise InputError(src.path, None, refusal)
    return little_text_note(lay)


def _language(src: SourceArticle, lay: Layout) -> tuple[str | None, str | None]:
    """The article's language, and a note when an HTML page's declaration and the detector
    disagree. What the source declares (JSON Lines, front matter) is taken unasked; an HTML
    page's `<html lang>` in a code the detector knows is a declaration too (audit11 F17: a
    French page full of English phrases, `lang="fr-FR"`, was stored as English), but the
    page's template may say it for every page of a site, so the detector is still asked and
    its disagreement said. A `lang` it does not know declares nothing (and is not stored:
    a stored code is one of LANGUAGES)."""
    if src.language:
        return src.language, None
    page = _page_language(src.language_hint)
    # None: too little text to tell
    detected = language.detect(_prose_sample(lay))
    if page is None:
        return detected, None
    if detected is None or detected == page:
        return page, None
    return (
        page,
        f"the page declares {page} (<html lang>), the detector reads {detected}: {page} kept",
    )


def _page_language(hint: str | None) -> str | None:
    try:
        return language.declared(hint) if hint else None
    except ValueError:  # not a code the detector knows: no declaration, only a hint
        return None


def _prose_sample(lay: Layout) -> str:
    """Body text to judge the language by: a crude scrape opens with navigation."""
    parts: list[str] = []
    size = 0
    for seg in lay.segments:
        if seg.kind == "body" and seg.end - seg.start >= 40:
            parts.append(lay.text[seg.start : seg.end])
            size += seg.end - seg.start
            if size >= language.SAMPLE:
                break
    return " ".join(parts) if parts else lay.text


def read_sources(
    path: Path, *, encoding: str | None = None, name_id: str | None = None
) -> Iterator[SourceArticle]:
    """The articles of one file as read (decoded, validated, not yet cleaned), lazily;
    raises InputError naming FILE:LINE. `name_id`: the id the file's name gives in its
    import (ingest/file_ids.py), when not the name's stem."""
    if path.is_dir():
        raise InputError(path, None, "is a folder (import takes folders; segment takes files)")
    check_regular(path)  # a FIFO, socket or device: refused by name, never opened
    suffix = path.suffix.lower()
    try:
        if suffix == ".jsonl":
            yield from read_jsonl(path, encoding)
        elif suffix in (".txt", ".md", ".markdown"):
            src = read_text_file(path, encoding)
            src.name_id = name_id
            yield src
        elif is_html_page(path):  # .html, .htm, or a page saved under its address's name
            src = read_html_file(path, encoding)
            src.name_id = name_id
            yield src
        else:
            raise InputError(
                path,
                None,
                f"unsupported file type {suffix or '(none)'!r} "
                "(expected .txt, .md, .jsonl, .html, .htm or .xhtml, or an HTML page of any name)",
            )
    except OSError as e:
        raise InputError(path, None, e.strerror or str(e)) from None


def read_articles(
    path: Path,
    *,
    encoding: str | None = None,
    with_readability: bool = True,
    name_id: str | None = None,
) -> Iterator[ParsedArticle]:
    """Parse the articles of one file, lazily; raises InputError naming FILE:LINE."""
    for src in read_sources(path, encoding=encoding, name_id=name_id):
        yield parse_source(src, with_readability=with_readability)
